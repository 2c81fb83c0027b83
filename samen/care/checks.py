"""The care app's `check --deploy` check: real residents' data is never encrypted with the development key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def care_keys_are_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # --deploy runs on the production host whatever SAMEN_ENV says (as core's DEBUG check does).
    if getattr(settings, "SAMEN_CARE_KEYS_SOURCE", "environment") == "environment":
        return []
    return [
        Error(
            "Care residents' data is encrypted with the development key in var/care_key: SAMEN_CARE_KEYS is not set.",
            hint=(
                "Set SAMEN_CARE_KEYS to a key made with python3 -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' and back it up apart from the database (see docs/care.md)."
            ),
            id="care.E001",
        )
    ]
