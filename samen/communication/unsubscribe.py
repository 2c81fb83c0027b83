"""Leaving one list by a link (RFC 8058 one-click): signed tokens that name the person and the list."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samen.communication.models import Channel, DigestKind, Frequency, Preference, Profile
from samen.core.audit import audit_log
from samen.core.mail import absolute_url
from samen.network.models import User

LISTS = ("daily", "weekly", "newsletter")
SALT = "samen.communication.unsubscribe"
MAX_AGE = 60 * 60 * 24 * 365  # a link in a mail kept for a year still works


def unsubscribe_token(user: Any, list_name: str) -> str:
    return signing.dumps({"u": user.pk, "l": list_name}, salt=SALT, compress=True)


def token_read(token: str) -> tuple[int, str] | None:
    """The person and list of a valid token, or None for a forged, damaged or expired one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") not in LISTS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["l"]


def unsubscribe_url(user: Any, list_name: str) -> str:
    return absolute_url(reverse("unsubscribe", kwargs={"token": unsubscribe_token(user, list_name)}))


def unsubscribe_headers(user: Any, list_name: str) -> dict[str, str]:
    """The headers mail providers require of bulk mail: an HTTPS link and one-click POST (RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _email_cells(user_id: int, frequency: str) -> list[str]:
    from samen.communication.selectors import preferences_for

    grid = preferences_for([user_id])[user_id]
    return [topic for (topic, channel), value in grid.items() if channel == Channel.EMAIL and value == frequency]


@transaction.atomic
def list_leave(*, user_id: int, list_name: str) -> None:
    """Stop this one list: a digest's topics go off by mail, or the newsletter consent is withdrawn.

    The account may be gone (a mail outlives it): then there is nothing to stop, and no row is written."""
    if not User.objects.filter(pk=user_id).exists():
        return
    if list_name == "newsletter":
        # No profile means no consent: only an existing one has anything to withdraw.
        Profile.objects.filter(user_id=user_id).update(newsletter_consent=False, newsletter_consent_at=None)
    else:
        for topic in _email_cells(user_id, list_name):
            Preference.objects.update_or_create(
                user_id=user_id, topic=topic, channel=Channel.EMAIL, defaults={"frequency": Frequency.OFF}
            )
    audit_log(actor=None, action="communication.unsubscribed", changes={"user": user_id, "list": list_name})


@transaction.atomic
def list_less_often(*, user_id: int) -> None:
    """The daily digest becomes weekly: every topic mailed daily moves to the weekly digest."""
    if not User.objects.filter(pk=user_id).exists():
        return
    for topic in _email_cells(user_id, DigestKind.DAILY):
        Preference.objects.update_or_create(
            user_id=user_id, topic=topic, channel=Channel.EMAIL, defaults={"frequency": Frequency.WEEKLY}
        )
    audit_log(actor=None, action="communication.less_often", changes={"user": user_id, "at": str(timezone.now())})
