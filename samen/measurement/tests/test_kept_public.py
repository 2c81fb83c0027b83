"""A changed approved value keeps the last approved one public until the change is approved."""

import io

from samen.measurement.importer import import_measurements
from samen.measurement.models import Indicator, Measurement
from samen.measurement.selectors import indicator_view
from samen.measurement.services import measurement_record, measurements_approve, measurements_submit
from samen.measurement.validation import Catalogue


def _city(indicator):
    fresh = Indicator.objects.get(pk=indicator.pk)  # its data version says whether the cached figures hold
    return indicator_view(fresh).latest.figure.cell.numerator


def test_a_changed_value_leaves_the_approved_one_public_until_approved(visits, areas, coordinator):
    row = Catalogue().row(
        indicator="eld-visit-weekly", area="runkst", period_start="2015-01-01", period_end="2015-12-31",
        numerator=35, denominator=400,
    )  # fmt: skip
    measurement, outcome = measurement_record(row=row, actor=coordinator, organisation=None)
    assert outcome == "changed" and measurement.status == "draft"
    assert _city(visits) == 60  # still 30 + 3 + 27: the approved value, not the draft, not nothing
    measurements_submit(measurements=[measurement], actor=coordinator)
    assert _city(visits) == 60
    measurements_approve(measurements=[Measurement.objects.get(pk=measurement.pk)], actor=coordinator)
    assert _city(visits) == 65
    assert not Measurement.objects.get(pk=measurement.pk).kept


def test_an_import_that_changes_approved_values_keeps_them_public(visits, areas, coordinator):
    text = "indicator,area,period_start,period_end,numerator,denominator\n"
    text += "eld-visit-weekly,runkst,2015-01-01,2015-12-31,35,400\n"
    result = import_measurements(io.BytesIO(text.encode()), name="f.csv", actor=coordinator, commit=True)
    assert result.ok and result.changed == 1
    changed = Measurement.objects.get(area=areas["runkst"], dims="")
    assert changed.status == "submitted" and changed.kept and changed.kept_numerator == 30
    assert _city(visits) == 60
    measurements_approve(measurements=[changed], actor=coordinator)
    assert _city(visits) == 65
