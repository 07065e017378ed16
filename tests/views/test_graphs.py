"""Each view on a store of generated releases, checked node by node and edge by edge against the
gold facts the releases were generated from (tests/views/gold_views.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from cckg.store import OxigraphStore
from cckg.views import catalog
from cckg.views.graphs import Filters, ViewError
from views import gold_views

KIND_NAMES = {"event": "events", "agreement": "agreements", "operation": "operations",
              "cooperation": "cooperations"}  # fmt: skip


def pairs(graph: nx.Graph) -> dict[tuple[str, str], dict]:
    return {tuple(sorted((s, t))): d for s, t, d in graph.edges(data=True)}


def agency_counts(graph: nx.Graph) -> dict[tuple[str, str], Counter]:
    return {
        pair: Counter({kind: data[plural] for kind, plural in KIND_NAMES.items() if data[plural]})
        for pair, data in pairs(graph).items()
    }


def test_agencies_view_matches_the_gold_facts(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "agencies")
    assert set(graph.nodes) == gold_views.agencies(golds)
    assert agency_counts(graph) == gold_views.agency_edges(golds)
    years = gold_views.agency_years(golds)
    for pair, data in pairs(graph).items():
        assert data["weight"] == sum(gold_views.agency_edges(golds)[pair].values())
        assert set(data["years"]) == years.get(pair, set())
        assert sum(data["facts_by_year"].values()) <= data["weight"]


def test_agencies_view_year_range(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "agencies", Filters(start=2010, end=2015))
    expected = gold_views.agency_edges(golds, start=2010, end=2015)
    assert expected and agency_counts(graph) == expected
    assert all(2010 <= y <= 2015 for _, _, d in graph.edges(data=True) for y in d["years"])
    assert set(graph.nodes) == {a for pair in expected for a in pair}


def test_agencies_view_crime_type(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    crime = Counter(c for gold in golds for c in gold["crime_types"]).most_common(1)[0][0]
    graph = catalog.build(generated_store, "agencies", Filters(crime=crime))
    expected = gold_views.agency_edges(golds, crime=crime)
    assert expected and agency_counts(graph) == expected
    assert all(crime in d["crime_types"] for _, _, d in graph.edges(data=True))


def test_agency_with_its_neighbourhood(generated_store: OxigraphStore, generated) -> None:
    full = catalog.build(generated_store, "agencies")
    hub = max(full.nodes, key=full.degree)
    label = full.nodes[hub]["label"]
    one = catalog.build(generated_store, "agencies", Filters(agency=label.upper(), hops=1))
    assert set(one.nodes) == {hub, *full.neighbors(hub)}
    two = catalog.build(generated_store, "agencies", Filters(agency=hub, hops=2))
    assert set(two.nodes) == set(nx.ego_graph(full, hub, radius=2).nodes)
    alone = catalog.build(generated_store, "agencies", Filters(agency=hub, hops=0))
    assert list(alone.nodes) == [hub]


def test_agency_crime_view_matches_the_gold_facts(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "agency-crime")
    expected = gold_views.agency_crime_edges(golds)
    found = {}
    for source, target, data in graph.edges(data=True):
        agency, crime = (source, target) if graph.nodes[source]["bipartite"] == 0 else (target, source)
        counts = {k: data.get(f"{k}s", 0) for k in ("agreement", "operation", "release")}
        found[agency, crime] = Counter({k: n for k, n in counts.items() if n})
        assert data["weight"] == sum(counts.values())
    assert found == expected
    assert nx.is_bipartite(graph)
    crimes = {n for n, d in graph.nodes(data=True) if d["bipartite"] == 1}
    assert crimes == {crime for _, crime in expected}
    assert all(graph.nodes[c]["type"] == "crime-type" for c in crimes)


def test_people_view_matches_the_gold_facts(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "people")
    expected = gold_views.people_edges(golds)
    found = {pair: Counter({data["relation"]: data["weight"]}) for pair, data in pairs(graph).items()}
    assert found == expected
    met = [d for _, _, d in graph.edges(data=True) if d["relation"] == "met"]
    holds = [d for _, _, d in graph.edges(data=True) if d["relation"] == "holds"]
    assert met and holds and all(d["first"] <= d["last"] for d in holds)
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    assert types["person"] == len({p for pair in expected for p in pair if "/person/" in p})


def test_operations_view_matches_the_gold_facts(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "operations")
    found = set()
    seizures: Counter = Counter()
    for source, target, data in graph.edges(data=True):
        fact_first = graph.nodes[source]["type"] in ("operation", "seizure")
        a, b = (source, target) if fact_first else (target, source)
        if graph.nodes[a]["type"] == "operation" and data["relation"] != "result":
            found.add((graph.nodes[a]["label"], b, data["relation"]))
        elif graph.nodes[a]["type"] == "seizure" and data["relation"] == "crime-type":
            seizures[graph.nodes[a]["goods"], b] += 1
    assert found == gold_views.operation_edges(golds)
    assert seizures == gold_views.seizure_crimes(golds)
    for source, target, data in graph.edges(data=True):
        if data["relation"] == "result":
            kinds = {graph.nodes[source]["type"], graph.nodes[target]["type"]}
            assert kinds == {"operation", "seizure"}


def test_entities_view_holds_every_typed_node(generated_store: OxigraphStore, generated) -> None:
    golds = generated[1]
    graph = catalog.build(generated_store, "entities")
    assert isinstance(graph, nx.MultiDiGraph)
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    assert types["agency"] == len(gold_views.agencies(golds))
    assert types["operation"] == len({(o["name"], o["start"]) for g in golds for o in g["operations"]})
    assert types["seizure"] == sum(len(g["seizures"]) for g in golds)
    relations = Counter(d["relation"] for *_, d in graph.edges(data=True))
    assert relations["cckg:participant"] > 0 and relations["org:memberOf"] > 0
    edges = graph.edges(data=True)
    cooperating = {tuple(sorted((s, t))) for s, t, d in edges if d["relation"] == "cckg:cooperatesWith"}
    expected = {pair for pair, counts in gold_views.agency_edges(golds).items() if counts["cooperation"]}
    assert cooperating == expected


def test_entities_view_year_range_keeps_facts_of_those_years(generated_store: OxigraphStore) -> None:
    graph = catalog.build(generated_store, "entities", Filters(start=2012, end=2013))
    facts = [d for _, d in graph.nodes(data=True) if d["type"] in ("event", "agreement", "operation")]
    assert facts and all(2012 <= d["years"][0] <= 2013 for d in facts)
    assert all(graph.degree(n) > 0 for n in graph.nodes)


def test_unknown_names_are_one_line_errors(generated_store: OxigraphStore) -> None:
    with pytest.raises(ViewError, match="unknown view"):
        catalog.build(generated_store, "nope")
    with pytest.raises(ViewError, match="unknown crime type 'piracy'"):
        catalog.build(generated_store, "agencies", Filters(crime="piracy"))
    with pytest.raises(ViewError, match="no agency 'Nobody'"):
        catalog.build(generated_store, "people", Filters(agency="Nobody"))
    with pytest.raises(ViewError, match="empty"):
        Filters(start=2020, end=2010)


def test_an_empty_store_gives_empty_views(tmp_path: Path) -> None:
    with OxigraphStore() as store:
        for name in catalog.VIEWS:
            assert catalog.build(store, name).number_of_nodes() == 0
