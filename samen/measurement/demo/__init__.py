"""Indicators of the Hasselt demo with series up to today, fed through the same import as partners use.

Facts from the public record keep their dates: 5,070 residents over 80 on 1 January 2017 (6.6%),
and from the 2015 survey of people over 84: almost 6% get a visit less than once a week, 1.2%
never, 2.6% can reach nobody in an emergency. Everything after those is generated, plausibly."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from pathlib import Path
from typing import Any

from django.db.models import F

from samen.agenda.models import Goal
from samen.measurement.demo import challenges as demo_challenges
from samen.measurement.importer import import_measurements
from samen.measurement.models import Dimension, DimensionValue, Indicator, Measurement, Target
from samen.measurement.periods import period_for
from samen.measurement.selectors import indicator_view
from samen.measurement.services import indicator_save, measurements_approve
from samen.network.models import Area, Organisation, User

DIMENSIONS = {
    "sex": ("Geslacht", "Sex", [("f", "vrouw", "women"), ("m", "man", "men")]),
    "age-band": (
        "Leeftijdsgroep",
        "Age band",
        [
            ("18-64", "18–64 jaar", "18–64 years"),
            ("65-79", "65–79 jaar", "65–79 years"),
            ("80+", "80 jaar en ouder", "80 years and over"),
        ],
    ),
}

# Each indicator and how its series grows, in data/indicators.json: fields by name, and under "series"
# the few numbers (first value, growth, spread, survey size) its values are drawn from.
DATA = Path(__file__).parent / "data"
INDICATORS: dict[str, dict[str, Any]] = {
    spec["code"]: spec for spec in json.loads((DATA / "indicators.json").read_text(encoding="utf-8"))
}
SURVEY_YEARS = [2015, 2019, 2021, 2023, 2025]
# The surveys asked people over 84: their rates become people with the population over 84 of the same year.
POPULATIONS = dict.fromkeys(("eld-visit-weekly", "eld-never-visited", "eld-no-emergency-contact"), "res-85plus")


def load(*, today: datetime.date) -> str:
    dimensions = _dimensions()
    coordinator = User.objects.filter(email="coordinator@demo.samen.invalid").first()
    indicators = [_indicator(code, spec, dimensions) for code, spec in INDICATORS.items()]
    rng = random.Random(2017)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "indicator",
            "area",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "dim:sex",
            "dim:age-band",
        ]
    )
    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT).prefetch_related("population").order_by("code"))
    for indicator in indicators:
        for row in _series(indicator, districts, rng, today):
            writer.writerow(row)
    data = io.BytesIO(buffer.getvalue().encode())
    result = import_measurements(data, name="hasselt-demo.csv", actor=coordinator, commit=True)
    if not result.ok:
        raise RuntimeError(f"the demo data does not import: {result.problems[:3]}")
    submitted = Measurement.objects.filter(
        indicator__in=indicators, status=Measurement.Status.SUBMITTED
    ).select_related("indicator")
    if coordinator is not None:
        measurements_approve(measurements=list(submitted), actor=coordinator)
    for indicator in indicators:
        if INDICATORS[indicator.code]["baseline"] is not None:
            _baseline_is_first_value(indicator)
    linked = demo_challenges.load(today=today)
    return f"measurement: {len(indicators)} indicators, {result.rows} values ({result.new} new); {linked}"


def _baseline_is_first_value(indicator: Indicator) -> None:
    """The baseline is the indicator's first value for the whole area, as the public pages show it."""
    series = indicator_view(indicator, small_counts=True).series
    first = next((p for p in series if p.figure.cell is not None), None)
    if first is None:
        return
    value = round(first.figure.cell.value, 1 if indicator.is_ratio else 0)
    if (indicator.baseline_date, indicator.baseline_value) != (first.end, value):
        indicator.baseline_date, indicator.baseline_value = first.end, value
        # A new data version: the cached view, computed with the old baseline, is not used again.
        Indicator.objects.filter(pk=indicator.pk).update(
            baseline_date=first.end, baseline_value=value, data_version=F("data_version") + 1
        )


def _dimensions() -> dict[str, Dimension]:
    found = {}
    for slug, (nl, en, values) in DIMENSIONS.items():
        dimension, _created = Dimension.objects.update_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})
        for order, (value, value_nl, value_en) in enumerate(values):
            DimensionValue.objects.update_or_create(
                dimension=dimension, slug=value, defaults={"name_nl": value_nl, "name_en": value_en, "order": order}
            )
        found[slug] = dimension
    return found


def _indicator(code: str, spec: dict[str, Any], dimensions: dict[str, Dimension]) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        indicator = Indicator(code=code)
        for field in (
            *("name_nl", "name_en", "definition_nl", "definition_en", "unit", "kind", "direction", "level"),
            *("cumulative", "frequency", "population_band"),
        ):
            setattr(indicator, field, spec[field])
        indicator.steward = Organisation.objects.get(slug=spec["steward"])
        indicator.data_source = "Hasselt Zorgstad (demo)"
        if code in POPULATIONS:
            indicator.population_indicator = Indicator.objects.get(code=POPULATIONS[code])
            indicator.population_group_nl, indicator.population_group_en = "84-plussers", "people over 84"
            indicator.people_sentence_nl = (
                "{numerator} van de {denominator} bevraagde {group}; ongeveer {people} van de {population} "
                "{group} in {area} in {period}"
            )
            indicator.people_sentence_en = (
                "{numerator} of the {denominator} {group} we asked; about {people} of the {population} "
                "{group} in {area} in {period}"
            )
        if spec["baseline"]:
            indicator.baseline_date = datetime.date.fromisoformat(spec["baseline"]["date"])
            indicator.baseline_value = spec["baseline"]["value"]
        indicator_save(indicator=indicator, actor=None, note="demo", valid_from=datetime.date(2015, 1, 1))
        indicator.goals.set(Goal.objects.filter(slug=spec["goal"]))
        indicator.dimensions.set([dimensions[d] for d in spec["dimensions"]])
        for target in spec["targets"]:
            Target.objects.create(
                indicator=indicator, date=datetime.date.fromisoformat(target["date"]), value=target["value"]
            )
    return indicator


