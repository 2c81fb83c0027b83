"""News, newsletters, working groups, minutes and action items: every role × page × action, on the server."""

import pytest

from samen.core.tests.factories import make_former_editor
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
    "new working group": ("get", "/nl/working-groups/new/", BACKBONE),
    "save a new working group": ("post", "/nl/working-groups/new/", saved({"coordinator", "admin"})),
    "change a working group": ("get", "/nl/working-groups/zorg-dichtbij/edit/", BACKBONE),
    "save a working group": ("post", "/nl/working-groups/zorg-dichtbij/edit/", saved({"coordinator", "admin"})),
    "archive a working group": ("post", "/nl/working-groups/zorg-dichtbij/archive/", saved({"coordinator", "admin"})),
    "meeting": ("get", "/nl/meetings/{meeting}/", ALL_OK),
    # For one's organisation in the group: the editor membership still says one works there (editing or not).
    "register for a meeting": (
        "post",
        "/nl/meetings/{upcoming}/register/",
        {"visitor": LOGIN, "member": DENIED, "editor": 302, "coordinator": DENIED, "admin": DENIED, FORMER_EDITOR: 302},
    ),
    "action items": ("get", "/nl/action-items/", WRITERS),
    "close own organisation's action item": (
        "post",
        "/nl/action-items/{own_item}/done/",
        saved({"editor", "coordinator", "admin"}),
    ),
    # The editor's organisation convenes this group: it keeps the whole list, also other organisations' items.
    "close another organisation's action item in the group one convenes": (
        "post",
        "/nl/action-items/{other_item}/done/",
        saved({"editor", "coordinator", "admin"}),
    ),
    "close another organisation's action item": (
        "post",
        "/nl/action-items/{item_elsewhere}/done/",
        saved({"coordinator", "admin"}),
    ),
    # The group's convener is `org` (the editor's): its editors schedule and minute; another group's are not theirs.
    "schedule a meeting": ("get", "/nl/working-groups/zorg-dichtbij/meetings/new/", WRITERS),
    "save a new meeting": (
        "post",
        "/nl/working-groups/zorg-dichtbij/meetings/new/",
        saved({"editor", "coordinator", "admin"}),
    ),
    "schedule a meeting in another group": ("get", "/nl/working-groups/{other_group}/meetings/new/", BACKBONE),
    "change a meeting": ("get", "/nl/meetings/{upcoming}/edit/", WRITERS),
    "change another group's meeting": ("get", "/nl/meetings/{other_meeting}/edit/", BACKBONE),
    "invite the group": ("post", "/nl/meetings/{upcoming}/invite/", saved({"editor", "coordinator", "admin"})),
    "minutes": ("get", "/nl/meetings/{meeting}/minutes/", WRITERS),
    "save the minutes": ("post", "/nl/meetings/{meeting}/minutes/", saved({"editor", "coordinator", "admin"})),
    "minutes of another group's meeting": ("get", "/nl/meetings/{other_meeting}/minutes/", BACKBONE),
    "attendance": ("get", "/nl/meetings/{meeting}/attendance/", WRITERS),
    "record attendance": ("post", "/nl/meetings/{meeting}/attendance/", saved({"editor", "coordinator", "admin"})),
    "attendance of another group's meeting": (
        "post",
        "/nl/meetings/{other_meeting}/attendance/",
        saved({"coordinator", "admin"}),
    ),
    "meeting in a calendar": ("get", "/nl/meetings/{meeting}/meeting.ics", ALL_OK),
    "admin meetings (minutes, decisions, action items)": ("get", "/nl/admin/communication/meeting/", ADMIN_PAGE),
    "admin working groups": ("get", "/nl/admin/communication/workinggroup/", ADMIN_PAGE),
    # Groups are made on the site, where their rules are checked: the admin only shows them.
    "admin: add a working group": (
        "get",
        "/nl/admin/communication/workinggroup/add/",
        ADMIN_PAGE | {"coordinator": DENIED, "admin": DENIED},
    ),
}
CELLS = [(page_name, role) for page_name in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@pytest.fixture
def people(member, editor, coordinator, admin_user):
    return {"visitor": None, "member": member, "editor": editor, "coordinator": coordinator, "admin": admin_user}


@pytest.fixture
def ids(coordinator, org, other_org, past_meeting, publish_news):
    import datetime

    from django.utils import timezone

    from samen.communication.models import ActionItem, Meeting, NewsItem, Newsletter, WorkingGroup

    news = publish_news(coordinator, title="Openbaar")
    past_meeting.group.convener = org
    past_meeting.group.save()
    other_group = WorkingGroup.objects.create(slug="ander-overleg", name="Ander overleg", convener=other_org)
    other_group.organisations.set([org, other_org])
    other_meeting = Meeting.objects.create(group=other_group, title="Elders", starts_at=timezone.now())
    elsewhere = ActionItem.objects.create(
        meeting=other_meeting, text="Elders iets", owner_organisation=other_org, due_on=timezone.localdate()
    )
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
        "other_group": other_group.slug,
        "other_meeting": other_meeting.pk,
        "own_item": ActionItem.objects.get(meeting=past_meeting, owner_organisation=org).pk,
        "other_item": ActionItem.objects.get(meeting=past_meeting, owner_organisation=other_org).pk,
        "item_elsewhere": elsewhere.pk,
        "org": org,
        "domain": past_meeting.group.action_domain,
    }


