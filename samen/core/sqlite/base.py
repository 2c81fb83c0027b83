"""Django's SQLite backend, with the writers of one process queued first come, first served.

SQLite has one writer at a time. Every transaction here begins IMMEDIATE (settings), so a writer
waits at BEGIN in SQLite's busy handler: it sleeps and retries, 1 ms at first and then 100 ms at
a time, without a queue. With tens of writers at once (50 callers reserving batches) a writer
that already waited long sleeps 100 ms while newcomers retry after 1 ms and win; it can wait past
the timeout and fail with "database is locked" although the database was never stuck
(bench/calls.py: reservations at p50 15 ms but p95 17 s, callers stopped on errors).

So the threads of a process take turns through a FIFO queue before BEGIN IMMEDIATE and leave it
at commit or rollback; the one at the head then takes an OS lock on a file beside the database
(`<name>-writers.lock`) that the heads of the other processes (gunicorn workers, the periodic
jobs) try every millisecond, with no growing back-off: no process's writer is starved either.
Both waits are bounded by the same `timeout` as SQLite's, after which they fail the same way.
Writes outside a transaction (a single UPDATE in autocommit) do not queue: SQLite's busy handler
serves them, as before."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections import deque
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base


class WriterQueue:
    """A lock handed to waiters strictly in arrival order (threading.Lock promises no order)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        turn = threading.Event()
        with self._guard:
            if not self._held:
                self._held = True
                return True
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._guard:
            if turn.is_set():  # handed over while the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().set()  # handed straight to the next: it stays held
            else:
                self._held = False


_queues: dict[str, WriterQueue] = {}
_queues_guard = threading.Lock()


def writer_queue(name: str) -> WriterQueue:
    with _queues_guard:
        return _queues.setdefault(name, WriterQueue())


def _lock_file(database: str) -> int:
    """The lock file beside the database, made like SQLite makes its -wal file: with the database
    file's mode and, when a command runs as root before the server made it, the database's owner
    (else the server's workers could not open it and every write would fail)."""
    path = f"{database}-writers.lock"
    try:
        return os.open(path, os.O_RDWR)
    except FileNotFoundError:
        pass
    kept = os.stat(database)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, kept.st_mode & 0o666)
    if os.geteuid() == 0:
        os.fchown(fd, kept.st_uid, kept.st_gid)
    return fd


def _file_lock(database: str, timeout: float) -> int | None:
    """The OS lock beside the database, tried every millisecond until the timeout: the fd, or None."""
    fd = _lock_file(database)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(0.001)


class DatabaseWrapper(base.DatabaseWrapper):
    _in_queue = False
    _lock_fd: int | None = None

    def _queue(self) -> WriterQueue | None:
        # An in-memory database (the tests) belongs to one connection: nothing to queue for.
        return None if self.is_in_memory_db() else writer_queue(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        started = time.monotonic()
        if queue is not None and not self._in_queue:
            if not queue.acquire(timeout):
                raise OperationalError(f"database is locked (waited {timeout:.0f} s for the writers before)")
            self._in_queue = True
        try:
            if queue is not None and self._lock_fd is None:
                left = max(timeout - (time.monotonic() - started), 0.001)
                self._lock_fd = _file_lock(str(self.settings_dict["NAME"]), left)
                if self._lock_fd is None:
                    raise OperationalError(f"database is locked (waited {timeout:.0f} s for the other processes)")
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            os.close(fd)  # closing the file gives the lock up
        if self._in_queue:
            self._in_queue = False
            queue = self._queue()
            if queue is not None:
                queue.release()

    def _commit(self) -> None:
        super()._commit()  # a failed commit leaves the transaction open: its rollback leaves the queue
        self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_queue()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_queue()

    def _set_autocommit(self, autocommit: Any) -> None:
        super()._set_autocommit(autocommit)
        if autocommit:
            self._leave_queue()