def _series(indicator: Indicator, districts: list[Area], rng: random.Random, today: datetime.date):
    """The indicator's rows up to its last complete period. Drawn, not tabulated: the series runs up to
    today, so its length changes with the day the demo is loaded; only its few numbers are data."""
    last_complete = period_for(indicator.frequency, today)[0] - datetime.timedelta(days=1)
    spec = INDICATORS[indicator.code]["series"]
    draw = {"population": _population, "survey-over-84": _survey, "quarterly-total": _quarterly_total}
    yield from draw.get(spec["kind"], _trend)(indicator, spec, districts, rng, last_complete)


def _row(code: str, area: str, start: Any, end: Any, value: Any = "", numerator: Any = "", denominator: Any = ""):
    return [code, area, str(start), str(end), value, numerator, denominator, "", ""]


def _first(district: Area, band: str) -> int:
    """The district's residents in an age band, on the first reference date it has."""
    return next(p.count for p in district.population.all() if p.age_band == band)


def _bands(district: Area, bands: tuple[str, ...]) -> int:
    return sum(p.count for p in district.population.all() if p.age_band in bands)


def _population(indicator: Indicator, spec: dict, districts: list[Area], rng: random.Random, last: datetime.date):
    """Residents of an age band per district, growing a little each year."""
    for district in districts:
        base = _first(district, spec["age_band"])
        for year in range(spec["from"], last.year + 1):
            value = base * spec["share"] * spec["growth"] ** (year - spec["from"])
            if spec["noise"]:
                value += rng.randint(-spec["noise"], spec["noise"])
            yield _row(indicator.code, district.code, f"{year}-01-01", f"{year}-12-31", round(value))


def _survey(indicator: Indicator, spec: dict, districts: list[Area], rng: random.Random, last: datetime.date):
    """A survey of a quarter of the people over 80 in each district, in the survey years; the rate
    falls 9 % of its first value each round."""
    for n, year in enumerate(y for y in SURVEY_YEARS if y <= last.year):
        share = spec["first_rate"] * (1 - 0.09 * n) / 100
        rows = []
        for district in districts:
            asked = max(4, round(_first(district, "80+") * 0.25))
            said = round(asked * share * rng.uniform(0.7, 1.3))
            rows.append(_row(indicator.code, district.code, f"{year}-01-01", f"{year}-12-31", "", said, asked))
        yield from rows
        for dimension, parts in spec.get("breakdown", {}).items():
            yield from _breakdown(indicator.code, year, rows, dimension, [tuple(part) for part in parts])


def _quarterly_total(indicator: Indicator, spec: dict, districts: list[Area], rng: random.Random, last: datetime.date):
    """A running total per quarter, up to a ceiling."""
    total, day = 0, datetime.date.fromisoformat(spec["from"])
    while day <= last:
        start, end = period_for("quarterly", day)
        total = min(spec["cap"], total + rng.randint(*spec["step"]))
        yield _row(indicator.code, spec["area"], start.isoformat(), end.isoformat(), total)
        day = end + datetime.timedelta(days=1)


def _trend(indicator: Indicator, spec: dict, districts: list[Area], rng: random.Random, last: datetime.date):
    """A steady trend with some spread: a survey of 2 % of the adults per district for a ratio (with its
    breakdowns), one city-wide value otherwise."""
    first, level, step = spec["from"], spec["level"], spec["step"]
    for year in range(first, last.year + 1, spec["every"]):
        level_now = level + step * (year - first) + rng.uniform(-step / 2, step / 2)
        if not indicator.is_ratio:
            yield _row(indicator.code, "", f"{year}-01-01", f"{year}-12-31", round(level_now))
            continue
        rows = []
        for district in districts:
            asked = max(6, round(_bands(district, ("18-64", "65-79", "80+")) * 0.02))
            said = min(asked, round(asked * level_now / 100 * rng.uniform(0.9, 1.1)))
            rows.append(_row(indicator.code, district.code, f"{year}-01-01", f"{year}-12-31", "", said, asked))
        yield from rows
        for dim in indicator.dimensions.all():
            values = list(dim.values.all())
            parts = [(v.slug, 1 / len(values), rng.uniform(0.8, 1.2)) for v in values]
            yield from _breakdown(indicator.code, year, rows, dim.slug, parts)


def _breakdown(code: str, year: int, rows: list[list], dimension: str, parts: list[tuple[str, float, float]]):
    """Rows splitting the whole (the sum of `rows`) by one dimension: (value, share asked, relative rate) each.

    The numerators and the denominators of the parts add up exactly to those of the whole."""
    numerator, denominator = sum(r[5] for r in rows), sum(r[6] for r in rows)
    asked = [round(denominator * share) for _slug, share, _rate in parts[:-1]]
    asked.append(denominator - sum(asked))
    weights = [a * rate for a, (_slug, _share, rate) in zip(asked, parts, strict=True)]
    said = [min(a, round(numerator * w / sum(weights))) for a, w in zip(asked[:-1], weights[:-1], strict=True)]
    said.append(numerator - sum(said))
    column = 7 if dimension == "sex" else 8
    for (slug, _share, _rate), n, d in zip(parts, said, asked, strict=True):
        row = [code, "", f"{year}-01-01", f"{year}-12-31", "", n, d, "", ""]
        row[column] = slug
        yield row
