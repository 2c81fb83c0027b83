"""A person's data download holds what communication keeps about them; deleting the account removes it.

Follows, notifications, preferences, digests and newsletter deliveries all point at the user with
CASCADE, so `network.services.account_delete` (user.delete()) removes them without knowing this app."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samen.communication.models import (
    Delivery,
    Digest,
    Follow,
    MeetingAttendance,
    Notification,
    Preference,
    Profile,
)
from samen.communication.selectors import follow_labels
from samen.core.signals import personal_data_export
from samen.network.models import User


def _moment(value: Any) -> str | None:
    return value.isoformat() if value else None


@receiver(personal_data_export, dispatch_uid="samen.communication.privacy.export")
def export_communication(sender: Any, user: User, **kwargs: Any) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    follows = list(Follow.objects.filter(user=user).order_by("created_at", "pk"))
    names = follow_labels((f.kind, f.object_id) for f in follows)
    return {
        "communication_settings": {
            "language": profile.language if profile else "nl",
            "quiet_from": str(profile.quiet_from) if profile and profile.quiet_from else None,
            "quiet_until": str(profile.quiet_until) if profile and profile.quiet_until else None,
            "newsletter_consent": bool(profile and profile.newsletter_consent),
            "newsletter_consent_at": _moment(profile.newsletter_consent_at) if profile else None,
            "preferences": [
                {"topic": p.topic, "channel": p.channel, "frequency": p.frequency}
                for p in Preference.objects.filter(user=user).order_by("topic", "channel")
            ],
        },
        "follows": [
            {"kind": f.kind, "what": names.get((f.kind, f.object_id), ""), "since": _moment(f.created_at)}
            for f in follows
        ],
        "notifications": [
            {
                "topic": n.topic,
                "text": n.text,
                "link": n.url,
                "at": _moment(n.created_at),
                "read_at": _moment(n.read_at),
                "emailed_at": _moment(n.emailed_at),
            }
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "digests": [
            {
                "kind": d.kind,
                "from": _moment(d.window_start),
                "until": _moment(d.window_end),
                "sent_at": _moment(d.sent_at),
            }
            for d in Digest.objects.filter(user=user).order_by("sent_at", "pk")
        ],
        "newsletters": [
            {"subject": d.newsletter.subject_nl, "status": d.status, "reason": d.reason, "at": _moment(d.at)}
            for d in Delivery.objects.filter(user=user).select_related("newsletter").order_by("at", "pk")
        ],
        "meeting_attendance": [
            {"meeting": str(a.meeting), "organisation": str(a.organisation), "attended": a.attended}
            for a in MeetingAttendance.objects.filter(user=user)
            .select_related("meeting", "organisation")
            .order_by("meeting_id")
        ],
    }
