"""A resident's calls are in their subject export (care's export asks through its signal), and go
with their erasure; a caller's own data download lists the campaigns they call for."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samen.calls import selectors, services
from samen.calls.models import CallCampaign, TelephoneCircle
from samen.care.models import Resident
from samen.care.privacy import resident_erased, resident_export
from samen.core.signals import personal_data_export
from samen.network.models import User


@receiver(resident_export, dispatch_uid="samen.calls.privacy.resident_export")
def export_resident_calls(sender: Any, resident: Resident, **kwargs: Any) -> dict[str, Any]:
    return selectors.resident_calls(resident)


@receiver(resident_erased, dispatch_uid="samen.calls.privacy.resident_erased")
def erase_resident_calls(sender: Any, resident: Resident, **kwargs: Any) -> None:
    services.resident_calls_erase(resident)


@receiver(personal_data_export, dispatch_uid="samen.calls.privacy.export")
def export_caller(sender: Any, user: User, **kwargs: Any) -> dict[str, Any]:
    # The calls they made are work records in residents' care files: not in this download (see care).
    return {
        "call_campaigns_as_caller": [c.name for c in CallCampaign.objects.filter(callers=user).order_by("pk")],
        "call_campaigns_created": [c.name for c in CallCampaign.objects.filter(created_by=user).order_by("pk")],
        "telephone_circles_as_key_holder": [
            c.name for c in TelephoneCircle.objects.filter(key_holder=user).order_by("pk")
        ],
    }
