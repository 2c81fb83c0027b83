"""Digest windows are stored: late runs, double runs and consecutive weeks neither skip nor repeat."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from samen.communication.digests import boundary, digests_build, digests_send
from samen.communication.models import Digest, Notification, Topic
from samen.communication.services import users_notify

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day, hour=12, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=BRUSSELS)


def news(user, text, when):
    users_notify(topic=Topic.NEWS, user_ids=[user.pk], texts={"nl": text})
    Notification.objects.filter(user=user, text=text).update(created_at=when)


@pytest.fixture
def weekly_member(member):
    from samen.communication.models import Channel, Preference

    Preference.objects.create(user=member, topic=Topic.NEWS, channel=Channel.EMAIL, frequency="weekly")
    return member


def test_the_daily_boundary_is_six_in_the_morning_in_brussels():
    assert boundary("daily", at(10, 5, 59)) == at(9, 6).astimezone(datetime.UTC)
    assert boundary("daily", at(10, 6, 0)) == at(10, 6).astimezone(datetime.UTC)
    # 2 March 2026 is a Monday
    assert boundary("weekly", at(5, 9)) == at(2, 6).astimezone(datetime.UTC)


def test_a_daily_digest_holds_the_news_of_the_day_before_and_is_sent_once(
    member, smtp_inbox, django_capture_on_commit_callbacks
):
    news(member, "Gisteren gebeurd", at(9, 14))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send("daily", now=at(10, 6, 5)) == 1
        assert digests_send("daily", now=at(10, 6, 20)) == 0  # a double run
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    from conftest import message_text

    assert "Gisteren gebeurd" in message_text(message)
    link = "".join(message["List-Unsubscribe"].split())  # long headers are folded on the wire
    assert link.startswith("<http://testserver/unsubscribe/") and link.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_empty_digest_is_not_sent(member, smtp_inbox):
    assert digests_send("daily", now=at(10, 7)) == 0
    assert not Digest.objects.exists()


def test_a_late_run_leaves_no_gap_and_a_double_run_no_duplicate(member):
    news(member, "maandag", at(9, 10))
    digests_send("daily", now=at(10, 6, 1))  # covers 9 March 06:00 → 10 March 06:00
    news(member, "dinsdag laat", at(10, 23))
    news(member, "woensdag vroeg", at(11, 5))
    news(member, "woensdag middag", at(11, 13))
    # The job did not run on 11 March; it runs late on 12 March at 15:00.
    assert digests_send("daily", now=at(12, 15)) == 1
    digest = Digest.objects.filter(user=member).order_by("window_end").last()
    assert digest.window_start == at(10, 6).astimezone(datetime.UTC)
    assert digest.window_end == at(12, 6).astimezone(datetime.UTC)
    assert digest.items == 3
    assert digests_send("daily", now=at(12, 15, 30)) == 0


def test_two_jobs_in_the_same_window_send_one_digest(member):
    news(member, "een", at(9, 10))
    built = list(digests_build("daily", now=at(10, 7)))
    assert len(built) == 1
    assert digests_send("daily", now=at(10, 7)) == 1
    from samen.communication.models import DigestRun

    DigestRun.objects.all().delete()  # as if a second scheduler had not seen the first one finish
    assert digests_send("daily", now=at(10, 7, 1)) == 0
    assert Digest.objects.count() == 1


def test_the_second_and_third_weekly_digest_follow_each_other_without_gap_or_overlap(weekly_member):
    member = weekly_member
    news(member, "week 1", at(3, 10))
    assert digests_send("weekly", now=at(9, 6, 30)) == 1  # Monday 9 March
    news(member, "net voor de grens", at(16, 5, 59))
    news(member, "net na de grens", at(16, 6, 0))
    assert digests_send("weekly", now=at(16, 8)) == 1  # second weekly digest
    assert digests_send("weekly", now=at(17, 8)) == 0  # Tuesday: nothing due
    news(member, "week 3", at(20, 10))
    assert digests_send("weekly", now=at(23, 6, 1)) == 1  # third
    windows = list(Digest.objects.filter(user=member, kind="weekly").order_by("window_end"))
    assert [d.items for d in windows] == [1, 1, 2]
    for before, after in zip(windows, windows[1:], strict=False):
        assert before.window_end == after.window_start
    # The daily digest does not carry what the person wants weekly.
    assert digests_send("daily", now=at(23, 7)) == 0


def test_a_digest_groups_by_what_one_follows_and_has_actions_and_progress(coordinator, make_domain, make_sector):
    from samen.network.models import PartnerProposal

    domain = make_domain(name_nl="Zorg dichtbij")
    users_notify(topic=Topic.NEWS, user_ids=[coordinator.pk], texts={"nl": "oud"}, via={coordinator.pk: str(domain)})
    users_notify(topic=Topic.NEWS, user_ids=[coordinator.pk], texts={"nl": "nieuw"}, via={coordinator.pk: str(domain)})
    Notification.objects.filter(text="oud").update(created_at=at(9, 8))
    Notification.objects.filter(text="nieuw").update(created_at=at(9, 20))
    PartnerProposal.objects.create(proposed_by=coordinator.member, name="P", sector=make_sector(), reason="r")
    [content] = list(digests_build("daily", now=at(10, 7)))
    context = content.context()
    assert context["groups"][0]["label"] == "Zorg dichtbij"
    assert [i["text"] for i in context["groups"][0]["items"]] == ["nieuw", "oud"]  # newest first
    assert any(a["count"] == 1 and "partners/proposals" in a["url"] for a in context["actions"])


def test_building_digests_costs_the_same_queries_for_10_and_1000_notifications(member, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [member] + [make_user() for _ in range(3)]

    def grow(n):
        Notification.objects.bulk_create(
            [
                Notification(user=p, topic=Topic.NEWS, text=f"n{i}", created_at=at(9, 12))
                for p in people
                for i in range(n)
            ]
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert len(list(digests_build("daily", now=at(10, 7)))) == len(people)
        return len(ctx)

    grow(10)
    small = count()
    grow(990)
    assert count() == small


def test_send_digests_dry_run_counts_and_sends_nothing(member, capsys):
    from unittest import mock

    news(member, "iets", at(9, 12))
    with mock.patch("django.utils.timezone.now", return_value=at(10, 7)):
        call_command("send-digests", "--dry-run")
    assert "daily: would send 1 digests" in capsys.readouterr().out
    assert not Digest.objects.exists()


def test_after_a_missed_run_the_first_digest_starts_where_the_last_run_stopped(member):
    """Review finding 8: someone without a digest yet loses nothing when a run is missed."""
    assert digests_send("daily", now=at(2, 7)) == 0  # Monday: empty, the run stops at Monday 06:00
    news(member, "Maandag gebeurd", at(2, 10))
    # Tuesday's run is missed; Wednesday's covers Monday 06:00 to Wednesday 06:00
    built = list(digests_build("daily", now=at(4, 7)))
    assert [n.text for c in built for _, rows in c.groups for n in rows] == ["Maandag gebeurd"]


def test_what_was_mailed_immediately_is_not_in_the_digest_again(member):
    news(member, "Al gemaild", at(9, 14))
    news(member, "Nog niet gemaild", at(9, 15))
    Notification.objects.filter(text="Al gemaild").update(emailed_at=at(9, 14))
    built = list(digests_build("daily", now=at(10, 7)))
    assert [n.text for c in built for _, rows in c.groups for n in rows] == ["Nog niet gemaild"]


def test_an_english_readers_digest_has_english_actions_and_links(coordinator, make_sector):
    """Review finding 7: labels and links are made in the reader's language, not the job's."""
    from django.utils import translation

    from samen.communication.models import Profile
    from samen.network.models import PartnerProposal

    Profile.objects.update_or_create(user=coordinator, defaults={"language": "en"})
    users_notify(topic=Topic.NEWS, user_ids=[coordinator.pk], texts={"nl": "nieuws"}, url="/nl/news/iets/")
    Notification.objects.filter(text="nieuws").update(created_at=at(9, 20))
    PartnerProposal.objects.create(proposed_by=coordinator.member, name="P", sector=make_sector(), reason="r")
    with translation.override("nl"):  # the periodic job runs in the site's default language
        [content] = list(digests_build("daily", now=at(10, 7)))
        context = content.context()
    action = next(a for a in context["actions"] if "partners/proposals" in a["url"])
    assert action["url"].startswith("/en/") and action["label"] == "Proposed partners to decide on"
    assert context["groups"][0]["items"][0]["url"] == "/en/news/iets/"


def test_the_digest_mail_has_its_own_html_with_actions_first_and_a_section_per_follow(
    coordinator, make_domain, make_sector, smtp_inbox, django_capture_on_commit_callbacks
):
    """Through the real SMTP server: the HTML part is the digest's own template, not the text in the base layout."""
    from conftest import message_text
    from samen.network.models import PartnerProposal

    domain = make_domain(name_nl="Zorg dichtbij")
    users_notify(
        topic=Topic.NEWS,
        user_ids=[coordinator.pk],
        texts={"nl": "Buurtcafé <open>"},
        url="/nl/news/buurtcafe/",
        via={coordinator.pk: str(domain)},
    )
    users_notify(topic=Topic.NEWS, user_ids=[coordinator.pk], texts={"nl": "Zonder volg"}, url="/nl/news/ander/")
    Notification.objects.update(created_at=at(9, 20))
    PartnerProposal.objects.create(proposed_by=coordinator.member, name="P", sector=make_sector(), reason="r")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send("daily", now=at(10, 7)) == 1
    [message] = smtp_inbox.messages
    html = next(
        part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/html"
    )
    actions = html.index(">Acties voor jou</h2>")
    # Actions first, then a section per follow (and one for what came without a follow), newest first.
    assert actions < html.index(">Zorg dichtbij</h2>") and actions < html.index(">Voor jou</h2>")
    assert '<a href="http://testserver/nl/partners/proposals/"' in html
    assert '<a href="http://testserver/nl/news/buurtcafe/" style="color: #084d3d;">Buurtcafé &lt;open&gt;</a>' in html
    assert 'href="http://testserver/unsubscribe/' in html and "/notifications/preferences/" in html
    assert "<open>" not in html  # the text is escaped in the HTML
    assert "Buurtcafé <open>" in message_text(message)  # and the plain text part is still there


