"""One notification per person per thing announced, whichever follows match; an activity made public later
announces itself and the events held back with it, once."""

import datetime

import pytest
from django.utils import timezone

from samen.activities.services import activity_save
from samen.activities.tests import factories
from samen.communication.models import Follow, Notification


@pytest.fixture
def hidden_activity(org, domain_with_goal):
    return factories.make_activity("Buurtwandeling", lead=org, goal=domain_with_goal, is_published=False)


def make_event(org, activity=None, **fields):
    return factories.make_event(organisation=org, activity=activity, title=fields.pop("title", "Wandeldag"), **fields)


def publish(activity, actor, captured, published=True):
    with captured(execute=True):
        activity_save(activity=activity, actor=actor, fields={"is_published": published}, relations={})


def texts(user):
    return sorted(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_a_member_following_the_organisation_and_the_campaign_hears_of_an_event_once(
    member, org, coordinator, django_capture_on_commit_callbacks
):
    from samen.activities.events.services import event_save

    campaign = factories.make_campaign()
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    Follow.objects.create(user=member, kind="campaign", object_id=campaign.pk)
    event = make_event(org, is_published=False, campaign=campaign, campaign_status="accepted")
    event.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event, actor=coordinator, check_dates=False)
    assert texts(member) == ["Nieuw evenement: Wandeldag"]
    assert Notification.objects.get(user=member).key == f"event:{event.pk}"


def test_the_same_thing_announced_twice_at_once_gives_one_notification(member, org):
    """The unique (user, key) holds even when two announcements pass the check at the same moment."""
    from samen.communication.models import Topic

    Notification.objects.create(user=member, topic=Topic.EVENTS, text="eerder", key="event:7")
    from samen.communication.services import users_notify

    assert users_notify(topic=Topic.EVENTS, user_ids=[member.pk], texts={"nl": "later"}, key="event:7") == 0
    Notification.objects.bulk_create(
        [Notification(user=member, topic=Topic.EVENTS, text="tegelijk", key="event:7")], ignore_conflicts=True
    )
    assert texts(member) == ["eerder"]
    # Work and personal messages have no key: they may come again.
    users_notify(topic=Topic.WORK, user_ids=[member.pk], texts={"nl": "werk"})
    users_notify(topic=Topic.WORK, user_ids=[member.pk], texts={"nl": "werk"})
    assert texts(member).count("werk") == 2


def test_an_activity_made_public_later_announces_itself_and_its_held_back_events_once(
    member, org, editor, hidden_activity, django_capture_on_commit_callbacks
):
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    Follow.objects.create(user=member, kind="domain", object_id=hidden_activity.action_domains.get().pk)
    with django_capture_on_commit_callbacks(execute=True):
        from samen.communication.receivers import on_event_created

        coming = make_event(org, hidden_activity, title="Wandeldag")
        on_event_created(sender=None, event_id=coming.pk)  # created while the activity was hidden: held back
    draft = make_event(org, hidden_activity, title="Nog een concept", is_published=False)
    past = make_event(
        org,
        hidden_activity,
        title="Vorige wandeling",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    assert texts(member) == []
    publish(hidden_activity, editor, django_capture_on_commit_callbacks)
    assert texts(member) == ["Nieuw evenement: Wandeldag", "Nieuwe activiteit: Buurtwandeling"]
    assert draft.pk and past.pk  # a draft and a past event are nobody's news
    # Hidden again and public again: nobody hears twice.
    publish(hidden_activity, editor, django_capture_on_commit_callbacks, published=False)
    publish(hidden_activity, editor, django_capture_on_commit_callbacks)
    assert len(texts(member)) == 2


def test_an_edit_of_a_public_activity_announces_nothing(
    member, org, editor, domain_with_goal, django_capture_on_commit_callbacks
):
    activity = factories.make_activity("Open", lead=org, goal=domain_with_goal)
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    make_event(org, activity)
    publish(activity, editor, django_capture_on_commit_callbacks)
    assert texts(member) == []


def test_an_activity_made_public_in_the_admin_is_announced_too(
    member, org, coordinator, rf, hidden_activity, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from django.contrib import admin

    from samen.activities.models import Activity

    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    make_event(org, hidden_activity, title="Wandeldag")
    hidden_activity.is_published = True
    request = rf.post("/")
    request.user = coordinator
    form = SimpleNamespace(changed_data=["is_published"], cleaned_data={"is_published": True})
    with django_capture_on_commit_callbacks(execute=True):
        admin.site._registry[Activity].save_model(request, hidden_activity, form, change=True)
    assert texts(member) == ["Nieuw evenement: Wandeldag", "Nieuwe activiteit: Buurtwandeling"]


def test_an_announcement_counts_only_who_heard_now_when_another_came_first(member, make_user, monkeypatch):
    """Review comm2 (second reader) finding 2: between the check and the insert another run told `member`."""
    from samen.communication import services
    from samen.communication.models import Topic

    other = make_user()
    original = services.preferences_for

    def meanwhile(ids):
        Notification.objects.create(user=member, topic=Topic.EVENTS, text="de andere run", key="event:9")
        return original(ids)

    monkeypatch.setattr(services, "preferences_for", meanwhile)
    told = services.users_notify(
        topic=Topic.EVENTS, user_ids=[member.pk, other.pk], texts={"nl": "nieuw"}, key="event:9"
    )
    assert told == 1 and texts(member) == ["de andere run"] and texts(other) == ["nieuw"]
