import datetime

from django.utils import timezone

from samen.communication.models import Channel, Frequency, Notification, Preference, Profile, Topic
from samen.communication.services import profile_update, users_notify


def _grid(**cells):
    from samen.communication.selectors import DEFAULTS

    grid = dict(DEFAULTS)
    grid.update(cells)
    return grid


def test_the_header_counts_unread_notifications_and_the_list_marks_them_read(client, member):
    users_notify(
        topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "Iets nieuws", "en": "Something new"}, url="/nl/news/"
    )
    client.force_login(member)
    page = client.get("/nl/notifications/").content.decode()
    assert "Iets nieuws" in page
    assert 'class="count"' in client.get("/nl/news/").content.decode()
    client.post("/nl/notifications/")
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()


def test_one_notification_is_marked_read_and_only_ones_own(client, member, make_user):
    other = make_user()
    users_notify(topic=Topic.NEWS, user_ids=[member.pk, other.pk], texts={"nl": "a"})
    users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "b"})
    mine = Notification.objects.filter(user=member).first()
    theirs = Notification.objects.get(user=other)
    client.force_login(member)
    client.post("/nl/notifications/", {"id": [mine.pk, theirs.pk]})
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 1


def test_a_notification_is_written_in_the_persons_language(member):
    Profile.objects.create(user=member, language="en")
    users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "Nieuws", "en": "News"})
    assert Notification.objects.get(user=member).text == "News"


def test_a_topic_that_is_off_everywhere_makes_no_notification(member):
    profile_update(
        user=member,
        language="nl",
        quiet_from=None,
        quiet_until=None,
        newsletter_consent=False,
        grid=_grid(**{}) | {(Topic.NEWS, Channel.SITE): Frequency.OFF, (Topic.NEWS, Channel.EMAIL): Frequency.OFF},
    )
    assert users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "x"}) == 0


def test_immediate_mail_goes_out_through_real_smtp(member, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        users_notify(
            topic=Topic.MEETINGS, user_ids=[member.pk], texts={"nl": "Je voorstel kreeg antwoord"}, url="/nl/x/"
        )
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == member.email and "Je voorstel kreeg antwoord" in message["Subject"]
    assert Notification.objects.get(user=member).emailed_at is not None


def test_quiet_time_holds_the_mail_until_it_is_over(member, smtp_inbox, django_capture_on_commit_callbacks):
    from unittest import mock

    from samen.communication import tasks

    now = timezone.localtime()
    profile_update(
        user=member,
        language="nl",
        quiet_from=(now - datetime.timedelta(hours=1)).time(),
        quiet_until=(now + datetime.timedelta(hours=1)).time(),
        newsletter_consent=False,
        grid=_grid(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        users_notify(topic=Topic.MEETINGS, user_ids=[member.pk], texts={"nl": "Stil"})
    assert smtp_inbox.messages == []
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        tasks.notifications_after_quiet_time()
    assert len(smtp_inbox.messages) == 1


def test_the_preference_grid_is_saved_from_its_page_with_the_consent_date(client, member):
    client.force_login(member)
    page = client.get("/nl/notifications/preferences/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if "__" in name}
    data.update({"language": "en", "newsletter_consent": "on", f"{Topic.NEWS}__{Channel.EMAIL}": "weekly"})
    assert client.post("/nl/notifications/preferences/", data).status_code == 302
    assert Preference.objects.get(user=member, topic=Topic.NEWS, channel=Channel.EMAIL).frequency == "weekly"
    profile = Profile.objects.get(user=member)
    assert profile.newsletter_consent and profile.newsletter_consent_at is not None and profile.language == "en"
    assert "You agreed to the newsletter on" in client.get("/en/notifications/preferences/").content.decode()
    assert "You agreed to the newsletter on" in client.get("/en/profile/").content.decode()  # shown on the profile


def test_the_inbox_gathers_what_waits_for_a_coordinator(client, coordinator, make_sector):
    from samen.network.models import PartnerProposal

    PartnerProposal.objects.create(
        proposed_by=coordinator.member, name="Nieuwe partner", sector=make_sector(), reason="Goed"
    )
    client.force_login(coordinator)
    body = client.get("/nl/inbox/").content.decode()
    assert "/nl/partners/proposals/" in body


def test_the_inbox_of_a_member_without_work_says_so(client, member):
    client.force_login(member)
    assert client.get("/en/inbox/").context["waiting"] == []


def test_the_task_and_the_periodic_job_at_once_mail_a_notification_once(member, monkeypatch):
    """Review finding 6: the rows are claimed before the mail goes, so a second run at the same time skips them."""
    from samen.communication import mail, tasks

    users_notify(topic=Topic.MEETINGS, user_ids=[member.pk], texts={"nl": "Overleg"})  # queued, not run here
    mailed = []
    original = mail.mail_send

    def mail_send(*args, **kwargs):
        mailed.append(kwargs["to"])
        if len(mailed) == 1:
            tasks.notifications_after_quiet_time()  # the 10-minute job runs while the task is mailing
        return original(*args, **kwargs)

    monkeypatch.setattr(mail, "mail_send", mail_send)
    mail.notifications_email([member.pk])
    assert mailed == [member.email]


def test_the_periodic_job_looks_only_at_people_with_mail_set_to_immediately(member, make_user, monkeypatch):
    from samen.communication import tasks

    daily = make_user()
    users_notify(topic=Topic.NEWS, user_ids=[daily.pk], texts={"nl": "Nieuws"})  # news by mail: daily by default
    users_notify(topic=Topic.MEETINGS, user_ids=[member.pk], texts={"nl": "Overleg"})  # meetings: immediately
    Preference.objects.create(user=daily, topic=Topic.MEETINGS, channel=Channel.EMAIL, frequency="daily")
    users_notify(topic=Topic.MEETINGS, user_ids=[daily.pk], texts={"nl": "Overleg"})
    asked = []
    monkeypatch.setattr(tasks, "notifications_email", lambda user_ids: asked.extend(user_ids) or 0)
    tasks.notifications_after_quiet_time()
    assert asked == [member.pk]


def test_the_one_who_brought_someone_hears_it_once_not_at_every_change(
    member, editor, make_user, django_capture_on_commit_callbacks
):
    """Review finding 11: member_joined is sent when the person joins, not each time brought_by is set again."""
    from samen.network.services import member_brought_by_set

    newcomer = make_user()
    for brought_by in (member, member, editor):  # each change its own commit
        with django_capture_on_commit_callbacks(execute=True):
            member_brought_by_set(member=newcomer.member, brought_by=brought_by.member, actor=None)
    assert Notification.objects.filter(user=member, topic=Topic.NETWORK).count() == 1
    assert not Notification.objects.filter(user=editor, topic=Topic.NETWORK).exists()


def test_followers_are_told_through_a_service_named_noun_verb(member):
    """Services are named noun_verb (news_notify, follow_set); the old verb_noun name is gone."""
    from samen.communication import services
    from samen.communication.models import Follow, FollowKind

    Follow.objects.create(user=member, kind=FollowKind.DOMAIN, object_id=7)
    told = services.followers_notify(
        topic=Topic.NEWS, targets=[(FollowKind.DOMAIN, 7)], texts={"nl": "Nieuws"}, url="/nl/news/", key="news:1"
    )
    assert told == 1
    assert not hasattr(services, "notify_followers")
