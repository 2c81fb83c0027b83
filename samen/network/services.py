"""Every write of the network goes through these functions: views, admin and demo alike."""

from __future__ import annotations

import datetime
import html
import secrets
from collections.abc import Callable, Iterable
from typing import Any

import nh3
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain
from samen.core import signals
from samen.core.audit import audit_log, model_changes
from samen.core.signals import reference_data_changed
from samen.core.slugs import unique_slug
from samen.core.tasks import enqueue
from samen.network import tasks
from samen.network.models import (
    Area,
    JoinInvitation,
    Member,
    Membership,
    Organisation,
    PartnerProposal,
    Sector,
    User,
)
from samen.network.selectors import audit_entries_about


def member_create(*, user: User, joined_on: datetime.date | None = None, is_fictional: bool = False) -> Member:
    member, _created = Member.objects.get_or_create(
        user=user, defaults={"joined_on": joined_on or timezone.localdate(), "is_fictional": is_fictional}
    )
    return member


ORGANISATION_AUDITED_FIELDS = ("name", "sector_id", "role", "joined_on", "website", "logo", "logo_alt")


def _organisation_snapshot(org: Organisation) -> dict[str, Any]:
    data = {field: getattr(org, field) for field in ORGANISATION_AUDITED_FIELDS}
    data["description_nl"] = org.description_nl
    data["description_en"] = org.description_en
    data["action_domains"] = [d.slug for d in org.action_domains.all()] if org.pk else []
    return data


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: User, fields: dict[str, Any], action_domains: Iterable[ActionDomain]
) -> Organisation:
    """Change an organisation's public details and keep who changed what."""
    before = _organisation_snapshot(organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    organisation.action_domains.set(action_domains)
    changes = model_changes(before, _organisation_snapshot(organisation))
    if changes:
        audit_log(actor=actor, action="organisation.updated", obj=organisation, changes=changes)
    return organisation


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase a person (GDPR art. 17): the profile and memberships go with the user.

    The audit trail keeps what happened, never to whom: entries about the person lose their name."""
    audit_entries_about(user).update(object_repr="")
    audit_log(actor=None, action="account.deleted", changes={"member_since": str(user.date_joined.date())})
    user.delete()


@transaction.atomic
def membership_confirm(*, membership: Membership, actor: User, confirmed: bool) -> None:
    """The organisation confirms a member's role (then shown publicly) or declines it (then removed)."""
    audit_log(
        actor=actor,
        action="membership.confirmed" if confirmed else "membership.declined",
        obj=membership,
        changes={"role_title": membership.role_title},
    )
    if confirmed:
        membership.is_confirmed = True
        membership.save(update_fields=["is_confirmed"])
    else:
        membership.delete()


def area_path(*, code: str, parent: Area | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


KIND_PARENT: dict[str, str | None] = {
    Area.Kind.CITY: None,
    Area.Kind.DISTRICT: Area.Kind.CITY,
    Area.Kind.NEIGHBOURHOOD: Area.Kind.DISTRICT,
}


def area_validate(*, area: Area) -> None:
    """The tree's rules: city › district › neighbourhood, and no area inside itself."""
    wanted = KIND_PARENT.get(area.kind)
    parent = area.parent
    if parent is None and wanted is not None:
        raise ValidationError(
            {
                "parent": _("A %(kind)s must be part of a %(parent)s.")
                % {"kind": area.get_kind_display(), "parent": Area.Kind(wanted).label}
            }
        )
    if parent is not None and parent.kind != wanted:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be part of a %(parent)s.")
                % {"kind": area.get_kind_display(), "parent": parent.get_kind_display()}
            }
        )
    old_path = Area.objects.filter(pk=area.pk).values_list("path", flat=True).first() if area.pk else None
    if old_path and parent is not None and parent.path.startswith(old_path):
        raise ValidationError({"parent": _("An area cannot be part of itself or of an area under it.")})


@transaction.atomic
def area_save(*, area: Area) -> Area:
    """Save an area and keep the paths of the area and everything under it right."""
    area_validate(area=area)
    old_path = Area.objects.filter(pk=area.pk).values_list("path", flat=True).first() if area.pk else None
    area.path = area_path(code=area.code, parent=area.parent)
    area.full_clean()
    area.save()
    if old_path and old_path != area.path:
        for child in Area.objects.filter(path__startswith=old_path).exclude(pk=area.pk):
            child.path = area.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    reference_data_changed.send(sender=Area)
    return area


# --- Everyone brings someone: invitations ----------------------------------------------------

INVITATION_SALT = "samen.network.invitation"


def invitations_per_day() -> int:
    """Email invitations one member may send in 24 hours (against spam); SAMEN_INVITATIONS_PER_DAY."""
    return int(getattr(settings, "SAMEN_INVITATIONS_PER_DAY", 20))


