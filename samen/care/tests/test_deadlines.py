"""Referrals follow FHIR Task's states; overdue ones escalate to the coordinator, then the backbone."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samen.care import services
from samen.care.models import Consent, Referral
from samen.core import working_days
from samen.core.models import AuditEntry

pytestmark = pytest.mark.django_db
# A Monday morning in Brussels.
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def frozen(monkeypatch):
    """A clock the test moves by hand."""
    clock = {"now": MONDAY}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


@pytest.fixture
def referral(frozen, case, resident, care_member, other_org):
    services.consent_record(resident=resident, scope=Consent.Scope.REFERRAL, how=Consent.How.SPOKEN, actor=care_member)
    return services.referral_request(case=case, to_organisation=other_org, actor=care_member)


def test_a_referral_is_acknowledged_within_two_working_days_and_closed_within_28(referral):
    assert referral.acknowledge_by == datetime.date(2026, 3, 4)
    assert referral.outcome_by == datetime.date(2026, 3, 30)


def test_two_working_days_skip_the_weekend():
    assert working_days.add_working_days(datetime.date(2026, 3, 5), 2) == datetime.date(2026, 3, 9)


def test_deadlines_skip_easter_monday(frozen, case, resident, care_member, other_org):
    frozen["now"] = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)  # the Thursday before Easter
    services.consent_record(resident=resident, scope=Consent.Scope.REFERRAL, how=Consent.How.SPOKEN, actor=care_member)
    referral = services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    assert referral.acknowledge_by == datetime.date(2026, 4, 7)  # Friday, then Tuesday after Easter Monday
    frozen["now"] = datetime.datetime(2026, 4, 7, 15, 0, tzinfo=datetime.UTC)
    assert services.referrals_escalate()["coordinator"] == 0  # still in time on Tuesday
    frozen["now"] = datetime.datetime(2026, 4, 8, 9, 0, tzinfo=datetime.UTC)
    assert services.referrals_escalate()["coordinator"] == 1


def test_deadlines_and_escalation_skip_christmas(frozen, case, resident, care_member, other_org):
    frozen["now"] = datetime.datetime(2026, 12, 24, 9, 0, tzinfo=datetime.UTC)  # Thursday; Christmas is a Friday
    services.consent_record(resident=resident, scope=Consent.Scope.REFERRAL, how=Consent.How.SPOKEN, actor=care_member)
    referral = services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    assert referral.acknowledge_by == datetime.date(2026, 12, 29)
    frozen["now"] = datetime.datetime(2026, 12, 30, 9, 0, tzinfo=datetime.UTC)
    assert services.referrals_escalate() == {"coordinator": 1, "backbone": 0}
    # Two working days after the coordinator was told: New Year's Day and the weekend do not count.
    frozen["now"] = datetime.datetime(2027, 1, 1, 9, 0, tzinfo=datetime.UTC)
    assert services.referrals_escalate() == {"coordinator": 0, "backbone": 0}
    frozen["now"] = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)
    assert services.referrals_escalate() == {"coordinator": 0, "backbone": 1}


def test_only_the_receiving_organisation_accepts(referral, care_member, partner_member):
    with pytest.raises(PermissionDenied):
        services.referral_transition(referral=referral, to=Referral.Status.ACCEPTED, actor=care_member)
    services.referral_transition(referral=referral, to=Referral.Status.ACCEPTED, actor=partner_member)


def test_a_transition_that_fhir_does_not_allow_is_refused(referral, partner_member, care_coordinator):
    with pytest.raises(ValidationError, match="cannot become"):
        services.referral_transition(referral=referral, to=Referral.Status.COMPLETED, actor=partner_member)
    services.referral_transition(
        referral=referral, to=Referral.Status.REJECTED, actor=partner_member, note="Geen plaats."
    )
    with pytest.raises(PermissionDenied):  # a rejecting organisation no longer has the case
        services.referral_transition(referral=referral, to=Referral.Status.ACCEPTED, actor=partner_member)
    with pytest.raises(ValidationError):  # and a rejected referral stays rejected
        services.referral_transition(referral=referral, to=Referral.Status.ACCEPTED, actor=care_coordinator)


def test_a_rejection_says_why(referral, partner_member):
    with pytest.raises(ValidationError):
        services.referral_transition(referral=referral, to=Referral.Status.REJECTED, actor=partner_member)


def test_the_sender_may_cancel_with_a_reason(referral, care_member):
    services.referral_transition(referral=referral, to=Referral.Status.CANCELLED, actor=care_member, note="Verhuisd.")
    referral.refresh_from_db()
    assert referral.status == "cancelled" and referral.finished_at is not None


def test_without_consent_to_a_referral_the_network_may_only_make_contact(case, care_member, other_org):
    with pytest.raises(ValidationError, match="only try to make contact"):
        services.referral_request(case=case, to_organisation=other_org, actor=care_member)


def test_a_vital_interest_override_allows_a_referral_and_waits_for_review(
    case, resident, care_member, care_coordinator, other_org
):
    with pytest.raises(ValidationError):
        services.consent_record(resident=resident, scope="referral", how=Consent.How.VITAL_INTEREST, actor=care_member)
    consent = services.consent_record(
        resident=resident,
        scope="referral",
        how=Consent.How.VITAL_INTEREST,
        actor=care_member,
        reason="Lag op de grond.",
    )
    services.referral_request(case=case, to_organisation=other_org, actor=care_member)
    services.consent_review(consent=consent, actor=care_coordinator)
    consent.refresh_from_db()
    assert consent.reviewed_by == care_coordinator


def test_a_withdrawn_consent_no_longer_allows_a_referral(case, resident, care_member, other_org):
    consent = services.consent_record(resident=resident, scope="referral", how="signed", actor=care_member)
    services.consent_withdraw(consent=consent, actor=care_member)
    with pytest.raises(ValidationError):
        services.referral_request(case=case, to_organisation=other_org, actor=care_member)


def test_an_unacknowledged_referral_escalates_to_the_coordinator_then_the_backbone(
    frozen, referral, care_coordinator, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    frozen["now"] = MONDAY + datetime.timedelta(days=2)  # Wednesday: still in time
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_escalate() == {"coordinator": 0, "backbone": 0}
    frozen["now"] = MONDAY + datetime.timedelta(days=3)  # Thursday: overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_escalate() == {"coordinator": 1, "backbone": 0}
        assert services.referrals_escalate() == {"coordinator": 0, "backbone": 0}  # run twice: told once
    assert [m.to for m in mailoutbox] == [[care_coordinator.email]]
    # In the site's language (Dutch), naming the area and no one.
    assert mailoutbox[0].subject == "[Samen] Een doorverwijzing in Runkst is te laat"
    frozen["now"] = MONDAY + datetime.timedelta(days=7)  # two working days after the coordinator was told
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_escalate() == {"coordinator": 0, "backbone": 1}
    assert mailoutbox[-1].to == [coordinator.email]
    assert "Maria" not in mailoutbox[-1].body
    assert AuditEntry.objects.filter(action="care.referral.escalated").count() == 2


def test_an_accepted_referral_escalates_only_after_28_days(frozen, referral, partner_member):
    services.referral_transition(referral=referral, to=Referral.Status.ACCEPTED, actor=partner_member)
    frozen["now"] = MONDAY + datetime.timedelta(days=28)
    assert services.referrals_escalate()["coordinator"] == 0
    frozen["now"] = MONDAY + datetime.timedelta(days=29)
    assert services.referrals_escalate()["coordinator"] == 1


def test_the_periodic_job_is_declared():
    from samen.core.periodic import jobs

    names = {job.name for job in jobs()}
    assert {
        "samen.care.tasks.escalate_overdue_referrals",
        "samen.care.tasks.anonymise_closed_cases",
        "samen.care.tasks.publish_care_figures",
    } <= names
