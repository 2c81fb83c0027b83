"""Table versions: every committed write raises its table's version (bulk writes too), a write that is
rolled back or a sign-in does not, and in production the number moves only after the commit."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from samen.network import table_versions
from samen.network.models import DataVersion, Organisation, Sector

pytestmark = pytest.mark.django_db


def _key() -> str:
    return table_versions.versions_key(["network_organisation"])


def test_a_save_an_update_and_a_bulk_insert_each_change_the_key(make_org, make_sector):
    start = _key()
    org = make_org()
    after_save = _key()
    Organisation.objects.filter(pk=org.pk).update(name="Renamed")  # no signal is sent for this
    after_update = _key()
    sector = make_sector()
    Organisation.objects.bulk_create(
        [Organisation(slug="bulk-1", name="Bulk", sector=sector, joined_on=datetime.date(2020, 1, 1))]
    )
    after_bulk = _key()
    assert len({start, after_save, after_update, after_bulk}) == 4


def test_a_write_to_another_table_keeps_the_key(make_sector):
    start = _key()
    Sector.objects.create(slug="new", name="New")
    assert _key() == start


def test_a_rolled_back_write_keeps_the_key(make_org):
    make_org()  # the version row exists
    start = _key()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.update(name="Not kept")
        raise RuntimeError
    # In the test suite the number moves at once; a rolled-back savepoint takes it back with the write.
    assert _key() == start


def test_a_sign_in_is_not_a_change(client, member):
    start = table_versions.versions_key(["network_user"])
    client.force_login(member)
    member.save(update_fields=["last_login"])
    assert table_versions.versions_key(["network_user"]) == start


def test_in_production_the_version_moves_after_the_commit_once(settings, make_org, django_capture_on_commit_callbacks):
    make_org()
    start = _key()
    settings.SAMEN_TABLE_VERSIONS_AFTER_COMMIT = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            for number in range(3):
                Organisation.objects.update(name=f"Name {number}")
        assert _key() == start  # not before the commit: no page is cached under a number before its data
    assert len(callbacks) == 1  # one raise per transaction, however many statements
    with CaptureQueriesContext(connection) as queries:
        callbacks[0]()
    assert len(queries) == 1
    assert _key() != start


def test_a_new_table_starts_from_the_clock():
    table_versions.versions_key(["network_sector"])
    number = DataVersion.objects.get(name="table:network_sector").number
    assert number > 10**18  # nanoseconds: a database made anew never repeats an old key


def test_every_watched_table_name_fits_the_version_row():
    longest = max(len(table_versions.PREFIX + t) for t in table_versions.watched_tables())
    assert longest <= DataVersion._meta.get_field("name").max_length
