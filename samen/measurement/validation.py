"""Checking one row of measurement data, the same way for the form, the importer and the API.

A `Catalogue` loads the indicators, areas and dimension values once, so checking a row costs no
query: the importer checks hundreds of thousands of rows a second with it.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from samen.measurement.models import DimensionValue, Indicator
from samen.measurement.periods import period_error
from samen.network.models import Area

WHOLE_INITIATIVE = ("", "*", "all", "totaal", "total")
# No count, amount or rate a steward can mean is this large; the sum of a few such would overflow.
LARGEST = 1e12
YES = ("1", "yes", "ja", "true", "y", "j", "x")


class RowError(ValueError):
    """A bad value in a row; `column` names where."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class Row:
    indicator: Indicator
    area_id: int | None
    period_start: datetime.date
    period_end: datetime.date
    dims: str
    value: float | None
    numerator: float | None
    denominator: float | None

    @property
    def key(self) -> tuple[int, int | None, datetime.date, datetime.date, str]:
        return (self.indicator.pk, self.area_id, self.period_start, self.period_end, self.dims)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}([.,]\d{3})+$")


def parse_number(text: str | float | int | None, column: str, *, counting: bool = False) -> float | None:
    """A number as people type it: 1234.5, 1234,5 (Dutch), 1.234,5 or 1,234.5.

    For counts (`counting`), “12.500” could be twelve and a half or twelve thousand five hundred:
    such a number is refused rather than guessed."""
    if text is None or text == "":
        return None
    if isinstance(text, bool):
        raise RowError(column, _("“%(text)s” is not a number") % {"text": text})
    if isinstance(text, (int, float)):
        number = float(text)
    else:
        if counting and _GROUPED.match(text.strip()):
            raise RowError(
                column,
                _("“%(text)s” can be read two ways: write whole numbers without a thousands separator")
                % {"text": text},
            )
        number = _parse_text(text, column)
    if not math.isfinite(number):
        raise RowError(column, _("“%(text)s” is not a number") % {"text": text})
    if abs(number) > LARGEST:
        raise RowError(column, _("“%(text)s” is too large to be a measurement") % {"text": text})
    return number


def _parse_text(text: str, column: str) -> float:
    if "," not in text and "_" not in text:
        try:  # the common case, fast
            return float(text)
        except ValueError:
            pass
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw and "." in raw:
        # The last separator is the decimal one; the other groups thousands.
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "")
    raw = raw.replace(",", ".")
    if not _NUMBER.match(raw):
        raise RowError(column, _("“%(text)s” is not a number") % {"text": text})
    return float(raw)


def parse_date(text: str | datetime.date, column: str) -> datetime.date:
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    raw = str(text or "").strip()
    try:
        if len(raw) == 10 and raw[2] in "/-." and raw[5] in "/-.":  # 31/12/2024, as Belgians write it
            return datetime.date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise RowError(column, _("“%(text)s” is not a date (use 2024-12-31 or 31/12/2024)") % {"text": text}) from None


