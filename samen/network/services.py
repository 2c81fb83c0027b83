"""Every write of the network goes through these functions: views, admin and demo alike."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain
from samen.core.audit import audit_log, model_changes
from samen.network.models import Area, Member, Organisation, User


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

    The audit trail keeps that an account was deleted, never whose it was."""
    audit_log(actor=None, action="account.deleted", changes={"member_since": str(user.date_joined.date())})
    user.delete()


def area_path(*, code: str, parent: Area | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def area_save(*, area: Area) -> Area:
    """Save an area and keep the paths of the area and everything under it right."""
    old_path = Area.objects.filter(pk=area.pk).values_list("path", flat=True).first() if area.pk else None
    if old_path and area.parent and area.parent.path.startswith(old_path):
        raise ValidationError({"parent": _("An area cannot be part of itself or of an area under it.")})
    area.path = area_path(code=area.code, parent=area.parent)
    area.full_clean()
    area.save()
    if old_path and old_path != area.path:
        for child in Area.objects.filter(path__startswith=old_path).exclude(pk=area.pk):
            child.path = area.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    return area
