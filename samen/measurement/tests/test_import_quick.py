"""The importer's quick check never accepts what the full check refuses, and agrees on what it accepts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.measurement.validation import Catalogue, RowError

NUMBERS = st.one_of(
    st.sampled_from(["", "0", "5", "12", "400", "12.5", "12,5", "1.500", "-3", "nan", "inf", "1e400", "٣", "²", " 7"]),
    st.text(alphabet="0123456789.,-e_ ", max_size=8),
    st.integers(min_value=-10, max_value=10**13).map(str),
)
ROWS = st.tuples(
    st.sampled_from(["eld-visit-weekly", "visits", "days-waited", "nope", " visits"]),
    st.sampled_from(["runkst", "kermt", "", "all", "atlantis"]),
    st.sampled_from(
        [
            ("2019-01-01", "2019-12-31"),
            ("2019-01-01", "2019-06-30"),
            ("01/01/2020", "31/12/2020"),
            ("2999-01-01", "2999-12-31"),
        ]
    ),
    NUMBERS,
    NUMBERS,
    NUMBERS,
    st.sampled_from(["", "f", "x"]),
    st.booleans(),
)


@pytest.fixture
def catalogue(visits, areas, make_indicator):
    make_indicator("visits", unit="count", kind="value", direction="up", plausible_max=1000)
    make_indicator("days-waited", unit="days", kind="value", direction="down")
    return Catalogue()


def test_quick_agrees_with_the_full_check(catalogue):
    @settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=st.lists(ROWS, min_size=1, max_size=30))
    def run(rows):
        for code, area, (start, end), value, num, den, sex, confirmed in rows:
            try:
                full = catalogue.check(
                    code, area, start, end, value, num, den, {"sex": sex} if sex else None, confirmed
                )
            except RowError:
                full = None
            if full is not None and sex:
                catalogue.learn_dims(full[0], (sex,), full[4])
            quick = catalogue.quick(code, area, start, end, value, num, den, (sex,), confirmed)
            if quick is not None:
                assert full is not None, (code, area, start, end, value, num, den, sex)
                assert quick == (*full[:2], full[2].isoformat(), full[3].isoformat(), *full[4:])

    run()


def test_quick_learns_the_common_row_so_most_rows_need_no_full_check(catalogue):
    row = ("eld-visit-weekly", "runkst", "2019-01-01", "2019-12-31", "", "20", "400")
    assert catalogue.quick(*row, (), False) is None  # the period is not known yet
    catalogue.check(*row, None, False)
    assert catalogue.quick(*row, (), False)[5] == 5.0
