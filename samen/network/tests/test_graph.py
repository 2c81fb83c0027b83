"""The measures of the network map on small graphs whose answers are known by hand."""

import networkx as nx
import pytest

from samen.network import graph
from samen.network.ties import ActivityTie


def tie(key, *orgs, year=None, domains=(), areas=()):
    return ActivityTie(key=key, label=key, url="", organisation_ids=orgs, domains=domains, area_paths=areas, year=year)


SECTORS = {1: "care", 2: "care", 3: "welfare", 4: "business", 5: "government"}


def test_organisations_are_tied_when_they_share_an_activity():
    g = graph.organisation_graph(SECTORS, [tie("a", 1, 2, 3, year=2020), tie("b", 1, 2, year=2019)])
    assert sorted(g.edges) == [(1, 2), (1, 3), (2, 3)]
    assert g[1][2] == {"weight": 2, "since": 2019}


def test_cross_sector_ties_density_and_organisations_without_ties():
    g = graph.organisation_graph(SECTORS, [tie("a", 1, 2, 3)])
    assert graph.cross_sector_ties(g) == 2  # 1-3 and 2-3; 1-2 are both care
    assert graph.density(g) == pytest.approx(3 / 10)  # 3 of the 5*4/2 possible ties
    assert graph.without_ties(g) == [4, 5]


def test_the_middle_of_a_path_is_the_broker():
    # 1 - 3 - 4 - 5: 3 and 4 sit between the others; 3 and 4 equally (symmetric path).
    g = graph.organisation_graph(SECTORS, [tie("a", 1, 3), tie("b", 3, 4), tie("c", 4, 5)])
    brokers = graph.brokers(g)
    assert [node for node, _score in brokers] == [3, 4]
    assert brokers[0][1] == pytest.approx(nx.betweenness_centrality(g)[3])
    assert brokers[0][1] == pytest.approx(2 / 6)  # 2 of the 6 pairs of the other nodes pass through 3


def test_the_centre_of_a_star_is_the_only_broker():
    g = graph.organisation_graph(SECTORS, [tie(f"t{o}", 1, o) for o in (2, 3, 4, 5)])
    assert graph.brokers(g) == [(1, pytest.approx(1.0))]


def test_no_ties_no_brokers_and_an_empty_graph_has_no_density():
    assert graph.brokers(graph.organisation_graph(SECTORS, [])) == []
    assert graph.density(graph.organisation_graph({1: "care"}, [])) == 0.0


def test_cross_sector_collaboration_by_year_counts_new_and_running_totals():
    activities = [
        tie("a", 1, 3, year=2019),
        tie("b", 2, 4, year=2021),
        tie("c", 1, 2, year=2020),
        tie("d", 3, 5, year=2021),
    ]
    g = graph.organisation_graph(SECTORS, activities)
    # 1-2 is within care and does not count; 2020 has no new cross-sector tie but is listed.
    assert graph.cross_sector_by_year(g) == [(2019, 1, 1), (2020, 0, 1), (2021, 2, 3)]


def test_a_tie_counts_from_the_first_year_the_organisations_worked_together():
    g = graph.organisation_graph(SECTORS, [tie("a", 1, 3, year=2022), tie("b", 1, 3, year=2018)])
    assert graph.cross_sector_by_year(g)[0] == (2018, 1, 1)


def test_the_layout_puts_sectors_in_their_own_wedge_and_the_best_tied_near_the_centre():
    orgs = {1: "care", 2: "care", 3: "care", 4: "welfare"}
    positions = graph.sector_layout(["care", "welfare"], orgs, {1: 0, 2: 5, 3: 1, 4: 0})
    radius = {pk: (x * x + y * y) ** 0.5 for pk, (x, y) in positions.items()}
    assert radius[2] < radius[3] < radius[1]
    assert all(r <= 1.0 for r in radius.values())
    assert positions == graph.sector_layout(["care", "welfare"], orgs, {1: 0, 2: 5, 3: 1, 4: 0})  # stable


def _map():
    organisations = [
        (1, "Zorg A", "care", "/o/1/", frozenset({"zorg"})),
        (3, "Welzijn B", "welfare", "/o/3/", frozenset({"welzijn"})),
        (4, "Bedrijf C", "business", "/o/4/", frozenset()),
    ]
    activities = [tie("activity-1", 1, 3, domains=("zorg",), areas=("/hasselt/kiewit/",))]
    people = [
        graph.Person(7, "Noor", [1], frozenset({"zorg"}), "/hasselt/runkst/", None),
        graph.Person(8, "Jan", [], frozenset(), "", 7),
    ]
    return graph.build_map(
        sectors=["care", "welfare", "business"], organisations=organisations, activities=activities, people=people
    )


def test_the_map_has_organisations_activities_people_and_their_lines():
    network = _map()
    assert [n.key for n in network.nodes] == ["o1", "o3", "o4", "activity-1", "p7", "p8"]
    assert sorted(network.edges) == [(0, 3), (0, 4), (1, 3), (4, 5)]
    assert network.ties_of == {1: [3], 3: [1], 4: []}
    assert graph.measures(network.organisations).without_ties == [4]


def test_filtering_by_domain_keeps_what_works_on_it():
    network = _map()
    keep, edges = graph.filtered(network, domain="zorg")
    assert [network.nodes[i].key for i in keep] == ["o1", "activity-1", "p7"]
    assert sorted(edges) == [(0, 3), (0, 4)]


def test_filtering_by_area_keeps_the_organisations_tied_to_what_is_there():
    network = _map()
    keep, _edges = graph.filtered(network, area_path="/hasselt/kiewit/")
    assert [network.nodes[i].key for i in keep] == ["o1", "o3", "activity-1"]
    keep, _edges = graph.filtered(network, area_path="/hasselt/")
    assert [network.nodes[i].key for i in keep] == ["o1", "o3", "activity-1", "p7"]
