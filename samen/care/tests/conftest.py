"""A small care world: two networks (Runkst and Terhilst), their partners, members of each role."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samen.core.permissions import CARE_NETWORK, DATA_PROTECTION


@pytest.fixture
def runkst_network(areas, org, other_org):
    from samen.care.models import CareNetwork

    network = CareNetwork.objects.create(name="Buurtnetwerk Runkst", slug="runkst", area=areas["runkst"])
    network.organisations.set([org, other_org])
    return network


@pytest.fixture
def terhilst_network(areas, make_org):
    from samen.care.models import CareNetwork

    network = CareNetwork.objects.create(name="Buurtnetwerk Terhilst", slug="terhilst", area=areas["terhilst"])
    network.organisations.set([make_org("ocmw-kermt", name="OCMW Kermt")])
    return network


@pytest.fixture
def make_care_member(make_user):
    def make(network, organisation=None, *, coordinator=False, pledged=True, email=None, **fields):
        from samen.care.access import PLEDGE_VERSION
        from samen.care.models import NetworkMember

        user = make_user(email, groups=[CARE_NETWORK], **fields)
        NetworkMember.objects.create(
            network=network,
            user=user,
            organisation=organisation,
            is_coordinator=coordinator,
            pledged_at=timezone.now() if pledged else None,
            pledge_version=PLEDGE_VERSION if pledged else "",
        )
        return user

    return make


@pytest.fixture
def care_coordinator(make_care_member, runkst_network, org):
    return make_care_member(runkst_network, org, coordinator=True, email="cora@example.org", first_name="Cora")


@pytest.fixture
def care_member(make_care_member, runkst_network, org):
    """Acts for the owner organisation of the cases below (Wijkzorg Runkst)."""
    return make_care_member(runkst_network, org, email="cas@example.org", first_name="Cas")


@pytest.fixture
def partner_member(make_care_member, runkst_network, other_org):
    """Acts for the pharmacy, the other partner of Runkst."""
    return make_care_member(runkst_network, other_org, email="pia@example.org", first_name="Pia")


@pytest.fixture
def other_network_member(make_care_member, terhilst_network):
    return make_care_member(terhilst_network, terhilst_network.organisations.first(), email="otto@example.org")


@pytest.fixture
def dpo(make_user):
    return make_user("dora@example.org", groups=[DATA_PROTECTION], first_name="Dora")


@pytest.fixture
def make_resident(runkst_network, areas):
    def make(**fields):
        from samen.care.models import Resident

        values = {
            "name": "Maria Peeters",
            "birth_date": datetime.date(1938, 5, 2),
            "address": "Kempische Steenweg 1",
            "phone": "011 22 33 44",
            "lives_alone": True,
            "nearby_1": "0470 11 11 11",
            "notes": "Hoort slecht",
            **fields,
        }
        resident = Resident(network=runkst_network, area=areas["runkst"], **values)
        resident.birth_year = resident.birth_date.year if resident.birth_date else None
        resident.nearby_count = sum(1 for n in (resident.nearby_1, resident.nearby_2, resident.nearby_3) if n)
        resident.save()
        return resident

    return make


@pytest.fixture
def resident(make_resident):
    return make_resident()


@pytest.fixture
def signal(runkst_network, areas, resident):
    from samen.care.models import Signal

    return Signal.objects.create(
        network=runkst_network,
        area=areas["runkst"],
        source=Signal.Source.PUBLIC,
        about="Maria, Kempische Steenweg 1",
        observations=["mail", "not-seen"],
        urgency=Signal.Urgency.NORMAL,
    )


@pytest.fixture
def case(signal, resident, org, care_member, runkst_network):
    from samen.care.models import Case

    return Case.objects.create(
        network=runkst_network, resident=resident, signal=signal, owner_organisation=org, owner=care_member
    )


@pytest.fixture
def visiting_activity(org):
    from samen.activities.models import Activity

    return Activity.objects.create(
        slug="een-lokaal-net-werkt",
        title="Een lokaal net werkt!",
        summary="Visiting volunteers.",
        lead_organisation=org,
    )
