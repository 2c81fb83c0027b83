"""News, newsletters, working groups, minutes and action items: every role × page × action, on the server."""

import pytest

from samen.core.tests.matrix import DENIED, LOGIN, OK, ROLES, assert_answer

MISSING = 404
ALL_OK = dict.fromkeys(ROLES, OK)
SIGNED_IN = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
WRITERS = {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK}
BACKBONE = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}
ADMIN_PAGE = {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK}


def saved(ok_roles, refused=DENIED):
    return {role: (302 if role in ok_roles else refused) for role in ROLES} | {"visitor": LOGIN}


MATRIX = {
    "news list": ("get", "/nl/news/", ALL_OK),
    "news item": ("get", "/nl/news/{news}/", ALL_OK),
    "news feed": ("get", "/news.atom", ALL_OK),
    "draft of own organisation": (
        "get",
        "/nl/news/{own_draft}/",
        {"visitor": MISSING, "member": MISSING, "editor": OK, "coordinator": OK, "admin": OK},
    ),
    "draft of another organisation": (
        "get",
        "/nl/news/{other_draft}/",
        {"visitor": MISSING, "member": MISSING, "editor": MISSING, "coordinator": OK, "admin": OK},
    ),
    "write news": ("get", "/nl/news/write/", WRITERS),
    "drafts": ("get", "/nl/news/drafts/", WRITERS),
    "edit own organisation's news": ("get", "/nl/news/{own_draft}/edit/", WRITERS),
    "edit another organisation's news": ("get", "/nl/news/{other_draft}/edit/", BACKBONE),
    "save another organisation's news": ("post", "/nl/news/{other_draft}/edit/", saved({"coordinator", "admin"})),
    "follow": ("post", "/nl/follow/", saved(set(ROLES[1:]))),
    "following": ("get", "/nl/following/", SIGNED_IN),
    "notifications": ("get", "/nl/notifications/", SIGNED_IN),
    "preferences": ("get", "/nl/notifications/preferences/", SIGNED_IN),
    "inbox": ("get", "/nl/inbox/", SIGNED_IN),
    "newsletters": ("get", "/nl/newsletters/", BACKBONE),
    "new newsletter": ("get", "/nl/newsletters/new/", BACKBONE),
    "newsletter": ("get", "/nl/newsletters/{newsletter}/", BACKBONE),
    "test a newsletter": ("post", "/nl/newsletters/{newsletter}/test/", saved({"coordinator", "admin"})),
    "send a newsletter": ("post", "/nl/newsletters/{newsletter}/send/", saved({"coordinator", "admin"})),
    "working groups": ("get", "/nl/working-groups/", ALL_OK),
    "working group": ("get", "/nl/working-groups/zorg-dichtbij/", ALL_OK),
    "meeting": ("get", "/nl/meetings/{meeting}/", ALL_OK),
    "register for a meeting": (
        "post",
        "/nl/meetings/{upcoming}/register/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": DENIED, "admin": DENIED},
    ),
    "action items": ("get", "/nl/action-items/", WRITERS),
    "close own organisation's action item": (
        "post",
        "/nl/action-items/{own_item}/done/",
        saved({"editor", "coordinator", "admin"}),
    ),
    "close another organisation's action item": (
        "post",
        "/nl/action-items/{other_item}/done/",
        saved({"coordinator", "admin"}),
    ),
    "admin meetings (minutes, decisions, action items)": ("get", "/nl/admin/communication/meeting/", ADMIN_PAGE),
    "admin working groups": ("get", "/nl/admin/communication/workinggroup/", ADMIN_PAGE),
}
CELLS = [(page, role) for page in MATRIX for role in ROLES]


@pytest.fixture
def people(member, editor, coordinator, admin_user):
    return {"visitor": None, "member": member, "editor": editor, "coordinator": coordinator, "admin": admin_user}


@pytest.fixture
def ids(coordinator, org, other_org, past_meeting, publish_news):
    import datetime

    from django.utils import timezone

    from samen.communication.models import ActionItem, Meeting, NewsItem, Newsletter

    news = publish_news(coordinator, title="Openbaar")
    own = NewsItem.objects.create(slug="own-draft", title_nl="Concept", organisation=org)
    other = NewsItem.objects.create(slug="other-draft", title_nl="Ander concept", organisation=other_org)
    upcoming = Meeting.objects.create(
        group=past_meeting.group, title="Straks", starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    return {
        "news": news.slug,
        "own_draft": own.slug,
        "other_draft": other.slug,
        "newsletter": Newsletter.objects.create(subject_nl="Brief", body_nl="x").pk,
        "meeting": past_meeting.pk,
        "upcoming": upcoming.pk,
        "own_item": ActionItem.objects.get(owner_organisation=org).pk,
        "other_item": ActionItem.objects.get(owner_organisation=other_org).pk,
        "org": org,
        "domain": past_meeting.group.action_domain,
    }


def post_data(page, ids):
    if page == "follow":
        return {"kind": "domain", "id": ids["domain"].pk, "follow": "1"}
    if page == "register for a meeting":
        return {"organisation": ids["org"].pk}
    if page.startswith("save"):
        return {"title_nl": "Nieuwe titel", "organisation": ids["org"].pk}
    if page.startswith("close"):
        return {"done": "1"}
    return {}


@pytest.mark.parametrize(("page", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, people, ids, page, role, smtp_inbox):
    method, url, expected = MATRIX[page]
    url = url.format(**ids)
    if people[role] is not None:
        client.force_login(people[role])
    data = post_data(page, ids) if method == "post" else None
    response = getattr(client, method)(url, data)
    assert_answer(response, expected[role], page, role)


# A member who only *claims* a role at a group organisation on their profile (not confirmed, not editor): a row of
# its own, since the role is not one of ROLES. They see what anyone sees, never what only the group sees.
UNCONFIRMED = {
    "meeting": ("get", "/nl/meetings/{meeting}/", OK),
    "register for a meeting": ("post", "/nl/meetings/{upcoming}/register/", DENIED),
    "action items": ("get", "/nl/action-items/", DENIED),
    "close own organisation's action item": ("post", "/nl/action-items/{own_item}/done/", DENIED),
}


@pytest.mark.parametrize("page", list(UNCONFIRMED))
def test_permission_matrix_unconfirmed_member_of_a_group_organisation(client, member, ids, page, smtp_inbox):
    from samen.network.models import Membership

    Membership.objects.create(member=member.member, organisation=ids["org"], is_confirmed=False)
    method, url, want = UNCONFIRMED[page]
    client.force_login(member)
    response = getattr(client, method)(url.format(**ids), post_data(page, ids) if method == "post" else None)
    assert_answer(response, want, page, "unconfirmed member")
    if page == "meeting":
        body = response.content.decode()
        assert "Verslag" not in body and "We starten een buurtcafé" not in body and "Zaal boeken" not in body
