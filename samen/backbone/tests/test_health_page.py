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


def test_meeting_attendance_is_skipped_gracefully_without_the_communication_app(monkeypatch):
    monkeypatch.setattr(health.apps, "is_installed", lambda name: False)
    signal = health.meeting_attendance()
    assert not signal.available


def test_meeting_attendance_by_organisation_and_per_quarter(db, org, other_org, member, make_org):
    from django.apps import apps

    group_model = apps.get_model("communication", "WorkingGroup")
    meeting_model = apps.get_model("communication", "Meeting")
    attendance_model = apps.get_model("communication", "MeetingAttendance")
    group = group_model.objects.create(slug="zorg", name="Zorg")
    group.organisations.set([org, other_org])
    for month in (2, 5):
        meeting = meeting_model.objects.create(
            group=group, title=f"Overleg {month}", starts_at=timezone.make_aware(datetime.datetime(2025, month, 3, 14))
        )
        attendance_model.objects.create(meeting=meeting, user=member, organisation=org, attended=True)
    # The other organisation registered for the second meeting only, and did not come.
    attendance_model.objects.create(meeting=meeting, user=None, organisation=other_org, attended=False)
    late = make_org()
    group.organisations.add(late)  # joined the group after its meetings: absent from none
    signal = health.meeting_attendance(datetime.date(2025, 12, 31))
    assert signal.available and signal.value == "67%"
    assert f"{other_org.name}: 0% of 1 meetings" in signal.details
    assert f"{org.name}: 100% of 2 meetings" in signal.details
    assert not any(d.startswith(f"{late.name}:") for d in signal.details)
    assert any(late.name in d and "Not registered" in d for d in signal.details)
    assert dict(signal.trend)["2025 Q1"] == "100%" and dict(signal.trend)["2025 Q2"] == "50%"
    assert dict(signal.trend)["2025 Q3"] == "–"


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


def test_the_quarters_of_a_trend_are_the_last_eight_up_to_today():
    from samen.backbone.compute import quarters_until

    quarters = quarters_until(datetime.date(2026, 2, 10))
    assert [q.label for q in quarters][:2] == ["2024 Q2", "2024 Q3"] and quarters[-1].label == "2026 Q1"
    assert quarters[0].start == datetime.date(2024, 4, 1) and quarters[0].end == datetime.date(2024, 6, 30)
    assert quarters[-1].end == datetime.date(2026, 3, 31)


def test_sector_coverage_has_a_trend_per_quarter(db, make_org, make_sector):
    make_org(sector=make_sector("zorg"), joined_on=datetime.date(2025, 2, 1))
    make_org(sector=make_sector("onderwijs"), joined_on=datetime.date(2025, 8, 1))
    make_sector("bedrijven")
    trend = dict(health.sector_coverage(datetime.date(2026, 1, 15)).trend)
    assert trend["2024 Q4"] == "0/3" and trend["2025 Q1"] == "1/3" and trend["2025 Q3"] == "2/3"
    assert list(trend)[-1] == "2026 Q1" and len(trend) == 8


def test_proposals_answered_per_quarter_they_were_made_in(db, make_proposal):
    today = datetime.date(2026, 3, 31)
    made = timezone.make_aware(datetime.datetime(2025, 5, 10, 12))
    quick, slow = make_proposal(title="snel"), make_proposal(title="traag")
    Proposal.objects.filter(pk__in=[quick.pk, slow.pk]).update(created_at=made)
    Proposal.objects.filter(pk=quick.pk).update(answered_at=made + datetime.timedelta(days=3))
    Proposal.objects.filter(pk=slow.pk).update(answered_at=made + datetime.timedelta(days=45))
    signal = health.proposals_answered(today)
    assert dict(signal.trend)["2025 Q2"] == "50%" and dict(signal.trend)["2025 Q3"] == "–"


def test_the_runway_trend_follows_cash_and_spending_at_the_end_of_each_quarter(db):
    from decimal import Decimal

    from samen.backbone.models import CashPosition, Expense

    for month in range(1, 13):
        Expense.objects.create(month=datetime.date(2025, month, 1), amount=Decimal(1000), description="loon")
    CashPosition.objects.create(on=datetime.date(2025, 3, 31), amount=Decimal(24000))
    CashPosition.objects.create(on=datetime.date(2025, 9, 30), amount=Decimal(12000))
    trend = dict(health.runway_history(datetime.date(2025, 12, 31)))
    assert trend["2024 Q4"] is None  # no cash counted yet
    assert trend["2025 Q1"] == 24 and trend["2025 Q2"] == 24 and trend["2025 Q3"] == 12


def test_every_signal_with_a_trend_has_a_chart_and_its_table_beside_it(client, coordinator, make_org, make_sector):
    make_org(sector=make_sector("zorg"), joined_on=datetime.date(2025, 2, 1))
    client.force_login(coordinator)
    page = client.get(reverse("backbone:health")).content.decode()
    block = page.split('data-signal="sectors"')[1].split("</article>")[0]
    assert 'class="chart-beside-table"' in block and "<svg" in block and "<caption>" in block
    assert "Quarter" in block
