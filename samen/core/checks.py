"""Samen's own `check --deploy` checks: settings that would make a production site easy to abuse."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def secret_key_is_patterned(key: str) -> bool:
    """A key a person typed or a template left: few distinct characters, long runs, or a repeated unit."""
    if len(set(key)) < 20 or re.search(r"(.)\1{7,}", key):
        return True
    if any(word in key.lower() for word in ("insecure", "changeme", "change-me", "secret", "password")):
        return True
    return any(key == (key[:size] * (len(key) // size + 1))[: len(key)] for size in range(1, len(key) // 2 + 1))


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if "*" in settings.ALLOWED_HOSTS or any(host.startswith(".") and len(host) < 3 for host in settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                "ALLOWED_HOSTS accepts any host name.",
                hint="Name this site's host names, e.g. ALLOWED_HOSTS=samen.example.org",
                id="samen.E001",
            )
        )
    if settings.DEBUG:  # --deploy is run on the production host, whatever SAMEN_ENV says
        errors.append(
            Error(
                "DEBUG is on in production: error pages would show settings and data.",
                hint="Unset DEBUG.",
                id="samen.E002",
            )
        )
    if secret_key_is_patterned(settings.SECRET_KEY):
        errors.append(
            Error(
                "SECRET_KEY has a pattern (few distinct characters, a long run, a repeated part or a placeholder word).",
                hint="python3 -c 'import secrets; print(secrets.token_urlsafe(64))'",
                id="samen.E003",
            )
        )
    return errors
