"""The writers' queue of the SQLite backend: first come, first served; a waiter that gives up
does not hold up the ones behind it (the threaded proof is in samen/calls/tests/test_concurrency.py)."""

import threading
import time

import pytest

from samen.core.sqlite.base import WriterQueue


def test_writers_get_their_turn_in_the_order_they_came():
    queue = WriterQueue()
    assert queue.acquire(1)
    order = []

    def writer(name):
        assert queue.acquire(5)
        order.append(name)
        queue.release()

    threads = []
    for name in "abcde":
        threads.append(threading.Thread(target=writer, args=(name,)))
        threads[-1].start()
        time.sleep(0.02)  # arrive one after the other
    queue.release()
    for t in threads:
        t.join(5)
    assert order == list("abcde")


def test_a_writer_that_waited_too_long_gives_up_and_the_next_still_gets_its_turn():
    queue = WriterQueue()
    assert queue.acquire(1)
    assert queue.acquire(0.05) is False  # the holder did not finish in time
    got = []
    later = threading.Thread(target=lambda: got.append(queue.acquire(5)))
    later.start()
    time.sleep(0.02)
    queue.release()
    later.join(5)
    assert got == [True]
    queue.release()
    assert queue.acquire(0.01)  # free again


def _writers(path, backend, threads, rounds, timeout, commits, start):
    """`threads` writers on their own connections to the file: BEGIN IMMEDIATE, one UPDATE, a short
    hold, COMMIT, again. Each notes how many commits of others came between asking and getting in.

    A commit is counted while its writer still holds the lock, and a writer's "asking" is stamped by
    the process's queue itself, under its guard, when the writer joins the line (a test that read
    the counter before asking saw a writer slip in between and counted 16 of 15 once in CI)."""
    import importlib

    from django.db import connection

    wrapper = importlib.import_module(f"{backend}.base").DatabaseWrapper
    settings = {
        **connection.settings_dict,
        "NAME": path,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": timeout},
    }
    overtaken, errors, stamps = [], [], {}
    _stamp_the_line(path, commits, stamps)

    def work():
        db = wrapper(settings, "writers")
        start.wait()
        try:
            for _ in range(rounds):
                stamps[threading.get_ident()] = None  # stays None when the lock was free
                db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
                before = stamps[threading.get_ident()]
                overtaken.append(0 if before is None else commits.value - before)
                with db.cursor() as cursor:
                    cursor.execute("UPDATE counter SET n = n + 1")
                time.sleep(0.005)
                with commits.get_lock():
                    commits.value += 1
                db.commit()
                db.set_autocommit(True)
        except Exception as error:  # reported by the test
            errors.append(repr(error))
        finally:
            db.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    return overtaken, errors


def _stamp_the_line(path, commits, stamps):
    """The process's queue for `path` notes the commit count when a writer joins its line."""
    from collections import deque

    from samen.core.sqlite import base

    class StampedLine(deque):
        def append(self, turn):
            stamps[threading.get_ident()] = commits.value
            super().append(turn)

    base.writer_queue(path)._waiting = StampedLine()


def _database(tmp_path):
    import sqlite3

    path = str(tmp_path / "writers.sqlite3")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE counter (n INTEGER)")
        db.execute("INSERT INTO counter VALUES (0)")
    return path


@pytest.mark.django_db
def test_no_writer_of_a_process_is_overtaken_by_more_than_those_before_it(tmp_path):
    """First come, first served, whatever the machine's speed: with 16 writers a writer lets at most
    the 15 others in before it. SQLite's own busy handler lets a waiting writer be overtaken again
    and again (Django's backend: dozens of times), which is how callers waited past the timeout."""
    import multiprocessing

    path = _database(tmp_path)
    commits, start = multiprocessing.Value("i", 0), threading.Event()
    timer = threading.Timer(0.2, start.set)
    timer.start()
    overtaken, errors = _writers(path, "samen.core.sqlite", 16, 8, 60, commits, start)
    assert not errors, errors
    assert len(overtaken) == 16 * 8
    assert 0 < max(overtaken) <= 15, sorted(overtaken)[-5:]  # writers did wait in the line


def _process(path, threads, rounds, timeout, commits, results):
    start = threading.Event()
    start.set()
    results.put(_writers(path, "samen.core.sqlite", threads, rounds, timeout, commits, start))


@pytest.mark.django_db
def test_writers_of_several_processes_all_get_in(tmp_path):
    """Three processes (gunicorn's workers) of four threads: the heads of the processes take turns on
    the lock file beside the database, so nobody fails on "database is locked"."""
    import multiprocessing

    path = _database(tmp_path)
    context = multiprocessing.get_context("fork")
    commits, results = context.Value("i", 0), context.Queue()
    processes = [context.Process(target=_process, args=(path, 4, 10, 20, commits, results)) for _ in range(3)]
    for p in processes:
        p.start()
    got = [results.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(30)
    assert [errors for _o, errors in got] == [[], [], []]
    import sqlite3

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT n FROM counter").fetchone() == (3 * 4 * 10,)


@pytest.mark.django_db
def test_the_lock_file_belongs_to_the_database_s_owner_and_a_failure_leaves_the_queue(tmp_path, monkeypatch):
    """A command run as root before the server made the lock file makes it the database's (as SQLite
    does its -wal file); a failure on the way in gives the process's turn back."""
    import os

    from django.db import connection

    from samen.core.sqlite import base

    path = _database(tmp_path)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # the server's user, say
    settings = {**connection.settings_dict, "NAME": path}
    db = base.DatabaseWrapper(settings, "owner")
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    db.rollback()
    db.set_autocommit(True)
    made = os.stat(f"{path}-writers.lock")
    assert (made.st_uid, made.st_mode & 0o777) == (os.stat(path).st_uid, os.stat(path).st_mode & 0o666)

    def refused(database, timeout):
        raise PermissionError("not yours")

    monkeypatch.setattr(base, "_file_lock", refused)
    with pytest.raises(PermissionError):
        db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert base.writer_queue(path).acquire(0.01)  # the turn was given back
    base.writer_queue(path).release()
    db.close()
