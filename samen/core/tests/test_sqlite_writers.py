"""The writers' queue of the SQLite backend: first come, first served; a waiter that gives up
does not hold up the ones behind it (the threaded proof is in samen/calls/tests/test_concurrency.py)."""

import threading
import time

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
