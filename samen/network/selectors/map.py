"""The reads behind the network map: a fixed number of queries, the result cached per data version."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.urls import reverse
from django.utils import translation

from samen.core.local_copies import LocalCopies
from samen.network import graph, ties
from samen.network.models import Area, Member, Membership, Organisation, Sector

CACHE_SECONDS = 3600
# This process's own copies, by cache key (which holds the data version): unpickling a map of
# 7,500 nodes from the shared cache costs more than drawing the page.
_local = LocalCopies(16, CACHE_SECONDS)
T = TypeVar("T")


def _cached(key: str, build: Callable[[], T]) -> T:
    return _local.get_or_build(key, build)


def _key(version: int, *parts: object) -> str:
    return ":".join(["samen:network:map", str(version), translation.get_language() or "", *map(str, parts)])


def network_map(*, with_people: bool, version: int) -> graph.NetworkMap:
    """The whole map with its layout; built once per data version (ties.data_version) and language."""
    return _cached(_key(version, "full", int(with_people)), lambda: _build(with_people=with_people))


def map_measures(*, version: int) -> graph.Measures:
    """Ties across sectors, density, brokers…: the same for every audience, so cached once per version."""
    return _cached(
        _key(version, "measures"),
        lambda: graph.measures(network_map(with_people=False, version=version).organisations),
    )


def cached_drawing(name: str, draw: Callable[[], str], *, version: int) -> str:
    """A chart of the map's measures: built (spec and all) once per data version and language."""
    return _cached(_key(version, "drawing", name), draw)


def sectors() -> list[tuple[str, str]]:
    return list(Sector.objects.order_by("order", "name").values_list("slug", "name"))


def _organisations() -> list[tuple[int, str, str, str, frozenset[str]]]:
    domains: dict[int, set[str]] = defaultdict(set)
    for org_id, slug in Organisation.action_domains.through.objects.values_list(
        "organisation_id", "actiondomain__slug"
    ):
        domains[org_id].add(slug)
    url = reverse("network:organisation", kwargs={"slug": "SLUG"})
    return [
        (pk, name, sector, url.replace("SLUG", slug), frozenset(domains[pk]))
        for pk, name, slug, sector in Organisation.objects.order_by("name", "pk").values_list(
            "pk", "name", "slug", "sector__slug"
        )
    ]


def _people() -> list[graph.Person]:
    """Only people who said they may be shown; their neighbourhood only if they allowed that too."""
    consenting = Member.objects.filter(show_publicly=True, user__is_active=True)
    orgs: dict[int, list[int]] = defaultdict(list)
    for member_id, org_id in (
        Membership.objects.filter(is_confirmed=True, member__in=consenting)
        .order_by("pk")
        .values_list("member_id", "organisation_id")
    ):
        orgs[member_id].append(org_id)
    interests: dict[int, set[str]] = defaultdict(set)
    for member_id, slug in Member.interests.through.objects.filter(member__in=consenting).values_list(
        "member_id", "actiondomain__slug"
    ):
        interests[member_id].add(slug)
    rows = consenting.order_by("pk").values_list(
        "pk",
        "user__first_name",
        "user__last_name",
        "show_neighbourhood_publicly",
        "neighbourhood__path",
        "brought_by_id",
    )
    return [
        graph.Person(
            pk=pk,
            name=f"{first} {last}".strip(),
            organisations=orgs[pk],
            domains=frozenset(interests[pk]),
            area_path=(path or "") if shows_place else "",
            brought_by=brought_by,
        )
        for pk, first, last, shows_place, path, brought_by in rows
    ]


def _build(*, with_people: bool) -> graph.NetworkMap:
    return graph.build_map(
        sectors=[slug for slug, _name in sectors()],
        organisations=_organisations(),
        activities=ties.activities(),
        people=_people() if with_people else [],
    )


def area_path(code: str) -> str:
    if not code or "\x00" in code:
        return ""
    return Area.objects.filter(code=code).values_list("path", flat=True).first() or ""


def map_json(*, with_people: bool, version: int, domain: str = "", area: str = "") -> str:
    """The map as compact JSON for the drawing script: filtered, positions rounded, cached (kept by the
    process too: at X50000 reading the text from the database cache took longer than the page)."""
    key = _key(version, "json", int(with_people), domain[:60], area[:60])

    def build() -> str:
        network = network_map(with_people=with_people, version=version)
        keep, edges = graph.filtered(network, domain=domain, area_path=area_path(area))
        names = sectors()
        sector_index = {slug: i for i, (slug, _n) in enumerate(names)}
        position = {old: new for new, old in enumerate(keep)}
        nodes = []
        for i in keep:
            node = network.nodes[i]
            nodes.append(
                [node.kind, node.label, sector_index.get(node.sector, -1), round(node.x, 4), round(node.y, 4), node.url]
            )
        return json.dumps(
            {
                "sectors": [{"slug": slug, "name": name} for slug, name in names],
                "nodes": nodes,
                "edges": [[position[a], position[b]] for a, b in edges],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    return _cached(key, build)


def organisation_table(network: graph.NetworkMap, keep: list[int]) -> list[dict[str, Any]]:
    """The text alternative of the map: each organisation shown, its sector, ties and activities."""
    names = {int(n.key[1:]): n for n in network.nodes if n.kind == graph.ORGANISATION}
    sector_names = dict(sectors())
    rows = []
    for i in keep:
        node = network.nodes[i]
        if node.kind != graph.ORGANISATION:
            continue
        pk = int(node.key[1:])
        rows.append(
            {
                "name": node.label,
                "url": node.url,
                "sector": sector_names.get(node.sector, ""),
                "ties": ", ".join(names[o].label for o in network.ties_of.get(pk, []) if o in names),
                "activities": network.activities_of.get(pk, 0),
            }
        )
    return rows
