"""The Hasselt demo for tests: loaded for real once per test process, copied after that.

`samen demo` costs about 15 s of CPU and 8,000 queries (members, ties, figures, the backbone's
report card). A browser test only needs the rows it leaves behind, so the first `load_demo()` of a
process (an xdist worker) runs the command and keeps what it wrote: every table's rows and the
media files. Later calls, on an empty database, write those rows back in one transaction — about
a second instead of fifteen. The tests of the command itself (`test_demo*.py`) run it again
on the loaded copy (a second run changes nothing); `test_demo_copy.py` compares the copy with it.

A copy is used only when it is what a real load would leave: the database holds nothing but what
migrations put there (no test has added or changed rows before loading the demo; compared row by row,
without ids), and the copy is at most `MAX_AGE` old (the demo's dates and times count from now).
Otherwise the command runs. One difference stays: every copy has the same primary keys, where a real
load on PostgreSQL gives new ones each time (sequences do not roll back); a test that would depend on
ids only by accident shows it with `SAMEN_DEMO_COPY=0`, which runs the command every time. The copy replaces content types
and permissions too (their ids change after each flush); Django's content type cache is cleared,
and `shared_data` clears it again when it rolls back.

The test processes of one run share the copy through a file in `shared_folder` (the root conftest
sets it to the run's temporary folder, which every xdist worker sees): the first process that needs
the demo runs the command and writes the copy there under a file lock, the others wait for it and
read it, so a run pays for one real load instead of one per worker.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

# The demo writes times relative to now (a signal of six hours ago, a waiting list by the hour): an
# older copy would make them older than a real load does, so it is taken again.
MAX_AGE = datetime.timedelta(minutes=10)


@dataclass
class _Copy:
    day: datetime.date
    vendor: str
    prefilled: frozenset[str]  # tables with rows before the demo: what migrations put there
    prefilled_digest: dict[str, list] = field(default_factory=dict)  # and what those rows were
    taken_at: datetime.datetime | None = None
    rows: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)  # SQLite: columns, rows
    dumps: dict[str, bytes] = field(default_factory=dict)  # PostgreSQL: COPY text
    media: Path | None = None
    output: str = ""  # what the command printed (the demo's logins)


_copy: _Copy | None = None
# The run's folder every test process sees (set by the root conftest); None: the copy is this process's own.
shared_folder: Path | None = None
_media_folder: tempfile.TemporaryDirectory | None = None
_copied_in_transaction = False  # the test's rollback brings the old content type ids back


def load_demo() -> str:
    """Fill the (empty) test database with the Hasselt demo, as `samen demo` would; answers what the
    command printed (from a copy: what the real run it was taken from printed)."""
    global _copy
    if os.environ.get("SAMEN_DEMO_COPY") == "0":  # to compare, or to rule the copy out
        return _demo()
    tables = _tables()
    filled = _filled(tables)
    now = timezone.now()
    with _shared_lock():
        if not _usable(_copy, now):
            _copy = _read_shared() or _copy  # another process of this run may have taken one since
        usable = _usable(_copy, now)
        if usable and filled <= _copy.prefilled and _unchanged(filled, _copy):
            _restore(_copy, tables)
            return _copy.output
        before = _prefilled_digest(filled)
        output = _demo()
        if not usable and _fresh(filled):
            _copy = _take(tables, timezone.localdate(now), prefilled=frozenset(filled))
            _copy.taken_at, _copy.prefilled_digest, _copy.output = now, before, output
            _copy.media = _keep_media()
            _write_shared(_copy)
        return output


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _usable(copy: _Copy | None, now: datetime.datetime) -> bool:
    return (
        copy is not None
        and copy.vendor == connection.vendor
        and copy.day == timezone.localdate(now)
        and now - copy.taken_at < MAX_AGE
    )


@contextmanager
def _shared_lock() -> Iterator[None]:
    """One process at a time loads the demo: the others wait for its copy instead of running the command too."""
    if shared_folder is None:
        yield
        return
    with open(shared_folder / "demo-copy.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def _read_shared() -> _Copy | None:
    if shared_folder is None or not (shared_folder / "demo-copy.pickle").exists():
        return None
    # Written by a test process of this same run (below), never by anything else.
    return pickle.loads((shared_folder / "demo-copy.pickle").read_bytes())  # noqa: S301


def _write_shared(copy: _Copy) -> None:
    if shared_folder is not None:
        written = shared_folder / "demo-copy.pickle.new"
        written.write_bytes(pickle.dumps(copy))
        written.replace(shared_folder / "demo-copy.pickle")  # whole or not at all for a reader


def _unchanged(filled: set[str], copy: _Copy) -> bool:
    """The tables that hold rows now hold what they held when the copy was taken (a table migrations
    filled then may be empty now: after a flush, or on another worker's first test)."""
    return _prefilled_digest(filled) == {table: copy.prefilled_digest.get(table) for table in filled}


def _prefilled_digest(filled: set[str]) -> dict[str, list]:
    """What migrations put in the tables that are not empty: their rows without ids (content type and
    permission ids change with each flush), so a row a test added or changed there is seen."""
    digest = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in filled:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]
        if model._meta.db_table == "network_dataversion":
            # The table versions' numbers rise with every write and start from the clock after a flush
            # (network.table_versions): versions, not data. Their names are what migrate made.
            fields = ["name"]
        rows = model._base_manager.values_list(*fields) if fields else model._base_manager.values_list("pk")
        digest[model._meta.db_table] = sorted(map(repr, rows)) if fields else [str(rows.count())]
    return digest


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _filled(tables: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        filled = set()
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 (a table name)
            if cursor.fetchone():
                filled.add(table)
    return filled


def _fresh(filled: set[str]) -> bool:
    """Only what migrations and `post_migrate` write: no user, nothing a test has added."""
    from samen.network.models import Area, Organisation, User

    return not ({User._meta.db_table, Organisation._meta.db_table, Area._meta.db_table} & filled)


def _take(tables: list[str], today: datetime.date, *, prefilled: frozenset[str]) -> _Copy:
    copy = _Copy(day=today, vendor=connection.vendor, prefilled=prefilled)
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} TO STDOUT") as dump:
                    copy.dumps[table] = b"".join(bytes(block) for block in dump)
            else:
                cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 (a table name)
                rows = [tuple(map(_storable, row)) for row in cursor.fetchall()]
                copy.rows[table] = ([column[0] for column in cursor.description], rows)
    return copy


