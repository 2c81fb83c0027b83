"""Disclosure control that survives arithmetic: no hidden cell can be pinned down, by any sum a
reader can redo, to an interval narrower than the threshold (checked by linear programming)."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.measurement import compute

THRESHOLD = 5


def test_the_audit_finds_what_subtraction_gives_away():
    # Hasselt 7, Centrum 5 shown: the other districts hold 2 together (the issue's example).
    values = {"hasselt": 7, "centrum": 5, "kermt": 1, "kiewit": 1}
    found = compute.audit(values, [("hasselt", ["centrum", "kermt", "kiewit"])], ["kermt", "kiewit"])
    assert found == {"kermt": (0.0, 2.0), "kiewit": (0.0, 2.0)}


def test_protection_hides_more_until_every_interval_is_wide_enough():
    values = {"hasselt": 7, "centrum": 5, "kermt": 1, "kiewit": 1}
    relations = [("hasselt", ["centrum", "kermt", "kiewit"])]
    hidden, small = compute.public_counts(values, relations, threshold=THRESHOLD)
    assert small == {"kermt", "kiewit"}
    widths = compute.audit(values, relations, hidden)
    assert all(high - low >= THRESHOLD for low, high in widths.values())


def test_a_table_with_a_dimension_and_an_area_tree_at_once_is_protected_both_ways():
    # rows: areas a, b and their total t; columns: women, men and the total
    values = {(r, c): v for (r, c), v in {
        ("a", "f"): 3, ("a", "m"): 40, ("a", ""): 43,
        ("b", "f"): 30, ("b", "m"): 20, ("b", ""): 50,
        ("t", "f"): 33, ("t", "m"): 60, ("t", ""): 93,
    }.items()}  # fmt: skip
    relations = [((r, ""), [(r, "f"), (r, "m")]) for r in "abt"] + [(("t", c), [("a", c), ("b", c)]) for c in "fm "]
    relations = [(t, p) for t, p in relations if t in values]
    hidden, _small = compute.public_counts(values, relations, threshold=THRESHOLD)
    assert ("a", "f") in hidden
    assert all(high - low >= THRESHOLD for low, high in compute.audit(values, relations, hidden).values())


def test_a_running_total_between_two_shown_ones_is_protected():
    values = {2020: 10, 2021: 12, 2022: 13}
    hidden = compute.protect([values], [], threshold=THRESHOLD, hidden={2021}, rising=[(2020, 2021), (2021, 2022)])
    found = compute.audit(values, [], hidden, rising=[(2020, 2021), (2021, 2022)])
    assert all(high - low >= THRESHOLD for low, high in found.values())
    assert hidden != {2021}


@st.composite
def tables(draw):
    """A random two-level area tree with a breakdown in two categories, as a reader sees it."""
    parents = draw(st.integers(1, 4))
    kids = [draw(st.integers(1, 4)) for _ in range(parents)]
    values, relations = {}, []
    for cat in ("f", "m"):
        for p, n in enumerate(kids):
            for k in range(n):
                values[(f"{p}.{k}", cat)] = draw(st.integers(0, 60))
    for cat in ("f", "m"):
        for p, n in enumerate(kids):
            values[(str(p), cat)] = sum(values[(f"{p}.{k}", cat)] for k in range(n))
            relations.append(((str(p), cat), [(f"{p}.{k}", cat) for k in range(n)]))
        values[("all", cat)] = sum(values[(str(p), cat)] for p in range(parents))
        relations.append((("all", cat), [(str(p), cat) for p in range(parents)]))
    areas = {a for a, _c in values}
    for area in areas:
        values[(area, "")] = values[(area, "f")] + values[(area, "m")]
        relations.append(((area, ""), [(area, "f"), (area, "m")]))
    for p, n in enumerate(kids):
        relations.append(((str(p), ""), [(f"{p}.{k}", "") for k in range(n)]))
    relations.append((("all", ""), [(str(p), "") for p in range(parents)]))
    return values, relations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_cell_of_any_table_can_be_pinned_down(table):
    values, relations = table
    hidden, small = compute.public_counts(values, relations, threshold=THRESHOLD)
    assert small <= hidden
    assert {k for k, v in values.items() if v < THRESHOLD} == small
    for low, high in compute.audit(values, relations, hidden).values():
        assert high - low >= THRESHOLD or math.isinf(high)


def test_the_backbone_sees_the_audit_of_an_indicator(client, visits, coordinator):
    client.force_login(coordinator)
    body = client.get("/en/indicators/eld-visit-weekly/audit/").content.decode()
    assert "Disclosure audit" in body
    assert 'data-figure="tables">1<' in body
    assert 'data-figure="protected">2<' in body  # Kiewit and the neighbour hidden to protect it
    assert "protected</span>" in body


def test_the_subtraction_of_the_issue_no_longer_works(client, make_indicator, areas, put):
    """Hasselt 7 and Centrum 5 shown told a reader the rest held 2: now the rest cannot be pinned down."""
    from samen.measurement.selectors import indicator_audit

    counts = make_indicator("never", unit="count", kind="value", direction="down")
    put(counts, 2025, areas["runkst"], value=5)
    put(counts, 2025, areas["kiewit"], value=0)
    put(counts, 2025, areas["terhilst"], value=2)
    report = indicator_audit(counts)
    assert report.cells_protected >= 2
    assert report.holds, [(r.area, r.low, r.high) for r in report.rows]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=6), st.integers(0, 60), st.booleans())
def test_a_single_sum_needs_no_solver_and_agrees_with_it(hidden_values, shown, total_hidden):
    """The shortcut for hidden cells that only add up to a known amount gives what HiGHS gives."""
    from samen.core import disclosure

    values = {f"p{i}": v for i, v in enumerate(hidden_values)} | {"shown": shown}
    values["total"] = sum(values.values())
    hidden = list(values.keys() - {"shown", "total"}) + (["total"] if total_hidden else [])
    constraints = disclosure._equalities(values, [("total", [k for k in values if k != "total"])], set(hidden))
    quick = disclosure._one_sum(hidden, constraints)
    assert (quick is None) == total_hidden  # a hidden total makes it more than one sum of parts
    if quick is not None:
        solved = disclosure._by_linear_programs(hidden, constraints)
        assert quick.keys() == solved.keys()
        for key, (low, high) in quick.items():
            assert math.isclose(low, solved[key][0], abs_tol=1e-6) and math.isclose(high, solved[key][1], abs_tol=1e-6)


def test_a_part_of_the_table_that_contradicts_itself_does_not_unprotect_the_rest():
    """Each connected part is solved on its own: shown figures that do not add up in one part (a
    correction published in one area) leave the intervals of the other parts as they are."""
    values = {"t": 10, "a": 2, "b": 8, "s": 100, "r": 10, "x": 5, "y": 3, "z": 2}
    relations = [("t", ["a", "b"]), ("s", ["x", "y"]), ("r", ["x", "z"])]  # x is 97 by s, 8 by r
    found = compute.audit(values, relations, ["a", "x"])
    assert found["a"] == (2.0, 2.0)  # pinned by 10 − 8, so protect() must hide more
    assert found["x"] == (0.0, math.inf)  # nothing can be said of a part that contradicts itself
