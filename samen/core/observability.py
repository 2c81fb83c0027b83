"""What operations sees: a request id on every log line (JSON in production) and Prometheus metrics
at /metrics for the monitoring host only."""

from __future__ import annotations

import contextvars
import hmac
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A request id is taken from the proxy only behind a trusted proxy (which sets it, overwriting the
# client's), and only in the forms proxies make: 32 hex digits (nginx's $request_id) or a UUID.
_SANE_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID or a new one), logged and sent back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "") if settings.ALLAUTH_TRUSTED_PROXY_COUNT else ""
        # fullmatch, not match with `$`: `$` lets a trailing newline through into the header and the logs.
        rid = given.lower() if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so one request's lines can be found together. Django logs a
    4xx/5xx answer (`django.request`) after the middleware has returned and the context variable is
    reset: those records carry the request itself, whose id is read first."""

    def filter(self, record: logging.LogRecord) -> bool:
        given = getattr(record, "request_id", None)  # gunicorn's access log passes it along
        on_request = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = on_request or given or request_id.get()
        return True


# Path segments after these hold secrets (reset keys, invitation and registration tokens, unsubscribe links).
_TOKEN_AFTER = re.compile(r"(/(?:key|join|registration|unsubscribe|confirm-email|invitation|invite)/)[^/\s'\"?]+")
_QUERY = re.compile(r"\?[^\s'\">]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    """A log text without query strings, tokens from links or email addresses."""
    return _EMAIL.sub("[email]", _TOKEN_AFTER.sub(r"\1…", _QUERY.sub("", text)))


class RedactFilter(logging.Filter):
    """Keeps secrets and personal data out of the logs: Django's request records carry the full URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = redact(f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}")
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


# Any of these says the request came through a proxy (nginx's X-Real-IP, RFC 7239's Forwarded).
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for the monitoring host: a bearer token, or a direct request from an allowed
    address. Through a proxy (one of its headers set) an address alone is not enough. Others get 404."""
    from django_prometheus.exports import ExportToDjangoView

    token = settings.SAMEN_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    by_token = bool(token) and hmac.compare_digest(given.encode(), token.encode())
    by_address = (
        not any(header in request.META for header in _PROXY_HEADERS)
        and request.META.get("REMOTE_ADDR") in settings.SAMEN_METRICS_ALLOWED_ADDRESSES
    )
    if not (by_token or by_address):
        raise Http404
    return ExportToDjangoView(request)
