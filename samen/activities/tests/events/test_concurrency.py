"""Two people take the last place at the same moment: exactly one gets it, the other is in line.

Real threads, each with its own database connection, on a transactional test database.
PostgreSQL: the threads share the test database; the service locks the event row (SELECT ... FOR UPDATE).
SQLite: the test suite's database lives in memory, where separate connections cannot wait for each other,
so the tables are copied into a database file and every thread opens its own connection to that file
with the project's real settings (WAL, busy timeout, IMMEDIATE transactions: one writer at a time)."""

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import translation

from samen.activities.events import services
from samen.activities.events.models import Registration
from samen.activities.tests.events.fixtures import register

pytestmark = pytest.mark.django_db(transaction=True)


class Threads:
    """Runs callables on threads with their own connections, to the test database or to a file copy of it."""

    def __init__(self, tmp_path) -> None:
        self.file = None
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.file = str(tmp_path / "concurrency.sqlite3")
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            self.wrapper = type(connections["default"])
            self.settings = {**connection.settings_dict, "NAME": self.file}

    def _connect(self) -> None:
        if self.file:
            connections["default"] = self.wrapper(self.settings, "default")

    def at_the_same_moment(self, *actions: Callable[[], Any]) -> list[Any]:
        barrier = threading.Barrier(len(actions))
        results: list[Any] = [None] * len(actions)

        def run(index: int, action: Callable[[], Any]) -> None:
            self._connect()
            try:
                connections["default"].ensure_connection()
                barrier.wait(timeout=10)
                results[index] = action()
            except Exception as error:  # reported by the test, with the thread's error
                results[index] = error
            finally:
                connections["default"].close()

        threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    def one(self, action: Callable[[], Any]) -> Any:
        [result] = self.at_the_same_moment(action)
        if isinstance(result, Exception):
            raise result
        return result


def statuses(event) -> Callable[[], list[str]]:
    return lambda: list(Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True))


def test_two_members_clicking_for_the_last_place_get_one_place_and_one_spot_in_line(event, make_user, tmp_path):
    register(event, "first@example.org")  # one of the two places is taken
    a, b = make_user("a@example.org"), make_user("b@example.org")
    threads = Threads(tmp_path)

    def take(user):
        return lambda: (
            services.registration_create(
                event=event,
                name=user.email,
                email=user.email,
                is_resident=False,
                language="en",
                member=user.member,
            ).status
        )

    for attempt in range(5):
        threads.one(lambda: Registration.objects.filter(email__in=[a.email, b.email]).delete())
        results = threads.at_the_same_moment(take(a), take(b))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sorted(results) == ["confirmed", "waiting"], f"attempt {attempt}: {results}"
        assert sorted(threads.one(statuses(event))) == ["confirmed", "confirmed", "waiting"]


def test_the_same_person_clicking_twice_at_once_is_registered_once(event, member, tmp_path):
    threads = Threads(tmp_path)

    def click():
        translation.activate("en")  # a thread starts in the default language
        try:
            return services.registration_create(
                event=event,
                name="Mila",
                email=member.email,
                is_resident=False,
                language="en",
                member=member.member,
            ).status
        except services.RegistrationError as refused:
            return str(refused)

    results = threads.at_the_same_moment(click, click)
    assert sorted(results) == ["This email address is already registered for this event.", "confirmed"], results
    assert threads.one(statuses(event)) == ["confirmed"]


def test_two_cancellations_at_once_promote_two_different_people(event, tmp_path):
    holders = [register(event, f"h{i}@example.org") for i in range(2)]
    waiting = [register(event, f"w{i}@example.org") for i in range(3)]
    assert {w.status for w in waiting} == {"waiting"}
    threads = Threads(tmp_path)
    results = threads.at_the_same_moment(
        *[lambda h=h: services.registration_cancel(registration=h).status for h in holders]
    )
    assert results == ["cancelled", "cancelled"]
    assert threads.one(statuses(event)) == ["cancelled", "cancelled", "confirmed", "confirmed", "waiting"]
