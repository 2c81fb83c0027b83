"""Results and accountability: weighted progress, progress from an indicator, every status change kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samen.backbone.models import Result, ResultUpdate
from samen.backbone.services import result_update
from samen.core.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def goal(domain_with_goal):
    return domain_with_goal


def make_result(goal, owner, title="Belkring in elke wijk", **fields):
    return Result.objects.create(goal=goal, owner=owner, title=title, **fields)


def test_a_parent_shows_the_weighted_average_of_its_sub_results(client, goal, org):
    parent = make_result(goal, org, "Buurtnetwerken")
    make_result(goal, org, "Runkst", parent=parent, weight=3, progress=100)
    make_result(goal, org, "Kiewit", parent=parent, weight=1, progress=0)
    page = client.get(reverse("backbone:results")).content.decode()
    assert f'data-progress="{parent.pk}">75%' in page


def test_progress_may_come_from_a_linked_indicators_target(client, goal, org, visits, put):
    # Baseline 5.9 (2015), target 3.0: a latest value of 4.45 is half way.
    put(visits, 2024, num=445, den=10000)
    result = make_result(goal, org, indicator=visits, progress=None)
    page = client.get(reverse("backbone:results_domain", kwargs={"domain": goal.domain.slug})).content.decode()
    assert f'data-progress="{result.pk}">50%' in page
    assert "(from its indicator)" in page


def test_an_unpublished_indicator_gives_no_public_progress(client, goal, org, visits, put):
    from samen.measurement.models import Indicator

    put(visits, 2024, num=445, den=10000)
    Indicator.objects.filter(pk=visits.pk).update(is_published=False)
    result = make_result(goal, org, indicator=visits, progress=None)
    page = client.get(reverse("backbone:results")).content.decode()
    assert f'data-progress="{result.pk}">–' in page
    row = client.get("/api/v1/results").json()[0]
    assert row["progress"] is None and row["progress_from_indicator"] is False


def test_every_status_change_is_kept_on_the_timeline_and_audited(goal, org, coordinator):
    result = make_result(goal, org)
    result_update(actor=coordinator, result=result, status="on_track", progress=20, on=datetime.date(2025, 1, 10))
    result_update(actor=coordinator, result=result, status="at_risk", progress=30, note="Vrijwilligers te weinig")
    result.refresh_from_db()
    assert result.status == "at_risk" and result.progress == 30
    assert list(ResultUpdate.objects.filter(result=result).values_list("status", flat=True)) == ["on_track", "at_risk"]
    assert AuditEntry.objects.filter(action="backbone.result_update").count() == 2


def test_progress_over_100_is_refused(goal, org, coordinator):
    result = make_result(goal, org)
    with pytest.raises(ValidationError):
        result_update(actor=coordinator, result=result, status="on_track", progress=120)
    assert not ResultUpdate.objects.exists()


def test_the_owners_editor_updates_a_result_on_the_page(client, goal, org, editor):
    result = make_result(goal, org)
    client.force_login(editor)
    response = client.post(
        reverse("backbone:result_update", kwargs={"pk": result.pk}),
        {"status": "done", "progress": "100", "note": "Klaar"},
    )
    assert response.status_code == 302
    assert ResultUpdate.objects.get(result=result).note == "Klaar"


def test_another_organisations_editor_may_not_update_a_result(client, goal, other_org, editor, member):
    result = make_result(goal, other_org)
    for person in (editor, member):
        client.force_login(person)
        response = client.post(reverse("backbone:result_update", kwargs={"pk": result.pk}), {"status": "done"})
        assert response.status_code == 403
    assert not ResultUpdate.objects.exists()


def test_the_results_are_in_the_api_read_only(client, goal, org, coordinator):
    parent = make_result(goal, org, "Buurtnetwerken")
    child = make_result(goal, org, "Runkst", parent=parent, progress=40)
    result_update(actor=coordinator, result=child, status="on_track", progress=40, on=datetime.date(2025, 2, 1))
    data = client.get("/api/v1/results").json()
    assert [r["title"] for r in data] == ["Buurtnetwerken", "Runkst"]
    assert data[0]["progress"] == 40.0 and data[1]["parent"] == parent.pk
    assert data[1]["updates"][0]["status"] == "on_track"
    assert client.post("/api/v1/results").status_code == 405
    assert "/api/v1/results" in client.get("/api/v1/openapi.json").json()["paths"]


def _results(goal, orgs, n, indicators=()):
    parents = Result.objects.bulk_create(
        Result(goal=goal, owner=orgs[i % len(orgs)], title=f"R{i}", weight=1 + i % 3) for i in range(n)
    )
    # Some leaves take their progress from an indicator: each linked indicator must not cost queries.
    Result.objects.bulk_create(
        Result(goal=goal, owner=orgs[0], title=f"I{i}", parent=parents[i], indicator=ind)
        for i, ind in enumerate(indicators)
    )
    children = Result.objects.bulk_create(
        Result(goal=goal, owner=orgs[(i + 1) % len(orgs)], title=f"R{i}a", parent=p, progress=i % 100)
        for i, p in enumerate(parents)
    )
    ResultUpdate.objects.bulk_create(
        ResultUpdate(result=c, on=datetime.date(2025, 1, 1), status="on_track", progress=c.progress) for c in children
    )


@pytest.mark.parametrize("path", ["/nl/results/", "/api/v1/results"])
def test_the_results_page_and_api_cost_the_same_queries_for_10_and_1000_results(
    client, goal, org, other_org, path, make_indicator
):
    from django.core.cache import cache

    _results(goal, [org, other_org], 10, [make_indicator(code=f"a{i}") for i in range(2)])
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    _results(goal, [org, other_org], 990, [make_indicator(code=f"b{i}") for i in range(20)])
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small)


def test_the_owners_editor_finds_the_update_link_and_others_do_not(client, goal, org, other_org, editor):
    ours, theirs = make_result(goal, org, "Ours"), make_result(goal, other_org, "Theirs")
    client.force_login(editor)
    page = client.get(reverse("backbone:results")).content.decode()
    assert reverse("backbone:result_update", kwargs={"pk": ours.pk}) in page
    assert reverse("backbone:result_update", kwargs={"pk": theirs.pk}) not in page


def test_a_result_cannot_be_its_own_part_a_cycle_or_part_of_another_goal(goal, org, make_domain):
    from samen.agenda.models import Goal

    a = make_result(goal, org, "A")
    b = make_result(goal, org, "B", parent=a)
    for result, parent in ((a, a), (a, b)):
        result.parent = parent
        with pytest.raises(ValidationError, match="part of itself"):
            result.full_clean()
    elsewhere = Goal.objects.create(domain=goal.domain, title="Ander", slug="ander", deadline=datetime.date(2030, 1, 1))
    c = make_result(elsewhere, org, "C")
    c.parent = a
    with pytest.raises(ValidationError, match="same goal"):
        c.full_clean()
