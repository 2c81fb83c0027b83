"""The API tokens a person made, by name (never the secret), in their data download."""

from typing import Any

from django.dispatch import receiver

from samen.api.models import ApiToken
from samen.core.signals import personal_data_export


@receiver(personal_data_export, dispatch_uid="samen.api.privacy.export")
def export_tokens(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    def moment(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "api_tokens": [
            {
                "name": t.name,
                "organisation": t.organisation.name,
                "made_on": moment(t.created_at),
                "last_used": moment(t.last_used_at),
                "revoked_on": moment(t.revoked_at),
            }
            for t in ApiToken.objects.filter(created_by=user).select_related("organisation").order_by("pk")
        ]
    }
