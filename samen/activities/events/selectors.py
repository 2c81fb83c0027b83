"""Reads of campaigns and events that pages share; every list costs the same few queries whatever its length."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Container, Hashable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.activities.events.models import Campaign, Event, Registration
from samen.network.models import Organisation
from samen.network.selectors import editable_organisations


class EventCounts(TypedDict):
    """What `with_counts` counts in the query."""

    registered: int
    waiting: int
    checked_in: int
    checked_in_residents: int


if TYPE_CHECKING:
    from typing import TypeAlias

    from django_stubs_ext import WithAnnotations

    EventWithCounts: TypeAlias = WithAnnotations[Event, EventCounts]

CONFIRMED = Q(registrations__status=Registration.Status.CONFIRMED)
CHECKED_IN = Q(registrations__status=Registration.Status.CONFIRMED, registrations__checked_in_at__isnull=False)


def with_counts(events: QuerySet[Event]) -> QuerySet[EventWithCounts]:
    """Events with their registrations, waiting list and check-ins counted in the same query."""
    return events.select_related("organisation", "campaign").annotate(
        registered=Count("registrations", filter=CONFIRMED),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        checked_in=Count("registrations", filter=CHECKED_IN),
        checked_in_residents=Count("registrations", filter=CHECKED_IN & Q(registrations__is_resident=True)),
    )


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True)


def upcoming_plain(*, campaign: str = "", organisation: str = "", activity: Any = None) -> QuerySet[Event]:
    """Published events that have not ended, soonest first; filters by campaign or organiser slug."""
    events = public_events().filter(ends_at__gte=timezone.now())
    if campaign:
        events = events.filter(campaign__slug=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    if organisation:
        events = events.filter(organisation__slug=organisation)
    if activity is not None:
        events = events.filter(activity=activity)
    return events.select_related("organisation", "campaign").order_by("starts_at", "pk")


def upcoming_events(**filters: Any) -> QuerySet[Event]:
    return with_counts(upcoming_plain(**filters))


def counted(events: Any, *, can_see: bool = False) -> list[Event]:
    """One page of events with their counts, labelled for the reader (label_events): the counts are
    computed for these rows only, not for all."""
    rows: list[Event] = list(
        with_counts(Event.objects.filter(pk__in=[e.pk for e in events])).order_by("starts_at", "pk")
    )
    label_events(rows, can_see=can_see)
    return rows


def organisers_with_upcoming_events() -> QuerySet[Organisation]:
    upcoming = public_events().filter(organisation=OuterRef("pk"), ends_at__gte=timezone.now())
    return Organisation.objects.filter(Exists(upcoming)).order_by("name")


def upcoming_events_for_challenge(challenge: Any) -> QuerySet[Event]:
    """Published events still to come of the activities that work on a challenge, soonest first."""
    events = public_events().filter(ends_at__gte=timezone.now(), activity__challenges=challenge)
    return events.select_related("organisation").order_by("starts_at", "pk")


def by_day(events: Any) -> list[tuple[datetime.date, list[Event]]]:
    """Events grouped by their local date, in the order given."""
    return [(day, list(group)) for day, group in groupby(events, key=lambda e: timezone.localdate(e.starts_at))]


def event_for_page(slug: str) -> EventWithCounts:
    return with_counts(Event.objects.filter(slug=slug)).select_related("activity").get()


@dataclass(frozen=True)
class Attendance:
    registered: int
    waiting: int
    checked_in: int
    walk_ins: int
    residents: int

    @property
    def total(self) -> int:
        return self.checked_in + self.walk_ins


def attendance(event: EventWithCounts) -> Attendance:
    """Who came: checked-in registrations plus walk-ins (needs an event from with_counts)."""
    return Attendance(
        registered=event.registered,
        waiting=event.waiting,
        checked_in=event.checked_in,
        walk_ins=event.walk_ins,
        residents=event.checked_in_residents + event.walk_in_residents,
    )


@dataclass(frozen=True)
class ShownAttendance:
    """An attendance as its reader may see it, protected here so that every consumer (page, list,
    export) gets the same: each count is the number or a label ("< 5", "hidden"); a part the reader
    may not see is None. The template only prints it."""

    registered: int | str
    waiting: int | str
    total: int | str
    checked_in: int | None  # the breakdown of the total: both or neither
    walk_ins: int | None
    residents: int | None
    places_left: int | None  # None: no limit, or hidden
    places_hidden: bool  # the number would give `registered` away: the page says only that places are left
    capacity_shown: bool  # False when full with few registered: "full" is said, the capacity (= them) not
    total_word: int  # the number that chooses the word beside the total ("< 5 attendees", not "attendee")
    registered_word: int
    anyone: bool  # anyone came (a zero protects nobody)


def attendance_shown(
    counts: Attendance,
    *,
    can_see: bool,
    label: Any = None,
    parts: bool = True,
    capacity: int | None = None,
) -> ShownAttendance:
    """The one rule for a public count (samen.core.disclosure) on one event's, campaign's or
    activity's figures: the total is the check-ins plus the walk-ins and the residents plus the
    others; the capacity (published) is those registered plus the places left. A small count reads
    "< 5", and a part that would give one away by subtraction is left out (the page then says only
    that places are left). `label`: the total is already hidden across pages
    (attendance_protection); `parts=False`: a breakdown would give an event's away (parts_shown)."""
    from samen.core.disclosure import group_rule, protect

    left = None if capacity is None else max(capacity - counts.registered, 0)
    if can_see:
        return ShownAttendance(
            counts.registered, counts.waiting, counts.total, counts.checked_in, counts.walk_ins,
            counts.residents, left, False, True, counts.total, counts.registered, counts.total > 0,
        )  # fmt: skip
    values: dict[str, float] = {
        "registered": counts.registered,
        "waiting": counts.waiting,
        "total": counts.total,
        "checked_in": counts.checked_in,
        "walk_ins": counts.walk_ins,
        "residents": counts.residents,
        "others": counts.total - counts.residents,  # not shown, but a reader works it out
    }
    relations: list[tuple[str, list[str]]] = [
        ("total", ["checked_in", "walk_ins"]),
        ("total", ["residents", "others"]),
    ]
    fixed = set()
    if capacity is not None and left is not None and counts.registered <= capacity:
        values.update(capacity=capacity, left=left)
        relations.append(("capacity", ["registered", "left"]))
        fixed.add("capacity")
    # Places are not people: few places left is no small count, only a cover for one.
    people = set(values) - {"capacity", "left"}
    small = {k for k in people if values[k] < threshold()}
    start = small | ({"total"} if label is not None else set())
    if not parts:
        start |= {"checked_in", "residents"}
    first = group_rule(values, relations, start, fixed)
    hidden = protect([values], relations, threshold=threshold(), hidden=first, fixed=fixed)

    def shown(key: str) -> int | str:
        return attendance_label(key, hidden, small) or int(values[key])

    breakdown = not {"checked_in", "walk_ins", "total"} & hidden
    return ShownAttendance(
        registered=shown("registered"),
        waiting=shown("waiting"),
        total=label if label is not None else shown("total"),
        checked_in=counts.checked_in if breakdown else None,
        walk_ins=counts.walk_ins if breakdown else None,
        residents=counts.residents if not {"residents", "total"} & hidden else None,
        # Full is a fact people need to register: said, never hidden; then the capacity is the count.
        places_left=None if "left" in hidden and left != 0 else left,
        places_hidden="left" in hidden and left != 0,
        capacity_shown=not (left == 0 and "registered" in hidden),
        total_word=threshold() if "total" in small else counts.total,
        registered_word=threshold() if "registered" in small else counts.registered,
        anyone=counts.total > 0,
    )


