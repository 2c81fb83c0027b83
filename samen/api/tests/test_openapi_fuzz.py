"""Schemathesis against our own OpenAPI document: no server error, every response as documented."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

# In CI the cases are the same every run (derandomized); SAMEN_FUZZ=500 explores new ones.
EXPLORE = int(os.environ.get("SAMEN_FUZZ", "0"))
EXAMPLES = EXPLORE or 25


@pytest.fixture
def keep_the_test_connection():
    """Like Django's test client: the WSGI app must not close the connection the test's transaction is on."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_its_documented_promises(visits, keep_the_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=not EXPLORE,
        )
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert "POST /api/v1/measurements" in checked
    assert "GET /api/v1/indicators/{code}/measurements" in checked
