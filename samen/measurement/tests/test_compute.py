"""The arithmetic of shared measurement, on small hand-made series and trees."""

import datetime

import pytest

from samen.measurement.compute import (
    NO_RECENT_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    ROOT,
    Cell,
    Point,
    forecast,
    progress,
    ratio_cell,
    rollup,
    status,
    suppress,
)

# Hasselt › two districts › neighbourhoods
TREE = {
    "hasselt": ROOT,
    "centrum": "hasselt",
    "kermt": "hasselt",
    "runkst": "centrum",
    "kiewit": "centrum",
    "terhilst": "kermt",
}
D = datetime.date


def test_counts_add_up_over_the_tree():
    figures = rollup(TREE, {"runkst": Cell(10), "kiewit": Cell(5), "terhilst": Cell(7)}, is_ratio=False, additive=True)
    assert figures["centrum"].value == 15
    assert figures["kermt"].value == 7
    assert figures["hasselt"].value == 22
    assert figures[ROOT].value == 22
    assert figures["hasselt"].rolled_up


def test_ratios_add_numerators_and_denominators_never_percentages():
    reported = {"runkst": ratio_cell(1, 10, 100), "kiewit": ratio_cell(30, 90, 100)}
    figures = rollup(TREE, reported, is_ratio=True, additive=True, scale=100)
    # (1 + 30) / (10 + 90) = 31%, not the mean of 10% and 33.3%
    assert figures["centrum"].value == pytest.approx(31.0)
    assert (figures["centrum"].numerator, figures["centrum"].denominator) == (31, 100)


def test_a_reported_figure_wins_over_the_sum_of_its_parts():
    figures = rollup(TREE, {"centrum": Cell(100), "runkst": Cell(10)}, is_ratio=False, additive=True)
    assert figures["centrum"].value == 100
    assert not figures["centrum"].rolled_up


def test_no_figure_is_invented_for_an_area_without_data():
    figures = rollup(TREE, {"runkst": Cell(10)}, is_ratio=False, additive=True)
    assert "kermt" not in figures
    assert "terhilst" not in figures
    assert "kiewit" not in figures
    assert figures["centrum"].reported_parts == 1
    assert figures["centrum"].parts == 2


def test_scores_do_not_roll_up():
    figures = rollup(TREE, {"runkst": Cell(7.5), "kiewit": Cell(8.0)}, is_ratio=False, additive=False)
    assert set(figures) == {"runkst", "kiewit"}


def test_an_old_running_total_of_its_own_gives_way_to_newer_ones_below():
    # Centrum reported 100 itself at the end of 2023; its neighbourhoods report newer totals.
    reported = {"centrum": Cell(100), "runkst": Cell(70), "kiewit": Cell(40)}
    dates = {"centrum": D(2023, 12, 31), "runkst": D(2024, 6, 30), "kiewit": D(2024, 6, 30)}
    figures = rollup(TREE, reported, is_ratio=False, additive=True, dates=dates)
    assert figures["centrum"].value == 110
    dates["centrum"] = D(2024, 6, 30)
    assert rollup(TREE, reported, is_ratio=False, additive=True, dates=dates)["centrum"].value == 100


# --- suppression --------------------------------------------------------------------------------


def test_small_counts_are_hidden():
    cells = {"a": Cell(3), "b": Cell(5), "c": Cell(0)}
    assert suppress(cells, [], threshold=5, is_count=True, is_ratio=False) == {"a", "c"}


def test_a_rate_on_a_small_numerator_or_denominator_is_hidden():
    cells = {"a": ratio_cell(2, 100, 100), "b": ratio_cell(4, 4, 100), "c": ratio_cell(6, 100, 100)}
    assert suppress(cells, [], threshold=5, is_count=False, is_ratio=True) == {"a", "b"}


def test_one_hidden_part_of_a_shown_total_hides_the_smallest_other_part():
    cells = {"total": Cell(40), "a": Cell(3), "b": Cell(12), "c": Cell(25)}
    hidden = suppress(cells, [("total", ["a", "b", "c"])], threshold=5, is_count=True, is_ratio=False)
    # Without hiding b, a = 40 - 12 - 25 could be worked out.
    assert hidden == {"a", "b"}


def test_two_hidden_parts_need_nothing_more():
    cells = {"total": Cell(40), "a": Cell(3), "b": Cell(2), "c": Cell(35)}
    assert suppress(cells, [("total", ["a", "b", "c"])], threshold=5, is_count=True, is_ratio=False) == {"a", "b"}


def test_a_hidden_total_whose_parts_are_all_shown_hides_one_of_them():
    # Kermt (3) is hidden; shown alone, Terhilst would give it away, and so would the city's 53
    # minus Centrum's 50 — so Terhilst goes too, and then Centrum's smallest part.
    cells = {
        "hasselt": Cell(53),
        "centrum": Cell(50),
        "kermt": Cell(3),
        "runkst": Cell(20),
        "kiewit": Cell(30),
        "terhilst": Cell(3),
    }
    groups = [("hasselt", ["centrum", "kermt"]), ("centrum", ["runkst", "kiewit"]), ("kermt", ["terhilst"])]
    hidden = suppress(cells, groups, threshold=5, is_count=True, is_ratio=False)
    assert {"kermt", "terhilst"} <= hidden
    assert "centrum" in hidden  # else kermt = hasselt − centrum
    assert {"runkst", "kiewit"} & hidden  # else centrum = runkst + kiewit


