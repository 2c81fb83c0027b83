"""The backbone's arithmetic on plain data: runway, money per year, weighted progress, survey scores.

Small-count protection is measurement.compute's (the same suppression as every public figure)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from samen.measurement.compute import Cell, suppress

RUNWAY_WARNING_MONTHS = 6
# The success factor "resources guaranteed for three to five years".
RUNWAY_GOAL_MONTHS = (36, 60)


@dataclass(frozen=True)
class Runway:
    cash: Decimal
    to_come: Decimal
    monthly_spending: Decimal | None  # the average of the last three months
    months: float | None  # None when nothing was spent: no burn, no runway to count

    @property
    def warning(self) -> bool:
        return self.months is not None and self.months < RUNWAY_WARNING_MONTHS

    @property
    def meets_goal(self) -> bool:
        return self.months is not None and self.months >= RUNWAY_GOAL_MONTHS[0]

    @property
    def years(self) -> float | None:
        return None if self.months is None else self.months / 12


def last_months(today: datetime.date, count: int = 3) -> list[datetime.date]:
    """The first days of the `count` whole months before the month of `today`, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(datetime.date(year, month, 1))
    return list(reversed(months))


def runway(
    *, cash: Decimal, to_come: Decimal, spending: Mapping[datetime.date, Decimal], today: datetime.date
) -> Runway:
    """Months of work left = (cash + committed grants still to come) ÷ average monthly spending of
    the last three whole months (a month without expenses counts as zero)."""
    months = last_months(today)
    average = sum((spending.get(m, Decimal(0)) for m in months), Decimal(0)) / len(months)
    if average <= 0:
        return Runway(cash, to_come, None, None)
    return Runway(cash, to_come, average, float((cash + to_come) / average))


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1–4
    start: datetime.date
    end: datetime.date  # the last day

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"


def quarters_until(today: datetime.date, count: int = 8) -> list[Quarter]:
    """The `count` calendar quarters up to and including the one `today` is in, oldest first."""
    quarters = []
    year, number = today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        start = datetime.date(year, 3 * number - 2, 1)
        after = datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, 3 * number + 1, 1)
        quarters.append(Quarter(year, number, start, after - datetime.timedelta(days=1)))
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return list(reversed(quarters))


def spread_over_years(amount: Decimal, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """A grant's amount over the calendar years of its period, in proportion to the days in each."""
    days = (end - start).days + 1
    parts: dict[int, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, datetime.date(year, 1, 1))
        last = min(end, datetime.date(year, 12, 31))
        parts[year] = (amount * Decimal((last - first).days + 1) / Decimal(days)).quantize(Decimal("0.01"))
    # Rounding leftovers go to the last year, so the parts add up to the amount exactly.
    parts[end.year] += amount - sum(parts.values())
    return parts


MONEY_LIMIT = Decimal(10) ** 10  # the amount columns: 12 digits, 2 after the point


def money_fits(amount: Decimal) -> bool:
    """Whether an amount fits the money columns: below ten billion, at most whole cents."""
    exponent = amount.normalize().as_tuple().exponent
    return amount.is_finite() and abs(amount) < MONEY_LIMIT and isinstance(exponent, int) and exponent >= -2


def shares_fit(amount: Decimal, shares: Iterable[Decimal]) -> bool:
    return sum(shares, Decimal(0)) <= amount


# --- Progress of results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    key: int
    weight: int
    progress: float | None  # its own progress, typed or from an indicator; ignored when it has children
    children: tuple[Node, ...] = ()


def weighted_progress(node: Node) -> float | None:
    """A result's progress: its own if it has no sub-results, else the weighted average of the
    sub-results that have one (weights of those without progress are left out, not counted as 0)."""
    if not node.children:
        return node.progress
    total = weight = 0.0
    for child in node.children:
        value = weighted_progress(child)
        if value is not None and child.weight > 0:
            total += value * child.weight
            weight += child.weight
    return total / weight if weight else None


# --- Health-check scores -------------------------------------------------------------------------

MIN_RESPONDENTS = 5


@dataclass(frozen=True)
class Score:
    mean: float
    spread: float  # standard deviation of the answers
    answers: int


def score(counts: Mapping[int, int]) -> Score | None:
    """Mean and standard deviation of 1–5 answers given as {score: how many}."""
    n = sum(counts.values())
    if n == 0:
        return None
    mean = sum(s * c for s, c in counts.items()) / n
    variance = sum(c * (s - mean) ** 2 for s, c in counts.items()) / n
    return Score(round(mean, 2), round(math.sqrt(variance), 2), n)


def shown_groups(respondents: Mapping[str, int], *, total: str = "all", threshold: int = MIN_RESPONDENTS) -> set[str]:
    """The groups whose scores may be shown: at least `threshold` respondents, and never a group
    whose respondents could be worked out by subtracting shown groups from the total (the same
    secondary suppression as every public figure)."""
    cells = {k: Cell(float(v)) for k, v in respondents.items()}
    parts = [k for k in respondents if k != total]
    hidden = suppress(cells, [(total, parts)], threshold=threshold, is_count=True, is_ratio=False)
    return {k for k in respondents if k not in hidden}


def change(now: Score | None, before: Score | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now.mean - before.mean, 2)
