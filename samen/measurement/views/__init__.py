from __future__ import annotations

import csv
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from samen.measurement import charts, selectors
from samen.measurement.models import Indicator
from samen.measurement.selectors import IndicatorView, figure_fields, format_value
from samen.network.page_cache import visitor_page
from samen.network.table_versions import public_version


@visitor_page(selectors.figure_tables)
def dashboard(request: HttpRequest) -> HttpResponse:
    def domains() -> list:
        indicators = selectors.published_indicators()
        views = selectors.indicator_views(indicators)
        return [
            (domain, [_card(views[i.pk]) for i in members])
            for domain, members in selectors.indicators_by_domain(indicators)
        ]

    # Lazy: computed only when the public part is not in the cache (or for a signed-in person).
    return render(
        request,
        "measurement/dashboard.html",
        {"public_version": public_version(request, selectors.figure_tables()), "domains": SimpleLazyObject(domains)},
    )


def _card(view: IndicatorView) -> dict:
    latest = view.latest
    shown = [p for p in view.series if p.figure.shown]
    return {
        "view": view,
        "indicator": view.indicator,
        "latest": latest,
        "value": format_value(view.indicator, latest.figure.cell.value) if latest and latest.figure.shown else None,
        "status": view.status,
        "status_label": selectors.status_label(view.status),
        "sparkline": charts.sparkline(view),
        # The sparkline names its first and last value, so the line has a scale.
        "ends": shown[:: len(shown) - 1] if len(shown) > 1 else [],
        "target": view.targets[-1] if view.targets else None,
        "target_value": format_value(view.indicator, view.targets[-1].value) if view.targets else None,
    }


def _indicator_or_404(code: str) -> Indicator:
    try:
        return selectors.indicator_for_page(code)
    except Indicator.DoesNotExist:
        raise Http404 from None


def _small_counts(request: HttpRequest, indicator: Indicator) -> bool:
    return request.user.has_perm("measurement.see_small_counts", indicator)


@visitor_page(selectors.figure_tables)
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    # Lazy: computed only when the public part is not in the cache (or for a signed-in person).
    return render(
        request,
        "measurement/indicator_detail.html",
        {
            "public_version": public_version(request, selectors.figure_tables(), indicator.pk),
            "indicator": indicator,
            **{name: SimpleLazyObject(part) for name, part in _detail(request, indicator).items()},
            "can_submit": request.user.has_perm("measurement.submit_for_indicator", indicator),
        },
    )


def _detail(request: HttpRequest, indicator: Indicator) -> dict[str, Callable[[], object]]:
    """The parts of an indicator's page, each computed when the template first reads it."""
    view = SimpleLazyObject(lambda: selectors.indicator_view(indicator, small_counts=_small_counts(request, indicator)))

    def map_kind() -> str | None:
        return next(
            (
                kind
                for kind in ("neighbourhood", "district")
                if sum(1 for a in view.areas if a.kind == kind and a.figure.shown) >= 2
            ),
            None,
        )

    kind = SimpleLazyObject(map_kind)
    return {
        "view": lambda: view,
        "card": lambda: _card(view),
        "series_chart": lambda: charts.series_chart(view),
        "chart_text": lambda: charts.chart_text(view),
        "map": lambda: charts.area_map(view, kind=str(kind)) if kind else "",
        "map_kind": lambda: kind,
        "map_areas": lambda: charts.map_areas(view, str(kind)) if kind else [],
        "breakdowns": lambda: [
            (name, parts, charts.breakdown_chart(view, i, name, parts))
            for i, (name, parts) in enumerate(view.breakdowns)
        ],
    }


# --- Downloads ------------------------------------------------------------------------------------

COLUMNS = [
    "indicator",
    "period_start",
    "period_end",
    "area",
    "area_name",
    "dimensions",
    "value",
    "numerator",
    "denominator",
    "rolled_up",
    "suppressed",
    "unreliable",
    "coverage_reported",
    "coverage_total",
    "coverage_unit",
    "complete",
    "story",
]


def _export_rows(view: IndicatorView) -> list[dict]:
    """The public figures of an indicator as rows: the series, then the latest period by area."""
    code = view.indicator.code
    stories = {n.period_end: n.text for n in view.narratives}
    rows = [
        {**_export_row(code, p.start, p.end, "", view.indicator.name, "", p.figure), "story": stories.get(p.end, "")}
        for p in view.series
    ]
    if view.latest:
        for a in view.areas:
            rows.append(_export_row(code, view.latest.start, view.latest.end, a.code, a.name, "", a.figure))
        for name, parts in view.breakdowns:
            for label, figure in parts:
                rows.append(_export_row(code, view.latest.start, view.latest.end, "", "", f"{name}: {label}", figure))
    return rows


def _export_row(code, start, end, area, area_name, dims, figure) -> dict:
    fields = figure_fields(figure)
    if fields["value"] is not None:
        fields["value"] = round(fields["value"], 4)
    return {
        "indicator": code,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "area": area,
        "area_name": area_name,
        "dimensions": dims,
        **fields,
        "story": "",
    }


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    view = selectors.indicator_view(indicator, small_counts=_small_counts(request, indicator))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.csv"'
    writer = csv.DictWriter(response, fieldnames=COLUMNS)
    writer.writeheader()
    for row in _export_rows(view):
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return response


def indicator_json(request: HttpRequest, code: str) -> JsonResponse:
    indicator = _indicator_or_404(code)
    view = selectors.indicator_view(indicator, small_counts=_small_counts(request, indicator))
    data = {
        "indicator": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "definition_version": indicator.version,
        "rows": _export_rows(view),
        "stories": [{"period_end": n.period_end.isoformat(), "text": n.text} for n in view.narratives],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.json"'
    return response
