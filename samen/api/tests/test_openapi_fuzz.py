"""Schemathesis against our own OpenAPI document: no server error, every response as documented.

Every operation goes through schemathesis's examples, coverage and fuzzing phases (one pytest
item per operation), and the stateful phase chains operations through the links it infers (an
indicator's code from the list into its page and its measurements)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

# In CI the cases are the same every run (derandomized); SAMEN_FUZZ=500 explores new ones.
EXPLORE = int(os.environ.get("SAMEN_FUZZ", "0"))
EXAMPLES = EXPLORE or 25
QUICK = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None, "derandomize": not EXPLORE}


@pytest.fixture
def keep_the_test_connection():
    """Like Django's test client: the WSGI app must not close the connection the test's transaction is on."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The document is read when the tests are collected (it needs no database); the cases run later,
# against the test's database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_schema(visits, keep_the_test_connection):
    return schema


def test_the_examples_coverage_and_fuzzing_phases_all_run():
    phases = schema.config.phases_for(operation=None)
    assert phases.examples.enabled and phases.coverage.enabled and phases.fuzzing.enabled


@schema.parametrize()
@settings(max_examples=EXAMPLES, **QUICK)
def test_every_operation_keeps_its_documented_promises(case, visits, keep_the_test_connection):
    case.call_and_validate()


def test_chains_of_operations_keep_their_documented_promises(api_schema):
    machine = api_schema.as_state_machine()
    assert machine.bundles, "schemathesis found no links between the operations: the stateful phase would test nothing"
    machine.run(settings=settings(max_examples=EXPLORE or 10, stateful_step_count=4, **QUICK))


def test_every_operation_is_checked(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert {"POST /api/v1/measurements", "GET /api/v1/indicators/{code}/measurements"} <= labels
