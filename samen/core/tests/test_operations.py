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
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_FORWARDED="for=203.0.113.9").status_code == 404
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


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_one_from_a_trusted_proxy(client, db, settings):
    first = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    from_nginx = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    # Without a trusted proxy the header is the client's own choice: never taken.
    assert client.get("/healthz", HTTP_X_REQUEST_ID=from_nginx)["X-Request-ID"] != from_nginx
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", HTTP_X_REQUEST_ID=from_nginx)["X-Request-ID"] == from_nginx
    a_uuid = "123e4567-e89b-12d3-a456-426614174000"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=a_uuid)["X-Request-ID"] == a_uuid
    for chosen in ("proxy-abc-12345", "<script>", "mila@example.org-aaaaaaaaaaaa", "a" * 32 + "\n"):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=chosen)["X-Request-ID"] != chosen


def test_gunicorns_access_log_holds_no_token_query_address_or_cookie():
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from samen.core import gunicorn_conf

    assert gunicorn_conf.logger_class is gunicorn_conf.RedactingLogger
    config = Config()
    config.set("access_log_format", config.access_log_format + " %({cookie}i)s %({authorization}i)s %(q)s")
    config.set("accesslog", "/dev/null")
    log = gunicorn_conf.RedactingLogger(config)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    log.access_log.addHandler(handler)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/nl/account/password/reset/key/3-secretkey123/?email=mila@example.org",
        "PATH_INFO": "/nl/account/password/reset/key/3-secretkey123/",
        "QUERY_STRING": "email=mila@example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://samen.example.org/nl/network/invitation/invitetoken456/",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("COOKIE", "sessionid=cookie789"), ("AUTHORIZATION", "Bearer bearer000")])
    log.access(response, request, environ, datetime.timedelta(milliseconds=12))
    assert len(lines) == 1
    for secret in ("secretkey123", "mila@example.org", "invitetoken456", "cookie789", "bearer000"):
        assert secret not in lines[0]
    assert "GET /nl/account/password/reset/key/" in lines[0]


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


def test_djangos_own_line_for_a_404_carries_the_request_id_of_the_response(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)  # as the console handler does, after the middleware has returned
    assert record.request_id == response["X-Request-ID"]


def _gunicorn_access_line(tmp_path, settings, log_format: str) -> str:
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from samen import settings as live  # the real logging settings (the tests' own are quiet)
    from samen.core import gunicorn_conf

    settings.LOG_FORMAT = log_format
    settings.LOGGING = live.LOGGING
    config = Config()
    config.set("access_log_format", gunicorn_conf.access_log_format)
    config.set("accesslog", str(tmp_path / "access.log"))
    log = gunicorn_conf.RedactingLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/en/", "PATH_INFO": "/en/", "SERVER_PROTOCOL": "HTTP/1.1"}
    response = SimpleNamespace(status="404 Not Found", sent=10, headers=[("X-Request-ID", "0f1e2d3c4b5a6978")])
    log.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12))
    for handler in log.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_gunicorns_access_line_carries_the_request_id(tmp_path, settings):
    line = _gunicorn_access_line(tmp_path, settings, "text")
    assert '"GET /en/ HTTP/1.1" 404 10' in line
    assert line.rstrip().endswith(" 0f1e2d3c4b5a6978")


def test_gunicorns_access_line_is_one_json_object_like_the_apps_lines(tmp_path, settings):
    line = json.loads(_gunicorn_access_line(tmp_path, settings, "json"))
    assert line["request_id"] == "0f1e2d3c4b5a6978"
    assert line["logger"] == "gunicorn.access" and line["level"] == "INFO"
    assert '"GET /en/ HTTP/1.1" 404' in line["message"]
