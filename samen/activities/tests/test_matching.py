"""Matching by hand: small people and needs whose points and reasons we can work out on paper."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samen.activities.matching import POINTS, Names, Need, Person, members_for_role, roles_for_member, score

# Areas: 1 the city, 10 district Centrum, 11 district Kermt, 100 Runkst and 101 Kiewit (in Centrum), 110 Terhilst.
NAMES = Names(
    domains={1: "Caring neighbourhoods", 2: "Hasselt on the move"},
    skills={7: "Listening and visiting", 8: "Driving"},
    areas={1: "Hasselt", 10: "Centrum", 11: "Kermt", 100: "Runkst", 101: "Kiewit", 110: "Terhilst"},
)
FIEN = Person(
    1,
    interests=frozenset({1}),
    skills=frozenset({7}),
    neighbourhood=100,
    district=10,
    availability=frozenset({"weekday-daytime"}),
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_skill_interest_neighbourhood_and_time_add_up_with_a_reason_each():
    need = Need(1, 1, skill=7, availability="weekday-daytime", domains=frozenset({1}), areas=frozenset({100}))
    match = score(FIEN, need, NAMES)
    assert match.points == POINTS["skill"] + POINTS["interest"] + POINTS["neighbourhood"] + POINTS["time"] == 11
    assert match.for_member() == [
        "You have the skill it asks: Listening and visiting.",
        "It works on Caring neighbourhoods, which you care about.",
        "It runs in your neighbourhood, Runkst.",
        "It asks weekdays, daytime, when you said you can help.",
    ]
    assert match.for_organiser()[0] == "Has the skill the role asks: Listening and visiting."
    assert match.for_organiser()[2] == "Lives near where the activity runs."


def test_a_neighbourhood_in_the_same_district_counts_as_the_district():
    need = Need(1, 1, domains=frozenset({1}), areas=frozenset({101}), area_parents=frozenset({10}))
    match = score(FIEN, need, NAMES)
    assert match.points == POINTS["interest"] + POINTS["district"] == 5
    assert "It runs in your district, Centrum." in match.for_member()


def test_the_district_itself_counts_too():
    match = score(FIEN, Need(1, 1, domains=frozenset({1}), areas=frozenset({10})), NAMES)
    assert match.points == 5


def test_another_district_gives_no_place_points_and_no_place_reason():
    need = Need(1, 1, domains=frozenset({1}), areas=frozenset({110}), area_parents=frozenset({11}))
    match = score(FIEN, need, NAMES)
    assert match.points == POINTS["interest"]
    assert len(match.reasons) == 1


def test_a_citywide_activity_counts_a_little_for_everyone():
    match = score(FIEN, Need(1, 1, domains=frozenset({1}), citywide=True), NAMES)
    assert match.points == POINTS["interest"] + POINTS["city"]
    assert "It runs across the whole city." in match.for_member()


def test_place_and_time_alone_are_no_match():
    need = Need(1, 1, skill=8, availability="weekday-daytime", domains=frozenset({2}), areas=frozenset({100}))
    assert score(FIEN, need, NAMES) is None


def test_a_time_the_member_did_not_tick_rules_the_role_out():
    need = Need(1, 1, skill=7, availability="weekend", domains=frozenset({1}), areas=frozenset({100}))
    assert score(FIEN, need, NAMES) is None


def test_a_member_who_ticked_no_time_is_not_ruled_out_but_gets_no_time_points():
    anytime = Person(2, interests=frozenset({1}))
    match = score(anytime, Need(1, 1, availability="weekend", domains=frozenset({1})), NAMES)
    assert match.points == POINTS["interest"]


def test_a_member_without_a_neighbourhood_gets_no_place_reason():
    person = Person(3, skills=frozenset({7}))
    match = score(person, Need(1, 1, skill=7, areas=frozenset({100})), NAMES)
    assert match.points == POINTS["skill"]


# --- The loaders, on the database -------------------------------------------------------------


def test_a_member_sees_the_roles_that_fit_and_not_full_or_taken_ones(
    activity, role, make_role, make_activity, fitting_member, make_user, areas, skill
):
    from samen.activities.models import RoleSignup

    full = make_role(activity, "Full role", places=1, skill=skill)
    RoleSignup.objects.create(role=full, member=make_user().member)
    taken = make_role(activity, "Taken role", places=3, skill=skill)
    RoleSignup.objects.create(role=taken, member=fitting_member)
    finished = make_activity("Old", status="finished", areas=[areas["runkst"]])
    make_role(finished, "Old role", skill=skill)
    unpublished = make_activity("Hidden", is_published=False)
    make_role(unpublished, "Hidden role", skill=skill)
    with translation.override("en"):
        found = roles_for_member(fitting_member)
    assert [m.role.title for m in found] == ["Buurtbezoeker"]
    assert found[0].match.points == 11


def test_a_member_without_interests_or_skills_gets_no_suggestions(role, make_user):
    assert roles_for_member(make_user().member) == []


def test_the_organiser_sees_members_who_fit_best_first_and_never_those_who_opted_out(
    role, fitting_member, make_user, areas, domain_with_goal
):
    from samen.activities.models import InvitationOptOut

    interested = make_user(first_name="Ivo", last_name="Interest").member
    interested.interests.set([domain_with_goal.domain])
    interested.neighbourhood = areas["terhilst"]
    interested.save()
    opted_out = make_user(first_name="Otto", last_name="Out").member
    opted_out.interests.set([domain_with_goal.domain])
    InvitationOptOut.objects.create(member=opted_out)
    make_user(first_name="Nina", last_name="Nothing")  # no interests, no skills: never suggested
    found = members_for_role(role)
    assert [m.member.user.first_name for m in found] == ["Fien", "Ivo"]
    assert found[0].match.points > found[1].match.points


def test_the_loaders_use_a_fixed_number_of_queries(role, fitting_member, make_user, domain_with_goal, make_role):
    def counts():
        with CaptureQueriesContext(connection) as a:
            roles_for_member(fitting_member)
        with CaptureQueriesContext(connection) as b:
            members_for_role(role)
        return len(a), len(b)

    few = counts()
    for number in range(15):
        member = make_user().member
        member.interests.set([domain_with_goal.domain])
        make_role(role.activity, f"Role {number}")
    assert counts() == few


def test_the_database_ranks_exactly_as_the_explained_score_says(
    make_user, make_activity, make_role, areas, make_domain
):
    """A random small world: what the SQL ranking returns is every fit, in the order of `score`'s points."""
    import random

    from samen.activities import matching
    from samen.activities.models import Role, RoleSignup
    from samen.network.models import Skill

    rng = random.Random(4)
    domains = [make_domain() for _ in range(3)]
    skills = [Skill.objects.create(slug=f"s{i}", name_nl=f"s{i}", name_en=f"s{i}") for i in range(3)]
    places = list(areas.values())
    slots = ["weekday-daytime", "weekday-evening", "weekend"]
    members = []
    for _ in range(25):
        m = make_user().member
        m.neighbourhood = rng.choice([None, areas["runkst"], areas["kiewit"], areas["terhilst"]])
        m.availability = rng.sample(slots, k=rng.randint(0, 2))
        m.save()
        m.interests.set(rng.sample(domains, k=rng.randint(0, 2)))
        m.skills.set(rng.sample(skills, k=rng.randint(0, 2)))
        members.append(m)
    for _ in range(12):
        a = make_activity(
            domains=rng.sample(domains, k=rng.randint(1, 2)), areas=rng.sample(places, k=rng.randint(0, 2))
        )
        for _ in range(2):
            role = make_role(
                a, places=rng.randint(1, 3), skill=rng.choice([None, *skills]), availability=rng.choice(["", *slots])
            )
            for m in rng.sample(members, k=rng.randint(0, 2)):
                RoleSignup.objects.get_or_create(role=role, member=m)
    names = Names.load()
    open_roles = Role.objects.filter(matching.open_roles())
    needs = matching._needs(open_roles)
    total = 0
    for member in members:
        person = matching.person_for(member)
        taken = set(RoleSignup.objects.filter(member=member).values_list("role_id", flat=True))
        full = {r.pk for r in open_roles if r.signups.count() >= r.places}
        expected = {pk for pk, need in needs.items() if pk not in taken | full and score(person, need, names)}
        found = roles_for_member(member, limit=1000, names=names)
        total += len(found)
        assert {m.role.pk for m in found} == expected
        points = [m.match.points for m in found]
        assert points == sorted(points, reverse=True)
    for role in open_roles:
        need = needs[role.pk]
        signed = set(role.signups.values_list("member_id", flat=True))
        expected = {
            m.pk for m in members if m.pk not in signed and score(matching.person_for(m), need, names) is not None
        }
        found = members_for_role(role, limit=1000, names=names)
        total += len(found)
        assert {m.member.pk for m in found} == expected
        points = [m.match.points for m in found]
        assert points == sorted(points, reverse=True)
    assert total > 50  # the world has plenty of fits, so the comparison means something


def test_the_organiser_reads_a_neighbourhood_only_when_the_member_shows_it():
    need = Need(1, 1, skill=7, domains=frozenset({1}), areas=frozenset({100}))
    hidden = score(FIEN, need, NAMES).for_organiser()
    assert "Lives near where the activity runs." in hidden
    assert not any("Runkst" in reason for reason in hidden)
    shown = Person(1, skills=frozenset({7}), neighbourhood=100, district=10, shows_neighbourhood=True)
    assert "Lives in Runkst, where the activity runs." in score(shown, need, NAMES).for_organiser()
    district = Need(1, 1, skill=7, areas=frozenset({101}), area_parents=frozenset({10}))
    assert not any("Centrum" in reason for reason in score(FIEN, district, NAMES).for_organiser())
    # The member reads their own neighbourhood whatever they chose.
    assert "It runs in your neighbourhood, Runkst." in score(FIEN, need, NAMES).for_member()
