"""Every write of care: keyword-only, atomic, validated, audited, notifications queued after commit.

Audit entries and mails carry references, areas and states only: never a resident's name, date of
birth, address, phone or a free-text note (those stay encrypted in their own rows)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.care import access, privacy, selectors
from samen.care.models import (
    CareNetwork,
    Case,
    Consent,
    GlassBreak,
    NetworkMember,
    Referral,
    ReferralChange,
    Resident,
    Signal,
    SurveyAnswer,
    SurveyRound,
    WatchAgreement,
)
from samen.core import working_days
from samen.core.audit import audit_log
from samen.core.mail import absolute_url, mail_enqueue
from samen.core.models import AuditEntry
from samen.core.permissions import BACKBONE, CARE_NETWORK, DATA_PROTECTION, is_backbone
from samen.network.models import Area, Organisation, User

PLEDGE_VERSION = access.PLEDGE_VERSION
GLASS_BREAK_HOURS = 4
ACKNOWLEDGE_WORKING_DAYS = 2
OUTCOME_DAYS = 28
S = Referral.Status
TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.ACCEPTED, S.REJECTED, S.CANCELLED, S.ENTERED_IN_ERROR},
    S.ACCEPTED: {S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR},
    S.IN_PROGRESS: {S.ON_HOLD, S.COMPLETED, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR},
    S.ON_HOLD: {S.IN_PROGRESS, S.FAILED, S.CANCELLED, S.ENTERED_IN_ERROR},
}
# Only the organisation that receives a referral answers it; the one that sent it may withdraw it.
RECEIVER_ONLY = {S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.FAILED}


# --- Networks and members ------------------------------------------------------------------------


@transaction.atomic
def pledge_accept(*, membership: NetworkMember, actor: User) -> NetworkMember:
    if membership.user_id != actor.pk:
        raise PermissionDenied
    version = membership.network.pledge_version
    if membership.pledged_at is None or membership.pledge_version != version:
        membership.pledged_at = timezone.now()
        membership.pledge_version = version
        membership.save(update_fields=["pledged_at", "pledge_version"])
        audit_log(actor=actor, action="care.pledge.accepted", obj=membership.network, changes={"version": version})
    access.forget(actor)
    return membership


@transaction.atomic
def network_save(*, network: CareNetwork, organisations: Iterable[Organisation], actor: User) -> CareNetwork:
    """The backbone sets up or changes a network: its area, partners, pledge version and whether it
    takes worries from areas without a network. A new pledge version asks every member again."""
    if not is_backbone(actor):
        raise PermissionDenied
    network.full_clean()
    created = network.pk is None
    before = None if created else CareNetwork.objects.get(pk=network.pk).pledge_version
    organisations = list(organisations)
    if not created:
        _check_partners_kept(network, {o.pk for o in organisations})
    network.save()
    network.organisations.set(list(organisations))
    audit_log(
        actor=actor,
        action="care.network.created" if created else "care.network.saved",
        obj=network,
        changes={
            "area": network.area_id,
            "organisations": sorted(network.organisations.values_list("pk", flat=True)),
            "pledge_version": network.pledge_version,
            "pledge_asked_again": before is not None and before != network.pledge_version,
            "takes_other_areas": network.takes_other_areas,
        },
    )
    return network


def _check_partners_kept(network: CareNetwork, kept: set[int]) -> None:
    """A partner whose members act in the network, or that owns or shares open cases, stays until they are moved."""
    dropped = set(network.organisations.values_list("pk", flat=True)) - kept
    if not dropped:
        return
    members = NetworkMember.objects.filter(network=network, organisation__in=dropped).count()
    cases = (
        Case.objects.filter(network=network, status=Case.Status.OPEN)
        .filter(Q(owner_organisation__in=dropped) | Q(shared_with__in=dropped))
        .distinct()
        .count()
    )
    if members or cases:
        raise ValidationError(
            {
                "organisations": _(
                    "A partner you took out still has %(members)s members acting for it and %(cases)s open cases "
                    "in this network: move them first."
                )
                % {"members": members, "cases": cases}
            }
        )


def _check_member(network: CareNetwork, organisation: Organisation | None) -> None:
    if organisation is not None and not network.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Choose a partner organisation of this care network.")})


@transaction.atomic
def member_add(
    *, network: CareNetwork, user: User, organisation: Organisation | None, is_coordinator: bool, actor: User
) -> NetworkMember:
    """The backbone adds a person with the care role; they see nothing before they accept the pledge."""
    if not is_backbone(actor):
        raise PermissionDenied
    if user.pk == actor.pk:
        # Membership opens residents' data: nobody grants it to themself (four eyes).
        raise ValidationError({"email": _("You cannot add yourself: ask another member of the backbone.")})
    _check_member(network, organisation)
    membership, created = NetworkMember.objects.get_or_create(
        network=network, user=user, defaults={"organisation": organisation, "is_coordinator": is_coordinator}
    )
    if not created:  # also a double-submitted form: the unique constraint is never hit
        raise ValidationError({"email": _("This person is a member of this care network already.")})
    # The care role comes with the membership (and goes with the last one, below).
    user.groups.add(Group.objects.get_or_create(name=CARE_NETWORK)[0])
    _notify_member_change(network, user, actor, is_coordinator)
    audit_log(
        actor=actor,
        action="care.member.added",
        obj=network,
        changes={
            "user": user.pk,
            "organisation": organisation.pk if organisation else None,
            "coordinator": is_coordinator,
        },
    )
    return membership


@transaction.atomic
def member_change(
    *, membership: NetworkMember, organisation: Organisation | None, is_coordinator: bool, actor: User
) -> NetworkMember:
    if not is_backbone(actor):
        raise PermissionDenied
    _check_member(membership.network, organisation)
    if membership.is_coordinator and not is_coordinator:
        _keep_a_coordinator(membership)
    if is_coordinator and not membership.is_coordinator and membership.user_id == actor.pk:
        raise ValidationError(_("You cannot make yourself coordinator: ask another member of the backbone."))
    if is_coordinator and not membership.is_coordinator:
        _notify_member_change(membership.network, membership.user, actor, True)
    membership.organisation, membership.is_coordinator = organisation, is_coordinator
    membership.save(update_fields=["organisation", "is_coordinator"])
    audit_log(
        actor=actor,
        action="care.member.changed",
        obj=membership.network,
        changes={
            "user": membership.user_id,
            "organisation": organisation.pk if organisation else None,
            "coordinator": is_coordinator,
        },
    )
    return membership


def _keep_a_coordinator(membership: NetworkMember) -> None:
    others = NetworkMember.objects.filter(network=membership.network_id, is_coordinator=True).exclude(pk=membership.pk)
    if not others.exists():
        # Without one, new signals, reviews and escalations would reach nobody.
        raise ValidationError(_("This is the network's only coordinator: make someone else coordinator first."))


def _notify_member_change(network: CareNetwork, user: User, actor: User, coordinator: bool) -> None:
    """Who may see a network's residents changed: its coordinators and the data-protection officers are told."""
    recipients = set(
        User.objects.filter(groups__name=DATA_PROTECTION, is_active=True).values_list("email", flat=True)
    ) | set(
        NetworkMember.objects.filter(network=network, is_coordinator=True, user__is_active=True)
        .exclude(user=user)
        .values_list("user__email", flat=True)
    )
    context = {
        "network": network.name,
        "person": user.get_full_name() or user.email,
        "by": actor.get_full_name() or actor.email,
        "coordinator": coordinator,
        "url": absolute_url(reverse("care:home")),
    }
    for email in sorted(recipients):
        mail_enqueue("care/member_added", to=email, context=context, language=settings.LANGUAGE_CODE)


