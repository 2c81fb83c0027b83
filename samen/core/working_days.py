"""Working days in Belgium: Monday to Friday, without the ten legal public holidays.

Deadlines counted in working days (a referral acknowledged within two) skip weekends and these
days. The list is the federal one (Royal Decree of 18 April 1974): the Flemish Community's own
day (11 July) and company or school holidays are not counted out."""

from __future__ import annotations

import datetime
from functools import lru_cache


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@lru_cache(maxsize=64)
def belgian_public_holidays(year: int) -> frozenset[datetime.date]:
    """The ten legal public holidays of a year: seven on fixed dates, three that follow Easter."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [1, 39, 50]  # Easter Monday, Ascension Day, Whit Monday
    return frozenset(
        [datetime.date(year, month, day) for month, day in fixed]
        + [easter + datetime.timedelta(days=n) for n in moving]
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in belgian_public_holidays(day.year)


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days after `day` (the day itself does not count)."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
