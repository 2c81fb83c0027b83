"""Two people take the last place of a role at the same moment: exactly one gets it.

Real threads with their own database connections, on SQLite (immediate transactions) and
PostgreSQL (the role row is locked) alike."""

import threading

import pytest
from django.db import connection
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_database():
    # An in-memory SQLite test database answers "table is locked" at once instead of waiting for
    # the writer; the file database of a real installation waits (immediate transactions,
    # busy timeout). Run this on a file: DATABASES TEST NAME set, or on PostgreSQL.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file or PostgreSQL database; the in-memory test database cannot wait for a lock")


def test_two_people_taking_the_last_place_at_once_one_gets_it(make_activity, make_role, make_user):
    from samen.activities import services
    from samen.activities.models import RoleSignup

    role = make_role(make_activity("Busy"), places=1)
    people = [make_user().member, make_user().member]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(member):
        translation.activate("en")
        try:
            barrier.wait()
            services.role_signup(role=role, member=member)
            outcomes.append("ok")
        except services.SignupRefused as refusal:
            outcomes.append(str(refusal))
        except Exception as error:  # noqa: BLE001 (the test reports any other failure)
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(m,)) for m in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["This role is full: every place is taken.", "ok"]
    assert RoleSignup.objects.filter(role=role).count() == 1