@transaction.atomic
def member_remove(*, membership: NetworkMember, actor: User) -> None:
    """Ends a membership; a person in no care network any more loses the care role too (least access)."""
    if not is_backbone(actor):
        raise PermissionDenied
    user, network = membership.user, membership.network
    if membership.is_coordinator:
        _keep_a_coordinator(membership)
    # Their open cases go to a coordinator, so no case is left with an owner outside the network.
    coordinator = NetworkMember.objects.filter(network=network, is_coordinator=True).exclude(pk=membership.pk).first()
    for case in Case.objects.filter(network=network, owner=user, status=Case.Status.OPEN):
        case.owner = coordinator.user if coordinator else None
        case.save(update_fields=["owner"])
        audit_log(
            actor=actor,
            action="care.case.owner_changed",
            obj=case,
            changes={"owner": case.owner_id, "why": "member removed", "resident": ""},
        )
    membership.delete()
    if not NetworkMember.objects.filter(user=user).exists():
        user.groups.remove(*Group.objects.filter(name=CARE_NETWORK))
    audit_log(actor=actor, action="care.member.removed", obj=network, changes={"user": user.pk})


@transaction.atomic
def watch_agreement_save(*, agreement: WatchAgreement, actor: User) -> WatchAgreement:
    """The register of watch-over agreements is kept by the backbone and the network's coordinator."""
    if not (access.coordinates(actor, agreement.network_id) or is_backbone(actor)):
        raise PermissionDenied
    agreement.full_clean()
    created = agreement.pk is None
    agreement.save()
    audit_log(actor=actor, action="care.agreement.saved", obj=agreement, changes={"created": created})
    return agreement


# --- Residents -----------------------------------------------------------------------------------


def _derived(resident: Resident) -> None:
    resident.birth_year = resident.birth_date.year if resident.birth_date else None
    resident.nearby_count = sum(1 for n in (resident.nearby_1, resident.nearby_2, resident.nearby_3) if n.strip())


def _check_area(resident: Resident) -> None:
    network_area = Area.objects.get(pk=resident.network.area_id)
    area = Area.objects.get(pk=resident.area_id)
    if not area.path.startswith(network_area.path):
        raise ValidationError({"area": _("This area is outside the care network's area.")})


@transaction.atomic
def resident_save(*, resident: Resident, actor: User) -> Resident:
    """Create or change a resident; only members of the resident's network may."""
    if access.membership(actor, resident.network_id) is None:
        raise PermissionDenied
    _derived(resident)
    resident.full_clean()
    _check_area(resident)
    created = resident.pk is None
    resident.save()
    audit_log(
        actor=actor,
        action="care.resident.created" if created else "care.resident.changed",
        obj=resident,
        changes={"resident": resident.reference},
    )
    return resident


def resident_viewed(*, resident: Resident, actor: User, what: str = "resident") -> None:
    """Every read of a resident is written down: who, what, when, and why (their role in the network)."""
    m = access.membership(actor, resident.network_id)
    why = "coordinator" if m and m.is_coordinator else "network member"
    audit_log(
        actor=actor,
        action="care.resident.viewed",
        obj=resident,
        changes={"resident": resident.reference, "what": what, "why": why},
    )


