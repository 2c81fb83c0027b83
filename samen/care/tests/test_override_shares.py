"""A case shared on a vital-interest override is taken back when the override expires: at once
when a page is read, and for good by the hourly job."""

import datetime

import pytest
from django.utils import timezone

from samen.care import access, selectors, services, tasks
from samen.care.models import Case, Consent
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_on_override(case, resident, care_member, other_org, settings):
    settings.SAMEN_CARE_OVERRIDE_DAYS = 30
    override = services.consent_record(
        resident=resident,
        scope=Consent.Scope.SHARING,
        how=Consent.How.VITAL_INTEREST,
        organisation=other_org,
        reason="Ligt op de grond, niemand anders bereikbaar.",
        actor=care_member,
    )
    services.case_share(case=case, organisation=other_org, actor=care_member)
    return override


def _age(consent, days):
    Consent.objects.filter(pk=consent.pk).update(given_at=timezone.now() - datetime.timedelta(days=days))


def test_an_expired_override_shares_nothing_at_read_time_even_before_the_job(
    client, shared_on_override, case, partner_member, runkst_network
):
    client.force_login(partner_member)
    assert client.get(f"/nl/care/cases/{case.reference}/").status_code == 200
    assert case.reference in client.get("/nl/care/networks/runkst/").content.decode()
    _age(shared_on_override, 31)
    access.forget(partner_member)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.shared_with.exists()  # the job has not run yet
    assert access.case_access(partner_member, fresh) is None
    assert client.get(f"/nl/care/cases/{case.reference}/").status_code == 403  # the glass form, not the case
    assert case.reference not in client.get("/nl/care/networks/runkst/").content.decode()
    assert not selectors.cases_for_user(partner_member, runkst_network).exists()


def test_the_hourly_job_takes_the_share_back_once_and_audits_why(shared_on_override, case, other_org):
    assert tasks.withdraw_expired_override_shares() == 0  # still in force
    _age(shared_on_override, 31)
    assert tasks.withdraw_expired_override_shares() == 1
    assert not Case.objects.get(pk=case.pk).shared_with.filter(pk=other_org.pk).exists()
    entry = AuditEntry.objects.get(action="care.case.unshared")
    assert entry.changes["why"] == "override expired" and entry.actor is None
    assert tasks.withdraw_expired_override_shares() == 0


def test_a_consent_given_since_keeps_the_case_shared(shared_on_override, case, resident, care_member, other_org):
    services.consent_record(
        resident=resident,
        scope=Consent.Scope.SHARING,
        how=Consent.How.SIGNED,
        organisation=other_org,
        actor=care_member,
    )
    _age(shared_on_override, 31)
    assert services.override_shares_withdraw() == 0
    assert Case.objects.get(pk=case.pk).shared_with.filter(pk=other_org.pk).exists()


def test_a_live_referral_keeps_the_case_with_the_organisation_it_went_to(
    shared_on_override, case, resident, care_member, partner_member, other_org
):
    services.consent_record(resident=resident, scope=Consent.Scope.REFERRAL, how=Consent.How.SPOKEN, actor=care_member)
    services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    _age(shared_on_override, 31)
    assert services.override_shares_withdraw() == 0
    assert access.case_access(partner_member, Case.objects.get(pk=case.pk)) == access.FULL


def test_the_reviews_page_marks_an_expired_override(
    client, shared_on_override, resident, care_coordinator, care_member
):
    fresh = services.consent_record(
        resident=resident,
        scope=Consent.Scope.CONTACT,
        how=Consent.How.VITAL_INTEREST,
        reason="Valt.",
        actor=care_member,
    )
    _age(shared_on_override, 31)
    client.force_login(care_coordinator)
    page = client.get("/en/care/reviews/").content.decode()
    expired_on = timezone.localdate(Consent.objects.get(pk=shared_on_override.pk).expires_at)
    assert f"expired {expired_on.day} " in page and "taken back" in page
    assert f"counts until {timezone.localdate(fresh.expires_at).day} " in page
    resident_page = client.get(f"/en/care/residents/{resident.reference}/").content.decode()
    assert f"expired {expired_on.day} " in resident_page


def test_the_job_is_declared():
    from samen.core.periodic import jobs

    assert "samen.care.tasks.withdraw_expired_override_shares" in {job.name for job in jobs()}


def test_a_member_acting_for_no_organisation_lists_only_the_cases_they_own(
    client, case, make_care_member, runkst_network
):
    # `shared_with=None` would match every case shared with nobody: the list must not fall for it.
    loner = make_care_member(runkst_network, None, email="lone@example.org")
    assert not selectors.cases_for_user(loner, runkst_network).exists()
    client.force_login(loner)
    assert case.reference not in client.get("/nl/care/networks/runkst/").content.decode()


def test_a_finished_referral_shares_the_case_only_until_it_is_closed(
    case, resident, care_member, partner_member, other_org, runkst_network
):
    from samen.care.models import Referral

    services.consent_record(resident=resident, scope=Consent.Scope.REFERRAL, how=Consent.How.SPOKEN, actor=care_member)
    referral = services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    for state in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED):
        services.referral_transition(referral=referral, to=state, actor=partner_member, note="ok")
    assert access.case_access(partner_member, Case.objects.get(pk=case.pk)) == access.FULL  # records the outcome
    services.case_close(case=Case.objects.get(pk=case.pk), outcome="resolved", actor=care_member)
    closed = Case.objects.get(pk=case.pk)
    assert access.case_access(partner_member, closed) is None
    assert not closed.shared_with.exists()
    assert not selectors.cases_for_user(partner_member, runkst_network).exists()
    assert AuditEntry.objects.filter(action="care.case.unshared", changes__why="case closed").exists()
