"""A call campaign in the care world of Runkst: the coordinator set it up, two members call."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samen.care.tests.conftest import *  # noqa: F403 (the care world: networks, members, residents)

ALL_DAY = (datetime.time(0, 0), datetime.time(23, 59, 59, 999999))


@pytest.fixture(autouse=True)
def _site_language():
    """Every calls test starts in the site's language: a test-client request in English leaves
    English active in the thread, and services' messages would follow it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def caller(make_care_member, runkst_network, org):
    return make_care_member(runkst_network, org, email="carla@example.org", first_name="Carla")


@pytest.fixture
def other_caller(make_care_member, runkst_network, other_org):
    return make_care_member(runkst_network, other_org, email="bert@example.org", first_name="Bert")


@pytest.fixture
def make_campaign(runkst_network, care_coordinator, caller, other_caller):
    def make(**fields):
        from samen.calls import services
        from samen.calls.models import CallCampaign

        today = timezone.localdate()
        values = {
            "name": "Belgezel Runkst",
            "starts_on": today - datetime.timedelta(days=1),
            "ends_on": today + datetime.timedelta(days=30),
            "calls_from": ALL_DAY[0],
            "calls_until": ALL_DAY[1],
            "min_age": 65,
            **fields,
        }
        callers = values.pop("callers", [caller, other_caller])
        campaign = CallCampaign(network=runkst_network, **values)
        return services.campaign_save(campaign=campaign, areas=[], callers=callers, actor=care_coordinator)

    return make


@pytest.fixture
def campaign(make_campaign):
    return make_campaign()


@pytest.fixture
def many_residents(runkst_network, areas):
    """Residents in bulk (encrypted like any other), for the query-count and load tests."""

    def make(count, *, start_year=1930, phone=True):
        from samen.care.models import Resident

        rows = [
            Resident(
                network=runkst_network,
                area=areas["runkst"] if i % 2 else areas["kiewit"],
                name=f"Persoon {i} Test",
                birth_date=datetime.date(start_year + i % 30, 1, 1),
                birth_year=start_year + i % 30,
                phone=f"011 {i:06d}" if phone else "",
                lives_alone=bool(i % 3),
                language="nl",
            )
            for i in range(count)
        ]
        return Resident.objects.bulk_create(rows, batch_size=500)

    return make
