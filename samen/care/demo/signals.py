"""The demo's signals in every state: new, dismissed, followed up in a case with a referral (one overdue and
escalated, one in progress, one completed), and a worry from a neighbourhood no network covers."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from samen.activities.models import Activity
from samen.care import services
from samen.care.models import CareNetwork, Case, Consent, Referral, ReferralChange, Resident, Signal
from samen.core import working_days
from samen.network.models import Area, Organisation, User

# The states a referral went through to reach its status.
PATHS = {
    "requested": ["requested"],
    "in-progress": ["requested", "accepted", "in-progress"],
    "completed": ["requested", "accepted", "in-progress", "completed"],
}


def _ago(spec: dict) -> datetime.timedelta:
    return datetime.timedelta(days=spec.get("days_ago", 0), hours=spec.get("hours_ago", 0))


def load(
    data: dict,
    network: CareNetwork,
    residents: list[Resident],
    people: dict[str, User],
    orgs: dict[str, Organisation],
) -> int:
    now = timezone.now()
    for spec in data["signals"]:
        resident = residents[spec["resident"]] if spec["resident"] is not None else None
        _signal(network, resident, spec, now - _ago(spec))
    consents = data["consents"]
    for number in consents["residents"]:
        Consent.objects.create(
            resident=residents[number],
            scope=consents["scope"],
            how=consents["how"],
            recorded_by=people[consents["recorded_by"]],
            given_at=now - _ago(consents),
        )
    for spec in data["cases"]:
        _case(data["case_signal"], spec, network, residents, people, orgs, now=now)
    return Signal.objects.filter(network=network).count()


def unrouted_worry(spec: dict, networks: list[CareNetwork]) -> None:
    """A worry from a neighbourhood where no network works: it waits for the backbone to hand it over."""
    covered = Q()
    for network in networks:
        covered |= Q(path__startswith=network.area.path)
    area = Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).exclude(covered).order_by("code").first()
    if area is not None:
        Signal.objects.create(
            network=None,
            area=area,
            source=spec["source"],
            observations=spec["observations"],
            urgency=spec["urgency"],
            about=spec["about"],
        )


def _signal(network: CareNetwork, resident: Resident | None, spec: dict, when: datetime.datetime) -> Signal:
    signal = Signal.objects.create(
        network=network,
        area=network.area,
        resident=resident,
        source=spec["source"],
        observations=spec["observations"],
        urgency=spec["urgency"],
        status=spec["status"],
        about=spec.get("about", ""),
    )
    Signal.objects.filter(pk=signal.pk).update(created_at=when)
    return signal


def _case(
    found: dict,
    spec: dict,
    network: CareNetwork,
    residents: list[Resident],
    people: dict[str, User],
    orgs: dict[str, Organisation],
    *,
    now: datetime.datetime,
) -> None:
    """A case opened on a survey finding, with its referral; a closed one ends with a visiting volunteer."""
    resident, when = residents[spec["resident"]], now - _ago(spec)
    signal = _signal(network, resident, {**found, "status": spec["status"]}, when)
    owner = orgs[spec["organisation"]]
    case = Case.objects.create(
        network=network, resident=resident, signal=signal, owner_organisation=owner, owner=people[spec["owner"]]
    )
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    referral = spec["referral"]
    _referral(case, owner, orgs[referral["to"]], referral, now - _ago(referral), by=people[referral["by"]])
    closed = spec.get("closed")
    if closed:
        activity = Activity.objects.filter(slug=closed["activity"]).first()
        Case.objects.filter(pk=case.pk).update(
            status="closed",
            outcome="volunteer" if activity else "resolved",
            activity=activity,
            closed_at=now - _ago(closed),
        )
        if activity:
            resident.activities.add(activity)


def _referral(
    case: Case, source: Organisation, target: Organisation, spec: dict, when: datetime.datetime, *, by: User
) -> None:
    status, escalation = spec["status"], spec["escalation"]
    day = timezone.localdate(when)
    referral = Referral.objects.create(
        case=case,
        from_organisation=source,
        to_organisation=target,
        status=status,
        requested_at=when,
        acknowledge_by=working_days.add_working_days(day, services.ACKNOWLEDGE_WORKING_DAYS),
        outcome_by=day + datetime.timedelta(days=services.OUTCOME_DAYS),
        escalation=escalation,
        escalated_at=when + datetime.timedelta(days=5) if escalation else None,
        acknowledged_at=None if status == "requested" else when + datetime.timedelta(days=1),
        finished_at=when + datetime.timedelta(days=14) if status == "completed" else None,
    )
    case.shared_with.add(target)
    previous = ""
    for step, state in enumerate(PATHS[status]):
        ReferralChange.objects.create(
            referral=referral, from_status=previous, to_status=state, at=when + datetime.timedelta(days=step), by=by
        )
        previous = state
