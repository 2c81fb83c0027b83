"""The test database is migrated once per test run, not once per test process (xdist worker).

Running every migration costs about 20 s of CPU. Each worker used to pay it for its own test
database; now the first worker to create its database runs `migrate` as always and leaves the result
in the run's shared folder, and the others take that result instead of migrating again:
- SQLite (an in-memory database per worker): a file made with SQLite's backup API, copied back in
  with the same API;
- PostgreSQL: a template database (`CREATE DATABASE … TEMPLATE`), made from the first worker's freshly
  migrated database, named after the test database without the worker's suffix and with `_migrated`
  (`test_samen_migrated`); it stays until the next run replaces it.
Everything migrations write is in the copy: the tables, the rows of data migrations and what
`post_migrate` makes (content types, permissions, the role groups, the cache table). The tests of
migrations themselves still run `migrate` (they call the command directly).

`install(folder)` is called by the root conftest just before pytest-django creates the test databases;
it replaces `call_command` for the one `migrate` Django's test database creation runs, then puts the
real one back. `SAMEN_MIGRATE_ONCE=0` lets every worker migrate (to compare, or to rule the copy out).

After a transactional test (`transactional_db`, `live_server`) Django empties every table (`flush`) and
runs `post_migrate` again: about 0.1 s of CPU each, and the rows data migrations wrote are gone for the
rest of the worker's tests (the backbone's instrument). On SQLite the saved copy is put back instead, as
at the start: every test starts from what `migrate` left, in any order. PostgreSQL still flushes.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from django.core import management
from django.db import connections

_call_command = management.call_command


def install(folder: Path) -> None:
    if os.environ.get("SAMEN_MIGRATE_ONCE") == "0":
        return

    def call_command(name: str, *args: Any, **options: Any) -> Any:
        # Only the test database creation's migrate (`run_syncdb`); anything else goes through as it is.
        if name != "migrate" or not options.get("run_syncdb"):
            return _call_command(name, *args, **options)
        management.call_command = _call_command
        return _migrate_once(folder, name, *args, **options)

    management.call_command = call_command
    _restore_instead_of_flush(folder)


def _restore_instead_of_flush(folder: Path) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self: TransactionTestCase) -> None:
        names = self._databases_names(include_mirrors=False)
        restorable = self.available_apps is None and not self.serialized_rollback
        if not (restorable and all(_restore(folder, connections[name]) for name in names)):
            flush(self)
        ContentType.objects.clear_cache()  # a flush made new ids, a copy brings the migrated ones back

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]


def _restore(folder: Path, connection: Any) -> bool:
    """Put the migrated copy back into this SQLite test database; False where there is none to put."""
    from samen.network.models import DataVersion
    from samen.network.table_versions import PREFIX

    saved = folder / f"migrated-{connection.alias}-{connection.vendor}"
    if connection.vendor != "sqlite" or not saved.exists():
        return False
    _load(connection, saved)
    # Numbered from the clock, as `post_migrate` after a flush does: no cache key of the last test's data comes back.
    DataVersion.objects.using(connection.alias).filter(name__startswith=PREFIX).update(number=time.time_ns())
    return True


def _migrate_once(folder: Path, name: str, *args: Any, **options: Any) -> Any:
    connection = connections[options.get("database", "default")]
    saved = folder / f"migrated-{connection.alias}-{connection.vendor}"
    with open(folder / f"migrated-{connection.alias}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait while the first migrates
        if saved.exists():
            _load(connection, saved)
            return None
        result = _call_command(name, *args, **options)
        _save(connection, saved)
        return result


def _save(connection: Any, saved: Path) -> None:
    connection.ensure_connection()
    written = saved.with_name(saved.name + ".new")
    if connection.vendor == "sqlite":
        target = sqlite3.connect(written)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        own = connection.settings_dict["NAME"]
        template = re.sub(r"_gw\d+$", "", own) + "_migrated"  # one name whichever worker comes first
        connection.close()  # a template is copied only while nobody is connected to the original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{own}"')
        written.write_text(template)
    else:
        return  # another database: every worker migrates
    written.replace(saved)


def _load(connection: Any, saved: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(saved)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        own = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{own}"')
            cursor.execute(f'CREATE DATABASE "{own}" TEMPLATE "{saved.read_text()}"')
