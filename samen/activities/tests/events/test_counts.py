"""Public counts of people: below five they show as "< 5"; residents are hidden when they could be worked out.
Organisers of the event and the backbone see the real numbers."""

import pytest
from django.utils import timezone

from samen.activities.events.models import Campaign, Event, Registration
from samen.activities.events.selectors import Attendance, attendance_shown
from samen.activities.models import Activity
from samen.activities.tests.events.fixtures import in_days


@pytest.mark.parametrize(("value", "shown"), [(0, "< 5"), (1, "< 5"), (4, "< 5"), (5, 5), (120, 120)])
def test_small_counts_show_as_fewer_than_five(value, shown):
    counts = Attendance(registered=value, waiting=value, checked_in=value, walk_ins=0, residents=0)
    public = attendance_shown(counts, can_see=False)
    assert public.registered == public.waiting == public.total == shown
    assert attendance_shown(counts, can_see=True).registered == value


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(5, 10, True), (4, 10, False), (6, 10, False), (0, 12, False), (12, 12, False), (3, 4, False), (7, 20, True)],
)
def test_a_part_is_shown_only_if_neither_it_nor_the_rest_is_small(part, whole, shown):
    counts = Attendance(registered=whole, waiting=0, checked_in=whole, walk_ins=0, residents=part)
    assert (attendance_shown(counts, can_see=False).residents is not None) is shown
    assert attendance_shown(counts, can_see=True).residents == part


def test_the_places_left_do_not_give_a_few_registrations_away():
    """20 places, 3 registered: "17 of 20 left" beside "Registered: < 5" would tell the 3."""
    few = attendance_shown(Attendance(3, 0, 0, 0, 0), can_see=False, capacity=20)
    assert few.registered == "< 5" and few.places_left is None and few.places_hidden
    many = attendance_shown(Attendance(18, 0, 0, 0, 0), can_see=False, capacity=20)
    assert many.registered == 18 and many.places_left == 2  # few places left are no people
    assert attendance_shown(Attendance(3, 0, 0, 0, 0), can_see=True, capacity=20).places_left == 17


def _past_event_with(make_event, org, *, checked_in, residents, walk_ins=0, **fields):
    event = make_event(starts_at=in_days(-3, 10), ends_at=in_days(-3, 12), **fields)
    for number in range(checked_in):
        Registration.objects.create(
            event=event,
            name=f"Person {number}",
            email=f"p{number}@example.org",
            code=f"CODE{number:02}",
            status=Registration.Status.CONFIRMED,
            is_resident=number < residents,
            checked_in_at=timezone.now(),
        )
    Event.objects.filter(pk=event.pk).update(walk_ins=walk_ins)
    return event


def test_a_visitor_sees_fewer_than_five_the_organiser_the_real_count(client, make_event, org, editor):
    event = _past_event_with(make_event, org, checked_in=3, residents=1)
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "&lt; 5" in page
    assert "Of whom residents" not in page and "3 checked in" not in page
    client.force_login(editor)
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "3 checked in, 0 walk-ins" in page and "Of whom residents" in page


def test_residents_are_hidden_when_the_others_are_few(client, make_event, org):
    event = _past_event_with(make_event, org, checked_in=12, residents=9)  # 3 from elsewhere: 9 would tell them
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Of whom residents" not in page
    event = _past_event_with(make_event, org, checked_in=12, residents=6)
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Of whom residents" in page and "12 checked in, 0 walk-ins" not in page  # 0 walk-ins is small too


def test_the_rows_and_the_campaign_figures_hide_small_counts(client, make_event, org, campaign, coordinator):
    activity = Activity.objects.create(slug="yoga", title="Yoga", summary="Samen bewegen", lead_organisation=org)
    small = _past_event_with(make_event, org, checked_in=2, residents=0, activity=activity)
    Event.objects.filter(pk=small.pk).update(campaign=campaign, campaign_status="accepted")
    Campaign.objects.filter(pk=campaign.pk).update(starts_on=in_days(-10).date(), is_published=True)
    page = client.get(f"/en/activities/{activity.slug}/events/").content.decode()
    assert "&lt; 5 attended" in page and "2 attended" not in page
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert "2 attended" not in page and "&lt; 5" in page
    assert 'class="figure">2<' not in page
    client.force_login(coordinator)
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert "2 attended" in page and 'class="figure">2<' in page


def test_the_places_left_on_the_event_page_and_the_calendar_do_not_give_registrations_away(
    client, make_event, org, coordinator
):
    """The protection lives in the selectors: the places left, which no template tag ever touched,
    are protected with the registrations they subtract to."""
    event = make_event(starts_at=in_days(5, 10), ends_at=in_days(5, 12), capacity=20, is_published=True)
    for number in range(3):
        Registration.objects.create(
            event=event, name=f"P{number}", email=f"p{number}@example.org", code=f"PL{number:02}",
            status=Registration.Status.CONFIRMED,
        )  # fmt: skip
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "17 of 20 left" not in page and "There are places left" in page
    calendar = client.get("/en/events/").content.decode()
    assert "17 places left" not in calendar and "There are places left" in calendar
    client.force_login(coordinator)
    assert "17 of 20 left" in client.get(f"/en/events/{event.slug}/").content.decode()


def test_a_full_event_with_few_registered_says_full_never_places_left(client, make_event, org):
    """Capacity 4, 4 registered: "full" is a fact people need; "places left" would be false. The
    capacity (which is then the count) is not shown, nor in the page's schema.org data."""
    event = make_event(starts_at=in_days(5, 10), ends_at=in_days(5, 12), capacity=4, is_published=True)
    for number in range(4):
        Registration.objects.create(
            event=event, name=f"P{number}", email=f"f{number}@example.org", code=f"FU{number:02}",
            status=Registration.Status.CONFIRMED,
        )  # fmt: skip
    shown = attendance_shown(Attendance(4, 0, 0, 0, 0), can_see=False, capacity=4)
    assert shown.places_left == 0 and not shown.places_hidden and not shown.capacity_shown
    page = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "There are places left" not in page and "Full: waiting list" in page
    assert "0 of 4 left" not in page and "maximumAttendeeCapacity" not in page
    assert "places left" not in client.get("/en/events/").content.decode().lower()
