"""The arithmetic of shared measurement, on plain data so it can be tested by hand.

Roll-ups over the area tree, primary and secondary suppression of small counts, the status of a
series against the trajectory from baseline to target, and a simple linear forecast.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

# The one rule for every public count (indicators, growth, events) lives in core, so that every
# app, network included, applies the same one; measurement's tables use it through these names.
from samen.core.disclosure import Relation, audit, protect, public_counts

# The key of an area or a cell: an area id, ROOT, or (area, breakdown); one kind per call.
K = TypeVar("K", bound=Hashable)

__all__ = ["Relation", "audit", "protect", "public_counts"]

ROOT = None  # the key of the whole initiative in roll-ups


@dataclass(frozen=True)
class Cell:
    """A figure: a plain value, or a ratio's numerator and denominator (value = num / den × scale)."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    rolled_up: bool = False
    reported_parts: int = 0  # for a roll-up: how many of the parts had data
    parts: int = 0


def ratio_cell(numerator: float, denominator: float, scale: float) -> Cell:
    value = numerator / denominator * scale if denominator else None
    return Cell(value, numerator, denominator)


def rollup(
    parents: Mapping[K, K | None],
    reported: Mapping[K | None, Cell],
    *,
    is_ratio: bool,
    additive: bool,
    scale: float = 1.0,
    dates: Mapping[K | None, datetime.date] | None = None,
) -> dict[K | None, Cell]:
    """Every area's figure: its own where reported, else the sum of its parts that have data.

    `parents` maps each area to its parent (None for a top area); ROOT stands for the whole
    initiative. Ratios add numerators and denominators, then divide: never an average of
    percentages. An area with no data below it gets no figure: nothing is invented. With
    `dates` (running totals carried forward), an area's own figure counts only while it is at
    least as recent as the newest figure below it."""
    children: dict[K | None, list[K]] = {}
    for area, parent in parents.items():
        children.setdefault(parent, []).append(area)
    result: dict[K | None, Cell] = {}
    newest: dict[K | None, datetime.date] = {}

    def figure(area: K | None) -> Cell | None:
        if area in result:
            return result[area]
        kids = children.get(area, [])
        parts = [(k, c) for k, c in ((k, figure(k)) for k in kids) if c is not None]
        cell = reported.get(area)
        below = max((newest[k] for k, _c in parts if k in newest), default=None)
        if dates is not None and cell is not None and below is not None and dates.get(area, below) < below:
            cell = None  # an old running total of its own is overtaken by newer ones below
        if cell is None and parts and additive:
            cell = _sum([c for _k, c in parts], is_ratio=is_ratio, scale=scale, parts=len(kids))
            if below is not None:
                newest[area] = below
        elif cell is not None and dates is not None and area in dates:
            newest[area] = dates[area]
        if cell is not None:
            result[area] = cell
        return cell

    figure(ROOT)
    for area in parents:
        figure(area)
    return result


def _sum(cells: list[Cell], *, is_ratio: bool, scale: float, parts: int) -> Cell:
    if is_ratio:
        numerator = sum(c.numerator or 0.0 for c in cells)
        denominator = sum(c.denominator or 0.0 for c in cells)
        base = ratio_cell(numerator, denominator, scale)
    else:
        base = Cell(sum(c.value or 0.0 for c in cells))
    return replace(base, rolled_up=True, reported_parts=len(cells), parts=parts)


@dataclass(frozen=True)
class Coverage:
    """How much of an area a figure covers: `covered` of the `total` areas at `depth` below it reported."""

    covered: int
    total: int
    depth: int  # the depth of the areas counted (0: the top areas)

    @property
    def complete(self) -> bool:
        return self.covered >= self.total

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 1.0


def coverage(parents: Mapping[K, K | None], reported: Iterable[K | None]) -> dict[K | None, Coverage]:
    """For every area with data (and ROOT), how much of it the reported figures cover.

    An area's own reported figure covers it whole. A roll-up is counted at the depth of the
    finest reported area below it: "3 of 8 districts" when districts report, "1 of 3
    neighbourhoods" when one neighbourhood does (a leaf above that depth counts as one). An
    area counts as covered when it, or an area between it and the roll-up, reported. So a roll-up
    from some of the areas never passes for the whole."""
    reported = set(reported)
    children: dict[K | None, list[K]] = {}
    for area, parent in parents.items():
        children.setdefault(parent, []).append(area)
    depth: dict[K, int] = {}

    def depth_of(area: K | None) -> int:
        if area is None:  # ROOT
            return -1
        if area not in depth:
            depth[area] = depth_of(parents.get(area)) + 1
        return depth[area]

    result: dict[K | None, Coverage] = {}

    def walk(area: K | None) -> list[tuple[K, bool]]:
        """(area, covered by a report at or above it within this subtree) for every area below."""
        below: list[tuple[K, bool]] = []
        for kid in children.get(area, []):
            below.append((kid, kid in reported))
            below.extend((k, covered or kid in reported) for k, covered in walk(kid))
        if area in reported:
            result[area] = Coverage(1, 1, max(depth_of(area), 0))
        else:
            deepest = max((depth_of(k) for k, _c in below if k in reported), default=None)
            if deepest is not None:
                units = [
                    covered
                    for k, covered in below
                    if depth_of(k) == deepest or (depth_of(k) < deepest and not children.get(k))
                ]
                result[area] = Coverage(sum(units), len(units), deepest)
        return below

    walk(ROOT)
    return result


# --- Suppression of small counts ---------------------------------------------------------------


