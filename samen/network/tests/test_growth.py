"""The growth arithmetic on hand-made series: totals by month, the forecast, milestones, reproduction."""

import datetime

import pytest

from samen.network import growth
from samen.network.growth import Milestone, MonthPoint

D = datetime.date


START = D(2024, 1, 1)


def series(*totals: int) -> list[MonthPoint]:
    return [MonthPoint(growth.add_months(START, i), n) for i, n in enumerate(totals)]


def test_running_totals_fill_the_months_without_joiners():
    points = growth.cumulative_by_month({D(2024, 1, 15): 3, D(2024, 3, 2): 2}, until=D(2024, 4, 30))
    assert [(p.month, p.total) for p in points] == [
        (D(2024, 1, 1), 3),
        (D(2024, 2, 1), 3),
        (D(2024, 3, 1), 5),
        (D(2024, 4, 1), 5),
    ]


def test_running_totals_from_a_later_start_count_the_earlier_joiners():
    points = growth.cumulative_by_month({D(2023, 6, 1): 10, D(2024, 2, 1): 1}, until=D(2024, 2, 1), since=D(2024, 1, 1))
    assert [p.total for p in points] == [10, 11]


def test_doubling_every_month_is_a_rate_of_one_and_projects_on():
    prediction = growth.forecast(series(1, 2, 4, 8), horizon_months=2)
    assert prediction.monthly_rate == pytest.approx(1.0)
    assert prediction.window_months == 3
    assert [p.total for p in prediction.points] == [8, 16, 32]
    assert prediction.value_at(D(2024, 6, 1)) == pytest.approx(32)


def test_the_rate_comes_from_the_last_twelve_months_only():
    # Fast growth long ago, then ten percent a year: the forecast follows the recent year.
    old = [1, 10, 50, 100]
    recent = [round(100 * 1.1 ** (i / 12)) for i in range(1, 13)]
    prediction = growth.forecast(series(*old, *recent))
    assert prediction.window_months == 12
    assert (1 + prediction.monthly_rate) ** 12 == pytest.approx(recent[-1] / old[-1], rel=1e-9)


def test_too_short_or_empty_history_has_no_forecast():
    assert growth.forecast(series(5)) is None
    assert growth.forecast(series(0, 0, 3)) is None  # growth from nothing has no rate


def test_the_month_a_target_is_reached():
    prediction = growth.forecast(series(100, 110, 121))  # 10 % a month
    assert growth.reach_month(prediction, 121) == D(2024, 3, 1)
    assert growth.reach_month(prediction, 133) == D(2024, 4, 1)  # 121 * 1.1 = 133.1
    assert growth.reach_month(prediction, 200) == D(2024, 9, 1)  # 121 * 1.1^6 = 214


def test_no_growth_never_reaches_a_higher_target():
    prediction = growth.forecast(series(100, 100, 100))
    assert prediction.monthly_rate == 0
    assert growth.reach_month(prediction, 101) is None


def test_on_track_when_the_forecast_reaches_the_next_milestone_in_time():
    prediction = growth.forecast(series(100, 110, 121))
    milestones = [Milestone(50, D(2023, 1, 1), "X50"), Milestone(200, D(2024, 12, 1), "X200")]
    outlook = growth.outlook(members=121, milestones=milestones, prediction=prediction)
    assert outlook.next_milestone.members == 200
    assert outlook.reached_on == D(2024, 9, 1)
    assert outlook.on_track is True
    assert outlook.behind_by_months == 0


def test_late_when_the_forecast_gets_there_after_the_milestone_date():
    prediction = growth.forecast(series(100, 110, 121))
    outlook = growth.outlook(members=121, milestones=[Milestone(200, D(2024, 6, 1), "X200")], prediction=prediction)
    assert outlook.on_track is False
    assert outlook.behind_by_months == 3


def test_every_milestone_reached_leaves_nothing_to_forecast():
    outlook = growth.outlook(members=600, milestones=[Milestone(500, D(2024, 6, 1), "X500")], prediction=None)
    assert outlook.next_milestone is None and outlook.on_track is None


def test_reproduction_number_by_quarter_and_year():
    rows = [(D(2024, 1, 1), 10, 5), (D(2024, 4, 1), 10, 15), (D(2025, 1, 1), 4, 0)]
    quarters = growth.reproduction(rows, by="quarter")
    assert [(r.period, r.average) for r in quarters] == [(D(2024, 1, 1), 0.5), (D(2024, 4, 1), 1.5), (D(2025, 1, 1), 0)]
    assert [r.quarter for r in quarters] == [1, 2, 1]
    years = growth.reproduction(rows, by="year")
    assert [(r.period.year, r.cohort, r.brought, r.average) for r in years] == [(2024, 20, 20, 1.0), (2025, 4, 0, 0.0)]


def test_small_counts_are_hidden_and_one_more_so_none_can_be_worked_out():
    from samen.core.disclosure import public_counts

    def hidden(counts, total=True):
        relations = [("total", list(counts))] if total else []
        return public_counts({"total": sum(counts.values()), **counts}, relations, threshold=5)

    assert hidden({"a": 10, "b": 3, "c": 7, "d": 20}) == ({"b", "c"}, {"b"})
    assert hidden({"a": 10, "b": 3, "c": 2}) == ({"b", "c"}, {"b", "c"})
    assert hidden({"a": 10, "b": 30}) == (set(), set())
    assert hidden({"a": 10, "b": 3}, total=False) == ({"b"}, {"b"})
