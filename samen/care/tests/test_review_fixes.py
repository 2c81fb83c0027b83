"""Findings of the security review, each with the test that failed before its fix."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samen.care import access, services
from samen.care.models import Case, Consent, Referral

pytestmark = pytest.mark.django_db


def _referred(case, resident, care_member, other_org):
    services.consent_record(resident=resident, scope="referral", how="spoken", actor=care_member)
    return services.referral_request(case=case, to_organisation=other_org, actor=care_member)


def test_a_rejected_referral_takes_the_case_back_from_that_organisation(
    case, resident, care_member, partner_member, other_org
):
    referral = _referred(case, resident, care_member, other_org)
    assert access.case_access(partner_member, case) == access.FULL
    services.referral_transition(
        referral=referral, to=Referral.Status.REJECTED, actor=partner_member, note="Niet voor ons."
    )
    assert access.case_access(partner_member, Case.objects.get(pk=case.pk)) is None


def test_withdrawing_consent_to_share_takes_the_case_back(case, resident, care_member, partner_member, other_org):
    consent = services.consent_record(
        resident=resident, scope="sharing", how="signed", organisation=other_org, actor=care_member
    )
    services.case_share(case=case, organisation=other_org, actor=care_member)
    assert access.case_access(partner_member, case) == access.FULL
    services.consent_withdraw(consent=consent, actor=care_member)
    assert access.case_access(partner_member, Case.objects.get(pk=case.pk)) is None


def test_a_vital_interest_override_counts_only_for_its_own_scope(case, resident, care_member, other_org):
    services.consent_record(
        resident=resident, scope="contact", how=Consent.How.VITAL_INTEREST, reason="Valt vaak.", actor=care_member
    )
    with pytest.raises(ValidationError):
        services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    with pytest.raises(ValidationError):
        services.case_share(case=case, organisation=other_org, actor=care_member)


def test_a_signal_is_assigned_once_even_when_two_coordinators_click(signal, care_coordinator, care_member, org):
    stale = type(signal).objects.get(pk=signal.pk)
    services.case_open(signal=signal, owner_organisation=org, owner=care_member, actor=care_coordinator)
    with translation.override("en"), pytest.raises(ValidationError, match="already assigned"):
        services.case_open(signal=stale, owner_organisation=org, owner=care_member, actor=care_coordinator)
    assert Case.objects.count() == 1


def test_a_case_is_closed_once(case, care_member):
    stale = Case.objects.get(pk=case.pk)
    services.case_close(case=case, outcome="resolved", actor=care_member)
    with pytest.raises(PermissionDenied):
        services.case_close(case=stale, outcome="declined", actor=care_member)
    assert Case.objects.get(pk=case.pk).outcome == "resolved"


def test_a_new_signal_is_seen_by_the_coordinator_not_by_every_member(
    client, runkst_network, areas, care_coordinator, partner_member
):
    signal = services.signal_report(
        network=runkst_network,
        area=areas["runkst"],
        source="public",
        observations=["fell"],
        urgency="urgent",
        about="Mevrouw X",
    )
    client.force_login(partner_member)
    assert client.get(f"/nl/care/signals/{signal.reference}/").status_code == 404  # as if unknown
    assert signal.reference not in client.get("/nl/care/networks/runkst/").content.decode()
    client.force_login(care_coordinator)
    assert client.get(f"/nl/care/signals/{signal.reference}/").status_code == 200


def test_mistyped_forms_do_not_use_up_the_public_rate_limit(client, areas, runkst_network, monkeypatch):
    from samen.care import views

    monkeypatch.setattr(views, "WORRIES_PER_HOUR", 1)
    for _ in range(3):
        assert client.post("/nl/care/worried/", {"about": ""}).status_code == 200
    good = {"area": areas["runkst"].pk, "about": "x", "observations": ["mail"], "urgency": "low"}
    assert client.post("/nl/care/worried/", good).status_code == 302
