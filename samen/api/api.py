"""The public REST API, version 1. Its OpenAPI document is at /api/v1/openapi.json."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from samen.agenda.selectors import domains_with_goals, initiative_get
from samen.api.backbone import router as backbone_router
from samen.api.challenges import router as challenges_router
from samen.api.communication import router as communication_router
from samen.api.measurement import ProblemsOut
from samen.api.measurement import router as measurement_router
from samen.api.network import router as network_router
from samen.api.pagination import Paging
from samen.network.models import Organisation
from samen.network.selectors import organisations_for_directory
from samen.network.selectors.growth import growth_view

# The docs page serves Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): no CDN.
api = NinjaAPI(
    title="Samen API",
    version="1",
    description="Public data of the initiative (small counts protected) and, with a token, measurements in.",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError):
    """Every 422 has the one documented shape (ProblemsOut), also when ninja refuses a parameter."""
    problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in exc.errors)
    return api.create_response(request, {"detail": f"The request is not valid: {problems}", "errors": []}, status=422)


class GoalOut(Schema):
    slug: str
    title: str
    target: str
    deadline: datetime.date


class DomainOut(Schema):
    slug: str
    name: str
    summary: str
    goals: list[GoalOut]


class MilestoneOut(Schema):
    members: int
    date: datetime.date
    label: str
    reached: bool = Field(..., description="The network has at least this many members now.")


class AgendaOut(Schema):
    name: str
    baseline: str
    vision: str
    region: str
    start_date: datetime.date
    milestones: list[MilestoneOut]
    action_domains: list[DomainOut]


class OrganisationFilter(Schema):
    sector: str = ""
    domain: str = ""


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: str = Field(..., alias="sector.slug")
    role: str
    joined_on: datetime.date
    description: str
    website: str
    action_domains: list[str]

    @staticmethod
    def resolve_action_domains(obj: Organisation) -> list[str]:
        return [d.slug for d in obj.action_domains.all()]


@api.get(
    "/agenda", response={200: AgendaOut, 404: dict}, summary="The common agenda: vision, milestones, domains and goals"
)
def agenda(request: HttpRequest):
    """Texts are in the language of the Accept-Language header (Dutch or English)."""
    initiative = initiative_get()
    if initiative is None:
        return Status(404, {"detail": "No initiative is set up yet."})
    # The same count as the growth endpoint's, so both say the same about a milestone.
    members = growth_view(today=timezone.localdate(), public=True).member_total
    return {
        "name": initiative.name,
        "baseline": initiative.baseline,
        "vision": initiative.vision,
        "region": initiative.region,
        "start_date": initiative.start_date,
        "milestones": [
            {"members": m.members, "date": m.date, "label": m.label, "reached": m.members <= members}
            for m in initiative.milestones.all()
        ],
        "action_domains": [
            {
                "slug": d.slug,
                "name": d.name,
                "summary": d.summary,
                "goals": [
                    {"slug": g.slug, "title": g.title, "target": g.target, "deadline": g.deadline}
                    for g in d.goals.all()
                ],
            }
            for d in domains_with_goals()
        ],
    }


@api.get(
    "/organisations",
    response={200: list[OrganisationOut], 422: ProblemsOut},
    summary="Partner organisations, by sector and domain",
)
@paginate(Paging)
def organisations(request: HttpRequest, filters: Query[OrganisationFilter]):
    """Texts are in the language of the Accept-Language header (Dutch or English)."""
    return organisations_for_directory(sector=filters.sector, domain=filters.domain)


api.add_router("/", measurement_router)
api.add_router("/", network_router)
api.add_router("/", challenges_router)
api.add_router("/", backbone_router)
api.add_router("/", communication_router)
