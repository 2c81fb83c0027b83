"""Reporting periods: what a yearly, quarterly or monthly period looks like."""

from __future__ import annotations

import calendar
import datetime

from django.utils.translation import gettext as _


def period_error(frequency: str, start: datetime.date, end: datetime.date) -> str | None:
    """Why a period does not fit the indicator's frequency, or None when it does."""
    if end < start:
        return _("the period ends before it starts")
    if frequency == "yearly" and not (
        start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31)
    ):
        return _("a yearly indicator needs a calendar year (1 January to 31 December)")
    if frequency == "quarterly" and (
        start.day != 1 or start.month not in (1, 4, 7, 10) or end != month_end(start.year, start.month + 2)
    ):
        return _("a quarterly indicator needs a calendar quarter (e.g. 1 April to 30 June)")
    if frequency == "monthly" and (start.day != 1 or end != month_end(start.year, start.month)):
        return _("a monthly indicator needs a calendar month")
    return None


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_for(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of a frequency that a day falls in."""
    if frequency == "yearly":
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    if frequency == "quarterly":
        first = 3 * ((day.month - 1) // 3) + 1
        return datetime.date(day.year, first, 1), month_end(day.year, first + 2)
    return datetime.date(day.year, day.month, 1), month_end(day.year, day.month)