def residents_created_in_bulk(*, network: CareNetwork, residents: list[Resident], actor: User, source: str) -> None:
    """The importer's write: all rows or none, one audit entry per resident."""
    if access.membership(actor, network.pk) is None:
        raise PermissionDenied
    with transaction.atomic():
        for resident in residents:
            _derived(resident)
            resident.save()
            audit_log(
                actor=actor,
                action="care.resident.imported",
                obj=resident,
                changes={"resident": resident.reference, "source": source},
            )


# --- Signals -------------------------------------------------------------------------------------


@transaction.atomic
def signal_report(
    *,
    network: CareNetwork | None,
    area: Area,
    source: str,
    observations: list[str],
    urgency: str,
    about: str = "",
    details: str = "",
    reporter_contact: str = "",
    resident: Resident | None = None,
    actor: User | None = None,
    notify: bool = True,
) -> Signal:
    """Take in a signal; the network's coordinators get a mail that names the area, nothing more
    (not when `notify` is off: a public report over its rate limit is kept, quietly).

    A public worry from an area without a network (`network` None) is kept all the same, and the
    backbone is told, so that it hands it over to a network (`signal_hand_over`)."""
    if network is None and source != Signal.Source.PUBLIC:
        raise PermissionDenied
    if source == Signal.Source.MEMBER and (
        actor is None or network is None or access.membership(actor, network.pk) is None
    ):
        raise PermissionDenied
    signal = Signal(
        network=network,
        area=area,
        source=source,
        observations=list(observations),
        urgency=urgency,
        about=about.strip(),
        details=details.strip(),
        reporter_contact=reporter_contact.strip(),
        resident=resident,
        reported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    signal.full_clean()
    signal.save()
    audit_log(
        actor=actor,
        action="care.signal.reported",
        obj=signal,
        changes={"source": source, "urgency": urgency, "resident": resident.reference if resident else ""},
    )
    if notify and network is None:
        _notify_backbone(
            "care/unrouted_worry",
            {"area": area.name, "path": reverse("care:worries"), "urgent": urgency == Signal.Urgency.URGENT},
        )
    elif notify and network is not None:
        _notify_coordinators(
            network,
            "care/new_signal",
            {"area": area.name, "path": signal.get_absolute_url(), "urgent": urgency == Signal.Urgency.URGENT},
        )
    return signal


def resident_reads_audit(*, actor: User, action: str, obj: Any, residents: Sequence[str | tuple[int, str]]) -> None:
    """One audit entry per resident shown on a page (so each read is in that resident's trail), in
    one query. A resident given by reference is found on their trail through the entry's "care."
    action; one given as (pk, reference) is filed on the resident itself, the page's object named in
    the entry: for the pages of apps built on care (call campaigns), whose actions are their own."""
    who = actor if getattr(actor, "is_authenticated", False) else None
    entries = []
    for shown in dict.fromkeys(residents):
        if isinstance(shown, tuple):
            pk, reference = shown
            on_page = {obj._meta.label_lower: obj.pk} if obj is not None else {}
            entries.append(
                AuditEntry(
                    actor=who,
                    action=action,
                    object_type="care.resident",
                    object_id=str(pk),
                    object_repr=reference,
                    changes={"resident": reference, **on_page},
                )
            )
        else:
            entries.append(
                AuditEntry(
                    actor=who,
                    action=action,
                    object_type=obj._meta.label_lower if obj is not None else "",
                    object_id=str(obj.pk) if obj is not None else "",
                    object_repr=str(obj)[:200] if obj is not None else "",
                    changes={"resident": shown},
                )
            )
    if entries:
        AuditEntry.objects.bulk_create(entries)
    else:
        audit_log(actor=actor, action=action, obj=obj, changes={"resident": ""})


def _notify_backbone(mail: str, context: dict[str, Any]) -> None:
    for email in User.objects.filter(groups__name=BACKBONE, is_active=True).values_list("email", flat=True):
        mail_enqueue(
            mail, to=email, context={**context, "url": absolute_url(context["path"])}, language=settings.LANGUAGE_CODE
        )


@transaction.atomic
def signal_hand_over(*, signal: Signal, network: CareNetwork, actor: User) -> Signal:
    """The backbone hands a worry from an area without a network to a network that will follow it up."""
    if not is_backbone(actor):
        raise PermissionDenied
    if not Signal.objects.filter(pk=signal.pk, network__isnull=True).update(network=network):
        raise ValidationError(_("This worry was handed over already."))
    signal.network = network
    audit_log(
        actor=actor, action="care.signal.handed_over", obj=signal, changes={"network": network.pk, "resident": ""}
    )
    _notify_coordinators(
        network,
        "care/new_signal",
        {
            "area": signal.area.name,
            "path": signal.get_absolute_url(),
            "urgent": signal.urgency == Signal.Urgency.URGENT,
        },
    )
    return signal


@transaction.atomic
def signal_send_back(*, signal: Signal, actor: User) -> Signal:
    """A worry handed to the wrong network goes back to the backbone (while nobody took it up)."""
    if signal.network_id is None or not access.coordinates(actor, signal.network_id):
        raise PermissionDenied
    if signal.source != Signal.Source.PUBLIC or signal.area_id is None:
        raise PermissionDenied
    if selectors.network_for_area(signal.area) is not None:
        raise PermissionDenied  # its own area's network: nothing to send back
    if not Signal.objects.filter(pk=signal.pk, status=Signal.Status.NEW, network=signal.network_id).update(
        network=None
    ):
        raise PermissionDenied
    audit_log(actor=actor, action="care.signal.sent_back", obj=signal, changes={"network": signal.network_id})
    signal.network = None
    _notify_backbone(
        "care/unrouted_worry",
        {"area": signal.area.name, "path": reverse("care:worries"), "urgent": signal.urgency == Signal.Urgency.URGENT},
    )
    return signal


def _notify_coordinators(network: CareNetwork, mail: str, context: dict[str, Any]) -> None:
    coordinators = NetworkMember.objects.filter(network=network, is_coordinator=True, user__is_active=True).values_list(
        "user__email", flat=True
    )
    for email in coordinators:
        mail_enqueue(
            mail, to=email, context={**context, "url": absolute_url(context["path"])}, language=settings.LANGUAGE_CODE
        )


@transaction.atomic
def signal_dismiss(*, signal: Signal, actor: User) -> Signal:
    if signal.network_id is None or not access.coordinates(actor, signal.network_id):
        raise PermissionDenied  # a worry without a network is handed over by the backbone, never dismissed
    if signal.status != Signal.Status.NEW:
        raise PermissionDenied
    if not Signal.objects.filter(pk=signal.pk, status=Signal.Status.NEW).update(status=Signal.Status.DISMISSED):
        raise PermissionDenied
    signal.status = Signal.Status.DISMISSED
    audit_log(actor=actor, action="care.signal.dismissed", obj=signal)
    return signal


# --- Survey rounds -------------------------------------------------------------------------------


def survey_flags(*, visits: str, can_call_someone: bool, nearby_count: int) -> list[str]:
    """The rules that say who needs attention after a survey answer."""
    flags = []
    if visits in (SurveyAnswer.Visits.LESS, SurveyAnswer.Visits.NEVER):
        flags.append("visited-less-than-weekly")
    if visits == SurveyAnswer.Visits.NEVER:
        flags.append("never-visited")
    if not can_call_someone:
        flags.append("nobody-to-call")
    if nearby_count < 3:
        flags.append("fewer-than-three-numbers")
    return flags


@transaction.atomic
def survey_round_create(*, network: CareNetwork, name: str, held_on: datetime.date, actor: User) -> SurveyRound:
    if not access.coordinates(actor, network.pk):
        raise PermissionDenied
    survey = SurveyRound(network=network, name=name, held_on=held_on)
    survey.full_clean()
    survey.save()
    audit_log(actor=actor, action="care.survey.created", obj=survey)
    return survey


@transaction.atomic
def survey_answer_record(
    *, survey: SurveyRound, resident: Resident, visits: str, can_call_someone: bool, actor: User
) -> SurveyAnswer:
    if access.membership(actor, survey.network_id) is None or resident.network_id != survey.network_id:
        raise PermissionDenied
    answer, _created = SurveyAnswer.objects.update_or_create(
        survey=survey,
        resident=resident,
        defaults={
            "visits": visits,
            "can_call_someone": can_call_someone,
            "flags": survey_flags(visits=visits, can_call_someone=can_call_someone, nearby_count=resident.nearby_count),
        },
    )
    audit_log(
        actor=actor,
        action="care.survey.answered",
        obj=resident,
        changes={"resident": resident.reference, "survey": survey.pk},
    )
    return answer


@transaction.atomic
def survey_flags_to_signals(*, survey: SurveyRound, actor: User | None) -> int:
    """One signal per flagged resident who has none open yet; safe to run again."""
    if actor is not None and not access.coordinates(actor, survey.network_id):
        raise PermissionDenied
    made = 0
    answers = survey.answers.exclude(flags=[]).select_related("resident")
    open_for = set(
        Signal.objects.filter(
            network=survey.network, status__in=[Signal.Status.NEW, Signal.Status.ASSIGNED]
        ).values_list("resident_id", flat=True)
    )
    for answer in answers:
        if answer.resident_id in open_for or answer.resident.erased_at:
            continue
        urgency = (
            Signal.Urgency.URGENT
            if "never-visited" in answer.flags or "nobody-to-call" in answer.flags
            else Signal.Urgency.NORMAL
        )
        signal = Signal.objects.create(
            network=survey.network,
            area_id=answer.resident.area_id,
            resident=answer.resident,
            source=Signal.Source.SURVEY,
            observations=answer.flags,
            urgency=urgency,
        )
        audit_log(
            actor=actor,
            action="care.signal.reported",
            obj=signal,
            changes={"source": "survey", "resident": answer.resident.reference},
        )
        made += 1
    survey.flagged_at = timezone.now()
    survey.save(update_fields=["flagged_at"])
    if made:
        _notify_coordinators(
            survey.network,
            "care/survey_signals",
            {
                "area": survey.network.area.name,
                "count": made,
                "path": reverse("care:network", kwargs={"slug": survey.network.slug}),
            },
        )
    return made


# --- Consent -------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    resident: Resident,
    scope: str,
    how: str,
    actor: User,
    organisation: Organisation | None = None,
    reason: str = "",
) -> Consent:
    """Consent as given; a vital-interest override needs a reason and waits for the coordinator's review."""
    if not access.sees_resident(actor, resident):
        raise PermissionDenied
    if how == Consent.How.VITAL_INTEREST and not reason.strip():
        raise ValidationError({"reason": _("Say why acting without consent protects this person's vital interest.")})
    if scope == Consent.Scope.SHARING and organisation is None:
        raise ValidationError({"organisation": _("Say with which organisation this may be shared.")})
    consent = Consent(
        resident=resident,
        scope=scope,
        how=how,
        organisation=organisation,
        reason=reason.strip(),
        recorded_by=actor,
        given_at=timezone.now(),
    )
    consent.full_clean()
    consent.save()
    audit_log(
        actor=actor,
        action="care.consent.overridden" if how == Consent.How.VITAL_INTEREST else "care.consent.recorded",
        obj=resident,
        changes={
            "resident": resident.reference,
            "scope": scope,
            "how": how,
            "organisation": organisation.pk if organisation else None,
        },
    )
    if how == Consent.How.VITAL_INTEREST:
        _notify_coordinators(
            resident.network,
            "care/review_needed",
            {"area": resident.network.area.name, "path": reverse("care:reviews")},
        )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User) -> Consent:
    if not access.sees_resident(actor, consent.resident) or consent.withdrawn_at:
        raise PermissionDenied
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    # Withdrawing consent to share takes the resident's cases back from that organisation.
    if consent.scope == Consent.Scope.SHARING and consent.organisation_id:
        for case in consent.resident.cases.filter(shared_with=consent.organisation_id):
            _unshare_unless_still_needed(case, consent.organisation_id, actor, "consent withdrawn")
    audit_log(
        actor=actor,
        action="care.consent.withdrawn",
        obj=consent.resident,
        changes={"resident": consent.resident.reference, "scope": consent.scope},
    )
    return consent


