"""A small measurement world: a city with two districts and three neighbourhoods, two indicators.
The data is made by the plain functions in `factories.py`."""

import pytest

from samen.measurement.tests import factories


@pytest.fixture
def areas(db):
    return factories.make_areas()


@pytest.fixture
def sex(db):
    return factories.make_sex()


@pytest.fixture
def steward(org):
    return org


@pytest.fixture
def make_indicator(db, steward):
    def make(code="eld-visit-weekly", **fields):
        return factories.make_indicator(code, steward=fields.pop("steward", steward), **fields)

    return make


@pytest.fixture
def put(db):
    """Store an approved value directly (the approval flow has its own tests)."""
    return factories.put


@pytest.fixture
def visits(steward, areas, sex, domain_with_goal):
    """The 2015 survey: 6% of people over 84 got a visit less than once a week."""
    return factories.make_visits(steward=steward, areas=areas, sex=sex, goal=domain_with_goal)


@pytest.fixture
def domain_with_goal(db):
    return factories.make_domain_with_goal()
