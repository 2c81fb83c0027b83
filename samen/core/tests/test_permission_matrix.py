"""Every role × page × action of DESIGN.md's table, each cell asserted on the server."""

import pytest

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

# page: (method, url, {role: expected}); "login" means a redirect to the sign-in page.
MATRIX = {
    "home": ("get", "/nl/", dict.fromkeys(ROLES, OK)),
    "agenda": ("get", "/nl/agenda/", dict.fromkeys(ROLES, OK)),
    "partner directory": ("get", "/nl/partners/", dict.fromkeys(ROLES, OK)),
    "partner page": ("get", "/nl/partners/wijkzorg-runkst/", dict.fromkeys(ROLES, OK)),
    "edit own organisation": (
        "get",
        "/nl/partners/wijkzorg-runkst/edit/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "save own organisation": (
        "post",
        "/nl/partners/wijkzorg-runkst/edit/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": 302, "admin": 302},
    ),
    "edit another organisation": (
        "get",
        "/nl/partners/apotheek-de-linde/edit/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK},
    ),
    "save another organisation": (
        "post",
        "/nl/partners/apotheek-de-linde/edit/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302},
    ),
    "profile": ("get", "/nl/profile/", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}),
    "download my data": ("get", "/nl/profile/my-data.json", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}),
    "delete my account": ("get", "/nl/profile/delete/", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}),
    "admin index": (
        "get",
        "/nl/admin/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin organisations": (
        "get",
        "/nl/admin/network/organisation/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin goals": (
        "get",
        "/nl/admin/agenda/goal/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin audit trail": (
        "get",
        "/nl/admin/core/auditentry/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin group permissions": (
        "get",
        "/nl/admin/auth/group/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": DENIED, "admin": OK},
    ),
    "confirm a role at own organisation": (
        "post",
        "/nl/partners/wijkzorg-runkst/people/{claim}/confirm/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": 302, "admin": 302},
    ),
    "confirm a role at another organisation": (
        "post",
        "/nl/partners/apotheek-de-linde/people/{other_claim}/confirm/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302},
    ),
    "admin people": (
        "get",
        "/nl/admin/network/user/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin a member's account": (
        "get",
        "/nl/admin/network/user/{member}/change/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    # A coordinator sees an admin's account read-only; saving it is refused.
    "admin the admin's account": (
        "get",
        "/nl/admin/network/user/{admin}/change/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "save the admin's account": (
        "post",
        "/nl/admin/network/user/{admin}/change/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": DENIED, "admin": OK},
    ),
    "api agenda": ("get", "/api/v1/agenda", dict.fromkeys(ROLES, 404)),
    "dashboard": ("get", "/nl/dashboard/", dict.fromkeys(ROLES, OK)),
    "indicator page": ("get", "/nl/indicators/eld-visit-weekly/", dict.fromkeys(ROLES, OK)),
    "indicator download": ("get", "/nl/indicators/eld-visit-weekly/data.csv", dict.fromkeys(ROLES, OK)),
    "import template": ("get", "/nl/indicators/eld-visit-weekly/template.csv", dict.fromkeys(ROLES, OK)),
    "our figures": (
        "get",
        "/nl/measurements/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "import values": (
        "get",
        "/nl/measurements/import/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "send values for approval": (
        "post",
        "/nl/measurements/submit/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": 302, "admin": 302},
    ),
    "approve values": (
        "get",
        "/nl/measurements/approve/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK},
    ),
    "approve values (post)": (
        "post",
        "/nl/measurements/approve/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302},
    ),
    "disclosure audit": (
        "get",
        "/nl/indicators/eld-visit-weekly/audit/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK},
    ),
    "story behind the curve": (
        "get",
        "/nl/indicators/eld-visit-weekly/story/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "api tokens": (
        "get",
        "/nl/api-tokens/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "admin measurements": (
        "get",
        "/nl/admin/measurement/measurement/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "open data package": ("get", "/open-data/datapackage.json", dict.fromkeys(ROLES, OK)),
    "api indicators": ("get", "/api/v1/indicators", dict.fromkeys(ROLES, OK)),
    "api organisations": ("get", "/api/v1/organisations", dict.fromkeys(ROLES, OK)),
    "api openapi": ("get", "/api/v1/openapi.json", dict.fromkeys(ROLES, OK)),
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@shared_data
def world():
    """The five roles, two organisations, two role claims and the measurement world, made once for the module."""
    from samen.measurement.tests import factories as measurement
    from samen.network.models import Membership

    org, other_org = factories.make_our_org(), factories.make_other_org()
    member, admin = factories.make_member(), factories.make_admin()
    people = {
        "visitor": None,
        "member": member,
        "editor": factories.make_editor(org),
        FORMER_EDITOR: factories.make_former_editor(org),
        "coordinator": factories.make_coordinator(),
        "admin": admin,
    }
    measurement.make_visits(
        steward=org,
        areas=measurement.make_areas(),
        sex=measurement.make_sex(),
        goal=measurement.make_domain_with_goal(),
    )
    claimant = factories.make_user()
    claim = Membership.objects.create(member=claimant.member, organisation=org)
    other_claim = Membership.objects.create(member=claimant.member, organisation=other_org)
    ids = {"claim": claim.pk, "other_claim": other_claim.pk, "member": member.pk, "admin": admin.pk}
    return {"people": people, "ids": ids, "org": org}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, db, world, page_name, role):
    method, url, expected = MATRIX[page_name]
    url = url.format(**world["ids"])
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = None
    if method == "post":
        # Valid for an editor and for the backbone (who also sees name, sector, role and date).
        data = {
            "decision": "approve",
            "measurement": [],
            "name": "Renamed",
            "sector": world["org"].sector_id,
            "role": "partner",
            "joined_on": "2020-01-01",
            "description_nl": "Nieuw",
            "description_en": "New",
        }
    response = getattr(client, method)(url, data)
    want = answer_of(expected, role)
    assert_answer(response, want, page_name, role)
