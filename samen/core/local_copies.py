"""This process's own copies of values from the shared cache, by a key that holds their data version.

Unpickling a large value from the shared cache (an indicator's computed view with its area shapes, the
network map) can cost more than drawing the page: a process keeps what it read, under a key that names
the data version (so a change to the data is a new key, never a stale copy), for no longer than the
shared cache keeps it. The copies are shared by the threads of a process: read-only, like anything
taken from the cache.

A value nobody has is built by one request at a time across every process and host: the first to
ask takes a lock in the shared cache (`cache.add`, atomic on Redis and on the database cache) and
builds it; the others wait for its value rather than build the same seconds-long computation at
once (after an approval, the home page, the dashboard, the API and the indicator page all ask for
the same indicator views). They do not serve the previous value meanwhile: the page built around it
is cached under the new data version, and would keep the old figures for as long."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

T = TypeVar("T")
_every: list[LocalCopies] = []
BUILDING_SECONDS = 60  # a builder that died holds its lock no longer than this
# The longest a request waits while another's lock stands before it builds the value itself: as long
# as the lock, so a build slowed down by a busy machine does not bring back the stampede.
WAIT_SECONDS = float(BUILDING_SECONDS)


class LocalCopies:
    """At most `size` values, each for `seconds`; when full, the oldest go first."""

    def __init__(self, size: int, seconds: int) -> None:
        self.size = size
        self.seconds = seconds
        self._values: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        _every.append(self)

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        """The values of `keys` that are here, or else in the shared cache (then kept here too)."""
        keys = list(keys)
        now = time.monotonic()
        found: dict[str, object] = {}
        for key in keys:
            kept = self._values.get(key)
            if kept is not None and kept[0] > now:
                found[key] = kept[1]
        missing = [k for k in keys if k not in found]
        if missing:
            shared = cache.get_many(missing)
            self.keep(shared)
            found.update(shared)
        return found

    def set_many(self, values: dict[str, object]) -> None:
        """Into the shared cache and here."""
        cache.set_many(values, self.seconds)
        self.keep(values)

    def keep(self, values: dict[str, object]) -> None:
        until = time.monotonic() + self.seconds
        with self._lock:
            self._values.update((key, (until, value)) for key, value in values.items())
            for old in list(self._values)[: max(0, len(self._values) - self.size)]:
                del self._values[old]  # dicts keep insertion order: the oldest first

    def get_or_build(self, key: str, build: Callable[[], T]) -> T:
        """The value under `key`, built and put in the shared cache when nobody has it."""
        return self.get_or_build_many([key], lambda missing: {key: build()})[key]

    def get_or_build_many(self, keys: Iterable[str], build: Callable[[list[str]], dict[str, T]]) -> dict[str, T]:
        """The values of `keys`; those nobody has are made by `build(keys)` (a value for each key given),
        by one request at a time: a key another request is building is waited for (its lock gone
        without a value, or WAIT_SECONDS passed, this request builds it itself)."""
        keys = list(keys)
        found = cast(dict[str, T], self.get_many(keys))
        missing = [k for k in keys if k not in found]
        if missing and not _can_lock():
            built = build(missing)
            self.set_many(built)
            return {**found, **built}
        deadline, pause = time.monotonic() + WAIT_SECONDS, 0.02
        while missing:
            locked = [k for k in missing if cache.add(f"{k}:building", 1, BUILDING_SECONDS)]
            mine = list(locked)
            if len(mine) < len(missing):
                # The database cache's add also answers False when its write failed (a locked SQLite):
                # with no lock standing and no value, nobody is building, so this request builds.
                standing = cache.get_many([f"{k}:building" for k in missing if k not in locked])
                free = [k for k in missing if k not in locked and f"{k}:building" not in standing]
                found.update(cast(dict[str, T], self.get_many(free)))  # a builder may just have finished
                mine += [k for k in free if k not in found]
            if not mine and time.monotonic() >= deadline:
                waited = [k for k in missing if k not in found]
                found.update(build(waited))  # waited long enough: build here too, without the lock
                self.set_many({k: found[k] for k in waited})
                break
            if mine:
                try:
                    built = build(mine)
                    self.set_many(built)
                finally:
                    cache.delete_many([f"{k}:building" for k in locked])
                found.update(built)
            elif any(k not in found for k in missing):
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            found.update(cast(dict[str, T], self.get_many([k for k in missing if k not in found])))
            missing = [k for k in missing if k not in found]
        return found

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def _can_lock() -> bool:
    """False inside a transaction on the database cache: the lock row would stay invisible to others,
    and block their add, until the transaction ends."""
    return not (isinstance(caches["default"], DatabaseCache) and connection.in_atomic_block)


def clear_all() -> None:
    """Forget every copy of this process: with the shared cache emptied (tests, where a rolled-back
    database hands out the same ids and versions again)."""
    for copies in _every:
        copies.clear()
