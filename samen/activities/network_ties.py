"""Activities tie organisations on the network map: the provider the network app asks for them."""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from samen.network.ties import ActivityTie


def provide_activities() -> list[ActivityTie]:
    """Published activities with their organisations, domains and areas, in four queries."""
    from samen.activities.models import Activity

    rows = list(
        Activity.objects.filter(is_published=True)
        .values_list("pk", "slug", "title", "lead_organisation_id", "starts_on", "created_at")
        .order_by("pk")
    )
    published = {"activity__is_published": True}  # a join, not a list of thousands of ids
    partners: dict[int, list[int]] = defaultdict(list)
    for activity_id, org_id in Activity.partner_organisations.through.objects.filter(**published).values_list(
        "activity_id", "organisation_id"
    ):
        partners[activity_id].append(org_id)
    domains: dict[int, list[str]] = defaultdict(list)
    for activity_id, slug in Activity.action_domains.through.objects.filter(**published).values_list(
        "activity_id", "actiondomain__slug"
    ):
        domains[activity_id].append(slug)
    areas: dict[int, list[str]] = defaultdict(list)
    for activity_id, path in Activity.areas.through.objects.filter(**published).values_list(
        "activity_id", "area__path"
    ):
        areas[activity_id].append(path)
    url = _url("SLUG")
    return [
        ActivityTie(
            key=f"activity-{pk}",
            label=title,
            url=url.replace("SLUG", slug),
            organisation_ids=(lead, *[o for o in sorted(partners[pk]) if o != lead]),
            domains=tuple(sorted(domains[pk])),
            area_paths=tuple(sorted(areas[pk])),
            year=(starts_on or created_at.date()).year,
        )
        for pk, slug, title, lead, starts_on, created_at in rows
    ]


def _url(slug: str) -> str:
    try:
        return reverse("activities:activity", kwargs={"slug": slug})
    except NoReverseMatch:  # the activity pages are not there (yet): the map shows no link
        return ""


def register() -> None:
    from samen.activities.models import Activity
    from samen.network import ties

    ties.register(
        "activities",
        provide_activities,
        models=[
            Activity,
            Activity.partner_organisations.through,
            Activity.action_domains.through,
            Activity.areas.through,
        ],
    )
