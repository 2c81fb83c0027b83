"""Campaigns and events: every role × page × action, each cell asserted on the server."""

import pytest

from samen.activities.tests import factories as events
from samen.activities.tests.events.fixtures import in_days
from samen.core.tests import factories
from samen.core.tests.matrix import (
    DENIED,
    FORMER_EDITOR,
    LOGIN,
    OK,
    ROLES,
    answer_of,
    assert_answer,
    former_editor_pages,
)
from samen.core.tests.shared import shared_data

MISSING = 404
ALL_OK = dict.fromkeys(ROLES, OK)
EDITORS = {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK}
BACKBONE = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}


def saved(ok_roles):
    return {role: (302 if role in ok_roles else DENIED) for role in ROLES} | {"visitor": LOGIN}


# page: (method, url, {role: expected}); "login" means a redirect to the sign-in page.
MATRIX = {
    "events calendar": ("get", "/nl/events/", ALL_OK),
    "event page": ("get", "/nl/events/own-event/", ALL_OK),
    "event ics": ("get", "/nl/events/own-event/event.ics", ALL_OK),
    "all events ics": ("get", "/events.ics", ALL_OK),
    "campaigns": ("get", "/nl/campaigns/", ALL_OK),
    "campaign page": ("get", "/nl/campaigns/week-van-de-veerkracht/", ALL_OK),
    "campaign ics": ("get", "/nl/campaigns/week-van-de-veerkracht/events.ics", ALL_OK),
    "organisation ics": ("get", "/nl/partners/wijkzorg-runkst/events.ics", ALL_OK),
    "unpublished event": (
        "get",
        "/nl/events/hidden-event/",
        {"visitor": MISSING, "member": MISSING, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "unpublished campaign": (
        "get",
        "/nl/campaigns/hidden-campaign/",
        {"visitor": MISSING, "member": MISSING, "editor": MISSING, "coordinator": OK, "admin": OK},
    ),
    "register": ("post", "/nl/events/own-event/register/", dict.fromkeys(ROLES, 302)),
    "my registrations": ("get", "/nl/events/my-registrations/", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}),
    "new event": ("get", "/nl/events/new/", EDITORS),
    "our events": ("get", "/nl/events/mine/", EDITORS),
    "edit own organisation's event": ("get", "/nl/events/own-event/edit/", EDITORS),
    "save own organisation's event": ("post", "/nl/events/own-event/edit/", saved({"editor", "coordinator", "admin"})),
    "edit another organisation's event": ("get", "/nl/events/other-event/edit/", BACKBONE),
    "save another organisation's event": ("post", "/nl/events/other-event/edit/", saved({"coordinator", "admin"})),
    "check-in own event": ("get", "/nl/events/own-event/check-in/", EDITORS),
    "check-in another organisation's event": ("get", "/nl/events/other-event/check-in/", BACKBONE),
    "check in by qr link": ("post", "/nl/events/own-event/check-in/{code}/", saved({"editor", "coordinator", "admin"})),
    "check in by qr link elsewhere": (
        "post",
        "/nl/events/other-event/check-in/{other_code}/",
        saved({"coordinator", "admin"}),
    ),
    "new campaign": ("get", "/nl/campaigns/new/", BACKBONE),
    "edit campaign": ("get", "/nl/campaigns/week-van-de-veerkracht/edit/", BACKBONE),
    "campaign proposals": ("get", "/nl/campaigns/week-van-de-veerkracht/proposals/", BACKBONE),
    "accept a proposal": ("post", "/nl/campaigns/week-van-de-veerkracht/proposals/", saved({"coordinator", "admin"})),
    "admin events": (
        "get",
        "/nl/admin/activities/event/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin registrations": (
        "get",
        "/nl/admin/activities/registration/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@shared_data
def world():
    """The five roles, two organisations, a campaign and its events, made once for the module."""
    from samen.activities.events.models import Campaign
    from samen.activities.tests.events.fixtures import register

    org, other_org = factories.make_our_org(), factories.make_other_org()
    people = {
        "visitor": None,
        "member": factories.make_member(),
        "editor": factories.make_editor(org),
        FORMER_EDITOR: factories.make_former_editor(org),
        "coordinator": factories.make_coordinator(),
        "admin": factories.make_admin(),
    }
    campaign = events.make_campaign()
    own = events.make_event(
        organisation=org, slug="own-event", campaign=campaign, campaign_status="proposed", capacity=100
    )
    other = events.make_event(organisation=other_org, slug="other-event")
    events.make_event(organisation=org, slug="hidden-event", is_published=False)
    Campaign.objects.create(
        slug="hidden-campaign",
        title="Hidden",
        theme="-",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        is_published=False,
    )
    ids = {
        "event": own,
        "code": register(own, "guest@example.org").code,
        "other_code": register(other, "guest@example.org").code,
    }
    return {"people": people, "ids": ids, "org": org, "other_org": other_org}


def post_data(page, ids, org, other_org):
    if page == "register":
        return {"name": "Vera", "email": "vera@example.org"}
    if page.startswith("save"):
        starts = in_days(4, 10)
        return {
            "title": "Renamed",
            "organisation": (org if "own" in page else other_org).pk,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": starts.replace(hour=12).strftime("%Y-%m-%dT%H:%M"),
            "place_name": "Zaal",
            "address": "Straat 1",
            "price": "0",
            "registration_open": "on",
            "is_published": "on",
        }
    if page == "accept a proposal":
        return {"event": ids["event"].pk, "decision": "accept"}
    return {}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, db, world, page_name, role):
    method, url, expected = MATRIX[page_name]
    ids = world["ids"]
    url = url.format(**ids)
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = post_data(page_name, ids, world["org"], world["other_org"]) if method == "post" else None
    response = getattr(client, method)(url, data)
    want = answer_of(expected, role)
    assert_answer(response, want, page_name, role)
