"""After an approval, the pages that show an indicator (home, dashboard, API, indicator page) ask for its
computed view at once: one request computes it, the others wait for it and get the same view.

Real threads, each with its own database connection (activities' `Threads`: on SQLite a file copy of
the test database), sharing the database cache as a site without Redis does, or Redis when it runs."""

import threading
import time
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation

from samen.activities.tests.events.test_concurrency import Threads
from samen.core import local_copies
from samen.measurement import selectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        from samen.core.tests.test_tasks import _redis_url

        url = _redis_url()
        if url is None:
            pytest.skip("no Redis on 127.0.0.1:6379")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    else:
        backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samen_cache_build_once"}
    settings.CACHES = {"default": {**backend, "KEY_PREFIX": f"build-once-{uuid.uuid4().hex}"}}
    if request.param == "database":
        call_command("createcachetable", verbosity=0)
    yield caches["default"]
    if request.param == "database":
        caches["default"].clear()


def test_the_view_asked_by_several_pages_at_once_is_computed_once(visits, shared_cache, tmp_path, monkeypatch):
    computed: list[int] = []
    lock = threading.Lock()
    real_compute = selectors._compute

    def slow_compute(indicator, context, *, small_counts):
        with lock:
            computed.append(indicator.pk)
        time.sleep(0.5)  # a cold computation takes seconds at X50000: the others arrive meanwhile
        return real_compute(indicator, context, small_counts=small_counts)

    monkeypatch.setattr(selectors, "_compute", slow_compute)
    threads = Threads(tmp_path)

    def page():
        local_copies.clear_all()  # each thread stands for another process: nothing of its own
        with translation.override("nl"):
            view = selectors.indicator_views(selectors.published_indicators())[visits.pk]
        return view.latest.figure.value if view.latest else None

    results = threads.at_the_same_moment(*[page] * 5)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert computed == [visits.pk]
    assert len(set(results)) == 1 and results[0] is not None
    visits.refresh_from_db()
    key = f"samen:ind:{visits.pk}:v{visits.version}:{selectors.data_tokens([visits])[visits.pk]}:0:nl"
    # (read on a thread: on SQLite the threads' database is the file copy)
    assert threads.one(lambda: (shared_cache.get(key) is not None, shared_cache.get(f"{key}:building"))) == (True, None)


def test_a_failed_build_lets_the_next_request_build_at_once():
    from samen.core.local_copies import LocalCopies

    copies = LocalCopies(4, 60)

    def fail():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        copies.get_or_build("samen:test:failing", fail)
    start = time.monotonic()
    assert copies.get_or_build("samen:test:failing", lambda: 7) == 7
    assert time.monotonic() - start < 1  # the lock went with the failure: nobody waits for it


def test_a_builder_that_died_holding_the_lock_is_waited_for_only_so_long(monkeypatch):
    from django.core.cache import cache

    from samen.core.local_copies import LocalCopies

    monkeypatch.setattr(local_copies, "WAIT_SECONDS", 0.3)
    cache.add("samen:test:orphan:building", 1, 60)  # its process was killed midway
    start = time.monotonic()
    assert LocalCopies(4, 60).get_or_build("samen:test:orphan", lambda: "built here") == "built here"
    assert 0.3 <= time.monotonic() - start < 1.5  # it waited for the lock, but not for ever


def test_a_failed_add_without_a_standing_lock_builds_at_once(monkeypatch):
    """The database cache's add answers False when its write fails (SQLite locked past its timeout)."""
    from django.core.cache import cache

    from samen.core.local_copies import LocalCopies

    monkeypatch.setattr(cache, "add", lambda *a, **k: False)
    start = time.monotonic()
    assert LocalCopies(4, 60).get_or_build("samen:test:locked", lambda: "built here") == "built here"
    assert time.monotonic() - start < 1
