"""Daily and weekly digests: built per person from stored windows, never from the moment the job runs.

A digest covers [start, end): `end` is the last boundary (06:00 Brussels time; Mondays for the weekly
one) at or before now, `start` is the end of the last digest of that kind sent to the person (or one
period before `end` for their first). A job that runs late still ends at the last boundary and starts
where the previous one stopped (no gap); a job that runs twice finds start == end (no duplicate).
The unique (user, kind, window_end) row makes even two jobs at the same moment send one digest."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from samen.communication.inbox import LABELS, URLS, Waiting, backbone_counts, waiting_for_users
from samen.communication.mail import digest_mail
from samen.communication.models import Channel, Digest, DigestKind, DigestRun, Notification, Profile, Topic
from samen.communication.selectors import preferences_for
from samen.communication.text import url_in_language
from samen.core.tasks import enqueue
from samen.network.models import Member, User

BATCH = 500
SEND_HOUR = 6
PERIODS: dict[str, datetime.timedelta] = {
    DigestKind.DAILY: datetime.timedelta(days=1),
    DigestKind.WEEKLY: datetime.timedelta(days=7),
}


def boundary(kind: str, now: datetime.datetime) -> datetime.datetime:
    """The last moment a digest of this kind was due, at or before now (aware, in UTC)."""
    local = timezone.localtime(now)
    day = local.date()
    if local.hour < SEND_HOUR:
        day -= datetime.timedelta(days=1)
    if kind == DigestKind.WEEKLY:
        day -= datetime.timedelta(days=day.weekday())  # back to Monday
    moment = datetime.datetime.combine(day, datetime.time(SEND_HOUR))
    return timezone.make_aware(moment).astimezone(datetime.UTC)


class Upcoming(NamedTuple):
    """A public event coming up in someone's neighbourhood (the "actions for you" of a member)."""

    title: str
    url: str
    starts_at: datetime.datetime
    area_paths: tuple[str, ...]


def coming_up_window(kind: str, end: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Events named in a digest ending at `end`: from a day later, for one period. The next digest takes over
    where this one stops, so an event is named once, and one of this morning was in yesterday's."""
    start = end + datetime.timedelta(days=1)
    return start, start + PERIODS[kind]


def events_coming_up(kind: str, end: datetime.datetime) -> list[Upcoming]:
    """Public events in the window, with the areas of their activity (one query; a handful of events a day)."""
    from samen.activities.events.models import Event
    from samen.network.models import Area

    start, stop = coming_up_window(kind, end)
    events = (
        Event.objects.filter(is_published=True, starts_at__gte=start, starts_at__lt=stop, activity__is_published=True)
        .order_by("starts_at", "pk")
        .values_list("pk", "title", "slug", "starts_at")
    )
    rows = list(events)
    paths: dict[int, list[str]] = defaultdict(list)
    for event_id, path in (
        Event.objects.filter(pk__in=[r[0] for r in rows])
        .exclude(activity__areas__kind=Area.Kind.CITY)  # the whole city is not "near you"
        .filter(activity__areas__isnull=False)
        .values_list("pk", "activity__areas__path")
    ):
        paths[event_id].append(path)
    return [
        Upcoming(title, reverse("events:event", kwargs={"slug": slug}), starts_at, tuple(paths[pk]))
        for pk, title, slug, starts_at in rows
        if paths[pk]
    ]


def near(upcoming: list[Upcoming], neighbourhood_path: str | None) -> list[Upcoming]:
    """The events whose activity works in the person's neighbourhood, or in a district it is part of."""
    if not neighbourhood_path:
        return []
    return [
        e
        for e in upcoming
        if any(neighbourhood_path.startswith(p) or p.startswith(neighbourhood_path) for p in e.area_paths)
    ]


class Row(NamedTuple):
    """A notification as a digest needs it: plain values, no model instance (50,000 digests a morning)."""

    user_id: int
    topic: str
    text: str
    url: str
    via: str
    created_at: datetime.datetime


@dataclass
class DigestContent:
    user: Any
    kind: str
    start: datetime.datetime
    end: datetime.datetime
    language: str
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)
    progress: list[Row] = field(default_factory=list)
    actions: list[Waiting] = field(default_factory=list)
    coming_up: list[Upcoming] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(len(n) for _label, n in self.groups) + len(self.progress) + len(self.actions) + len(self.coming_up)

    def context(self) -> dict[str, Any]:
        """JSON values only, so the mail can go through the task queue."""

        def row(n: Row) -> dict[str, str]:
            return {"text": n.text, "url": url_in_language(n.url, self.language), "at": n.created_at.isoformat()}

        # Labels, links and dates in the reader's language: the digest is built in a job, in the site's language.
        with translation.override(self.language):
            actions = [
                {"label": str(LABELS[w.key]), "count": w.count, "url": reverse(URLS[w.key])} for w in self.actions
            ]
            coming_up = [
                {
                    "title": e.title,
                    "url": url_in_language(e.url, self.language),
                    "when": date_format(timezone.localtime(e.starts_at), "l j F, H:i"),
                }
                for e in self.coming_up
            ]

        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "name": self.user.first_name,
            "groups": [{"label": label, "items": [row(n) for n in rows]} for label, rows in self.groups],
            "progress": [row(n) for n in self.progress],
            "actions": actions,
            "coming_up": coming_up,
        }


