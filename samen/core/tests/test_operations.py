"""Operations: /healthz names the part that is down, /metrics is not for the public, logs carry a request id."""

import json
import logging
from unittest import mock

from django.db import OperationalError

from samen.core.observability import RequestIdFilter


def test_healthz_reports_the_shared_cache_and_the_broker_when_they_are_configured(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}
    }
    settings.SAMEN_TASKS = "celery"
    with mock.patch("samen.core.views._broker_answers", return_value=True):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_answers_503_naming_a_cache_that_is_down(client, db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_answers_503_naming_a_broker_that_is_down(client, db, settings):
    settings.SAMEN_TASKS = "celery"
    with mock.patch("samen.core.views._broker_answers", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"


def test_the_broker_check_reaches_a_real_redis_and_notices_a_missing_one():
    from samen.core.views import _broker_answers

    assert _broker_answers("redis://127.0.0.1:6379/9")
    assert not _broker_answers("redis://127.0.0.1:1/0")


def test_healthz_without_a_database_says_which_part(client, db):
    with mock.patch("samen.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_metrics_are_refused_to_the_public_through_the_proxy(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_metrics_are_given_to_the_monitoring_host_and_to_its_token(client, db, settings):
    client.get("/en/")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert "django_http_requests_total_by_method_total" in response.content.decode()
    settings.SAMEN_METRICS_TOKEN = "a-long-token-for-prometheus-0123456789"
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer a-long-token-for-prometheus-0123456789"
    )
    assert response.status_code == 200


def test_every_response_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == "proxy-abc-12345"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_a_log_line_is_one_json_object_with_the_request_id(client, db, settings):
    from samen import settings as live  # the real logging settings (the tests' own are quiet)
    from samen.core import observability

    formatter = logging.config.DictConfigurator(live.LOGGING).configure_custom(dict(live.LOGGING["formatters"]["json"]))
    record = logging.LogRecord("samen.test", logging.WARNING, __file__, 1, "something happened", None, None)
    token = observability.request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        observability.request_id.reset(token)
    line = json.loads(formatter.format(record))
    assert line["message"] == "something happened"
    assert line["request_id"] == "abc123"
    assert line["level"] == "WARNING"
