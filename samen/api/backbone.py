"""The backbone API: what partners promised to deliver per goal, with status and progress (read-only)."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from samen.agenda.models import ActionDomain
from samen.api.measurement import ProblemsOut
from samen.backbone.selectors import results_by_domain

router = Router(tags=["backbone"])


class ResultUpdateOut(Schema):
    on: datetime.date
    status: str
    progress: int | None
    note: str


class ResultOut(Schema):
    id: int
    parent: int | None = Field(None, description="The result this one is part of.")
    domain: str
    goal: str
    title: str
    owner: str = Field(..., description="The owner organisation's slug.")
    weight: int
    status: str
    progress: float | None = Field(
        None, description="0–100: typed, from the linked indicator, or the weighted average of the sub-results."
    )
    progress_from_indicator: bool
    updates: list[ResultUpdateOut] = Field(..., description="The dated timeline; every status change is kept.")


class ResultFilter(Schema):
    domain: str = Field("", description="An action domain's slug; empty for all.")


@router.get(
    "/results",
    response={200: list[ResultOut], 422: ProblemsOut},
    summary="Results per goal, with progress and timeline",
)
def results(request: HttpRequest, filters: Query[ResultFilter]):
    """Every goal's results as a flat list in tree order (parents before their parts)."""
    domain = ActionDomain.objects.filter(slug=filters.domain).first() if filters.domain else None
    if filters.domain and domain is None:
        return []
    return [
        {
            "id": row.result.pk,
            "parent": row.result.parent_id,
            "domain": d.slug,
            "goal": goal.goal.slug,
            "title": row.result.title,
            "owner": row.result.owner.slug,
            "weight": row.result.weight,
            "status": row.result.status,
            "progress": round(row.progress, 1) if row.progress is not None else None,
            "progress_from_indicator": row.from_indicator,
            "updates": [
                {"on": u.on, "status": u.status, "progress": u.progress, "note": u.note}
                for u in row.result.updates.all()
            ],
        }
        for d, goals in results_by_domain(domain=domain)
        for goal in goals
        for row in goal.rows
    ]
