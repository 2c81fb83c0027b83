"""A member's role sign-ups, the invitations to roles they received or sent, and their opt-out, in
their data download (answers network's `personal_data_export`; apps depend downwards)."""

from typing import Any

from django.dispatch import receiver

from samen.activities.events.models import Event
from samen.activities.models import InvitationOptOut, RoleInvitation, RoleSignup
from samen.core.signals import personal_data_export


@receiver(personal_data_export, dispatch_uid="samen.activities.privacy.export")
def export_activities(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    return {
        "role_signups": [
            {"activity": s.role.activity.title, "role": s.role.title, "at": s.created_at.isoformat()}
            for s in RoleSignup.objects.filter(member__user=user).select_related("role__activity").order_by("pk")
        ],
        "role_invitations_received": [
            {"activity": i.role.activity.title, "role": i.role.title, "at": i.created_at.isoformat()}
            for i in RoleInvitation.objects.filter(member__user=user).select_related("role__activity").order_by("pk")
        ],
        "role_invitations_sent": [
            {"activity": i.role.activity.title, "role": i.role.title, "at": i.created_at.isoformat()}
            for i in RoleInvitation.objects.filter(invited_by=user).select_related("role__activity").order_by("pk")
        ],
        "no_role_invitations": InvitationOptOut.objects.filter(member__user=user).exists(),
        "events_created": [
            {"title": e.title, "starts_at": e.starts_at.isoformat()}
            for e in Event.objects.filter(created_by=user).order_by("starts_at")
        ],
    }
