"""Events as iCalendar (RFC 5545), written with the icalendar library; times in UTC."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

import icalendar
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from samen.activities.events.models import Event

PRODID = "-//Samen//Events//EN"
# A feed holds the events of the coming year, at most FEED_LIMIT of them: writing iCalendar costs about a
# millisecond per event, so a feed is also kept in the cache until one of its events changes.
FEED_DAYS = 365
FEED_LIMIT = 500
FEED_CACHE_SECONDS = 600


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def calendar(events: Iterable[Event], *, name: str, request: HttpRequest) -> bytes:
    """One VCALENDAR with a VEVENT per event; UID stays the same for an event across feeds and edits."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    host = request.get_host().split(":")[0] or "samen"
    stamp = _utc(timezone.now()).replace(microsecond=0)
    for event in events:
        cal.add_component(_vevent(event, host=host, stamp=stamp, request=request))
    return cal.to_ical()


def _vevent(event: Event, *, host: str, stamp: datetime.datetime, request: HttpRequest) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("dtstamp", stamp)
    item.add("dtstart", _utc(event.starts_at))
    item.add("dtend", _utc(event.ends_at))
    item.add("last-modified", _utc(event.updated_at).replace(microsecond=0))
    item.add("summary", event.title)
    item.add("location", ", ".join(part for part in (event.place_name, event.address) if part))
    item.add("url", request.build_absolute_uri(event.get_absolute_url()))
    # ORGANIZER must be an address (mailto:); the organiser's name goes in the description instead.
    item.add("description", "\n\n".join(part for part in (event.organisation.name, event.description) if part))
    item.add("status", "CONFIRMED")
    return item


def response(content: bytes, *, filename: str) -> HttpResponse:
    answer = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    return answer


def feed(events: QuerySet[Event], *, name: str, filename: str, request: HttpRequest) -> HttpResponse:
    """A calendar feed of upcoming events; two queries on a cache hit or miss alike, whatever the number."""
    events = events.filter(starts_at__lte=timezone.now() + datetime.timedelta(days=FEED_DAYS))
    state = events.aggregate(count=Count("pk"), changed=Max("updated_at"), last_end=Max("ends_at"))
    key = (
        "samen:ics:"
        + hashlib.sha256(
            f"{request.get_host()}|{get_language()}|{filename}|{name}|{sorted(state.items())}".encode()
        ).hexdigest()
    )
    content = cache.get(key)
    if content is None:
        content = calendar(events.select_related("organisation")[:FEED_LIMIT], name=name, request=request)
        cache.set(key, content, FEED_CACHE_SECONDS)
    return response(content, filename=filename)
