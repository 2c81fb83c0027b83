"""Plain functions that make a small measurement world; the fixtures in `fixtures.py` call them per
test, `shared_data` fixtures once per module."""

import datetime

from samen.core.tests.factories import make_domain
from samen.measurement.models import Dimension, DimensionValue, Indicator, Measurement, Target
from samen.measurement.services import indicator_save
from samen.network.models import Area, AreaPopulation
from samen.network.services import area_save


def make_areas() -> dict[str, Area]:
    """A city with two districts and three neighbourhoods, by code."""
    city = area_save(area=Area(code="hasselt", name="Hasselt", kind="city"))
    centrum = area_save(area=Area(code="centrum", name="Centrum", kind="district", parent=city))
    kermt = area_save(area=Area(code="kermt", name="Kermt", kind="district", parent=city))
    found = {"hasselt": city, "centrum": centrum, "kermt": kermt}
    for code, parent in (("runkst", centrum), ("kiewit", centrum), ("terhilst", kermt)):
        found[code] = area_save(area=Area(code=code, name=code.title(), kind="neighbourhood", parent=parent))
    AreaPopulation.objects.create(area=city, age_band="80+", reference_date=datetime.date(2015, 1, 1), count=5070)
    return found


def make_sex() -> Dimension:
    dimension = Dimension.objects.create(slug="sex", name_nl="Geslacht", name_en="Sex")
    for order, (slug, nl, en) in enumerate((("f", "vrouw", "women"), ("m", "man", "men"))):
        DimensionValue.objects.create(dimension=dimension, slug=slug, name_nl=nl, name_en=en, order=order)
    return dimension


def make_indicator(code="eld-visit-weekly", *, steward, **fields) -> Indicator:
    indicator = Indicator(
        code=code,
        name_nl=fields.pop("name_nl", "84-plussers met weinig bezoek"),
        name_en=fields.pop("name_en", "People over 84 visited less than once a week"),
        definition_nl="Aandeel 84-plussers met minder dan wekelijks bezoek.",
        definition_en="Share of people over 84 visited less than once a week.",
        unit=fields.pop("unit", "percentage"),
        kind=fields.pop("kind", "ratio"),
        direction=fields.pop("direction", "down"),
        frequency=fields.pop("frequency", "yearly"),
        steward=steward,
        **fields,
    )
    return indicator_save(indicator=indicator, actor=None, valid_from=datetime.date(2015, 1, 1))


def put(indicator, year, area=None, *, value=None, num=None, den=None, dims="", status="approved") -> Measurement:
    """Store an approved value directly (the approval flow has its own tests)."""
    scale = indicator.scale
    return Measurement.objects.create(
        indicator=indicator,
        area=area,
        area_key=area.pk if area else 0,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        dims=dims,
        value=value if value is not None else (num / den * scale if den else None),
        numerator=num,
        denominator=den,
        status=status,
    )


def make_visits(*, steward, areas: dict[str, Area], sex: Dimension, goal) -> Indicator:
    """The 2015 survey: 6% of people over 84 got a visit less than once a week."""
    indicator = make_indicator(
        steward=steward, baseline_value=5.9, baseline_date=datetime.date(2015, 12, 31), population_band="80+"
    )
    indicator.dimensions.set([sex])
    indicator.goals.set([goal])
    Target.objects.create(indicator=indicator, value=3.0, date=datetime.date(2027, 12, 31))
    put(indicator, 2015, areas["runkst"], num=30, den=400)
    put(indicator, 2015, areas["kiewit"], num=3, den=60)  # small: hidden
    put(indicator, 2015, areas["terhilst"], num=27, den=540)
    put(indicator, 2015, num=40, den=600, dims="sex=f")
    put(indicator, 2015, num=20, den=400, dims="sex=m")
    return indicator


def make_domain_with_goal():
    from samen.agenda.models import Goal

    domain = make_domain("zorgzame-buurten", name_nl="Zorgzame buurten", name_en="Caring neighbourhoods")
    return Goal.objects.create(
        domain=domain,
        slug="een-lokaal-net-werkt",
        title_nl="Een lokaal net werkt",
        title_en="A local net works",
        target_nl="Drie nummers.",
        target_en="Three numbers.",
        deadline=datetime.date(2025, 12, 31),
    )
