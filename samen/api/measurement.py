"""The measurement API: public figures without a token (small counts protected), values in with one."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from samen.api.models import ApiToken
from samen.api.pagination import Paging
from samen.api.services import token_for
from samen.measurement import selectors, services
from samen.measurement.compute import Point
from samen.measurement.models import Indicator, Measurement
from samen.measurement.selectors import Figure, TableRow, figure_fields
from samen.measurement.validation import Catalogue, RowError
from samen.network.table_versions import public_version

router = Router(tags=["measurement"])
MAX_ROWS = 10_000


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return token_for(token)


class PointOut(Schema):
    date: datetime.date
    value: float


class FigureOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    area: str | None = Field(None, description="Area code; null is the whole initiative.")
    dims: str = Field("", description="Breakdown as dimension=value pairs joined by ';'; empty is the total.")
    value: float | None = Field(None, description="Null when hidden to protect small counts.")
    numerator: float | None = None
    denominator: float | None = None
    suppressed: bool
    unreliable: bool
    rolled_up: bool
    coverage_reported: int | None = Field(
        None,
        description='How many of the areas below reported ("3 of 8 districts"), counted at the depth of the '
        "finest area that reported; null when the figure covers nothing to count.",
    )
    coverage_total: int | None = Field(None, description="How many areas of that kind lie within the area.")
    coverage_unit: str = Field(
        "", description="The kind of area counted: city, district, neighbourhood or another kind of area."
    )
    complete: bool = Field(
        description="Covers enough of the area (the indicator's coverage_required) to stand for the whole; headline, "
        "status and forecast use only complete periods."
    )


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    unit: str
    kind: str
    direction: str
    level: str
    frequency: str
    cumulative: bool
    steward: str
    goals: list[str]
    dimensions: list[str]
    disclosure_threshold: int
    coverage_required: int = Field(description="Share of the areas (%) that must report for a figure of the whole.")
    definition_version: int
    baseline: PointOut | None
    targets: list[PointOut]
    status: str
    latest: FigureOut | None
    url: str


class StoryOut(Schema):
    period_end: datetime.date
    text: str


class IndicatorDetailOut(IndicatorOut):
    series: list[FigureOut]
    stories: list[StoryOut]


class MeasurementFilter(Schema):
    area: str | None = Field(None, description="An area code, or 'initiative' for the whole initiative.")
    period_from: datetime.date | None = Field(None, description="Periods ending on or after this date.")
    period_to: datetime.date | None = Field(None, description="Periods ending on or before this date.")
    dims: str | None = Field(None, description="Exact breakdown, e.g. sex=f; empty for totals only.")


class MeasurementIn(Schema):
    indicator: str
    area: str | None = Field(None, description="Area code; empty or null for the whole initiative.")
    period_start: datetime.date
    period_end: datetime.date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    dims: dict[str, str] = Field(default_factory=dict, description='e.g. {"sex": "f"}')
    confirmed: bool = Field(False, description="The value is right although outside the indicator's plausible range.")


class WriteOut(Schema):
    received: int
    new: int
    changed: int
    unchanged: int
    status: str


class RowProblem(Schema):
    index: int
    field: str
    message: str


class ProblemsOut(Schema):
    detail: str
    errors: list[RowProblem] = []


def _figure_out(start, end, area, dims, figure: Figure) -> dict:
    return {"period_start": start, "period_end": end, "area": area, "dims": dims, **figure_fields(figure)}


def _point(p: Point | None) -> dict | None:
    return {"date": p.date, "value": p.value} if p else None


def _indicator_out(request: HttpRequest, indicator: Indicator, view) -> dict:
    latest = view.latest
    return {
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "level": indicator.level,
        "frequency": indicator.frequency,
        "cumulative": indicator.cumulative,
        "steward": indicator.steward.slug,
        "goals": [g.slug for g in indicator.goals.all()],
        "dimensions": [d.slug for d in indicator.dimensions.all()],
        "disclosure_threshold": indicator.disclosure_threshold,
        "coverage_required": indicator.coverage_required,
        "definition_version": indicator.version,
        "baseline": _point(view.baseline),
        "targets": [_point(t) for t in view.targets],
        "status": view.status,
        "latest": _figure_out(latest.start, latest.end, None, "", latest.figure) if latest else None,
        "url": request.build_absolute_uri(indicator.get_absolute_url()),
    }


def _published(code: str) -> Indicator:
    try:
        return selectors.indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise HttpError(404, f"No published indicator with the code {code!r}.") from None


@router.get("/indicators", response=list[IndicatorOut], summary="Published indicators with their latest value")
def indicators(request: HttpRequest):
    # For visitors without an account, the list is built once per data version, host and language.
    version = public_version(
        request, selectors.figure_tables(), request.scheme, request.get_host(), translation.get_language()
    )
    key = f"samen:public:api-indicators:{version}"
    listed = cache.get(key) if version else None
    if listed is None:
        found = selectors.published_indicators()
        views = selectors.indicator_views(found)
        listed = [_indicator_out(request, i, views[i.pk]) for i in found]
        if version:
            cache.set(key, listed, selectors.CACHE_SECONDS)
    return listed


@router.get(
    "/indicators/{code}",
    response={200: IndicatorDetailOut, 404: ProblemsOut, 422: ProblemsOut},
    summary="One indicator and its series",
)
def indicator(request: HttpRequest, code: str):
    found = _published(code)
    view = selectors.indicator_view(found)
    data = _indicator_out(request, found, view)
    data["series"] = [_figure_out(p.start, p.end, None, "", p.figure) for p in view.series]
    data["stories"] = [{"period_end": n.period_end, "text": n.text} for n in view.narratives]
    return data


@router.get(
    "/indicators/{code}/measurements",
    response={200: list[FigureOut], 404: ProblemsOut, 422: ProblemsOut},
    summary="Approved values and roll-ups by period, area and breakdown",
)
@paginate(Paging)
def measurements(request: HttpRequest, code: str, filters: Query[MeasurementFilter]):
    found = _published(code)
    rows: list[TableRow] = selectors.indicator_table(found)
    wanted_area = None if filters.area in (None, "initiative") else filters.area
    picked = [
        r
        for r in rows
        if (filters.area is None or r.area == wanted_area)
        and (filters.period_from is None or r.period_end >= filters.period_from)
        and (filters.period_to is None or r.period_end <= filters.period_to)
        and (filters.dims is None or r.dims == filters.dims)
    ]
    return [_figure_out(r.period_start, r.period_end, r.area, r.dims, r.figure) for r in picked]


@router.post(
    "/measurements",
    auth=TokenAuth(),
    response={200: WriteOut, 401: ProblemsOut, 409: ProblemsOut, 422: ProblemsOut},
    summary="Send values (all or nothing) for the indicators the token's organisation stewards",
)
def write_measurements(request: HttpRequest, rows: list[MeasurementIn]):
    token: ApiToken = request.auth
    if not rows or len(rows) > MAX_ROWS:
        return Status(422, {"detail": f"Send between 1 and {MAX_ROWS} values per request."})
    catalogue = Catalogue()
    checked, errors = [], []
    for index, row in enumerate(rows):
        try:
            found = catalogue.row(
                indicator=row.indicator,
                area=row.area,
                period_start=row.period_start,
                period_end=row.period_end,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                dims=row.dims,
                confirmed=row.confirmed,
            )
            if found.indicator.steward_id != token.organisation_id:
                raise RowError("indicator", f"{token.organisation.name} does not steward {found.indicator.code}")
            checked.append(found)
        except RowError as error:
            errors.append({"index": index, "field": error.column, "message": error.message})
    if errors:
        return Status(
            422, {"detail": f"{len(errors)} value(s) are not right; nothing was stored.", "errors": errors[:200]}
        )
    keys = [r.key for r in checked]
    if len(set(keys)) != len(keys):
        return Status(
            422, {"detail": "The same indicator, area, period and breakdown appear twice; nothing was stored."}
        )
    outcomes = {"new": 0, "changed": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            for found in checked:
                _m, outcome = services.measurement_record(
                    row=found,
                    actor=None,
                    organisation=token.organisation,
                    status=Measurement.Status.SUBMITTED,
                    note=f"API token {token.prefix}…",
                )
                outcomes[outcome] += 1
    except RowError as error:  # an import is storing values of the indicator right now
        return Status(409, {"detail": f"{error.message} Nothing was stored."})
    return {"received": len(rows), **outcomes, "status": Measurement.Status.SUBMITTED}