def post_data(page_name, ids):
    if page_name == "follow":
        return {"kind": "domain", "id": ids["domain"].pk, "follow": "1"}
    if page_name == "register for a meeting":
        return {"organisation": ids["org"].pk}
    if page_name in ("save a new working group", "save a working group"):
        return {"name_nl": "Werkgroep wonen", "organisations": [ids["org"].pk]}
    if page_name == "save a new meeting":
        return {"title": "Nieuw overleg", "starts_at": "2030-05-01T19:00"}
    if page_name == "save the minutes":
        return {"minutes": "<p>Kort</p>"} | {
            f"{prefix}-{key}": 0 for prefix in ("decisions", "items") for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        }
    if "attendance" in page_name:
        return {"organisations": [ids["org"].pk]}
    if page_name.startswith("save"):
        return {"title_nl": "Nieuwe titel", "organisation": ids["org"].pk}
    if page_name.startswith("close"):
        return {"done": "1"}
    return {}


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix(client, people, ids, page_name, role, smtp_inbox):
    method, url, expected = MATRIX[page_name]
    url = url.format(**ids)
    user = make_former_editor(ids["org"]) if role == FORMER_EDITOR else people[role]
    if user is not None:
        client.force_login(user)
    data = post_data(page_name, ids) if method == "post" else None
    response = getattr(client, method)(url, data)
    assert_answer(response, answer_of(expected, role), page_name, role)


# A member who only *claims* a role at a group organisation on their profile (not confirmed, not editor): a row of
# its own, since the role is not one of ROLES. They see what anyone sees, never what only the group sees.
UNCONFIRMED = {
    "meeting": ("get", "/nl/meetings/{meeting}/", OK),
    "register for a meeting": ("post", "/nl/meetings/{upcoming}/register/", DENIED),
    "action items": ("get", "/nl/action-items/", DENIED),
    "close own organisation's action item": ("post", "/nl/action-items/{own_item}/done/", DENIED),
    "schedule a meeting": ("get", "/nl/working-groups/zorg-dichtbij/meetings/new/", DENIED),
    "minutes": ("get", "/nl/meetings/{meeting}/minutes/", DENIED),
    "record attendance": ("post", "/nl/meetings/{meeting}/attendance/", DENIED),
}


# A confirmed member (not an editor) of an organisation in the group: they see the group's own record, and manage
# nothing of the group (that is the backbone's, and the convener's editors').
GROUP_MEMBER = {
    "working group": ("get", "/nl/working-groups/zorg-dichtbij/", OK),
    "new working group": ("get", "/nl/working-groups/new/", DENIED),
    "save a new working group": ("post", "/nl/working-groups/new/", DENIED),
    "change a working group": ("get", "/nl/working-groups/zorg-dichtbij/edit/", DENIED),
    "save a working group": ("post", "/nl/working-groups/zorg-dichtbij/edit/", DENIED),
    "archive a working group": ("post", "/nl/working-groups/zorg-dichtbij/archive/", DENIED),
    "schedule a meeting": ("get", "/nl/working-groups/zorg-dichtbij/meetings/new/", DENIED),
    "register for a meeting": ("post", "/nl/meetings/{upcoming}/register/", 302),
}


@pytest.mark.parametrize("page_name", list(GROUP_MEMBER))
def test_permission_matrix_confirmed_member_of_a_group_organisation(client, member, ids, page_name, smtp_inbox):
    from samen.communication.models import WorkingGroup
    from samen.network.models import Membership

    Membership.objects.create(member=member.member, organisation=ids["org"], is_confirmed=True)
    method, url, want = GROUP_MEMBER[page_name]
    client.force_login(member)
    response = getattr(client, method)(url.format(**ids), post_data(page_name, ids) if method == "post" else None)
    assert_answer(response, want, page_name, "group member")
    group = WorkingGroup.objects.get(slug="zorg-dichtbij")
    assert group.archived_at is None and group.name_nl == "Werkgroep zorg dichtbij"  # nothing changed
    if page_name == "working group":
        assert "We starten een buurtcafé" in response.content.decode()  # the group-only decision, for the group


@pytest.mark.parametrize("page_name", list(UNCONFIRMED))
def test_permission_matrix_unconfirmed_member_of_a_group_organisation(client, member, ids, page_name, smtp_inbox):
    from samen.network.models import Membership

    Membership.objects.create(member=member.member, organisation=ids["org"], is_confirmed=False)
    method, url, want = UNCONFIRMED[page_name]
    client.force_login(member)
    response = getattr(client, method)(url.format(**ids), post_data(page_name, ids) if method == "post" else None)
    assert_answer(response, want, page_name, "unconfirmed member")
    if page_name == "meeting":
        body = response.content.decode()
        assert "Verslag" not in body and "We starten een buurtcafé" not in body and "Zaal boeken" not in body
