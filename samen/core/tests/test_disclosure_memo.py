"""The intervals of a connected part are remembered: a page shown again, or another event with the same
figures, costs no linear program; different figures are solved anew and give their own answer."""

from unittest import mock

import scipy.optimize

from samen.core import disclosure


def _table(a: int, b: int, c: int) -> tuple[dict[str, float], list[tuple[str, list[str]]]]:
    # Two sums sharing hidden cells: a part the one-sum shortcut cannot answer, so the solver runs.
    values = {"total": a + b + c, "ab": a + b, "a": a, "b": b, "c": c}
    return values, [("total", ["ab", "c"]), ("ab", ["a", "b"]), ("total", ["a", "b", "c"])]


def _audit_counting_programs(values, relations, hidden):
    with mock.patch.object(scipy.optimize, "linprog", wraps=scipy.optimize.linprog) as linprog:
        found = disclosure.audit(values, relations, hidden)
    return found, linprog.call_count


def test_the_same_part_is_solved_once_and_other_figures_anew():
    disclosure._solved.cache_clear()
    values, relations = _table(3, 40, 2)
    first, programs = _audit_counting_programs(values, relations, {"a", "c", "ab"})
    assert programs > 0
    again, programs_again = _audit_counting_programs(values, relations, {"a", "c", "ab"})
    assert again == first and programs_again == 0

    other_values, _ = _table(4, 40, 2)
    other, programs_other = _audit_counting_programs(other_values, relations, {"a", "c", "ab"})
    assert programs_other > 0
    disclosure._solved.cache_clear()
    assert other == disclosure.audit(other_values, relations, {"a", "c", "ab"})  # the same answer solved afresh
