"""Communication's own mails, as background work: a person's notifications set to "immediately", and their digest.

Services and the digests queue them, so they sit below both (and read nothing of them); `tasks`, whose periodic
jobs call the services and the digests, imports this module, so a worker that loads the app's tasks knows these."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from samen.communication.models import Channel, Digest, Frequency, Notification, Profile
from samen.communication.selectors import preferences_for
from samen.communication.text import url_in_language
from samen.communication.unsubscribe import unsubscribe_headers, unsubscribe_url
from samen.core.mail import mail_send
from samen.core.tasks import task


# Named after the module they were in until rule6 (communication.tasks): kept so queued messages still run.
@task(aliases=("samen.communication.tasks.notifications_email",))
def notifications_email(user_ids: list[int]) -> int:
    """Mail each person their notifications set to 'immediately' that were not mailed yet, outside quiet time."""
    now = timezone.now()
    grids = preferences_for(user_ids)
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=user_ids)}
    sent = 0
    since = now - datetime.timedelta(days=2)  # older ones went into a digest or are no news any more
    pending = Notification.objects.filter(user_id__in=user_ids, emailed_at__isnull=True, created_at__gte=since)
    by_user: dict[int, list[Notification]] = {}
    for n in pending.select_related("user").order_by("created_at"):
        if grids[n.user_id][(n.topic, Channel.EMAIL)] == Frequency.IMMEDIATELY:
            by_user.setdefault(n.user_id, []).append(n)
    for user_id, rows in by_user.items():
        profile = profiles.get(user_id)
        if profile is not None and profile.is_quiet(now):
            continue  # the periodic job sends them when the quiet time is over
        # Claim first, mail after: the task and the periodic job can run at the same time, and only the run
        # whose UPDATE took a row mails it. The claim's moment is this run's own, so it finds its rows back.
        claim = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in rows], emailed_at__isnull=True).update(emailed_at=claim)
        mine = set(Notification.objects.filter(user_id=user_id, emailed_at=claim).values_list("pk", flat=True))
        rows = [n for n in rows if n.pk in mine]
        if not rows:
            continue
        user = rows[0].user
        language = profile.language if profile else "nl"
        items = [{"text": n.text, "url": url_in_language(n.url, language)} for n in rows]
        context = {"items": items, "name": user.first_name}
        mail_send(
            "communication/notifications",
            to=user.email,
            context=context,
            language=language,
        )
        sent += 1
    return sent


def _preferences_path(language: str) -> str:
    with translation.override(language):
        return reverse("communication:preferences")


@task(aliases=("samen.communication.tasks.digest_mail",))
def digest_mail(digest_id: int, context: dict[str, Any], language: str) -> None:
    digest = Digest.objects.select_related("user").filter(pk=digest_id).first()
    if digest is None:
        return
    context = {
        **context,
        "unsubscribe_url": unsubscribe_url(digest.user, digest.kind),
        "preferences_url": _preferences_path(language),
    }
    mail_send(
        "communication/digest",
        to=digest.user.email,
        context=context,
        language=language,
        headers=unsubscribe_headers(digest.user, digest.kind),
    )
