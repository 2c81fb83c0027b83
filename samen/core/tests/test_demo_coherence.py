"""The demo tells one coherent story: every rule checked over the whole loaded demo (issue 11)."""

import math
from collections import defaultdict

import pytest

from samen.core.tests.demo_copy import load_demo
from samen.core.tests.shared import shared_data
from samen.measurement.models import Indicator, Measurement
from samen.measurement.selectors import indicator_view
from samen.network.models import Area, AreaPopulation, Organisation


@shared_data
def demo():
    load_demo()


pytestmark = pytest.mark.django_db


def test_an_area_holds_the_sum_of_its_parts(demo):
    counts = {(p.area_id, p.reference_date, p.age_band): p.count for p in AreaPopulation.objects.all()}
    children = defaultdict(list)
    for area in Area.objects.exclude(parent=None):
        children[area.parent_id].append(area.pk)
    wrong = []
    for (area, date, band), count in counts.items():
        parts = children.get(area)
        if not parts:
            continue
        total = sum(counts.get((c, date, band), 0) for c in parts)
        if total != count:
            wrong.append((Area.objects.get(pk=area).code, band, count, total))
    assert children and not wrong


def test_breakdowns_add_up_to_the_total(demo):
    cells = defaultdict(lambda: [0.0, 0.0, 0.0])
    for m in Measurement.objects.filter(status=Measurement.Status.APPROVED):
        for dim in [d.split("=")[0] for d in m.dims.split(";") if d] or [""]:
            key = (m.indicator_id, m.period_start, dim)
            cells[key][0] += m.value or 0
            cells[key][1] += m.numerator or 0
            cells[key][2] += m.denominator or 0
    checked, wrong = 0, []
    for (indicator, start, dim), sums in cells.items():
        if not dim:
            continue
        checked += 1
        total = cells[(indicator, start, "")]
        compared = slice(1, 3) if total[2] else slice(0, 1)  # a ratio's parts add up in numerator and denominator
        if not all(math.isclose(a, b) for a, b in zip(sums[compared], total[compared], strict=True)):
            wrong.append((Indicator.objects.get(pk=indicator).code, start, dim, sums, cells[(indicator, start, "")]))
    assert checked and not wrong


def test_an_indicators_baseline_is_its_first_value(demo):
    checked = 0
    for indicator in Indicator.objects.exclude(baseline_value=None):
        first = indicator_view(indicator, small_counts=True).series[0]
        assert (indicator.code, indicator.baseline_date) == (indicator.code, first.end)
        assert indicator.baseline_value == pytest.approx(first.figure.cell.value, abs=0.05), indicator.code
        checked += 1
    assert checked >= 5


def test_partners_read_like_real_organisations_marked_invented_once(demo, client):
    invented = Organisation.objects.filter(is_fictional=True)
    assert invented.count() >= 20
    for org in invented:
        assert "demo" not in org.name.lower(), org.name
        for text in (org.description_nl, org.description_en):
            assert not text.lower().startswith(("fictie", "fictional")), text
    listing = client.get("/en/partners/").content.decode()
    assert '<span class="badge">demo</span>' not in listing
    assert listing.count("invented") == 1  # once, in the footer
    page = client.get(f"/en/partners/{invented.first().slug}/").content.decode()
    assert "invented organisation" in page


def test_the_demo_writes_trekker_not_backbone_in_dutch(demo):
    """Dutch says "trekker"; the demo's English text and slugs may say backbone, its Dutch text may not."""
    from django.apps import apps
    from django.db import models

    found = []
    labels = ("network", "agenda", "measurement", "activities", "backbone", "care", "communication")
    for model in [model for label in labels for model in apps.get_app_config(label).get_models()]:
        for field in model._meta.concrete_fields:
            names = {f.name for f in model._meta.concrete_fields}
            # Only Dutch or untranslated text: not the English column, nor a translated field's current language.
            english = field.name.endswith("_en") or f"{field.name}_nl" in names or field.name in ("slug", "email")
            if english or field.choices or not isinstance(field, (models.CharField, models.TextField)):
                continue
            # In Python, not with icontains: care's fields are encrypted at rest.
            for pk, text in model.objects.values_list("pk", field.name):
                if isinstance(text, str) and "backbone" in text.lower():
                    found.append(f"{model._meta.label}.{field.name} #{pk}: {text[:80]}")
    assert not found, "\n".join(found)