def complement(cell: Cell) -> float | None:
    """Those of the denominator outside the numerator (6 of 6: none), for a share of a group."""
    if cell.numerator is None or cell.denominator is None or cell.numerator > cell.denominator:
        return None  # not a part of a whole (a rate per person can exceed one): no complement
    return cell.denominator - cell.numerator


def primary_suppressed(cell: Cell, *, threshold: int, is_count: bool, is_ratio: bool) -> bool:
    """A count below the threshold is hidden; so is a rate whose numerator or denominator is, or
    whose complement is (6 of 6, or 8 of 10, says something of all or nearly all of a small group)."""
    if is_ratio:
        parts = (cell.numerator, cell.denominator, complement(cell))
        return any(v is not None and v < threshold for v in parts)
    return is_count and cell.value is not None and cell.value < threshold


def suppress(
    cells: Mapping[K, Cell],
    groups: Iterable[tuple[K, list[K]]],
    *,
    threshold: int,
    is_count: bool,
    is_ratio: bool,
    force: Iterable[K] = (),
) -> set[K]:
    """The keys to hide: small cells, and enough others that no hidden cell can be worked out.

    `groups` are (total, parts) whose parts add up to the total (an area and its sub-areas, or a
    total and its breakdown by a dimension). A group with exactly one hidden cell — a part, or
    the total itself — would give it away by subtraction, so the smallest other visible cell of
    the group is hidden too (secondary suppression), until no group has exactly one. `force`
    are cells to hide whatever their size (e.g. a running total hidden in an earlier period)."""
    hidden = {
        k for k, c in cells.items() if primary_suppressed(c, threshold=threshold, is_count=is_count, is_ratio=is_ratio)
    }
    hidden |= {k for k in force if k in cells}
    groups = [(total, [p for p in parts if p in cells]) for total, parts in groups if total in cells]
    groups = [(total, parts) for total, parts in groups if parts]
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            members = [total, *parts]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            visible = [p for p in parts if p not in hidden]
            # The smallest visible part; ties broken by key so every output picks the same one.
            hidden.add(min(visible, key=lambda p: (_size(cells[p], is_ratio), str(p))) if visible else total)
            changed = True
    return hidden


def _size(cell: Cell, is_ratio: bool) -> float:
    return (cell.numerator if is_ratio else cell.value) or 0.0


# --- Status against the trajectory, and a forecast ---------------------------------------------

ON_TRACK, OFF_TRACK, NO_RECENT_DATA, NO_TARGET = "on_track", "off_track", "no_recent_data", "no_target"
REACHED, NOT_REACHED = "reached", "not_reached"  # every target date has passed
STALE_AFTER_DAYS = {"yearly": 2 * 365 + 90, "quarterly": 2 * 92 + 60, "monthly": 2 * 31 + 30}


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: float


def expected_on(day: datetime.date, start: Point, target: Point) -> float:
    """Where the straight line from baseline to target stands on a day."""
    if target.date <= start.date:
        return target.value
    share = (day - start.date).days / (target.date - start.date).days
    share = min(max(share, 0.0), 1.0)
    return start.value + (target.value - start.value) * share


def status(
    *,
    latest: Point | None,
    baseline: Point | None,
    targets: list[Point],
    higher_is_better: bool,
    frequency: str,
    today: datetime.date,
) -> str:
    if latest is None or (today - latest.date).days > STALE_AFTER_DAYS[frequency]:
        return NO_RECENT_DATA
    if baseline is None or not targets:
        return NO_TARGET
    last = max(targets, key=lambda t: t.date)
    if last.date < today:
        # The target date has passed: the question is no longer "on track" but whether it was met.
        met = latest.value >= last.value if higher_is_better else latest.value <= last.value
        return REACHED if met else NOT_REACHED
    target = next(
        (t for t in sorted(targets, key=lambda t: t.date) if t.date >= latest.date), max(targets, key=lambda t: t.date)
    )
    start = baseline
    # After a target date has passed, the next stretch starts from that target.
    passed = [t for t in targets if t.date < target.date and t.date > baseline.date]
    if passed:
        start = max(passed, key=lambda t: t.date)
    expected = expected_on(latest.date, start, target)
    good = latest.value >= expected if higher_is_better else latest.value <= expected
    return ON_TRACK if good else OFF_TRACK


def progress(*, latest: Point, baseline: Point, target: Point) -> float | None:
    """How far from baseline to target the latest value is, 0 to 100 (%)."""
    if target.value == baseline.value:
        return None
    share = (latest.value - baseline.value) / (target.value - baseline.value) * 100
    return min(max(share, 0.0), 100.0)


@dataclass(frozen=True)
class Forecast:
    slope_per_year: float
    points: list[Point]


def forecast(
    series: list[Point], *, until: datetime.date, last: int = 8, after: datetime.date | None = None
) -> Forecast | None:
    """A least-squares straight line through the last points, drawn on to a date (at least 3 points).

    The line starts at `after` (the end of the last period with a value, or today if later): a
    forecast never falls in the past nor predicts a period that already has a value. None when
    `until` is not after that."""
    points = sorted(series, key=lambda p: p.date)[-last:]
    if len(points) < 3:
        return None
    xs = [p.date.toordinal() for p in points]
    ys = [p.value for p in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread

    def at(day: datetime.date) -> float:
        return mean_y + slope * (day.toordinal() - mean_x)

    start = max(points[-1].date, after) if after else points[-1].date
    if until <= start:
        return None
    return Forecast(slope_per_year=slope * 365.25, points=[Point(start, at(start)), Point(until, at(until))])
