"""The scale generators (bench/generate.py) make consistent data: the asked totals, every row tied to
rows that exist, measurement keys unique and periods past, and the pages still answer on it."""

import datetime

import pytest
from django.db.models import Count, F

from samen.core.tests.factories import make_domain, make_org, make_sector
from samen.measurement.tests import factories as measurement_factories

SMALL = {"members": 250, "organisations": 12, "activities": 30, "events": 60, "measurements": 5_000}


@pytest.fixture
def world(db):
    measurement_factories.make_areas()
    make_domain("zorg")
    make_org("stad-hasselt", sector=make_sector("public"))


def test_the_generators_make_the_asked_totals_of_consistent_rows(world, client):
    from allauth.account.models import EmailAddress

    from bench.generate import generate
    from samen.activities.events.models import Event
    from samen.activities.models import Activity
    from samen.measurement.models import Indicator, Measurement
    from samen.network.models import Member, Organisation, User

    said = []
    generate(SMALL, say=said.append)
    generate(SMALL, say=said.append)  # a second run adds nothing
    assert Member.objects.count() == 250
    assert Organisation.objects.count() == 12
    assert Activity.objects.count() == 30
    assert Event.objects.count() == 60
    assert Measurement.objects.count() == 5_000
    assert len(said) == 10

    bench = User.objects.filter(email__endswith="@bench.invalid")
    assert bench.count() == 250
    assert EmailAddress.objects.filter(user__in=bench, verified=True, primary=True).count() == 250
    assert client.login(email="bench-0@bench.invalid", password="bench-Load-passw0rd")
    assert not Member.objects.filter(neighbourhood__kind__in=["city", "district"]).exists()
    assert Organisation.objects.annotate(n=Count("action_domains")).filter(n=0, slug__startswith="bench-").count() == 0
    assert not Event.objects.exclude(organisation_id__in=Organisation.objects.values("pk")).exists()
    assert all(e.ends_at > e.starts_at for e in Event.objects.all()[:60])

    rows = Measurement.objects.values_list("indicator_id", "area_key", "period_start", "dims")
    assert len(set(rows)) == 5_000
    today = datetime.date.today()
    assert not Measurement.objects.filter(period_end__gte=today.replace(day=1)).exists()
    assert not Measurement.objects.exclude(area_key=F("area_id")).exists()
    assert Indicator.objects.filter(code__startswith="bench-ind-", frequency="monthly").exists()

    assert client.get("/en/activities/").status_code == 200
    code = Indicator.objects.filter(code__startswith="bench-ind-", is_published=True).first().code
    assert client.get(f"/en/indicators/{code}/").status_code == 200


def test_the_load_harness_finds_its_members_and_targets_in_generated_data(world, capsys):
    import json

    from bench import load
    from bench.generate import PASSWORD, generate

    generate({**SMALL, "members": 0}, say=lambda line: None)  # "demo": only the members it signs in as
    capsys.readouterr()
    exec(load.TARGETS.format(members=load.MEMBERS, password=PASSWORD))  # noqa: S102 (our own harness code)
    targets = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert len(targets["members"]) == 200
    assert targets["members"][0] == "bench-0@bench.invalid"
    assert targets["events"] and targets["activities"] and targets["indicators"]
