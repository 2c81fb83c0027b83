"""Schemathesis against our own OpenAPI document: no server error, every response as documented."""

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings


def test_the_api_keeps_its_documented_promises(visits):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert "POST /api/v1/measurements" in checked
    assert "GET /api/v1/indicators/{code}/measurements" in checked
