"""Importing measurements from CSV or XLSX: check everything, preview, then commit all or nothing.

Rows are read as a stream and checked in Python against a `Catalogue` (no query per row), then
staged in a temporary table in chunks; duplicates, new, changed and unchanged rows are counted
and the upsert is done by the database itself. Memory stays flat in the size of the file.

Columns: indicator, area, period_start, period_end, value (or numerator and denominator for a
ratio), and one `dim:<dimension>` column per dimension (see docs/measurement.md).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from samen.measurement.batches import (
    COLUMNS,
    BatchGuard,
    batch_copies_delete,
    batch_undo,
    import_leftovers_clean,
)
from samen.measurement.models import ImportBatch, Indicator, Measurement, MeasurementChange
from samen.measurement.services import published_data_changed
from samen.measurement.validation import YES, Catalogue, RowError
from samen.network.models import Organisation, User

REQUIRED = ("indicator", "area", "period_start", "period_end")
KNOWN = (*REQUIRED, "value", "numerator", "denominator", "confirmed")
CHUNK = 5000
# Lines of the file one statement of the final write covers.
WRITE_CHUNK = 10_000
MAX_PROBLEMS = 200


class ImportRefused(ValueError):
    """The whole file cannot be read: not a table, wrong encoding, missing columns."""


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    committed: bool = False
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


# --- Reading tables ----------------------------------------------------------------------------


def read_table(source: IO[bytes], name: str) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) for every row, header first, from a CSV (, ; or tab) or XLSX file."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        yield from _read_xlsx(source)
    else:
        yield from _read_csv(source)


def _read_csv(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not a UTF-8 text table (CSV). Save it as CSV UTF-8 or XLSX.")) from None
    if not first.strip():
        raise ImportRefused(_("The file is empty."))
    delimiter = max(",;\t", key=first.count)
    if first.count(delimiter) == 0:
        raise ImportRefused(_("The first line is not a header of columns separated by , ; or tab."))
    yield 1, next(csv.reader([first], delimiter=delimiter))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=2)
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not UTF-8 throughout. Save it as CSV UTF-8 or XLSX.")) from None
    except csv.Error as exc:
        raise ImportRefused(_("The CSV cannot be read: %(error)s") % {"error": exc}) from None


# A deflated member of an XLSX that unpacks more than this many times larger is refused (a "zip bomb");
# real workbooks unpack some 5 to 20 times.
XLSX_MAX_RATIO = 100


def _check_unpacked_size(source: IO[bytes]) -> None:
    """Refuse, from the zip's directory and before anything is unpacked, a workbook that unpacks too large.

    zipfile never yields more than a member's declared size, so the declared sizes bound what openpyxl reads."""
    from django.conf import settings

    limit = settings.SAMEN_IMPORT_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(_("The file is not a valid XLSX workbook.")) from None
    finally:
        source.seek(0)
    total = sum(member.file_size for member in members)
    too_packed = any(
        member.file_size > 1024 * 1024 and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > limit or too_packed:
        raise ImportRefused(
            _("The workbook unpacks to far more than its size (%(mb)s MB at most are accepted). Save it as CSV.")
            % {"mb": limit // (1024 * 1024)}
        )


def _read_xlsx(source: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    # openpyxl parses with defusedxml when it is installed: entity expansion ("billion laughs") is refused.
    refused = _("The workbook holds XML entity declarations, which are not accepted. Save it again as XLSX or CSV.")
    _check_unpacked_size(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as error:
        # openpyxl wraps what the parser refused in a ValueError of its own.
        if isinstance(error, DefusedXmlException) or isinstance(error.__cause__, DefusedXmlException):
            raise ImportRefused(refused) from None
        raise ImportRefused(_("The file is not a valid XLSX workbook.")) from None
    sheet = workbook.worksheets[0]
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if c is None else c for c in cells]
    except DefusedXmlException:
        raise ImportRefused(refused) from None
    except SyntaxError:  # xml's ParseError: a sheet that is not well-formed XML
        raise ImportRefused(_("The file is not a valid XLSX workbook.")) from None
    finally:
        workbook.close()


# --- Checking and committing -------------------------------------------------------------------


def import_measurements(
    source: IO[bytes],
    *,
    name: str,
    actor: User | None,
    organisation: Organisation | None = None,
    allowed: Callable[[Indicator], bool] = lambda indicator: True,
    commit: bool,
    status: str = Measurement.Status.SUBMITTED,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check a whole file and, when `commit` and nothing is wrong, store it; otherwise store nothing."""
    result = ImportResult()
    catalogue = Catalogue()
    # Checking and staging read the main database and write only a temporary table, so they hold no
    # write lock (on SQLite, none at all). Storing goes in short transactions that readers do not see
    # until one last short one makes the whole batch visible (see _store): the site keeps writing.
    stage = _Stage()
    try:
        _check(read_table(source, name), catalogue, allowed, stage, result, progress)
        if result.ok:
            stage.analyze()
            _duplicates(result)
        if result.ok and not commit:
            _count(result)
        if result.ok and commit:
            with _store_cache():
                result.batch = _store(result, name=name, actor=actor, organisation=organisation, status=status)
            result.committed = True
    finally:
        stage.drop()
    return result


def _check(table, catalogue: Catalogue, allowed, stage: _Stage, result: ImportResult, progress) -> None:
    try:
        _line, header = next(table)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    columns = [str(h).strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRefused(
            _("The header lacks the column(s) %(missing)s. Download the template of the indicator for the layout.")
            % {"missing": ", ".join(missing)}
        )
    unknown = [c for c in columns if c and c not in KNOWN and not c.startswith("dim:")]
    if unknown:
        raise ImportRefused(_("Unknown column(s): %(unknown)s.") % {"unknown": ", ".join(unknown)})
    index = {c: i for i, c in enumerate(columns)}
    dims = [(c[4:], i) for c, i in index.items() if c.startswith("dim:")]
    get = {c: index.get(c) for c in KNOWN}
    permitted: dict[int, bool] = {}
    batch: list[tuple] = []
    quick, check = catalogue.quick, catalogue.check
    i_ind, i_area, i_start, i_end = (get[c] for c in REQUIRED)
    i_value, i_num, i_den = get["value"], get["numerator"], get["denominator"]
    i_confirmed = get["confirmed"]
    dim_columns = [i for _d, i in dims]
    width = len(columns)
    for line, cells in table:
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        if not any(cells):
            continue  # blank lines are no rows
        result.rows += 1
        confirmed = i_confirmed is not None and str(cells[i_confirmed]).strip().lower() in YES
        dim_cells = tuple([cells[i] for i in dim_columns]) if dim_columns else ()
        value = cells[i_value] if i_value is not None else None
        num = cells[i_num] if i_num is not None else None
        den = cells[i_den] if i_den is not None else None
        # Most rows pass on lookup tables alone; the full check decides the rest and names the problem.
        row = quick(cells[i_ind], cells[i_area], cells[i_start], cells[i_end], value, num, den, dim_cells, confirmed)
        if row is None or not permitted.get(row[0].id):
            try:
                row = _check_fully(check, catalogue, permitted, allowed, cells, dims, dim_cells, confirmed, get)
            except RowError as error:
                result.problem_count += 1
                if len(result.problems) < MAX_PROBLEMS:
                    result.problems.append(Problem(line, error.column, error.message))
                continue
        if result.problem_count == 0:
            ind = row[0]
            batch.append((line, ind.id, row[1], row[1] or 0, row[2], row[3], *row[4:], ind.steward_id))
            if len(batch) >= CHUNK:
                stage.insert(batch)
                batch.clear()
        if progress and result.rows % CHUNK == 0:
            progress(result.rows)
    if batch and result.problem_count == 0:
        stage.insert(batch)
    if progress:
        progress(result.rows)
    if result.rows == 0:
        raise ImportRefused(_("The file has a header but no rows."))


def _check_fully(check, catalogue: Catalogue, permitted, allowed, cells, dims, dim_cells, confirmed, get) -> tuple:
    """The row checked by Catalogue.check (raising RowError), as quick() gives it: dates as ISO text."""
    i_value, i_num, i_den = get["value"], get["numerator"], get["denominator"]
    ind, area_id, start, end, dim_key, value, num, den = check(
        cells[get["indicator"]],
        cells[get["area"]],
        cells[get["period_start"]],
        cells[get["period_end"]],
        cells[i_value] if i_value is not None else None,
        cells[i_num] if i_num is not None else None,
        cells[i_den] if i_den is not None else None,
        {d: str(cells[i]) for d, i in dims if cells[i] != ""} if dims else None,
        confirmed,
    )
    allowed_here = permitted.get(ind.id)
    if allowed_here is None:
        allowed_here = permitted[ind.id] = allowed(ind)
    if not allowed_here:
        raise RowError("indicator", _("you may not submit values for %(code)s") % {"code": ind.code})
    if dim_cells:
        catalogue.learn_dims(ind, dim_cells, dim_key)
    return (ind, area_id, start.isoformat(), end.isoformat(), dim_key, value, num, den)


STAGE = "samen_import_stage"
# A staged row and the stored value of its key (never a copy of an old value, see Measurement.shown_until).
KEY_JOIN = (
    "m.indicator_id = s.indicator_id AND m.area_key = s.area_key AND m.period_start = s.period_start "
    "AND m.period_end = s.period_end AND m.dims = s.dims AND m.shown_until_id IS NULL"
)


def _distinct(a: str, b: str) -> str:
    op = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    return f"({a}.value {op} {b}.value OR {a}.numerator {op} {b}.numerator OR {a}.denominator {op} {b}.denominator)"


class _Stage:
    """The checked rows, in a temporary table of this connection (never in the main database's file)."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(
                # The final write goes by line ranges: on SQLite the key is the row id itself, so staging keeps
                # no second index (a fifth less of its time).
                f"CREATE TEMPORARY TABLE {STAGE} (line integer PRIMARY KEY, indicator_id bigint, area_id bigint, "
                "area_key bigint, period_start date, period_end date, dims varchar(200), value double precision, "
                "numerator double precision, denominator double precision, organisation_id bigint)"
            )

    def insert(self, rows: list[tuple]) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {STAGE} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # SQLite's own executemany, past Django's cursor wrapper: the rows are plain values already.
        sql = f"INSERT INTO {STAGE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        raw = connection.connection
        if connection.in_atomic_block:
            raw.executemany(sql, rows)
            return
        # A deferred transaction that writes only the temporary database takes no lock on the main one
        # (Django's own would BEGIN IMMEDIATE); one per chunk, so it is not a statement per row.
        raw.execute("BEGIN DEFERRED")
        try:
            raw.executemany(sql, rows)
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")

    def analyze(self) -> None:
        """PostgreSQL knows nothing of a fresh temporary table: without its size it plans the joins with the
        measurements as nested loops over the whole stage (seconds to minutes per statement)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {STAGE}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


def _duplicates(result: ImportResult) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(line), MAX(line), COUNT(*) FROM {STAGE} "
            "GROUP BY indicator_id, area_key, period_start, period_end, dims HAVING COUNT(*) > 1 ORDER BY MIN(line)"
        )
        for first, last, count in cursor.fetchall():
            result.problem_count += count - 1
            if len(result.problems) < MAX_PROBLEMS:
                message = _("the same indicator, area, period and dimensions as line %(first)s") % {"first": first}
                result.problems.append(Problem(last, "period_end", message))


def _count(result: ImportResult) -> None:
    result.new, result.changed = _counts()
    result.unchanged = result.rows - result.new - result.changed


def _counts() -> tuple[int, int]:
    table = Measurement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT SUM(CASE WHEN m.id IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN m.id IS NOT NULL AND {_distinct('m', 's')} THEN 1 ELSE 0 END) "
            f"FROM {STAGE} s LEFT JOIN {table} m ON {KEY_JOIN}"
        )
        new, changed = cursor.fetchone()
    return int(new or 0), int(changed or 0)


# SQLite's page cache for the import's own connection while it stores (the default is 2 MB): the pages of the
# measurements' indexes stay in memory from one chunk to the next (the upsert's CPU time fell by a third on
# 200,000 rows). A bound, so memory stays flat; set back afterwards, as a web import stores on the request's
# connection.
STORE_CACHE_KIB = 65536


@contextmanager
def _store_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        kept = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{STORE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(kept)}")


class ImportBusy(ImportRefused):
    """Another import is storing values of the same indicators."""


def _store(result: ImportResult, *, name: str, actor, organisation, status: str) -> ImportBatch:
    """Store the staged rows, all or nothing, without holding the write lock for more than a chunk.

    1. claim the file's indicators for a new batch that is not live (one short transaction);
    2. write WRITE_CHUNK lines per transaction: new values carry the batch, so readers do not see
       them; a changed value is updated in place (carrying the batch) after a copy of its old value
       is made that readers see instead until the batch is live (`Measurement.shown_until`);
    3. make the batch live and release the indicators (one short transaction): every value at once;
    4. delete the copies, which no reader sees any more.
    If anything fails, or the process dies, the batch never goes live and is undone (at once, or by
    the next import or the periodic job: `import_leftovers_clean`)."""
    import_leftovers_clean()
    batch, guard = _claim(result, name=name, actor=actor, organisation=organisation)
    try:
        # Another import may have committed since the preview: the counts (and the history's old values)
        # are taken anew, after the claim, when no one else writes values of these indicators any more,
        # so two imports of the same values never both record them as new.
        _count(result)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(line), MAX(line) FROM {STAGE}")
            first, last = cursor.fetchone()
        for low in range(first, last + 1, WRITE_CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                _write_chunk(
                    cursor,
                    low,
                    low + WRITE_CHUNK,
                    batch=batch,
                    actor=actor,
                    name=name,
                    status=status,
                    changes_any=result.changed > 0,
                    all_new=result.new == result.rows,
                )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT indicator_id FROM {STAGE}")
            touched = [row[0] for row in cursor.fetchall()]
        with transaction.atomic():
            # Approved values the file changed are public no more: their figures must be computed anew.
            published_data_changed(touched)
            Indicator.objects.filter(importing=batch).update(importing=None)
            counts = {"new": result.new, "changed": result.changed, "unchanged": result.unchanged}
            ImportBatch.every.filter(pk=batch.pk).update(live=True, **counts)
    except IntegrityError as error:
        batch_undo(batch)
        # Both databases name a unique key's breach "unique" (a foreign key's, which PostgreSQL checks at
        # commit, is left as it is).
        if result.new != result.rows or "unique" not in str(error).lower():
            raise
        # Every line was counted new after the claim, so the plain INSERT met a value stored meanwhile by a
        # writer that did not honour the claim: the person is told, not shown a server error.
        raise ImportRefused(
            _("A value of this file was stored by someone else while it was imported; nothing was imported. Try again.")
        ) from None
    except BaseException:
        batch_undo(batch)
        raise
    finally:
        guard.release()
    batch.live, batch.new, batch.changed, batch.unchanged = True, result.new, result.changed, result.unchanged
    batch_copies_delete(batch.pk)
    return batch


def _claim(result: ImportResult, *, name: str, actor, organisation) -> tuple[ImportBatch, BatchGuard]:
    """A batch, not live yet, holding the file's indicators: one short transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT indicator_id FROM {STAGE}")
        touched = sorted(row[0] for row in cursor.fetchall())
    with transaction.atomic():
        # PostgreSQL locks the rows (in a fixed order, so two imports never deadlock); SQLite's
        # IMMEDIATE transaction holds the one write lock already.
        indicators = list(Indicator.objects.select_for_update().filter(pk__in=touched).order_by("pk"))
        busy = [i.code for i in indicators if i.importing_id]
        if busy:
            raise ImportBusy(
                _("Another import is storing values of %(codes)s; try again when it has finished.")
                % {"codes": ", ".join(busy)}
            )
        last_change = MeasurementChange.objects.order_by("-pk").values_list("pk", flat=True).first()
        last_value = Measurement.every.order_by("-pk").values_list("pk", flat=True).first()
        batch = ImportBatch.every.create(
            by=actor,
            organisation=organisation,
            file_name=name[:200],
            rows=result.rows,
            live=False,
            history_after=last_change or 0,
            values_after=last_value or 0,
        )
        Indicator.objects.filter(pk__in=touched).update(importing=batch)
        guard = BatchGuard(batch.pk)
        guard.hold()
    return batch, guard


def _write_chunk(
    cursor, low: int, high: int, *, batch: ImportBatch, actor, name: str, status: str, changes_any: bool, all_new: bool
):
    """The staged lines low ≤ line < high: history, copies of the values they change, the upsert.

    `changes_any` and `all_new` come from the count taken after the claim, when no one else writes these
    indicators' values any more: with no changed value the two joins that find them are not run, and with
    every line new the upsert is a plain INSERT."""
    table = Measurement._meta.db_table
    changes = MeasurementChange._meta.db_table
    # PostgreSQL: jsonb built as jsonb, not json text parsed again for the jsonb column (the history's insert in
    # two thirds of the time).
    json = "json_object" if connection.vendor == "sqlite" else "jsonb_build_object"
    who, when = getattr(actor, "pk", None), batch.at
    lines = "s.line >= %s AND s.line < %s"
    if connection.vendor == "postgresql":
        # A chunk's commit need not wait for its WAL to reach the disk: nobody sees the chunk before the batch
        # goes live, and that last commit is synchronous, so it waits for the WAL up to its own record, every
        # chunk before it included. A server crash before then loses whole chunk transactions (a value's copy
        # and its update are in one) of a batch that is not live, which is undone as always.
        cursor.execute("SET LOCAL synchronous_commit = off")
    if changes_any:
        # The history of every value the file changes: old and new, who and when.
        cursor.execute(
            f"INSERT INTO {changes} (measurement_id, at, by_id, action, old, new, comment) "
            f"SELECT m.id, %s, %s, 'imported', "
            f"{json}('value', m.value, 'numerator', m.numerator, 'denominator', m.denominator, 'status', m.status), "
            f"{json}('value', s.value, 'numerator', s.numerator, 'denominator', s.denominator, 'status', %s), %s "
            f"FROM {STAGE} s JOIN {table} m ON {KEY_JOIN} WHERE {lines} AND {_distinct('m', 's')}",
            [when, who, status, name[:500], low, high],
        )
        # What readers see of a changed value until the batch is live: a copy of it as it is.
        cursor.execute(
            f"INSERT INTO {table} ({COLUMNS}, shown_until_id) "
            f"SELECT {', '.join('m.' + c for c in COLUMNS.split(', '))}, %s "
            f"FROM {STAGE} s JOIN {table} m ON {KEY_JOIN} WHERE {lines} AND {_distinct('m', 's')}",
            [batch.pk, low, high],
        )
    # Ids only grow (SQLite's AUTOINCREMENT, PostgreSQL's sequence): the values the upsert below creates are
    # the batch's values above this one; the values it changes keep their older ids.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    before = cursor.fetchone()[0]
    # When the count after the claim found every line new, no line can meet a stored value: a plain INSERT,
    # which PostgreSQL does in about two thirds of the upsert's time (a line that met one all the same would
    # break the unique key, and the batch would be undone).
    upsert = (
        ""
        if all_new
        else f"ON CONFLICT (indicator_id, area_key, period_start, period_end, dims) WHERE shown_until_id IS NULL "
        "DO UPDATE SET "
        # A changed approved value stays public (kept) until the change is approved.
        f"kept = CASE WHEN {table}.status = 'approved' THEN true ELSE {table}.kept END, "
        f"kept_value = CASE WHEN {table}.status = 'approved' THEN {table}.value ELSE {table}.kept_value END, "
        f"kept_numerator = CASE WHEN {table}.status = 'approved' THEN {table}.numerator "
        f"ELSE {table}.kept_numerator END, "
        f"kept_denominator = CASE WHEN {table}.status = 'approved' THEN {table}.denominator "
        f"ELSE {table}.kept_denominator END, "
        f"value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, "
        f"status = excluded.status, comment = '', organisation_id = excluded.organisation_id, "
        f"batch_id = excluded.batch_id, updated_at = excluded.updated_at "
        f"WHERE {_distinct(table, 'excluded')}"
    )
    insert = (
        f"INSERT INTO {table} (indicator_id, area_id, area_key, period_start, period_end, dims, value, numerator, "
        f"denominator, status, comment, organisation_id, batch_id, updated_at, kept) "
        f"SELECT indicator_id, area_id, area_key, period_start, period_end, dims, value, numerator, denominator, "
        f"%s, '', organisation_id, %s, %s, false FROM {STAGE} s WHERE {lines} {upsert}"
    )
    # New values get their first history entry too: created by this import, by this person.
    history = (
        f"INSERT INTO {changes} (measurement_id, at, by_id, action, old, new, comment) "
        f"SELECT m.id, %s, %s, 'imported', {json}(), "
        f"{json}('value', m.value, 'numerator', m.numerator, 'denominator', m.denominator, 'status', m.status), %s "
    )
    if connection.vendor == "postgresql":
        # In the same statement, from the rows the insert returns (those above `before` are the new ones): the
        # new values are not read back (a third less of the history's time).
        cursor.execute(
            f"WITH m AS ({insert} RETURNING id, value, numerator, denominator, status) {history} FROM m WHERE m.id > %s",
            [status, batch.pk, when, low, high, when, who, name[:500], before],
        )
        return
    cursor.execute(insert, [status, batch.pk, when, low, high])
    # SQLite takes no INSERT … RETURNING inside a statement: the new values are found by the primary key's range,
    # not by joining the stage again. (No `shown_until_id IS NULL`: this chunk's copies were made before `before`
    # was read.)
    cursor.execute(
        f"{history} FROM {table} m WHERE m.id > %s AND m.batch_id = %s", [when, who, name[:500], before, batch.pk]
    )
