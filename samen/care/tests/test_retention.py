"""Closed cases are anonymised after the retention period; a resident's data is exported and erased on request."""

import datetime
import json

import pytest
from django.utils import timezone

from samen.care import services
from samen.care.models import Case, ReferralChange, Resident, Signal
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _closed(case, days_ago):
    Case.objects.filter(pk=case.pk).update(
        status="closed",
        outcome="resolved",
        outcome_note="Gaat beter met Maria",
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_a_case_closed_longer_than_the_retention_period_is_anonymised(case, signal, settings):
    settings.SAMEN_CARE_RETENTION_DAYS = 365
    _closed(case, 366)
    assert services.cases_anonymise() == 1
    case.refresh_from_db()
    signal.refresh_from_db()
    assert (case.resident, case.outcome_note, case.outcome) == (
        None,
        "",
        "resolved",
    )  # the coded outcome stays for the figures
    assert (signal.about, signal.resident) == ("", None)
    assert services.cases_anonymise() == 0  # idempotent
    assert AuditEntry.objects.filter(action="care.case.anonymised").count() == 1


def test_a_recently_closed_case_is_kept(case):
    _closed(case, 300)
    assert services.cases_anonymise() == 0


def test_the_coordinator_exports_everything_held_and_it_is_audited(client, resident, case, care_coordinator):
    client.force_login(care_coordinator)
    response = client.post(f"/nl/care/residents/{resident.reference}/export/")
    data = json.loads(response.content)
    assert response["Content-Disposition"] == f'attachment; filename="{resident.reference}.json"'
    assert (data["name"], data["phone"], data["cases"][0]["reference"]) == (
        "Maria Peeters",
        "011 22 33 44",
        case.reference,
    )
    assert AuditEntry.objects.filter(action="care.resident.exported", object_id=str(resident.pk)).exists()


def test_a_member_who_is_not_the_coordinator_cannot_export_or_erase(client, resident, care_member):
    client.force_login(care_member)
    assert client.post(f"/nl/care/residents/{resident.reference}/export/").status_code == 403
    assert (
        client.post(f"/nl/care/residents/{resident.reference}/erase/", {"confirm": resident.reference}).status_code
        == 403
    )


def test_erasure_empties_every_personal_field_and_keeps_the_trail(client, resident, case, signal, care_coordinator):
    client.force_login(care_coordinator)
    client.post(f"/nl/care/residents/{resident.reference}/erase/", {"confirm": "wrong"})
    assert Resident.objects.get(pk=resident.pk).erased_at is None
    client.post(f"/nl/care/residents/{resident.reference}/erase/", {"confirm": resident.reference})
    erased = Resident.objects.get(pk=resident.pk)
    assert erased.erased_at is not None
    assert (erased.name, erased.phone, erased.address, erased.birth_date, erased.nearby_count) == ("", "", "", None, 0)
    assert Case.objects.get(pk=case.pk).resident is None
    assert Signal.objects.get(pk=signal.pk).about == ""
    assert AuditEntry.objects.filter(action="care.resident.erased").exists()
    # Nobody sees an erased resident's page any more, but the trail stays readable.
    assert client.get(f"/nl/care/residents/{resident.reference}/").status_code == 404
    assert client.get(f"/nl/care/residents/{resident.reference}/audit/").status_code == 200
    assert all(change.note == "" for change in ReferralChange.objects.filter(referral__case=case))