@transaction.atomic
def consent_review(*, consent: Consent, actor: User) -> Consent:
    if consent.how != Consent.How.VITAL_INTEREST or not access.coordinates(actor, consent.resident.network_id):
        raise PermissionDenied
    consent.reviewed_by, consent.reviewed_at = actor, timezone.now()
    consent.save(update_fields=["reviewed_by", "reviewed_at"])
    audit_log(
        actor=actor,
        action="care.consent.reviewed",
        obj=consent.resident,
        changes={"resident": consent.resident.reference},
    )
    return consent


def _unshare_unless_still_needed(
    case: Case, organisation_id: int, actor: User | None, why: str, *, now: datetime.datetime | None = None
) -> None:
    """An organisation keeps a case only while it has a live referral on it or a live consent to share."""
    if organisation_id == case.owner_organisation_id or access.share_is_live(case, organisation_id, now=now):
        return
    case.shared_with.remove(organisation_id)
    audit_log(
        actor=actor,
        action="care.case.unshared",
        obj=case,
        changes={
            "organisation": organisation_id,
            "why": why,
            "resident": case.resident.reference if case.resident else "",
        },
    )


@transaction.atomic
def override_shares_withdraw(*, now: datetime.datetime | None = None) -> int:
    """Cases shared on a vital-interest override are taken back from the organisation once the
    override has expired, unless a live referral or a consent given since keeps them shared."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(days=settings.SAMEN_CARE_OVERRIDE_DAYS)
    overrides = Consent.objects.filter(
        how=Consent.How.VITAL_INTEREST,
        scope=Consent.Scope.SHARING,
        withdrawn_at__isnull=True,
        given_at__lte=expired,
        organisation__isnull=False,
        resident__cases__shared_with=F("organisation"),
    ).values_list("resident_id", "organisation_id")
    withdrawn = 0
    for resident_id, organisation_id in set(overrides):
        for case in Case.objects.filter(resident_id=resident_id, shared_with=organisation_id):
            if case.owner_organisation_id != organisation_id and not access.share_is_live(
                case, organisation_id, now=now
            ):
                _unshare_unless_still_needed(case, organisation_id, None, "override expired", now=now)
                withdrawn += 1
    return withdrawn


# --- Cases and referrals -------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *, signal: Signal, owner_organisation: Organisation, owner: User, actor: User, resident: Resident | None = None
) -> Case:
    """The coordinator assigns a signal: it becomes a case of an organisation and a person."""
    network = signal.network
    if network is None or not access.coordinates(actor, network.pk) or signal.status != Signal.Status.NEW:
        raise PermissionDenied
    owner_membership = NetworkMember.objects.filter(network=network, user=owner).first()
    if owner_membership is None or owner_membership.organisation_id != owner_organisation.pk:
        raise ValidationError(
            {"owner": _("The owner must be a member of this network who acts for the owner organisation.")}
        )
    resident = resident or signal.resident
    if resident is not None and resident.network_id != signal.network_id:
        raise PermissionDenied
    # A conditional write, so two coordinators (or a double click) never open two cases for one signal.
    if not Signal.objects.filter(pk=signal.pk, status=Signal.Status.NEW).update(
        status=Signal.Status.ASSIGNED, resident=resident
    ):
        raise ValidationError(_("This signal is already assigned."))
    signal.status, signal.resident = Signal.Status.ASSIGNED, resident
    case = Case.objects.create(
        network=network, resident=resident, signal=signal, owner_organisation=owner_organisation, owner=owner
    )
    audit_log(
        actor=actor,
        action="care.case.opened",
        obj=case,
        changes={
            "signal": signal.reference,
            "resident": resident.reference if resident else "",
            "owner_organisation": owner_organisation.pk,
        },
    )
    mail_enqueue(
        "care/case_assigned",
        to=owner.email,
        context={
            "area": signal.area.name if signal.area_id else network.area.name,
            "url": absolute_url(case.get_absolute_url()),
        },
        language=settings.LANGUAGE_CODE,
    )
    return case


def case_viewed(*, case: Case, actor: User, how: str) -> None:
    audit_log(
        actor=actor,
        action="care.case.viewed",
        obj=case,
        changes={"resident": case.resident.reference if case.resident else "", "why": how},
    )


@transaction.atomic
def case_link_resident(*, case: Case, resident: Resident, actor: User) -> Case:
    if access.case_access(actor, case) != access.FULL or resident.network_id != case.network_id:
        raise PermissionDenied
    case.resident = resident
    case.save(update_fields=["resident"])
    if case.signal_id:
        Signal.objects.filter(pk=case.signal_id).update(resident=resident)
    audit_log(actor=actor, action="care.case.resident_linked", obj=case, changes={"resident": resident.reference})
    return case


@transaction.atomic
def case_share(*, case: Case, organisation: Organisation, actor: User) -> Case:
    """Share the case with another organisation: only with the resident's consent to share with it."""
    if access.case_access(actor, case) != access.FULL:
        raise PermissionDenied
    if case.resident is None or not selectors.has_consent(case.resident, Consent.Scope.SHARING, organisation):
        raise ValidationError(_("Record the resident's consent to share with this organisation first."))
    case.shared_with.add(organisation)
    audit_log(
        actor=actor,
        action="care.case.shared",
        obj=case,
        changes={"organisation": organisation.pk, "resident": case.resident.reference},
    )
    return case


