"""Fixtures of the activities tests: activities with roles, in the small measurement world."""

import itertools

import pytest

from samen.activities.tests.events.fixtures import campaign, event, make_event  # noqa: F401  (campaigns and events)

_counter = itertools.count(1)


@pytest.fixture
def make_activity(db, org, domain_with_goal):
    def make(title=None, lead=None, *, domains=None, goals=None, areas=(), partners=(), **fields):
        from samen.activities.models import Activity

        number = next(_counter)
        title = title or f"Activity {number}"
        activity = Activity.objects.create(
            slug=fields.pop("slug", f"activity-{number}"),
            title=title,
            summary=fields.pop("summary", f"What {title} does."),
            lead_organisation=lead or org,
            status=fields.pop("status", "running"),
            **fields,
        )
        activity.action_domains.set(domains if domains is not None else [domain_with_goal.domain])
        activity.goals.set(goals if goals is not None else [domain_with_goal])
        activity.areas.set(areas)
        activity.partner_organisations.set(partners)
        return activity

    return make


@pytest.fixture
def skill(db):
    from samen.network.models import Skill

    return Skill.objects.create(
        slug="listening-visiting", name_nl="Luisteren en bezoeken", name_en="Listening and visiting"
    )


@pytest.fixture
def make_role(db):
    def make(activity, title="Visitor", *, places=2, skill=None, availability="", time_asked="Two hours a week"):
        from samen.activities.models import Role

        return Role.objects.create(
            activity=activity, title=title, places=places, skill=skill, availability=availability, time_asked=time_asked
        )

    return make


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