class Catalogue:
    """Indicators, areas and dimension values, loaded once; `row()` checks a row without a query."""

    def __init__(self, indicators: Iterable[Indicator] | None = None) -> None:
        chosen = indicators if indicators is not None else Indicator.objects.select_related("steward")
        self.indicators = {i.code: i for i in chosen}
        self.areas = dict(Area.objects.values_list("code", "pk"))
        self.area_names = dict(Area.objects.values_list("pk", "name"))
        self.dimensions: dict[int, set[str]] = {}
        for indicator in self.indicators.values():
            self.dimensions[indicator.pk] = {d.slug for d in indicator.dimensions.all()}
        self.values: dict[str, set[str]] = {}
        for dimension, value in DimensionValue.objects.values_list("dimension__slug", "slug"):
            self.values.setdefault(dimension, set()).add(value)
        # Files repeat the same dates, periods and breakdowns on every row: check each once.
        self._dates: dict[object, datetime.date] = {}
        self._periods: dict[tuple, str | None] = {}
        self._dims: dict[tuple, str] = {}
        self.today = timezone.localdate()
        # Lookup tables of quick(): what a row may hold, precomputed or learnt from rows check() passed.
        self._rules = {code: _Rules.of(indicator) for code, indicator in self.indicators.items()}
        self._area_ids: dict[object, int | None] = {**dict.fromkeys(WHOLE_INITIATIVE), **self.areas}
        self._good_periods: dict[tuple, tuple[str, str]] = {}
        self._good_dims: dict[tuple, str] = {}

    def _date(self, text: str | datetime.date, column: str) -> datetime.date:
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = parse_date(text, column)
        return found

    def indicator(self, code: str) -> Indicator:
        found = self.indicators.get(code)
        if found is not None:
            return found
        code = str(code)  # a spreadsheet cell may hold a number
        try:
            return self.indicators[code.strip()]
        except KeyError:
            raise RowError("indicator", _("unknown indicator “%(code)s”") % {"code": code}) from None

    def area(self, code: str | None) -> int | None:
        found = self.areas.get(code)  # type: ignore[arg-type]
        if found is not None:
            return found
        code = str(code if code is not None else "").strip()
        if code.lower() in WHOLE_INITIATIVE:
            return None
        try:
            return self.areas[code]
        except KeyError:
            raise RowError("area", _("unknown area “%(code)s”") % {"code": code}) from None

    def dims(self, indicator: Indicator, values: Mapping[str, str]) -> str:
        pairs = []
        allowed = self.dimensions.get(indicator.pk, set())
        for dimension, value in sorted(values.items()):
            value = (value or "").strip()
            if not value:
                continue
            if dimension not in allowed:
                raise RowError(
                    f"dim:{dimension}",
                    _("%(indicator)s is not broken down by “%(dimension)s”")
                    % {"indicator": indicator.code, "dimension": dimension},
                )
            if value not in self.values.get(dimension, ()):
                raise RowError(f"dim:{dimension}", _("unknown value “%(value)s”") % {"value": value})
            pairs.append(f"{dimension}={value}")
        return ";".join(pairs)

    def row(
        self,
        *,
        confirmed: bool = False,
        indicator: str,
        area: str | None,
        period_start: str | datetime.date,
        period_end: str | datetime.date,
        value: str | float | None = None,
        numerator: str | float | None = None,
        denominator: str | float | None = None,
        dims: Mapping[str, str] | None = None,
    ) -> Row:
        return Row(
            *self.check(indicator, area, period_start, period_end, value, numerator, denominator, dims, confirmed)
        )

    def check(
        self, indicator, area, period_start, period_end, value, numerator, denominator, dims, confirmed=False
    ) -> tuple:
        """The checked row as a tuple, in Row's order; the importer's hot path, so kept lean.

        `confirmed`: the steward says a value outside the indicator's plausible range is right."""
        ind = self.indicator(indicator)
        area_id = self.area(area)
        start = self._date(period_start, "period_start")
        end = self._date(period_end, "period_end")
        period = (ind.frequency, start, end)
        problem = self._periods.get(period, False)
        if problem is False:
            problem = self._periods[period] = period_error(ind.frequency, start, end)
        if problem:
            raise RowError("period_end", problem)
        if start > self.today:
            raise RowError(
                "period_start",
                _("the period starts on %(start)s, after today: a value is measured, not foreseen")
                % {"start": start.isoformat()},
            )
        self._good_periods[(ind.frequency, period_start, period_end)] = (start.isoformat(), end.isoformat())
        dim_key = ""
        if dims:
            wanted = (ind.pk, *sorted(dims.items()))
            if wanted not in self._dims:
                self._dims[wanted] = self.dims(ind, dims)
            dim_key = self._dims[wanted]
        if ind.kind == "ratio":
            num = parse_number(numerator, "numerator", counting=True)
            den = parse_number(denominator, "denominator", counting=True)
            _ratio_problem(ind, num, den)
            rate = num / den * ind.scale  # type: ignore[operator]
            _plausible(ind, rate, "numerator", confirmed)
            return (ind, area_id, start, end, dim_key, rate, num, den)
        counting = ind.unit == Indicator.Unit.COUNT
        number = parse_number(value, "value", counting=counting)
        if number is None:
            raise RowError("value", _("the value is missing"))
        if counting and not number.is_integer():
            raise RowError("value", _("a count is a whole number, not %(value)s") % {"value": f"{number:g}"})
        if number < 0 and ind.unit in (Indicator.Unit.COUNT, Indicator.Unit.DAYS):
            raise RowError("value", _("a count cannot be negative (%(value)s)") % {"value": f"{number:g}"})
        _plausible(ind, number, "value", confirmed)
        return (ind, area_id, start, end, dim_key, number, None, None)

    def quick(self, indicator, area, period_start, period_end, value, numerator, denominator, dim_cells, confirmed):
        """check() of a common row in a few lookups and comparisons, or None when it cannot tell (then
        check() decides and names what is wrong). The importer's hot path: no call per cell.

        Accepts only what check() accepts, with the same result, but dates as ISO text, ready to store.
        Indicator and area codes must be written exactly; periods and breakdowns must be ones check()
        passed earlier in the file (`dim_cells`: the row's dimension cells, see learn_dims)."""
        rules = self._rules.get(indicator)
        area_id = self._area_ids.get(area, -1)
        if rules is None or area_id == -1:
            return None
        ind = rules.indicator
        period = self._good_periods.get((ind.frequency, period_start, period_end))
        if period is None:
            return None
        dim_key = self._good_dims.get((ind.pk, dim_cells)) if dim_cells else ""
        if dim_key is None:
            return None
        try:
            if rules.ratio:
                if type(numerator) is not str or not numerator.isdigit() or type(denominator) is not str:
                    return None
                if not denominator.isdigit():
                    return None
                num, den = float(numerator), float(denominator)
                if den == 0 or den > LARGEST or num > LARGEST or (rules.percentage and num > den):
                    return None
                number = num / den * rules.scale
            else:
                num = den = None
                if type(value) is not str:
                    return None
                if rules.counting:
                    if not value.isdigit():
                        return None
                elif "," in value or "_" in value:
                    return None
                number = float(value)
                # Not a number, infinite, too large, or negative where it cannot be: check() says why.
                if not -LARGEST <= number <= LARGEST or (rules.not_negative and number < 0):
                    return None
        except ValueError:
            return None
        if not confirmed and not rules.low <= number <= rules.high:
            return None
        return (ind, area_id, period[0], period[1], dim_key, number, num, den)

    def learn_dims(self, ind: Indicator, dim_cells: tuple, dim_key: str) -> None:
        """The breakdown check() made of a row's dimension cells, for quick() to reuse."""
        self._good_dims[(ind.pk, dim_cells)] = dim_key


