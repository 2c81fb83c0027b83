"""Every role × activities page × action, each cell asserted on the server (pattern of the core matrix)."""

import pytest

from samen.activities.tests import factories as activities
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

NOT_FOUND = 404
EDITORS = {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK}
EDITORS_POST = {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": 302, "admin": 302}
BACKBONE_ONLY = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}
BACKBONE_ONLY_POST = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302}
SIGNED_IN = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
SIGNED_IN_POST = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 302)}
STAFF = {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK}

# page: (method, url, {role: expected}); "login" means a redirect to the sign-in page.
MATRIX = {
    "activity list": ("get", "/nl/activities/", dict.fromkeys(ROLES, OK)),
    "activity page": ("get", "/nl/activities/ours/", dict.fromkeys(ROLES, OK)),
    "unpublished activity of own organisation": (
        "get",
        "/nl/activities/our-draft/",
        {"visitor": NOT_FOUND, "member": NOT_FOUND, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "unpublished activity of another organisation": (
        "get",
        "/nl/activities/their-draft/",
        {"visitor": NOT_FOUND, "member": NOT_FOUND, "editor": NOT_FOUND, "coordinator": OK, "admin": OK},
    ),
    "who does what": ("get", "/nl/activities/who-does-what/", dict.fromkeys(ROLES, OK)),
    "activities for me": ("get", "/nl/activities/for-me/", SIGNED_IN),
    "no invitations, please": ("post", "/nl/activities/for-me/invitations/", SIGNED_IN_POST),
    "new activity": ("get", "/nl/activities/new/", EDITORS),
    "edit own organisation's activity": ("get", "/nl/activities/ours/edit/", EDITORS),
    "save own organisation's activity": ("post", "/nl/activities/ours/edit/", EDITORS_POST),
    "edit another organisation's activity": ("get", "/nl/activities/theirs/edit/", BACKBONE_ONLY),
    "save another organisation's activity": ("post", "/nl/activities/theirs/edit/", BACKBONE_ONLY_POST),
    "join a role": ("post", "/nl/activities/ours/roles/{role}/join/", SIGNED_IN_POST),
    "leave a role": ("post", "/nl/activities/ours/roles/{role}/leave/", SIGNED_IN_POST),
    "join a role (get)": (
        "get",
        "/nl/activities/ours/roles/{role}/join/",
        {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 405)},
    ),
    "people of own role": ("get", "/nl/activities/ours/roles/{role}/people/", EDITORS),
    "people of another organisation's role": ("get", "/nl/activities/theirs/roles/{their_role}/people/", BACKBONE_ONLY),
    "invite to own role": ("post", "/nl/activities/ours/roles/{role}/invite/", EDITORS_POST),
    "invite to another organisation's role": (
        "post",
        "/nl/activities/theirs/roles/{their_role}/invite/",
        BACKBONE_ONLY_POST,
    ),
    "admin activities": ("get", "/nl/admin/activities/activity/", STAFF),
    "admin activity": ("get", "/nl/admin/activities/activity/{ours}/change/", STAFF),
    "admin role sign-ups": ("get", "/nl/admin/activities/rolesignup/", STAFF),
    "admin invitations": ("get", "/nl/admin/activities/roleinvitation/", STAFF),
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@shared_data
def world():
    """The five roles, two organisations, their activities (published and drafts) and roles, made once."""
    from samen.measurement.tests import factories as measurement

    org, other_org = factories.make_our_org(), factories.make_other_org()
    people = {
        "visitor": None,
        "member": factories.make_member(),
        "editor": factories.make_editor(org),
        FORMER_EDITOR: factories.make_former_editor(org),
        "coordinator": factories.make_coordinator(),
        "admin": factories.make_admin(),
    }
    goal, areas = measurement.make_domain_with_goal(), measurement.make_areas()
    ours = activities.make_activity("Ours", lead=org, goal=goal, slug="ours", areas=[areas["runkst"]])
    theirs = activities.make_activity("Theirs", lead=other_org, goal=goal, slug="theirs")
    activities.make_activity("Our draft", lead=org, goal=goal, slug="our-draft", is_published=False)
    activities.make_activity("Their draft", lead=other_org, goal=goal, slug="their-draft", is_published=False)
    ids = {
        "ours": ours.pk,
        "role": activities.make_role(ours, places=10).pk,
        "their_role": activities.make_role(theirs, places=10).pk,
    }
    return {"people": people, "ids": ids, "org": org, "other_org": other_org, "domain": goal.domain}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix_activities(client, db, world, page_name, role):
    method, url, expected = MATRIX[page_name]
    url = url.format(**world["ids"])
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = None
    if method == "post":
        # A valid activity for the organisation in the url (the backbone may pick any).
        lead = world["other_org"] if "theirs" in url else world["org"]
        data = {
            "title": "Renamed",
            "summary": "A summary.",
            "lead_organisation": lead.pk,
            "action_domains": [world["domain"].pk],
            "status": "running",
            "is_published": "on",
            "wanted": "no",
            "member": "0",
            **{f"{p}-{k}": "0" for p in ("roles", "resources", "measures") for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        }
    response = getattr(client, method)(url, data)
    want = answer_of(expected, role)
    assert_answer(response, want, page_name, role)
    if want == 302 and "edit" in url:  # saved, not sent back to the form
        assert "/login/" not in response["Location"] and "/edit/" not in response["Location"]
