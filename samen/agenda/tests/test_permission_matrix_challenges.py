"""Every role × page × action of challenges, proposals, moderation and stories, asserted on the server."""

import pytest

from samen.agenda.tests import factories as agenda
from samen.core.tests import factories
from samen.core.tests.matrix import DENIED, LOGIN, OK, ROLES, assert_answer
from samen.core.tests.shared import shared_data

GONE = 404
EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
SIGNED_IN_POST = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 302)}
BACKBONE = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}
BACKBONE_POST = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302}
ADMIN_SITE = {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK}

# page: (method, url, {role: expected}); "login" means a redirect to the sign-in page.
MATRIX = {
    "challenge list": ("get", "/nl/challenges/", EVERYONE),
    "challenge page": ("get", "/nl/challenges/niemand-alleen-thuis/", EVERYONE),
    "draft challenge page": (
        "get",
        "/nl/challenges/concept/",
        {"visitor": GONE, "member": GONE, "editor": GONE, "coordinator": OK, "admin": OK},
    ),
    "new challenge": ("get", "/nl/challenges/new/", BACKBONE),
    "edit a challenge": ("get", "/nl/challenges/niemand-alleen-thuis/edit/", BACKBONE),
    "save a challenge": ("post", "/nl/challenges/niemand-alleen-thuis/edit/", BACKBONE_POST),
    "choose indicators": ("get", "/nl/challenges/niemand-alleen-thuis/indicators/", BACKBONE),
    "save indicators": ("post", "/nl/challenges/niemand-alleen-thuis/indicators/", BACKBONE_POST),
    "proposal list": ("get", "/nl/proposals/", EVERYONE),
    "proposal page": ("get", "/nl/proposals/{proposal}/", EVERYONE),
    "hidden proposal page": (
        "get",
        "/nl/proposals/{hidden}/",
        {"visitor": GONE, "member": GONE, "editor": GONE, "coordinator": OK, "admin": OK},
    ),
    "propose": ("get", "/nl/proposals/new/", SIGNED_IN),
    "propose (post)": ("post", "/nl/proposals/new/", SIGNED_IN_POST),
    # The proposal belongs to the member; nobody else writes in their name, not even an admin.
    "edit the member's proposal": (
        "get",
        "/nl/proposals/{proposal}/edit/",
        {"visitor": LOGIN, "member": OK, "editor": DENIED, "coordinator": DENIED, "admin": DENIED},
    ),
    "save the member's proposal": (
        "post",
        "/nl/proposals/{proposal}/edit/",
        {"visitor": LOGIN, "member": 302, "editor": DENIED, "coordinator": DENIED, "admin": DENIED},
    ),
    "support": ("post", "/nl/proposals/{proposal}/support/", SIGNED_IN_POST),
    "comment": ("post", "/nl/proposals/{proposal}/comment/", SIGNED_IN_POST),
    "answer": ("post", "/nl/proposals/{proposal}/answer/", BACKBONE_POST),
    "report a proposal": ("get", "/nl/moderation/proposal/{proposal}/report/", SIGNED_IN),
    "report a comment (post)": ("post", "/nl/moderation/comment/{comment}/report/", SIGNED_IN_POST),
    "hide a comment": ("post", "/nl/moderation/comment/{comment}/hide/", BACKBONE_POST),
    "close reports": ("post", "/nl/moderation/proposal/{proposal}/dismiss/", BACKBONE_POST),
    "moderation": ("get", "/nl/proposals/moderation/", BACKBONE),
    "tell a story": ("get", "/nl/stories/new/", SIGNED_IN),
    "tell a story (post)": ("post", "/nl/stories/new/", SIGNED_IN_POST),
    "stories to publish": ("get", "/nl/stories/review/", BACKBONE),
    "publish a story": ("post", "/nl/stories/{story}/review/", BACKBONE_POST),
    "admin challenges": ("get", "/nl/admin/agenda/challenge/", ADMIN_SITE),
    "admin a challenge": ("get", "/nl/admin/agenda/challenge/{challenge}/change/", ADMIN_SITE),
    "admin proposals": ("get", "/nl/admin/agenda/proposal/", ADMIN_SITE),
    "admin stories": ("get", "/nl/admin/agenda/story/", ADMIN_SITE),
    "api challenges": ("get", "/api/v1/challenges", EVERYONE),
}
# Pages whose form needs other values than the common ones below.
DATA = {
    "save a challenge": {
        "title_nl": "Niemand alleen thuis",
        "title_en": "Nobody alone at home",
        "slug": "niemand-alleen-thuis",
        "summary_nl": "Kort.",
        "summary_en": "Short.",
        "story_nl": "Verhaal.",
        "story_en": "Story.",
        "status": "published",
        "order": 1,
        "focal_point": "center",
    }
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]


@shared_data
def world():
    """The five roles, a published and a draft challenge, proposals, a comment and a story, made once."""
    from samen.agenda.models import Comment, Story

    org = factories.make_our_org()
    member = factories.make_member()
    people = {
        "visitor": None,
        "member": member,
        "editor": factories.make_editor(org),
        "coordinator": factories.make_coordinator(),
        "admin": factories.make_admin(),
    }
    challenge = agenda.make_challenge()
    agenda.make_challenge("concept", status="draft")
    proposal = agenda.make_proposal(challenge, author=member)
    hidden = agenda.make_proposal(challenge, author=factories.make_user(), title="Hidden", is_hidden=True)
    comment = Comment.objects.create(proposal=proposal, author=factories.make_user(), body="Hm")
    story = Story.objects.create(
        challenge=challenge, title="T", body="B", language="nl", privacy="anonymised", author=member
    )
    ids = {
        "proposal": proposal.pk,
        "hidden": hidden.pk,
        "comment": comment.pk,
        "story": story.pk,
        "challenge": challenge.pk,
    }
    return {"people": people, "ids": ids, "challenge": challenge}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, db, world, page_name, role):
    method, url, expected = MATRIX[page_name]
    url = url.format(**world["ids"])
    challenge = world["challenge"]
    user = world["people"][role]
    if user is not None:
        client.force_login(user)
    data = None
    if method == "post":
        # Valid for every form these pages take, so a refusal is about the role, not the data.
        data = {
            "kind": "idea",
            "challenge": challenge.pk,
            "title": "Titel",
            "body": "Tekst",
            "status": "accepted",
            "answer": "Omdat het past.",
            "reason": "Beledigend",
            "hidden": "1",
            "decision": "publish",
            "indicators": [],
            "privacy": "anonymised",
            "domain": challenge.domain_id,
            **DATA.get(page_name, {}),
        }
    response = getattr(client, method)(url, data)
    want = expected[role]
    assert_answer(response, want, page_name, role)
