"""This process's own copies of values from the shared cache, by a key that holds their data version.

Unpickling a large value from the shared cache (an indicator's computed view with its area shapes, the
network map) can cost more than drawing the page: a process keeps what it read, under a key that names
the data version (so a change to the data is a new key, never a stale copy), for no longer than the
shared cache keeps it. The copies are shared by the threads of a process: read-only, like anything
taken from the cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from django.core.cache import cache

T = TypeVar("T")
_every: list[LocalCopies] = []


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
        found = self.get_many([key])
        if key in found:
            return cast(T, found[key])  # what `build` made under this key, here or in another process
        value = build()
        self.set_many({key: value})
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def clear_all() -> None:
    """Forget every copy of this process: with the shared cache emptied (tests, where a rolled-back
    database hands out the same ids and versions again)."""
    for copies in _every:
        copies.clear()
