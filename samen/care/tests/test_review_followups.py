"""Follow-ups of the security review (issue 14), each with the test that failed before its fix."""

import pytest
from django.core import mail
from django.core.cache import cache

from samen.care.models import Signal

pytestmark = pytest.mark.django_db

GOOD = {"about": "x", "observations": ["mail"], "urgency": "low"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_visitors_behind_the_proxy_each_have_their_own_public_limit(
    client, areas, runkst_network, settings, monkeypatch
):
    from samen.care import views

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(views, "WORRIES_PER_HOUR", 1)
    report = {**GOOD, "area": areas["runkst"].pk}
    for _ in range(4):
        client.post("/nl/care/worried/", report, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post("/nl/care/worried/", report, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post("/nl/care/worried/", report, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302


def test_a_report_over_the_limit_is_kept_without_a_mail(client, areas, runkst_network, care_coordinator, monkeypatch):
    from samen.care import views

    monkeypatch.setattr(views, "WORRIES_PER_HOUR", 1)
    report = {**GOOD, "area": areas["runkst"].pk}
    assert client.post("/nl/care/worried/", report).status_code == 302
    sent = len(mail.outbox)
    assert client.post("/nl/care/worried/", report).status_code == 302
    assert Signal.objects.count() == 2
    assert len(mail.outbox) == sent


def test_care_pages_are_never_cached(client, resident, care_member):
    client.force_login(care_member)
    response = client.get(f"/nl/care/residents/{resident.reference}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_reference_one_may_not_see_answers_as_if_it_did_not_exist(client, resident, case, other_network_member):
    client.force_login(other_network_member)
    for path in (
        f"/nl/care/residents/{resident.reference}/",
        f"/nl/care/residents/{resident.reference}/audit/",
        f"/nl/care/cases/{case.reference}/",
        f"/nl/care/signals/{case.signal.reference}/",
    ):
        assert (
            client.get(path).status_code == client.get(path.replace(path.split("/")[4], "ZZZZZZZZ")).status_code == 404
        )


def test_the_subject_access_export_holds_the_signals_text_and_the_activities(
    resident, case, care_coordinator, visiting_activity
):
    from samen.care import services

    case.signal.details = "Brievenbus puilt uit."
    case.signal.save()
    resident.activities.add(visiting_activity)
    data = services.resident_export(resident=resident, actor=care_coordinator)
    assert data["signals"][0]["about"] == case.signal.about
    assert data["signals"][0]["details"] == "Brievenbus puilt uit."
    assert data["activities"] == [str(visiting_activity)]


def _survey_with_an_answer(runkst_network, resident):
    from samen.care.models import SurveyAnswer, SurveyRound

    survey = SurveyRound.objects.create(network=runkst_network, name="Bevraging 2026", held_on="2026-03-01")
    SurveyAnswer.objects.create(survey=survey, resident=resident, visits="never", can_call_someone=False)
    return survey


def test_reading_a_survey_the_reviews_and_a_trail_is_in_the_residents_trail(
    client, runkst_network, resident, care_member, care_coordinator
):
    from samen.care import selectors, services
    from samen.care.models import Consent

    survey = _survey_with_an_answer(runkst_network, resident)
    services.consent_record(
        resident=resident, scope="contact", how=Consent.How.VITAL_INTEREST, reason="Valt vaak.", actor=care_member
    )
    client.force_login(care_member)
    assert client.get(f"/nl/care/surveys/{survey.pk}/").status_code == 200
    client.force_login(care_coordinator)
    assert client.get("/nl/care/reviews/").status_code == 200
    assert client.get(f"/nl/care/residents/{resident.reference}/audit/").status_code == 200
    actions = set(selectors.audit_trail(resident).values_list("action", flat=True))
    assert {"care.survey.viewed", "care.reviews.viewed", "care.audit.viewed"} <= actions


def test_only_the_coordinator_imports_a_survey_round(client, runkst_network, resident, care_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = _survey_with_an_answer(runkst_network, resident)
    client.force_login(care_member)
    upload = SimpleUploadedFile("a.csv", b"reference,visits,can_call_someone\n", content_type="text/csv")
    assert client.post(f"/nl/care/surveys/{survey.pk}/", {"action": "import", "file": upload}).status_code == 403
    assert "Import answers" not in client.get(f"/en/care/surveys/{survey.pk}/").content.decode()


def test_a_signal_that_never_became_a_case_is_anonymised_after_the_retention_period(signal, care_coordinator, settings):
    import datetime

    from django.utils import timezone

    from samen.care import services, tasks

    settings.SAMEN_CARE_RETENTION_DAYS = 365
    Signal.objects.filter(pk=signal.pk).update(reporter_contact="buur@example.org")
    services.signal_dismiss(signal=signal, actor=care_coordinator)
    Signal.objects.filter(pk=signal.pk).update(created_at=timezone.now() - datetime.timedelta(days=366))
    assert tasks.anonymise_closed_cases() == 1
    signal.refresh_from_db()
    assert (signal.about, signal.details, signal.reporter_contact) == ("", "", "")
    assert signal.anonymised_at is not None
    assert services.signals_anonymise() == 0


def test_an_anonymised_case_is_no_longer_linked_to_its_resident_in_the_audit_trail(
    client, case, resident, care_member, settings
):
    import datetime

    from django.utils import timezone

    from samen.care import selectors, services
    from samen.care.models import Case
    from samen.core.models import AuditEntry

    client.force_login(care_member)
    assert client.get(f"/nl/care/cases/{case.reference}/").status_code == 200
    assert AuditEntry.objects.filter(object_type="care.case", changes__resident=resident.reference).exists()
    services.case_close(case=case, outcome="resolved", actor=care_member)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    settings.SAMEN_CARE_RETENTION_DAYS = 365
    assert services.cases_anonymise() == 1
    assert (
        not AuditEntry.objects.filter(changes__resident=resident.reference)
        .exclude(object_type="care.resident")
        .exists()
    )
    assert not selectors.audit_trail(resident).filter(object_type="care.case").exists()
    assert AuditEntry.objects.filter(object_type="care.case", action="care.case.viewed").exists()  # who and when stay


def test_a_vital_interest_override_expires_and_stays_on_the_reviews_list(
    client, case, resident, care_member, care_coordinator, settings
):
    import datetime

    from django.utils import timezone

    from samen.care import selectors, services
    from samen.care.models import Consent

    settings.SAMEN_CARE_OVERRIDE_DAYS = 30
    override = services.consent_record(
        resident=resident, scope="referral", how=Consent.How.VITAL_INTEREST, reason="Valt vaak.", actor=care_member
    )
    assert selectors.has_consent(resident, "referral")
    Consent.objects.filter(pk=override.pk).update(given_at=timezone.now() - datetime.timedelta(days=31))
    assert not selectors.has_consent(resident, "referral")
    client.force_login(care_coordinator)
    assert "Valt vaak." in client.get("/nl/care/reviews/").content.decode()
