"""A person's data download holds their role in care networks (never client data)."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal, receiver

from samen.care.models import NetworkMember
from samen.core.signals import personal_data_export
from samen.network.models import User

# Apps built on care that hold data about a resident (call campaigns) answer these, so care never
# imports them: `resident_export` (kwargs `resident`) returns a dict merged into the subject export;
# `resident_erased` (kwargs `resident`, `now`) clears their part when the resident is erased.
resident_export = Signal()
resident_erased = Signal()


@receiver(personal_data_export, dispatch_uid="samen.care.privacy.export")
def export_care(sender: Any, user: User, **kwargs: Any) -> dict[str, Any]:
    return {
        "care_network_roles": [
            {
                "network": str(m.network),
                "acts_for": str(m.organisation) if m.organisation else None,
                "coordinator": m.is_coordinator,
                "pledged_at": m.pledged_at.isoformat() if m.pledged_at else None,
                "pledge_version": m.pledge_version,
            }
            for m in NetworkMember.objects.filter(user=user).select_related("network", "organisation").order_by("pk")
        ],
    }
