"""What the public pages, downloads and the API show of an indicator: computed once, then cached.

The computation reads the approved measurements of an indicator in one query, rolls them up
over the area tree, protects small counts and works out status, progress and forecast. Its
result is cached under a key that changes whenever an approved value does."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.core.local_copies import LocalCopies
from samen.measurement import compute
from samen.measurement.compute import ROOT, Cell, Point, Relation
from samen.measurement.models import Indicator, IndicatorVersion, Measurement, Narrative, period_label
from samen.measurement.validation import LARGEST
from samen.network.models import Area, AreaPopulation, Organisation
from samen.network.table_versions import tables_of

# A cell of a period's table: (area id or ROOT, breakdown such as "sex=f" or "" for the total).
CellKey = tuple[int | None, str]
# The same cell in the periods of a running total protected as one table: (period index, area, breakdown).
PeriodCellKey = tuple[int, int | None, str]
Children = dict[int | None, list[int]]  # the sub-areas of each area (ROOT: the top areas)

CACHE_SECONDS = 600
# The views this process read from the shared cache, by their versioned key: the home page shows the
# views of every published indicator, and unpickling them (area shapes and all) on each request
# cost more than the rest of the page.
_views = LocalCopies(256, CACHE_SECONDS)
APPROVED = Measurement.Status.APPROVED


@dataclass
class Figure:
    """A cell as shown: hidden when small counts must be protected, flagged when unreliable."""

    cell: Cell | None
    hidden: bool = False
    unreliable: bool = False
    population: int | None = None
    people: int | None = None
    small: bool = False  # hidden because it is a small count itself (shown as "< 5"), not to protect another
    coverage: compute.Coverage | None = None  # how much of the area the reported figures cover
    coverage_kind: str = ""  # the kind of the areas counted in `coverage` ("district", …)
    complete: bool = True  # covers enough of its area (the indicator's setting) to stand for it

    @property
    def shown(self) -> bool:
        return self.cell is not None and self.cell.value is not None and not self.hidden

    @property
    def value(self) -> float | None:
        """The figure's value when it is shown; None when it is missing or hidden."""
        return self.cell.value if self.cell is not None and not self.hidden else None


def figure_fields(figure: Figure) -> dict[str, Any]:
    """What a figure publishes in downloads, open data and the API: no number of a hidden one."""
    cell, shown = figure.cell, figure.shown
    return {
        "value": cell.value if shown and cell else None,
        "numerator": cell.numerator if shown and cell else None,
        "denominator": cell.denominator if shown and cell else None,
        "suppressed": figure.hidden,
        "unreliable": figure.unreliable and shown,
        "rolled_up": bool(cell and cell.rolled_up),
        **coverage_fields(figure),
    }


def coverage_fields(figure: Figure) -> dict[str, Any]:
    """How much of its area a figure covers ("3 of 8 districts reported"), as the pages say it:
    counted at the depth of the finest area that reported, in areas of `coverage_unit`. `complete`
    says whether that is enough, by the indicator's `coverage_required`, to stand for the whole."""
    covered = figure.coverage
    return {
        "coverage_reported": covered.covered if covered else None,
        "coverage_total": covered.total if covered else None,
        "coverage_unit": figure.coverage_kind,
        "complete": figure.complete,
    }


@dataclass
class PeriodFigure:
    start: datetime.date
    end: datetime.date
    label: str
    figure: Figure
    version: int = 1

    @property
    def middle(self) -> datetime.date:
        return self.start + (self.end - self.start) / 2


@dataclass
class AreaFigure:
    area_id: int
    code: str
    name: str
    kind: str
    depth: int
    geometry: dict[str, Any] | None
    figure: Figure


