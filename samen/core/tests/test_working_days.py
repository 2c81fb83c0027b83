"""Belgium's public holidays and the working days that skip them."""

import datetime

from dateutil.easter import easter

from samen.core.working_days import add_working_days, belgian_public_holidays, easter_sunday, is_working_day

D = datetime.date


def test_easter_agrees_with_dateutil_for_three_centuries():
    assert [easter_sunday(year) for year in range(1900, 2200)] == [easter(year) for year in range(1900, 2200)]


def test_the_ten_public_holidays_of_2026():
    assert sorted(belgian_public_holidays(2026)) == [
        D(2026, 1, 1),  # New Year
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),  # Labour Day
        D(2026, 5, 14),  # Ascension Day
        D(2026, 5, 25),  # Whit Monday
        D(2026, 7, 21),  # National Day
        D(2026, 8, 15),  # Assumption
        D(2026, 11, 1),  # All Saints
        D(2026, 11, 11),  # Armistice
        D(2026, 12, 25),  # Christmas
    ]


def test_a_late_easter_moves_its_holidays():
    holidays = belgian_public_holidays(2038)  # Easter on 25 April
    assert {D(2038, 4, 26), D(2038, 6, 3), D(2038, 6, 14)} <= holidays


def test_working_days_skip_weekends_and_holidays():
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not is_working_day(D(2026, 4, 4))  # a Saturday
    assert is_working_day(D(2026, 4, 7))
    assert add_working_days(D(2026, 4, 2), 2) == D(2026, 4, 7)  # Thursday → Friday, (Easter Monday) → Tuesday
    assert add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 29)  # Christmas Friday and the weekend
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)  # New Year's Day, then the weekend
    assert add_working_days(D(2026, 3, 5), 2) == D(2026, 3, 9)  # an ordinary weekend
