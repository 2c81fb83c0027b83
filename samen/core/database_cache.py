"""The database cache (the shared cache without Redis) deletes an expired row only when it reads that
key, or when the table passes MAX_ENTRIES (then it culls the expired rows and a third of the rest). Page
parts and whole pages are keyed by data versions: after a write nobody reads the old keys again, so
their rows would stay until the cull, which also drops live pages. This job deletes the expired rows
in small batches (on SQLite a long DELETE would hold every other writer)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

from samen.core.periodic import periodic

BATCH = 5000


@periodic(every=datetime.timedelta(minutes=15))
def delete_expired_cache_rows() -> dict[str, int]:
    """For each database cache configured, the number of expired rows deleted; nothing for Redis."""
    return {
        alias: _delete_expired(backend)
        for alias in settings.CACHES
        if isinstance(backend := caches[alias], DatabaseCache)
    }


def _delete_expired(backend: DatabaseCache) -> int:
    database = router.db_for_write(backend.cache_model_class)
    connection = connections[database]
    table = connection.ops.quote_name(backend._table)
    key, expires = connection.ops.quote_name("cache_key"), connection.ops.quote_name("expires")
    # As the backend compares (`_cull`): whole seconds, aware or not as USE_TZ says.
    now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
    deleted, batch = 0, BATCH
    while batch == BATCH:
        with connection.cursor() as cursor:
            # The outer test again: a row set anew between the SELECT and the DELETE (PostgreSQL then
            # rechecks only the outer condition) is live, and stays (an `add` lock, a sign-in counter).
            cursor.execute(
                f"DELETE FROM {table} WHERE {expires} < %s AND {key} IN "  # noqa: S608 (the cache's own table)
                f"(SELECT {key} FROM {table} WHERE {expires} < %s LIMIT %s)",
                [now, now, BATCH],
            )
            batch = cursor.rowcount  # read before the cursor closes (psycopg then says -1)
        deleted += batch
    return deleted
