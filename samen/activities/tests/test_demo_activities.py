"""The demo's activities: every action domain, the pilot of FACTS.md, open roles, matches; twice is once."""

import pytest
from django.core.management import call_command

from samen.activities.matching import roles_for_member
from samen.activities.models import Activity, PerformanceMeasure, Resource, Role, RoleSignup
from samen.agenda.models import ActionDomain
from samen.core.tests.demo_copy import load_demo
from samen.network.models import Member


def _counts():
    return [m.objects.count() for m in (Activity, Role, Resource, RoleSignup, PerformanceMeasure)]


@pytest.mark.django_db
def test_the_demo_has_activities_in_every_domain_and_a_second_run_changes_nothing(capsys):
    load_demo()
    first = _counts()
    call_command("demo")
    assert _counts() == first
    for domain in ActionDomain.objects.all():
        assert domain.activities.filter(is_published=True).exists(), domain.slug
    pilot = Activity.objects.get(slug="een-lokaal-net-werkt")
    assert pilot.title == "Een lokaal net werkt!"
    assert [a.code for a in pilot.areas.all()] == ["sint-hubertuswijk"]
    assert pilot.roles.count() >= 2
    assert pilot.performance_measures.filter(indicator__code="three-numbers").exists()
    mila = Member.objects.get(user__email="member@demo.samen.invalid")
    matches = roles_for_member(mila)
    assert matches and matches[0].role.activity.slug in ("een-lokaal-net-werkt", "telefooncirkel-runkst")
