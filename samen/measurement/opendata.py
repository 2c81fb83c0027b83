"""Open data: the public figures as a Frictionless Data Package (datapackage.json + CSV files).

The same protection of small counts as the pages; English field names; one CSV per indicator."""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from samen.agenda.models import Initiative
from samen.measurement import selectors
from samen.measurement.models import Indicator
from samen.measurement.views import spreadsheet_safe

FIELDS = [
    ("indicator", "string", "The indicator's code"),
    ("period_start", "date", "First day of the period"),
    ("period_end", "date", "Last day of the period"),
    ("area", "string", "Area code; empty for the whole initiative"),
    ("dims", "string", "Breakdown as dimension=value pairs joined by ';'; empty for the total"),
    ("value", "number", "The value; empty when hidden to protect small counts"),
    ("numerator", "number", "For a ratio: the number the value counts"),
    ("denominator", "number", "For a ratio: out of how many"),
    ("suppressed", "boolean", "Hidden to protect small counts"),
    ("unreliable", "boolean", "Based on fewer people than the reliability threshold"),
    ("rolled_up", "boolean", "Summed from the areas below rather than reported"),
    ("coverage_reported", "integer", "How many of the areas below reported, counted in areas of coverage_unit"),
    ("coverage_total", "integer", "How many areas of coverage_unit lie within the area"),
    ("coverage_unit", "string", "The kind of area counted for the coverage (district, neighbourhood...)"),
    ("complete", "boolean", "Covers enough of the area (the indicator's coverage_required) to stand for the whole"),
]
INDICATOR_FIELDS = [
    ("code", "string"),
    ("name", "string"),
    ("definition", "string"),
    ("unit", "string"),
    ("kind", "string"),
    ("direction", "string"),
    ("level", "string"),
    ("frequency", "string"),
    ("cumulative", "boolean"),
    ("steward", "string"),
    ("disclosure_threshold", "integer"),
    ("definition_version", "integer"),
    ("coverage_required", "integer"),
]

# Higher apps add their own resources (the backbone's published report cards) without this app
# importing them: a provider takes the request and returns Data Package resources.
_resource_providers: list[Callable[[HttpRequest], list[dict]]] = []


def add_resources(provider: Callable[[HttpRequest], list[dict]]) -> None:
    if provider not in _resource_providers:
        _resource_providers.append(provider)


@require_GET
def datapackage(request: HttpRequest) -> JsonResponse:
    initiative = Initiative.objects.first()
    indicators = Indicator.objects.filter(is_published=True).order_by("code")
    resources = [
        {
            "name": "indicators",
            "path": request.build_absolute_uri(reverse("opendata_indicators")),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": [{"name": n, "type": t} for n, t in INDICATOR_FIELDS], "primaryKey": ["code"]},
        }
    ]
    for indicator in indicators:
        resources.append(
            {
                "name": indicator.code.replace("_", "-").lower(),
                "title": indicator.name_en or indicator.name,
                "path": request.build_absolute_uri(reverse("opendata_indicator", kwargs={"code": indicator.code})),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": n, "type": t, "description": d} for n, t, d in FIELDS],
                    "foreignKeys": [
                        {"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["code"]}}
                    ],
                },
            }
        )
    for provider in _resource_providers:
        resources.extend(provider(request))
    name = (initiative.name if initiative else "samen").lower().replace(" ", "-")
    return JsonResponse(
        {
            "name": f"{name}-shared-measurement",
            "title": f"{initiative.name if initiative else 'Samen'}: shared measurement",
            "description": "Approved values of the initiative's shared indicators. Counts below each indicator's "
            "disclosure threshold are hidden, with enough others that none can be worked out.",
            "licenses": [
                {
                    "name": "CC-BY-4.0",
                    "path": "https://creativecommons.org/licenses/by/4.0/",
                    "title": "Creative Commons Attribution 4.0",
                }
            ],
            "resources": resources,
        },
        json_dumps_params={"indent": 1, "ensure_ascii": False},
    )


@require_GET
def indicators_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([n for n, _t in INDICATOR_FIELDS])
    with translation.override("en"):
        for i in Indicator.objects.filter(is_published=True).select_related("steward").order_by("code"):
            row = [
                i.code,
                i.name,
                i.definition,
                i.unit,
                i.kind,
                i.direction,
                i.level,
                i.frequency,
                i.cumulative,
                i.steward.slug,
                i.disclosure_threshold,
                i.version,
                i.coverage_required,
            ]
            writer.writerow([spreadsheet_safe(v) for v in row])
    return response


@require_GET
def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = selectors.indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([n for n, _t, _d in FIELDS])
    for r in selectors.indicator_table(indicator):
        f = selectors.figure_fields(r.figure)
        writer.writerow(
            [
                indicator.code,
                r.period_start.isoformat(),
                r.period_end.isoformat(),
                spreadsheet_safe(r.area or ""),
                r.dims,
                *(_number(f[k]) for k in ("value", "numerator", "denominator")),
                *(str(f[k]).lower() for k in ("suppressed", "unreliable", "rolled_up")),
                *("" if f[k] is None else f[k] for k in ("coverage_reported", "coverage_total", "coverage_unit")),
                str(f["complete"]).lower(),
            ]
        )
    return response


def _number(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))
