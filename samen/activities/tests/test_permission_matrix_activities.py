"""Every role × activities page × action, each cell asserted on the server (pattern of the core matrix)."""

import pytest

from samen.core.tests.matrix import DENIED, LOGIN, OK, ROLES, assert_answer

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


@pytest.fixture
def people(member, editor, coordinator, admin_user):
    return {"visitor": None, "member": member, "editor": editor, "coordinator": coordinator, "admin": admin_user}


@pytest.fixture
def ids(make_activity, make_role, org, other_org, areas):
    ours = make_activity("Ours", slug="ours", areas=[areas["runkst"]])
    theirs = make_activity("Theirs", slug="theirs", lead=other_org)
    make_activity("Our draft", slug="our-draft", is_published=False)
    make_activity("Their draft", slug="their-draft", lead=other_org, is_published=False)
    return {
        "ours": ours.pk,
        "role": make_role(ours, places=10).pk,
        "their_role": make_role(theirs, places=10).pk,
    }


@pytest.mark.parametrize(("page", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix_activities(client, people, ids, org, other_org, domain_with_goal, page, role):
    method, url, expected = MATRIX[page]
    url = url.format(**ids)
    if people[role] is not None:
        client.force_login(people[role])
    data = None
    if method == "post":
        # A valid activity for the organisation in the url (the backbone may pick any).
        lead = other_org if "theirs" in url else org
        data = {
            "title": "Renamed",
            "summary": "A summary.",
            "lead_organisation": lead.pk,
            "action_domains": [domain_with_goal.domain.pk],
            "status": "running",
            "is_published": "on",
            "wanted": "no",
            "member": "0",
            **{f"{p}-{k}": "0" for p in ("roles", "resources", "measures") for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        }
    response = getattr(client, method)(url, data)
    want = expected[role]
    assert_answer(response, want, page, role)
    if want == 302 and "edit" in url:  # saved, not sent back to the form
        assert "/login/" not in response["Location"] and "/edit/" not in response["Location"]