def _batches(user_ids: list[int] | None) -> Iterator[list[Any]]:
    users = User.objects.filter(is_active=True).only("pk", "email", "first_name", "is_superuser").order_by("pk")
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    last = 0
    while True:
        batch = list(users.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def digests_build(
    kind: str, *, now: datetime.datetime | None = None, user_ids: list[int] | None = None
) -> Iterator[DigestContent]:
    """Every non-empty digest of this kind due at `now`, batch by batch, in a fixed number of queries per batch."""
    end = boundary(kind, now or timezone.now())
    # Someone without a digest yet starts where the last run stopped (a missed or late run loses nothing),
    # or one period back if no run ever stopped.
    run = DigestRun.objects.filter(kind=kind).first()
    first_start = run.until if run is not None and run.until < end else end - PERIODS[kind]
    backbone = backbone_counts()
    upcoming = events_coming_up(kind, end)
    for users in _batches(user_ids):
        ids = [u.pk for u in users]
        last_end = dict(
            Digest.objects.filter(kind=kind, user_id__in=ids).values_list("user_id").annotate(until=Max("window_end"))
        )
        starts = {pk: last_end.get(pk) or first_start for pk in ids}
        due = [u for u in users if starts[u.pk] < end]
        if not due:
            continue
        grids = preferences_for([u.pk for u in due])
        languages = dict(Profile.objects.filter(user_id__in=[u.pk for u in due]).values_list("user_id", "language"))
        rows: dict[int, list[Row]] = defaultdict(list)
        found = (
            Notification.objects.filter(
                user_id__in=[u.pk for u in due],
                created_at__gte=min(starts[u.pk] for u in due),
                created_at__lt=end,
                emailed_at__isnull=True,  # mailed immediately already (before the topic moved to a digest)
            )
            .order_by("-created_at", "-pk")
            .values_list("user_id", "topic", "text", "url", "via", "created_at")
        )
        for n in map(Row._make, found):
            if n.created_at >= starts[n.user_id] and grids[n.user_id][(n.topic, Channel.EMAIL)] == kind:
                rows[n.user_id].append(n)
        wants_actions = [u for u in due if grids[u.pk][(Topic.WORK, Channel.EMAIL)] == kind]
        actions = waiting_for_users(wants_actions, backbone=backbone) if wants_actions else {}
        # Events near them: for who gets events by mail at this rhythm and lives in a neighbourhood.
        wants_events = [u.pk for u in due if grids[u.pk][(Topic.EVENTS, Channel.EMAIL)] == kind]
        homes = (
            dict(
                Member.objects.filter(user_id__in=wants_events, neighbourhood__isnull=False).values_list(
                    "user_id", "neighbourhood__path"
                )
            )
            if upcoming and wants_events
            else {}
        )
        for user in due:
            content = DigestContent(user, kind, starts[user.pk], end, languages.get(user.pk, "nl"))
            grouped: dict[str, list[Row]] = {}
            for n in rows[user.pk]:
                if n.topic == Topic.PROGRESS:
                    content.progress.append(n)
                else:
                    grouped.setdefault(n.via, []).append(n)
            content.groups = list(grouped.items())
            content.actions = actions.get(user.pk, [])
            content.coming_up = near(upcoming, homes.get(user.pk))
            if content.items:
                yield content


def digest_headers(user: Any, kind: str) -> dict[str, str]:
    from samen.communication.unsubscribe import unsubscribe_headers

    return unsubscribe_headers(user, kind)


def digests_send(kind: str, *, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Send the digests due at `now` (the periodic job and `samen send-digests`); returns how many."""
    now = now or timezone.now()
    end = boundary(kind, now)
    run = DigestRun.objects.filter(kind=kind).first()
    if run is not None and run.until >= end and not dry_run:
        return 0  # this boundary is done; nothing to look at until the next one
    sent = 0
    for content in digests_build(kind, now=now):
        if dry_run:
            sent += 1
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    user=content.user,
                    kind=kind,
                    window_start=content.start,
                    window_end=content.end,
                    items=content.items,
                    sent_at=now,
                )
                enqueue(digest_mail, digest.pk, content.context(), content.language)
        except IntegrityError:
            continue  # another run sent this window already
        sent += 1
    if not dry_run:
        DigestRun.objects.update_or_create(kind=kind, defaults={"until": end})
    return sent
