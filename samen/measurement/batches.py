"""What an import leaves while it writes its batch in short transactions, and undoing it.

A batch that is not live is invisible to readers (see `Measurement.objects`); the process writing it holds
its `BatchGuard`. A batch whose guard is free and that is not live was left by an import that died:
`import_leftovers_clean` (at the start of every import, and the periodic job `imports_dead_undo`) undoes it,
and deletes the copies of old values a live batch left behind. Its own module so the periodic job (tasks)
needs nothing of the importer (which needs services, which need tasks).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO

from django.db import connection, transaction

from samen.measurement.models import ImportBatch, Indicator, Measurement, MeasurementChange

COLUMNS = (
    "indicator_id, area_id, area_key, period_start, period_end, dims, value, numerator, denominator, status, "
    "kept, kept_value, kept_numerator, kept_denominator, comment, organisation_id, batch_id, updated_at"
)
# Rows one statement deletes of what an import leaves behind.
CLEAN_CHUNK = 10_000


def _history_off_copies(cursor, batch_id: int) -> None:
    """History written onto a copy (nothing should write any) goes to the value of its key, so deleting
    the copies never fails on it."""
    table = Measurement._meta.db_table
    changes = MeasurementChange._meta.db_table
    cursor.execute(
        f"UPDATE {changes} SET measurement_id = (SELECT o.id FROM {table} c JOIN {table} o "
        "ON o.indicator_id = c.indicator_id AND o.area_key = c.area_key AND o.period_start = c.period_start "
        "AND o.period_end = c.period_end AND o.dims = c.dims AND o.shown_until_id IS NULL "
        f"WHERE c.id = {changes}.measurement_id) "
        f"WHERE measurement_id IN (SELECT id FROM {table} WHERE shown_until_id = %s)",
        [batch_id],
    )


def batch_copies_delete(batch_id: int) -> None:
    """The old values a live batch replaced: no reader sees them; deleted in short transactions."""
    table = Measurement._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        _history_off_copies(cursor, batch_id)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE shown_until_id = %s LIMIT %s)",
                [batch_id, CLEAN_CHUNK],
            )
            if cursor.rowcount < CLEAN_CHUNK:
                return


def batch_undo(batch: ImportBatch) -> None:
    """Everything a batch that never went live wrote, taken back in short transactions (the batch stays
    not live and its indicators held until the end, so what readers see never changes): the changed
    values get their copies' values back, its new values and history go, the indicators are free again."""
    with transaction.atomic():
        # A cleaner may have listed the batch just before it went live: a live batch is never undone.
        # (Under the batch row's lock on PostgreSQL; SQLite's IMMEDIATE transaction waits for the go-live.)
        # A batch row that is gone is undone all the same, from the batch in memory: what it wrote still carries
        # its id, and would otherwise be visible (readers hide only the values of batches that are not live).
        if ImportBatch.every.select_for_update().filter(pk=batch.pk, live=True).exists():
            return
    while _changed_undo(batch):
        pass
    low = batch.values_after
    while (low := _new_undo(batch, low)) is not None:
        pass
    with transaction.atomic(), connection.cursor() as cursor:
        Indicator.objects.filter(importing=batch.pk).update(importing=None)
        # In SQL, not through Django's delete, which refuses a batch that is not live (`models.batch_keep`).
        cursor.execute(f"DELETE FROM {ImportBatch._meta.db_table} WHERE id = %s AND NOT live", [batch.pk])


