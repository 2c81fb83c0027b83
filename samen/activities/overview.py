"""Who does what: where the partners' activities are, where they overlap, and where nobody is.

Everything is read in a fixed number of queries (the activities and their links as plain ids)
and put together in Python, so the page costs the same with 10 or 2,000 activities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import translation

from samen.activities.models import Activity
from samen.agenda.models import ActionDomain, Goal
from samen.measurement import compute
from samen.measurement import selectors as measurement
from samen.measurement.compute import Point
from samen.measurement.models import Indicator
from samen.network.models import Area, Organisation


@dataclass
class Links:
    """The published activities as ids: who leads, who takes part, which domains, goals, areas."""

    lead: dict[int, int] = field(default_factory=dict)
    orgs: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    goals: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    areas: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> Links:
        links = cls()
        published = Activity.objects.filter(is_published=True).exclude(status=Activity.Status.FINISHED)
        ids = published.values("pk")
        for pk, lead in published.values_list("pk", "lead_organisation_id"):
            links.lead[pk] = lead
            links.orgs[pk].add(lead)
        for pk, org in Activity.partner_organisations.through.objects.filter(activity_id__in=ids).values_list(
            "activity_id", "organisation_id"
        ):
            links.orgs[pk].add(org)
        for name, through, column in (
            ("domains", Activity.action_domains.through, "actiondomain_id"),
            ("goals", Activity.goals.through, "goal_id"),
            ("areas", Activity.areas.through, "area_id"),
        ):
            target = getattr(links, name)
            for pk, other in through.objects.filter(activity_id__in=ids).values_list("activity_id", column):
                target[pk].add(other)
        return links


@dataclass
class Cell:
    activities: int = 0
    organisations: list[str] = field(default_factory=list)
    coordinate: bool = False  # several partners, each with their own activity, on the same goal here
    gap: list[str] = field(default_factory=list)  # indicators of the goal off track here, with nobody on it


@dataclass
class Overview:
    domains: list[ActionDomain]
    partner_rows: list[tuple[Organisation, list[int]]]
    goals: list[Goal]
    area_rows: list[tuple[Area, list[Cell]]]
    coordinate: list[tuple[Area, Goal, list[str]]]
    gaps: list[tuple[Area, Goal, list[str]]]


CACHE_SECONDS = 300


def cache_key() -> str:
    """Changes whenever an activity is added, changed or removed; the page caches its tables by it
    (five minutes at most, so renamed partners and new figures show soon too)."""
    state = Activity.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"{state['n']}:{last}:{translation.get_language()}"


def who_does_what() -> Overview:
    links = Links.load()
    domains = list(ActionDomain.objects.order_by("order", "name"))
    org_ids = {org for orgs in links.orgs.values() for org in orgs}
    orgs = list(Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    by_org_domain: dict[tuple[int, int], int] = defaultdict(int)
    for pk in links.lead:
        for org in links.orgs[pk]:
            for domain in links.domains[pk]:
                by_org_domain[(org, domain)] += 1
    partner_rows = [(org, [by_org_domain[(org.pk, d.pk)] for d in domains]) for org in orgs]
    names = {o.pk: o.name for o in orgs}
    areas = list(Area.objects.defer("geometry").order_by("path"))
    goals = list(Goal.objects.select_related("domain").order_by("domain__order", "order", "deadline"))
    cells = _area_goal_cells(links, areas, names)
    goal_areas: dict[int, set[int]] = defaultdict(set)
    for pk in links.lead:
        for goal in links.goals[pk]:
            goal_areas[goal] |= links.areas[pk]
    paths = {a.pk: a.path for a in areas}
    for (area_id, goal_id), off in _off_track().items():
        if not _covered(paths, area_id, goal_areas[goal_id]):
            cells.setdefault((area_id, goal_id), Cell()).gap = off
    used_areas = {a for a, _g in cells}
    used_goals = {g for _a, g in cells}
    goals = [g for g in goals if g.pk in used_goals]
    area_rows = [
        (area, [cells.get((area.pk, goal.pk), Cell()) for goal in goals]) for area in areas if area.pk in used_areas
    ]
    coordinate = [
        (area, goal, cell.organisations)
        for area, row in area_rows
        for goal, cell in zip(goals, row, strict=True)
        if cell.coordinate
    ]
    gaps = [
        (area, goal, cell.gap) for area, row in area_rows for goal, cell in zip(goals, row, strict=True) if cell.gap
    ]
    return Overview(domains, partner_rows, goals, area_rows, coordinate, gaps)


def _area_goal_cells(links: Links, areas: list[Area], names: dict[int, str]) -> dict[tuple[int, int], Cell]:
    leads: dict[tuple[int, int], set[int]] = defaultdict(set)
    involved: dict[tuple[int, int], set[int]] = defaultdict(set)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for pk, lead in links.lead.items():
        for area in links.areas[pk]:
            for goal in links.goals[pk]:
                count[(area, goal)] += 1
                leads[(area, goal)].add(lead)
                involved[(area, goal)] |= links.orgs[pk]
    return {
        key: Cell(
            activities=n,
            organisations=sorted(names[o] for o in involved[key]),
            coordinate=len(leads[key]) > 1,
        )
        for key, n in count.items()
    }


def _covered(paths: dict[int, str], area_id: int, worked_in: set[int]) -> bool:
    """Somebody works on the goal in the area: there, in an area inside it, or in one containing it."""
    path = paths[area_id]
    return any(paths[a].startswith(path) or path.startswith(paths[a]) for a in worked_in)


def _off_track() -> dict[tuple[int, int], list[str]]:
    """(area, goal) → the indicators of the goal whose public figure for that area is off track.

    Read from the dashboard's protected views: a figure hidden to protect small counts says nothing."""
    indicators = list(
        Indicator.objects.filter(is_published=True, level=Indicator.Level.POPULATION, goals__isnull=False)
        .distinct()
        .prefetch_related("targets", "dimensions__values", "goals")
    )
    views = measurement.indicator_views(indicators)
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for indicator in indicators:
        view = views[indicator.pk]
        if view.latest is None or view.baseline is None:
            continue
        for figure in view.areas:
            if not figure.figure.shown:
                continue
            status = compute.status(
                latest=Point(view.latest.end, figure.figure.cell.value),
                baseline=view.baseline,
                targets=view.targets,
                higher_is_better=indicator.direction == Indicator.Direction.UP,
                frequency=indicator.frequency,
                today=view.latest.end,  # the area's figure is as recent as the city's
            )
            if status == compute.OFF_TRACK:
                for goal in indicator.goals.all():
                    found[(figure.area_id, goal.pk)].append(indicator.name)
    return found


