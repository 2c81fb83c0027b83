"""The reads behind the growth dashboard, the public summary and the API: a fixed number of
aggregate queries whatever the size of the network."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Container, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import translation

from samen.agenda.models import Milestone as MilestoneRow
from samen.core.disclosure import public_counts
from samen.network import growth, ties
from samen.network.models import Area, Member, Organisation, Sector

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORECAST_MONTHS = 24


@dataclass
class SectorRow:
    slug: str
    name: str
    organisations: int
    members: int
    leaders: int  # initiators and design-team members working there
    members_small: bool = False  # publicly below the threshold: shown "< 5"
    leaders_small: bool = False

    @property
    def engaged(self) -> bool:
        return self.organisations > 0 and self.members > 0


@dataclass
class AreaRow:
    name: str
    members: int
    hidden: bool = False
    small: bool = False  # hidden as a small count itself ("< 5"); else hidden only to protect another


@dataclass
class YearEnd:
    """A row of the table of members at the end of each year (and the latest month)."""

    month: datetime.date
    members: int | None  # None: hidden publicly
    organisations: int
    state: str = ""  # "", "small" ("< 5") or "hidden" (only to protect another)


@dataclass
class GrowthView:
    today: datetime.date
    members: list[growth.MonthPoint]
    organisations: list[growth.MonthPoint]
    milestones: list[growth.Milestone]
    forecast: growth.Forecast | None
    outlook: growth.Outlook
    circles: list[
        tuple[str, StrOrPromise, int | None, str]
    ]  # (code, label, members or None if hidden, "", "small", "hidden")
    sectors: list[SectorRow]
    areas: list[AreaRow]
    area_unknown: int
    by_quarter: list[growth.Reproduction]
    by_year: list[growth.Reproduction]
    threshold: int
    reproduction_overall: float | None = None
    area_unknown_state: str = ""  # "", "small" or "hidden"
    version: int = 0  # the data version the figures were read at
    year_ends: list[YearEnd] = field(default_factory=list)
    forecast_withheld: bool = False  # publicly: the forecast's rate would give a small count away
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def member_total(self) -> int:
        return self.members[-1].total if self.members else 0

    @property
    def organisation_total(self) -> int:
        return self.organisations[-1].total if self.organisations else 0

    @property
    def sectors_missing(self) -> list[SectorRow]:
        return [s for s in self.sectors if not s.engaged]


def _per_month(queryset: QuerySet[Any], field_name: str) -> dict[datetime.date, int]:
    # Grouped by day in the database (an index, no per-row date function on SQLite), by month here.
    months: dict[datetime.date, int] = {}
    for day, n in queryset.values_list(field_name).annotate(n=Count("pk")).order_by():
        month = _as_date(day).replace(day=1)
        months[month] = months.get(month, 0) + n
    return months


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def growth_view(*, today: datetime.date, public: bool) -> GrowthView:
    """The growth figures, cached until the network's data changes (or the day does)."""
    version = ties.data_version()
    # "v2": the figures gained their year ends; a view cached before has none.
    key = f"samen:network:growth:v2:{version}:{today.isoformat()}:{int(public)}:{translation.get_language()}"
    view: GrowthView | None = cache.get(key)
    if view is None:
        view = _growth_view(today=today, public=public)
        view.version = version
        cache.set(key, view, 3600)
    return view


