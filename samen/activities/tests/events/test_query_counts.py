"""The campaign page, the calendar and the activity's events cost the same queries for 10 or 1,000 events."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.activities.events.models import Event, Registration
from samen.activities.models import Activity
from samen.activities.tests.events.fixtures import in_days

pytestmark = pytest.mark.slow


def add_events(count, *, organisations, campaign=None, activity=None, start=0):
    events = [
        Event(
            slug=f"bulk-{start + i}",
            title=f"Bulk {start + i}",
            organisation=organisations[i % len(organisations)],
            campaign=campaign,
            campaign_status="accepted" if campaign else "",
            activity=activity,
            starts_at=in_days(1 + i % 20, 9 + i % 8),
            ends_at=in_days(1 + i % 20, 9 + i % 8) + datetime.timedelta(hours=1),
            place_name="Zaal",
            address="Straat 1, Hasselt",
            capacity=10,
        )
        for i in range(count)
    ]
    created = Event.objects.bulk_create(events)
    Registration.objects.bulk_create(
        Registration(event=e, name="P", email=f"p{e.pk}@example.org", code=f"C{e.pk}", status="confirmed")
        for e in created
    )


def queries_and_response(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert context.captured_queries, "no queries captured: the count would prove nothing"
    return len(context.captured_queries), response


def queries(client, url):
    return queries_and_response(client, url)[0]


@pytest.fixture
def organisations(make_org):
    return [make_org() for _ in range(5)]


def test_the_campaign_page_costs_the_same_for_10_and_1000_events(client, campaign, organisations, member):
    client.force_login(member)
    add_events(10, organisations=organisations, campaign=campaign)
    few = queries(client, f"/en/campaigns/{campaign.slug}/")
    add_events(990, organisations=organisations, campaign=campaign, start=10)
    # One request of the 1,000 (each renders the whole programme, seconds): its count and its figures.
    many, response = queries_and_response(client, f"/en/campaigns/{campaign.slug}/")
    assert response.context["figures"].events == 1000
    assert many == few


def test_the_calendar_costs_the_same_for_10_and_1000_events(client, campaign, organisations):
    add_events(10, organisations=organisations, campaign=campaign)
    few = queries(client, "/en/events/")
    add_events(990, organisations=organisations, campaign=campaign, start=10)
    assert queries(client, "/en/events/") == few
    # The first request with a filter's value reads what that filter offers, kept per version of its table
    # (one filter at a time: the page below shares no part with them).
    client.get(f"/en/events/?campaign={campaign.slug}")
    client.get(f"/en/events/?organisation={organisations[0].slug}")
    assert queries(client, f"/en/events/?campaign={campaign.slug}&organisation={organisations[0].slug}&page=2") == few


def test_the_activity_events_and_the_feeds_cost_the_same_for_10_and_1000_events(client, organisations, make_domain):
    activity = Activity.objects.create(slug="wvdv-x", title="X", summary="X", lead_organisation=organisations[0])
    activity.action_domains.set([make_domain()])
    add_events(10, organisations=organisations, activity=activity)
    few_page = queries(client, f"/en/activities/{activity.slug}/events/")
    few_feed = queries(client, "/events.ics")
    add_events(990, organisations=organisations, activity=activity, start=10)
    assert queries(client, f"/en/activities/{activity.slug}/events/") == few_page
    assert queries(client, "/events.ics") == few_feed
