"""Working groups tie organisations on the network map: the organisations that attended a meeting together."""

from __future__ import annotations

from collections import defaultdict

from samen.network.ties import ActivityTie


def provide_meetings() -> list[ActivityTie]:
    """One tie per working group: the organisations that attended its meetings, in two queries."""
    from samen.communication.models import MeetingAttendance, WorkingGroup

    orgs: dict[int, set[int]] = defaultdict(set)
    years: dict[int, int] = {}
    for group_id, org_id, starts_at in MeetingAttendance.objects.filter(attended=True).values_list(
        "meeting__group_id", "organisation_id", "meeting__starts_at"
    ):
        orgs[group_id].add(org_id)
        years[group_id] = min(years.get(group_id, starts_at.year), starts_at.year)
    groups = WorkingGroup.objects.filter(pk__in=list(orgs)).values_list("pk", "slug", "name", "action_domain__slug")
    return [
        ActivityTie(
            key=f"working-group-{pk}",
            label=name,
            url="",
            organisation_ids=tuple(sorted(orgs[pk])),
            domains=(domain,) if domain else (),
            year=years[pk],
        )
        for pk, slug, name, domain in groups
        if len(orgs[pk]) > 1
    ]


def register() -> None:
    from samen.communication.models import MeetingAttendance, WorkingGroup
    from samen.network import ties

    ties.register("working-groups", provide_meetings, models=[MeetingAttendance, WorkingGroup])