def invitation_days() -> int:
    """How long an invitation link stays valid; SAMEN_INVITATION_DAYS."""
    return int(getattr(settings, "SAMEN_INVITATION_DAYS", 30))


class JoinInvitationError(Exception):
    """An invitation link that cannot be used, with the message to show the person."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def invitation_token(invitation: JoinInvitation) -> str:
    """The signed token of a link: it names the invitation and its nonce, and cannot be made up."""
    return signing.Signer(salt=INVITATION_SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def invitation_from_token(token: str, *, now: datetime.datetime | None = None) -> JoinInvitation:
    """The invitation behind a token, or JoinInvitationError saying why it cannot be used."""
    try:
        data = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise JoinInvitationError(_("This invitation link is not valid. Check that you copied all of it.")) from None
    if not isinstance(data, dict):
        raise JoinInvitationError(_("This invitation link is not valid. Check that you copied all of it."))
    invitation = (
        JoinInvitation.objects.select_related("inviter__user", "organisation").filter(pk=data.get("i", 0)).first()
    )
    if invitation is None or invitation.nonce != data.get("n") or invitation.is_withdrawn:
        raise JoinInvitationError(
            _("This invitation link was withdrawn. Ask the person who invited you for a new one.")
        )
    if invitation.single_use and invitation.used_at is not None:
        raise JoinInvitationError(
            _("This invitation was already used to join. Ask the person who invited you for a new one."), status=410
        )
    if invitation.expires_at <= (now or timezone.now()):
        raise JoinInvitationError(
            _("This invitation expired on %(date)s. Ask %(name)s for a new one.")
            % {
                "date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
                "name": invitation.inviter.short_name,
            },
            status=410,
        )
    return invitation


def _invitation_limit_check(inviter: Member) -> None:
    since = timezone.now() - datetime.timedelta(days=1)
    sent = (
        JoinInvitation.objects.filter(inviter=inviter, created_at__gte=since)
        .exclude(kind=JoinInvitation.Kind.LINK)
        .count()
    )
    if sent >= invitations_per_day():
        raise ValidationError(
            {
                "email": _(
                    "You sent %(count)s invitations in the last 24 hours, the most a day allows. Try again tomorrow."
                )
                % {"count": sent}
            }
        )


def _plain_text(text: str) -> str:
    # The message goes into an email and onto a page: keep the words, drop any markup. nh3 answers
    # HTML (escaped '&'); stored as plain text it is escaped once more where it is shown.
    return html.unescape(nh3.clean(text, tags=set())).strip()


@transaction.atomic
def invitation_link_get(*, inviter: Member, renew: bool = False) -> JoinInvitation:
    """The member's personal link (usable by several people until it expires); `renew` withdraws the old one."""
    now = timezone.now()
    current = (
        JoinInvitation.objects.select_for_update()
        .filter(inviter=inviter, kind=JoinInvitation.Kind.LINK, is_withdrawn=False, expires_at__gt=now)
        .first()
    )
    if current is not None and not renew:
        return current
    if current is not None:
        current.is_withdrawn = True
        current.save(update_fields=["is_withdrawn"])
    link = JoinInvitation.objects.create(
        kind=JoinInvitation.Kind.LINK,
        inviter=inviter,
        nonce=secrets.token_hex(8),
        expires_at=now + datetime.timedelta(days=invitation_days()),
    )
    audit_log(actor=inviter.user, action="invitation.link_created", obj=link)
    return link


@transaction.atomic
def invitation_send(
    *,
    inviter: Member,
    email: str,
    message: str,
    link_for: Callable[[str], str],
    organisation: Organisation | None = None,
) -> JoinInvitation:
    """Invite one person by email (an organisation's staff when `organisation` is set); the mail goes after commit.

    `link_for(token)` makes the absolute URL of the invitation page."""
    email = User.objects.normalize_email(email).strip()
    # Lock the inviter's row so two requests at once cannot both pass the daily limit. Every attempt
    # counts, also one at an address that is a member already: it is stored (and answered) like any
    # other, only the mail is skipped, so nobody can find out who is a member by inviting them.
    Member.objects.select_for_update().filter(pk=inviter.pk).first()
    _invitation_limit_check(inviter)
    invitation = JoinInvitation(
        kind=JoinInvitation.Kind.STAFF if organisation else JoinInvitation.Kind.EMAIL,
        inviter=inviter,
        email=email,
        message=_plain_text(message),
        organisation=organisation,
        nonce=secrets.token_hex(8),
        expires_at=timezone.now() + datetime.timedelta(days=invitation_days()),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=inviter.user,
        action="invitation.sent",
        obj=invitation,
        changes={"organisation": organisation.slug if organisation else None},
    )
    link = link_for(invitation_token(invitation))
    enqueue(tasks.send_invitation, invitation.pk, link, translation.get_language() or settings.LANGUAGE_CODE)
    return invitation