@dataclass
class Suggestion:
    organisation: Organisation
    shared: list[tuple[str, str]]  # (goal, area) they both work on


def partner_suggestions(
    organisations: list[Organisation], *, limit: int = 5
) -> list[tuple[Organisation, list[Suggestion]]]:
    """For each organisation, others working on the same goals in the same areas that are not yet its partners.

    The activities are read once for all of them: the cost does not grow with the number of organisations."""
    if not organisations:
        return []
    links = Links.load()
    shared = {org.pk: _shared_pairs(org.pk, links) for org in organisations}
    candidates = {pk for pairs in shared.values() for pk in pairs}
    if not candidates:
        return [(org, []) for org in organisations]
    orgs = Organisation.objects.only("pk", "name", "slug").in_bulk(candidates)
    goal_names = dict(Goal.objects.values_list("pk", "title"))
    area_names = dict(Area.objects.values_list("pk", "name"))
    result = []
    for org in organisations:
        pairs = shared[org.pk]
        best = sorted(pairs, key=lambda o: (-len(pairs[o]), orgs[o].name))[:limit]
        found = [Suggestion(orgs[o], sorted((goal_names[g], area_names[a]) for g, a in pairs[o])) for o in best]
        result.append((org, found))
    return result


def _shared_pairs(organisation_id: int, links: Links) -> dict[int, set[tuple[int, int]]]:
    """Other organisations → the (goal, area) pairs they share with this one, for those sharing any."""
    mine = [pk for pk, orgs in links.orgs.items() if organisation_id in orgs]
    ours = {(g, a) for pk in mine for g in links.goals[pk] for a in links.areas[pk]}
    already = {o for pk in mine for o in links.orgs[pk]}
    shared: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for pk, orgs in links.orgs.items():
        pairs = {(g, a) for g in links.goals[pk] for a in links.areas[pk]} & ours
        if pairs:
            for org in orgs - already:
                shared[org] |= pairs
    return shared
