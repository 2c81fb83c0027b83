"""The health of Samen: signals from the platform, each with its definition and trend, for the backbone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from samen.agenda.models import Proposal
from samen.backbone import health
from samen.network.models import Organisation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_health_page_shows_every_signal_with_its_definition(client, coordinator, org, make_sector):
    make_sector("bedrijven", name_en="Businesses", name_nl="Bedrijven")
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health")).content.decode()
    for key in ("sectors", "ties", "stewards", "proposals", "meetings", "growth", "runway"):
        assert f'data-signal="{key}"' in page
    assert "Missing: Businesses" in page


def test_meeting_attendance_is_skipped_gracefully_without_the_communication_app():
    signal = health.meeting_attendance()
    assert not signal.available


def test_proposals_answered_within_30_days(db, make_proposal):
    now = timezone.now()
    quick = make_proposal(title="snel")
    slow = make_proposal(title="traag")
    never = make_proposal(title="nooit")
    Proposal.objects.filter(pk__in=[quick.pk, slow.pk, never.pk]).update(created_at=now - datetime.timedelta(days=90))
    Proposal.objects.filter(pk=quick.pk).update(answered_at=now - datetime.timedelta(days=80))
    Proposal.objects.filter(pk=slow.pk).update(answered_at=now - datetime.timedelta(days=10))
    assert health.proposals_answered(timezone.localdate()).value == "33%"


def test_sector_coverage_names_the_missing_sectors(db, make_org, make_sector):
    make_org(sector=make_sector("zorg"))
    make_sector("onderwijs")
    signal = health.sector_coverage()
    assert signal.value == "1/2" and "onderwijs" in signal.details[0]


@pytest.mark.parametrize("role", ["member", "editor"])
def test_the_health_page_is_for_the_backbone_only(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("backbone:health")).status_code == 403


def _organisations(make_org, sector, n):
    Organisation.objects.bulk_create(
        Organisation(name=f"O{i}", slug=f"o-{n}-{i}", sector=sector, joined_on=datetime.date(2020 + i % 5, 1, 1))
        for i in range(n)
    )


def test_the_health_page_costs_the_same_queries_for_10_and_1000_organisations(
    client, coordinator, make_org, make_sector
):
    sector = make_sector("zorg")
    _organisations(make_org, sector, 10)
    client.force_login(coordinator)
    client.get(reverse("backbone:health"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("backbone:health")).status_code == 200
    _organisations(make_org, sector, 990)
    from django.core.cache import cache

    cache.clear()
    client.get(reverse("backbone:health"))
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("backbone:health")).status_code == 200
    assert len(large) == len(small)


def test_a_value_not_approved_does_not_make_a_steward_on_time(make_indicator, put):
    indicator = make_indicator(code="late", is_published=True)
    put(indicator, 2015)  # approved, long ago
    pending = put(indicator, 2025, value=1, status="pending")
    put(indicator, 2024, value=2, status="rejected")
    assert health.stewards_on_time(datetime.date(2026, 3, 1)).value == "0%"
    type(pending).objects.filter(pk=pending.pk).update(status="approved")
    assert health.stewards_on_time(datetime.date(2026, 3, 1)).value == "100%"
