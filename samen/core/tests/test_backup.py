"""`samen backup` and `samen restore`: a round trip gives the same data table by table, the media and
the secret key; a database with data is only overwritten with --force. Runs on SQLite and PostgreSQL."""

import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samen.core.backup import BackupError
from samen.network.models import User


def _tables() -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_gives_identical_data_table_by_table_with_media(make_user, make_org, media, tmp_path):
    make_user("mila@example.org", first_name="Mila")
    org = make_org("wijkzorg-runkst", name="Wijkzorg Runkst")
    org.logo.save("logo.png", ContentFile(b"\x89PNG not really"), save=True)
    before = _tables()
    archive = tmp_path / "samen.tar.gz"

    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "secret_key" in names
    assert f"media/{org.logo.name}" in names

    User.objects.filter(email="mila@example.org").delete()
    make_org("later", name="Later")
    (media / org.logo.name).unlink()
    with pytest.raises(CommandError, match="The database is not empty .*Restore over it only with --force."):
        call_command("restore", str(archive))

    call_command("restore", str(archive), "--force")
    connection.close()
    after = _tables()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert (media / org.logo.name).read_bytes() == b"\x89PNG not really"


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_freshly_migrated_database_needs_no_force(make_user, media, tmp_path):
    make_user("mila@example.org")
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    User.objects.all().delete()
    from allauth.account.models import EmailAddress

    from samen.core.models import AuditEntry

    EmailAddress.objects.all().delete()
    AuditEntry.objects.all().delete()
    call_command("flush", "--noinput")
    call_command("restore", str(archive))
    connection.close()
    assert User.objects.filter(email="mila@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_another_secret_key_says_where_the_key_is(make_user, media, tmp_path, settings, capsys):
    make_user("mila@example.org")
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    settings.SECRET_KEY = "another-key-" + "q" * 50
    settings.VAR_DIR = tmp_path / "var"
    call_command("restore", str(archive), "--force")
    out = capsys.readouterr().out
    assert "The backup's secret key differs from this site's" in out
    assert (tmp_path / "var" / "secret_key").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_owner_only_even_over_a_leftover_readable_file(make_user, media, tmp_path):
    make_user("mila@example.org")
    archive = tmp_path / "samen.tar.gz"
    leftover = tmp_path / "samen.tar.gz.partial"
    leftover.write_text("old")
    leftover.chmod(0o644)
    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o077 == 0


def _rewrite(archive, target, *, drop=(), replace=None):
    """A copy of `archive` without the members in `drop` and with `replace` {name: bytes} swapped in."""
    import io

    replace = replace or {}
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            if member.name in drop:
                continue
            if member.name in replace:
                member.size = len(replace[member.name])
                out.addfile(member, io.BytesIO(replace[member.name]))
            else:
                out.addfile(member, source.extractfile(member) if member.isfile() else None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drop": ("secret_key",)}, "lacks secret_key"),
        ({"replace": {"database.sqlite3": b"SQLite format 3\x00 but torn off"}}, "database"),
    ],
)
def test_a_damaged_archive_is_refused_before_the_database_or_media_change(
    make_user, make_org, media, tmp_path, change, message
):
    if connection.vendor != "sqlite" and "replace" in change:
        pytest.skip("the torn SQLite file is a SQLite case")
    make_user("mila@example.org")
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, **change)
    make_user("later@example.org")
    (media / "kept.txt").parent.mkdir(parents=True, exist_ok=True)
    (media / "kept.txt").write_text("uploaded after the backup")

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), "--force")
    connection.close()
    assert User.objects.filter(email="later@example.org").exists()
    assert (media / "kept.txt").read_text() == "uploaded after the backup"
    assert [p.name for p in media.parent.iterdir() if "restoring" in p.name] == []


@pytest.mark.django_db(transaction=True)
def test_a_truncated_archive_is_refused(make_user, media, tmp_path):
    make_user("mila@example.org")
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    make_user("later@example.org")
    with pytest.raises(CommandError, match="not a readable samen backup"):
        call_command("restore", str(archive), "--force")
    assert User.objects.filter(email="later@example.org").exists()


