"""Disclosure control that survives arithmetic: the one rule for every public count.

A count below the threshold is hidden ("< 5"); so are enough other cells ("hidden") that no
hidden count can be pinned down, by any sum a reader can redo from the published ones, to an
interval narrower than the threshold. The interval is found by linear programming (SciPy's
HiGHS). Pure functions on plain numbers: measurement's tables, the growth page and the event
counts all call them."""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)  # the key of a cell; one kind per call
Relation = tuple[K, list[K]]  # (total, parts): the parts add up to the total


def audit(
    values: Mapping[K, float],
    relations: Iterable[Relation[K]],
    hidden: Iterable[K],
    *,
    rising: Iterable[tuple[K, K]] = (),
    known: dict[frozenset[K], dict[K, tuple[float, float]]] | None = None,
) -> dict[K, tuple[float, float]]:
    """For every hidden cell, the narrowest interval a reader can pin it to from the shown cells.

    The reader knows every shown value, that each relation adds up, that no count is negative and,
    for `rising` pairs (earlier, later) of a running total, that it never goes down. The interval
    is the minimum and maximum of the cell under those constraints: two linear programs per cell,
    solved with HiGHS (scipy.optimize.linprog). An unbounded side is `math.inf`.

    Only the connected part of the table matters for a cell: the hidden cells tied to it by a
    constraint, directly or through other hidden cells (shown cells are constants). Each part is
    solved on its own, and `known` (a cache a caller passes between calls on the same values)
    keeps the intervals of parts that did not change, so hiding one more cell re-solves only its
    part."""
    hidden = [k for k in dict.fromkeys(hidden) if k in values]
    if not hidden:
        return {}
    hidden_set = set(hidden)
    constraints = [
        *_equalities(values, relations, hidden_set),
        *_rising(values, rising, hidden_set),
    ]
    result: dict[K, tuple[float, float]] = {}
    for part, rows in _connected(hidden, constraints):
        key = frozenset(part)
        if known is not None and key in known:
            result.update(known[key])
            continue
        found = _solve(part, rows)
        if known is not None:
            known[key] = found
        result.update(found)
    return {k: result[k] for k in hidden}  # in the order asked, so the choice of extra cells is stable


# A constraint on hidden cells: (coefficients by hidden cell, constant, is an equality). It reads
# sum(coefficient * cell) == constant, or <= constant for an inequality.
Constraint = tuple[dict[K, float], float, bool]


def _equalities(values: Mapping[K, float], relations: Iterable[Relation[K]], hidden: set[K]) -> list[Constraint[K]]:
    constraints: list[Constraint[K]] = []
    for total, parts in relations:
        if total not in values:
            continue
        # Parts without data are no part of the sum a reader sees.
        members = [(total, -1.0), *((p, 1.0) for p in parts if p in values)]
        if len(members) < 2 or not any(k in hidden for k, _s in members):
            continue
        constraints.append(_constraint(values, members, hidden, equality=True))
    return constraints


def _rising(values: Mapping[K, float], rising: Iterable[tuple[K, K]], hidden: set[K]) -> list[Constraint[K]]:
    constraints: list[Constraint[K]] = []
    for earlier, later in rising:
        if earlier not in values or later not in values or (earlier not in hidden and later not in hidden):
            continue
        # earlier - later <= 0
        constraints.append(_constraint(values, [(earlier, 1.0), (later, -1.0)], hidden, equality=False))
    return constraints


def _constraint(
    values: Mapping[K, float], members: list[tuple[K, float]], hidden: set[K], *, equality: bool
) -> Constraint[K]:
    coefficients: dict[K, float] = {}
    constant = 0.0
    for key, sign in members:
        if key in hidden:
            coefficients[key] = coefficients.get(key, 0.0) + sign
        else:
            constant -= sign * values[key]
    return coefficients, constant, equality


def _connected(hidden: list[K], constraints: list[Constraint[K]]) -> list[tuple[list[K], list[Constraint[K]]]]:
    """The hidden cells in groups tied by constraints (union-find), each with its constraints."""
    parent = {k: k for k in hidden}

    def root(k: K) -> K:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for coefficients, _c, _e in constraints:
        first, *rest = coefficients
        for other in rest:
            parent[root(other)] = root(first)
    cells: dict[K, list[K]] = {}
    for k in hidden:
        cells.setdefault(root(k), []).append(k)
    rows: dict[K, list[Constraint[K]]] = {}
    for constraint in constraints:
        rows.setdefault(root(next(iter(constraint[0]))), []).append(constraint)
    return [(part, rows.get(r, [])) for r, part in cells.items()]


