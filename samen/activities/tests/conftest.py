"""Fixtures of the activities tests: activities with roles, in the small measurement world."""

import pytest

from samen.activities.tests import factories
from samen.activities.tests.events.fixtures import campaign, event, make_event  # noqa: F401  (campaigns and events)


@pytest.fixture
def make_activity(db, org, domain_with_goal):
    def make(title=None, lead=None, **fields):
        return factories.make_activity(title, lead=lead or org, goal=domain_with_goal, **fields)

    return make


@pytest.fixture
def skill(db):
    from samen.network.models import Skill

    return Skill.objects.create(
        slug="listening-visiting", name_nl="Luisteren en bezoeken", name_en="Listening and visiting"
    )


@pytest.fixture
def make_role(db):
    return factories.make_role


@pytest.fixture
def activity(make_activity, areas):
    return make_activity("Een lokaal net werkt!", slug="een-lokaal-net-werkt", areas=[areas["runkst"]])


@pytest.fixture
def role(make_role, activity, skill):
    return make_role(activity, "Buurtbezoeker", places=2, skill=skill, availability="weekday-daytime")


@pytest.fixture
def fitting_member(make_user, areas, skill, domain_with_goal):
    """A member who lives in Runkst, cares about caring neighbourhoods and can listen and visit."""
    user = make_user("fien@example.org", first_name="Fien", last_name="Buur")
    member = user.member
    member.neighbourhood = areas["runkst"]
    member.availability = ["weekday-daytime"]
    member.save()
    member.interests.set([domain_with_goal.domain])
    member.skills.set([skill])
    return member
