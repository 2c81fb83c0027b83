"""A partner editor's "actions for you": proposals for their events and confirmations waiting, in the inbox, the
menu and the digest, at a cost that does not grow with how much waits."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen.communication.digests import digests_build
from samen.communication.models import Channel, Preference, Topic

_numbers = itertools.count(1)


@pytest.fixture
def campaign(db):
    from samen.activities.events.models import Campaign

    today = timezone.localdate()
    return Campaign.objects.create(
        slug="week-van-de-veerkracht",
        title="Week van de Veerkracht",
        theme="Samen sterk",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
    )


def propose_events(org, campaign, count, *, status="proposed", days=10):
    """Events of the organisation proposed for the campaign (bulk: 1,000 rows cost a second, not a minute)."""
    from samen.activities.events.models import Event

    starts = timezone.now() + datetime.timedelta(days=days)
    Event.objects.bulk_create(
        [
            Event(
                slug=f"event-{next(_numbers)}",
                title="Buurtontbijt",
                organisation=org,
                campaign=campaign,
                campaign_status=status,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place_name="Buurthuis",
                address="Markt 1",
            )
            for _ in range(count)
        ]
    )


def people_to_confirm(org, count):
    """Members who say they work at the organisation, not confirmed yet."""
    from django.utils.crypto import get_random_string

    from samen.network.models import Member, Membership, User

    users = User.objects.bulk_create(
        [User(email=f"wacht{next(_numbers)}-{get_random_string(4)}@example.org") for _ in range(count)]
    )
    members = Member.objects.bulk_create([Member(user=u, joined_on=timezone.localdate()) for u in users])
    Membership.objects.bulk_create([Membership(member=m, organisation=org) for m in members])


@pytest.fixture
def editor(editor):
    """The editor's own role at the organisation is confirmed (else it waits on the organisation's page too)."""
    editor.member.memberships.update(is_confirmed=True)
    return editor


def counts(waiting):
    return {w.key: w.count for w in waiting}


def test_a_partner_editor_sees_proposals_for_their_events_and_confirmations_in_the_inbox_and_menu(
    client, editor, org, other_org, campaign
):
    propose_events(org, campaign, 2)
    propose_events(org, campaign, 1, status="accepted")  # answered: nothing waits
    propose_events(org, campaign, 1, days=-3)  # over: nothing to answer any more
    propose_events(other_org, campaign, 4)  # another organisation's
    people_to_confirm(org, 3)
    people_to_confirm(other_org, 5)
    people_to_confirm(org, 1)
    from samen.network.models import User

    User.objects.filter(member__memberships__organisation=org, member__memberships__is_confirmed=False).filter(
        pk=User.objects.order_by("-pk").values("pk")[:1]
    ).update(is_active=False)  # an account closed: not listed on the organisation's page, so not counted
    client.force_login(editor)
    page = client.get("/nl/inbox/")
    found = counts(page.context["waiting"])
    assert found["event_proposals"] == 2 and found["confirmations"] == 3
    body = page.content.decode()
    assert 'href="/nl/events/mine/"' in body  # the proposals lead to their events and the campaign column
    menu = re.search(r'href="/nl/inbox/"[^>]*>[^<]*<span class="count">(\d+)', body)
    assert menu and int(menu.group(1)) == sum(found.values())  # the count in the menu
    english = client.get("/en/inbox/").content.decode()
    assert "Your events proposed for a campaign, waiting for an answer" in english


def test_a_partner_editors_digest_has_both_in_actions_for_you(
    editor, org, campaign, django_capture_on_commit_callbacks
):
    propose_events(org, campaign, 2)
    people_to_confirm(org, 1)
    Preference.objects.create(user=editor, topic=Topic.WORK, channel=Channel.EMAIL, frequency="daily")
    [content] = [c for c in digests_build("daily", now=timezone.now()) if c.user == editor]
    actions = {a["url"]: a["count"] for a in content.context()["actions"]}
    assert actions[next(u for u in actions if "/events/mine/" in u)] == 2
    assert actions[next(u for u in actions if "/profile/" in u)] == 1


def test_the_inbox_and_the_digest_cost_the_same_queries_for_10_and_1000_waiting(
    client, editor, org, campaign, monkeypatch
):
    from samen.communication import digests

    monkeypatch.setattr(digests, "BATCH", 5000)  # the 1,000 people to confirm are members too: one batch of people
    Preference.objects.create(user=editor, topic=Topic.WORK, channel=Channel.EMAIL, frequency="daily")
    client.force_login(editor)

    def cost():
        with CaptureQueriesContext(connection) as page:
            waiting = counts(client.get("/nl/inbox/").context["waiting"])
        with CaptureQueriesContext(connection) as digest:
            assert [c for c in digests_build("daily", now=timezone.now()) if c.user == editor]
        return waiting, len(page), len(digest)

    propose_events(org, campaign, 10)
    people_to_confirm(org, 10)
    small, page_small, digest_small = cost()
    assert small["event_proposals"] == 10 and small["confirmations"] == 10
    propose_events(org, campaign, 990)
    people_to_confirm(org, 990)
    large, page_large, digest_large = cost()
    assert large["event_proposals"] == 1000 and large["confirmations"] == 1000
    assert (page_large, digest_large) == (page_small, digest_small)


def test_an_editor_taken_out_of_the_group_has_nothing_of_the_organisation_waiting(client, org, campaign):
    """The inbox counts by the one rule: an editor membership without the group `partner-editors` edits nothing."""
    from samen.core.tests.factories import make_former_editor

    propose_events(org, campaign, 2)
    people_to_confirm(org, 3)
    client.force_login(make_former_editor(org))
    found = counts(client.get("/nl/inbox/").context["waiting"])
    assert "event_proposals" not in found and "confirmations" not in found


def test_a_page_reads_the_persons_groups_once_for_its_permissions_and_the_menus_count(client, editor, org, campaign):
    """The menu's inbox count takes the groups the page's permission checks read, not a query of its own."""
    propose_events(org, campaign, 1)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/nl/inbox/").content.decode()
    assert re.search(r'href="/nl/inbox/"[^>]*>[^<]*<span class="count">1<', body)  # the editor's count is right
    group_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_group"."name"')]
    assert len(group_reads) == 1  # the group names, once