@pytest.mark.django_db(transaction=True)
def test_the_media_folder_becomes_the_backups_not_a_merge(make_org, media, tmp_path):
    org = make_org("wijkzorg-runkst", name="Wijkzorg Runkst")
    org.logo.save("logo.png", ContentFile(b"\x89PNG not really"), save=True)
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    (media / "after-the-backup.txt").write_text("a file the backup does not hold")
    (media / org.logo.name).write_bytes(b"changed since")

    call_command("restore", str(archive), "--force")
    assert not (media / "after-the-backup.txt").exists()
    assert (media / org.logo.name).read_bytes() == b"\x89PNG not really"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mount_point", [False, True])
@pytest.mark.parametrize("failing", ["media", "database"])
def test_a_failed_swap_leaves_the_database_and_the_media_as_they_were(
    make_user, make_org, media, tmp_path, monkeypatch, mount_point, failing
):
    import os
    from pathlib import Path

    from samen.core import backup

    org = make_org("wijkzorg-runkst", name="Wijkzorg Runkst")
    org.logo.save("logo.png", ContentFile(b"\x89PNG not really"), save=True)
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    make_user("later@example.org")
    (media / "after.txt").write_text("uploaded after the backup")
    if mount_point:
        real_ismount = os.path.ismount
        monkeypatch.setattr(backup.os.path, "ismount", lambda p: Path(p) == media or real_ismount(p))
    if failing == "media":
        real_rename, calls = Path.rename, []

        def rename(self, target):
            calls.append(self)
            if len(calls) == 3:  # midway through the swap (the first is the staging's own)
                raise OSError(16, "Device or resource busy")
            return real_rename(self, target)

        monkeypatch.setattr(Path, "rename", rename)
    else:
        monkeypatch.setattr(backup, "_replace_database", lambda *a: (_ for _ in ()).throw(BackupError("torn")))

    with pytest.raises((CommandError, BackupError)):
        call_command("restore", str(archive), "--force")
    monkeypatch.undo()
    connection.close()
    assert User.objects.filter(email="later@example.org").exists()
    assert (media / "after.txt").read_text() == "uploaded after the backup"
    assert (media / org.logo.name).exists()
    assert not [p for p in (media.parent.iterdir()) if "restoring" in p.name]
    assert not [p for p in media.iterdir() if "restoring" in p.name]


def _resident(name: str = "Maria Peeters"):
    """A care resident whose name, address and notes are encrypted at rest with SAMEN_CARE_KEYS."""
    from samen.care.models import CareNetwork, Resident
    from samen.measurement.tests.factories import make_areas

    network = CareNetwork.objects.filter(slug="runkst").first()
    if network is None:
        area = make_areas()["runkst"]
        network = CareNetwork.objects.create(name="Buurtnetwerk Runkst", slug="runkst", area=area)
    return Resident.objects.create(
        network=network, area=network.area, name=name, address="Kempische Steenweg 1", notes="Hoort slecht"
    )


def _other_keys(settings):
    from cryptography.fernet import Fernet

    settings.SAMEN_CARE_KEYS = [Fernet.generate_key().decode()]
    return settings.SAMEN_CARE_KEYS


@pytest.mark.django_db(transaction=True)
def test_care_data_reads_after_a_restore_on_a_machine_with_other_care_keys(media, tmp_path, settings, capsys):
    from samen.care.models import Resident

    resident = _resident()
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        assert tar.extractfile("care_keys").read().decode().split() == settings.SAMEN_CARE_KEYS
    assert archive.stat().st_mode & 0o077 == 0

    _other_keys(settings)  # another machine: its own key, not the backup's
    call_command("flush", "--noinput")
    call_command("restore", str(archive), "--force")
    connection.close()
    restored = Resident.objects.get(pk=resident.pk)
    assert (restored.name, restored.address, restored.notes) == (
        "Maria Peeters",
        "Kempische Steenweg 1",
        "Hoort slecht",
    )
    assert "re-encrypted 7 values" in capsys.readouterr().out  # the blank fields are encrypted too


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_an_archive_whose_care_keys_cannot_read_its_care_data(media, tmp_path, settings):
    _resident()
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    wrong = tmp_path / "wrong-keys.tar.gz"
    from cryptography.fernet import Fernet

    _rewrite(archive, wrong, replace={"care_keys": Fernet.generate_key()})
    without = tmp_path / "without-keys.tar.gz"
    _rewrite(archive, without, drop=("care_keys",))
    _other_keys(settings)
    later = _resident("Jan Janssens")

    with pytest.raises(CommandError, match="7 encrypted values .* cannot be decrypted with the archive's care keys"):
        call_command("restore", str(wrong), "--force")
    with pytest.raises(CommandError, match="the archive holds no care keys .* set SAMEN_CARE_KEYS"):
        call_command("restore", str(without), "--force")
    connection.close()
    from samen.care.models import Resident

    assert Resident.objects.get(pk=later.pk).name == "Jan Janssens"  # nothing was changed


