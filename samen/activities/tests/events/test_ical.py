"""iCalendar feeds, read back with icalendar and with the independent vobject parser; schema.org data."""

import datetime
import json
import re

import icalendar
import pytest
import vobject

from samen.activities.models import Activity
from samen.activities.tests.events.fixtures import in_days

FEEDS = [
    "/events.ics",
    "/en/campaigns/{campaign}/events.ics",
    "/en/activities/{activity}/events.ics",
    "/en/partners/{org}/events.ics",
]


@pytest.fixture
def world(campaign, make_event, org, other_org, make_domain):
    activity = Activity.objects.create(slug="wvdv-yoga", title="Yoga", summary="Samen bewegen", lead_organisation=org)
    activity.action_domains.set([make_domain()])
    yoga = make_event(
        title='Groepsyoga; met "matjes", thee', campaign=campaign, campaign_status="accepted", activity=activity
    )
    make_event(title="Voorgesteld", campaign=campaign, campaign_status="proposed", organisation=other_org)
    make_event(title="Verborgen", is_published=False)
    make_event(title="Voorbij", starts_at=in_days(-3, 10), ends_at=in_days(-3, 12))
    return {"campaign": campaign.slug, "activity": activity.slug, "org": org.slug, "yoga": yoga}


def summaries_icalendar(content: bytes) -> list[str]:
    return [str(c["summary"]) for c in icalendar.Calendar.from_ical(content).walk("VEVENT")]


def test_every_feed_parses_with_both_libraries_and_has_the_required_properties(client, world):
    yoga = world["yoga"]
    for url in FEEDS:
        response = client.get(url.format(**world))
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        parsed = vobject.readOne(response.content.decode())
        events = [c for c in parsed.getChildren() if c.name == "VEVENT"]
        assert 'Groepsyoga; met "matjes", thee' in [e.summary.value for e in events], url
        for item in events:
            for prop in ("uid", "dtstamp", "dtstart", "dtend", "summary", "location", "url"):
                assert hasattr(item, prop), f"{url}: {prop} missing"
        item = next(e for e in events if e.summary.value.startswith("Groepsyoga"))
        assert item.dtstart.value == yoga.starts_at.astimezone(datetime.UTC)
        assert item.dtend.value == yoga.ends_at.astimezone(datetime.UTC)
        # The unprefixed /events.ics links in the site's default language (Dutch), the others in their own.
        assert re.fullmatch(rf"http://testserver/(en|nl)/events/{yoga.slug}/", item.url.value)
        assert "Japanse tuin" in item.location.value
        assert item.uid.value == f"event-{yoga.pk}@testserver"
        assert 'Groepsyoga; met "matjes", thee' in summaries_icalendar(response.content)


def test_the_feeds_hold_only_what_they_promise(client, world):
    everything = summaries_icalendar(client.get("/events.ics").content)
    assert "Voorgesteld" in everything
    assert "Verborgen" not in everything and "Voorbij" not in everything
    campaign = summaries_icalendar(client.get(f"/en/campaigns/{world['campaign']}/events.ics").content)
    assert campaign == ['Groepsyoga; met "matjes", thee']
    activity = summaries_icalendar(client.get(f"/en/activities/{world['activity']}/events.ics").content)
    assert activity == ['Groepsyoga; met "matjes", thee']


def test_one_event_has_its_own_ics_file(client, world):
    yoga = world["yoga"]
    response = client.get(f"/en/events/{yoga.slug}/event.ics")
    assert f'filename="{yoga.slug}.ics"' in response["Content-Disposition"]
    parsed = vobject.readOne(response.content.decode())
    assert parsed.vevent.summary.value.startswith("Groepsyoga")
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"VERSION:2.0\r\n" in response.content and b"PRODID:" in response.content


def test_the_event_page_carries_schema_org_event_data(client, world):
    yoga = world["yoga"]
    body = client.get(f"/en/events/{yoga.slug}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "Event" and data["name"] == yoga.title
    assert data["location"]["name"] == "Japanse tuin"
    assert data["isAccessibleForFree"] is True and data["offers"]["price"] == "0.00"
    assert datetime.datetime.fromisoformat(data["startDate"]) == yoga.starts_at


def test_the_json_ld_cannot_close_its_script_element(client, make_event):
    sly = make_event(title="</script><script>alert(1)</script>")
    body = client.get(f"/en/events/{sly.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_a_feed_is_served_from_the_cache_until_one_of_its_events_changes(client, world, django_assert_num_queries):
    first = client.get("/events.ics").content
    with django_assert_num_queries(1):  # the state of the feed; the calendar itself comes from the cache
        assert client.get("/events.ics").content == first
    yoga = world["yoga"]
    yoga.title = "Groepsyoga (nieuw uur)"
    yoga.save()
    assert "Groepsyoga (nieuw uur)" in summaries_icalendar(client.get("/events.ics").content)


def test_a_feed_holds_the_coming_year_only(client, make_event):
    make_event(title="Volgend jaar", starts_at=in_days(400, 10), ends_at=in_days(400, 12))
    make_event(title="Deze maand", starts_at=in_days(20, 10), ends_at=in_days(20, 12))
    assert summaries_icalendar(client.get("/events.ics").content) == ["Deze maand"]