@dataclass(frozen=True, slots=True)
class _Rules:
    """What quick() needs of an indicator, as plain values."""

    indicator: Indicator
    ratio: bool
    percentage: bool
    counting: bool
    not_negative: bool
    scale: float
    low: float
    high: float

    @classmethod
    def of(cls, ind: Indicator) -> _Rules:
        return cls(
            indicator=ind,
            ratio=ind.kind == Indicator.Kind.RATIO,
            percentage=ind.unit == Indicator.Unit.PERCENTAGE,
            counting=ind.unit == Indicator.Unit.COUNT,
            not_negative=ind.unit in (Indicator.Unit.COUNT, Indicator.Unit.DAYS),
            scale=ind.scale,
            low=-math.inf if ind.plausible_min is None else ind.plausible_min,
            high=math.inf if ind.plausible_max is None else ind.plausible_max,
        )


def _plausible(ind: Indicator, value: float, column: str, confirmed: bool) -> None:
    """A value outside the indicator's plausible range is refused unless the steward confirms it."""
    low, high = ind.plausible_min, ind.plausible_max
    if confirmed or ((low is None or value >= low) and (high is None or value <= high)):
        return
    raise RowError(
        column,
        _(
            "%(value)s is outside what %(code)s usually measures (%(low)s to %(high)s): "
            "if it is right, confirm it (the “confirmed” column of a file: yes)"
        )
        % {
            "value": f"{value:g}",
            "code": ind.code,
            "low": "…" if low is None else f"{low:g}",
            "high": "…" if high is None else f"{high:g}",
        },
    )


def _ratio_problem(ind: Indicator, num: float | None, den: float | None) -> None:
    if num is None or den is None:
        raise RowError("numerator" if num is None else "denominator", _("a ratio needs a numerator and a denominator"))
    if num < 0 or den <= 0:
        raise RowError(
            "denominator" if den <= 0 else "numerator", _("numerator must be 0 or more and denominator more than 0")
        )
    if num > den and ind.unit == Indicator.Unit.PERCENTAGE:
        raise RowError(
            "numerator",
            _("the numerator (%(n)s) is larger than the denominator (%(d)s)") % {"n": f"{num:g}", "d": f"{den:g}"},
        )