def _growth_view(*, today: datetime.date, public: bool) -> GrowthView:
    active = Member.objects.filter(user__is_active=True)
    member_months = _per_month(active, "joined_on")
    org_months = _per_month(Organisation.objects.all(), "joined_on")
    first = min([*member_months, *org_months], default=today)
    members = growth.cumulative_by_month(member_months, until=today, since=first)
    organisations = growth.cumulative_by_month(org_months, until=today, since=first)
    milestones = [growth.Milestone(m.members, m.date, m.label) for m in MilestoneRow.objects.order_by("date")]
    prediction = growth.forecast(members, horizon_months=FORECAST_MONTHS)
    total = members[-1].total if members else 0
    ahead = growth.outlook(members=total, milestones=milestones, prediction=prediction)
    if prediction and ahead.reached_on:
        # Draw the forecast on to where it meets the next milestone (at most ten years).
        months = growth.months_between(prediction.start.month, ahead.reached_on) + 3
        prediction = growth.forecast(members, horizon_months=min(120, max(FORECAST_MONTHS, months)))
    quarters = _reproduction_rows(active)
    cohort = sum(r[1] for r in quarters)
    view = GrowthView(
        today=today,
        members=members,
        organisations=organisations,
        milestones=milestones,
        forecast=prediction,
        outlook=ahead,
        circles=_circles(active),
        sectors=_sectors(),
        areas=[],
        area_unknown=0,
        by_quarter=growth.reproduction(quarters, by="quarter"),
        by_year=growth.reproduction(quarters, by="year"),
        threshold=settings.SAMEN_DISCLOSURE_THRESHOLD,
        reproduction_overall=(sum(r[2] for r in quarters) / cohort) if cohort else None,
    )
    view.areas, view.area_unknown, view.area_unknown_state = _areas(active, public=public, threshold=view.threshold)
    view.year_ends = _year_ends(members, organisations)
    if public:
        _protect_small_counts(view)
    return view


def _protect_small_counts(view: GrowthView) -> None:
    """The public figures, by the one rule for a public count (samen.core.disclosure): a small count
    reads "< 5", a count hidden only to protect it reads "hidden", and no sum the page shows (circles
    and cohorts add up to the member total, the people brought to the overall rate) lets a reader
    work one out."""
    total = ("total",)
    circles = {code: n for code, _label, n, _s in view.circles}
    hidden, small = public_counts(
        {total: view.member_total, **circles}, [(total, list(circles))], threshold=view.threshold
    )
    view.circles = [
        (code, label, None if code in hidden else n, _state(code, hidden, small)) for code, label, n, _s in view.circles
    ]
    # (None only once hidden: none is yet.)
    brought = {r.period: r.brought for r in view.by_year if r.brought is not None}
    c_hidden, c_small = _protect_series(view)
    # The people brought add up to what the overall rate times the member total gives.
    b_hidden, b_small = public_counts(
        {total: sum(brought.values()), **brought}, [(total, list(brought))], threshold=view.threshold
    )
    view.by_year = [
        growth.Reproduction(
            period=r.period,
            cohort=None if r.period in c_hidden else r.cohort,
            brought=None if r.period in b_hidden else r.brought,
            average=None if r.period in c_hidden or r.period in b_hidden else r.average,
            cohort_small=r.period in c_small,
            brought_small=r.period in b_small,
        )
        for r in view.by_year
    ]
    for sector in view.sectors:
        # A member may work in several sectors: no sum over sectors is shown, only each count.
        sector.members_small = sector.members < view.threshold
        sector.leaders_small = sector.leaders < view.threshold
    view.by_quarter = []  # the backbone's detail only


def _year_ends(members: list[growth.MonthPoint], organisations: list[growth.MonthPoint]) -> list[YearEnd]:
    """Every December, and the latest month (whose total is the member total)."""
    orgs = {p.month: p.total for p in organisations}
    rows = [p for p in members if p.month.month == 12]
    if members and members[-1].month.month != 12:
        rows.append(members[-1])
    return [YearEnd(p.month, p.total, orgs.get(p.month, 0)) for p in rows]


