"""The network map page (drawn by a small script of our own, with a table as text alternative)
and its data endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain
from samen.network import charts, graph, ties
from samen.network.models import Area
from samen.network.selectors import map as map_selectors


def _filters(request: HttpRequest) -> tuple[str, str]:
    return request.GET.get("domain", "")[:60], request.GET.get("area", "")[:60]


def network_map(request: HttpRequest) -> HttpResponse:
    domain, area = _filters(request)
    with_people = request.user.is_authenticated
    version = ties.data_version()
    network = map_selectors.network_map(with_people=with_people, version=version)
    keep, edges = graph.filtered(network, domain=domain, area_path=map_selectors.area_path(area))
    organisation_names = {int(n.key[1:]): n.label for n in network.nodes if n.kind == graph.ORGANISATION}
    m = map_selectors.map_measures(version=version)
    by_year = [(str(year), total) for year, _new, total in m.by_year]
    counts = dict.fromkeys((graph.ORGANISATION, graph.ACTIVITY, graph.PERSON), 0)
    for i in keep:
        counts[network.nodes[i].kind] += 1
    return render(
        request,
        "network/map.html",
        {
            "domain": domain,
            "area": area,
            "domains": ActionDomain.objects.order_by("order", "name"),
            "areas": Area.objects.order_by("path").only("code", "name", "kind"),
            "with_people": with_people,
            "sectors": map_selectors.sectors(),
            "measures": m,
            "share_percent": (m.cross_sector_share or 0) * 100,
            "brokers": [(organisation_names.get(pk, "?"), score) for pk, score in m.brokers],
            "without_ties": [organisation_names.get(pk, "?") for pk in m.without_ties],
            "by_year": m.by_year,
            "by_year_svg": map_selectors.cached_drawing(
                "by-year",
                lambda: charts.bar_chart(by_year, title=_("Cross-sector ties (running total)")),
                version=version,
            ),
            "table": lambda: map_selectors.organisation_table(network, keep),  # only built on a cache miss
            "data_version": version,
            "counts": counts,
            "edge_count": len(edges),
        },
    )


def map_data(request: HttpRequest) -> HttpResponse:
    """Nodes as [kind, label, sector index, x, y, url] and edges as index pairs; people only for members.
    Not a `visitor_page`: the text is kept by each process (`selectors.map`), which costs less than
    reading a whole-page copy from the shared cache (1.0 against 1.7 ms of CPU at X5000)."""
    domain, area = _filters(request)
    text = map_selectors.map_json(
        with_people=request.user.is_authenticated, version=ties.data_version(), domain=domain, area=area
    )
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response
