"""Every write of the network goes through these functions: views, admin and demo alike."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain
from samen.core.audit import audit_log, model_changes
from samen.core.models import AuditEntry
from samen.core.signals import reference_data_changed
from samen.network.models import Area, Member, Membership, Organisation, User


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
    about_them(user).update(object_repr="")
    audit_log(actor=None, action="account.deleted", changes={"member_since": str(user.date_joined.date())})
    user.delete()


def about_them(user: User) -> QuerySet[AuditEntry]:
    """Audit entries whose object is this person, their profile or one of their memberships."""
    memberships = [str(pk) for pk in Membership.objects.filter(member__user=user).values_list("pk", flat=True)]
    member = Member.objects.filter(user=user).values_list("pk", flat=True).first()
    return AuditEntry.objects.filter(
        Q(object_type="network.user", object_id=str(user.pk))
        | Q(object_type="network.member", object_id=str(member))
        | Q(object_type="network.membership", object_id__in=memberships)
    )


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


KIND_PARENT = {Area.Kind.CITY: None, Area.Kind.DISTRICT: Area.Kind.CITY, Area.Kind.NEIGHBOURHOOD: Area.Kind.DISTRICT}


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
