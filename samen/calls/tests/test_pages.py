"""The call pages as people use them: set up, build, call, follow up; audited; constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen.calls import services
from samen.calls.models import CallAttempt, CallCampaign, CallEntry
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db
S = CallEntry.Status


def test_the_coordinator_creates_a_campaign_with_a_branching_script(client, care_coordinator, caller, areas):
    client.force_login(care_coordinator)
    today = timezone.localdate()
    data = {
        "name": "Belgezel 2026",
        "population": "filter",
        "min_age": "70",
        "lives_alone_only": "on",
        "order": "oldest",
        "calls_from": "10:00",
        "calls_until": "17:00",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=10)).isoformat(),
        "callers": [caller.pk],
        "batch_size": "10",
        "hold_minutes": "60",
        "script_text": "Hoe gaat het met u? | 2 | 3\nHeeft u alles in huis?\nMag ik vragen wat er scheelt?",
    }
    bad = client.post("/nl/calls/new/", {**data, "script_text": "Vraag | 7 | 0"})
    assert bad.status_code == 200 and "Regel 1" in bad.content.decode()
    response = client.post("/nl/calls/new/", data)
    campaign = CallCampaign.objects.get()
    assert response["Location"] == f"/nl/calls/{campaign.pk}/"
    assert campaign.script[0] == {"text": "Hoe gaat het met u?", "yes": 2, "no": 3}
    assert list(campaign.callers.all()) == [caller] and campaign.rules.count() == 7
    assert client.get(f"/nl/calls/{campaign.pk}/").status_code == 200


def test_a_caller_signs_the_pledge_reserves_and_records_a_need_that_becomes_a_signal(
    client, campaign, make_resident, make_care_member, runkst_network, care_coordinator
):
    from samen.care.models import Signal

    new_caller = make_care_member(runkst_network, pledged=False, email="nina@example.org")
    campaign.callers.add(new_caller)
    resident = make_resident(name="Godelieve Vandael", address="Kiewitstraat 9", notes="Dement")
    services.pool_build(campaign=campaign, actor=care_coordinator)
    client.force_login(new_caller)
    assert client.get(f"/nl/calls/{campaign.pk}/call/")["Location"] == f"/nl/calls/{campaign.pk}/pledge/"
    client.post(f"/nl/calls/{campaign.pk}/pledge/", {"accept": "yes"})
    client.post(f"/nl/calls/{campaign.pk}/call/", {"action": "reserve"})
    page = client.get(f"/nl/calls/{campaign.pk}/call/").content.decode()
    entry = CallEntry.objects.get()
    assert "Godelieve" in page and "Vandael" not in page
    person = client.get(f"/nl/calls/{campaign.pk}/call/{entry.pk}/").content.decode()
    assert "011 22 33 44" in person and "Godelieve" in person
    for secret in ("Vandael", "Kiewitstraat", "Dement", resident.reference):
        assert secret not in person
    response = client.post(
        f"/nl/calls/{campaign.pk}/call/{entry.pk}/", {"outcome": "need", "needs": ["medication", "transport"]}
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.resident == resident and CallAttempt.objects.get().signal == signal
    reads = AuditEntry.objects.filter(action="calls.resident.viewed", object_id=str(resident.pk))
    assert reads.count() == 3  # the batch page, the person's page (GET) and again at the POST
    assert AuditEntry.objects.filter(action="calls.call.recorded", changes__resident=resident.reference).exists()


def test_an_outcome_for_someone_else_s_call_is_refused_by_the_page(
    client, campaign, make_resident, care_coordinator, caller, other_caller
):
    make_resident()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = services.batch_reserve(campaign=campaign, actor=caller).entries.get()
    client.force_login(other_caller)
    assert client.get(f"/nl/calls/{campaign.pk}/call/{entry.pk}/").status_code == 403
    assert client.post(f"/nl/calls/{campaign.pk}/call/{entry.pk}/", {"outcome": "reached"}).status_code == 403
    assert not CallAttempt.objects.exists()


def test_a_call_back_needs_a_time_and_the_page_says_so(client, campaign, make_resident, care_coordinator, caller):
    make_resident()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = services.batch_reserve(campaign=campaign, actor=caller).entries.get()
    client.force_login(caller)
    page = client.post(f"/nl/calls/{campaign.pk}/call/{entry.pk}/", {"outcome": "call-back"}).content.decode()
    assert "Geef een dag en uur" in page
    assert not CallAttempt.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_and_lists_cost_the_same_queries_for_10_and_1000(
    client, make_campaign, many_residents, care_coordinator, caller
):
    from samen.network.models import User

    many_residents(10, phone=False)
    small = make_campaign(name="Klein")
    services.pool_build(campaign=small, actor=care_coordinator)
    many_residents(990, phone=False)
    large = make_campaign(name="Groot")
    services.pool_build(campaign=large, actor=care_coordinator)
    assert large.entries.filter(status=S.DATA_QUALITY).count() == 1000
    for campaign in (small, large):  # every list has rows: a third letters, a third with a debrief
        entries = list(campaign.entries.order_by("position"))
        CallEntry.objects.filter(pk__in=[e.pk for e in entries[::3]]).update(status=S.FOLLOW_UP, follow_up="letter")
        CallAttempt.objects.bulk_create(
            [
                CallAttempt(entry=e, caller=caller, at=timezone.now(), outcome="reached", debrief=True, note="Zwaar")
                for e in entries[1::3]
            ]
        )
    counts = {}
    for campaign in (small, large):
        client.force_login(User.objects.get(pk=care_coordinator.pk))
        counts[campaign.name] = [
            _count(client, f"/nl/calls/{campaign.pk}/{page}")
            for page in ("", "dashboard/", "data-quality/", "follow-ups/", "debriefs/")
        ]
    assert counts["Klein"] == counts["Groot"]
    assert "Zwaar" in client.get(f"/nl/calls/{large.pk}/debriefs/").content.decode()


def test_the_batch_page_costs_the_same_queries_for_a_batch_of_2_and_of_20(
    client, make_campaign, many_residents, care_coordinator, caller
):
    many_residents(40)
    counts = []
    for size in (2, 20):
        campaign = make_campaign(name=f"B{size}", batch_size=size)
        services.pool_build(campaign=campaign, actor=care_coordinator)
        batch = services.batch_reserve(campaign=campaign, actor=caller)
        for entry in batch.entries.all()[:1]:
            services.attempt_record(entry=entry, actor=caller, outcome="no-answer")
        services.batch_release(batch=batch, actor=caller)
        services.batch_reserve(campaign=campaign, actor=caller)
        client.force_login(caller)
        counts.append(_count(client, f"/nl/calls/{campaign.pk}/call/"))
    assert counts[0] == counts[1]


def test_the_dashboard_hides_small_counts(client, campaign, many_residents, care_coordinator, caller):
    many_residents(12)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entries = list(services.batch_reserve(campaign=campaign, actor=caller).entries.all()[:3])
    for entry in entries:
        services.attempt_record(entry=entry, actor=caller, outcome="reached")
    client.force_login(care_coordinator)
    page = client.get(f"/nl/calls/{campaign.pk}/dashboard/").content.decode()
    assert "&lt; 5" in page


def test_the_coordinator_works_the_data_quality_and_follow_up_lists(
    client, campaign, make_resident, care_coordinator, caller
):
    make_resident(phone="")
    make_resident()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    client.force_login(care_coordinator)
    entry = CallEntry.objects.get(status=S.DATA_QUALITY)
    page = client.get(f"/nl/calls/{campaign.pk}/data-quality/").content.decode()
    assert entry.resident.reference in page and "Maria" not in page
    assert AuditEntry.objects.filter(action="calls.data_quality.viewed", object_id=str(entry.resident_id)).exists()
    resident = entry.resident
    resident.phone = "011 55 66 77"  # corrected on the resident's care page
    resident.save()
    client.post(f"/nl/calls/{campaign.pk}/data-quality/", {"entry": entry.pk})
    entry.refresh_from_db()
    assert entry.status == S.WAITING


def test_a_list_campaign_imports_all_or_nothing_through_the_page(client, make_campaign, care_coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = make_campaign(population="list")
    client.force_login(care_coordinator)
    bad = SimpleUploadedFile("lijst.csv", b"name,area,phone\nMaria,nergens,011\n", content_type="text/csv")
    page = client.post(f"/nl/calls/{campaign.pk}/import/", {"file": bad}).content.decode()
    assert "Regel 2" in page and not CallEntry.objects.exists()
    good = SimpleUploadedFile("lijst.csv", b"name,area,phone\nMaria,runkst,011\n", content_type="text/csv")
    assert client.post(f"/nl/calls/{campaign.pk}/import/", {"file": good}).status_code == 302
    assert CallEntry.objects.filter(campaign=campaign).count() == 1


def test_the_backbone_sees_the_pool_by_status_with_small_counts_hidden(
    client, campaign, many_residents, care_coordinator, coordinator
):
    many_residents(3)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    client.force_login(coordinator)
    page = client.get(f"/nl/calls/{campaign.pk}/").content.decode()
    assert "&lt; 5" in page and "<td>3</td>" not in page
