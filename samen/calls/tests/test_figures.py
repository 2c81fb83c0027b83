"""Call campaigns feed the shared measurement with protected counts, never a name."""

import pytest
from django.utils import timezone

from samen.calls import services
from samen.calls.figures import call_figures_publish, call_indicators_ensure
from samen.measurement.models import Measurement

pytestmark = pytest.mark.django_db


def test_reached_and_needs_per_neighbourhood_go_to_the_measurement(
    org, campaign, many_residents, care_coordinator, caller, areas, client
):
    many_residents(6)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    entries = list(services.batch_reserve(campaign=campaign, actor=caller).entries.order_by("position"))
    services.attempt_record(entry=entries[0], actor=caller, outcome="need", needs=["shopping"])
    services.attempt_record(entry=entries[1], actor=caller, outcome="reached")
    services.attempt_record(entry=entries[2], actor=caller, outcome="no-answer")
    call_indicators_ensure(steward=org)
    assert call_figures_publish(today=timezone.localdate()) == 4  # two neighbourhoods, two indicators
    reached = {
        m.area.code: (m.numerator, m.denominator) for m in Measurement.objects.filter(indicator__code="calls-reached")
    }
    assert sum(n for n, _d in reached.values()) == 2 and sum(d for _n, d in reached.values()) == 6
    needs = sum(m.value for m in Measurement.objects.filter(indicator__code="calls-needs"))
    assert needs == 1
    assert call_figures_publish(today=timezone.localdate()) == 4  # the same rows again
    dumped = " ".join(str(m.__dict__) for m in Measurement.objects.all())
    assert "Persoon" not in dumped
    rows = client.get("/en/indicators/calls-reached/data.json").json()["rows"]
    assert rows and all(row["suppressed"] for row in rows)  # counts under 5 stay hidden in public