@dataclass
class IndicatorView:
    indicator: Indicator
    series: list[PeriodFigure]
    latest: PeriodFigure | None
    areas: list[AreaFigure]
    breakdowns: list[tuple[str, list[tuple[str, Figure]]]]
    status: str
    progress: float | None
    baseline: Point | None
    targets: list[Point]
    forecast: compute.Forecast | None
    versions: list[IndicatorVersion]
    narratives: list[Narrative]
    shows_small_counts: bool
    people_sentence: str = ""
    partial: PeriodFigure | None = None  # a newer period than `latest` that only part of the areas reported
    cache_key: str = ""  # the key it is cached under: charts drawn from it are cached by it too


def figure_tables() -> list[str]:
    """What the public figures are made of (network.table_versions keys their cached pages by it): the
    indicators and their values, goals and domains, the areas, the stewards (organisations) named
    with them; not the ideas' supports and comments nor unconfirmed import previews, written beside them."""
    from samen.agenda.models import Comment, Support
    from samen.measurement.models import ImportPreview

    return tables_of(
        Area, AreaPopulation, Organisation, apps_=["measurement", "agenda"], leave_out=[Support, Comment, ImportPreview]
    )


def published_indicators_query() -> QuerySet[Indicator]:
    """Published indicators with what their views (`indicator_views`) read, fetched once; to filter further."""
    return (
        Indicator.objects.filter(is_published=True)
        .select_related("steward")
        .prefetch_related("targets", "dimensions__values", "goals__domain")
    )


def published_indicators() -> list[Indicator]:
    return list(published_indicators_query())


def data_tokens(indicators: Iterable[Indicator]) -> dict[int, str]:
    """A token per indicator that changes whenever what the public sees of it does (no query)."""
    return {i.pk: f"{i.version}.{i.data_version}" for i in indicators}


def indicator_views(indicators: list[Indicator], *, small_counts: bool = False) -> dict[int, IndicatorView]:
    """The computed views of several indicators, from the cache where it has them."""
    tokens = data_tokens(indicators)
    lang = translation.get_language() or "nl"
    keys = {i.pk: f"samen:ind:{i.pk}:v{i.version}:{tokens[i.pk]}:{int(small_counts)}:{lang}" for i in indicators}
    by_key = {keys[i.pk]: i for i in indicators}

    def build(missing: list[str]) -> dict[str, IndicatorView]:
        chosen = [by_key[k] for k in missing]
        context = _Context.load(chosen)
        built = {}
        for indicator in chosen:
            view = _compute(indicator, context, small_counts=small_counts)
            view.cache_key = keys[indicator.pk]
            built[view.cache_key] = view
        return built

    # One request computes a view nobody has; others asking for it meanwhile (the home page, the
    # dashboard, the API after an approval) wait for it rather than compute it too (core.local_copies).
    found = _views.get_or_build_many(keys.values(), build)
    return {i.pk: found[keys[i.pk]] for i in indicators}


def indicator_view(indicator: Indicator, *, small_counts: bool = False) -> IndicatorView:
    return indicator_views([indicator], small_counts=small_counts)[indicator.pk]


