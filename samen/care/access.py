"""Who sees what of care, in one place; every view and service asks here.

- A network's data is seen only by its members with the care role who accepted the pledge.
- A case's details only by its owner, the network coordinator, and members acting for the owner
  organisation or an organisation it is shared with; others of the network may break the glass.
- The audit trail of a resident: the network coordinator and data-protection officers."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from samen.care.models import PLEDGE_VERSION, CareNetwork, Case, Consent, GlassBreak, NetworkMember, Referral, Resident
from samen.core.permissions import is_backbone, is_care_network_member, is_data_protection_officer

FULL, GLASS = "full", "glass"
# A referral in these states no longer shares the case with the organisation it went to; a
# finished one (completed, failed) shares it only while the case is open, to record the outcome.
REFERRAL_ENDED = (Referral.Status.REJECTED, Referral.Status.CANCELLED, Referral.Status.ENTERED_IN_ERROR)
REFERRAL_DONE = (Referral.Status.COMPLETED, Referral.Status.FAILED)
__all__ = ["PLEDGE_VERSION"]  # the version a new network asks; each network keeps its own (`pledge_version`)


def memberships(user: Any) -> dict[int, NetworkMember]:
    """The networks a person may see, by network id: pledged, with the care role. Cached on the user."""
    cached: dict[int, NetworkMember] | None = getattr(user, "_care_memberships", None)
    if cached is not None:
        return cached
    result: dict[int, NetworkMember] = {}
    if is_care_network_member(user):
        # A new version of the network's pledge asks again before anything is seen.
        rows = NetworkMember.objects.filter(
            user=user, pledged_at__isnull=False, pledge_version=F("network__pledge_version")
        ).select_related("network", "organisation")
        result = {m.network_id: m for m in rows}
    user._care_memberships = result
    return result


def forget(user: Any) -> None:
    user.__dict__.pop("_care_memberships", None)


def pending_pledges(user: Any) -> list[NetworkMember]:
    if not is_care_network_member(user):
        return []
    return list(
        NetworkMember.objects.filter(user=user)
        .filter(Q(pledged_at__isnull=True) | ~Q(pledge_version=F("network__pledge_version")))
        .select_related("network")
    )


def uses_care(user: Any) -> bool:
    """May open the care pages at all (what they then see is narrowed per object)."""
    return bool(is_care_network_member(user) or is_backbone(user) or is_data_protection_officer(user))


def membership(user: Any, network: CareNetwork | int) -> NetworkMember | None:
    network_id = network if isinstance(network, int) else network.pk
    return memberships(user).get(network_id)


def coordinates(user: Any, network: CareNetwork | int) -> bool:
    m = membership(user, network)
    return bool(m and m.is_coordinator)


def sees_resident(user: Any, resident: Resident) -> bool:
    return resident.erased_at is None and membership(user, resident.network_id) is not None


def reads_audit_trail(user: Any, resident: Resident) -> bool:
    return is_data_protection_officer(user) or coordinates(user, resident.network_id)


def consents_in_force(*, now: datetime.datetime | None = None) -> QuerySet[Consent]:
    """Consents not withdrawn, without vital-interest overrides older than SAMEN_CARE_OVERRIDE_DAYS."""
    expired = (now or timezone.now()) - datetime.timedelta(days=settings.SAMEN_CARE_OVERRIDE_DAYS)
    return Consent.objects.filter(withdrawn_at__isnull=True).exclude(
        how=Consent.How.VITAL_INTEREST, given_at__lte=expired
    )


def live_referrals(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals that still share their case: not ended, and not finished on a closed case."""
    return referrals.exclude(status__in=REFERRAL_ENDED).exclude(
        status__in=REFERRAL_DONE, case__status=Case.Status.CLOSED
    )


def share_is_live(case: Case, organisation_id: int, *, now: datetime.datetime | None = None) -> bool:
    """A case stays shared with an organisation while a referral to it is live or a consent to share
    with it is in force: a share made on a vital-interest override ends when the override expires."""
    if live_referrals(case.referrals.filter(to_organisation_id=organisation_id)).exists():
        return True
    return (
        case.resident_id is not None
        and consents_in_force(now=now)
        .filter(resident_id=case.resident_id, scope=Consent.Scope.SHARING, organisation_id=organisation_id)
        .exists()
    )


def case_access(user: Any, case: Case, *, now: datetime.datetime | None = None) -> str | None:
    """FULL for those who follow the case up, GLASS during a break-the-glass, else None."""
    m = membership(user, case.network_id)
    if m is None:
        return None
    if m.is_coordinator or case.owner_id == user.pk:
        return FULL
    if m.organisation_id == case.owner_organisation_id and m.organisation_id:
        return FULL
    # Checked at every read too, so an expired override shares nothing even before the hourly job runs.
    if (
        m.organisation_id
        and case.shared_with.filter(pk=m.organisation_id).exists()
        and share_is_live(case, m.organisation_id, now=now)
    ):
        return FULL
    if GlassBreak.objects.filter(case=case, user=user, expires_at__gt=now or timezone.now()).exists():
        return GLASS
    return None


def sees_signal(user: Any, signal: Any) -> bool:
    """A new signal: the coordinator and its reporter; a signal taken up: those who may open its case."""
    if signal.network_id is None:
        return False  # not handed over yet: the backbone sees only its reference and area
    m = membership(user, signal.network_id)
    if m is None:
        return False
    if m.is_coordinator or (signal.reported_by_id and signal.reported_by_id == user.pk):
        return True
    case = getattr(signal, "case", None)
    return case is not None and case_access(user, case) is not None