def _solve(part: list[K], constraints: list[Constraint[K]]) -> dict[K, tuple[float, float]]:
    """The interval of each cell of one connected part."""
    if not constraints:  # tied to nothing a reader sees: anything from 0 up
        return dict.fromkeys(part, (0.0, math.inf))
    return _one_sum(part, constraints) or _by_linear_programs(part, constraints)


def _one_sum(part: list[K], constraints: list[Constraint[K]]) -> dict[K, tuple[float, float]] | None:
    """The commonest part needs no solver: hidden cells that only add up to a known amount (two
    neighbours hidden in one sum whose total is shown). One cell is pinned to the amount; of
    several, each can be anything from 0 to the amount (the others taking the rest). None for
    any other part."""
    if len(constraints) != 1 or not constraints[0][2]:
        return None
    coefficients, constant, _equality = constraints[0]
    signs = set(coefficients.values())
    if signs not in ({1.0}, {-1.0}):
        return None
    amount = constant * signs.pop()
    if amount < 0:
        return None  # the shown figures contradict each other: the solver's rule applies
    return dict.fromkeys(part, (amount, amount) if len(part) == 1 else (0.0, amount))


def _by_linear_programs(part: list[K], constraints: list[Constraint[K]]) -> dict[K, tuple[float, float]]:
    """Two linear programs per cell: its minimum and its maximum under the constraints (HiGHS).

    Remembered for the same part and constraints (a pure function of them): a page shown again after
    a change elsewhere (a registration for another event) solves only the parts that changed."""
    frozen = tuple(
        (tuple(coefficients.items()), constant, equality) for coefficients, constant, equality in constraints
    )
    return dict(_solved(tuple(part), frozen))


@functools.lru_cache(maxsize=4096)
def _solved(
    part: tuple[K, ...], constraints: tuple[tuple[tuple[tuple[K, float], ...], float, bool], ...]
) -> tuple[tuple[K, tuple[float, float]], ...]:
    return tuple(_linear_programs(list(part), [(dict(c), constant, e) for c, constant, e in constraints]).items())


def _linear_programs(part: list[K], constraints: list[Constraint[K]]) -> dict[K, tuple[float, float]]:
    import numpy as np
    from scipy.optimize import linprog  # type: ignore[import-untyped]  # SciPy ships no type hints

    index = {k: i for i, k in enumerate(part)}
    systems: dict[str, Any] = {}
    for equality, name in ((True, "eq"), (False, "ub")):
        chosen = [c for c in constraints if c[2] is equality]
        if not chosen:
            continue
        matrix = np.zeros((len(chosen), len(part)))
        for row, (coefficients, _constant, _e) in enumerate(chosen):
            for key, coefficient in coefficients.items():
                matrix[row, index[key]] = coefficient
        systems[f"A_{name}"] = matrix
        systems[f"b_{name}"] = np.array([c[1] for c in chosen])
    result: dict[K, tuple[float, float]] = {}
    for key, i in index.items():
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(part))
            objective[i] = sign
            found = linprog(objective, bounds=(0, None), method="highs", **systems)
            if found.status == 3:  # unbounded
                ends.append(math.inf if sign < 0 else 0.0)
            elif found.status == 0:
                ends.append(sign * found.fun)
            else:  # infeasible only if the shown figures contradict each other: nothing is pinned
                ends.append(0.0 if sign > 0 else math.inf)
        result[key] = (max(ends[0], 0.0), ends[1])
    return result


