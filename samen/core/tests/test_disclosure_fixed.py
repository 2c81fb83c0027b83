"""A count published elsewhere already (an earlier year's archived report) stays known to the reader:
the rule never hides it to protect another cell, and hides a cell that can still be hidden instead."""

from samen.core.disclosure import audit, public_counts


def test_a_running_total_published_last_year_is_never_the_cell_hidden():
    # Members at the end of 2024 (published, archived), at the end of 2025, and who joined in 2025.
    counts = {"total-2024": 40, "total-2025": 43, "joined-2025": 3}
    relations = [("total-2025", ["total-2024", "joined-2025"])]
    hidden, small = public_counts(counts, relations, threshold=5, fixed={"total-2024"})
    assert small == {"joined-2025"}
    assert hidden == {"joined-2025", "total-2025"}  # not last year's total: the reader has it
    shown = {k: v for k, v in counts.items() if k not in hidden}
    low, high = audit(counts, relations, hidden)["joined-2025"]
    assert "total-2024" in shown and high - low >= 5


def test_without_fixed_cells_the_rule_is_as_before():
    counts = {"total": 43, "a": 40, "b": 3}
    hidden, small = public_counts(counts, [("total", ["a", "b"])], threshold=5)
    assert small == {"b"} and hidden == {"a", "b"}
