"""The pool, batches and the rule table, through the services."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from samen.calls import scripts, services
from samen.calls.models import CallAttempt, CallEntry, CallRule, DoNotCall

pytestmark = pytest.mark.django_db
S = CallEntry.Status


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_the_pool_holds_the_population_oldest_first(campaign, make_resident, care_coordinator):
    old = make_resident(birth_date=datetime.date(1931, 3, 1))
    young = make_resident(birth_date=datetime.date(1958, 3, 1))
    make_resident(birth_date=datetime.date(1990, 3, 1))  # under 65: not in the population
    middle = make_resident(birth_date=datetime.date(1940, 3, 1))
    erased = make_resident(birth_date=datetime.date(1935, 1, 1))
    erased.erased_at = timezone.now()
    erased.save()
    result = services.pool_build(campaign=campaign, actor=care_coordinator)
    assert result["added"] == 3
    order = list(CallEntry.objects.filter(campaign=campaign).order_by("position").values_list("resident", flat=True))
    assert order == [old.pk, middle.pk, young.pk]
    # Built again: nobody twice.
    assert services.pool_build(campaign=campaign, actor=care_coordinator)["added"] == 0


def test_the_pool_filters_on_living_alone_and_neighbourhood_and_orders_per_neighbourhood(
    make_campaign, make_resident, areas, care_coordinator, runkst_network
):
    campaign = make_campaign(lives_alone_only=True, order="neighbourhood")
    alone = make_resident(lives_alone=True)
    make_resident(lives_alone=False)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    assert list(CallEntry.objects.filter(campaign=campaign).values_list("resident", flat=True)) == [alone.pk]


def test_building_the_pool_and_the_next_batch_cost_the_same_queries_for_10_and_1000(
    make_campaign, many_residents, care_coordinator, caller
):
    from samen.network.models import User

    def fresh(user):  # no permission caches carried from one measurement to the next
        return User.objects.get(pk=user.pk)

    many_residents(10)
    small = make_campaign(name="Klein")
    build_10 = _queries(lambda: services.pool_build(campaign=small, actor=fresh(care_coordinator)))
    batch_10 = _queries(lambda: services.batch_reserve(campaign=small, actor=fresh(caller)))
    many_residents(990)
    large = make_campaign(name="Groot")
    build_1000 = _queries(lambda: services.pool_build(campaign=large, actor=fresh(care_coordinator)))
    assert CallEntry.objects.filter(campaign=large).count() == 1000
    batch_1000 = _queries(lambda: services.batch_reserve(campaign=large, actor=fresh(caller)))
    assert (build_10, batch_10) == (build_1000, batch_1000)


def test_a_batch_holds_the_next_people_and_nobody_else_gets_them(
    campaign, many_residents, care_coordinator, caller, other_caller
):
    many_residents(25)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    mine = services.batch_reserve(campaign=campaign, actor=caller)
    theirs = services.batch_reserve(campaign=campaign, actor=other_caller)
    mine_ids = set(mine.entries.values_list("pk", flat=True))
    their_ids = set(theirs.entries.values_list("pk", flat=True))
    assert len(mine_ids) == len(their_ids) == 10 and not mine_ids & their_ids
    # Asking again while the batch is open gives the same batch.
    assert services.batch_reserve(campaign=campaign, actor=caller) == mine


def test_only_listed_pledged_callers_reserve(campaign, care_member, make_care_member, runkst_network, many_residents):
    many_residents(3)
    with pytest.raises(PermissionDenied):
        services.batch_reserve(campaign=campaign, actor=care_member)  # a member, not a caller
    unpledged = make_care_member(runkst_network, pledged=False)
    campaign.callers.add(unpledged)
    campaign._caller_ids = None
    with pytest.raises(PermissionDenied):
        services.batch_reserve(campaign=campaign, actor=unpledged)


def test_calling_is_refused_outside_the_hours_and_dates(make_campaign, caller):
    campaign = make_campaign(calls_from=datetime.time(10), calls_until=datetime.time(12))
    evening = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(20)))
    # The message is read in Dutch whatever language an earlier test left active.
    with translation.override("nl"), pytest.raises(ValidationError, match="tussen 10:00 en 12:00"):
        services.batch_reserve(campaign=campaign, actor=caller, now=evening)


@pytest.mark.parametrize(("language", "written"), [("nl", "4 mrt 2030"), ("en", "4 March 2030")])
def test_a_campaign_not_started_names_its_start_in_the_reader_s_language(make_campaign, language, written):
    from samen.calls.selectors import calling_closed_reason

    campaign = make_campaign(starts_on=datetime.date(2030, 3, 4), ends_on=datetime.date(2030, 4, 4))
    with translation.override(language):
        assert written in calling_closed_reason(campaign, timezone.now())


def _first(campaign, caller, **kwargs):
    batch = services.batch_reserve(campaign=campaign, actor=caller, **kwargs)
    return batch.entries.order_by("position").first()


def test_an_outcome_for_a_call_not_reserved_by_you_is_refused(
    campaign, many_residents, care_coordinator, caller, other_caller
):
    many_residents(12)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _first(campaign, caller)
    with pytest.raises(PermissionDenied):
        services.attempt_record(entry=entry, actor=other_caller, outcome="reached")
    with pytest.raises(PermissionDenied):
        services.attempt_record(entry=entry, actor=care_coordinator, outcome="reached")
    waiting = CallEntry.objects.filter(campaign=campaign, status=S.WAITING).first()
    with pytest.raises(PermissionDenied):
        services.attempt_record(entry=waiting, actor=caller, outcome="reached")
    assert not CallAttempt.objects.exists()
    services.attempt_record(entry=entry, actor=caller, outcome="reached")
    with pytest.raises(PermissionDenied):  # recorded once; a second submit is refused
        services.attempt_record(entry=entry, actor=caller, outcome="reached")


def test_no_answer_comes_back_after_the_hours_then_a_letter_after_three(
    campaign, many_residents, care_coordinator, caller
):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    now = timezone.now()
    for attempt in range(1, 4):
        entry = _first(campaign, caller, now=now)
        assert entry is not None, f"attempt {attempt}"
        services.attempt_record(entry=entry, actor=caller, outcome="no-answer", now=now)
        entry.refresh_from_db()
        if attempt < 3:
            assert entry.status == S.WAITING and entry.available_at == now + datetime.timedelta(hours=4)
            assert not services.batch_reserve(
                campaign=campaign, actor=caller, now=now + datetime.timedelta(hours=1)
            ).entries.exists()
        now += datetime.timedelta(hours=5)
    assert (entry.status, entry.follow_up, entry.attempts) == (S.FOLLOW_UP, "letter", 3)
    services.follow_up_done(entry=entry, actor=care_coordinator)
    entry.refresh_from_db()
    assert entry.status == S.CLOSED


def test_the_coordinator_changes_the_rule_table(campaign, many_residents, care_coordinator, caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    rule = campaign.rules.get(outcome="busy")
    rule.max_attempts, rule.after_last = 1, "visit"
    services.rules_save(campaign=campaign, rules=[rule], actor=care_coordinator)
    entry = _first(campaign, caller)
    services.attempt_record(entry=entry, actor=caller, outcome="busy")
    entry.refresh_from_db()
    assert (entry.status, entry.follow_up) == (S.FOLLOW_UP, "visit")
    never = campaign.rules.get(outcome="do-not-call")
    never.action = "done"
    with pytest.raises(ValidationError):
        services.rules_save(campaign=campaign, rules=[never], actor=care_coordinator)
    with pytest.raises(PermissionDenied):
        services.rules_save(campaign=campaign, rules=[rule], actor=caller)


def test_a_need_becomes_a_care_signal_linked_to_the_call(
    campaign, many_residents, care_coordinator, caller, mailoutbox, django_capture_on_commit_callbacks
):
    from samen.care.models import Signal

    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _first(campaign, caller)
    with pytest.raises(ValidationError):
        services.attempt_record(entry=entry, actor=caller, outcome="need", needs=[])
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_record(
            entry=entry, actor=caller, outcome="need", needs=["shopping", "loneliness"], answers={"1": "yes"}
        )
    signal = Signal.objects.get()
    assert attempt.signal == signal and signal.resident == entry.resident
    assert signal.observations == ["other", "lonely"] and "boodschappen" in signal.details
    entry.refresh_from_db()
    assert (entry.status, entry.signal, entry.needs) == (S.DONE, signal, ["loneliness", "shopping"])
    assert len(mailoutbox) == 1 and "Persoon" not in mailoutbox[0].body  # the coordinator's mail: the area only


def test_call_back_goes_to_the_same_caller_at_the_time_asked(
    campaign, many_residents, care_coordinator, caller, other_caller
):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    now = timezone.now()
    entry = _first(campaign, caller, now=now)
    with pytest.raises(ValidationError):
        services.attempt_record(entry=entry, actor=caller, outcome="call-back", now=now)
    at = now + datetime.timedelta(hours=2)
    services.attempt_record(entry=entry, actor=caller, outcome="call-back", call_back_at=at, now=now)
    later = at + datetime.timedelta(minutes=1)
    assert not services.batch_reserve(campaign=campaign, actor=other_caller, now=later).entries.exists()
    services.batches_expire(now=later + datetime.timedelta(hours=2))
    assert list(
        services.batch_reserve(campaign=campaign, actor=caller, now=later + datetime.timedelta(hours=2)).entries.all()
    ) == [entry]


def test_wrong_number_goes_to_the_data_quality_list_and_back(campaign, many_residents, care_coordinator, caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _first(campaign, caller)
    services.attempt_record(entry=entry, actor=caller, outcome="wrong-number")
    entry.refresh_from_db()
    assert entry.status == S.DATA_QUALITY
    services.number_checked(entry=entry, actor=care_coordinator)
    entry.refresh_from_db()
    assert entry.status == S.WAITING


def test_do_not_call_stays_excluded_after_a_re_import(make_campaign, make_resident, care_coordinator, caller):
    resident = make_resident(phone="+32 11 22 33 44")
    first = make_campaign(name="Eerste")
    services.pool_build(campaign=first, actor=care_coordinator)
    entry = _first(first, caller)
    services.attempt_record(entry=entry, actor=caller, outcome="do-not-call")
    assert DoNotCall.objects.count() == 1 and resident.reference not in str(DoNotCall.objects.get().__dict__)
    # The city's list again: a new row for the same person, the number written another way.
    second = make_campaign(name="Tweede", population="list")
    csv = "name,birth_date,area,phone\nMaria Peeters,1938-05-02,runkst,011/22.33.44\nJan Smets,1939-01-01,runkst,011 99 88 77\n"
    result = services.list_import(io.BytesIO(csv.encode()), name="lijst.csv", campaign=second, actor=care_coordinator)
    assert result.ok and result.created == 2
    statuses = sorted(CallEntry.objects.filter(campaign=second).values_list("status", flat=True))
    assert statuses == [S.NEVER, S.WAITING]


def test_an_imported_list_with_a_bad_row_stores_nothing(make_campaign, care_coordinator):
    from samen.care.models import Resident

    campaign = make_campaign(population="list")
    csv = "name,birth_date,area,phone\nMaria,1938-05-02,runkst,011\nJan,gisteren,runkst,012\n"
    result = services.list_import(io.BytesIO(csv.encode()), name="lijst.csv", campaign=campaign, actor=care_coordinator)
    assert not result.ok and (result.problems[0].line, result.problems[0].column) == (3, "birth_date")
    assert not Resident.objects.exists() and not CallEntry.objects.exists()


def test_a_batch_not_worked_on_goes_back_to_the_pool(campaign, many_residents, care_coordinator, caller, other_caller):
    many_residents(3)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    now = timezone.now()
    batch = services.batch_reserve(campaign=campaign, actor=caller, now=now)
    assert services.batches_expire(now=now + datetime.timedelta(minutes=59)) == 0
    assert services.batches_expire(now=now + datetime.timedelta(minutes=61)) == 3
    batch.refresh_from_db()
    assert batch.released_at is not None
    entry = CallEntry.objects.first()
    with pytest.raises(PermissionDenied):  # too late: the call is no longer the caller's
        services.attempt_record(entry=entry, actor=caller, outcome="reached", now=now + datetime.timedelta(minutes=62))
    assert (
        services.batch_reserve(
            campaign=campaign, actor=other_caller, now=now + datetime.timedelta(minutes=62)
        ).entries.count()
        == 3
    )


def test_a_resident_without_a_number_goes_to_the_data_quality_list(campaign, make_resident, care_coordinator):
    make_resident(phone="")
    assert services.pool_build(campaign=campaign, actor=care_coordinator)["no_number"] == 1
    assert CallEntry.objects.get().status == S.DATA_QUALITY


def test_a_debrief_is_flagged_and_closed_by_the_coordinator(campaign, many_residents, care_coordinator, caller):
    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _first(campaign, caller)
    attempt = services.attempt_record(entry=entry, actor=caller, outcome="reached", debrief=True, note="Zwaar gesprek")
    with pytest.raises(PermissionDenied):
        services.debrief_done(attempt=attempt, actor=caller)
    services.debrief_done(attempt=attempt, actor=care_coordinator)
    assert CallAttempt.objects.get().debriefed_at is not None


def test_the_script_is_parsed_with_branches_and_clear_errors():
    script = scripts.script_parse("Hoe gaat het met u? | 2 | 3\nHeeft u alles in huis?\nWie helpt u? | 0 | 0")
    assert script[0] == {"text": "Hoe gaat het met u?", "yes": 2, "no": 3}
    assert script[1] == {"text": "Heeft u alles in huis?", "yes": 0, "no": 0}
    with translation.override("nl"), pytest.raises(ValidationError) as error:  # whatever an earlier test left
        scripts.script_parse("Vraag | 1 | 9")
    assert "Regel 1" in str(error.value)


def test_the_subject_export_holds_the_calls_and_erasure_clears_them(campaign, many_residents, care_coordinator, caller):
    from samen.care import services as care_services

    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entry = _first(campaign, caller)
    services.attempt_record(entry=entry, actor=caller, outcome="need", needs=["money"], note="Vraagt naar premies")
    resident = entry.resident
    data = care_services.resident_export(resident=resident, actor=care_coordinator)
    assert data["calls"][0]["needs"] == ["money"] and data["calls"][0]["note"] == "Vraagt naar premies"
    assert data["call_campaigns"][0]["campaign"] == "Belgezel Runkst"
    care_services.resident_erase(resident=resident, actor=care_coordinator)
    attempt = CallAttempt.objects.get()
    assert (attempt.note, attempt.needs, attempt.outcome) == ("", [], "need")


def test_rules_exist_for_every_outcome(campaign):
    assert set(campaign.rules.values_list("outcome", flat=True)) == set(CallRule.Outcome.values)


def test_a_refusal_holds_for_the_person_even_when_the_number_changed(
    make_campaign, make_resident, care_coordinator, caller
):
    resident = make_resident(phone="011 11 11 11")
    first = make_campaign(name="Eerste")
    services.pool_build(campaign=first, actor=care_coordinator)
    services.attempt_record(entry=_first(first, caller), actor=caller, outcome="do-not-call")
    resident.phone = "0470 99 99 99"
    resident.save()
    second = make_campaign(name="Tweede")
    assert services.pool_build(campaign=second, actor=care_coordinator)["never"] == 1


def test_rotating_the_care_keys_reencrypts_the_call_notes_too(
    campaign, many_residents, care_coordinator, caller, settings
):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    many_residents(1)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    attempt = services.attempt_record(
        entry=_first(campaign, caller), actor=caller, outcome="reached", note="Zwaar gesprek"
    )
    new = Fernet.generate_key().decode()
    settings.SAMEN_CARE_KEYS = [new, *settings.SAMEN_CARE_KEYS]
    call_command("care-rotate-keys", stdout=io.StringIO())
    settings.SAMEN_CARE_KEYS = [new]  # the old key is gone
    assert CallAttempt.objects.get(pk=attempt.pk).note == "Zwaar gesprek"
