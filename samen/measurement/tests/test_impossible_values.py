"""Values a steward cannot mean are refused with a clear message at every door: form, import, API."""

import io

import pytest
from django.utils import translation

from samen.api.services import token_create
from samen.measurement.importer import import_measurements
from samen.measurement.models import Measurement
from samen.measurement.validation import Catalogue, RowError

ROW = {"indicator": "visits-count", "area": "runkst", "period_start": "2024-01-01", "period_end": "2024-12-31"}


@pytest.fixture
def counts(make_indicator, areas):
    return make_indicator("visits-count", unit="count", kind="value", direction="up", plausible_max=1000)


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        ({"value": "1e308"}, "value", "too large to be a measurement"),
        ({"value": "inf"}, "value", "is not a number"),
        ({"value": "-3"}, "value", "a count cannot be negative"),
        ({"period_start": "2999-01-01", "period_end": "2999-12-31"}, "period_start", "after today"),
        ({"value": "5000"}, "value", "outside what visits-count usually measures (… to 1000)"),
    ],
)
def test_the_catalogue_refuses_what_a_steward_cannot_mean(counts, fields, column, message):
    with translation.override("en"), pytest.raises(RowError) as refused:
        Catalogue().row(**{**ROW, "value": "12", **fields})
    assert refused.value.column == column
    assert message in refused.value.message


def test_a_value_outside_the_plausible_range_passes_once_confirmed(counts):
    assert Catalogue().row(**ROW, value="5000", confirmed=True).value == 5000


def test_the_form_says_what_is_wrong(client, counts, editor):
    client.force_login(editor)
    data = {"indicator": counts.pk, "area": "", "period_start": "2024-01-01", "period_end": "2024-12-31"}
    body = client.post("/en/measurements/", {**data, "value": "1e308"}).content.decode()
    assert "too large to be a measurement" in body
    body = client.post("/en/measurements/", {**data, "value": "5000"}).content.decode()
    assert "usually measures" in body
    assert not Measurement.objects.exists()
    client.post("/en/measurements/", {**data, "value": "5000", "confirmed": "on"})
    assert Measurement.objects.get().value == 5000


def test_the_import_refuses_and_takes_a_confirmed_column(counts, editor):
    text = "indicator,area,period_start,period_end,value,confirmed\n"
    bad = text + "visits-count,runkst,2024-01-01,2024-12-31,1e308,\nvisits-count,kiewit,2024-01-01,2024-12-31,5000,\n"
    with translation.override("en"):
        result = import_measurements(io.BytesIO(bad.encode()), name="f.csv", actor=editor, commit=True)
    assert [(p.line, p.column) for p in result.problems] == [(2, "value"), (3, "value")]
    assert not Measurement.objects.exists()
    good = text + "visits-count,kiewit,2024-01-01,2024-12-31,5000,yes\n"
    assert import_measurements(io.BytesIO(good.encode()), name="f.csv", actor=editor, commit=True).ok


def test_the_api_refuses_with_a_422_and_never_emits_infinity(client, counts, org, editor):
    _token, secret = token_create(organisation=counts.steward, actor=editor, name="system")
    response = client.post(
        "/api/v1/measurements",
        [{**ROW, "value": 1e308}],
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}", "accept-language": "en"},
    )
    assert response.status_code == 422
    assert "too large" in response.json()["errors"][0]["message"]


def test_a_stored_infinite_value_does_not_break_the_pages(client, counts, put, areas):
    put(counts, 2024, areas["runkst"], value=1e308)
    put(counts, 2024, areas["kiewit"], value=1e308)  # their sum is infinite
    assert client.get("/en/dashboard/").status_code == 200
    assert client.get("/en/indicators/visits-count/").status_code == 200
    body = client.get("/api/v1/indicators/visits-count/measurements?limit=100").content.decode()
    assert "Infinity" not in body