def test_a_member_finds_the_events_coming_up_in_their_neighbourhood_once(
    member, org, domain_with_goal, smtp_inbox, django_capture_on_commit_callbacks
):
    """ "Actions for you" of a member: events coming up near them, each named in one digest only."""
    from conftest import message_text
    from samen.activities.tests import factories
    from samen.measurement.tests.factories import make_areas

    areas = make_areas()
    member.member.neighbourhood = areas["runkst"]
    member.member.save()
    near = factories.make_activity("Buurtwerk", lead=org, goal=domain_with_goal, areas=[areas["centrum"]])
    far = factories.make_activity("Elders", lead=org, goal=domain_with_goal, areas=[areas["terhilst"]])
    city = factories.make_activity("Heel de stad", lead=org, goal=domain_with_goal, areas=[areas["hasselt"]])

    def event(activity, title, day, hour=14):
        factories.make_event(
            organisation=org, activity=activity, title=title, starts_at=at(day, hour), ends_at=at(day, hour + 2)
        )

    event(near, "Buurtcafé Runkst", 11)
    event(near, "Wandeling Runkst", 12)
    event(far, "Feest Terhilst", 11)
    event(city, "Stadsdag", 11)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send("daily", now=at(10, 7)) == 1  # nothing else for them: the event alone is worth a digest
        assert digests_send("daily", now=at(11, 7)) == 1
    first, second = (message_text(m) for m in smtp_inbox.messages)
    assert "Binnenkort bij jou in de buurt" in first and "Buurtcafé Runkst, woensdag 11 maart, 14:00" in first
    assert "Wandeling" not in first and "Terhilst" not in first and "Stadsdag" not in first
    assert "Wandeling Runkst" in second and "Buurtcafé" not in second


@pytest.mark.django_db(transaction=True)
def test_the_servers_periodic_run_sends_the_due_digest_without_a_cron_line(smtp_inbox):
    """`make run` serves with the periodic jobs inline (core.periodic): the digest job is one of them and mails."""
    from samen.core import periodic
    from samen.core.tests.factories import make_member

    member = make_member()
    names = [job.name for job in periodic.jobs()]
    assert any(n.endswith("digests_send_due") for n in names)
    assert any(n.endswith("news_publish_scheduled") for n in names)
    end = boundary("daily", timezone.now())
    news(member, "Buurtcafé opent", end - datetime.timedelta(hours=3))
    periodic.run_due()
    assert Digest.objects.filter(user=member, kind="daily", window_end=end).exists()
    assert any(m["To"] == member.email for m in smtp_inbox.messages)