def invitation_for_someone_else(invitation: JoinInvitation, member: Member) -> bool:
    """An invitation mailed to one address, used to sign up with another."""
    addressed = invitation.kind in (JoinInvitation.Kind.EMAIL, JoinInvitation.Kind.STAFF)
    return addressed and member.user.email.casefold() != invitation.email.casefold()


@transaction.atomic
def invitation_accept(*, invitation: JoinInvitation, member: Member) -> Member:
    """Record that `member` joined through the invitation: brought by its member, staff of its organisation."""
    invitation = JoinInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.single_use and invitation.used_at is not None:
        raise JoinInvitationError(_("This invitation was already used to join."), status=410)
    if member.brought_by_id is None and member.pk != invitation.inviter_id:
        member_brought_by_set(member=member, brought_by=invitation.inviter, actor=None)
    if invitation_for_someone_else(invitation, member):
        # A forwarded mail: they still joined through the inviter, but the role (and the single use)
        # stays for the person it was sent to.
        audit_log(actor=member.user, action="invitation.forwarded", obj=invitation, changes={"kind": invitation.kind})
        return member
    if invitation.organisation is not None:
        # The organisation invited them itself: the role is confirmed at once.
        Membership.objects.update_or_create(
            member=member, organisation=invitation.organisation, defaults={"is_confirmed": True}
        )
    invitation.uses += 1
    if invitation.single_use:
        invitation.used_at = timezone.now()
        invitation.used_by = member
    invitation.save(update_fields=["uses", "used_at", "used_by"])
    audit_log(actor=member.user, action="invitation.accepted", obj=invitation, changes={"kind": invitation.kind})
    return member


@transaction.atomic
def member_brought_by_set(*, member: Member, brought_by: Member | None, actor: User | None) -> Member:
    """Who brought this member in; refuses a circle (A brought B brought A)."""
    before = member.brought_by_id
    member.brought_by = brought_by
    member.full_clean(exclude=["user"])
    member.save(update_fields=["brought_by"])
    audit_log(
        actor=actor, action="member.brought_by", obj=member, changes={"brought_by": [before, member.brought_by_id]}
    )
    if before is None and member.brought_by_id is not None:  # joining is news once, a later correction is not
        transaction.on_commit(lambda: signals.member_joined.send(sender=Member, member_id=member.pk))
    return member


# --- Proposing a partner organisation --------------------------------------------------------


@transaction.atomic
def partner_propose(*, member: Member, name: str, sector: Sector, website: str, reason: str) -> PartnerProposal:
    proposal = PartnerProposal(
        proposed_by=member, name=name.strip(), sector=sector, website=website, reason=_plain_text(reason)
    )
    if Organisation.objects.filter(name__iexact=proposal.name).exists():
        raise ValidationError({"name": _("%(name)s is already a partner.") % {"name": proposal.name}})
    proposal.full_clean()
    proposal.save()
    audit_log(actor=member.user, action="partner.proposed", obj=proposal, changes={"sector": sector.slug})
    transaction.on_commit(lambda: signals.partner_proposed.send(sender=PartnerProposal, proposal_id=proposal.pk))
    return proposal


@transaction.atomic
def partner_proposal_decide(
    *, proposal: PartnerProposal, actor: User, accept: bool, reason: str = "", today: datetime.date | None = None
) -> PartnerProposal:
    """The backbone accepts (the organisation is created, the proposer its first member) or declines with a reason."""
    proposal = PartnerProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != PartnerProposal.Status.PENDING:
        raise ValidationError(_("This proposal was already decided."))
    if not accept and not reason.strip():
        raise ValidationError({"decline_reason": _("Say why the proposal is declined; the member will read it.")})
    proposal.status = PartnerProposal.Status.ACCEPTED if accept else PartnerProposal.Status.DECLINED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decline_reason = _plain_text(reason) if not accept else ""
    if accept:
        proposal.organisation = _organisation_from_proposal(proposal, today=today or timezone.localdate())
    proposal.save()
    audit_log(actor=actor, action="partner.accepted" if accept else "partner.declined", obj=proposal)
    enqueue(tasks.send_partner_decision, proposal.pk, translation.get_language() or settings.LANGUAGE_CODE)
    return proposal


def _organisation_from_proposal(proposal: PartnerProposal, *, today: datetime.date) -> Organisation:
    slug = unique_slug(Organisation, proposal.name, fallback="partner", max_length=40)
    org = Organisation(name=proposal.name, slug=slug, sector=proposal.sector, joined_on=today, website=proposal.website)
    org.full_clean()
    org.save()
    audit_log(actor=proposal.decided_by, action="organisation.created", obj=org, changes={"from_proposal": proposal.pk})
    return org