def _protect_series(view: GrowthView) -> tuple[set[Hashable], set[Hashable]]:
    """The members who joined each year, the members at the end of each year and the forecast's
    window are one table: each year's end is the year before's plus that year's newcomers, the
    last is the member total (shown in the headline, so fixed), and the forecast's rate gives the
    members at the start of its window away. Protected together by the one rule, no two totals
    subtract to a hidden cohort. Publicly the series keeps only the shown year ends (the chart and
    the API), and the forecast is withheld when its window would pin a small count down.
    Returns the cohort years (dates) hidden and small."""
    total: Hashable = ("total",)
    cohorts: dict[Hashable, float | None] = {
        ("joined", r.period.year): r.cohort for r in view.by_year if r.cohort is not None
    }
    ends = [("end", e.month.year) for e in view.year_ends[:-1]] + [total] if view.year_ends else []
    counts: dict[Hashable, float | None] = {total: view.member_total, **cohorts}
    counts.update((key, e.members) for key, e in zip(ends, view.year_ends, strict=True) if key != total)
    relations: list[tuple[Hashable, list[Hashable]]] = [(total, list(cohorts))]
    previous: Hashable | None = None
    for key, end in zip(ends, view.year_ends, strict=True):
        relations.append((key, [k for k in (previous, ("joined", end.month.year)) if k is not None]))
        previous = key
    rising = _forecast_window(view, ends, counts, relations)
    cards, printed = _published_cards(view, counts, relations)
    hidden, small = public_counts(counts, relations, threshold=view.threshold, fixed={total, *cards}, rising=rising)
    # A figure the city's own card printed, unchanged since, is public for good: "hidden" would
    # protect nothing and confuse the reader.
    hidden -= printed - small
    for key, end in zip(ends, view.year_ends, strict=True):
        if key != total:  # the latest row is the headline's total
            end.state = _state(key, hidden, small)
            end.members = None if key in hidden else end.members
    view.members = [growth.MonthPoint(e.month, e.members) for e in view.year_ends if e.members is not None]
    if view.forecast and {("window",), ("recent",)} & hidden:
        view.forecast, view.forecast_withheld = None, True
        view.outlook = growth.outlook(members=view.member_total, milestones=view.milestones, prediction=None)
    periods: dict[Hashable, datetime.date] = {("joined", r.period.year): r.period for r in view.by_year}
    return {periods[k] for k in hidden if k in cohorts}, {periods[k] for k in small if k in cohorts}


def members_shown_by_year(*, today: datetime.date) -> dict[int, dict[str, int]]:
    """What the public growth page shows right now of the members by year ({year: {"members": members
    at the end of the year, "joined": who joined that year}}, only the figures it shows): today's
    active members, so a report card made now protects around them (backbone.report). A year with
    no row of newcomers is a year nobody joined: a zero the reader knows."""
    view = growth_view(today=today, public=True)
    shown: dict[int, dict[str, int]] = {}
    for end in view.year_ends:  # every December and the latest month (the headline's total)
        if end.members is not None:
            shown.setdefault(end.month.year, {})["members"] = end.members
    cohorts = {r.period.year: r.cohort for r in view.by_year}
    for year in range(min((e.month.year for e in view.year_ends), default=today.year), today.year + 1):
        cohort = cohorts.get(year, 0)
        if cohort is not None:
            shown.setdefault(year, {})["joined"] = cohort
    return shown


# What a higher app published of the members by year (the backbone's report cards): a reader
# returning {year: {"members": members at the end of the year, "joined": who joined that year}},
# each an int when the card showed it. The backbone registers it when it starts (network may not
# import backbone: the apps depend downwards only).
_published_readers: list[Callable[[], dict[int, dict[str, Any]]]] = []


def members_published_by(reader: Callable[[], dict[int, dict[str, Any]]]) -> None:
    if reader not in _published_readers:
        _published_readers.append(reader)


def _published_cards(
    view: GrowthView, counts: dict[Hashable, float | None], relations: list[tuple[Hashable, list[Hashable]]]
) -> tuple[set[Hashable], set[Hashable]]:
    """Adds what published report cards showed: a card's members at the end of a year are this
    page's year end plus those who left since; its newcomers are this page's cohort plus those of
    them who left since. The card never changes (its cells are returned, to be `fixed`), so those
    who left since are cells a reader could otherwise work out. Nobody leaving is a zero, known
    as the card's figure equal to this page's (no cell of its own). Returns the card cells and
    this page's cells equal to a printed figure."""
    cards: set[Hashable] = set()
    printed: set[Hashable] = set()
    for reader in _published_readers:
        for year, card in reader().items():
            for name, mine in (("members", ("end", year)), ("joined", ("joined", year))):
                shown, now = card.get(name), counts.get(mine)
                if not isinstance(shown, int) or now is None or shown < now:
                    continue  # hidden on the card, not on this page, or not the same people
                key: Hashable = ("card", name, year)
                counts[key] = shown
                cards.add(key)
                if shown == now:
                    relations.append((key, [mine]))
                    printed.add(mine)
                else:
                    counts[("left since", name, year)] = shown - now
                    relations.append((key, [mine, ("left since", name, year)]))
    return cards, printed


