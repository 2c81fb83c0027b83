"""The network map: organisations, activities and (for members, with consent) people, with
measures computed by networkx on the ties between organisations.

Two organisations are tied when they work on an activity together. The layout is computed here,
in plain Python (no numpy): each sector gets a wedge of a circle, its organisations sit inside
it with the most tied ones nearest the centre, an activity sits among its organisations, and a
person next to their organisation. That is O(n) and stable, so it is cheap at 5,000 people."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from samen.network.ties import ActivityTie

ORGANISATION, ACTIVITY, PERSON = "o", "a", "p"
GOLDEN = (math.sqrt(5) - 1) / 2
# Above this many organisations, betweenness is estimated from this many sampled sources (seeded, so
# stable): exact Brandes is O(nodes × ties), seconds in pure Python at 500 organisations.
EXACT_BETWEENNESS_UP_TO = 200


# --- The tie graph of organisations and its measures --------------------------------------------


def organisation_graph(organisations: dict[int, str], activities: Iterable[ActivityTie]) -> nx.Graph:
    """Organisations (id → sector slug) tied when they share an activity; edges know how often and since when."""
    graph = nx.Graph()
    for pk, sector in organisations.items():
        graph.add_node(pk, sector=sector)
    for activity in activities:
        orgs = sorted({o for o in activity.organisation_ids if o in organisations})
        for i, a in enumerate(orgs):
            for b in orgs[i + 1 :]:
                if graph.has_edge(a, b):
                    edge = graph[a][b]
                    edge["weight"] += 1
                    if activity.year is not None:
                        edge["since"] = min(edge["since"] or activity.year, activity.year)
                else:
                    graph.add_edge(a, b, weight=1, since=activity.year)
    return graph


def cross_sector(graph: nx.Graph, a: Any, b: Any) -> bool:
    return graph.nodes[a]["sector"] != graph.nodes[b]["sector"]


def cross_sector_ties(graph: nx.Graph) -> int:
    return sum(1 for a, b in graph.edges if cross_sector(graph, a, b))


def density(graph: nx.Graph) -> float:
    return nx.density(graph) if graph.number_of_nodes() > 1 else 0.0


def without_ties(graph: nx.Graph) -> list[Any]:
    return sorted(nx.isolates(graph))


def brokers(graph: nx.Graph, *, top: int = 10) -> list[tuple[Any, float]]:
    """The organisations most often on the shortest path between others (betweenness), highest first."""
    if graph.number_of_edges() == 0:
        return []
    n = graph.number_of_nodes()
    if n > EXACT_BETWEENNESS_UP_TO:
        scores = nx.betweenness_centrality(graph, k=EXACT_BETWEENNESS_UP_TO // 2, seed=2018)
    else:
        scores = nx.betweenness_centrality(graph)
    ranked = sorted(((node, score) for node, score in scores.items() if score > 0), key=lambda x: (-x[1], x[0]))
    return ranked[:top]


def cross_sector_by_year(graph: nx.Graph) -> list[tuple[int, int, int]]:
    """(year, new cross-sector ties that year, all cross-sector ties by the end of it)."""
    new: dict[int, int] = defaultdict(int)
    for a, b, since in graph.edges(data="since"):
        if since is not None and cross_sector(graph, a, b):
            new[since] += 1
    rows, total = [], 0
    for year in range(min(new), max(new) + 1) if new else []:
        total += new.get(year, 0)
        rows.append((year, new.get(year, 0), total))
    return rows


@dataclass
class Measures:
    organisations: int
    ties: int
    cross_sector_ties: int
    density: float
    without_ties: list[int]
    brokers: list[tuple[int, float]]
    by_year: list[tuple[int, int, int]]

    @property
    def cross_sector_share(self) -> float | None:
        return self.cross_sector_ties / self.ties if self.ties else None


def measures(graph: nx.Graph) -> Measures:
    return Measures(
        organisations=graph.number_of_nodes(),
        ties=graph.number_of_edges(),
        cross_sector_ties=cross_sector_ties(graph),
        density=density(graph),
        without_ties=without_ties(graph),
        brokers=brokers(graph),
        by_year=cross_sector_by_year(graph),
    )


# --- Layout ---------------------------------------------------------------------------------------


def _jitter(key: str, scale: float) -> tuple[float, float]:
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return ((digest[0] / 255 - 0.5) * scale, (digest[1] / 255 - 0.5) * scale)


def sector_layout(
    sectors: list[str], organisations: dict[int, str], degree: dict[int, int]
) -> dict[int, tuple[float, float]]:
    """Positions of organisations: a wedge per sector (sized by its organisations), the best tied inside."""
    by_sector: dict[str, list[int]] = defaultdict(list)
    for pk, sector in organisations.items():
        by_sector[sector].append(pk)
    order = [s for s in sectors if by_sector.get(s)] + sorted(s for s in by_sector if s not in sectors)
    total = sum(len(by_sector[s]) + 1 for s in order) or 1
    positions, start = {}, 0.0
    for sector in order:
        members = sorted(by_sector[sector], key=lambda pk: (-degree.get(pk, 0), pk))
        width = 2 * math.pi * (len(members) + 1) / total
        for i, pk in enumerate(members):
            radius = 0.25 + 0.7 * math.sqrt((i + 0.5) / len(members))
            angle = start + width * (0.08 + 0.84 * ((i * GOLDEN) % 1))
            positions[pk] = (radius * math.cos(angle), radius * math.sin(angle))
        start += width
    return positions


# --- The whole map ---------------------------------------------------------------------------------


@dataclass
class MapNode:
    kind: str
    key: str
    label: str
    sector: str
    url: str
    x: float = 0.0
    y: float = 0.0
    domains: frozenset[str] = frozenset()
    areas: tuple[str, ...] = ()


@dataclass
class NetworkMap:
    nodes: list[MapNode]
    edges: list[tuple[int, int]]
    organisations: nx.Graph  # the tie graph the measures are computed on
    ties_of: dict[int, list[int]] = field(default_factory=dict)  # organisation id → tied organisation ids
    activities_of: dict[int, int] = field(default_factory=dict)  # organisation id → number of activities


@dataclass
class Person:
    pk: int
    name: str
    organisations: list[int]
    domains: frozenset[str]
    area_path: str
    brought_by: int | None


def build_map(
    *,
    sectors: list[str],
    organisations: list[tuple[int, str, str, str, frozenset[str]]],  # (id, name, sector, url, domains)
    activities: list[ActivityTie],
    people: list[Person],
) -> NetworkMap:
    org_sector = {pk: sector for pk, _n, sector, _u, _d in organisations}
    graph = organisation_graph(org_sector, activities)
    positions = sector_layout(sectors, org_sector, dict(graph.degree()))
    nodes: list[MapNode] = []
    index: dict[str, int] = {}
    for pk, name, sector, url, domains in organisations:
        x, y = positions[pk]
        index[f"o{pk}"] = len(nodes)
        nodes.append(MapNode(ORGANISATION, f"o{pk}", name, sector, url, x, y, domains))
    edges: list[tuple[int, int]] = []
    activities_of: dict[int, int] = defaultdict(int)
    for activity in activities:
        orgs = [o for o in activity.organisation_ids if o in org_sector]
        if not orgs:
            continue
        x = sum(positions[o][0] for o in orgs) / len(orgs) * 0.92
        y = sum(positions[o][1] for o in orgs) / len(orgs) * 0.92
        dx, dy = _jitter(activity.key, 0.06)
        index[activity.key] = len(nodes)
        nodes.append(
            MapNode(
                ACTIVITY,
                activity.key,
                activity.label,
                org_sector[orgs[0]],
                activity.url,
                x + dx,
                y + dy,
                frozenset(activity.domains),
                activity.area_paths,
            )
        )
        for o in orgs:
            edges.append((index[f"o{o}"], index[activity.key]))
            activities_of[o] += 1
    _place_people(people, nodes, edges, index, positions, org_sector)
    ties_of = {pk: sorted(graph.neighbors(pk)) for pk in org_sector}
    return NetworkMap(nodes, edges, graph, ties_of, dict(activities_of))


def _place_people(people, nodes, edges, index, positions, org_sector) -> None:
    crowd: dict[int, int] = defaultdict(int)  # people already placed around an organisation
    for person in people:
        orgs = [o for o in person.organisations if o in org_sector]
        key = f"p{person.pk}"
        if orgs:
            home = orgs[0]
            k = crowd[home]
            crowd[home] += 1
            # A small sunflower around the organisation: evenly spread, however many.
            radius, angle = 0.012 * math.sqrt(k + 1), k * 2 * math.pi * GOLDEN
            x = positions[home][0] + radius * math.cos(angle)
            y = positions[home][1] + radius * math.sin(angle)
            sector = org_sector[home]
        else:
            angle = 2 * math.pi * (int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % 10_000) / 10_000
            x, y, sector = 1.08 * math.cos(angle), 1.08 * math.sin(angle), ""
        index[key] = len(nodes)
        nodes.append(
            MapNode(
                PERSON,
                key,
                person.name,
                sector,
                "",
                x,
                y,
                person.domains,
                (person.area_path,) if person.area_path else (),
            )
        )
        for o in orgs:
            edges.append((index[f"o{o}"], index[key]))
    for person in people:
        if person.brought_by is not None and f"p{person.brought_by}" in index:
            edges.append((index[f"p{person.brought_by}"], index[f"p{person.pk}"]))


def filtered(network: NetworkMap, *, domain: str = "", area_path: str = "") -> tuple[list[int], list[tuple[int, int]]]:
    """The nodes (indexes) and edges left by a domain and an area filter.

    Activities and people match on their own domains and places; organisations on their
    domains, and (under an area filter, having no place of their own) on being tied to what is left."""
    if not domain and not area_path:
        return list(range(len(network.nodes))), network.edges

    def matches(node: MapNode) -> bool:
        if domain and domain not in node.domains:
            return False
        if area_path and node.kind != ORGANISATION:
            return any(path.startswith(area_path) for path in node.areas)
        return True

    keep = {i for i, node in enumerate(network.nodes) if matches(node)}
    if area_path:
        tied = {o for o, other in network.edges if other in keep and network.nodes[other].kind != ORGANISATION}
        keep = {i for i in keep if network.nodes[i].kind != ORGANISATION or i in tied}
    edges = [(a, b) for a, b in network.edges if a in keep and b in keep]
    return sorted(keep), edges
