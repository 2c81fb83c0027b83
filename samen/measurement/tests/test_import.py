"""The import: preview first, every bad row named, all or nothing, and a second run changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from samen.measurement.importer import ImportRefused, import_measurements
from samen.measurement.models import Measurement


@pytest.fixture(autouse=True)
def english():
    """Messages of the importer follow the active language; these tests read them in English."""
    with translation.override("en"):
        yield


HEADER = "indicator;area;period_start;period_end;numerator;denominator;dim:sex\n"


def _run(text: str, *, commit: bool, name: str = "values.csv", **kwargs):
    return import_measurements(io.BytesIO(text.encode("utf-8")), name=name, actor=None, commit=commit, **kwargs)


def test_a_good_file_is_previewed_then_committed_then_changes_nothing_again(visits, areas):
    text = (
        HEADER
        + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\neld-visit-weekly;;2019-01-01;2019-12-31;30;500;f\n"
    )
    preview = _run(text, commit=False)
    assert (preview.ok, preview.rows, preview.new, preview.changed) == (True, 2, 2, 0)
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()
    done = _run(text, commit=True)
    assert done.committed
    assert Measurement.objects.filter(period_start="2019-01-01", status="submitted").count() == 2
    again = _run(text, commit=True)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)


def test_a_changed_value_is_counted_and_kept_in_the_history(visits, areas):
    from samen.measurement.models import MeasurementChange

    text = HEADER + "eld-visit-weekly;runkst;2015-01-01;2015-12-31;31;400;\n"
    result = _run(text, commit=True)
    assert (result.new, result.changed) == (0, 1)
    change = MeasurementChange.objects.get(action="imported")
    assert (change.old["numerator"], change.new["numerator"]) == (30, 31)
    m = Measurement.objects.get(area=areas["runkst"], period_start="2015-01-01")
    assert (m.numerator, m.status) == (31, "submitted")


BAD_ROWS = [
    ("nope;runkst;2019-01-01;2019-12-31;1;10;", "indicator", "unknown indicator “nope”"),
    ("eld-visit-weekly;atlantis;2019-01-01;2019-12-31;1;10;", "area", "unknown area “atlantis”"),
    ("eld-visit-weekly;runkst;2019-01-01;2019-06-30;1;10;", "period_end", "a yearly indicator needs a calendar year"),
    ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;11;10;", "numerator", "larger than the denominator"),
    ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;een;10;", "numerator", "“een” is not a number"),
    ("eld-visit-weekly;runkst;1/1/2019;2019-12-31;1;10;", "period_start", "is not a date"),
    ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;1;10;x", "dim:sex", "unknown value “x”"),
    ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;;10;", "numerator", "a ratio needs a numerator and a denominator"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS, ids=[b[1] + "-" + b[2][:20] for b in BAD_ROWS])
def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_stored(visits, areas, row, column, message):
    before = Measurement.objects.count()
    text = HEADER + "eld-visit-weekly;kiewit;2019-01-01;2019-12-31;2;10;\n" + row + "\n"
    result = _run(text, commit=True)
    assert not result.committed
    [problem] = result.problems
    assert (problem.line, problem.column) == (3, column)
    assert message in problem.message
    assert Measurement.objects.count() == before


def test_a_duplicate_key_in_the_file_is_a_problem(visits, areas):
    text = (
        HEADER
        + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;1;10;\neld-visit-weekly;runkst;2019-01-01;2019-12-31;2;10;\n"
    )
    result = _run(text, commit=True)
    assert not result.committed
    assert result.problems[0].line == 3
    assert "as line 2" in result.problems[0].message


def test_dutch_decimal_commas_tabs_and_a_bom_are_understood(make_indicator, areas):
    make_indicator("score", unit="score", kind="value", direction="up")
    text = "\ufeffindicator\tarea\tperiod_start\tperiod_end\tvalue\nscore\tkermt\t2020-01-01\t2020-12-31\t7,5\n"
    result = _run(text, commit=True)
    assert result.committed
    assert Measurement.objects.get(indicator__code="score").value == 7.5


def test_an_xlsx_file_is_read(visits, areas):
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "area", "period_start", "period_end", "numerator", "denominator"])
    import datetime

    sheet.append(["eld-visit-weekly", "terhilst", datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), 5, 50])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    result = import_measurements(data, name="values.xlsx", actor=None, commit=True)
    assert result.committed, result.problems
    assert Measurement.objects.filter(area=areas["terhilst"], period_start="2019-01-01").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "values.csv", "not a UTF-8 text table"),
        (b"just one line without separators\n", "values.csv", "not a header of columns"),
        (b"indicator,area\nx,y\n", "values.csv", "lacks the column(s) period_start, period_end"),
        (b"indicator,area,period_start,period_end,value,colour\n", "values.csv", "Unknown column(s): colour"),
        (b"indicator,area,period_start,period_end,value\n", "values.csv", "no rows"),
        (b"", "values.csv", "empty"),
        (b"PK\x03\x04 not really a zip", "values.xlsx", "not a valid XLSX"),
    ],
)
def test_a_file_that_is_not_a_good_table_is_refused_whole(db, content, name, message):
    with pytest.raises(ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_measurements(io.BytesIO(content), name=name, actor=None, commit=True)


def test_a_file_with_values_for_a_foreign_indicator_is_refused_for_that_row(visits, areas):
    result = _run(
        HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;1;10;\n", commit=True, allowed=lambda i: False
    )
    assert "you may not submit values for eld-visit-weekly" in result.problems[0].message


# --- through the web page ---------------------------------------------------------------------------


def test_the_editor_uploads_sees_the_bad_row_fixes_it_and_commits(client, editor, visits, areas):
    client.force_login(editor)
    bad = (
        HEADER
        + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\neld-visit-weekly;kiewit;2019-01-01;2019-12-31;veel;60;\n"
    )
    response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", bad.encode())})
    body = response.content.decode()
    assert "The file has 1 problem; nothing was stored." in body
    assert "“veel” is not a number" in body
    good = bad.replace("veel", "6")
    response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", good.encode())})
    assert "2 rows: 2 new, 0 changed, 0 unchanged." in response.content.decode()
    token = response.context["token"]
    response = client.post("/en/measurements/import/", {"token": token})
    assert response.status_code == 302
    assert Measurement.objects.filter(period_start="2019-01-01", status="submitted").count() == 2
    # the preview cannot be committed twice
    client.post("/en/measurements/import/", {"token": token})
    assert Measurement.objects.filter(period_start="2019-01-01").count() == 2


def test_a_preview_made_on_one_host_is_confirmed_on_another(client, editor, visits, areas, settings, tmp_path):
    """Nothing of the preview stays on the web host that made it: another host (its own var/) confirms it."""
    from samen.measurement.models import ImportPreview

    client.force_login(editor)
    settings.VAR_DIR = tmp_path / "host-a"
    good = HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n"
    token = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", good.encode())}).context[
        "token"
    ]
    assert not (tmp_path / "host-a").exists()
    settings.VAR_DIR = tmp_path / "host-b"
    assert client.post("/en/measurements/import/", {"token": token}).status_code == 302
    assert Measurement.objects.filter(period_start="2019-01-01", status="submitted").count() == 1
    assert not ImportPreview.objects.exists()


def test_a_new_upload_replaces_the_uploaders_earlier_preview(client, editor, visits, areas):
    from samen.measurement.models import ImportPreview

    client.force_login(editor)
    good = HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n"
    for _ in range(3):
        client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", good.encode())})
    assert ImportPreview.objects.filter(by=editor).count() == 1


def test_someone_elses_preview_cannot_be_confirmed(client, editor, visits, areas, make_user):
    from samen.measurement.models import ImportPreview

    client.force_login(editor)
    good = HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n"
    token = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", good.encode())}).context[
        "token"
    ]
    ImportPreview.objects.update(by=make_user("other@example.org"))
    client.post("/en/measurements/import/", {"token": token})
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()


def test_a_huge_upload_is_refused_before_it_is_read(client, editor, visits, settings):
    settings.SAMEN_IMPORT_MAX_BYTES = 1000
    client.force_login(editor)
    big = HEADER + ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;1;10;\n" * 2000)
    response = client.post("/en/measurements/import/", {"file": SimpleUploadedFile("v.csv", big.encode())})
    assert response.status_code == 413
    assert "Larger files go through the command samen import-measurements." in response.content.decode()


def test_the_template_has_the_columns_of_the_indicator(client, visits):
    text = client.get("/en/indicators/eld-visit-weekly/template.csv").content.decode()
    assert text.splitlines()[0] == "indicator,area,period_start,period_end,numerator,denominator,dim:sex"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;1e400;10;", "“1e400” is not a number"),
        ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;nan;10;", "“nan” is not a number"),
        ("eld-visit-weekly;runkst;2019-01-01;2019-12-31;12;1.500;", "“1.500” can be read two ways"),
    ],
)
def test_numbers_that_cannot_be_stored_or_read_one_way_are_refused(visits, areas, row, message):
    result = _run(HEADER + row + "\n", commit=True)
    assert not result.committed
    assert message in result.problems[0].message


def test_a_count_is_a_whole_number(make_indicator, areas):
    make_indicator("visits", unit="count", kind="value", direction="up")
    result = _run(
        "indicator,area,period_start,period_end,value\nvisits,kermt,2020-01-01,2020-12-31,12.5\n",
        commit=True,
    )
    assert "a count is a whole number, not 12.5" in result.problems[0].message


def test_numeric_cells_of_a_spreadsheet_are_read_as_codes(make_indicator, areas):
    import datetime

    from samen.network.models import Area
    from samen.network.services import area_save

    area_save(area=Area(code="71022", name="Hasselt (NIS)", kind="district", parent=areas["hasselt"]))
    make_indicator("1234", unit="count", kind="value", direction="up")
    book = Workbook()
    book.active.append(["indicator", "area", "period_start", "period_end", "value"])
    book.active.append([1234, 71022, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), 7])
    book.active.append([1234, 71022, 2021, 2021, 8])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    result = import_measurements(data, name="v.xlsx", actor=None, commit=True)
    assert [p.message for p in result.problems] == ["“2021” is not a date (use 2024-12-31 or 31/12/2024)"]


def test_every_imported_value_has_its_history_and_its_steward(visits, areas, editor):
    from samen.measurement.models import MeasurementChange

    result = import_measurements(
        io.BytesIO((HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n").encode()),
        name="v.csv",
        actor=editor,
        commit=True,
    )
    m = Measurement.objects.get(period_start="2019-01-01")
    change = MeasurementChange.objects.get(measurement=m)
    assert (change.action, change.by, change.new["numerator"]) == ("imported", editor, 20)
    assert m.organisation == visits.steward
    assert result.batch.by == editor


def test_an_import_that_commits_meanwhile_is_counted_not_overwritten_with_stale_counts(visits, areas, monkeypatch):
    """The preview said new; another import stored the same key before this one took the lock."""
    from django.db import transaction

    from samen.measurement import importer

    text = (
        HEADER
        + "eld-visit-weekly;runkst;2020-01-01;2020-12-31;20;400;\neld-visit-weekly;;2020-01-01;2020-12-31;30;500;f\n"
    )
    assert _run(text, commit=False).new == 2
    real_atomic = transaction.atomic

    def another_import_first(*args, **kwargs):
        monkeypatch.setattr(importer.transaction, "atomic", real_atomic)
        # What a second import, committing between this one's check and its write, leaves behind.
        Measurement.objects.create(
            indicator=visits,
            area=areas["runkst"],
            area_key=areas["runkst"].pk,
            period_start="2020-01-01",
            period_end="2020-12-31",
            dims="",
            numerator=21,
            denominator=400,
            status="submitted",
        )
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(importer.transaction, "atomic", another_import_first)
    done = _run(text, commit=True)
    assert (done.new, done.changed, done.unchanged) == (1, 1, 0)
    assert (done.batch.new, done.batch.changed) == (1, 1)
    from samen.measurement.models import MeasurementChange

    change = MeasurementChange.objects.get(action="imported", measurement__area=areas["runkst"], old__numerator=21)
    assert change.new["numerator"] == 20


def test_the_final_write_goes_in_bounded_chunks_and_stays_all_or_nothing(visits, areas, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samen.measurement import importer

    monkeypatch.setattr(importer, "WRITE_CHUNK", 2)
    rows = "".join(f"eld-visit-weekly;runkst;{year}-01-01;{year}-12-31;20;400;\n" for year in range(2016, 2021))
    with CaptureQueriesContext(connection) as queries:
        done = _run(HEADER + rows, commit=True)
    # The statements that write the lines (not the copies of changed values, which this file has none of).
    writes = [
        q["sql"]
        for q in queries.captured_queries
        # (PostgreSQL writes the new values' history in the same statement: WITH m AS (INSERT … RETURNING …).)
        if q["sql"].startswith(("INSERT INTO measurement_measurement (indicator_id", "WITH m AS (INSERT INTO"))
        and "shown_until_id) SELECT" not in q["sql"]
    ]
    assert len(writes) == 3  # five lines, two a statement
    assert Measurement.objects.filter(batch=done.batch).count() == 5

    def fail(*args):
        raise RuntimeError("the server stopped after the chunks were written")

    monkeypatch.setattr(importer, "published_data_changed", fail)
    changed = rows.replace(";20;400;", ";21;400;")
    with pytest.raises(RuntimeError):
        _run(HEADER + changed, commit=True)
    assert not Measurement.objects.filter(numerator=21).exists()


def test_new_changed_and_unchanged_values_in_one_chunk_get_exactly_their_own_history(visits, areas, editor):
    """New values' first history rows are found by id: none for the unchanged value, none twice for the
    changed one (whose copy was made in the same chunk), none for values the import did not write."""
    from samen.measurement.models import MeasurementChange

    # kiewit 2015 unchanged, runkst 2015 changed, 2019 runkst and the whole for women new; terhilst not in the file.
    text = (
        HEADER
        + "eld-visit-weekly;kiewit;2015-01-01;2015-12-31;3;60;\n"
        + "eld-visit-weekly;runkst;2015-01-01;2015-12-31;31;400;\n"
        + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n"
        + "eld-visit-weekly;;2019-01-01;2019-12-31;30;500;f\n"
    )
    before = set(MeasurementChange.objects.values_list("pk", flat=True))
    done = import_measurements(io.BytesIO(text.encode()), name="v.csv", actor=editor, commit=True)
    assert (done.new, done.changed, done.unchanged) == (2, 1, 1)
    written = MeasurementChange.objects.exclude(pk__in=before).select_related("measurement")
    seen = sorted(
        (c.measurement.area_key, str(c.measurement.period_start), c.measurement.dims, c.old.get("numerator"))
        for c in written
    )
    assert seen == [
        (0, "2019-01-01", "sex=f", None),
        (areas["runkst"].pk, "2015-01-01", "", 30),
        (areas["runkst"].pk, "2019-01-01", "", None),
    ]
    assert {(c.action, c.by_id, c.comment) for c in written} == {("imported", editor.pk, "v.csv")}
    assert all(c.old == {} for c in written if c.measurement.period_start.year == 2019)
    assert {c.new["numerator"] for c in written} == {20, 30, 31}


def test_the_joins_for_changed_values_run_only_when_the_file_changes_a_value(visits, areas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def copies_made(text: str) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert _run(text, commit=True).committed
        return sum("shown_until_id) SELECT" in q["sql"] for q in seen.captured_queries)

    assert copies_made(HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n") == 0
    assert copies_made(HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;21;400;\n") == 1
    assert Measurement.objects.get(area=areas["runkst"], period_start="2019-01-01").numerator == 21


def test_sqlite_storing_gets_a_bigger_page_cache_and_gives_it_back(visits, areas, monkeypatch):
    from django.db import connection

    from samen.measurement import importer

    if connection.vendor != "sqlite":
        pytest.skip("a PRAGMA of SQLite")

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    kept, during = cache_size(), []
    real = importer._write_chunk

    def write_chunk(*args, **kwargs):
        during.append(cache_size())
        real(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_chunk", write_chunk)
    assert _run(HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n", commit=True).committed
    assert during == [-importer.STORE_CACHE_KIB]
    assert cache_size() == kept


def test_a_file_of_new_values_is_stored_by_a_plain_insert_and_a_clash_after_all_undoes_the_batch(
    visits, areas, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samen.measurement import importer
    from samen.measurement.models import ImportBatch, Indicator

    def upserts(text: str) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert _run(text, commit=True).committed
        return sum("ON CONFLICT" in q["sql"] for q in seen.captured_queries)

    assert upserts(HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n") == 0
    # One value unchanged: the others go through the upsert.
    assert (
        upserts(
            HEADER + "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\n"
            "eld-visit-weekly;runkst;2020-01-01;2020-12-31;20;400;\n"
        )
        == 1
    )
    # Should a stored value meet a line counted as new all the same, nothing of the file stays.
    stored, batches = Measurement.every.count(), ImportBatch.every.count()
    monkeypatch.setattr(importer, "_counts", lambda: (2, 0))
    text = (
        HEADER
        + "eld-visit-weekly;runkst;2021-01-01;2021-12-31;20;400;\neld-visit-weekly;runkst;2015-01-01;2015-12-31;20;400;\n"
    )
    with pytest.raises(ImportRefused, match="stored by someone else while it was imported; nothing was imported"):
        _run(text, commit=True)
    assert (Measurement.every.count(), ImportBatch.every.count()) == (stored, batches)
    assert not Indicator.objects.filter(importing__isnull=False).exists()
    assert Measurement.objects.get(area=areas["runkst"], period_start="2015-01-01").numerator == 30


def test_a_foreign_key_breach_while_storing_is_not_told_as_a_value_stored_meanwhile(visits, areas, monkeypatch):
    from django.db import IntegrityError

    from samen.measurement import importer
    from samen.measurement.models import ImportBatch

    def breach(*args, **kwargs):
        raise IntegrityError("FOREIGN KEY constraint failed")

    batches = ImportBatch.every.count()
    monkeypatch.setattr(importer, "_write_chunk", breach)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        _run(HEADER + "eld-visit-weekly;runkst;2021-01-01;2021-12-31;20;400;\n", commit=True)
    assert ImportBatch.every.count() == batches