def test_ties_are_broken_the_same_way_every_time():
    cells = {"total": Cell(23), "m": Cell(10), "f": Cell(10), "x": Cell(3)}
    first = suppress(cells, [("total", ["m", "f", "x"])], threshold=5, is_count=True, is_ratio=False)
    second = suppress(
        dict(reversed(list(cells.items()))), [("total", ["x", "f", "m"])], threshold=5, is_count=True, is_ratio=False
    )
    assert first == second == {"x", "f"}


def test_a_forced_cell_is_hidden_and_protected_like_a_small_one():
    cells = {"total": Cell(60), "a": Cell(20), "b": Cell(40)}
    assert suppress(cells, [("total", ["a", "b"])], threshold=5, is_count=True, is_ratio=False, force=["a"]) == {
        "a",
        "b",
    }


def test_a_lone_hidden_part_hides_its_total():
    cells = {"total": Cell(3), "a": Cell(3)}
    assert suppress(cells, [("total", ["a"])], threshold=5, is_count=True, is_ratio=False) == {"a", "total"}
    cells = {"total": Cell(30), "a": Cell(3)}
    assert suppress(cells, [("total", ["a"])], threshold=5, is_count=True, is_ratio=False) == {"a", "total"}


def test_secondary_suppression_carries_through_the_tree():
    # hasselt = centrum + kermt; centrum = runkst + kiewit
    cells = {"hasselt": Cell(60), "centrum": Cell(30), "kermt": Cell(30), "runkst": Cell(2), "kiewit": Cell(28)}
    groups = [("hasselt", ["centrum", "kermt"]), ("centrum", ["runkst", "kiewit"])]
    hidden = suppress(cells, groups, threshold=5, is_count=True, is_ratio=False)
    assert hidden == {"runkst", "kiewit"}


# --- status, progress, forecast ------------------------------------------------------------------

BASELINE = Point(D(2020, 1, 1), 10.0)
TARGET = Point(D(2024, 1, 1), 30.0)


@pytest.mark.parametrize(
    ("latest", "higher_is_better", "expected"),
    [
        (Point(D(2022, 1, 1), 21.0), True, ON_TRACK),  # the line stands at 20
        (Point(D(2022, 1, 1), 19.0), True, OFF_TRACK),
        (Point(D(2022, 1, 1), 19.0), False, ON_TRACK),
        (Point(D(2025, 1, 1), 30.0), True, "reached"),  # past the target date: reached or not
    ],
)
def test_status_follows_the_line_from_baseline_to_target(latest, higher_is_better, expected):
    result = status(
        latest=latest,
        baseline=BASELINE,
        targets=[TARGET],
        higher_is_better=higher_is_better,
        frequency="yearly",
        today=latest.date + datetime.timedelta(days=100),
    )
    assert result == expected


def test_old_data_is_no_recent_data():
    result = status(
        latest=Point(D(2020, 12, 31), 50.0),
        baseline=BASELINE,
        targets=[TARGET],
        higher_is_better=True,
        frequency="quarterly",
        today=D(2025, 1, 1),
    )
    assert result == NO_RECENT_DATA
    assert (
        status(
            latest=None,
            baseline=BASELINE,
            targets=[TARGET],
            higher_is_better=True,
            frequency="yearly",
            today=D(2025, 1, 1),
        )
        == NO_RECENT_DATA
    )


def test_without_a_target_there_is_no_track():
    assert (
        status(
            latest=Point(D(2024, 1, 1), 1.0),
            baseline=BASELINE,
            targets=[],
            higher_is_better=True,
            frequency="yearly",
            today=D(2024, 6, 1),
        )
        == NO_TARGET
    )


def test_a_second_target_starts_its_stretch_from_the_first():
    targets = [Point(D(2022, 1, 1), 20.0), Point(D(2026, 1, 1), 60.0)]
    # on 2024-01-01 the line from (2022, 20) to (2026, 60) stands at 40
    assert (
        status(
            latest=Point(D(2024, 1, 1), 41.0),
            baseline=BASELINE,
            targets=targets,
            higher_is_better=True,
            frequency="yearly",
            today=D(2024, 6, 1),
        )
        == ON_TRACK
    )
    assert (
        status(
            latest=Point(D(2024, 1, 1), 39.0),
            baseline=BASELINE,
            targets=targets,
            higher_is_better=True,
            frequency="yearly",
            today=D(2024, 6, 1),
        )
        == OFF_TRACK
    )


def test_progress_runs_from_baseline_to_target():
    assert progress(latest=Point(D(2022, 1, 1), 20.0), baseline=BASELINE, target=TARGET) == 50.0
    assert progress(latest=Point(D(2022, 1, 1), 5.0), baseline=BASELINE, target=TARGET) == 0.0
    assert (
        progress(
            latest=Point(D(2022, 1, 1), 5.0), baseline=Point(D(2020, 1, 1), 10.0), target=Point(D(2024, 1, 1), 0.0)
        )
        == 50.0
    )


def test_the_forecast_continues_a_straight_series():
    series = [Point(D(2020 + i, 1, 1), 10.0 + 2 * i) for i in range(4)]
    result = forecast(series, until=D(2027, 1, 1))
    assert result is not None
    assert result.slope_per_year == pytest.approx(2.0, rel=0.01)
    assert result.points[-1].value == pytest.approx(24.0, rel=0.01)


def test_no_forecast_from_two_points():
    assert forecast([Point(D(2020, 1, 1), 1.0), Point(D(2021, 1, 1), 2.0)], until=D(2025, 1, 1)) is None
