"""The published report cards' figures in the open data package: one CSV per year, in English."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from samen.backbone.models import PublishedReport
from samen.measurement.views import spreadsheet_safe

FIELDS = [
    ("section", "string", "summary, network, events, funding, results, or an action domain's slug"),
    ("goal", "string", "The goal, for an indicator row"),
    ("name", "string", "What the figure is: an indicator's code or the figure's name"),
    ("value", "string", "The figure as published (small counts shown as '< 5')"),
    ("baseline", "string", "For an indicator: its baseline"),
    ("target", "string", "For an indicator: its target"),
    ("period", "string", "For an indicator: the period of the latest value"),
    ("people", "string", "For a percentage: the count of people behind it"),
    ("trend", "string", "up, down or flat since the value before"),
    ("note", "string", "A data gap ('no value since 2024') or the spread between neighbourhoods"),
]


def resources(request: HttpRequest) -> list[dict[str, Any]]:
    years = PublishedReport.objects.filter(language="en").order_by("year").values_list("year", flat=True)
    return [
        {
            "name": f"report-card-{year}",
            "title": f"Report card {year}",
            "path": request.build_absolute_uri(reverse("opendata_report_card", kwargs={"year": year})),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in FIELDS]},
        }
        for year in years
    ]


def rows(figures: dict[str, Any]) -> Iterator[list[Any]]:
    network, events, funding = figures["network"], figures["events"], figures["funding"]
    for name in ("members", "joined", "brought_in", "longest_chain", "organisations", "organisations_joined"):
        yield ["network", "", name, network[name], "", "", "", "", "", ""]
    for sector, n in network["sectors"]:
        yield ["network", "", f"sector:{sector}", n, "", "", "", "", "", ""]
    yield ["events", "", "events", events["events"], "", "", "", "", "", ""]
    yield ["events", "", "attendance", events["attendance"], "", "", "", "", "", ""]
    for c in events["campaigns"]:
        yield ["events", "", f"campaign:{c['title']}", c["attendance"], "", "", "", "", "", ""]
    yield ["funding", "", "total", funding["total"], "", "", "", "", "", ""]
    for year, total in funding["by_year"]:
        yield ["funding", "", f"year:{year}", total, "", "", "", "", "", ""]
    for label, n in figures["results"]["by_status"]:
        yield ["results", "", label, n, "", "", "", "", "", ""]
    for domain in figures["domains"]:
        for goal in domain["goals"]:
            for i in goal["indicators"]:
                note = i["gap"]
                if i["disparity"]:
                    low, high = i["disparity"]["lowest"], i["disparity"]["highest"]
                    note = "; ".join(filter(None, [note, f"{low[1]} in {low[0]} to {high[1]} in {high[0]}"]))
                yield [
                    domain["slug"],
                    goal["title"],
                    i["code"],
                    i["latest"],
                    i["baseline"],
                    i["target"],
                    i["latest_period"],
                    i["people"],
                    i["trend"],
                    note,
                ]


@require_GET
def report_card_csv(request: HttpRequest, year: int) -> HttpResponse:
    report = PublishedReport.objects.filter(year=year, language="en").first()
    if report is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([n for n, _t, _d in FIELDS])
    for row in rows(report.figures):
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    return response