def _storable(value: object) -> object:
    """SQLite's driver reads a `time` column as datetime.time but has no adapter to write one back."""
    return value.isoformat() if isinstance(value, datetime.time) else value


def _keep_media() -> Path | None:
    """The demo's images (logos, challenge pictures), kept in a folder of their own."""
    global _media_folder
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir():
        return None
    if shared_folder is not None:  # kept for the run, where the other processes find it
        kept = shared_folder / "demo-copy-media"
    else:
        if _media_folder is None:
            _media_folder = tempfile.TemporaryDirectory(prefix="samen-demo-media-")
        kept = Path(_media_folder.name) / "media"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(media, kept)
    return kept


def forget_copied_content_types() -> None:
    """After a test (conftest): a copy written inside the test's transaction is rolled back with it,
    and the content type ids Django cached from the copy with it."""
    global _copied_in_transaction
    if _copied_in_transaction:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        _copied_in_transaction = False


def _restore(copy: _Copy, tables: list[str]) -> None:
    global _copied_in_transaction
    from django.contrib.contenttypes.models import ContentType

    _copied_in_transaction = _copied_in_transaction or connection.in_atomic_block
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django declares them DEFERRABLE INITIALLY DEFERRED).
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 (a table name)
        for table, data in copy.dumps.items():
            with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as load:
                load.write(data)
        for table, (columns, rows) in copy.rows.items():
            if rows:
                names = ", ".join(qn(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
        # PostgreSQL's sequences continue after the copied ids (SQLite's AUTOINCREMENT does so itself).
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    ContentType.objects.clear_cache()
    if copy.media is not None:
        shutil.copytree(copy.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
