"""From a steward's value to a public figure: enter, submit, approve or return, with history."""

import pytest

from samen.core.models import AuditEntry
from samen.measurement.models import Measurement, MeasurementChange


@pytest.fixture
def count_indicator(make_indicator, areas):
    return make_indicator(
        "three-numbers",
        unit="count",
        kind="value",
        direction="up",
        frequency="quarterly",
        name_en="People over 80 with three numbers nearby",
    )


def _enter(client, indicator, **fields):
    data = {"indicator": indicator.pk, "area": "", "period_start": "2025-01-01", "period_end": "2025-03-31", **fields}
    return client.post("/en/measurements/", data)


def test_an_editor_enters_submits_and_the_backbone_approves(client, editor, coordinator, count_indicator, areas):
    client.force_login(editor)
    response = _enter(client, count_indicator, area=areas["runkst"].pk, value="12")
    assert response.status_code == 302
    m = Measurement.objects.get()
    assert (m.status, m.value, m.area) == ("draft", 12.0, areas["runkst"])
    assert "No published values yet." in client.get("/en/indicators/three-numbers/").content.decode()

    client.post("/en/measurements/submit/", {"measurement": [m.pk]})
    m.refresh_from_db()
    assert m.status == "submitted"

    client.force_login(coordinator)
    client.post("/en/measurements/approve/", {"measurement": [m.pk], "decision": "approve"})
    m.refresh_from_db()
    assert m.status == "approved"
    assert [c.action for c in MeasurementChange.objects.order_by("at", "pk")] == ["created", "submitted", "approved"]
    approved = MeasurementChange.objects.get(action="approved")
    assert approved.by == coordinator
    assert approved.old["status"] == "submitted"
    client.logout()
    assert "2025 Q1" in client.get("/en/indicators/three-numbers/").content.decode()


def test_the_backbone_returns_values_with_a_reason(client, editor, coordinator, count_indicator, put):
    m = put(count_indicator, 2025, value=10, status="submitted")
    client.force_login(coordinator)
    response = client.post("/en/measurements/approve/", {"measurement": [m.pk], "decision": "return", "comment": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    client.post(
        "/en/measurements/approve/", {"measurement": [m.pk], "decision": "return", "comment": "Q1 looks doubled"}
    )
    m.refresh_from_db()
    assert (m.status, m.comment) == ("returned", "Q1 looks doubled")
    assert AuditEntry.objects.filter(action="measurements.returned").exists()
    client.force_login(editor)
    assert "Q1 looks doubled" in client.get("/en/measurements/").content.decode()


def test_changing_an_approved_value_takes_it_back_to_draft_and_keeps_the_old_one(
    client, editor, count_indicator, areas
):
    m = Measurement.objects.create(
        indicator=count_indicator,
        area=None,
        area_key=0,
        period_start="2025-01-01",
        period_end="2025-03-31",
        value=10,
        status="approved",
    )
    client.force_login(editor)
    _enter(client, count_indicator, value="11")
    m.refresh_from_db()
    assert (m.value, m.status) == (11.0, "draft")
    change = MeasurementChange.objects.get(action="changed")
    assert (change.old["value"], change.new["value"], change.by) == (10.0, 11.0, editor)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "twelve"}, "“twelve” is not a number"),
        ({"value": "3", "period_end": "2025-02-28"}, "a quarterly indicator needs a calendar quarter"),
        ({"value": ""}, "the value is missing"),
    ],
)
def test_bad_values_are_refused_with_the_reason(client, editor, count_indicator, fields, message):
    client.force_login(editor)
    response = _enter(client, count_indicator, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_ratio_needs_a_sane_numerator_and_denominator(client, editor, visits):
    client.force_login(editor)
    data = {
        "indicator": visits.pk,
        "area": "",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "numerator": "120",
        "denominator": "100",
    }
    response = client.post("/en/measurements/", data)
    assert "the numerator (120) is larger than the denominator (100)" in response.content.decode()


def test_an_editor_cannot_submit_for_another_organisations_indicator(client, editor, make_indicator, other_org, areas):
    foreign = make_indicator("foreign", steward=other_org, unit="count", kind="value")
    client.force_login(editor)
    response = client.post(
        "/en/measurements/",
        {"indicator": foreign.pk, "period_start": "2025-01-01", "period_end": "2025-12-31", "value": "1"},
    )
    assert "Select a valid choice" in response.content.decode()
    m = Measurement.objects.create(
        indicator=foreign, area_key=0, period_start="2025-01-01", period_end="2025-12-31", value=1
    )
    client.post("/en/measurements/submit/", {"measurement": [m.pk]})
    m.refresh_from_db()
    assert m.status == "draft"


def test_members_and_editors_cannot_approve(client, member, editor, count_indicator, put):
    m = put(count_indicator, 2025, value=10, status="submitted")
    for person in (member, editor):
        client.force_login(person)
        assert (
            client.post("/en/measurements/approve/", {"measurement": [m.pk], "decision": "approve"}).status_code == 403
        )
    m.refresh_from_db()
    assert m.status == "submitted"


def test_a_member_has_no_figures_page(client, member):
    client.force_login(member)
    assert client.get("/en/measurements/").status_code == 403


def test_the_steward_tells_the_story_behind_the_curve(client, editor, visits):
    client.force_login(editor)
    response = client.post(
        "/en/indicators/eld-visit-weekly/story/",
        {
            "period_end": "2015-12-31",
            "text_nl": "Buren kwamen vaker langs.",
            "text_en": "Neighbours dropped by more often.",
        },
    )
    assert response.status_code == 302
    client.logout()
    body = client.get("/en/indicators/eld-visit-weekly/").content.decode()
    assert "Neighbours dropped by more often." in body
    assert "Buren kwamen vaker langs." in client.get("/nl/indicators/eld-visit-weekly/").content.decode()


def test_a_member_cannot_write_the_story(client, member, visits):
    client.force_login(member)
    assert client.get("/en/indicators/eld-visit-weekly/story/").status_code == 403


def test_ticked_ids_that_are_no_numbers_are_ignored(client, coordinator, editor):
    client.force_login(coordinator)
    assert (
        client.post("/en/measurements/approve/", {"measurement": ["abc", "1;drop"], "decision": "approve"}).status_code
        == 302
    )
    client.force_login(editor)
    assert client.post("/en/measurements/submit/", {"measurement": ["abc"]}).status_code == 302


def test_the_story_of_an_unpublished_indicator_can_still_be_written(client, editor, visits):
    visits.is_published = False
    visits.save()
    client.force_login(editor)
    assert client.get("/en/indicators/eld-visit-weekly/story/").status_code == 200
    assert client.get("/en/indicators/eld-visit-weekly/template.csv").status_code == 404


def test_the_approval_page_starts_with_nothing_ticked(client, coordinator, count_indicator, put):
    put(count_indicator, 2025, value=10, status="submitted")
    put(count_indicator, 2024, value=9, status="submitted")
    client.force_login(coordinator)
    page = client.get("/en/measurements/approve/").content.decode()
    boxes = [line for line in page.split("<input") if 'name="measurement"' in line]
    assert len(boxes) == 2
    assert not any(" checked" in box.split(">")[0] for box in boxes)
