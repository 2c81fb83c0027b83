"""Log lines hold no query strings, tokens from links, nor email addresses."""

import io
import logging

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

from samen.core.observability import RedactFilter, RequestIdFilter


def test_a_failed_request_on_a_token_link_logs_neither_the_token_nor_the_email():
    from pythonjsonlogger.json import JsonFormatter

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        for path in (
            "/en/account/password/reset/key/4-abc123token/?email=mila@example.org",
            "/en/join/abc123token",
            "/en/events/5/registration/abc123token/confirm/",
        ):
            request = RequestFactory().get(path)
            log_response("Not Found: %s", request.path, response=HttpResponse(status=404), request=request)
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert text.count("Not Found") == 3
    assert "abc123token" not in text
    assert "mila@example.org" not in text
    assert "?" not in text
