"""Indicators of the Hasselt demo with series up to today, fed through the same import as partners use.

Facts from the public record keep their dates: 5,070 residents over 80 on 1 January 2017 (6.6%),
and from the 2015 survey of people over 84: almost 6% get a visit less than once a week, 1.2%
never, 2.6% can reach nobody in an emergency. Everything after those is generated, plausibly."""

from __future__ import annotations

import csv
import datetime
import io
import random

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

# code: (name nl, name en, definition nl, definition en, unit, kind, direction, level, cumulative, frequency,
#        steward, goal, population band, (baseline date, value), [(target date, value)], dimensions)
INDICATORS = {
    "res-80plus": (
        "Inwoners van 80 jaar en ouder",
        "Residents aged 80 and over",
        "Aantal inwoners van 80 jaar of ouder op 1 januari, volgens het bevolkingsregister.",
        "Number of residents aged 80 or over on 1 January, from the population register.",
        "count",
        "value",
        "up",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "een-lokaal-net-werkt",
        "",
        None,
        [],
        [],
    ),
    "res-85plus": (
        "Inwoners ouder dan 84",
        "Residents over 84",
        "Aantal inwoners van 85 jaar of ouder op 1 januari, volgens het bevolkingsregister.",
        "Number of residents aged 85 or over on 1 January, from the population register.",
        "count",
        "value",
        "up",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "een-lokaal-net-werkt",
        "",
        None,
        [],
        [],
    ),
    "eld-visit-weekly": (
        "84-plussers met minder dan wekelijks bezoek",
        "People over 84 visited less than once a week",
        "Aandeel van de bevraagde 84-plussers dat minder dan één keer per week bezoek krijgt.",
        "Share of surveyed people over 84 who get a visit less than once a week.",
        "percentage",
        "ratio",
        "down",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "een-lokaal-net-werkt",
        "",
        ("2015-12-31", 5.9),
        [("2027-12-31", 3.0)],
        ["sex"],
    ),
    "eld-never-visited": (
        "84-plussers die nooit bezoek krijgen",
        "People over 84 who never get a visit",
        "Aandeel van de bevraagde 84-plussers dat nooit bezoek krijgt.",
        "Share of surveyed people over 84 who never get a visit.",
        "percentage",
        "ratio",
        "down",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "een-lokaal-net-werkt",
        "",
        ("2015-12-31", 1.2),
        [("2027-12-31", 0.5)],
        [],
    ),
    "eld-no-emergency-contact": (
        "84-plussers die in nood niemand kunnen bereiken",
        "People over 84 who can reach nobody in an emergency",
        "Aandeel van de bevraagde 84-plussers dat in een noodgeval niemand kan bereiken.",
        "Share of surveyed people over 84 who can reach nobody in an emergency.",
        "percentage",
        "ratio",
        "down",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "een-lokaal-net-werkt",
        "",
        ("2015-12-31", 2.6),
        [("2025-12-31", 1.0)],
        [],
    ),
    "three-numbers": (
        "80-plussers met drie telefoonnummers in de buurt",
        "People over 80 with three phone numbers nearby",
        "Aantal thuiswonende 80-plussers in de pilootwijk dat drie telefoonnummers van mensen in de buurt heeft (lopend totaal).",
        "Number of people over 80 living at home in the pilot neighbourhood who have three phone numbers of people nearby (running total).",
        "count",
        "value",
        "up",
        "performance",
        True,
        "quarterly",
        "buurtwerk-sint-hubertus",
        "een-lokaal-net-werkt",
        "",
        ("2018-03-31", 0),
        [("2025-12-31", 180)],
        [],
    ),
    "health-info-understood": (
        "Begrijpt informatie over de eigen gezondheid",
        "Understands information about their own health",
        "Aandeel van de bevraagde inwoners dat zegt informatie over de eigen gezondheid en behandeling goed te begrijpen.",
        "Share of surveyed residents who say they understand information about their health and treatment well.",
        "percentage",
        "ratio",
        "up",
        "population",
        False,
        "yearly",
        "hogeschool-pxl",
        "gezondheidsinformatie-begrijpen",
        "",
        ("2018-12-31", 61.0),
        [("2025-12-31", 75.0)],
        ["age-band"],
    ),
    "active-30-minutes": (
        "Volwassenen die dagelijks 30 minuten bewegen",
        "Adults active for 30 minutes a day",
        "Aandeel van de bevraagde volwassenen dat elke dag minstens 30 minuten beweegt.",
        "Share of surveyed adults who are physically active for at least 30 minutes every day.",
        "percentage",
        "ratio",
        "up",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "dagelijks-bewegen",
        "18-64",
        ("2017-12-31", 44.0),
        [("2025-12-31", 60.0)],
        ["sex"],
    ),
    "green-400m": (
        "Inwoners met groen op wandelafstand",
        "Residents with green space within walking distance",
        "Aandeel van de inwoners dat binnen 400 meter van een vrij toegankelijke groene ruimte woont.",
        "Share of residents living within 400 metres of a freely accessible green space.",
        "percentage",
        "ratio",
        "up",
        "population",
        False,
        "yearly",
        "stad-hasselt",
        "groen-op-wandelafstand",
        "",
        ("2018-12-31", 71.0),
        [("2027-06-30", 100.0)],
        [],
    ),
    "care-map-services": (
        "Zorg- en welzijnsdiensten op de zorgkaart",
        "Care and welfare services on the care map",
        "Aantal zorg- en welzijnsdiensten met een actuele fiche op de publieke zorgkaart (lopend totaal).",
        "Number of care and welfare services with an up-to-date entry on the public care map (running total).",
        "count",
        "value",
        "up",
        "performance",
        True,
        "quarterly",
        "eerstelijnszone-demerland",
        "zorgaanbod-in-kaart",
        "",
        ("2018-12-31", 0),
        [("2019-12-31", 240)],
        [],
    ),
    "informal-carers-supported": (
        "Ondersteunde mantelzorgers",
        "Informal carers supported",
        "Aantal mantelzorgers dat in het jaar ondersteuning kreeg van een partner (vorming, respijt of advies).",
        "Number of informal carers who got support from a partner in the year (training, respite or advice).",
        "count",
        "value",
        "up",
        "performance",
        False,
        "yearly",
        "mantelzorgpunt-hasselt",
        "mantelzorgers-ondersteund",
        "",
        ("2018-12-31", 310),
        [("2023-12-31", 900)],
        [],
    ),
    "aed-registered": (
        "Geregistreerde AED-toestellen",
        "Registered AED devices",
        "Aantal publiek toegankelijke AED-toestellen die geregistreerd zijn (lopend totaal).",
        "Number of publicly accessible AED devices that are registered (running total).",
        "count",
        "value",
        "up",
        "performance",
        True,
        "yearly",
        "brandweerpost-hasselt-zuid",
        "hartveilige-stad",
        "",
        ("2018-12-31", 64),
        [("2025-12-31", 160)],
        [],
    ),
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
        if INDICATORS[indicator.code][13] is not None:
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


def _indicator(code: str, spec: tuple, dimensions: dict[str, Dimension]) -> Indicator:
    (
        name_nl,
        name_en,
        def_nl,
        def_en,
        unit,
        kind,
        direction,
        level,
        cumulative,
        frequency,
        steward,
        goal,
        band,
        baseline,
        targets,
        dims,
    ) = spec
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        indicator = Indicator(code=code)
        indicator.name_nl, indicator.name_en, indicator.definition_nl, indicator.definition_en = (
            name_nl,
            name_en,
            def_nl,
            def_en,
        )
        indicator.unit, indicator.kind, indicator.direction, indicator.level = unit, kind, direction, level
        indicator.cumulative, indicator.frequency, indicator.population_band = cumulative, frequency, band
        indicator.steward = Organisation.objects.get(slug=steward)
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
        if baseline:
            indicator.baseline_date, indicator.baseline_value = datetime.date.fromisoformat(baseline[0]), baseline[1]
        indicator_save(indicator=indicator, actor=None, note="demo", valid_from=datetime.date(2015, 1, 1))
        indicator.goals.set(Goal.objects.filter(slug=goal))
        indicator.dimensions.set([dimensions[d] for d in dims])
        for day, value in targets:
            Target.objects.create(indicator=indicator, date=datetime.date.fromisoformat(day), value=value)
    return indicator


def _series(indicator: Indicator, districts: list[Area], rng: random.Random, today: datetime.date):
    last_complete = period_for(indicator.frequency, today)[0] - datetime.timedelta(days=1)
    code = indicator.code
    if code == "res-80plus":
        for district in districts:
            base = next(p.count for p in district.population.all() if p.age_band == "80+")
            for year in range(2017, last_complete.year + 1):
                yield [
                    code,
                    district.code,
                    f"{year}-01-01",
                    f"{year}-12-31",
                    round(base * 1.018 ** (year - 2017) + rng.randint(-3, 3)),
                    "",
                    "",
                    "",
                    "",
                ]
    elif code == "res-85plus":
        for district in districts:
            base = next(p.count for p in district.population.all() if p.age_band == "80+")
            for year in range(2015, last_complete.year + 1):
                people = round(base * 0.3 * 1.02 ** (year - 2015))
                yield [code, district.code, f"{year}-01-01", f"{year}-12-31", people, "", "", "", ""]
    elif code.startswith("eld-"):
        start = {"eld-visit-weekly": 5.9, "eld-never-visited": 1.2, "eld-no-emergency-contact": 2.6}[code]
        for n, year in enumerate(y for y in SURVEY_YEARS if y <= last_complete.year):
            share = start * (1 - 0.09 * n) / 100
            rows = []
            for district in districts:
                elderly = next(p.count for p in district.population.all() if p.age_band == "80+")
                asked = max(4, round(elderly * 0.25))
                rows.append(
                    [
                        code,
                        district.code,
                        f"{year}-01-01",
                        f"{year}-12-31",
                        "",
                        round(asked * share * rng.uniform(0.7, 1.3)),
                        asked,
                        "",
                        "",
                    ]
                )
            yield from rows
            if code == "eld-visit-weekly":
                # Women were asked more often and report it more often; the parts add up to the whole.
                yield from _breakdown(code, year, rows, "sex", [("f", 0.62, 1.15), ("m", 0.38, 0.8)])
    elif code in ("three-numbers", "care-map-services"):
        first = datetime.date(2018, 4, 1) if code == "three-numbers" else datetime.date(2019, 1, 1)
        total, cap = 0, (190 if code == "three-numbers" else 260)
        day = first
        while day <= last_complete:
            start, end = period_for("quarterly", day)
            total = min(cap, total + rng.randint(4, 11) if code == "three-numbers" else total + rng.randint(12, 30))
            area = "sint-hubertuswijk" if code == "three-numbers" else ""
            yield [code, area, start.isoformat(), end.isoformat(), total, "", "", "", ""]
            day = end + datetime.timedelta(days=1)
    else:
        spec = {
            "health-info-understood": (2018, 61.0, 2.0, 3),
            "active-30-minutes": (2017, 44.0, 1.6, 1),
            "green-400m": (2018, 71.0, 2.9, 1),
            "informal-carers-supported": (2018, 310, 95, 1),
            "aed-registered": (2018, 64, 14, 1),
        }[code]
        first, level, step, every = spec
        for year in range(first, last_complete.year + 1, every):
            level_now = level + step * (year - first) + rng.uniform(-step / 2, step / 2)
            if indicator.is_ratio:
                rows = []
                for district in districts:
                    people = sum(p.count for p in district.population.all() if p.age_band in ("18-64", "65-79", "80+"))
                    asked = max(6, round(people * 0.02))
                    rows.append(
                        [
                            code,
                            district.code,
                            f"{year}-01-01",
                            f"{year}-12-31",
                            "",
                            min(asked, round(asked * level_now / 100 * rng.uniform(0.9, 1.1))),
                            asked,
                            "",
                            "",
                        ]
                    )
                yield from rows
                for dim in indicator.dimensions.all():
                    values = list(dim.values.all())
                    parts = [(v.slug, 1 / len(values), rng.uniform(0.8, 1.2)) for v in values]
                    yield from _breakdown(code, year, rows, dim.slug, parts)
            else:
                yield [code, "", f"{year}-01-01", f"{year}-12-31", round(level_now), "", "", "", ""]


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