def _changed_undo(batch: ImportBatch) -> bool:
    """CLEAN_CHUNK changed values back from their copies (found by key through the copies' own index), the
    batch's history of them deleted, the copies deleted; False when none are left."""
    table = Measurement._meta.db_table
    changes = MeasurementChange._meta.db_table
    key = (
        "o.indicator_id = c.indicator_id AND o.area_key = c.area_key AND o.period_start = c.period_start "
        "AND o.period_end = c.period_end AND o.dims = c.dims AND o.shown_until_id IS NULL"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(id), MAX(id) FROM (SELECT id FROM {table} WHERE shown_until_id = %s ORDER BY id LIMIT %s) x",
            [batch.pk, CLEAN_CHUNK],
        )
        low, high = cursor.fetchone()
        if low is None:
            return False
        copies = "c.shown_until_id = %s AND c.id >= %s AND c.id <= %s"
        cursor.execute(
            f"DELETE FROM {changes} WHERE id > %s AND measurement_id IN "
            f"(SELECT o.id FROM {table} c JOIN {table} o ON {key} WHERE {copies})",
            [batch.history_after, batch.pk, low, high],
        )
        cursor.execute(
            f"UPDATE {table} AS o SET {', '.join(f'{c} = c.{c}' for c in COLUMNS.split(', '))} "
            f"FROM {table} AS c WHERE {copies} AND {key}",
            [batch.pk, low, high],
        )
        _history_off_copies(cursor, batch.pk)
        cursor.execute(
            f"DELETE FROM {table} WHERE shown_until_id = %s AND id >= %s AND id <= %s", [batch.pk, low, high]
        )
    return True


def _new_undo(batch: ImportBatch, low: int) -> int | None:
    """The batch's new values (all made after the claim, so with ids above `values_after`) from id `low` on,
    CLEAN_CHUNK at a time, with their history; the next `low`, or None when none are left."""
    table = Measurement._meta.db_table
    changes = MeasurementChange._meta.db_table
    mine = "batch_id = %s AND shown_until_id IS NULL"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id), COUNT(*) FROM (SELECT id FROM {table} WHERE id > %s AND {mine} ORDER BY id LIMIT %s) x",
            [low, batch.pk, CLEAN_CHUNK],
        )
        high, count = cursor.fetchone()
        if not count:
            return None
        rows = f"id > %s AND id <= %s AND {mine}"
        cursor.execute(
            f"DELETE FROM {changes} WHERE measurement_id IN (SELECT id FROM {table} WHERE {rows})",
            [low, high, batch.pk],
        )
        cursor.execute(f"DELETE FROM {table} WHERE {rows}", [low, high, batch.pk])
    return high


def import_leftovers_clean() -> None:
    """Undo the batches of imports that died before going live, and delete the copies live batches left
    (a process killed after its batch went live). A batch whose import still runs is left alone."""
    for batch in ImportBatch.every.filter(live=False):
        guard = BatchGuard(batch.pk)
        if guard.hold(wait=False):
            try:
                batch_undo(batch)
            finally:
                guard.release()
    copies_of = set(
        Measurement.every.filter(shown_until__isnull=False).values_list("shown_until", flat=True).distinct()
    )
    for batch_id in ImportBatch.every.filter(pk__in=copies_of, live=True).values_list("pk", flat=True):
        batch_copies_delete(batch_id)


class BatchGuard:
    """Held by the process that writes a batch for as long as it writes it; the operating system (or
    PostgreSQL, for a session) lets go when that process dies, so a batch whose guard is free was left
    by an import that died. PostgreSQL: a session advisory lock; SQLite: a lock on a file beside the
    database."""

    KEY = 0x5A3E  # the advisory locks of imports: (KEY, batch id)

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.file: IO[bytes] | None = None
        self.held = False

    def _path(self) -> Path:
        name = str(connection.settings_dict["NAME"])
        if "memory" in name or not name:
            # An in-memory database lives in one process only.
            folder, stem = (
                Path(tempfile.gettempdir()),
                f"samen-{os.getpid()}-{hashlib.sha256(name.encode()).hexdigest()[:8]}",
            )
            return folder / f"{stem}.import-{self.batch_id}.lock"
        return Path(f"{name}.import-{self.batch_id}.lock")

    def hold(self, *, wait: bool = True) -> bool:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                verb = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
                cursor.execute(f"SELECT {verb}(%s, %s)", [self.KEY, self.batch_id])
                self.held = wait or bool(cursor.fetchone()[0])
            return self.held
        self.file = self._path().open("ab")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self.file.close()
            self.file = None
            return False
        self.held = True
        return True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [self.KEY, self.batch_id])
            return
        assert self.file is not None
        self._path().unlink(missing_ok=True)
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
        self.file = None
