"""Every role × page × action of the growing network (invitations, proposals, growth, map), on the server."""

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

BACKBONE_ONLY = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}
SIGNED_IN = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}

MATRIX = {
    "growth summary": ("get", "/nl/network/growth/", dict.fromkeys(ROLES, OK)),
    "growth dashboard": ("get", "/nl/network/growth/backbone/", BACKBONE_ONLY),
    "network map": ("get", "/nl/network/map/", dict.fromkeys(ROLES, OK)),
    "network map data": ("get", "/nl/network/map/data.json", dict.fromkeys(ROLES, OK)),
    "api growth": ("get", "/api/v1/network/growth", dict.fromkeys(ROLES, OK)),
    "bring someone": ("get", "/nl/network/invite/", SIGNED_IN),
    "send an invitation": ("post", "/nl/network/invite/", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 302)}),
    # A signed-in person is sent on: the invitation is for someone new.
    "invitation landing": ("get", "/nl/join/{token}/", {"visitor": OK, **dict.fromkeys(ROLES[1:], 302)}),
    "invite staff of own organisation": (
        "get",
        "/nl/partners/wijkzorg-runkst/invite/",
        {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "send a staff invitation of own organisation": (
        "post",
        "/nl/partners/wijkzorg-runkst/invite/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": 302, "admin": 302},
    ),
    "invite staff of another organisation": (
        "get",
        "/nl/partners/apotheek-de-linde/invite/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK},
    ),
    "propose a partner": ("get", "/nl/partners/propose/", SIGNED_IN),
    "send a partner proposal": ("post", "/nl/partners/propose/", {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 302)}),
    "proposed partners": ("get", "/nl/partners/proposals/", BACKBONE_ONLY),
    "decide on a proposal": (
        "post",
        "/nl/partners/proposals/{proposal}/decide/",
        {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302},
    ),
    "admin invitations": (
        "get",
        "/nl/admin/network/joininvitation/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
    "admin partner proposals": (
        "get",
        "/nl/admin/network/partnerproposal/",
        {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK},
    ),
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@shared_data
def world():
    """The five roles, two organisations, a partner proposal and an invitation link, made once."""
    from samen.network import services
    from samen.network.models import PartnerProposal

    org = factories.make_our_org()
    factories.make_other_org()
    people = {
        "visitor": None,
        "member": factories.make_member(),
        "editor": factories.make_editor(org),
        FORMER_EDITOR: factories.make_former_editor(org),
        "coordinator": factories.make_coordinator(),
        "admin": factories.make_admin(),
    }
    proposer = factories.make_user().member
    proposal = PartnerProposal.objects.create(proposed_by=proposer, name="Voorstel", sector=org.sector, reason="r")
    token = services.invitation_token(services.invitation_link_get(inviter=proposer))
    return {"people": people, "ids": {"proposal": proposal.pk, "token": token, "sector": org.sector_id}}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, db, world, page_name, role):
    method, url, expected = MATRIX[page_name]
    ids = world["ids"]
    url = url.format(**ids)
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = None
    if method == "post":
        # Valid for every form of the table: an invitation, a proposal and a decision to accept.
        data = {
            "action": "email",
            "email": f"new-{role}@example.org",
            "message": "Welkom",
            "name": f"Nieuwe partner {role}",
            "sector": ids["sector"],
            "reason": "Goed idee",
            "decision": "accept",
        }
    response = getattr(client, method)(url, data)
    want = answer_of(expected, role)
    assert_answer(response, want, page_name, role)