@transaction.atomic
def referral_request(*, case: Case, to_organisation: Organisation, actor: User, note: str = "") -> Referral:
    """Refer to another organisation: needs consent to a referral (without it, only contact attempts)."""
    if access.case_access(actor, case) != access.FULL or case.status != Case.Status.OPEN:
        raise PermissionDenied
    if case.resident is None or not selectors.has_consent(case.resident, Consent.Scope.REFERRAL):
        raise ValidationError(
            _("Without the resident's consent to a referral, the network may only try to make contact.")
        )
    if not case.network.organisations.filter(pk=to_organisation.pk).exists():
        raise ValidationError({"to_organisation": _("Refer only to a partner organisation of this care network.")})
    now = timezone.now()
    today = timezone.localdate(now)
    referral = Referral.objects.create(
        case=case,
        from_organisation=case.owner_organisation,
        to_organisation=to_organisation,
        requested_at=now,
        acknowledge_by=working_days.add_working_days(today, ACKNOWLEDGE_WORKING_DAYS),
        outcome_by=today + datetime.timedelta(days=OUTCOME_DAYS),
    )
    ReferralChange.objects.create(referral=referral, to_status=S.REQUESTED, at=now, by=actor, note=note.strip())
    # A referral shares the case with the organisation that takes it up.
    case.shared_with.add(to_organisation)
    audit_log(
        actor=actor,
        action="care.referral.requested",
        obj=case,
        changes={"to": to_organisation.pk, "resident": case.resident.reference},
    )
    for email in NetworkMember.objects.filter(
        network=case.network, organisation=to_organisation, user__is_active=True
    ).values_list("user__email", flat=True):
        mail_enqueue(
            "care/referral_requested",
            to=email,
            context={"area": case.network.area.name, "url": absolute_url(case.get_absolute_url())},
            language=settings.LANGUAGE_CODE,
        )
    return referral


