"""Matching members to the open roles of activities, with every point explained in words.

A match needs at least a shared interest (an action domain of the activity the member cares
about) or the skill the role asks. Points then add up, each with its reason:

    skill the role asks                      4
    an action domain the member cares about  3
    runs in the member's neighbourhood       3
    runs in the member's district            2   (the district itself, or a neighbourhood in it)
    runs across the whole city               1
    asks a time the member said suits them   1

A role that asks a time the member did not tick is no match (when the member ticked times at
all). The arithmetic works on plain data (`Person`, `Need`) so it is tested by hand; the loaders
below fetch that data in a fixed number of queries, whatever the number of members or roles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from samen.activities.models import Activity, InvitationOptOut, Role, RoleSignup
from samen.agenda.models import ActionDomain
from samen.network.models import Area, Member, Skill

POINTS = {"skill": 4, "interest": 3, "neighbourhood": 3, "district": 2, "city": 1, "time": 1}
OPEN_STATUSES = (Activity.Status.PLANNED, Activity.Status.RUNNING)


@dataclass(frozen=True)
class Person:
    member_id: int
    interests: frozenset[int] = frozenset()
    skills: frozenset[int] = frozenset()
    neighbourhood: int | None = None
    district: int | None = None
    availability: frozenset[str] = frozenset()
    # Organisers read the name of the member's neighbourhood only when the member chose to show it.
    shows_neighbourhood: bool = False


@dataclass(frozen=True)
class Need:
    role_id: int
    activity_id: int
    skill: int | None = None
    availability: str = ""
    domains: frozenset[int] = frozenset()
    areas: frozenset[int] = frozenset()
    # The districts the activity's neighbourhoods lie in: a member of that district lives near.
    area_parents: frozenset[int] = frozenset()
    citywide: bool = False
    title: str = ""


@dataclass
class Names:
    domains: dict[int, str] = field(default_factory=dict)
    skills: dict[int, str] = field(default_factory=dict)
    areas: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Names:
        return cls(
            domains=dict(ActionDomain.objects.values_list("pk", "name")),
            skills=dict(Skill.objects.values_list("pk", "name")),
            areas=dict(Area.objects.values_list("pk", "name")),
        )


@dataclass
class Match:
    points: int
    # (kind, key): kinds are the keys of POINTS; the key is the skill, domains, area or time asked.
    # Named only when shown, so scoring thousands of candidates stays cheap.
    reasons: list[tuple[str, object]]
    names: Names
    shows_neighbourhood: bool = False

    def words(self) -> list[tuple[str, str]]:
        return [(kind, self._name(kind, key)) for kind, key in self.reasons]

    def for_member(self) -> list[str]:
        return [_member_words(kind, what) for kind, what in self.words()]

    def for_organiser(self) -> list[str]:
        return [
            _organiser_words(kind, what)
            if self.shows_neighbourhood or kind not in ("neighbourhood", "district")
            else _("Lives near where the activity runs.")
            for kind, what in self.words()
        ]

    def _name(self, kind: str, key) -> str:
        if kind == "skill":
            return self.names.skills.get(key, "")
        if kind == "interest":
            return ", ".join(sorted(self.names.domains.get(d, "") for d in key))
        if kind in ("neighbourhood", "district"):
            return self.names.areas.get(key, "")
        if kind == "time":
            return availability_label(key)
        return ""


def availability_label(code: str) -> str:
    return str(Member.Availability(code).label) if code in Member.Availability.values else code


def score(person: Person, need: Need, names: Names) -> Match | None:
    """How well a person fits a role, and why; None when they do not fit at all."""
    if need.availability and person.availability and need.availability not in person.availability:
        return None
    reasons: list[tuple[str, object]] = []
    if need.skill is not None and need.skill in person.skills:
        reasons.append(("skill", need.skill))
    shared = need.domains & person.interests
    if shared:
        reasons.append(("interest", shared))
    if not reasons:
        return None  # neither a skill nor an interest: place and time alone are no reason to ask
    place = _place(person, need)
    if place:
        reasons.append(place)
    if need.availability and need.availability in person.availability:
        reasons.append(("time", need.availability))
    return Match(sum(POINTS[kind] for kind, _key in reasons), reasons, names, person.shows_neighbourhood)


def _place(person: Person, need: Need) -> tuple[str, object] | None:
    if person.neighbourhood is not None and person.neighbourhood in need.areas:
        return "neighbourhood", person.neighbourhood
    if person.district is not None and (person.district in need.areas or person.district in need.area_parents):
        return "district", person.district
    if need.citywide:
        return "city", None
    return None


def _member_words(kind: str, what: str) -> str:
    return {
        "skill": _("You have the skill it asks: %(what)s."),
        "interest": _("It works on %(what)s, which you care about."),
        "neighbourhood": _("It runs in your neighbourhood, %(what)s."),
        "district": _("It runs in your district, %(what)s."),
        "city": _("It runs across the whole city."),
        "time": _("It asks %(what)s, when you said you can help."),
    }[kind] % {"what": what}


def _organiser_words(kind: str, what: str) -> str:
    return {
        "skill": _("Has the skill the role asks: %(what)s."),
        "interest": _("Cares about %(what)s."),
        "neighbourhood": _("Lives in %(what)s, where the activity runs."),
        "district": _("Lives in %(what)s, the district where the activity runs."),
        "city": _("The activity runs across the whole city."),
        "time": _("Can help %(what)s, as the role asks."),
    }[kind] % {"what": what}


# --- Loading plain data in a fixed number of queries -----------------------------------------


def open_roles() -> Q:
    """Roles of published, planned or running activities with a place left."""
    return Q(activity__is_published=True, activity__status__in=OPEN_STATUSES)


def _needs(roles) -> dict[int, Need]:
    """Needs for a queryset of roles: three queries whatever its size."""
    rows = list(roles.values_list("pk", "activity_id", "skill_id", "availability", "title"))
    activity_ids = roles.values("activity_id")
    domains: dict[int, set[int]] = defaultdict(set)
    for activity_id, domain_id in Activity.action_domains.through.objects.filter(
        activity_id__in=activity_ids
    ).values_list("activity_id", "actiondomain_id"):
        domains[activity_id].add(domain_id)
    areas: dict[int, set[int]] = defaultdict(set)
    parents: dict[int, set[int]] = defaultdict(set)
    citywide: set[int] = set()
    for activity_id, area_id, parent_id in Activity.areas.through.objects.filter(
        activity_id__in=activity_ids
    ).values_list("activity_id", "area_id", "area__parent_id"):
        areas[activity_id].add(area_id)
        if parent_id is None:
            citywide.add(activity_id)
        else:
            parents[activity_id].add(parent_id)
    return {
        pk: Need(
            role_id=pk,
            activity_id=activity_id,
            skill=skill_id,
            availability=when,
            domains=frozenset(domains[activity_id]),
            areas=frozenset(areas[activity_id]),
            area_parents=frozenset(parents[activity_id]),
            citywide=activity_id in citywide or not areas[activity_id],
            title=title,
        )
        for pk, activity_id, skill_id, when, title in rows
    }


def person_for(member: Member) -> Person:
    """One member as plain data (two queries)."""
    parent = Area.objects.filter(pk=member.neighbourhood_id).values_list("parent_id", flat=True).first()
    return Person(
        member_id=member.pk,
        interests=frozenset(member.interests.values_list("pk", flat=True)),
        skills=frozenset(member.skills.values_list("pk", flat=True)),
        neighbourhood=member.neighbourhood_id,
        district=parent,
        availability=frozenset(member.availability or []),
        shows_neighbourhood=member.show_neighbourhood_publicly,
    )


def _people(members) -> dict[int, Person]:
    """People for a queryset of members: three queries whatever its size."""
    rows = list(
        members.values_list(
            "pk", "neighbourhood_id", "neighbourhood__parent_id", "availability", "show_neighbourhood_publicly"
        )
    )
    ids = members.values("pk")
    interests: dict[int, set[int]] = defaultdict(set)
    for member_id, domain_id in Member.interests.through.objects.filter(member_id__in=ids).values_list(
        "member_id", "actiondomain_id"
    ):
        interests[member_id].add(domain_id)
    skills: dict[int, set[int]] = defaultdict(set)
    for member_id, skill_id in Member.skills.through.objects.filter(member_id__in=ids).values_list(
        "member_id", "skill_id"
    ):
        skills[member_id].add(skill_id)
    return {
        pk: Person(
            member_id=pk,
            interests=frozenset(interests[pk]),
            skills=frozenset(skills[pk]),
            neighbourhood=hood,
            district=district,
            availability=frozenset(when or []),
            shows_neighbourhood=shows,
        )
        for pk, hood, district, when, shows in rows
    }


# --- Ranking in the database -------------------------------------------------------------------
# The same points as `score`, written as SQL so the database ranks thousands of candidates and
# only the best few are loaded; `score` then gives their reasons (tests check both agree).


def _points(condition, kind: str):
    return Case(When(condition, then=Value(POINTS[kind])), default=Value(0), output_field=IntegerField())


def _availability_text():
    return Cast("availability", TextField())


@dataclass
class RoleMatch:
    role: Role
    match: Match


def roles_for_member(member: Member, *, limit: int = 20, names: Names | None = None) -> list[RoleMatch]:
    """The open roles that fit a member best, each with its reasons ("activities that need you")."""
    person = person_for(member)
    if not person.interests and not person.skills:
        return []
    areas = Activity.areas.through.objects.filter(activity_id=OuterRef("activity_id"))
    domains = Activity.action_domains.through.objects.filter(activity_id=OuterRef("activity_id"))
    taken = RoleSignup.objects.filter(role=OuterRef("pk")).order_by().values("role").annotate(n=Count("pk")).values("n")
    roles = (
        Role.objects.filter(open_roles())
        .exclude(pk__in=RoleSignup.objects.filter(member=member).values("role_id"))
        .annotate(taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)))
        .filter(taken__lt=F("places"))
    )
    if person.availability:
        roles = roles.exclude(~Q(availability="") & ~Q(availability__in=person.availability))
    near = [
        (Exists(areas.filter(area_id=person.neighbourhood)), "neighbourhood") if person.neighbourhood else None,
        (Exists(areas.filter(Q(area_id=person.district) | Q(area__parent_id=person.district))), "district")
        if person.district
        else None,
        (Exists(areas.filter(area__parent__isnull=True)) | ~Exists(areas), "city"),
    ]
    roles = roles.annotate(
        skill_points=_points(Q(skill_id__in=person.skills), "skill") if person.skills else Value(0),
        interest_points=_points(Exists(domains.filter(actiondomain_id__in=person.interests)), "interest")
        if person.interests
        else Value(0),
        place_points=Case(
            *[When(condition, then=Value(POINTS[kind])) for condition, kind in filter(None, near)],
            default=Value(0),
            output_field=IntegerField(),
        ),
        time_points=_points(Q(availability__in=person.availability), "time") if person.availability else Value(0),
    ).filter(Q(skill_points__gt=0) | Q(interest_points__gt=0))
    best = list(
        roles.annotate(points=F("skill_points") + F("interest_points") + F("place_points") + F("time_points"))
        .order_by("-points", "activity__title", "title", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    needs = _needs(Role.objects.filter(pk__in=best))
    names = names or Names.load()
    objects = Role.objects.select_related("activity", "skill").in_bulk(best)
    # The query keeps only roles with a skill or interest in common, where `score` finds a match too;
    # a role it would not explain is left out rather than shown with no reason.
    scored = ((objects[pk], score(person, needs[pk], names)) for pk in best)
    return [RoleMatch(role, match) for role, match in scored if match is not None]


@dataclass
class MemberMatch:
    member: Member
    match: Match

    @property
    def name(self) -> str:
        """What an organiser may read of a member who did not sign up: the first name, never the email."""
        return self.member.short_name


def members_for_role(role: Role, *, limit: int = 20, names: Names | None = None) -> list[MemberMatch]:
    """The members who fit an open role best, each with the reasons (for the organiser).

    Only members who said what they care about or can do are suggested, never those who
    asked not to be invited, already took the role, or are inactive."""
    need = _needs(Role.objects.filter(pk=role.pk))[role.pk]
    members = (
        Member.objects.filter(user__is_active=True)
        .exclude(pk__in=InvitationOptOut.objects.values("member_id"))
        .exclude(pk__in=RoleSignup.objects.filter(role=role).values("member_id"))
        .annotate(availability_text=_availability_text())
    )
    if need.availability:
        code = f'"{need.availability}"'  # codes are quoted in the JSON list, and none contains another
        members = members.exclude(~Q(availability_text="[]") & ~Q(availability_text__contains=code))
    skills = Member.skills.through.objects.filter(member_id=OuterRef("pk"), skill_id=need.skill)
    interests = Member.interests.through.objects.filter(member_id=OuterRef("pk"), actiondomain_id__in=need.domains)
    near = need.areas | need.area_parents
    places = [(Q(neighbourhood_id__in=need.areas), "neighbourhood") if need.areas else None]
    places.append((Q(neighbourhood__parent_id__in=near), "district") if near else None)
    members = members.annotate(
        skill_points=_points(Exists(skills), "skill") if need.skill else Value(0),
        interest_points=_points(Exists(interests), "interest") if need.domains else Value(0),
        place_points=Case(
            *[When(condition, then=Value(POINTS[kind])) for condition, kind in filter(None, places)],
            default=Value(POINTS["city"] if need.citywide else 0),
            output_field=IntegerField(),
        ),
        time_points=_points(Q(availability_text__contains=f'"{need.availability}"'), "time")
        if need.availability
        else Value(0),
    ).filter(Q(skill_points__gt=0) | Q(interest_points__gt=0))
    best = list(
        members.annotate(points=F("skill_points") + F("interest_points") + F("place_points") + F("time_points"))
        .order_by("-points", "user__first_name", "user__last_name", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    people = _people(Member.objects.filter(pk__in=best))
    names = names or Names.load()
    objects = Member.objects.select_related("user").in_bulk(best)
    scored = ((objects[pk], score(people[pk], need, names)) for pk in best)  # as for roles_for_member
    return [MemberMatch(member, match) for member, match in scored if match is not None]
