"""An import stores its values in short transactions that readers do not see, then makes the whole batch
visible at once; one that dies is undone; values are not typed in while an import holds the indicator."""

import io

import pytest
from django.utils import translation

from samen.measurement import batches, importer
from samen.measurement.models import ImportBatch, Indicator, Measurement, MeasurementChange
from samen.measurement.validation import Catalogue, RowError

HEADER = "indicator;area;period_start;period_end;numerator;denominator;dim:sex\n"
# 2015 for Runkst is in the fixture (30 of 400): changed; the other years are new.
ROWS = "".join(f"eld-visit-weekly;runkst;{year}-01-01;{year}-12-31;20;400;\n" for year in range(2015, 2020))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _run(text: str):
    return importer.import_measurements(io.BytesIO(text.encode()), name="v.csv", actor=None, commit=True)


def _seen():
    """Runkst's totals from 2015 on, as readers see them."""
    values = Measurement.objects.filter(period_start__year__gte=2015, area__code="runkst", dims="")
    return sorted(values.values_list("period_start__year", "numerator"))


def test_readers_see_nothing_of_the_batch_until_it_goes_live_then_all_of_it(visits, areas, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_CHUNK", 2)
    before = _seen()
    seen_while_writing = []
    real = importer.published_data_changed

    def look(ids):  # called in the last transaction, before the batch goes live
        seen_while_writing.append((_seen(), ImportBatch.objects.count(), Measurement.every.count()))
        real(ids)

    monkeypatch.setattr(importer, "published_data_changed", look)
    batches = ImportBatch.objects.count()
    done = _run(HEADER + ROWS)
    [(seen, live_batches, stored)] = seen_while_writing
    assert seen == before  # the old 2015 value (its copy), none of the new years
    assert live_batches == batches
    assert stored > Measurement.objects.count()  # the new rows and the copy exist, unseen
    assert _seen() == [(year, 20.0) for year in range(2015, 2020)]
    assert done.batch.live and ImportBatch.objects.count() == batches + 1
    assert not Measurement.every.filter(shown_until__isnull=False).exists()  # the copy is gone
    assert Measurement.every.count() == Measurement.objects.count()
    change = MeasurementChange.objects.get(measurement__period_start__year=2015, action="imported")
    assert (change.old["numerator"], change.new["numerator"]) == (30, 20)
    assert Indicator.objects.get(pk=visits.pk).importing is None


def _die_after_the_chunks(monkeypatch):
    """What a killed import leaves: its chunks written, its batch not live, no undo run."""

    def killed(ids):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "published_data_changed", killed)
    monkeypatch.setattr(importer, "batch_undo", lambda batch: None)
    with pytest.raises(KeyboardInterrupt):
        _run(HEADER + ROWS)
    monkeypatch.undo()


def test_an_import_that_died_is_invisible_and_undone_by_the_next_one(visits, areas, monkeypatch):
    before, stored, history = _seen(), Measurement.every.count(), MeasurementChange.objects.count()
    _die_after_the_chunks(monkeypatch)
    assert _seen() == before
    assert Measurement.every.count() > stored  # left behind, unseen
    assert ImportBatch.every.filter(live=False).count() == 1
    assert Indicator.objects.get(pk=visits.pk).importing_id

    from samen.core import periodic
    from samen.measurement import tasks

    assert "samen.measurement.tasks.imports_dead_undo" in {job.name for job in periodic.jobs()}
    tasks.imports_dead_undo()
    assert (_seen(), Measurement.every.count(), MeasurementChange.objects.count()) == (before, stored, history)
    assert not ImportBatch.every.filter(live=False).exists()
    assert Indicator.objects.get(pk=visits.pk).importing is None
    m = Measurement.objects.get(period_start__year=2015, area=areas["runkst"], dims="")
    assert (m.numerator, m.status) == (30, "approved")  # the old value, as it was

    _die_after_the_chunks(monkeypatch)
    done = _run(HEADER + ROWS)  # cleans up first, then imports
    assert (done.new, done.changed) == (4, 1)
    assert _seen() == [(year, 20.0) for year in range(2015, 2020)]


def _hold_in_another_process(batch_id: int):
    """The guard of a batch, held as the import writing it holds it: by another PostgreSQL session (a
    session's own advisory locks are its to take again), or on SQLite by another open file."""
    from django.db import connection

    if connection.vendor != "postgresql":
        guard = batches.BatchGuard(batch_id)
        assert guard.hold(wait=False)
        return guard.release
    import psycopg

    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, autocommit=True
    )
    other.execute("SELECT pg_advisory_lock(%s, %s)", (batches.BatchGuard.KEY, batch_id))

    def release():  # at once: a closed session's locks go only when its server process has ended
        other.execute("SELECT pg_advisory_unlock_all()")
        other.close()

    return release


