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


def _shown(page):
    """Each event's attendance as a list page shows it, by the event's slug."""
    return dict(re.findall(r'<a href="[^"]*/events/([^/]+)/">.*?<span>([^<]+) attended</span>', page, re.S))


def _made(make_event, walk_ins, **fields):
    return make_event(
        starts_at=in_days(-3, 10), ends_at=in_days(-3, 12), walk_ins=walk_ins, is_published=True, **fields
    )


def test_an_activity_total_and_its_event_pages_do_not_give_a_small_count_away(client, make_event, make_activity):
    activity = make_activity("Buurtwandelingen")
    small, middle, big = (_made(make_event, n, activity=activity) for n in (3, 20, 30))
    page = client.get(f"/en/activities/{activity.slug}/events/").content.decode()
    assert ">53<" in page  # the activity's total stays
    shown = _shown(page)
    assert shown[small.slug] == "&lt; 5"
    assert shown[middle.slug] == "hidden"  # else 53 − 20 − 30 gives the 3 away
    assert shown[big.slug] == "30"
    event_page = client.get(f"/en/events/{middle.slug}/").content.decode()
    assert "hidden" in event_page and ">20<" not in event_page


def test_an_activity_and_a_campaign_sharing_an_event_are_protected_as_one_table(
    client, make_event, make_activity, campaign
):
    """The activity shows 23 (3 + 20); the campaign shows the 20 beside a 30. Each page alone looks
    safe, but the campaign's 20 subtracted from the activity's 23 gives the 3 away."""
    campaign.is_published = True
    campaign.save()
    activity = make_activity("Buurtwandelingen")
    small = _made(make_event, 3, activity=activity)
    shared = _made(make_event, 20, activity=activity, campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    other = _made(make_event, 30, campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    on_activity = _shown(client.get(f"/en/activities/{activity.slug}/events/").content.decode())
    on_campaign = _shown(client.get(f"/en/campaigns/{campaign.slug}/").content.decode())
    assert on_activity[small.slug] == "&lt; 5"
    assert on_activity[shared.slug] == on_campaign[shared.slug] == "hidden"
    # With the 20 hidden, the campaign's 50 − 30 would give it back: the 30 is hidden too.
    assert on_campaign[other.slug] == "hidden"
    assert ">20<" not in client.get(f"/en/events/{shared.slug}/").content.decode()


def test_the_backbone_sees_every_count_on_the_activity_page(client, make_event, make_activity, coordinator):
    activity = make_activity("Buurtwandelingen")
    small, middle = (_made(make_event, n, activity=activity) for n in (3, 20))
    client.force_login(coordinator)
    shown = _shown(client.get(f"/en/activities/{activity.slug}/events/").content.decode())
    assert shown == {small.slug: "3", middle.slug: "20"}


def test_residents_of_an_event_cannot_be_worked_out_from_the_activity_page(client, make_event, make_activity):
    """A: 20 of whom 2 residents (hidden on its page), B: 30 of whom 15. The activity page must not
    show 17 residents beside B's 15."""
    activity = make_activity("Buurtwandelingen")
    a = _made(make_event, 20, activity=activity, walk_in_residents=2)
    b = _made(make_event, 30, activity=activity, walk_in_residents=15)
    assert "Of whom residents" not in client.get(f"/en/events/{a.slug}/").content.decode()
    assert "Of whom residents" in client.get(f"/en/events/{b.slug}/").content.decode()
    page = client.get(f"/en/activities/{activity.slug}/events/").content.decode()
    assert ">50<" in page and "Of whom residents" not in page and "walk-ins)" not in page


def test_a_chain_of_activities_and_campaigns_is_one_table_however_long(make_event, make_activity):
    """A1 – C1 – A2 – C2 – … : every page, wherever in the chain, protects the same cells."""
    from samen.activities.events.selectors import attendance_protection
    from samen.activities.tests import factories

    activities = [make_activity(f"Activiteit {i}") for i in range(6)]
    campaigns = [factories.make_campaign(slug=f"c{i}", is_published=True) for i in range(5)]
    accepted = {"campaign_status": Event.CampaignStatus.ACCEPTED}
    _made(make_event, 3, activity=activities[0])
    for i, campaign in enumerate(campaigns):
        _made(make_event, 20 + i, activity=activities[i], campaign=campaign, **accepted)
        _made(make_event, 30 + i, activity=activities[i + 1], campaign=campaign, **accepted)
    first = attendance_protection(activities=[activities[0].pk])
    last = attendance_protection(activities=[activities[-1].pk])
    assert first == last


def test_a_small_count_does_not_choose_the_singular_word(client, make_event, campaign):
    """One attendee reads "< 5 attendees", not "< 5 attendee" (which would say it is 1)."""
    campaign.is_published = True
    campaign.save()
    _made(make_event, 1, campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert re.search(r"&lt; 5</span> attendees<", page)
    assert "attendee<" not in page


def test_an_event_in_progress_is_protected_with_the_activity_total(client, make_event, make_activity):
    """Past events of 3 and 30 and one running now with 12: the activity's 45 − 30 − 12 gave the 3 away."""
    activity = make_activity("Buurtwandelingen")
    _made(make_event, 3, activity=activity)
    _made(make_event, 30, activity=activity)
    running = make_event(
        starts_at=in_days(0, 0), ends_at=in_days(1, 23), walk_ins=12, is_published=True, activity=activity
    )
    page = client.get(f"/en/activities/{activity.slug}/events/").content.decode()
    running_page = client.get(f"/en/events/{running.slug}/").content.decode()
    assert ">45<" in page
    # Either the 30 or the running event's 12 is hidden: no page gives both beside the total.
    assert "30 attended" not in page or ">12<" not in running_page
