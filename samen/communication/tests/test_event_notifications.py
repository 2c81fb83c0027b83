"""Review finding 2: only published events are news, and a campaign's followers hear only of accepted events."""

import datetime

from django.utils import timezone

from samen.communication.models import Follow, Notification
from samen.communication.receivers import on_event_created


def make_event(org, **fields):
    from samen.activities.events.models import Event

    starts = timezone.now() + datetime.timedelta(days=3)
    return Event.objects.create(
        slug=fields.pop("slug", "buurtfeest"),
        title="Buurtfeest",
        organisation=org,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place_name="Zaal",
        address="Straat 1",
        **fields,
    )


def test_followers_of_the_organisation_hear_of_a_published_event(member, org):
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    on_event_created(sender=None, event_id=make_event(org).pk)
    assert Notification.objects.filter(user=member, text__contains="Buurtfeest").exists()


def test_an_unpublished_event_is_nobodys_news(member, org):
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    on_event_created(sender=None, event_id=make_event(org, is_published=False).pk)
    assert not Notification.objects.exists()


def test_an_event_only_proposed_for_a_campaign_is_not_announced_to_its_followers(member, org):
    from samen.activities.events.models import Campaign

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="week", title="Week", theme="-", starts_on=today, ends_on=today + datetime.timedelta(days=7)
    )
    Follow.objects.create(user=member, kind="campaign", object_id=campaign.pk)
    on_event_created(sender=None, event_id=make_event(org, campaign=campaign, campaign_status="proposed").pk)
    assert not Notification.objects.exists()
    on_event_created(
        sender=None, event_id=make_event(org, slug="ander", campaign=campaign, campaign_status="accepted").pk
    )
    assert Notification.objects.filter(user=member).count() == 1


def test_an_event_published_later_is_announced_then_and_an_accepted_one_to_the_campaign(
    member, org, coordinator, django_capture_on_commit_callbacks
):
    """Finding 2, the rest: a draft made public, or a proposal accepted later, is news at that moment."""
    from samen.activities.events.models import Campaign
    from samen.activities.events.services import campaign_event_decide, event_save

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug="week", title="Week", theme="-", starts_on=today, ends_on=today + datetime.timedelta(days=7)
    )
    Follow.objects.create(user=member, kind="organisation", object_id=org.pk)
    Follow.objects.create(user=member, kind="campaign", object_id=campaign.pk)
    event = make_event(org, is_published=False, campaign=campaign, campaign_status="proposed")
    event.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event, actor=None, check_dates=False)
    assert Notification.objects.filter(user=member, text__contains="Buurtfeest").count() == 1  # not the campaign
    with django_capture_on_commit_callbacks(execute=True):
        campaign_event_decide(event=event, actor=coordinator, accept=True)
    # They heard of it through the organisation already: the campaign does not tell them a second time.
    assert Notification.objects.filter(user=member, text__contains="Buurtfeest").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event, actor=None, check_dates=False)  # an edit of a public event is not news again
    assert Notification.objects.filter(user=member, text__contains="Buurtfeest").count() == 1