@transaction.atomic
def referral_transition(*, referral: Referral, to: str, actor: User, note: str = "") -> Referral:
    """Move a referral along FHIR Task's states; each change is dated and may carry a note."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    case = referral.case
    if access.case_access(actor, case) != access.FULL:
        raise PermissionDenied
    m = access.membership(actor, case.network_id)
    org = m.organisation_id if m else None
    if to in RECEIVER_ONLY and org != referral.to_organisation_id and not (m and m.is_coordinator):
        raise PermissionDenied
    if to not in TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            _("A referral that is %(now)s cannot become %(to)s.")
            % {"now": S(referral.status).label, "to": S(to).label if to in S.values else to}
        )
    if to in (S.REJECTED, S.FAILED, S.CANCELLED, S.ON_HOLD) and not note.strip():
        raise ValidationError({"note": _("Say why, in a short note.")})
    now = timezone.now()
    ReferralChange.objects.create(
        referral=referral, from_status=referral.status, to_status=to, at=now, by=actor, note=note.strip()
    )
    if referral.status == S.REQUESTED:
        referral.acknowledged_at = now
    if to in selectors.FINISHED:
        referral.finished_at = now
    referral.status = to
    if to in selectors.FINISHED or referral.status != S.REQUESTED and timezone.localdate(now) <= referral.outcome_by:
        referral.escalation = 0
    referral.save()
    if to in (S.REJECTED, S.CANCELLED, S.ENTERED_IN_ERROR):
        _unshare_unless_still_needed(case, referral.to_organisation_id, actor, f"referral {to}")
    audit_log(
        actor=actor,
        action="care.referral.changed",
        obj=case,
        changes={"referral": referral.pk, "to": to, "resident": case.resident.reference if case.resident else ""},
    )
    return referral


@transaction.atomic
def case_close(*, case: Case, outcome: str, actor: User, note: str = "", activity: Any = None) -> Case:
    """Close with a coded outcome; linking to an activity ties the resident to it ("a local net works")."""
    if access.case_access(actor, case) != access.FULL or case.status != Case.Status.OPEN:
        raise PermissionDenied
    if outcome not in Case.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome in (Case.Outcome.VOLUNTEER, Case.Outcome.ACTIVITY) and activity is None:
        raise ValidationError({"activity": _("Choose the activity the resident is linked to.")})
    if not Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).update(status=Case.Status.CLOSED):
        raise PermissionDenied  # closed meanwhile by someone else
    case.status, case.outcome, case.outcome_note = Case.Status.CLOSED, outcome, note.strip()
    case.activity = activity
    case.closed_at = timezone.now()
    case.save()
    if activity is not None and case.resident is not None:
        case.resident.activities.add(activity)
    if case.signal_id:
        Signal.objects.filter(pk=case.signal_id).update(status=Signal.Status.CLOSED)
    # A closed case stays with its owner and the coordinator; finished referrals no longer share it.
    for organisation_id in list(case.shared_with.values_list("pk", flat=True)):
        _unshare_unless_still_needed(case, organisation_id, actor, "case closed")
    audit_log(
        actor=actor,
        action="care.case.closed",
        obj=case,
        changes={
            "outcome": outcome,
            "activity": activity.pk if activity else None,
            "resident": case.resident.reference if case.resident else "",
        },
    )
    return case


@transaction.atomic
def glass_break(*, case: Case, actor: User, reason: str) -> GlassBreak:
    """Open a case one does not follow up, for a stated reason and a few hours; the coordinator reviews it."""
    if access.membership(actor, case.network_id) is None:
        raise PermissionDenied
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Say in a sentence why you must open this case now.")})
    now = timezone.now()
    access_row = GlassBreak.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        opened_at=now,
        expires_at=now + datetime.timedelta(hours=GLASS_BREAK_HOURS),
    )
    audit_log(
        actor=actor,
        action="care.case.glass_broken",
        obj=case,
        changes={"resident": case.resident.reference if case.resident else "", "hours": GLASS_BREAK_HOURS},
    )
    _notify_coordinators(
        case.network, "care/review_needed", {"area": case.network.area.name, "path": reverse("care:reviews")}
    )
    return access_row


@transaction.atomic
def glass_break_review(*, glass: GlassBreak, actor: User, note: str) -> GlassBreak:
    if not access.coordinates(actor, glass.case.network_id) or glass.reviewed_at:
        raise PermissionDenied
    glass.reviewed_by, glass.reviewed_at, glass.review_note = actor, timezone.now(), note.strip()
    if not GlassBreak.objects.filter(pk=glass.pk, reviewed_at__isnull=True).update(
        reviewed_by=actor, reviewed_at=glass.reviewed_at, review_note=glass.review_note
    ):
        raise PermissionDenied  # reviewed meanwhile
    audit_log(
        actor=actor,
        action="care.case.glass_reviewed",
        obj=glass.case,
        changes={"resident": glass.case.resident.reference if glass.case.resident else ""},
    )
    return glass


# --- Deadlines -----------------------------------------------------------------------------------


@transaction.atomic
def referrals_escalate(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Overdue referrals go to the network coordinator; two working days later, to the backbone.

    The level and the moment are stored on the referral, so running late or twice neither skips
    nor repeats a step."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"coordinator": 0, "backbone": 0}
    open_referrals = (
        Referral.objects.select_for_update()
        .exclude(status__in=selectors.FINISHED)
        .filter(escalation__lt=2)
        .select_related("case__network__area")
    )
    backbone = list(User.objects.filter(groups__name=BACKBONE, is_active=True).values_list("email", flat=True))
    for referral in open_referrals:
        if not selectors.referral_overdue(referral, today):
            continue
        if referral.escalation == 0:
            referral.escalation, referral.escalated_at = 1, now
            referral.save(update_fields=["escalation", "escalated_at"])
            audit_log(
                actor=None,
                action="care.referral.escalated",
                obj=referral.case,
                changes={"referral": referral.pk, "to": "coordinator"},
            )
            _notify_coordinators(
                referral.case.network,
                "care/referral_overdue",
                {"area": referral.case.network.area.name, "path": referral.case.get_absolute_url()},
            )
            counts["coordinator"] += 1
        elif (
            referral.escalated_at
            and working_days.add_working_days(timezone.localdate(referral.escalated_at), 2) <= today
        ):
            referral.escalation, referral.escalated_at = 2, now
            referral.save(update_fields=["escalation", "escalated_at"])
            audit_log(
                actor=None,
                action="care.referral.escalated",
                obj=referral.case,
                changes={"referral": referral.pk, "to": "backbone"},
            )
            for email in backbone:
                mail_enqueue(
                    "care/referral_escalated",
                    to=email,
                    context={"area": referral.case.network.area.name, "url": absolute_url(reverse("care:escalations"))},
                    language=settings.LANGUAGE_CODE,
                )
            counts["backbone"] += 1
    return counts


# --- Retention and data rights -------------------------------------------------------------------


@transaction.atomic
def cases_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Cases closed longer than the retention period lose every link to a person and every note."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.SAMEN_CARE_RETENTION_DAYS)
    cases = list(Case.objects.filter(status=Case.Status.CLOSED, closed_at__lt=before, anonymised_at__isnull=True))
    for case in cases:
        _anonymise_case(case, now)
        audit_log(actor=None, action="care.case.anonymised", obj=case)
    return len(cases)


@transaction.atomic
def signals_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Signals that never became a case (dismissed, or left new) lose who, what and the reporter's
    contact after the same retention period; the area, the date and the observations stay for the figures."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.SAMEN_CARE_RETENTION_DAYS)
    signals = list(
        Signal.objects.filter(case__isnull=True, created_at__lt=before, anonymised_at__isnull=True).exclude(
            status=Signal.Status.ASSIGNED
        )
    )
    for signal in signals:
        _anonymise_signal(signal.pk, now)
        audit_log(actor=None, action="care.signal.anonymised", obj=signal)
    return len(signals)


def _anonymise_signal(pk: int, now: datetime.datetime) -> None:
    Signal.objects.filter(pk=pk).update(resident=None, about="", details="", reporter_contact="", anonymised_at=now)
    _unlink_audit("care.signal", [pk])


def _unlink_audit(object_type: str, pks: list[int]) -> None:
    """The audit entries of an anonymised case or signal keep who did what and when, not which resident."""
    entries = list(
        AuditEntry.objects.filter(object_type=object_type, object_id__in=[str(pk) for pk in pks]).exclude(
            changes__resident=""
        )
    )
    for entry in entries:
        if isinstance(entry.changes, dict) and "resident" in entry.changes:
            entry.changes = {**entry.changes, "resident": ""}
    AuditEntry.objects.bulk_update(entries, ["changes"])


def _anonymise_case(case: Case, now: datetime.datetime) -> None:
    ReferralChange.objects.filter(referral__case=case).update(note="")
    GlassBreak.objects.filter(case=case).update(reason="", review_note="")
    if case.signal_id:
        _anonymise_signal(case.signal_id, now)
    _unlink_audit("care.case", [case.pk])
    case.resident = None
    case.outcome_note = ""
    case.anonymised_at = now
    case.save(update_fields=["resident", "outcome_note", "anonymised_at"])


def resident_export(*, resident: Resident, actor: User) -> dict[str, Any]:
    """Everything held about a resident (subject access), for the coordinator to hand over."""
    if not access.coordinates(actor, resident.network_id) or resident.erased_at:
        raise PermissionDenied
    audit_log(actor=actor, action="care.resident.exported", obj=resident, changes={"resident": resident.reference})
    data = _resident_data(resident)
    for _receiver, part in privacy.resident_export.send(sender=Resident, resident=resident):
        data.update(cast("dict[str, Any]", part))  # each receiver returns a dict (Django types it loosely)
    return data


def _resident_data(resident: Resident) -> dict[str, Any]:
    cases = resident.cases.prefetch_related("referrals__changes")
    return {
        "reference": resident.reference,
        "network": resident.network.name,
        "area": resident.area.name,
        "name": resident.name,
        "birth_date": resident.birth_date.isoformat() if resident.birth_date else None,
        "address": resident.address,
        "phone": resident.phone,
        "lives_alone": resident.lives_alone,
        "nearby_numbers": [n for n in (resident.nearby_1, resident.nearby_2, resident.nearby_3) if n],
        "language": resident.language,
        "notes": resident.notes,
        "activities": [str(a) for a in resident.activities.all()],
        "consents": [
            {
                "scope": c.scope,
                "how": c.how,
                "organisation": c.organisation.name if c.organisation else None,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "reason": c.reason,
            }
            for c in resident.consents.select_related("organisation")
        ],
        "signals": [
            {
                "reference": s.reference,
                "reported_at": s.created_at.isoformat(),
                "observations": s.observations,
                "urgency": s.urgency,
                "status": s.status,
                "about": s.about,
                "details": s.details,
            }
            # Its own signals and those that became one of its cases (the reporter's contact is a
            # third party's personal data and stays out).
            for s in Signal.objects.filter(Q(resident=resident) | Q(case__resident=resident)).distinct()
        ],
        "survey_answers": [
            {"survey": a.survey.name, "visits": a.visits, "can_call_someone": a.can_call_someone}
            for a in resident.answers.select_related("survey")
        ],
        "cases": [
            {
                "reference": c.reference,
                "status": c.status,
                "outcome": c.outcome,
                "outcome_note": c.outcome_note,
                "activity": str(c.activity) if c.activity else None,
                "referrals": [
                    {
                        "status": r.status,
                        "changes": [
                            {"to": ch.to_status, "at": ch.at.isoformat(), "note": ch.note} for ch in r.changes.all()
                        ],
                    }
                    for r in c.referrals.all()
                ],
            }
            for c in cases
        ],
    }


@transaction.atomic
def resident_erase(*, resident: Resident, actor: User) -> Resident:
    """Erasure on request: every personal field emptied, every case anonymised; the reference and the audit trail stay."""
    if not access.coordinates(actor, resident.network_id) or resident.erased_at:
        raise PermissionDenied
    _erase(resident)
    audit_log(actor=actor, action="care.resident.erased", obj=resident, changes={"resident": resident.reference})
    return resident


@transaction.atomic
def resident_erase_retained(*, resident: Resident, reason: str) -> Resident:
    """Erasure by a retention job, nobody acting: the same as on request (`reason` says which job)."""
    if resident.erased_at:
        return resident
    _erase(resident)
    audit_log(
        actor=None,
        action="care.resident.erased",
        obj=resident,
        changes={"resident": resident.reference, "reason": reason},
    )
    return resident


def _erase(resident: Resident) -> None:
    now = timezone.now()
    for case in resident.cases.all():
        _anonymise_case(case, now)
    for pk in Signal.objects.filter(resident=resident).values_list("pk", flat=True):
        _anonymise_signal(pk, now)
    resident.consents.update(reason="")
    resident.answers.all().delete()
    resident.activities.clear()
    for field in ("name", "address", "phone", "nearby_1", "nearby_2", "nearby_3", "notes"):
        setattr(resident, field, "")
    resident.birth_date = None
    resident.birth_year = None
    resident.nearby_count = 0
    resident.erased_at = now
    resident.save()
    privacy.resident_erased.send(sender=Resident, resident=resident, now=now)
