"""A person's data download holds in which survey rounds they took part (never their answers,
which are kept apart from who answered on purpose)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from samen.backbone.models import Participation
from samen.core.signals import personal_data_export
from samen.network.models import User


@receiver(personal_data_export, dispatch_uid="samen.backbone.privacy.export")
def export_backbone(sender: Any, user: User, **kwargs: Any) -> dict[str, Any]:
    return {
        "survey_participations": [
            {"round": str(p.round), "group": p.group}
            for p in Participation.objects.filter(user=user).select_related("round").order_by("round_id")
        ],
    }