def remaining_places(event: EventWithCounts) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.registered, 0)


# --- Campaigns ----------------------------------------------------------------------------------


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_published=True)


def campaign_events(campaign: Campaign) -> QuerySet[EventWithCounts]:
    """The programme: published events the backbone accepted."""
    return with_counts(
        public_events().filter(campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    ).order_by("starts_at", "pk")


@dataclass(frozen=True)
class CampaignFigures:
    partners: int
    events: int
    registrations: int
    attendance: int
    residents: int
    checked_in: int = 0
    walk_ins: int = 0

    def counts(self) -> Attendance:
        return Attendance(self.registrations, 0, self.checked_in, self.walk_ins, self.residents)


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    """Partners, events, registrations and attendance of the programme, in two queries."""
    events = public_events().filter(campaign=campaign, campaign_status=Event.CampaignStatus.ACCEPTED)
    totals = events.aggregate(
        partners=Count("organisation", distinct=True),
        events=Count("pk"),
        walk_ins=Sum("walk_ins", default=0),
        walk_in_residents=Sum("walk_in_residents", default=0),
    )
    people = Registration.objects.filter(event__in=events, status=Registration.Status.CONFIRMED).aggregate(
        registrations=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        residents=Count("pk", filter=Q(checked_in_at__isnull=False, is_resident=True)),
    )
    return CampaignFigures(
        partners=totals["partners"],
        events=totals["events"],
        registrations=people["registrations"],
        attendance=people["checked_in"] + totals["walk_ins"],
        residents=people["residents"] + totals["walk_in_residents"],
        checked_in=people["checked_in"],
        walk_ins=totals["walk_ins"],
    )


# The cells of the attendance table: an event's id, an activity's or a campaign's total
# (("activity", id), ("campaign", id)), a year's total and a campaign's in a year as a report card
# shows them (("year", year), ("campaign", id, year)), or the events of an activity and a campaign
# still to come together (("upcoming", activity id, campaign id, year)) while no page shows their counts.
AttendanceKey = int | tuple[Any, ...]

# What a higher app published of attendance by year (the backbone's report cards): a reader
# returning {year: {cell: the number printed, or None when it was hidden}}. The backbone registers it when it starts, since activities
# may not import it (the apps depend downwards only).
_published_readers: list[Callable[[], dict[int, dict[AttendanceKey, int | None]]]] = []


def attendance_published_by(reader: Callable[[], dict[int, dict[AttendanceKey, int | None]]]) -> None:
    if reader not in _published_readers:
        _published_readers.append(reader)


def _published() -> dict[int, dict[AttendanceKey, int | None]]:
    years: dict[int, dict[AttendanceKey, int | None]] = {}
    for reader in _published_readers:
        for year, cells in reader().items():
            years.setdefault(year, {}).update(cells)
    return years


def _tied(activities: set[int], campaigns: set[int], years: Iterable[int] = ()) -> Q:
    return (
        Q(activity__in=activities)
        | Q(campaign__in=campaigns, campaign_status=Event.CampaignStatus.ACCEPTED)
        | Q(starts_at__year__in=list(years))
    )


def _tied_scope(
    activities: set[int], campaigns: set[int], years: set[int], report_years: set[int]
) -> tuple[set[int], set[int], set[int]]:
    """The activities, campaigns and report years whose pages share events with the given ones, and
    so on: one event in an activity and a campaign ties the activity's page to the campaign's; a
    report card's year totals tie every event of that year."""
    # Until nothing new is tied: every page of the chain must protect the same table. One query a
    # round; the chain is at most as long as there are activities, campaigns and years.
    while True:
        rows = set(
            public_events()
            .filter(_tied(activities, campaigns, years))
            .annotate(year=ExtractYear("starts_at"))
            .values_list("activity_id", "campaign_id", "campaign_status", "year")
            .distinct()
        )
        more_activities = {a for a, _c, _s, _y in rows if a is not None}
        more_campaigns = {c for _a, c, s, _y in rows if c is not None and s == Event.CampaignStatus.ACCEPTED}
        more_years = {y for _a, _c, _s, y in rows} & report_years
        if more_activities <= activities and more_campaigns <= campaigns and more_years <= years:
            break
        activities, campaigns, years = activities | more_activities, campaigns | more_campaigns, years | more_years
    return activities, campaigns, years


def attendance_protection(
    *, activities: Iterable[int] = (), campaigns: Iterable[int] = (), years: Iterable[int] = ()
) -> tuple[set[AttendanceKey], set[AttendanceKey]]:
    """(hidden, small) cells of the attendance of activities, campaigns and report-card years, by
    the one rule for a public count (samen.core.disclosure).

    An activity's page and a campaign's page show their total and each past event's count, and each
    event's page shows its own; a report card shows the year's attendance and each campaign's in
    that year: together they must not give away a small count by subtraction. So every page
    protects the same table: the events tied to it through the activities, campaigns and report
    years they belong to, with each total as the sum of its events. Events still to come show no
    count, so a reader knows nothing of theirs. A published report card never changes: what it
    showed is known (`fixed`), what it hid stays hidden. `years`: the report cards being made."""
    from samen.core.disclosure import group_rule, protect

    published = _published()
    years = set(years)
    report_years = set(published) | years
    chosen_activities, chosen_campaigns, chosen_years = _tied_scope(
        set(activities), set(campaigns), years, report_years
    )
    events = with_counts(public_events().filter(_tied(chosen_activities, chosen_campaigns, chosen_years)))
    values: dict[AttendanceKey, float] = {}
    sums: dict[AttendanceKey, set[AttendanceKey]] = defaultdict(set)
    unknown: set[AttendanceKey] = set()
    small: set[AttendanceKey] = set()
    for event in events:
        activity = event.activity_id if event.activity_id in chosen_activities else None
        campaign = event.campaign_id if event.in_campaign else None
        starts = timezone.localtime(event.starts_at).year
        year = starts if starts in chosen_years else None
        cell: AttendanceKey = event.pk if counts_shown(event) else ("upcoming", activity, campaign, year)
        values[cell] = values.get(cell, 0.0) + event.attended
        if not counts_shown(event):
            unknown.add(cell)
        elif event.attended < threshold():
            small.add(cell)
        wholes: list[tuple[AttendanceKey, Any]] = [
            (("activity", activity), activity),
            (("campaign", campaign), campaign),
            (("year", year), year),
            (("campaign", campaign, year), campaign if year is not None else None),
        ]
        for whole, member in wholes:
            if member is not None:
                sums[whole].add(cell)
    for total, cells in sums.items():
        values[total] = sum(values[c] for c in cells)
        if values[total] < threshold():
            small.add(total)
    relations_printed: list[tuple[AttendanceKey, list[AttendanceKey]]] = []
    fixed: set[AttendanceKey] = set()
    was_hidden: set[AttendanceKey] = set()
    for printed_year, printed_cells in published.items():
        if printed_year in years:
            continue  # the card being made again: its cells are today's
        for cell, printed in printed_cells.items():
            if cell not in values:
                continue
            unknown.add(cell)  # today's sum is shown nowhere: the card shows what it was then
            if printed is None:
                was_hidden.add(cell)
                continue
            # The reader knows the number printed; a change since (an event published later, late
            # walk-ins) is a count of people of its own, protected like any other.
            then: AttendanceKey = ("printed", cell)
            values[then] = printed
            fixed.add(then)
            change = values[cell] - printed
            if change == 0:
                relations_printed.append((cell, [then]))
            elif change > 0:
                values[("since", cell)] = change
                relations_printed.append((cell, [then, ("since", cell)]))
                small.update([("since", cell)] if change < threshold() else [])
            else:
                values[("removed", cell)] = -change
                relations_printed.append((then, [cell, ("removed", cell)]))
                small.update([("removed", cell)] if -change < threshold() else [])
    relations = sorted(
        [*((total, sorted(cells, key=str)) for total, cells in sums.items()), *relations_printed], key=str
    )
    start = (small - fixed) | unknown | was_hidden
    # The same table gives the same answer: the linear programs (the costly part) run once per
    # table, whichever page asks, and again only when a figure of it changed.
    table = repr((sorted(values.items(), key=str), relations, sorted(fixed, key=str), sorted(start, key=str)))
    key = f"samen:events:attendance:{threshold()}:{hashlib.sha256(table.encode()).hexdigest()}"
    hidden: set[AttendanceKey] | None = cache.get(key)
    if hidden is None:
        first = group_rule(values, relations, start, fixed)
        hidden = protect([values], relations, threshold=threshold(), hidden=first, fixed=fixed)
        cache.set(key, hidden, 24 * 3600)
    return hidden - unknown, small - fixed


def counts_shown(event: Event) -> bool:
    """Whether the event's own page shows its attendance: once it is over, or as soon as someone is
    checked in (during the event, or on the day before it starts)."""
    return event.is_over or event.attended > 0


def threshold() -> int:
    return settings.SAMEN_DISCLOSURE_THRESHOLD


def attendance_label(key: Hashable, hidden: Container[Hashable], small: Container[Hashable]) -> Any:
    """What the public reads for an attendance cell: None (the count itself), "< 5" or "hidden"."""
    if key in small:
        return _("< %(threshold)s") % {"threshold": threshold()}
    if key in hidden:
        return _("hidden")
    return None


def label_events(
    events: Iterable[Event], hidden: Container[Hashable] = (), small: Container[Hashable] = (), *, can_see: bool = False
) -> None:
    """Sets each event's `attended_label` for a list page ("< 5", "hidden" or its count), with
    `attended_word` (the number that chooses the word), `shown_places` (the places left; None
    without a limit or hidden) and `places_hidden` (their number would give a small number of
    registrations away)."""
    for event in events:
        label = None if can_see else attendance_label(event.pk, hidden, small)
        # Attributes for the template only; "0" is a count too, so it is a string.
        setattr(event, "attended_label", label if label is not None else str(event.attended))  # noqa: B010
        setattr(event, "attended_word", threshold() if event.pk in small and not can_see else event.attended)  # noqa: B010
        registered = getattr(event, "registered", 0)
        counts = Attendance(registered, 0, 0, 0, 0)
        shown = attendance_shown(counts, can_see=can_see, capacity=event.capacity)
        setattr(event, "shown_places", shown.places_left)  # noqa: B010
        setattr(event, "places_hidden", shown.places_hidden)  # noqa: B010


def parts_shown(events: Iterable[EventWithCounts], hidden: Container[Hashable], small: Container[Hashable]) -> bool:
    """Whether a total's breakdown (check-ins and walk-ins, residents) may be shown on an activity's
    or a campaign's page: only when every event with people shows its own on its page. Else the
    total's residents minus the residents the other events' pages show gives the hidden ones away."""
    for event in events:
        if not event.attended:
            continue
        if event.pk in hidden or event.pk in small:
            return False
        own = attendance_shown(attendance(event), can_see=False)
        if own.residents is None or own.checked_in is None:
            return False
    return True


def event_attendance_label(event: Event) -> Any:
    """The attendance an event's own page shows when it is not the count itself: protected together
    with the pages of its activity and campaign."""
    tied_to = {"activities": [event.activity_id] if event.activity_id else [], "campaigns": []}
    if event.in_campaign and event.campaign_id:
        tied_to["campaigns"] = [event.campaign_id]
    year = timezone.localtime(event.starts_at).year
    tied_to["years"] = [year] if year in _published() else []  # a published report card's year total
    if not event.is_published or not counts_shown(event) or not any(tied_to.values()):
        return None
    hidden, small = attendance_protection(**tied_to)
    return attendance_label(event.pk, hidden, small) if event.pk in hidden else None


def campaign_partners(campaign: Campaign) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            events__campaign=campaign, events__campaign_status=Event.CampaignStatus.ACCEPTED, events__is_published=True
        )
        .distinct()
        .order_by("name")
    )


