"""The periodic job that deletes the database cache's expired rows, on the real database cache."""

import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from samen.core import periodic
from samen.core.database_cache import delete_expired_cache_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings):
    table = f"samen_cache_expired_{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table},
    }
    call_command("createcachetable", verbosity=0)
    return caches["shared"], table


def _keys_stored(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def test_the_job_deletes_the_expired_rows_and_keeps_the_live_ones(database_cache, monkeypatch):
    shared, table = database_cache
    monkeypatch.setattr("samen.core.database_cache.BATCH", 3)  # several batches, the last one short
    shared.set_many({f"live-{n}": n for n in range(4)}, 600)
    shared.set_many({f"gone-{n}": n for n in range(7)}, 0)  # a timeout of 0: stored already expired
    assert len(_keys_stored(table)) == 11  # the backend leaves expired rows until a key is read again
    assert delete_expired_cache_rows() == {"shared": 7}
    assert _keys_stored(table) == {shared.make_key(f"live-{n}") for n in range(4)}
    assert shared.get_many([f"live-{n}" for n in range(4)]) == {f"live-{n}": n for n in range(4)}
    assert delete_expired_cache_rows() == {"shared": 0}


def test_without_a_database_cache_the_job_does_nothing(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert delete_expired_cache_rows() == {}


def test_the_job_is_a_periodic_one():
    assert delete_expired_cache_rows.task_name in {job.name for job in periodic.jobs()}
