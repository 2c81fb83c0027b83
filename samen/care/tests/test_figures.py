"""Care feeds the shared measurement with protected counts, and the challenge page shows them."""

import datetime

import pytest
from django.utils import timezone

from samen.care.figures import care_figures_publish, care_indicators_ensure
from samen.care.models import Signal
from samen.measurement.models import Measurement

pytestmark = pytest.mark.django_db


def test_signals_per_neighbourhood_and_three_numbers_go_to_the_measurement_as_counts(
    org, resident, make_resident, signal, areas
):
    make_resident(nearby_1="1", nearby_2="2", nearby_3="3")
    make_resident(birth_date=datetime.date(1990, 1, 1))  # not over 80
    care_indicators_ensure(steward=org)
    care_figures_publish(today=timezone.localdate())
    signals = Measurement.objects.get(indicator__code="care-signals")
    assert (signals.area, signals.value, signals.status) == (areas["runkst"], 1.0, "approved")
    three = Measurement.objects.get(indicator__code="care-three-numbers")
    assert (three.numerator, three.denominator) == (1.0, 2.0)
    assert care_figures_publish(today=timezone.localdate()) == 2  # the same rows again, unchanged


def test_the_public_indicator_page_suppresses_a_small_count(client, org, signal, areas):
    care_indicators_ensure(steward=org)
    care_figures_publish(today=timezone.localdate())
    rows = client.get("/en/indicators/care-signals/data.json").json()["rows"]
    assert rows and all(row["suppressed"] and row["value"] is None for row in rows)


def test_six_of_six_with_three_numbers_is_hidden_as_it_says_something_of_all(client, org, make_resident):
    for _ in range(6):
        make_resident(nearby_1="1", nearby_2="2", nearby_3="3")
    care_indicators_ensure(steward=org)
    care_figures_publish(today=timezone.localdate())
    three = Measurement.objects.get(indicator__code="care-three-numbers")
    assert (three.numerator, three.denominator) == (6.0, 6.0)
    rows = client.get("/en/indicators/care-three-numbers/data.json").json()["rows"]
    assert rows and all(row["suppressed"] and row["value"] is None for row in rows)


def test_nothing_of_care_is_in_the_public_api_but_the_indicators(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert not [p for p in schema["paths"] if "care" in p or "resident" in p or "signal" in p]


def test_no_figure_names_anyone(org, resident, signal):
    care_indicators_ensure(steward=org)
    care_figures_publish(today=timezone.localdate())
    dumped = " ".join(str(m.__dict__) for m in Measurement.objects.all())
    assert "Maria" not in dumped and Signal.objects.count() == 1


def test_a_worry_no_network_has_yet_is_not_counted_as_received(org, areas, signal):
    from samen.care import services

    services.signal_report(
        network=None, area=areas["kiewit"], source="public", observations=["mail"], urgency="low", about="x"
    )
    care_indicators_ensure(steward=org)
    care_figures_publish(today=timezone.localdate())
    counted = dict(Measurement.objects.filter(indicator__code="care-signals").values_list("area__code", "value"))
    assert counted == {"runkst": 1.0}
