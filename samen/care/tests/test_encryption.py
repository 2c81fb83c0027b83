"""Residents' personal data is encrypted at rest, with keys that can be rotated."""

import io
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from samen.care.models import Resident
from samen.core import crypto

pytestmark = pytest.mark.django_db


def _raw(resident: Resident, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM care_resident WHERE id = %s", [resident.pk])
        return cursor.fetchone()[0]


def test_the_database_never_holds_a_residents_phone_address_or_name_in_clear(resident):
    for column, plain in (
        ("name", "Maria Peeters"),
        ("phone", "011 22 33 44"),
        ("address", "Kempische Steenweg 1"),
        ("nearby_1", "0470 11 11 11"),
        ("notes", "Hoort slecht"),
        ("birth_date", "1938-05-02"),
    ):
        raw = _raw(resident, column)
        assert plain not in raw
        assert raw.startswith("fernet:")
    fresh = Resident.objects.get(pk=resident.pk)
    assert (fresh.name, fresh.phone, fresh.birth_date.year) == ("Maria Peeters", "011 22 33 44", 1938)


def test_the_same_phone_is_a_different_token_every_time(resident, make_resident):
    other = make_resident(phone="011 22 33 44")
    assert _raw(resident, "phone") != _raw(other, "phone")


def test_keys_rotate_the_first_encrypts_all_decrypt_and_the_command_reencrypts(resident, settings):
    old = settings.SAMEN_CARE_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.SAMEN_CARE_KEYS = [new, old]
    assert Resident.objects.get(pk=resident.pk).phone == "011 22 33 44"  # the old key still decrypts
    call_command("care-rotate-keys", stdout=io.StringIO())
    settings.SAMEN_CARE_KEYS = [new]  # the old key is gone
    assert Resident.objects.get(pk=resident.pk).phone == "011 22 33 44"
    assert Resident.objects.get(pk=resident.pk).name == "Maria Peeters"


def test_a_removed_key_is_named_rather_than_showing_garbage(resident, settings):
    settings.SAMEN_CARE_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="cannot be decrypted with the keys in SAMEN_CARE_KEYS"):
        Resident.objects.get(pk=resident.pk)


def test_a_lookup_on_an_encrypted_column_is_refused_rather_than_silently_wrong(resident):
    from django.core.exceptions import FieldError

    assert crypto.encrypt("x") != crypto.encrypt("x")
    with pytest.raises(FieldError, match="encrypted at rest"):
        Resident.objects.filter(phone="011 22 33 44").exists()
    assert Resident.objects.filter(birth_date__isnull=False).exists()


def _check(tmp_path, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SAMEN_CARE_KEYS", "DATABASE_URL")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="samen.settings",
        SAMEN_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-secret-for-the-tests-only-0123456789",
        ALLOWED_HOSTS="samen.example.org",
        SITE_URL="https://samen.example.org",
        SAMEN_VAR_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "samen", "check"], env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_care_keys(tmp_path):
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "SAMEN_CARE_KEYS must hold at least one Fernet key" in result.stderr
    assert not (tmp_path / "care_key").exists()


def test_production_refuses_a_key_that_is_not_a_fernet_key(tmp_path):
    result = _check(tmp_path, SAMEN_CARE_KEYS=Fernet.generate_key().decode() + ",not-a-key")
    assert result.returncode != 0
    assert "key 2 is not a Fernet key" in result.stderr


def _development(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SAMEN_CARE_KEYS", "DATABASE_URL", "DEBUG")}
    environment.update(
        DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development", SAMEN_VAR_DIR=str(tmp_path), **env
    )
    return environment


def _samen(args, environment):
    return subprocess.run(
        [sys.executable, "-m", "samen", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_developer_with_a_key_in_var_starts_without_debug_but_check_deploy_refuses_it(tmp_path):
    key = Fernet.generate_key().decode()
    (tmp_path / "care_key").write_text(key)
    environment = _development(tmp_path)
    shown = _samen(["shell", "-c", "from django.conf import settings; print(settings.SAMEN_CARE_KEYS[0])"], environment)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == key  # the key the data is encrypted with, not a new one
    deploy = _samen(["check", "--deploy", "--fail-level", "ERROR"], environment)
    assert deploy.returncode != 0 and "care.E001" in deploy.stderr


def test_check_deploy_accepts_keys_from_the_environment(tmp_path):
    environment = _development(tmp_path, SAMEN_CARE_KEYS=Fernet.generate_key().decode())
    result = _samen(["check", "--deploy", "--fail-level", "ERROR"], environment)
    assert "care.E001" not in result.stderr
    assert not (tmp_path / "care_key").exists()


def test_development_makes_and_keeps_its_own_care_key(tmp_path):
    environment = _development(tmp_path)
    command = [
        sys.executable,
        "-m",
        "samen",
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SAMEN_CARE_KEYS[0])",
    ]
    first = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    second = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "care_key").stat().st_mode & 0o077 == 0
