"""Production settings refuse to start half-configured and pass Django's deployment check."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

GOOD_SECRET = "Qw7-kz3PnV0t_hY8mR2xLcB5uJ9eFg4DsA6oWi1NqT-ZvK7yHb0rXp3jMl5GdE8fUa2CSwY"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(DJANGO_SETTINGS_MODULE="samen.settings", **env)
    return subprocess.run(
        [sys.executable, "-m", "samen", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_real_secret(tmp_path):
    result = _run(["check"], SAMEN_ENV="production", ALLOWED_HOSTS="samen.example.org", SAMEN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_hosts(tmp_path):
    result = _run(["check"], SAMEN_ENV="production", SECRET_KEY=GOOD_SECRET, SAMEN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_its_https_address(tmp_path):
    result = _run(
        ["check"],
        SAMEN_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="samen.example.org",
        SAMEN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SITE_URL must be this site's https:// address" in result.stderr


def test_a_bad_boolean_is_named(tmp_path):
    result = _run(["check"], DEBUG="maybe", SAMEN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SAMEN_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="samen.example.org",
        SITE_URL="https://samen.example.org",
        EMAIL_HOST="smtp.example.org",
        SAMEN_CARE_KEYS="4DYQGdMX9s7Ka6HdmJr2YHlhgcdOJzMYAsLd8EpDQ_Y=",
        SAMEN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_makes_and_keeps_its_own_secret(tmp_path):
    first = _run(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"], SAMEN_VAR_DIR=str(tmp_path)
    )
    second = _run(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"], SAMEN_VAR_DIR=str(tmp_path)
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/nl/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _deploy_check(tmp_path, **env):
    settings = {
        "SAMEN_ENV": "production",
        "SECRET_KEY": GOOD_SECRET,
        "ALLOWED_HOSTS": "samen.example.org",
        "SITE_URL": "https://samen.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "SAMEN_CARE_KEYS": "4DYQGdMX9s7Ka6HdmJr2YHlhgcdOJzMYAsLd8EpDQ_Y=",
        "SAMEN_VAR_DIR": str(tmp_path),
    }
    settings.update(env)
    return _run(["check", "--deploy", "--fail-level", "WARNING"], **settings)


def test_check_deploy_refuses_any_host(tmp_path):
    result = _deploy_check(tmp_path, ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "samen.E001" in result.stderr


def test_check_deploy_refuses_debug_even_when_samen_env_was_forgotten(tmp_path):
    # --fail-level ERROR: Django's own deploy warnings must not be what fails.
    result = _run(
        ["check", "--deploy"],
        SAMEN_ENV="development",
        DEBUG="true",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="samen.example.org",
        SAMEN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "samen.E002" in result.stderr


def test_check_deploy_refuses_debug_in_production(tmp_path):
    result = _deploy_check(tmp_path, DEBUG="true")
    assert result.returncode != 0
    assert "samen.E002" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "ab" * 30,
        "0123456789" * 6,
        "x" * 20 + "Qw7-kz3PnV0t_hY8mR2xLcB5uJ9eFg4DsA6oWi1NqT",
        "my-super-secret-key-for-samen-in-production-Qw7kz3PnV0thY8mR2x",
    ],
)
def test_check_deploy_refuses_a_patterned_secret_key(key):
    from samen.core.checks import secret_key_is_patterned

    assert secret_key_is_patterned(key)


def test_a_generated_secret_key_has_no_pattern():
    import secrets

    from samen.core.checks import secret_key_is_patterned

    assert not any(secret_key_is_patterned(secrets.token_urlsafe(64)) for _ in range(50))