@dataclass
class _Context:
    """What computing views needs besides the measurements, loaded in a fixed number of queries."""

    areas: list[Area]
    population: dict[tuple[int, str], list[tuple[datetime.date, int]]]
    rows: dict[int, list[tuple[Any, ...]]]
    versions: dict[int, list[IndicatorVersion]]
    narratives: dict[int, list[Narrative]]
    populations: dict[int, Indicator] = field(default_factory=dict)  # the population indicators, by id
    _population_tables: dict[int, dict[tuple[datetime.date, datetime.date], PeriodTable]] = field(default_factory=dict)

    def population_table(self, indicator_id: int, end: datetime.date) -> PeriodTable | None:
        """The public table of a population indicator for the period that holds a day."""
        if indicator_id not in self._population_tables:
            found = self.populations.get(indicator_id)
            tables = _period_tables(found, self, small_counts=False) if found else []
            self._population_tables[indicator_id] = {(t.start, t.end): t for t in tables}
        for (start, stop), table in self._population_tables[indicator_id].items():
            if start <= end <= stop:
                return table
        return None

    @classmethod
    def load(cls, indicators: list[Indicator]) -> _Context:
        wanted = {i.population_indicator_id for i in indicators if i.population_indicator_id}
        populations = Indicator.objects.in_bulk(wanted) if wanted else {}
        ids = [i.pk for i in indicators] + [pk for pk in populations if pk not in {i.pk for i in indicators}]
        population: dict[tuple[int, str], list[tuple[datetime.date, int]]] = defaultdict(list)
        for area_id, band, day, count in AreaPopulation.objects.values_list(
            "area_id", "age_band", "reference_date", "count"
        ):
            population[(area_id, band)].append((day, count))
        rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        # The approved values, and the last approved one of a value whose change awaits approval.
        values = Measurement.objects.filter(Q(status=APPROVED) | Q(kept=True), indicator__in=ids).values_list(
            "indicator_id",
            "area_id",
            "period_start",
            "period_end",
            "dims",
            "value",
            "numerator",
            "denominator",
            "status",
            "kept_value",
            "kept_numerator",
            "kept_denominator",
        )
        for row in values.iterator(chunk_size=20000):
            public = row[5:8] if row[8] == APPROVED else row[9:12]
            # Nothing a steward cannot mean reaches a page (stored before the import refused it).
            if all(v is None or (math.isfinite(v) and abs(v) <= LARGEST) for v in public):
                rows[row[0]].append((*row[1:5], *public))
        versions: dict[int, list[IndicatorVersion]] = defaultdict(list)
        for v in IndicatorVersion.objects.filter(indicator__in=ids).order_by("number"):
            versions[v.indicator_id].append(v)
        narratives: dict[int, list[Narrative]] = defaultdict(list)
        for n in Narrative.objects.filter(indicator__in=ids).select_related("author").order_by("-period_end"):
            narratives[n.indicator_id].append(n)
        return cls(list(Area.objects.order_by("path")), population, rows, versions, narratives, populations)


@dataclass
class PeriodTable:
    """One period of an indicator: every (area, breakdown) figure, rolled up, and which are hidden."""

    start: datetime.date
    end: datetime.date
    cells: dict[CellKey, Cell]
    hidden: set[CellKey]
    small: set[CellKey]
    coverage: dict[CellKey, compute.Coverage] = field(default_factory=dict)


