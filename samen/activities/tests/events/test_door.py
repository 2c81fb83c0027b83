"""At the door: check-in by code or QR link, walk-ins, and the attendance they add up to."""

import datetime

import pytest
from django.utils import timezone

from samen.activities.events import services
from samen.activities.events.models import Registration
from samen.activities.models import Activity
from samen.activities.tests.events.fixtures import register


@pytest.fixture(autouse=True)
def door_open_early(settings):
    """The events of these tests start in three days; the window itself is tested below."""
    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 7


def test_check_in_opens_on_the_day_of_the_event_not_before(client, editor, event, settings):
    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 0
    person = register(event, "a@example.org")
    client.force_login(editor)
    body = client.post(
        f"/en/events/{event.slug}/check-in/", {"form": "code", "door-code": person.code}, follow=True
    ).content.decode()
    assert "Check-in opens on" in body
    person.refresh_from_db()
    assert person.checked_in_at is None
    with pytest.raises(Exception, match="Check-in opens on"):
        services.walk_ins_add(event=event, count=2, residents=0, actor=editor)

    # On the day (from local midnight) the door is open.
    day = timezone.localtime(event.starts_at).date()
    assert services.check_in_opens(event) == timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    event.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save()
    services.registration_check_in(event=event, code=person.code, actor=editor)
    person.refresh_from_db()
    assert person.checked_in_at is not None


def test_the_window_is_a_setting(event, settings):
    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 3
    day = timezone.localtime(event.starts_at).date() - datetime.timedelta(days=3)
    assert services.check_in_opens(event).date() == day


def test_the_organiser_checks_someone_in_with_the_code_in_any_case(client, editor, event):
    person = register(event, "a@example.org", resident=True)
    client.force_login(editor)
    response = client.post(
        f"/en/events/{event.slug}/check-in/", {"form": "code", "door-code": f"  {person.code.lower()} "}, follow=True
    )
    assert "Welcome, A: checked in." in response.content.decode()
    person.refresh_from_db()
    assert person.checked_in_at is not None
    attendance = response.context["attendance"]
    assert (attendance.total, attendance.residents, attendance.checked_in) == (1, 1, 1)


def test_checking_in_twice_an_unknown_code_or_the_waiting_list_gets_a_message(client, editor, event):
    first = register(event, "a@example.org")
    register(event, "b@example.org")
    waiting = register(event, "c@example.org")
    client.force_login(editor)
    url = f"/en/events/{event.slug}/check-in/"
    client.post(url, {"form": "code", "door-code": first.code})
    body = client.post(url, {"form": "code", "door-code": first.code}, follow=True).content.decode()
    assert "A was already checked in at" in body
    body = client.post(url, {"form": "code", "door-code": "ZZZZZZ"}, follow=True).content.decode()
    assert "No registration with code ZZZZZZ for this event." in body
    body = client.post(url, {"form": "code", "door-code": waiting.code}, follow=True).content.decode()
    assert "C is on the waiting list, not registered." in body
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_the_qr_link_shows_the_person_and_checks_in_with_one_tap(client, editor, event):
    person = register(event, "a@example.org")
    client.force_login(editor)
    url = f"/en/events/{event.slug}/check-in/{person.code}/"
    body = client.get(url).content.decode()
    assert "Check in A" in body
    person.refresh_from_db()
    assert person.checked_in_at is None  # opening the link alone changes nothing
    client.post(url)
    person.refresh_from_db()
    assert person.checked_in_at is not None


def test_a_pasted_check_in_link_works_as_a_code(client, editor, event):
    person = register(event, "a@example.org")
    client.force_login(editor)
    link = f"http://testserver/en/events/{event.slug}/check-in/{person.code}/"
    client.post(f"/en/events/{event.slug}/check-in/", {"form": "code", "door-code": link})
    person.refresh_from_db()
    assert person.checked_in_at is not None


def test_the_qr_link_asks_an_outsider_to_sign_in_and_refuses_another_organisation(client, event, make_user):
    person = register(event, "a@example.org")
    url = f"/en/events/{event.slug}/check-in/{person.code}/"
    assert "/login/" in client.get(url)["Location"]
    client.force_login(make_user())
    assert client.post(url).status_code == 403
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_walk_ins_are_counted_with_the_residents_among_them(client, editor, event):
    client.force_login(editor)
    url = f"/en/events/{event.slug}/check-in/"
    client.post(url, {"form": "walk-ins", "walk-count": "1", "walk-residents": "1"})
    client.post(url, {"form": "walk-ins", "walk-count": "1", "walk-residents": "0"})
    client.post(url, {"form": "walk-ins", "walk-count": "10", "walk-residents": "3"})
    event.refresh_from_db()
    assert (event.walk_ins, event.walk_in_residents) == (12, 4)
    shown = client.get(f"/en/events/{event.slug}/").context["shown"]  # the editor sees the real counts
    assert (shown.total, shown.residents) == (12, 4)


def test_walk_in_mistakes_are_refused_with_a_message(client, editor, event):
    client.force_login(editor)
    url = f"/en/events/{event.slug}/check-in/"
    response = client.post(url, {"form": "walk-ins", "walk-count": "2", "walk-residents": "3"})
    assert response.status_code == 400
    assert "The residents are part of the walk-ins: at most 2." in response.content.decode()
    response = client.post(url, {"form": "walk-ins", "walk-count": "-1", "walk-residents": "0"})
    assert "There cannot be fewer than zero walk-ins." in response.content.decode()
    event.refresh_from_db()
    assert event.walk_ins == 0


def test_the_activity_adds_up_the_attendance_of_its_events(client, event, make_event, org, make_domain):
    from samen.activities.events import services as events_services

    activity = Activity.objects.create(slug="wvdv-yoga", title="Yoga", summary="Samen bewegen", lead_organisation=org)
    activity.action_domains.set([make_domain()])
    other = make_event(activity=activity)
    event.activity = activity
    event.save()
    person = register(event, "a@example.org", resident=True)
    events_services.registration_check_in(event=event, code=person.code, actor=None)
    events_services.walk_ins_add(event=other, count=5, residents=2, actor=None)
    response = client.get(f"/en/activities/{activity.slug}/events/")
    from samen.activities.events.selectors import activity_attendance

    attendance = activity_attendance(activity)  # the sum; the page shows it protected
    assert (attendance.total, attendance.residents, attendance.registered) == (6, 3, 1)
    assert response.context["shown"].total == 6 and response.context["shown"].registered == "< 5"
    assert event.title in response.content.decode()
