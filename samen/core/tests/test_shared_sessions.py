"""More than one machine: sessions in Redis (written through to the database), PgBouncer's setting."""

import os
import runpy
from pathlib import Path

import pytest
import redis

import samen

REDIS = os.environ.get("SAMEN_TEST_SESSION_REDIS_URL", "redis://127.0.0.1:6379/13")


def _settings_with(monkeypatch, **env: str) -> dict:
    """The project's settings as a process with this environment reads them."""
    for name in ("REDIS_URL", "SESSION_ENGINE", "DATABASE_URL", "DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(samen.__file__).parent / "settings.py"))


def test_sessions_stay_in_the_database_without_redis(monkeypatch):
    assert _settings_with(monkeypatch)["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_sessions_are_read_from_redis_and_written_through_when_redis_is_configured(monkeypatch):
    settings = _settings_with(monkeypatch, REDIS_URL=REDIS)
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_the_session_engine_can_be_chosen_by_the_environment(monkeypatch):
    engine = "django.contrib.sessions.backends.cache"
    assert _settings_with(monkeypatch, REDIS_URL=REDIS, SESSION_ENGINE=engine)["SESSION_ENGINE"] == engine


def test_server_side_cursors_are_turned_off_for_pgbouncer_by_the_environment(monkeypatch):
    url = "postgres://samen@pgbouncer:6432/samen"
    plain = _settings_with(monkeypatch, DATABASE_URL=url)["DATABASES"]["default"]
    assert plain["DISABLE_SERVER_SIDE_CURSORS"] is False
    pooled = _settings_with(monkeypatch, DATABASE_URL=url, DATABASE_DISABLE_SERVER_SIDE_CURSORS="true")
    assert pooled["DATABASES"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True


@pytest.fixture
def redis_sessions(settings):
    connection = redis.Redis.from_url(REDIS)
    connection.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": "t"},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield connection
    connection.flushdb()


def test_a_signed_in_session_is_kept_in_redis_and_survives_its_loss(client, member, redis_sessions):
    from django.contrib.sessions.models import Session

    client.force_login(member)
    assert client.get("/en/profile/my-data.json").status_code == 200
    key = client.cookies["sessionid"].value
    assert any(key.encode() in name for name in redis_sessions.keys("*"))  # another host reads it there
    assert Session.objects.filter(session_key=key).exists()  # and written through
    redis_sessions.flushdb()  # Redis restarted, or the session evicted under memory pressure
    assert client.get("/en/profile/my-data.json").status_code == 200
