"""Reads of the activities pages, with their joins chosen once so query counts stay flat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import QueryDict

from samen.activities.models import Activity, PerformanceMeasure, Role, RoleSignup
from samen.measurement import selectors as measurement
from samen.measurement.models import Indicator
from samen.network.models import Area, Member, Organisation


class RolePlaces(TypedDict):
    """What `roles_with_places` counts in the query."""

    taken: int


if TYPE_CHECKING:
    from typing import TypeAlias

    from django_stubs_ext import WithAnnotations

    RoleWithPlaces: TypeAlias = WithAnnotations[Role, RolePlaces]


@dataclass
class Filters:
    domain: str = ""
    goal: str = ""
    area: str = ""
    sector: str = ""
    status: str = ""
    organisation: str = ""  # lead or partner, from the link on an organisation's page
    query: str = ""

    @classmethod
    def from_get(cls, data: QueryDict) -> Filters:
        return cls(
            **{name: data.get(name, "").strip()[:100] for name in cls.__dataclass_fields__ if name != "query"},
            query=data.get("q", "").strip()[:100],
        )

    @classmethod
    def parameters(cls) -> tuple[str, ...]:
        """The query parameters `from_get` reads."""
        return tuple("q" if name == "query" else name for name in cls.__dataclass_fields__)

    def querystring(self) -> str:
        from urllib.parse import urlencode

        pairs = {**{k: v for k, v in vars(self).items() if k != "query"}, "q": self.query}
        return urlencode({k: v for k, v in pairs.items() if v})


def with_places(activities: list[Activity]) -> list[Activity]:
    """Volunteer places of the activities of one page: `places_total`, `places_taken`, `places_open`.

    Two queries for the page's rows only: counted per row in the list's own query, they would be
    worked out for every matching activity before the page is cut."""
    ids = [a.pk for a in activities]
    totals = dict(
        Role.objects.filter(activity_id__in=ids)
        .order_by()
        .values("activity_id")
        .annotate(n=Sum("places"))
        .values_list("activity_id", "n")
    )
    taken = dict(
        RoleSignup.objects.filter(role__activity_id__in=ids)
        .order_by()
        .values("role__activity_id")
        .annotate(n=Count("pk"))
        .values_list("role__activity_id", "n")
    )
    for activity in activities:
        activity.places_total = totals.get(activity.pk, 0)
        activity.places_taken = taken.get(activity.pk, 0)
        activity.places_open = activity.places_total - activity.places_taken
    return activities


def _areas_without_shapes() -> Prefetch[str, QuerySet[Area], str]:
    # An area's GeoJSON outline can be large; these pages only show its name.
    return Prefetch("areas", queryset=Area.objects.defer("geometry"))


def activities_for_list(filters: Filters) -> QuerySet[Activity]:
    """Published activities matching the filters; an area includes the areas inside it."""
    if any("\x00" in text for text in vars(filters).values()):
        return Activity.objects.none()  # PostgreSQL cannot even compare with a NUL; nothing has one
    activities = Activity.objects.filter(is_published=True)
    if filters.domain:
        activities = activities.filter(action_domains__slug=filters.domain)
    if filters.goal:
        activities = activities.filter(goals__slug=filters.goal)
    if filters.area:
        path = Area.objects.filter(code=filters.area).values_list("path", flat=True).first()
        if path is None:
            return Activity.objects.none()
        activities = activities.filter(areas__path__startswith=path)
    if filters.sector:
        activities = activities.filter(lead_organisation__sector__slug=filters.sector)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.organisation:
        activities = activities.filter(
            Q(lead_organisation__slug=filters.organisation) | Q(partner_organisations__slug=filters.organisation)
        )
    if filters.query:
        q = filters.query
        activities = activities.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(description__icontains=q)
            | Q(lead_organisation__name__icontains=q)
        )
    # Filter first on ids, so joins of the filters cannot repeat rows or multiply the sums.
    return (
        Activity.objects.filter(pk__in=activities.values("pk"))
        .select_related("lead_organisation__sector")
        .prefetch_related("action_domains", _areas_without_shapes())
        .order_by("title")
    )


def activity_for_page(slug: str) -> Activity:
    if "\x00" in slug:
        raise Activity.DoesNotExist
    return (
        Activity.objects.select_related("lead_organisation__sector")
        .prefetch_related(
            "partner_organisations",
            "action_domains",
            "goals__domain",
            "challenges",
            _areas_without_shapes(),
            "resources",
        )
        .get(slug=slug)
    )


def roles_with_places(activity: Activity, *, member: Member | None = None) -> list[RoleWithPlaces]:
    """The roles of an activity with `taken`, `open` and whether this member signed up (`mine`)."""
    roles = list(activity.roles.select_related("skill").annotate(taken=Count("signups")).order_by("title"))
    mine = set()
    if member is not None:
        mine = set(RoleSignup.objects.filter(role__activity=activity, member=member).values_list("role_id", flat=True))
    for role in roles:
        role.open = max(role.places - role.taken, 0)
        role.mine = role.pk in mine
    return roles


def role_signups(activity: Activity) -> QuerySet[RoleSignup]:
    """Who took which role: for the organiser only."""
    return (
        RoleSignup.objects.filter(role__activity=activity)
        .select_related("role", "member__user", "member__neighbourhood")
        .order_by("role__title", "created_at")
    )


@dataclass
class MeasureRow:
    question: str
    indicator: Indicator
    period: str
    figure: measurement.Figure | None


def performance_rows(activity: Activity) -> list[MeasureRow]:
    """The latest public value of each performance measure, protected like the dashboard."""
    measures = list(
        PerformanceMeasure.objects.filter(activity=activity, indicator__is_published=True)
        .select_related("indicator")
        .prefetch_related("indicator__targets", "indicator__dimensions__values", "indicator__goals__domain")
    )
    views = measurement.indicator_views([m.indicator for m in measures])
    rows = []
    for m in measures:
        latest = views[m.indicator_id].latest
        rows.append(
            MeasureRow(
                question=m.get_question_display(),
                indicator=m.indicator,
                period=latest.label if latest else "",
                figure=latest.figure if latest else None,
            )
        )
    return rows


def status_label(status: str) -> str:
    return measurement.status_label(status)


def moved_indicators(activity: Activity) -> list[tuple[Indicator, str, str]]:
    """The population indicators an activity moves, with their status on the dashboard."""
    indicators = list(
        activity.indicators.filter(is_published=True).prefetch_related("targets", "dimensions__values", "goals__domain")
    )
    views = measurement.indicator_views(indicators)
    return [(i, views[i.pk].status, status_label(views[i.pk].status)) for i in indicators]


def activities_of_organisation(organisation: Organisation) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(is_published=True)
        .filter(Q(lead_organisation=organisation) | Q(partner_organisations=organisation))
        .distinct()
        .order_by("title")
    )


def member_signups(member: Member) -> QuerySet[RoleSignup]:
    return member.role_signups.select_related("role__activity").order_by("-created_at")


def partner_activities_prefetch() -> Prefetch[str, QuerySet[Organisation], str]:
    return Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name"))