def _forecast_window(
    view: GrowthView,
    ends: list[Hashable],
    counts: dict[Hashable, float | None],
    relations: list[tuple[Hashable, list[Hashable]]],
) -> list[tuple[Hashable, Hashable]]:
    """Adds the forecast's window to the table: its rate is (total / window) ** (1 / months) - 1,
    so a reader knows the members at the start of the window and those who joined since. The
    window lies between the year ends around it. Returns those (earlier, later) pairs."""
    if view.forecast is None:
        return []
    start = growth.add_months(view.forecast.start.month, -view.forecast.window_months)
    window = next((p.total for p in view.members if p.month == start), None)
    if window is None or window == view.member_total:
        # Nobody joined in the window: a zero, as a year without newcomers has no row in the
        # table of cohorts. It protects nobody's count, and hiding it would hide every total.
        return []
    counts[("window",)] = window
    counts[("recent",)] = view.member_total - window
    relations.append((("total",), [("window",), ("recent",)]))
    rising: list[tuple[Hashable, Hashable]] = []
    for key, end in zip(ends, view.year_ends, strict=True):
        if end.month == start:
            relations.append((key, [("window",)]))
        elif end.month < start:
            rising = [(key, ("window",))]  # the latest year end before the window
        else:
            rising.append((("window",), key))
            break
    return rising


def _state(key: Hashable, hidden: Container[Hashable], small: Container[Hashable]) -> str:
    return "small" if key in small else ("hidden" if key in hidden else "")


def _circles(active: QuerySet[Member]) -> list[tuple[str, StrOrPromise, int | None, str]]:
    counts = dict(active.values_list("circle").annotate(n=Count("pk")).order_by())
    return [(c.value, c.label, counts.get(c.value, 0), "") for c in Member.Circle]


def _sectors() -> list[SectorRow]:
    # The same people as the member total: active members, in roles their organisation confirmed.
    counted = Q(organisations__memberships__member__user__is_active=True, organisations__memberships__is_confirmed=True)
    leaders = counted & Q(
        organisations__memberships__member__circle__in=[Member.Circle.INITIATORS, Member.Circle.DESIGN_TEAM]
    )
    rows = Sector.objects.annotate(
        org_count=Count("organisations", distinct=True),
        member_count=Count("organisations__memberships__member", filter=counted, distinct=True),
        leader_count=Count("organisations__memberships__member", filter=leaders, distinct=True),
    ).order_by("order", "name")
    return [SectorRow(s.slug, s.name, s.org_count, s.member_count, s.leader_count) for s in rows]


def _areas(active: QuerySet[Member], *, public: bool, threshold: int) -> tuple[list[AreaRow], int, str]:
    counts = dict(active.values_list("neighbourhood").annotate(n=Count("pk")).order_by())
    unknown = counts.pop(None, 0)
    names: dict[int | None, str] = dict(Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).values_list("pk", "name"))
    per_area: dict[int | None, int] = {pk: counts.get(pk, 0) for pk in names}
    # "Not said" is a part of the shown total too, so it takes part in the protection.
    total = ("total",)
    counts_shown = {**per_area, None: unknown}
    hidden, small = (
        public_counts(
            {total: sum(counts_shown.values()), **counts_shown}, [(total, list(counts_shown))], threshold=threshold
        )
        if public
        else (set(), set())
    )
    rows = [AreaRow(names[pk], n, pk in hidden, pk in small) for pk, n in per_area.items()]
    rows.sort(key=lambda r: (1 if r.hidden else -r.members, r.name))
    return rows, (-1 if None in hidden else unknown), _state(None, hidden, small)


def _reproduction_rows(active: QuerySet[Any]) -> list[tuple[datetime.date, int, int]]:
    """(day, members who joined that day, people they brought) in one query; growth.reproduction groups them."""
    rows = active.values_list("joined_on").annotate(cohort=Count("pk", distinct=True), brought=Count("brought"))
    return [(_as_date(day), cohort, brought) for day, cohort, brought in rows.order_by("joined_on")]