def test_a_running_import_is_left_alone_by_the_cleanup_and_a_second_import_is_told_to_wait(visits, areas, monkeypatch):
    _die_after_the_chunks(monkeypatch)
    batch = ImportBatch.every.get(live=False)
    release = _hold_in_another_process(batch.pk)  # as the import still writing it would
    try:
        batches.import_leftovers_clean()
        assert ImportBatch.every.filter(pk=batch.pk).exists()
        with pytest.raises(importer.ImportBusy, match="Another import is storing values of eld-visit-weekly"):
            _run(HEADER + ROWS)
    finally:
        release()
    batches.import_leftovers_clean()
    assert not ImportBatch.every.filter(pk=batch.pk).exists()


def test_values_are_not_typed_in_nor_approved_while_an_import_holds_the_indicator(
    client, visits, areas, monkeypatch, coordinator
):
    from samen.measurement import services

    _die_after_the_chunks(monkeypatch)
    row = Catalogue().row(
        indicator="eld-visit-weekly",
        area="kermt",
        period_start="2019-01-01",
        period_end="2019-12-31",
        numerator=1,
        denominator=10,
    )
    with pytest.raises(RowError, match="An import is storing values of eld-visit-weekly"):
        services.measurement_record(row=row, actor=None, organisation=None)
    Measurement.objects.filter(period_start__year=2015).update(status="submitted")
    waiting = list(Measurement.objects.filter(status="submitted"))
    with pytest.raises(RowError, match="An import is storing values of eld-visit-weekly"):
        services.measurements_approve(measurements=waiting, actor=coordinator)
    # The approval page says why nothing was approved, and nothing was (not "0 value(s) approved").
    client.force_login(coordinator)
    page = client.post(
        "/en/measurements/approve/", {"measurement": [m.pk for m in waiting], "decision": "approve"}, follow=True
    )
    assert "An import is storing values of eld-visit-weekly right now" in page.content.decode()
    assert "approved; they are public now" not in page.content.decode()
    assert Measurement.objects.filter(status="submitted").count() == len(waiting)
    batches.import_leftovers_clean()
    assert services.measurement_record(row=row, actor=None, organisation=None)[1] == "new"


def test_the_api_and_the_form_say_an_import_holds_the_indicator(client, visits, areas, org, editor, monkeypatch):
    from samen.api.services import token_create

    _token, secret = token_create(organisation=org, actor=editor, name="registration system")
    _die_after_the_chunks(monkeypatch)
    value = {"indicator": "eld-visit-weekly", "area": "kermt", "period_start": "2019-01-01"}
    response = client.post(
        "/api/v1/measurements",
        [{**value, "period_end": "2019-12-31", "numerator": 1, "denominator": 10}],
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}", "accept-language": "en"},
    )
    assert response.status_code == 409
    assert "An import is storing values of eld-visit-weekly" in response.json()["detail"]
    client.force_login(editor)
    page = client.post(
        "/nl/measurements/",
        {**value, "indicator": visits.pk, "area": areas["kermt"].pk, "period_end": "2019-12-31"}
        | {"numerator": "1", "denominator": "10"},
    )
    assert "Er slaat nu een import waarden van eld-visit-weekly op" in page.content.decode()
    assert not Measurement.objects.filter(period_start__year=2019, area=areas["kermt"]).exists()


def test_a_batch_that_went_live_is_never_undone(visits, areas, monkeypatch):
    """A cleaner that listed the batch while it was not live yet, and took its guard once the import let go
    (before the import deleted its copies), leaves it as it is (review of import3, finding 1)."""
    monkeypatch.setattr(importer, "batch_copies_delete", lambda batch_id: None)
    done = _run(HEADER + ROWS)
    monkeypatch.undo()
    assert Measurement.every.filter(shown_until=done.batch).exists()
    batches.batch_undo(done.batch)
    assert _seen() == [(year, 20.0) for year in range(2015, 2020)]
    assert MeasurementChange.objects.filter(action="imported").count() == 5
    batches.import_leftovers_clean()  # deletes the copies the import left
    assert not Measurement.every.filter(shown_until__isnull=False).exists()
    assert _seen() == [(year, 20.0) for year in range(2015, 2020)]


def test_a_copy_read_before_the_import_went_live_is_not_approved_and_never_blocks_the_cleanup(
    visits, areas, monkeypatch, coordinator
):
    """An approver who read the page while the batch was being written ticks the copy of an old value; the
    import goes live before the approval runs (review of import3, finding 2)."""
    from samen.measurement import services

    Measurement.objects.filter(period_start__year=2015, area__code="runkst").update(status="submitted")
    monkeypatch.setattr(importer, "batch_copies_delete", lambda batch_id: None)
    done = _run(HEADER + ROWS)
    monkeypatch.undo()
    copy = Measurement.every.get(shown_until=done.batch)
    assert services.measurements_approve(measurements=[copy], actor=coordinator) == 0
    assert not MeasurementChange.objects.filter(measurement=copy).exists()
    # Should history reach a copy all the same, deleting the copies moves it to the value of its key.
    MeasurementChange.objects.create(measurement=copy, action="approved")
    batches.import_leftovers_clean()
    assert not Measurement.every.filter(shown_until__isnull=False).exists()
    live = Measurement.objects.get(period_start__year=2015, area__code="runkst", dims="")
    assert live.changes.filter(action="approved").exists()
