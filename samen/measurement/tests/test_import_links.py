"""Measurement.batch and .shown_until have no foreign key in the database (docs/architecture.md, "Foreign keys
of imports"): every door that writes values still never links one to a batch that is not there."""

import io

import pytest
from django.db.models import Q
from django.utils import translation

from samen.api.services import token_create
from samen.measurement import importer
from samen.measurement.models import ImportBatch, Indicator, Measurement, MeasurementChange

NOWHERE = 987654  # no batch has this id
ROW = {"indicator": "visits-count", "area": "", "period_start": "2024-01-01", "period_end": "2024-12-31"}


@pytest.fixture
def counts(make_indicator, areas):
    return make_indicator("visits-count", unit="count", kind="value", direction="up", plausible_max=1000)


def _linked_nowhere() -> bool:
    return Measurement.every.filter(Q(batch_id=NOWHERE) | Q(shown_until_id=NOWHERE)).exists()


def test_the_form_takes_no_batch(client, counts, editor):
    client.force_login(editor)
    data = {"indicator": counts.pk, "area": "", "period_start": "2024-01-01", "period_end": "2024-12-31"}
    client.post("/en/measurements/", {**data, "value": "12", "batch": NOWHERE, "shown_until": NOWHERE})
    stored = Measurement.objects.get()
    assert stored.value == 12
    assert (stored.batch_id, stored.shown_until_id) == (None, None)


def test_the_api_takes_no_batch(client, counts, editor):
    _token, secret = token_create(organisation=counts.steward, actor=editor, name="system")
    response = client.post(
        "/api/v1/measurements",
        [{**ROW, "value": 12, "batch": NOWHERE, "batch_id": NOWHERE, "shown_until": NOWHERE}],
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}", "accept-language": "en"},
    )
    # Refused for the unknown fields, or stored without them: never linked to the batch that is not there.
    assert response.status_code in (200, 201, 422), response.content
    assert not _linked_nowhere()
    if response.status_code != 422:
        assert Measurement.objects.get().batch_id is None


def test_the_admin_neither_adds_nor_changes_values(client, admin_user, counts, put):
    value = put(counts, 2024, None, value=12)
    client.force_login(admin_user)
    fields = {"value": "13", "batch": NOWHERE, "shown_until": NOWHERE}
    assert client.post("/en/admin/measurement/measurement/add/", fields).status_code == 403
    assert client.post(f"/en/admin/measurement/measurement/{value.pk}/change/", fields).status_code == 403
    value.refresh_from_db()
    assert (value.value, value.batch_id, value.shown_until_id) == (12, None, None)


def test_an_import_whose_batch_is_gone_stores_nothing(visits, areas, monkeypatch):
    before = (Measurement.every.count(), MeasurementChange.objects.count())
    claim = importer._claim

    def claim_then_lose_the_batch(*args, **kwargs):
        batch, guard = claim(*args, **kwargs)
        ImportBatch.every.filter(pk=batch.pk).delete()  # what only a broken cleaner could do
        return batch, guard

    monkeypatch.setattr(importer, "_claim", claim_then_lose_the_batch)
    rows = "".join(f"eld-visit-weekly;runkst;{year}-01-01;{year}-12-31;20;400;\n" for year in range(2016, 2020))
    text = "indicator;area;period_start;period_end;numerator;denominator;dim:sex\n" + rows
    with translation.override("en"), pytest.raises(importer.ImportRefused, match="undone from outside"):
        importer.import_measurements(io.BytesIO(text.encode()), name="v.csv", actor=None, commit=True)
    assert (Measurement.every.count(), MeasurementChange.objects.count()) == before
    assert not Indicator.objects.filter(importing__isnull=False).exists()