def campaign_proposals(campaign: Campaign) -> QuerySet[Event]:
    """Every event put forward for the campaign, waiting ones first, for the backbone to decide on."""
    return (
        Event.objects.filter(campaign=campaign)
        .exclude(campaign_status="")
        .select_related("organisation")
        .order_by("-campaign_status", "starts_at")
    )


# --- Activities and organisations ---------------------------------------------------------------


def activity_events(activity: Any) -> QuerySet[Event]:
    return with_counts(public_events().filter(activity=activity)).order_by("starts_at", "pk")


def activity_attendance(activity: Any) -> Attendance:
    """The activity's events together: what feeds the activity's "how much did we do"."""
    return _sum_attendance(public_events().filter(activity=activity))


def _sum_attendance(events: QuerySet[Event]) -> Attendance:
    totals = events.aggregate(
        walk_ins=Sum("walk_ins", default=0), walk_in_residents=Sum("walk_in_residents", default=0)
    )
    people = Registration.objects.filter(event__in=events).aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        checked_in=Count("pk", filter=Q(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)),
        residents=Count(
            "pk", filter=Q(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False, is_resident=True)
        ),
    )
    return Attendance(
        registered=people["registered"],
        waiting=people["waiting"],
        checked_in=people["checked_in"],
        walk_ins=totals["walk_ins"],
        residents=people["residents"] + totals["walk_in_residents"],
    )


def events_to_manage(user: Any) -> QuerySet[Event]:
    """Upcoming and recent events of the organisations this person edits (everything for the backbone)."""
    since = timezone.now() - datetime.timedelta(days=60)
    events = Event.objects.filter(ends_at__gte=since, organisation__in=editable_organisations(user))
    return with_counts(events).order_by("starts_at", "pk")


def registrations_for_door(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING]).order_by(
        "status", "name"
    )


def registrations_of(user: Any) -> QuerySet[Registration]:
    """A person's registrations for events that have not ended, by their account's address."""
    return (
        Registration.objects.filter(
            email=user.email.lower(), status__in=Registration.ACTIVE, event__ends_at__gte=timezone.now()
        )
        .select_related("event", "event__organisation")
        .order_by("event__starts_at", "pk")
    )
