"""A value's links to its import (Measurement.batch, .shown_until) are set by the importer alone: no door links
a value to a batch that is not there, no door deletes a batch, and what an import wrote goes with its undo even
when its batch row is gone (docs/architecture.md, "Foreign keys of imports")."""

import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, Q

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
    # Today: 200, stored without the unknown fields (a 422 refusing them would do as well): never linked to the
    # batch that is not there.
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


def test_the_admin_deletes_no_import(client, admin_user, visits, areas):
    batch = importer.import_measurements(
        io.BytesIO((HEADER + ROWS).encode()), name="v.csv", actor=None, commit=True
    ).batch
    client.force_login(admin_user)
    page = f"/en/admin/measurement/importbatch/{batch.pk}/delete/"
    assert client.get(page).status_code == 403
    assert client.post(page, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [batch.pk], "post": "yes"}
    client.post("/en/admin/measurement/importbatch/", bulk)
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


HEADER = "indicator;area;period_start;period_end;numerator;denominator;dim:sex\n"
# 2015 for Runkst is in the fixture (30 of 400): changed; the other years are new.
ROWS = "".join(f"eld-visit-weekly;runkst;{year}-01-01;{year}-12-31;20;400;\n" for year in range(2015, 2020))


def _seen():
    values = Measurement.objects.filter(period_start__year__gte=2015, area__code="runkst", dims="")
    return sorted(values.values_list("period_start__year", "numerator"))


def _after_the_first_chunk(monkeypatch, then):
    """Runs `then(cursor, batch, n)` at the start of the n-th chunk's transaction from the second on (five lines,
    two a chunk: three chunks), the chunks before it committed."""
    monkeypatch.setattr(importer, "WRITE_CHUNK", 2)
    real, calls = importer._write_chunk, []

    def write(cursor, low, high, *, batch, **kwargs):
        calls.append(low)
        if len(calls) >= 2:
            then(cursor, batch, len(calls))
        real(cursor, low, high, batch=batch, **kwargs)

    monkeypatch.setattr(importer, "_write_chunk", write)


def _nothing_of_it_left(before, history):
    assert _seen() == before  # the old 2015 value, none of the new years
    assert MeasurementChange.objects.count() == history
    assert not Measurement.every.filter(shown_until__isnull=False).exists()
    batches = ImportBatch.every.values("pk")
    assert not Measurement.every.exclude(batch_id=None).exclude(batch_id__in=batches).exists()  # none dangling
    assert not ImportBatch.every.filter(live=False).exists()
    assert not Indicator.objects.filter(importing__isnull=False).exists()


def test_django_does_not_delete_a_batch_being_written_and_its_undo_takes_back_every_chunk(visits, areas, monkeypatch):
    before, history = _seen(), MeasurementChange.objects.count()

    def delete_then_fail(cursor, batch, n):
        # Django's delete would set the first chunk's values free (visible) and drop the copy of the old 2015 value.
        with pytest.raises(ProtectedError), transaction.atomic():
            ImportBatch.every.filter(pk=batch.pk).delete()
        raise RuntimeError("the second chunk fails")

    _after_the_first_chunk(monkeypatch, delete_then_fail)
    with pytest.raises(RuntimeError):
        importer.import_measurements(io.BytesIO((HEADER + ROWS).encode()), name="v.csv", actor=None, commit=True)
    _nothing_of_it_left(before, history)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot switch its keys off in a transaction")
def test_an_import_whose_batch_row_is_gone_after_a_chunk_leaves_nothing_visible(visits, areas, monkeypatch):
    """The foreign keys refuse a plain DELETE of the row; only a session that switches them off (a restore, a
    broken script) can remove it. SQLite cannot switch them off inside a transaction: PostgreSQL only."""
    before, history = _seen(), MeasurementChange.objects.count()

    def remove_the_row(cursor, batch, n):
        if n == 2:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no key triggers for this DELETE
            cursor.execute("DELETE FROM measurement_importbatch WHERE id = %s", [batch.pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            # The keys as a chunk's commit checks them (the test's own transaction defers every commit to its end;
            # a failure here rolls back this chunk only, so the row stays gone).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    _after_the_first_chunk(monkeypatch, remove_the_row)
    # The first two chunks' values point at no batch: the next commit fails on the key; the undo runs without the row.
    with pytest.raises(IntegrityError):
        importer.import_measurements(io.BytesIO((HEADER + ROWS).encode()), name="v.csv", actor=None, commit=True)
    _nothing_of_it_left(before, history)