def _period_tables(indicator: Indicator, ctx: _Context, *, small_counts: bool) -> list[PeriodTable]:
    """Every period in order, protected as one table: areas with their parents and children, each
    area's breakdown with its total, and a running total once hidden stays hidden while unchanged.
    Pages, downloads, open data and the API all read these, so they hide the same cells."""
    parents = {a.pk: a.parent_id for a in ctx.areas}
    children: dict[int | None, list[int]] = defaultdict(list)
    for area in ctx.areas:
        children[area.parent_id if area.parent_id is not None else ROOT].append(area.pk)
    scale, is_count = indicator.scale, indicator.unit == Indicator.Unit.COUNT
    by_period: dict[tuple[datetime.date, datetime.date], dict[str, dict[int | None, Cell]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for area_id, start, end, dims, value, num, den in ctx.rows.get(indicator.pk, []):
        if ";" in dims and not small_counts:
            continue  # cells of two dimensions at once are too fine to publish
        cell = compute.ratio_cell(num, den, scale) if indicator.is_ratio else Cell(value)
        by_period[(start, end)][dims][area_id if area_id is not None else ROOT] = cell
    running: dict[str, dict[int | None, tuple[datetime.date, Cell]]] = defaultdict(
        dict
    )  # cumulative: each area's latest (end, cell) per breakdown
    was_hidden: dict[CellKey, float | None] = {}
    tables = []
    for start, end in sorted(by_period, key=lambda p: (p[1], p[0])):
        cells: dict[CellKey, Cell] = {}
        covered: dict[CellKey, compute.Coverage] = {}
        for dims in sorted(set(by_period[(start, end)]) | (set(running) if indicator.cumulative else set())):
            dates = None
            if indicator.cumulative:
                for key, cell in by_period[(start, end)].get(dims, {}).items():
                    running[dims][key] = (end, cell)
                reported = {a: c for a, (_e, c) in running[dims].items()}
                dates = {a: e for a, (e, _c) in running[dims].items()}
            else:
                reported = by_period[(start, end)][dims]
            figures = compute.rollup(
                parents, reported, is_ratio=indicator.is_ratio, additive=indicator.is_additive, scale=scale, dates=dates
            )
            cells.update({(area, dims): cell for area, cell in figures.items()})
            covered.update({(area, dims): c for area, c in compute.coverage(parents, reported).items()})
        hidden: set[CellKey] = set()
        small: set[CellKey] = set()
        if not small_counts:
            small = {
                k
                for k, c in cells.items()
                if compute.primary_suppressed(
                    c, threshold=indicator.disclosure_threshold, is_count=is_count, is_ratio=indicator.is_ratio
                )
            }
            force = [k for k, v in was_hidden.items() if k in cells and cells[k].value == v]
            groups = _groups(cells, children)
            hidden = compute.suppress(
                cells,
                groups,
                threshold=indicator.disclosure_threshold,
                is_count=is_count,
                is_ratio=indicator.is_ratio,
                force=force,
            )
            if hidden:
                # No hidden cell may be pinned down by the sums a reader can redo (the audit).
                hidden = compute.protect(
                    measures(indicator, cells), groups, threshold=indicator.disclosure_threshold, hidden=hidden
                )
            if indicator.cumulative:
                was_hidden.update({k: cells[k].value for k in hidden})
        tables.append(PeriodTable(start, end, cells, hidden, small, covered))
    if indicator.cumulative and not small_counts and any(t.hidden for t in tables):
        _protect_across_periods(indicator, tables, children)
    return tables


def measures(indicator: Indicator, cells: dict[CellKey, Cell]) -> list[dict[CellKey, float]]:
    """The counts of a table a reader could work with: the values, or a ratio's numerators,
    denominators and complements (the complements add up along the same sums)."""
    if indicator.is_ratio:
        result = [
            {k: c.numerator for k, c in cells.items() if c.numerator is not None},
            {k: c.denominator for k, c in cells.items() if c.denominator is not None},
        ]
        complements = {k: compute.complement(c) for k, c in cells.items()}
        if all(v is not None for v in complements.values()):  # a share throughout, not a rate
            result.append({k: v for k, v in complements.items() if v is not None})
        return result
    return [{k: c.value for k, c in cells.items() if c.value is not None}]


def relations(
    tables: list[PeriodTable], children: Children, *, cumulative: bool
) -> tuple[list[Relation[PeriodCellKey]], list[tuple[PeriodCellKey, PeriodCellKey]]]:
    """Every table of an indicator as one: keys (period index, area, dims), the sums of each period,
    and for a running total that it never goes down from one period to the next."""
    groups: list[Relation[PeriodCellKey]] = []
    rising: list[tuple[PeriodCellKey, PeriodCellKey]] = []
    for i, t in enumerate(tables):
        for total, parts in _groups(t.cells, children):
            groups.append(((i, *total), [(i, *p) for p in parts]))
        if cumulative and i:
            rising.extend(((i - 1, *k), (i, *k)) for k in t.cells if k in tables[i - 1].cells)
    return groups, rising


def _protect_across_periods(indicator: Indicator, tables: list[PeriodTable], children: Children) -> None:
    """A running total cannot drop: a hidden total between two shown ones of its area could be
    pinned down, so the periods of a cumulative indicator are protected as one table."""
    groups, rising = relations(tables, children, cumulative=True)
    combined: list[dict[PeriodCellKey, float]] = []
    for i, t in enumerate(tables):
        for n, values in enumerate(measures(indicator, t.cells)):
            if len(combined) <= n:
                combined.append({})
            combined[n].update({(i, *k): v for k, v in values.items()})
    hidden = compute.protect(
        combined,
        groups,
        threshold=indicator.disclosure_threshold,
        hidden={(i, *k) for i, t in enumerate(tables) for k in t.hidden},
        rising=rising,
    )
    for i, t in enumerate(tables):
        t.hidden = {k for k in t.cells if (i, *k) in hidden}


def _groups(cells: dict[CellKey, Cell], children: Children) -> list[Relation[CellKey]]:
    """The sums a reader could redo: each area with its sub-areas (per breakdown), and each area's
    total with its breakdown by one dimension."""
    groups: list[tuple[CellKey, list[CellKey]]] = []
    breakdowns = {dims for (_a, dims) in cells}
    for dims in breakdowns:
        for parent, kids in children.items():
            groups.append(((parent, dims), [(k, dims) for k in kids]))
    by_dimension: dict[str, list[str]] = defaultdict(list)
    for dims in breakdowns:
        if dims and ";" not in dims:
            by_dimension[dims.split("=")[0]].append(dims)
    for area in {a for (a, _d) in cells}:
        for keys in by_dimension.values():
            groups.append(((area, ""), [(area, d) for d in sorted(keys)]))
    return groups


def _compute(indicator: Indicator, ctx: _Context, *, small_counts: bool) -> IndicatorView:
    tables = _period_tables(indicator, ctx, small_counts=small_counts)
    versions = ctx.versions.get(indicator.pk, [])
    kinds = _kinds(ctx)
    series = []
    for t in tables:
        if (ROOT, "") not in t.cells:
            continue
        version = max((v.number for v in versions if v.valid_from <= t.end), default=1)
        figure = _figure(indicator, t, (ROOT, ""), kinds)
        series.append(PeriodFigure(t.start, t.end, period_label(t.start, t.end), figure, version))
    # Headline, status, progress and forecast stand only on periods that cover the whole.
    whole = [p for p in series if p.figure.complete]
    shown = [p for p in whole if p.figure.shown]
    latest = shown[-1] if shown else (whole[-1] if whole else None)
    partial = series[-1] if series and not series[-1].figure.complete else None
    view = IndicatorView(
        indicator=indicator,
        series=series,
        latest=latest,
        areas=[],
        breakdowns=[],
        status=compute.NO_RECENT_DATA,
        progress=None,
        baseline=Point(indicator.baseline_date, indicator.baseline_value)
        if indicator.baseline_date and indicator.baseline_value is not None
        else None,
        targets=[Point(t.date, t.value) for t in indicator.targets.all()],
        forecast=None,
        versions=versions,
        narratives=ctx.narratives.get(indicator.pk, []),
        shows_small_counts=small_counts,
        partial=partial,
    )
    if latest is not None:
        table = next(t for t in tables if (t.start, t.end) == (latest.start, latest.end))
        _latest_breakdowns(view, ctx, table, latest)
    _trajectory(view, shown)
    return view


def _figure(indicator: Indicator, table: PeriodTable, key: CellKey, kinds: dict[int, str] | None = None) -> Figure:
    cell = table.cells.get(key)
    unreliable = bool(
        indicator.is_ratio
        and cell
        and cell.denominator is not None
        and cell.denominator < indicator.reliability_threshold
    )
    covered = table.coverage.get(key)
    return Figure(
        cell,
        hidden=key in table.hidden,
        unreliable=unreliable,
        small=key in table.small,
        coverage=covered,
        coverage_kind=(kinds or {}).get(covered.depth, "") if covered else "",
        complete=covered is None or covered.share * 100 >= indicator.coverage_required,
    )


def _kinds(ctx: _Context) -> dict[int, str]:
    """The kind of area at each depth of the tree, to say "3 of 8 districts"."""
    kinds: dict[int, str] = {}
    for area in ctx.areas:
        kinds.setdefault(area.depth, area.kind)
    return kinds


def _latest_breakdowns(view: IndicatorView, ctx: _Context, table: PeriodTable, latest: PeriodFigure) -> None:
    indicator = view.indicator
    kinds = _kinds(ctx)
    for area in ctx.areas:
        if (area.pk, "") not in table.cells:
            continue
        figure = _figure(indicator, table, (area.pk, ""), kinds)
        _people(figure, indicator, ctx, area.pk, latest.start, latest.end)
        view.areas.append(AreaFigure(area.pk, area.code, area.name, area.kind, area.depth, area.geometry, figure))
    top = [a.pk for a in ctx.areas if a.parent_id is None]
    _people(latest.figure, indicator, ctx, ROOT, latest.start, latest.end)
    view.people_sentence = people_sentence(
        indicator,
        latest.figure,
        _("the whole initiative") if not top else ", ".join(a.name for a in ctx.areas if a.parent_id is None),
        latest.label,
    )
    for dimension in indicator.dimensions.all():
        parts = [
            (value.name, _figure(indicator, table, (ROOT, f"{dimension.slug}={value.slug}"), kinds))
            for value in dimension.values.all()
            if (ROOT, f"{dimension.slug}={value.slug}") in table.cells
        ]
        if parts:
            view.breakdowns.append((dimension.name, parts))


def _people(
    figure: Figure, indicator: Indicator, ctx: _Context, key: Any, start: datetime.date, end: datetime.date
) -> None:
    """How many people of the indicator's own group a rate is about, in the same area and period.

    The population comes from the indicator's population indicator (its public figure for the area
    and the period that holds this one's end) or else from the area's population figures of the
    indicator's age band dated within the period; never from another group or another year."""
    if not indicator.is_ratio or figure.cell is None or figure.cell.value is None or not figure.complete:
        return
    total: float | None = None
    if indicator.population_indicator_id:
        table = ctx.population_table(indicator.population_indicator_id, end)
        pop = ctx.populations.get(indicator.population_indicator_id)
        if table is not None and pop is not None:
            found = _figure(pop, table, (key, ""))
            if found.shown and found.complete:
                total = found.cell.value  # type: ignore[union-attr]
    else:
        areas = [key] if key is not ROOT else [a.pk for a in ctx.areas if a.parent_id is None]
        bands = [indicator.population_band] if indicator.population_band else [b.value for b in AreaPopulation.AgeBand]
        counts = []
        for area_id in areas:
            for band in bands:
                dated = [count for when, count in ctx.population.get((area_id, band), []) if start <= when <= end]
                counts.append(dated[-1] if dated else None)
        if counts and None not in counts:
            total = sum(counts)  # type: ignore[arg-type]
    if total is None:
        return
    figure.population = round(total)
    figure.people = about(figure.cell.value / indicator.scale * total)


def about(number: float) -> int:
    """A number of people rounded to two significant digits: “about 60”, not a false “about 56”."""
    if number < 10:
        return round(number)
    digits = len(str(int(number))) - 2
    return int(round(number, -digits))


def people_sentence(indicator: Indicator, figure: Figure, area: str, period: str) -> str:
    """“46 of the 1,266 people over 84 we asked; about 60 of the 1,540 people over 84 in Hasselt in 2025.”"""
    if not figure.shown or figure.population is None or figure.people is None:
        return ""
    cell = figure.cell
    values = {
        "value": format_value(indicator, cell.value),  # type: ignore[union-attr]
        "numerator": number_format(round(cell.numerator or 0), force_grouping=True),  # type: ignore[union-attr]
        "denominator": number_format(round(cell.denominator or 0), force_grouping=True),  # type: ignore[union-attr]
        "group": indicator.population_group or _("residents"),
        "population": number_format(figure.population, force_grouping=True),
        "people": number_format(figure.people, force_grouping=True),
        "area": area,
        "period": period,
    }
    default = _(
        "{value} of {group} ({numerator} of {denominator}); about {people} of the {population} {group} in {area} in {period}"
    )
    try:
        return (indicator.people_sentence or default).format(**values)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):  # a curator's typo in the sentence
        return default.format(**values)


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "–"
    if indicator.unit == Indicator.Unit.PERCENTAGE:
        return f"{number_format(round(value, 1), decimal_pos=1)}%"
    if indicator.unit == Indicator.Unit.EURO:
        return f"€ {number_format(round(value), force_grouping=True)}"
    if indicator.unit == Indicator.Unit.RATE:
        return _("%(value)s per 1,000") % {"value": number_format(round(value, 1), decimal_pos=1)}
    if float(value).is_integer() or indicator.unit == Indicator.Unit.COUNT:
        return number_format(round(value), force_grouping=True)
    return number_format(round(value, 2), decimal_pos=2 if abs(value) < 100 else 1)


def _trajectory(view: IndicatorView, shown: list[PeriodFigure]) -> None:
    indicator = view.indicator
    today = timezone.localdate()
    # Every shown figure has a value (`Figure.shown`).
    points = [Point(p.end, value) for p in shown if (value := p.figure.value) is not None]
    latest = points[-1] if points else None
    view.status = compute.status(
        latest=latest,
        baseline=view.baseline,
        targets=view.targets,
        higher_is_better=indicator.direction == Indicator.Direction.UP,
        frequency=indicator.frequency,
        today=today,
    )
    future = [t for t in view.targets if latest and t.date >= latest.date]
    target = min(future, key=lambda t: t.date) if future else (view.targets[-1] if view.targets else None)
    if latest and view.baseline and target:
        view.progress = compute.progress(latest=latest, baseline=view.baseline, target=target)
    # Forecast on to the next target still ahead (or two years on without targets); never into the past.
    ahead = [t.date for t in view.targets if t.date > today]
    horizon = min(ahead) if ahead else (None if view.targets or not latest else today + datetime.timedelta(days=730))
    if horizon and shown:
        # Drawn through the middle of each period, as the chart plots them, from after the last one.
        view.forecast = compute.forecast(
            [Point(p.middle, value) for p in shown if (value := p.figure.value) is not None],
            until=horizon,
            after=max(shown[-1].end, today),
        )


STATUS_LABELS = {
    compute.ON_TRACK: gettext_lazy("on track"),
    compute.OFF_TRACK: gettext_lazy("off track"),
    compute.NO_RECENT_DATA: gettext_lazy("no recent data"),
    compute.NO_TARGET: gettext_lazy("no target set"),
    compute.REACHED: gettext_lazy("target reached"),
    compute.NOT_REACHED: gettext_lazy("target not reached"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def indicators_by_domain(indicators: list[Indicator]) -> list[tuple[object, list[Indicator]]]:
    """Indicators grouped under the action domains of the goals they track, in agenda order."""
    groups: dict[Any, list[Indicator]] = {}
    for indicator in indicators:
        for goal in indicator.goals.all():
            groups.setdefault(goal.domain, [])
            if indicator not in groups[goal.domain]:
                groups[goal.domain].append(indicator)
    return sorted(groups.items(), key=lambda item: (item[0].order, item[0].name))


def indicator_for_page(code: str) -> Indicator:
    if "\x00" in code:  # PostgreSQL cannot even compare with a NUL; no code has one
        raise Indicator.DoesNotExist
    return (
        Indicator.objects.select_related("steward")
        .prefetch_related("targets", Prefetch("dimensions__values"), "goals__domain")
        .get(code=code, is_published=True)
    )


@dataclass
class TableRow:
    """One published figure: a reported or rolled-up value of a period, area and breakdown."""

    period_start: datetime.date
    period_end: datetime.date
    area: str | None
    dims: str
    figure: Figure


def indicator_table(indicator: Indicator, *, small_counts: bool = False) -> list[TableRow]:
    """Every period × area × breakdown of an indicator, rolled up and protected like the pages.

    Within a period, areas are protected with their parents and children, and a breakdown with
    its total; so no hidden figure can be worked out from the ones shown next to it."""
    token = data_tokens([indicator])[indicator.pk]
    key = f"samen:table:{indicator.pk}:v{indicator.version}:{token}:{int(small_counts)}:{translation.get_language()}"
    rows: list[TableRow] | None = cache.get(key)
    if rows is None:
        rows = _table(indicator, _Context.load([indicator]), small_counts=small_counts)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def _table(indicator: Indicator, ctx: _Context, *, small_counts: bool) -> list[TableRow]:
    codes: dict[int | None, str] = {a.pk: a.code for a in ctx.areas}
    kinds = _kinds(ctx)
    return [
        TableRow(t.start, t.end, codes.get(area), dims, _figure(indicator, t, (area, dims), kinds))
        for t in _period_tables(indicator, ctx, small_counts=small_counts)
        for (area, dims) in sorted(t.cells, key=lambda k: (k[1], str(k[0])))
    ]


# --- The disclosure audit -------------------------------------------------------------------------


@dataclass
class AuditRow:
    period: str
    area: str
    dims: str
    measure: str  # "value", "numerator", "denominator" or "complement"
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.high)


@dataclass
class AuditReport:
    """What a reader can work out of an indicator's hidden cells from everything it publishes."""

    indicator: Indicator
    threshold: int
    tables: int
    rows: list[AuditRow]

    @property
    def cells_protected(self) -> int:
        return len({(r.period, r.area, r.dims) for r in self.rows})

    @property
    def narrowest(self) -> float | None:
        return min((r.width for r in self.rows), default=None)

    @property
    def holds(self) -> bool:
        return all(r.width >= self.threshold for r in self.rows)


# (measures, sums, rising pairs, hidden cells, where a key's cell is: its table and (area, breakdown)); the
# keys are (area, breakdown) or, for the periods of a running total together, (period index, area, breakdown).
_AuditBatch = tuple[
    list[dict[Any, float]],
    list[Relation[Any]],
    list[tuple[Any, Any]],
    set[Any],
    Callable[[Any], tuple["PeriodTable", CellKey]],
]


def _in_table(table: PeriodTable) -> Callable[[Any], tuple[PeriodTable, CellKey]]:
    return lambda key: (table, key)


def indicator_audit(indicator: Indicator) -> AuditReport:
    """The interval of every hidden cell of every published table of an indicator (the periods of a
    running total together), computed from the shown cells and the sums between them."""
    ctx = _Context.load([indicator])
    tables = _period_tables(indicator, ctx, small_counts=False)
    names: dict[int | None, str] = {a.pk: a.name for a in ctx.areas}
    children: Children = defaultdict(list)
    for area in ctx.areas:
        children[area.parent_id if area.parent_id is not None else ROOT].append(area.pk)
    # A share's complements come third, when every cell has one (see `measures`).
    labels = ["numerator", "denominator", "complement"] if indicator.is_ratio else ["value"]
    batches: list[_AuditBatch]
    if indicator.cumulative:
        groups, rising = relations(tables, children, cumulative=True)
        combined: list[dict[PeriodCellKey, float]] = [{} for _l in labels]
        for i, t in enumerate(tables):
            for n, values in enumerate(measures(indicator, t.cells)):
                combined[n].update({(i, *k): v for k, v in values.items()})
        hidden = {(i, *k) for i, t in enumerate(tables) for k in t.hidden}
        batches = [(combined, groups, rising, hidden, lambda key: (tables[key[0]], key[1:]))]
    else:
        batches = [
            (measures(indicator, t.cells), _groups(t.cells, children), [], t.hidden, _in_table(t))
            for t in tables
            if t.hidden
        ]
    rows = []
    for values_list, sums, pairs, hidden_keys, where in batches:
        for label, values in zip(labels, values_list, strict=False):
            for key, (low, high) in compute.audit(values, sums, hidden_keys & values.keys(), rising=pairs).items():
                table, (area_id, dims) = where(key)
                rows.append(
                    AuditRow(
                        period_label(table.start, table.end),
                        _("the whole initiative") if area_id is ROOT else names.get(area_id, str(area_id)),
                        dims,
                        label,
                        low,
                        high,
                    )
                )
    rows.sort(key=lambda r: (r.width, r.period, r.area))
    return AuditReport(indicator, indicator.disclosure_threshold, len(tables), rows)
