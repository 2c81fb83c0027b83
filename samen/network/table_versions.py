"""A version per table of Samen's own apps, raised after every committed write to it: the key of the
cached public pages (`core.public_cache`).

Every SQL statement that writes (INSERT, UPDATE, DELETE) goes through a wrapper on the database
connection, so bulk writes, `update()` and the importer's statements count as much as a `save()`
(signals would miss them). The numbers are raised once per transaction, after it commits: a page
computed from the old data is never stored under the new version, and the short UPDATE of a
version row holds no lock while the writing transaction runs. A page reads the versions of the
tables it shows in one query and is cached under them, so a write to any of them shows at once in
every process, and writes to other tables (a registration, a support) leave it cached."""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model
from django.http import HttpRequest

from samen.core.templatetags.public_cache import EVERYONE

PREFIX = "table:"  # the names of these rows in DataVersion beside the network map's "network"
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A sign-in saves only User.last_login: nothing a public page shows.
SIGN_IN = re.compile(r'^\s*UPDATE\s+"?network_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.IGNORECASE)
SAMEN_APPS = ("core", "agenda", "network", "measurement", "activities", "front", "api")


@functools.cache
def watched_tables() -> frozenset[str]:
    """The tables of Samen's apps whose writes public pages may show (not the version table itself)."""
    found = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("samen.") and m._meta.app_label in SAMEN_APPS
    }
    return frozenset(found - {"network_dataversion"})


def tables_of(*models: type[Model], apps_: Iterable[str] = (), leave_out: Iterable[type[Model]] = ()) -> list[str]:
    """The tables a page shows: the models named (their many-to-many tables with them) and every model
    of the apps named, less `leave_out` (e.g. the supports of proposals, when only proposals are shown)."""
    chosen: set[type[Model]] = set(models)
    for label in apps_:
        chosen.update(apps.get_app_config(label).get_models(include_auto_created=True))
    for model in list(chosen):
        chosen.update(f.remote_field.through for f in model._meta.local_many_to_many)  # type: ignore[union-attr]
    left_out = {m._meta.db_table for m in leave_out}
    return sorted(({m._meta.db_table for m in chosen} - left_out) & watched_tables())


class _Raise:
    """The one after-commit job of a connection: raise the versions of the tables written."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.tables: set[str] = set()

    def __call__(self) -> None:
        tables, self.tables = self.tables, set()
        if tables and _has_versions(self.connection):
            from samen.network.models import DataVersion

            DataVersion.objects.using(self.connection.alias).filter(name__in=[PREFIX + t for t in tables]).update(
                number=F("number") + 1
            )


_known: set[str] = set()  # the databases where migrate has made the versions' table


def _has_versions(connection: BaseDatabaseWrapper) -> bool:
    """False while migrate builds the database (writes then come before the table): nothing can have
    been cached under a version yet."""
    if connection.alias not in _known and "network_dataversion" in connection.introspection.table_names():
        _known.add(connection.alias)
    return connection.alias in _known


def _written(connection: BaseDatabaseWrapper, table: str) -> None:
    job: _Raise | None = getattr(connection, "_samen_table_versions", None)
    if job is None:
        job = _Raise(connection)
        connection._samen_table_versions = job  # type: ignore[attr-defined]
    if not settings.SAMEN_TABLE_VERSIONS_AFTER_COMMIT:
        # The test suite: every test is one transaction that never commits, and a page read after a
        # write in the same test must show it.
        job.tables = {table}
        job()
        return
    # Once per transaction: a rolled-back savepoint drops the job with it, and then it is added again.
    if any(func is job for _, func, _ in connection.run_on_commit):
        job.tables.add(table)
        return
    job.tables = {table}
    transaction.on_commit(job, using=connection.alias)  # outside a transaction: at once


def _wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    found = WRITE.match(sql) if isinstance(sql, str) else None  # psycopg's composed SQL: not Django's
    if found and found.group(1) in watched_tables() and not SIGN_IN.match(sql):
        _written(context["connection"], found.group(1))
    return result


def watch_writes(connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """A connection_created receiver: every statement of the connection passes the wrapper (once)."""
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def create_versions(**kwargs: object) -> None:
    """A post_migrate receiver: a version row for every watched table, so that pages never insert one."""
    from samen.network.models import DataVersion

    start = time.time_ns()
    DataVersion.objects.bulk_create(
        [DataVersion(name=PREFIX + t, number=start) for t in sorted(watched_tables())], ignore_conflicts=True
    )


def read_versions(names: Iterable[str], request: HttpRequest | None = None) -> dict[str, int]:
    """The numbers of the version rows named. All rows are read at once (a few dozen: one plain query
    costs less than one that names them) and kept for the rest of the request, so a page cache and
    the page parts of the same request read them once. A missing table row is made (numbered from the
    clock, so that a database made anew never repeats a key of older data); another missing row (the
    network map's, before its first change) is left out."""
    known: dict[str, int] | None = getattr(request, "_samen_versions", None)
    if known is None:
        known = _all_versions()
        if request is not None:
            request._samen_versions = known  # type: ignore[attr-defined]
    wanted = set(names)
    absent = [n for n in wanted - known.keys() if n.startswith(PREFIX)]
    if absent:
        from samen.network.models import DataVersion

        start = time.time_ns()
        DataVersion.objects.bulk_create([DataVersion(name=n, number=start) for n in absent], ignore_conflicts=True)
        known.update(DataVersion.objects.filter(name__in=absent).values_list("name", "number"))
    return {n: known[n] for n in wanted if n in known}


def _all_versions() -> dict[str, int]:
    from samen.network.models import DataVersion

    table = connection.ops.quote_name(DataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, number FROM {table}")  # noqa: S608 (the model's own table name)
        return dict(cursor.fetchall())


def versions_key(tables: Iterable[str], request: HttpRequest | None = None, others: Iterable[str] = ()) -> str:
    """A short key naming the current version of every table given (and of the `others` rows named):
    one query per request (`read_versions`)."""
    names = sorted({PREFIX + t for t in tables} | set(others))
    found = read_versions(names, request)
    text = ",".join(f"{n}={found.get(n)}" for n in names)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def public_version(request: HttpRequest, tables: Iterable[str], *parts: object, everyone: bool = False) -> str | None:
    """The version under which the public parts of a page are cached (`{% public_cache %}`): the
    versions of the tables it shows, the `parts` of the request it depends on (filters, page
    number; the language is added by the tag) and the disclosure threshold (a setting: raised and
    restarted, no count shown under the old one may be served from a cache that outlived the
    restart). None for a signed-in person: their page is never taken from, nor put in, the public
    cache; unless `everyone`: the view has checked that the part is the same for this person as for a
    visitor, and they share it (the tag serves a version starting with `EVERYONE` to them too)."""
    if request.user.is_authenticated and not everyone:
        return None
    parts = (settings.SAMEN_DISCLOSURE_THRESHOLD, *parts)
    key = versions_key(tables, request) + ":" + hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return EVERYONE + key if everyone else key
