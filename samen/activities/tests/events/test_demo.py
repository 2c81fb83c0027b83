"""The events demo: the Week van de Veerkracht 2017 as the public record tells it, upcoming events, idempotent."""

import datetime

import pytest
from django.core.management import call_command

from samen.activities.events import selectors
from samen.activities.events.models import Campaign, Event, Registration
from samen.core.tests.demo_copy import load_demo

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_the_demo_has_the_week_van_de_veerkracht_and_runs_twice_without_change(client):
    load_demo()
    counts = (Campaign.objects.count(), Event.objects.count(), Registration.objects.count())
    call_command("demo")
    assert (Campaign.objects.count(), Event.objects.count(), Registration.objects.count()) == counts

    week = Campaign.objects.get(slug="week-van-de-veerkracht-2017")
    figures = selectors.campaign_figures(week)
    assert figures.partners == 5  # it bundled the activities of five partners
    yoga = selectors.event_for_page("wvdv-2017-groepsyoga")
    assert "Japanse Tuin" in yoga.place_name
    assert 55 <= selectors.attendance(yoga).total <= 60  # almost 60 participants
    public = selectors.event_for_page("wvdv-2017-publieksevent")
    attendance = selectors.attendance(public)
    assert 190 <= attendance.total <= 200 and 0 < attendance.residents < attendance.total
    programme = [e.slug for _day, events in selectors.by_day(selectors.campaign_events(week)) for e in events]
    assert programme[0] == "wvdv-2017-groepsyoga"  # it opened with the group yoga

    upcoming = selectors.upcoming_events()
    assert upcoming.count() >= 6
    assert len({e.organisation_id for e in upcoming}) >= 4
    assert max(e.starts_at for e in upcoming) - min(e.starts_at for e in upcoming) > datetime.timedelta(days=14)
    assert Registration.objects.filter(event__in=upcoming, status="waiting").exists()
    assert Event.objects.filter(campaign_status="proposed").exists()  # something for the coordinator to decide

    assert client.get(f"/nl/campaigns/{week.slug}/").status_code == 200
    assert client.get("/nl/events/").status_code == 200
