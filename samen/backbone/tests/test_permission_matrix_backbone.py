"""Every role × backbone page × action: funding amounts, survey answers, the health page, report drafts
against published report cards (the pattern of the core matrix)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from samen.backbone.instrument import install
from samen.backbone.models import Instrument, Item, PublishedReport, Result, Section, SurveyRound
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

NOT_FOUND = 404
EVERYONE = dict.fromkeys(ROLES, OK)
SIGNED_IN = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
EDITORS = {"visitor": LOGIN, "member": DENIED, "editor": OK, "coordinator": OK, "admin": OK}
BACKBONE_ONLY = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": OK, "admin": OK}
BACKBONE_ONLY_POST = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 302, "admin": 302}
BACKBONE_ONLY_BAD_POST = {"visitor": LOGIN, "member": DENIED, "editor": DENIED, "coordinator": 400, "admin": 400}
DRAFT = {"visitor": NOT_FOUND, "member": NOT_FOUND, "editor": NOT_FOUND, "coordinator": OK, "admin": OK}
STAFF = {"visitor": LOGIN, "member": LOGIN, "editor": LOGIN, "coordinator": OK, "admin": OK}
NOBODY_ELSE = {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], DENIED)}

# page_name: (method, url, {role: expected}, data)
MATRIX = {
    "funding with amounts per partner": ("get", "/nl/backbone/funding/", BACKBONE_ONLY, None),
    "add an expense": (
        "post",
        "/nl/backbone/funding/expenses/",
        BACKBONE_ONLY_POST,
        {"month": "2025-01", "amount": "10", "description": "x"},
    ),
    "import expenses (no file)": ("post", "/nl/backbone/funding/import/", BACKBONE_ONLY_BAD_POST, {}),
    "funders": ("get", "/nl/backbone/funding/funders/", BACKBONE_ONLY, None),
    "register a funder": ("post", "/nl/backbone/funding/funders/", BACKBONE_ONLY_POST, {"name": "Fonds X"}),
    "change a funder": ("get", "/nl/backbone/funding/funders/{funder}/", BACKBONE_ONLY, None),
    "register a grant (form)": ("get", "/nl/backbone/funding/grants/new/", BACKBONE_ONLY, None),
    "register a grant (incomplete)": ("post", "/nl/backbone/funding/grants/new/", BACKBONE_ONLY_BAD_POST, {}),
    "a grant with the partners' amounts": ("get", "/nl/backbone/funding/grants/{grant}/", BACKBONE_ONLY, None),
    "change a grant (incomplete)": ("post", "/nl/backbone/funding/grants/{grant}/", BACKBONE_ONLY_BAD_POST, {}),
    "cash positions": ("get", "/nl/backbone/funding/cash/", BACKBONE_ONLY, None),
    "enter the cash": (
        "post",
        "/nl/backbone/funding/cash/",
        BACKBONE_ONLY_POST,
        {"on": "2025-01-01", "amount": "1000"},
    ),
    "public funders and totals": ("get", "/nl/funding/", EVERYONE, None),
    "results": ("get", "/nl/results/", EVERYONE, None),
    "results of a domain": ("get", "/nl/results/{domain}/", EVERYONE, None),
    "results in the API": ("get", "/api/v1/results", EVERYONE, None),
    "update own organisation's result": ("get", "/nl/results/update/{ours}/", EDITORS, None),
    "update another organisation's result": ("get", "/nl/results/update/{theirs}/", BACKBONE_ONLY, None),
    "health-check rounds": ("get", "/nl/health-check/", SIGNED_IN, None),
    "answer an open round": ("get", "/nl/health-check/{open}/", SIGNED_IN, None),
    "answer another organisation's private round": ("get", "/nl/health-check/{private}/", NOBODY_ELSE, None),
    "health of Samen": ("get", "/nl/backbone/health/", BACKBONE_ONLY, None),
    "scores of a round": ("get", "/nl/backbone/health/rounds/{open}/", BACKBONE_ONLY, None),
    "report card draft": ("get", "/nl/report-card/2023/", DRAFT, None),
    "published report card": ("get", "/nl/report-card/2024/", EVERYONE, None),
    "published report card PDF": ("get", "/nl/report-card/2024.pdf", EVERYONE, None),
    "publish a report card": ("post", "/nl/report-card/2023/publish/", BACKBONE_ONLY_POST, {}),
    "admin grants": ("get", "/nl/admin/backbone/grant/", STAFF, None),
    "admin expenses": ("get", "/nl/admin/backbone/expense/", STAFF, None),
    "admin survey rounds": ("get", "/nl/admin/backbone/surveyround/", STAFF, None),
    "admin published report cards": ("get", "/nl/admin/backbone/publishedreport/", STAFF, None),
}
CELLS = [(page_name, role) for page_name in MATRIX for role in ROLES]
# Out of the group `partner-editors`, an editor membership opens nothing (the one rule, network.selectors).
CELLS += [(page, FORMER_EDITOR) for page in former_editor_pages({page: row[2] for page, row in MATRIX.items()})]


@pytest.fixture
def people(member, editor, coordinator, admin_user):
    return {"visitor": None, "member": member, "editor": editor, "coordinator": coordinator, "admin": admin_user}


@pytest.fixture
def ids(domain_with_goal, org, other_org, make_grant):
    now = timezone.now()
    grant = make_grant(shares={org: Decimal(5000), other_org: Decimal(5000)})
    instrument = install(Instrument, Section, Item)
    window = {"opens_at": now - datetime.timedelta(days=1), "closes_at": now + datetime.timedelta(days=1)}
    PublishedReport.objects.create(year=2024, language="nl", html="<p>2024</p>", pdf=b"%PDF-1.7 archived", figures={})
    return {
        "grant": grant.pk,
        "funder": grant.funder_id,
        "domain": domain_with_goal.domain.slug,
        "ours": Result.objects.create(goal=domain_with_goal, owner=org, title="Ours").pk,
        "theirs": Result.objects.create(goal=domain_with_goal, owner=other_org, title="Theirs").pk,
        "open": SurveyRound.objects.create(instrument=instrument, title="Open", **window).pk,
        "private": SurveyRound.objects.create(
            instrument=instrument, title="Private", organisation=other_org, **window
        ).pk,
    }


@pytest.mark.parametrize(("page_name", "role"), CELLS, ids=[f"{p}-{r}" for p, r in CELLS])
def test_permission_matrix_backbone(client, people, ids, org, page_name, role):
    method, url, expected, data = MATRIX[page_name]
    user = make_former_editor(org) if role == FORMER_EDITOR else people[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url.format(**ids), data) if method == "post" else client.get(url.format(**ids))
    assert_answer(response, answer_of(expected, role), page_name, role)
