"""Growth of the network against the ambition: pure arithmetic on hand-made or stored series.

The forecast method: the compound monthly growth rate over the last twelve months,
  rate = (members now / members twelve months ago) ** (1 / 12) - 1,
carried on from the latest month. Growth by invitation compounds (everyone brings someone),
so a constant rate per month fits it better than a straight line. With fewer than twelve months
of history the window is what there is (at least two months); with no growth there is no date."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FORECAST_WINDOW_MONTHS = 12


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class MonthPoint:
    month: datetime.date  # the first day of the month
    total: int  # cumulative at the end of the month


def cumulative_by_month(
    new_per_month: Mapping[datetime.date, int], *, until: datetime.date, since: datetime.date | None = None
) -> list[MonthPoint]:
    """Running totals for every month from the first with joiners (or `since`) to `until`, gaps filled."""
    months = sorted(month_start(m) for m in new_per_month)
    if not months:
        return []
    first = month_start(since) if since else months[0]
    before = sum(n for m, n in new_per_month.items() if month_start(m) < first)
    points, total, current = [], before, first
    while current <= month_start(until):
        total += sum(n for m, n in new_per_month.items() if month_start(m) == current)
        points.append(MonthPoint(current, total))
        current = add_months(current, 1)
    return points


@dataclass(frozen=True)
class Forecast:
    monthly_rate: float  # 0.05 is 5 % more members a month
    window_months: int
    start: MonthPoint
    points: list[MonthPoint]  # the projection, one point a month from the latest month on

    def value_at(self, month: datetime.date) -> float:
        return self.start.total * (1 + self.monthly_rate) ** months_between(self.start.month, month)


def forecast(
    series: list[MonthPoint], *, horizon_months: int = 24, window: int = FORECAST_WINDOW_MONTHS
) -> Forecast | None:
    """The compound monthly growth rate over the last `window` months, projected `horizon_months` on."""
    if len(series) < 2:
        return None
    last = series[-1]
    first = series[-(window + 1)] if len(series) > window else series[0]
    months = months_between(first.month, last.month)
    if months < 1 or first.total <= 0:
        return None
    rate = (last.total / first.total) ** (1 / months) - 1
    points = [
        MonthPoint(add_months(last.month, k), round(last.total * (1 + rate) ** k)) for k in range(horizon_months + 1)
    ]
    return Forecast(monthly_rate=rate, window_months=months, start=last, points=points)


def reach_month(prediction: Forecast, target: int) -> datetime.date | None:
    """The month the forecast reaches `target` members; None if it never does at this rate."""
    current = prediction.start.total
    if current >= target:
        return prediction.start.month
    if prediction.monthly_rate <= 0:
        return None
    months = math.ceil(math.log(target / current) / math.log(1 + prediction.monthly_rate) - 1e-9)
    if months > 1200:  # a century away is "never" for a five-year ambition
        return None
    return add_months(prediction.start.month, months)


@dataclass(frozen=True)
class Milestone:
    members: int
    date: datetime.date
    label: str


@dataclass(frozen=True)
class Outlook:
    next_milestone: Milestone | None
    reached_on: datetime.date | None  # when the forecast reaches it
    on_track: bool | None  # None: no milestone left, or no forecast
    behind_by_months: int | None


def outlook(*, members: int, milestones: Iterable[Milestone], prediction: Forecast | None) -> Outlook:
    """The next milestone not yet reached, when the forecast gets there, and whether that is in time."""
    ahead = sorted((m for m in milestones if m.members > members), key=lambda m: (m.members, m.date))
    if not ahead:
        return Outlook(None, None, None, None)
    target = ahead[0]
    if prediction is None:
        return Outlook(target, None, None, None)
    reached = reach_month(prediction, target.members)
    if reached is None:
        return Outlook(target, None, False, None)
    late = months_between(month_start(target.date), reached)
    return Outlook(target, reached, late <= 0, max(late, 0))


@dataclass(frozen=True)
class Reproduction:
    period: datetime.date
    cohort: int | None  # members who joined in the period; None: hidden publicly
    brought: int | None  # people those members brought, so far; None: hidden publicly
    average: float | None
    cohort_small: bool = False  # hidden as a small count itself ("< 5"), not only to protect another
    brought_small: bool = False

    @property
    def quarter(self) -> int:
        return (self.period.month - 1) // 3 + 1


def reproduction(rows: Iterable[tuple[datetime.date, int, int]], *, by: str = "quarter") -> list[Reproduction]:
    """People brought per member, by the period the bringers joined in ("quarter" or "year").

    A cohort's number can still grow: members keep bringing people after their first months."""
    grouped: dict[datetime.date, list[int]] = {}
    for period, cohort, brought in rows:
        key = (
            period.replace(month=1, day=1)
            if by == "year"
            else period.replace(month=(period.month - 1) // 3 * 3 + 1, day=1)
        )
        bucket = grouped.setdefault(key, [0, 0])
        bucket[0] += cohort
        bucket[1] += brought
    return [
        Reproduction(key, cohort, brought, brought / cohort if cohort else None)
        for key, (cohort, brought) in sorted(grouped.items())
    ]
