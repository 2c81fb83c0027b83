"""Reads of care that pages share; none of them returns a name except for a page that audits the read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from samen.care import access
from samen.care.models import (
    CareNetwork,
    Case,
    Consent,
    GlassBreak,
    NetworkMember,
    Referral,
    Resident,
    Signal,
    WatchAgreement,
)
from samen.core.models import AuditEntry
from samen.network.models import Area, Organisation

S = Referral.Status
# A referral in one of these states is over: no deadline runs, nothing is escalated.
FINISHED = {S.REJECTED, S.COMPLETED, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR}


def residents_for_list(network: CareNetwork) -> QuerySet[Resident]:
    """Reference, area and open-case count only: the encrypted columns are not even read."""
    return (
        network.residents.filter(erased_at__isnull=True)
        .select_related("area")
        .only("reference", "area__name", "nearby_count", "lives_alone", "birth_year", "network_id")
        .annotate(open_cases=Count("cases", filter=Q(cases__status=Case.Status.OPEN)))
        .order_by("reference")
    )


def signals_for_list(network: CareNetwork, statuses: tuple[str, ...] = (Signal.Status.NEW,)) -> QuerySet[Signal]:
    return (
        network.signals.filter(status__in=statuses)
        .select_related("area", "resident")
        .only(
            "reference",
            "area__name",
            "observations",
            "urgency",
            "status",
            "source",
            "created_at",
            "resident__reference",
        )
        .order_by("-created_at")
    )


def cases_for_user(user: Any, network: CareNetwork) -> QuerySet[Case]:
    """The coordinator sees the network's cases; others the cases of their organisation or shared with it."""
    cases = network.cases.select_related("owner_organisation", "resident").only(
        "reference", "status", "outcome", "opened_at", "owner_organisation__name", "resident__reference", "network_id"
    )
    m = access.membership(user, network)
    if m is None:
        return cases.none()
    if not m.is_coordinator:
        # A share counts only while it is live (a referral, or a consent in force: not an expired override).
        live_referral = access.live_referrals(
            Referral.objects.filter(case=OuterRef("pk"), to_organisation=m.organisation_id)
        )
        live_consent = access.consents_in_force().filter(
            resident=OuterRef("resident"), scope=Consent.Scope.SHARING, organisation=m.organisation_id
        )
        shared = Q(shared_with=m.organisation_id) & (Exists(live_referral) | Exists(live_consent))
        cases = cases.filter(Q(owner=user) | Q(owner_organisation=m.organisation_id) | shared).distinct()
    return cases.order_by("status", "-opened_at")


def open_referrals(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("to_organisation", "from_organisation").prefetch_related("changes__by")


def resident_consents(resident: Resident) -> QuerySet[Consent]:
    return resident.consents.select_related("organisation", "recorded_by", "reviewed_by")


def audit_trail(resident: Resident) -> QuerySet[AuditEntry]:
    """Every read and change of the resident, of their cases and signals (entries carry the reference)."""
    signals = [str(pk) for pk in resident.signals.values_list("pk", flat=True)]
    cases = [str(pk) for pk in resident.cases.values_list("pk", flat=True)]
    return (
        AuditEntry.objects.filter(
            Q(object_type="care.resident", object_id=str(resident.pk))
            | Q(action__startswith="care.", changes__resident=resident.reference)
            | Q(object_type="care.signal", object_id__in=signals)
            | Q(object_type="care.case", object_id__in=cases)
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def reviews_for(user: Any) -> tuple[list[GlassBreak], list[Consent]]:
    networks = [n for n, m in access.memberships(user).items() if m.is_coordinator]
    glass = list(
        GlassBreak.objects.filter(case__network__in=networks, reviewed_at__isnull=True)
        .select_related("case__resident", "user")
        .order_by("opened_at")
    )
    overrides = list(
        Consent.objects.filter(resident__network__in=networks, how=Consent.How.VITAL_INTEREST, reviewed_at__isnull=True)
        .select_related("resident", "recorded_by", "organisation")
        .order_by("given_at")
    )
    return glass, overrides


def escalated_referrals() -> QuerySet[Referral]:
    """For the backbone: where the loop is not closed in time; references, networks and states only."""
    return (
        Referral.objects.filter(escalation__gte=1)
        .exclude(status__in=FINISHED)
        .select_related("case__network", "to_organisation")
        .only(
            "status",
            "escalation",
            "escalated_at",
            "outcome_by",
            "acknowledge_by",
            "case__reference",
            "case__network__name",
            "to_organisation__name",
        )
        .order_by("escalated_at")
    )


def networks_for_setup() -> QuerySet[CareNetwork]:
    """For the backbone: every network with its counts and coordinators (no residents' data)."""
    return (
        CareNetwork.objects.select_related("area")
        .annotate(
            partner_count=Count("organisations", distinct=True),
            member_count=Count("members", distinct=True),
            agreement_count=Count("agreements", filter=Q(agreements__ended_on__isnull=True), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=NetworkMember.objects.filter(is_coordinator=True).select_related("user"),
                to_attr="coordinators",
            )
        )
        .order_by("name")
    )


def agreements_register() -> QuerySet[WatchAgreement]:
    return WatchAgreement.objects.select_related("network").order_by("network__name", "ended_on", "business")


def unrouted_signals() -> QuerySet[Signal]:
    """Worries from areas without a network, not yet handed over: reference, area, urgency, date only."""
    return (
        Signal.objects.filter(network__isnull=True)
        .select_related("area")
        .only("reference", "area__name", "urgency", "created_at", "status")
        .order_by("-created_at")
    )


def network_for_area(area: Area) -> CareNetwork | None:
    """The care network whose area holds this one (the deepest, if networks nest)."""
    candidates = [n for n in CareNetwork.objects.select_related("area") if area.path.startswith(n.area.path)]
    return max(candidates, key=lambda n: len(n.area.path), default=None)


def network_for_worry(area: Area) -> CareNetwork | None:
    """Where a public worry goes: the area's network, else the one that takes other areas (if any)."""
    return network_for_area(area) or CareNetwork.objects.filter(takes_other_areas=True).first()


def has_consent(
    resident: Resident, scope: str, organisation: Organisation | None = None, *, now: datetime.datetime | None = None
) -> bool:
    """Consent for this (or a vital-interest override not older than SAMEN_CARE_OVERRIDE_DAYS) that is not withdrawn."""
    # A vital-interest override counts only for the scope (and organisation) it was recorded for;
    # it expires after SAMEN_CARE_OVERRIDE_DAYS (and stays on the reviews list until reviewed).
    wanted = access.consents_in_force(now=now).filter(resident=resident, scope=scope)
    if organisation is not None and scope == Consent.Scope.SHARING:
        wanted = wanted.filter(organisation=organisation)
    return wanted.exists()


def referral_overdue(referral: Referral, today: datetime.date) -> bool:
    """Not finished, and past its deadline: to be acknowledged while requested, else its outcome."""
    if referral.status in FINISHED:
        return False
    if referral.status == S.REQUESTED and today > referral.acknowledge_by:
        return True
    return today > referral.outcome_by


def network_members(network: CareNetwork) -> Iterable[NetworkMember]:
    """The network's coordinators first, then its members by first name, with their organisations."""
    return network.members.select_related("user", "organisation").order_by("-is_coordinator", "user__first_name")
