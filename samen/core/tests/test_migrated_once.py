"""After a transactional test the database is as `migrate` left it (migrated_once): what the test wrote
is gone, what migrations and `post_migrate` made is there."""

import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TransactionTestCase

from samen.backbone.models import Item
from samen.core.tests.factories import make_user
from samen.network.models import User


class _Finished(TransactionTestCase):
    __test__ = False  # only its teardown is used

    def runTest(self) -> None:  # noqa: N802 (unittest's name)
        pass


@pytest.mark.django_db(transaction=True)
def test_after_a_transactional_test_the_database_is_as_migrated():
    # The migrated copy is put back on SQLite; PostgreSQL flushes (and so does SQLite without the copy).
    restored = connection.vendor == "sqlite" and os.environ.get("SAMEN_MIGRATE_ONCE") != "0"
    make_user()
    items = Item.objects.count()  # the backbone's instrument, written by a data migration
    assert items > 0 or not restored

    _Finished()._fixture_teardown()  # what pytest-django runs after a transactional test

    assert not User.objects.exists()
    assert ContentType.objects.get_for_model(User).model_class() is User
    assert Permission.objects.exists() and Group.objects.exists()
    if restored:
        assert Item.objects.count() == items
