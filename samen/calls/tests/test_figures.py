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


def test_a_site_without_the_demo_gets_the_call_indicators_with_its_first_campaign(
    org, make_campaign, many_residents, care_coordinator, caller
):
    """No manual step: the first campaign brings the indicators, stewarded by the backbone."""
    from samen.core.tests.factories import make_org
    from samen.measurement.models import Indicator
    from samen.network.models import Organisation

    backbone = make_org("zorgstad-backbone", name="Backbone")
    Organisation.objects.filter(pk=backbone.pk).update(role=Organisation.Role.BACKBONE)
    assert not Indicator.objects.filter(code__startswith="calls-").exists()
    campaign = make_campaign()
    made = Indicator.objects.filter(code__startswith="calls-").order_by("code")
    assert [(i.code, i.steward_id) for i in made] == [("calls-needs", backbone.pk), ("calls-reached", backbone.pk)]
    make_campaign(name="Tweede ronde")  # a second campaign makes nothing new
    assert Indicator.objects.filter(code__startswith="calls-").count() == 2
    many_residents(3)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    assert call_figures_publish(today=timezone.localdate()) > 0


def test_a_campaign_created_before_any_steward_exists_gets_its_indicators_from_the_periodic_job(
    make_campaign, many_residents, care_coordinator
):
    from samen.calls.tasks import publish_call_figures
    from samen.core.tests.factories import make_org
    from samen.measurement.models import Indicator
    from samen.network.models import Organisation

    assert not Organisation.objects.exclude(role=Organisation.Role.PARTNER).exists()  # partners only
    campaign = make_campaign()
    assert not Indicator.objects.filter(code__startswith="calls-").exists()
    many_residents(3)
    services.pool_build(campaign=campaign, actor=care_coordinator)
    backbone = make_org("zorgstad-backbone", name="Backbone")
    Organisation.objects.filter(pk=backbone.pk).update(role=Organisation.Role.BACKBONE)
    publish_call_figures()
    assert Indicator.objects.filter(code__startswith="calls-", steward=backbone).count() == 2
    assert Measurement.objects.filter(indicator__code="calls-reached").exists()


def test_two_first_campaigns_at_once_both_get_the_indicators(org, monkeypatch):
    """Another process made the indicators between this one's look and its insert: no error."""
    from samen.calls import figures
    from samen.measurement.models import Indicator

    made = call_indicators_ensure(steward=org)
    real, seen = figures._found, set()

    def slower_look(code):
        """First look: nothing yet (the other process had not inserted); the re-read finds it."""
        if code in seen:
            return real(code)
        seen.add(code)
        return None

    monkeypatch.setattr(figures, "_found", slower_look)
    again = call_indicators_ensure(steward=org)
    assert sorted(i.pk for i in again) == sorted(i.pk for i in made)
    assert Indicator.objects.filter(code__startswith="calls-").count() == 2