@pytest.mark.django_db(transaction=True)
def test_an_archive_without_care_keys_restores_on_the_machine_with_the_same_keys(media, tmp_path):
    from samen.care.models import Resident

    resident = _resident()
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    older = tmp_path / "older.tar.gz"
    _rewrite(archive, older, drop=("care_keys",))  # made before backups held the care keys
    call_command("restore", str(older), "--force")
    connection.close()
    assert Resident.objects.get(pk=resident.pk).name == "Maria Peeters"


@pytest.mark.django_db(transaction=True)
def test_a_restore_clears_the_cache_so_no_page_part_made_after_the_backup_shows(org, media, tmp_path, client):
    from samen.activities.tests.factories import make_activity
    from samen.measurement.tests.factories import make_domain_with_goal

    goal = make_domain_with_goal()
    make_activity("Buurtbabbel", lead=org, goal=goal)
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    make_activity("Na de back-up", lead=org, goal=goal)
    assert "Na de back-up" in client.get("/nl/activities/").content.decode()  # cached under the versions of now

    call_command("restore", str(archive), "--force")
    connection.close()
    # The restored table versions rise again to the numbers they had after the backup: without the
    # cache cleared, the page cached then would be served for this other data.
    make_activity("Na het herstel", lead=org, goal=goal)
    page = client.get("/nl/activities/").content.decode()
    assert "Na het herstel" in page
    assert "Na de back-up" not in page


def test_clearing_a_redis_cache_deletes_only_this_sites_keys(settings):
    import uuid

    from django.core.cache import caches

    from samen.core.backup import clear_caches
    from samen.core.tests.test_tasks import _redis_url

    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"samen-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    shared = caches["default"]
    shared.set_many({f"figure-{n}": n for n in range(1200)})
    client = shared._cache.get_client(None, write=True)
    broker_key = f"celery-{prefix}"  # Celery's queue may share the Redis database
    client.set(broker_key, "a queued mail", ex=60)
    try:
        clear_caches()
        assert shared.get_many([f"figure-{n}" for n in range(1200)]) == {}
        assert client.get(broker_key) == b"a queued mail"
    finally:
        client.delete(broker_key)


@pytest.mark.django_db(transaction=True)
def test_plain_text_that_looks_like_a_token_in_a_plain_column_does_not_stop_a_restore(media, tmp_path):
    from samen.care.models import Resident

    resident = _resident()
    Resident.objects.filter(pk=resident.pk).update(reference="fernet:t-42")  # a plain column, not encrypted
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    call_command("restore", str(archive), "--force")
    connection.close()
    assert Resident.objects.get(pk=resident.pk).reference == "fernet:t-42"


@pytest.mark.django_db(transaction=True)
def test_a_failed_reencryption_still_clears_the_cache_and_keeps_the_secret(media, tmp_path, settings, monkeypatch):
    from django.core.cache import cache

    from samen.core import backup

    _resident()
    archive = tmp_path / "samen.tar.gz"
    call_command("backup", str(archive))
    _other_keys(settings)
    settings.SECRET_KEY = "another-key-" + "q" * 50
    settings.VAR_DIR = tmp_path / "var"
    cache.set("samen:public:home:nl:before", "a page part of before the restore")
    monkeypatch.setattr(
        backup.crypto, "reencrypt_all", lambda keys: (_ for _ in ()).throw(backup.DatabaseError("gone"))
    )
    with pytest.raises(CommandError, match="could not be encrypted with this site's key"):
        call_command("restore", str(archive), "--force")
    assert cache.get("samen:public:home:nl:before") is None
    assert (tmp_path / "var" / "secret_key").exists()