def protect(
    measures: Iterable[Mapping[K, float]],
    relations: Iterable[Relation[K]],
    *,
    threshold: float,
    hidden: Iterable[K],
    rising: Iterable[tuple[K, K]] = (),
    size: Mapping[K, float] | None = None,
    fixed: Iterable[K] = (),
) -> set[K]:
    """Hide more cells (secondary suppression) until no hidden cell can be pinned down narrower
    than the threshold, in any of the `measures` (a count; or a ratio's numerators and
    denominators), by every relation a reader can see.

    Starts from `hidden` (the small cells, and what the group rule already hid). While a hidden
    cell's interval is too narrow, the smallest shown cell of a relation it takes part in is hidden
    too (ties broken by key, so every page picks the same one). `fixed` cells were published
    elsewhere already (an earlier year's report that never changes): the reader knows them, so they
    are never the ones hidden; the search goes on outwards to a cell that may still be hidden."""
    measures = list(measures)
    relations = [(t, list(p)) for t, p in relations]
    rising = list(rising)
    hidden = set(hidden)
    fixed = set(fixed)
    size = size or (measures[0] if measures else {})
    keys = set().union(*(m.keys() for m in measures)) if measures else set()
    # The intervals of each connected part, per measure: a part untouched by the last hidden cell
    # is not solved again.
    known: list[dict[frozenset[K], dict[K, tuple[float, float]]]] = [{} for _m in measures]
    while True:
        narrow = [
            key
            for values, cache in zip(measures, known, strict=True)
            for key, (low, high) in audit(values, relations, hidden & values.keys(), rising=rising, known=cache).items()
            if high - low < threshold
        ]
        if not narrow:
            return hidden
        extra = _neighbour(narrow[0], relations, rising, keys, hidden, size, fixed)
        if extra is None:
            return hidden  # everything tied to the narrow cell is hidden already
        hidden.add(extra)  # then audit again: one more hidden cell may widen several intervals


def _neighbour(
    key: K,
    relations: list[Relation[K]],
    rising: list[tuple[K, K]],
    keys: set[K],
    hidden: set[K],
    size: Mapping[K, float],
    fixed: AbstractSet[K] = frozenset(),
) -> K | None:
    """The smallest shown cell of a relation the key takes part in; failing that, of a relation
    of the hidden cells it is tied to, and so on outwards. None when every tied cell is hidden."""
    frontier, seen = {key}, {key}
    while frontier:
        tied = {
            k
            for total, parts in relations
            if total in frontier or frontier.intersection(parts)
            for k in (total, *parts)
            if k in keys
        }
        tied |= {k for pair in rising if frontier.intersection(pair) for k in pair if k in keys}
        shown = tied - hidden - fixed
        if shown:
            return min(shown, key=lambda k: (size.get(k, 0.0), str(k)))
        frontier = tied - seen
        seen |= tied
    return None


def group_rule(
    counts: Mapping[K, float], relations: list[Relation[K]], hidden: set[K], fixed: Iterable[K] = ()
) -> set[K]:
    """The cheap first pass: a sum with exactly one hidden cell gives it away by subtraction, so
    its smallest other shown part (or the total) is hidden too, until no sum has exactly one.
    A `fixed` cell (published elsewhere) is never the one hidden; such a sum is left to `protect`."""
    hidden = set(hidden)
    fixed = set(fixed)
    groups = [(t, [p for p in parts if p in counts]) for t, parts in relations if t in counts]
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            if not parts or sum(1 for m in (total, *parts) if m in hidden) != 1:
                continue
            shown = [p for p in parts if p not in hidden and p not in fixed]
            if shown:
                hidden.add(min(shown, key=lambda p: (counts[p], str(p))))
            elif total not in hidden and total not in fixed:
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden


def public_counts(
    counts: Mapping[K, float | None],
    relations: Iterable[Relation[K]],
    *,
    threshold: float,
    fixed: Iterable[K] = (),
    rising: Iterable[tuple[K, K]] = (),
) -> tuple[set[K], set[K]]:
    """The one rule for a public count, wherever it is shown: (hidden, small).

    `small` are below the threshold (shown "< 5"); `hidden` are those plus the cells hidden only to
    protect them (shown "hidden"), chosen so that no sum a reader can redo from the `relations`
    pins a hidden count down to less than the threshold. `fixed` counts were published elsewhere
    already and stay shown (see `protect`); `rising` pairs (earlier, later) are running totals
    that never go down, which a reader knows too."""
    relations = [(t, list(p)) for t, p in relations]
    fixed = set(fixed)
    small = {k for k, n in counts.items() if n is not None and n < threshold}
    values = {k: float(n) for k, n in counts.items() if n is not None}
    first = group_rule(values, relations, small, fixed)
    hidden = protect([values], relations, threshold=threshold, hidden=first, fixed=fixed, rising=rising)
    return hidden, small
