"""A share is hidden when few are outside it, too: 6 of 6 says something of every one of them."""

from samen.measurement import compute
from samen.measurement.compute import Cell


def _hidden(numerator, denominator):
    return compute.primary_suppressed(
        compute.ratio_cell(numerator, denominator, 100), threshold=5, is_count=False, is_ratio=True
    )


def test_a_small_complement_hides_a_share():
    assert _hidden(6, 6)  # everyone
    assert _hidden(28, 30)  # all but two
    assert not _hidden(25, 30)  # five outside: as safe as five inside
    assert not _hidden(10, 20)
    assert _hidden(3, 20) and _hidden(4, 4)  # the old rules stay


def test_a_rate_above_one_has_no_complement():
    # 30 visits by 10 people is not a part of a whole: nothing to subtract.
    assert compute.complement(Cell(300.0, 30, 10)) is None
    assert not _hidden(30, 10)


def test_a_complement_cannot_be_worked_out_by_subtraction():
    # Runkst 20 of 25 and its two parts: A is 10 of 10 (hidden); B's complement would give A's away.
    cells = {
        ("city", ""): compute.ratio_cell(20, 25, 100),
        ("a", ""): compute.ratio_cell(10, 10, 100),
        ("b", ""): compute.ratio_cell(10, 15, 100),
    }
    groups = [(("city", ""), [("a", ""), ("b", "")])]
    hidden = compute.suppress(cells, groups, threshold=5, is_count=False, is_ratio=True)
    complements = {k: compute.complement(c) for k, c in cells.items()}
    protected = compute.protect(
        [{k: c.numerator for k, c in cells.items()}, {k: c.denominator for k, c in cells.items()}, complements],
        groups,
        threshold=5,
        hidden=hidden,
    )
    assert ("a", "") in protected and len(protected) >= 2
    for low, high in compute.audit(complements, groups, protected).values():
        assert high - low >= 5
