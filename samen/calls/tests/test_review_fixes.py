"""Findings of the second reader (/work/reviews/calls.md), each with a test that failed before."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samen.calls import scripts, selectors, services
from samen.calls.models import CallAttempt, CallBatch, CallEntry

pytestmark = pytest.mark.django_db
S = CallEntry.Status


def _batch(campaign, caller, **kwargs):
    return services.batch_reserve(campaign=campaign, actor=caller, **kwargs)


def test_1_a_need_checked_with_another_outcome_is_refused_not_lost(campaign, many_residents, care_coordinator, caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _batch(campaign, caller).entries.get()
    with pytest.raises(ValidationError, match="nood"):
        services.attempt_record(entry=entry, actor=caller, outcome="reached", needs=["medication"])
    assert not CallAttempt.objects.exists()
    assert services.ALLOWED["need"] == ["signal"]


def test_2_a_refusal_sets_aside_everyone_on_that_number_now(
    campaign, make_resident, care_coordinator, caller, other_caller
):
    first = make_resident(phone="+32 11 22 33 44")
    spouse = make_resident(phone="011 22 33 44")
    later = make_resident(phone="011/22.33.44")
    campaign.batch_size = 2
    campaign.save()
    services.pool_build(campaign=campaign, actor=care_coordinator)
    batch = _batch(campaign, caller)
    assert set(batch.entries.values_list("resident", flat=True)) == {first.pk, spouse.pk}
    entry = batch.entries.get(resident=first)
    services.attempt_record(entry=entry, actor=caller, outcome="do-not-call")
    assert CallEntry.objects.get(resident=spouse).status == S.NEVER  # was in the same live batch
    # The third on that number was waiting: the next reservation sets it aside instead of handing it out.
    assert not _batch(campaign, other_caller).entries.exists()
    assert CallEntry.objects.get(resident=later).status == S.NEVER


def test_3_erasure_drops_the_year_of_birth_and_the_signal_from_the_calls(
    campaign, many_residents, care_coordinator, caller
):
    from samen.care import services as care_services

    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _batch(campaign, caller).entries.get()
    services.attempt_record(entry=entry, actor=caller, outcome="need", needs=["money"])
    care_services.resident_erase(resident=entry.resident, actor=care_coordinator)
    entry.refresh_from_db()
    assert (entry.birth_year, entry.signal, entry.needs) == (None, None, [])
    assert CallAttempt.objects.get().signal is None


def test_5_a_call_does_not_revive_an_expired_batch(campaign, many_residents, care_coordinator, caller):
    many_residents(20)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    now = timezone.now()
    old = _batch(campaign, caller, now=now)
    later = now + datetime.timedelta(minutes=62)
    new = _batch(campaign, caller, now=later)  # the job has not run yet
    assert new != old
    old.refresh_from_db()
    assert old.released_at is not None and not old.entries.filter(status=S.RESERVED).exists()
    services.attempt_record(entry=new.entries.first(), actor=caller, outcome="reached", now=later)
    assert CallEntry.objects.filter(status=S.WAITING).count() == 10  # the old batch's people are back


def test_8_the_caller_s_note_reaches_whoever_follows_the_need_up(campaign, many_residents, care_coordinator, caller):
    from samen.care.models import Signal

    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _batch(campaign, caller).entries.get()
    services.attempt_record(
        entry=entry, actor=caller, outcome="need", needs=["medication"], note="Geen pillen meer sinds dinsdag"
    )
    assert "Geen pillen meer sinds dinsdag" in Signal.objects.get().details


def test_11_a_rule_page_post_with_an_extra_form_is_an_error_not_a_500(client, campaign, care_coordinator):
    client.force_login(care_coordinator)
    rules = list(campaign.rules.order_by("pk"))
    data = {"form-TOTAL_FORMS": str(len(rules) + 1), "form-INITIAL_FORMS": str(len(rules))}
    for i, rule in enumerate(rules + [None]):
        data |= {
            f"form-{i}-id": rule.pk if rule else "",
            f"form-{i}-action": rule.action if rule else "done",
            f"form-{i}-retry_hours": "4",
            f"form-{i}-max_attempts": "3",
            f"form-{i}-after_last": "letter",
        }
    response = client.post(f"/nl/calls/{campaign.pk}/rules/", data)
    assert response.status_code in (200, 302)
    assert campaign.rules.count() == len(rules)


def test_12_a_number_checked_without_a_number_stays_on_the_list(client, campaign, make_resident, care_coordinator):
    make_resident(phone="")
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = CallEntry.objects.get()
    with pytest.raises(ValidationError):
        services.number_checked(entry=entry, actor=care_coordinator)
    client.force_login(care_coordinator)
    client.post(f"/nl/calls/{campaign.pk}/data-quality/", {"entry": entry.pk})
    entry.refresh_from_db()
    assert entry.status == S.DATA_QUALITY


def test_12_no_call_is_recorded_after_the_campaign_ended(campaign, many_residents, care_coordinator, caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    now = timezone.make_aware(datetime.datetime.combine(campaign.ends_on, datetime.time(23, 30)))
    entry = _batch(campaign, caller, now=now).entries.get()
    CallBatch.objects.update(hold_until=now + datetime.timedelta(hours=2))
    with pytest.raises(ValidationError):
        services.attempt_record(entry=entry, actor=caller, outcome="reached", now=now + datetime.timedelta(hours=1))


def test_12_the_export_gives_each_answer_with_its_question(campaign, many_residents, care_coordinator, caller):
    campaign.script = scripts.script_parse("Hoe gaat het met u?\nHeeft u hulp?")
    campaign.save()
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _batch(campaign, caller).entries.get()
    services.attempt_record(entry=entry, actor=caller, outcome="reached", answers={"1": "yes", "2": "no"})
    answers = selectors.resident_calls(entry.resident)["calls"][0]["answers"]
    assert answers == {"1. Hoe gaat het met u?": "yes", "2. Heeft u hulp?": "no"}


def test_12_being_put_in_a_circle_is_on_the_resident_s_trail(runkst_network, make_resident, care_coordinator, caller):
    from samen.calls.models import TelephoneCircle
    from samen.care.selectors import audit_trail

    residents = [make_resident() for _ in range(3)]
    services.circle_save(
        circle=TelephoneCircle(network=runkst_network, name="Runkst-Noord", key_holder=caller),
        residents=residents,
        actor=care_coordinator,
    )
    assert audit_trail(residents[0]).filter(action="calls.circle.placed").exists()


def test_refused_callers_still_cannot_record(campaign, many_residents, care_coordinator, caller, other_caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _batch(campaign, caller).entries.get()
    with pytest.raises(PermissionDenied):
        services.attempt_record(entry=entry, actor=other_caller, outcome="reached")


def test_4_the_same_list_imported_twice_is_refused_and_stores_nothing(make_campaign, care_coordinator):
    import io

    from samen.care.models import Resident
    from samen.measurement.importer import ImportRefused

    campaign = make_campaign(population="list")
    csv = b"name,area,phone\nMaria,runkst,011 22 33 44\nJan,runkst,011 99 88 77\n"
    services.list_import(io.BytesIO(csv), name="lijst.csv", campaign=campaign, actor=care_coordinator)
    with pytest.raises(ImportRefused, match="2 nummers"):
        services.list_import(io.BytesIO(csv), name="lijst.csv", campaign=campaign, actor=care_coordinator)
    assert (Resident.objects.count(), CallEntry.objects.count()) == (2, 2)


def test_9_a_campaign_ended_past_the_retention_period_loses_every_link_to_a_person(
    campaign, many_residents, care_coordinator, caller, settings, client
):
    many_residents(3)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entries = list(_batch(campaign, caller).entries.order_by("position"))
    services.attempt_record(entry=entries[0], actor=caller, outcome="need", needs=["money"], note="Schulden")
    services.attempt_record(entry=entries[1], actor=caller, outcome="reached", debrief=True)
    resident = entries[0].resident
    just_before = timezone.make_aware(
        datetime.datetime.combine(
            campaign.ends_on + datetime.timedelta(days=settings.SAMEN_CARE_RETENTION_DAYS), datetime.time(12)
        )
    )
    assert services.campaigns_anonymise(now=just_before) == 0
    after = just_before + datetime.timedelta(days=2)
    assert services.campaigns_anonymise(now=after) == 1
    assert services.campaigns_anonymise(now=after) == 0  # once
    assert not CallEntry.objects.filter(resident__isnull=False).exists()
    assert not CallEntry.objects.filter(birth_year__isnull=False).exists()
    attempt = CallAttempt.objects.get(outcome="need")
    assert (attempt.note, attempt.needs, attempt.signal) == ("", [], None)
    assert selectors.resident_calls(resident)["calls"] == []
    counts = sorted(CallEntry.objects.values_list("last_outcome", flat=True))
    assert counts == ["", "need", "reached"]  # the outcomes stay for the figures
    client.force_login(care_coordinator)
    for page in ("", "dashboard/", "debriefs/", "data-quality/", "follow-ups/"):
        assert client.get(f"/nl/calls/{campaign.pk}/{page}").status_code == 200
