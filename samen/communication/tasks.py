"""Background work of communication: mails, scheduled news and the digests."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from samen.communication.models import Channel, Digest, DigestKind, Frequency, Notification, Preference, Profile
from samen.communication.text import url_in_language
from samen.core.mail import mail_send
from samen.core.periodic import periodic
from samen.core.tasks import task

BATCH = 500  # people per run of notifications_email from the periodic job


@task
def notifications_email(user_ids: list[int]) -> int:
    """Mail each person their notifications set to 'immediately' that were not mailed yet, outside quiet time."""
    from samen.communication.services import preferences_for

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


def _immediate_by_mail() -> Q:
    """Notifications whose topic the person gets by mail immediately: by default, unless their grid says otherwise."""
    from samen.communication.services import DEFAULTS

    cell = Preference.objects.filter(user_id=OuterRef("user_id"), topic=OuterRef("topic"), channel=Channel.EMAIL)
    default = [t for (t, channel), f in DEFAULTS.items() if channel == Channel.EMAIL and f == Frequency.IMMEDIATELY]
    return Q(Exists(cell.filter(frequency=Frequency.IMMEDIATELY))) | (Q(topic__in=default) & ~Q(Exists(cell)))


@periodic(every=datetime.timedelta(minutes=10))
def notifications_after_quiet_time() -> int:
    """Mail what quiet time held back: only people with unmailed notifications set to 'immediately', in batches
    (a daily or weekly reader's notifications are never mailed one by one, so they are not looked at here)."""
    since = timezone.now() - datetime.timedelta(days=2)
    waiting = Notification.objects.filter(_immediate_by_mail(), emailed_at__isnull=True, created_at__gte=since)
    user_ids = sorted(set(waiting.values_list("user_id", flat=True)))
    return sum(notifications_email(user_ids[i : i + BATCH]) for i in range(0, len(user_ids), BATCH))


def _preferences_path(language: str) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse("communication:preferences")


@task
def digest_mail(digest_id: int, context: dict[str, Any], language: str) -> None:
    from samen.communication.unsubscribe import unsubscribe_headers, unsubscribe_url

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


@periodic(every=datetime.timedelta(minutes=5))
def news_publish_scheduled() -> int:
    from samen.communication.services import news_publish_due

    return news_publish_due()


@periodic(every=datetime.timedelta(minutes=15))
def digests_send_due() -> dict[str, int]:
    from samen.communication.digests import digests_send

    return {kind: digests_send(kind) for kind in DigestKind.values}


@periodic(every=datetime.timedelta(minutes=15))
def newsletter_deliveries_resume() -> dict[str, int]:
    from samen.communication.newsletters import deliveries_resume

    return deliveries_resume()


@periodic(every=datetime.timedelta(hours=1))
def indicator_statuses_check() -> int:
    from samen.communication.progress import indicator_status_changes

    return indicator_status_changes()
