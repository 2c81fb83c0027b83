"""Background work of communication: its periodic jobs (scheduled news, digests, newsletters, the mails quiet
time held back, indicator progress), and through `mail` the mails that services and the digests queue.

The top of the app: the jobs call services, digests, newsletters and progress; nothing imports this module but
the task discovery (so no import cycle: what services queue lives below them, in `mail`)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

# The mails that services and the digests queue are declared in `mail`, below them; this import is how a worker,
# which loads every app's `tasks`, knows them.
from samen.communication.mail import digest_mail, notifications_email  # noqa: F401 (digest_mail: for the worker)
from samen.communication.models import Channel, DigestKind, Frequency, Notification, Preference
from samen.communication.selectors import DEFAULTS
from samen.core.periodic import periodic

BATCH = 500  # people per run of notifications_email from the periodic job


def _immediate_by_mail() -> Q:
    """Notifications whose topic the person gets by mail immediately: by default, unless their grid says otherwise."""
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
