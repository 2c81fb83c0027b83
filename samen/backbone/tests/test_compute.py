"""The backbone's arithmetic, by hand."""

import datetime
from decimal import Decimal

from samen.backbone.compute import Node, runway, score, shown_groups, spread_over_years, weighted_progress

TODAY = datetime.date(2025, 6, 15)


def test_runway_is_cash_and_grants_to_come_over_the_average_of_the_last_three_months():
    spending = {
        datetime.date(2025, 3, 1): Decimal(1000),
        datetime.date(2025, 4, 1): Decimal(2000),
        datetime.date(2025, 5, 1): Decimal(3000),
        datetime.date(2025, 6, 1): Decimal(99999),  # this month is not over: not counted
        datetime.date(2025, 1, 1): Decimal(99999),  # older than three months
    }
    r = runway(cash=Decimal(10000), to_come=Decimal(14000), spending=spending, today=TODAY)
    assert r.monthly_spending == Decimal(2000)
    assert r.months == 12
    assert not r.warning and not r.meets_goal


def test_a_month_without_expenses_counts_as_zero_and_under_six_months_warns():
    r = runway(cash=Decimal(3000), to_come=Decimal(0), spending={datetime.date(2025, 5, 1): Decimal(3000)}, today=TODAY)
    assert r.months == 3
    assert r.warning


def test_three_years_of_runway_meets_the_success_factor():
    spending = {datetime.date(2025, m, 1): Decimal(1000) for m in (3, 4, 5)}
    assert runway(cash=Decimal(36000), to_come=Decimal(0), spending=spending, today=TODAY).meets_goal


def test_no_spending_gives_no_runway_rather_than_a_division_by_zero():
    r = runway(cash=Decimal(100), to_come=Decimal(0), spending={}, today=TODAY)
    assert r.months is None and not r.warning


def test_a_grant_is_spread_over_the_years_of_its_period_and_adds_up_exactly():
    parts = spread_over_years(Decimal("20000"), datetime.date(2024, 7, 1), datetime.date(2026, 6, 30))
    assert set(parts) == {2024, 2025, 2026}
    assert sum(parts.values()) == Decimal("20000")
    assert parts[2025] > parts[2024]


def test_a_parent_takes_the_weighted_average_of_its_children():
    tree = Node(1, 1, None, (Node(2, 3, 100.0), Node(3, 1, 0.0)))
    assert weighted_progress(tree) == 75.0


def test_children_without_progress_are_left_out_not_counted_as_zero():
    tree = Node(1, 1, 10.0, (Node(2, 1, 50.0), Node(3, 5, None)))
    assert weighted_progress(tree) == 50.0


def test_progress_rolls_up_over_several_levels():
    tree = Node(1, 1, None, (Node(2, 1, None, (Node(4, 1, 100.0), Node(5, 1, 0.0))), Node(3, 1, 100.0)))
    assert weighted_progress(tree) == 75.0


def test_a_leaf_keeps_its_own_progress_and_a_tree_without_any_has_none():
    assert weighted_progress(Node(1, 1, 40.0)) == 40.0
    assert weighted_progress(Node(1, 1, None, (Node(2, 1, None),))) is None


def test_score_is_the_mean_with_its_spread():
    s = score({1: 1, 5: 1})
    assert s.mean == 3.0 and s.spread == 2.0 and s.answers == 2


def test_groups_under_five_are_hidden():
    assert shown_groups({"all": 12, "partner": 8, "member": 4}) == {"all"}


def test_a_group_is_hidden_when_the_other_could_be_worked_out_by_subtraction():
    # 4 members answered: showing "all" and "partner" would give the members' answers by subtraction.
    shown = shown_groups({"all": 9, "partner": 5, "member": 4})
    assert "member" not in shown and "partner" not in shown


def test_groups_of_five_and_more_are_all_shown():
    assert shown_groups({"all": 11, "partner": 5, "member": 6}) == {"all", "partner", "member"}


def test_a_total_under_five_shows_nothing():
    assert shown_groups({"all": 4, "partner": 4, "member": 0}) == set()


def test_the_total_stays_shown_when_both_its_parts_are_hidden():
    assert shown_groups({"all": 9, "partner": 5, "member": 4}) == {"all"}
