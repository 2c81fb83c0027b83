"""A person who deletes their account (GDPR art. 17) leaves no name or address in event registrations,
and a person who downloads their data (art. 15 and 20) finds their registrations in it.

`network` may not import `activities` (apps depend downwards), so the erasure listens for the member's
deletion instead of being called by `network.services.account_delete`, and the export answers the
`personal_data_export` signal that `network.selectors.member_data_export` sends."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from samen.activities.events import services
from samen.activities.events.models import Registration
from samen.core.signals import personal_data_export
from samen.network.models import Member, User


@receiver(pre_delete, sender=Member, dispatch_uid="samen.activities.events.privacy")
def erase_registrations(sender: Any, instance: Member, **kwargs: Any) -> None:
    with transaction.atomic():
        # Places for events still to come go to the waiting list; past attendance keeps counting, anonymously.
        for registration in Registration.objects.filter(member=instance, status__in=Registration.ACTIVE):
            if registration.event.starts_at > timezone.now() and not registration.checked_in_at:
                services.registration_cancel(registration=registration)
        for registration in Registration.objects.filter(member=instance):
            registration.name = ""
            registration.email = f"erased-{registration.pk}@erased.invalid"
            registration.member = None
            registration.save(update_fields=["name", "email", "member"])


@receiver(personal_data_export, dispatch_uid="samen.activities.events.privacy.export")
def export_registrations(sender: Any, user: User, **kwargs: Any) -> dict[str, Any]:
    """The person's registrations: as a member, and those made with their address before they joined."""
    registrations = (
        Registration.objects.filter(Q(member__user=user) | Q(email=user.email.strip().lower()))
        .select_related("event")
        .order_by("created_at", "pk")
    )
    return {"event_registrations": [_exported(r) for r in registrations]}


def _exported(registration: Registration) -> dict[str, Any]:
    def moment(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "event": registration.event.title,
        "event_starts_at": moment(registration.event.starts_at),
        "event_page": registration.event.get_absolute_url(),
        "name": registration.name,
        "email": registration.email,
        "lives_here": registration.is_resident,
        "language": registration.language,
        "status": registration.status,
        "code": registration.code,
        "registered_at": moment(registration.created_at),
        "cancelled_at": moment(registration.cancelled_at),
        "checked_in_at": moment(registration.checked_in_at),
    }
