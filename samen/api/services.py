"""API tokens: made, used and revoked, each with its audit entry."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from samen.api.models import ApiToken
from samen.core.audit import audit_log
from samen.network.models import Organisation, User

PREFIX = "samen_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, organisation: Organisation, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation, name=name, prefix=secret[: len(PREFIX) + 6], digest=digest(secret), created_by=actor
    )
    audit_log(actor=actor, action="api_token.created", obj=token, changes={"organisation": organisation.slug})
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="api_token.revoked", obj=token, changes={"organisation": token.organisation.slug})


def token_for(secret: str) -> ApiToken | None:
    """The active token with this secret, marked as used (at most once a minute, to spare writes)."""
    token = ApiToken.objects.select_related("organisation").filter(digest=digest(secret), revoked_at=None).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
