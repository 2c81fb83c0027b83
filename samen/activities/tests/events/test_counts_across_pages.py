"""A campaign page and an event page together must not reveal a count below the threshold: the
campaign's total and its events' counts are protected as one table (samen.core.disclosure)."""

import re

from samen.activities.events.models import Event
from samen.activities.tests.events.fixtures import in_days


def _past(make_event, campaign, walk_ins):
    return make_event(
        starts_at=in_days(-3, 10),
        ends_at=in_days(-3, 12),
        walk_ins=walk_ins,
        campaign=campaign,
        campaign_status=Event.CampaignStatus.ACCEPTED,
        is_published=True,
    )


def test_a_count_hidden_to_protect_a_small_one_is_hidden_on_its_own_page_too(client, campaign, make_event):
    campaign.is_published = True
    campaign.save()
    small, middle, big = (
        _past(make_event, campaign, 3),
        _past(make_event, campaign, 20),
        _past(make_event, campaign, 30),
    )
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert "53" in page  # the campaign's total stays
    shown = dict(re.findall(r'<a href="[^"]*/events/([^/]+)/">.*?<span>([^<]+) attended</span>', page, re.S))
    assert shown[small.slug] == "&lt; 5"
    assert shown[middle.slug] == "hidden"  # else 53 − 20 − 30 gives the 3 away
    assert shown[big.slug] == "30"
    # The event's own page must not give the 20 back.
    event_page = client.get(f"/en/events/{middle.slug}/").content.decode()
    assert "hidden" in event_page and ">20<" not in event_page
