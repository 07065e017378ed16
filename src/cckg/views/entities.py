"""The ``entities`` view: every typed node of the knowledge and every labelled edge between two.

One query for the nodes and one for the edges.  A year range keeps the facts (events, agreements,
operations, seizures, memberships, cooperation statements) dated in it; a crime type keeps the
facts on it (the crime type itself stays); with either, the other nodes (agencies, officials,
posts, series, places) stay when they are linked to a kept fact.
"""

from __future__ import annotations

import networkx as nx
from rdflib import URIRef

from cckg.namespaces import compact
from cckg.store import Store
from cckg.views import graphs
from cckg.views.graphs import Filters

FACT_TYPES = frozenset({"event", "agreement", "operation", "seizure", "membership", "cooperation"})


def short(iri: str) -> str:
    """``cckg:participant`` for the property's IRI (the prefixes of :mod:`cckg.namespaces`)."""
    return compact(URIRef(iri))


def entity_nodes(store: Store) -> dict[str, dict[str, object]]:
    values: dict[str, dict[str, list[str]]] = {}
    for row in graphs.rows(store, "entities-nodes"):
        if "value" in row:
            values.setdefault(row["node"], {}).setdefault(row["key"], []).append(row["value"])
    nodes: dict[str, dict[str, object]] = {}
    for node, found in values.items():
        if "type" not in found:
            continue  # a release, an evidence node: not in this view
        date = min(found.get("date", [""]))
        nodes[node] = {
            "label": min(found.get("label", [node])),
            "type": min(found["type"]),
            "iri": node,
            "date": date,
            "years": [int(date[:4])] if date[:4].isdigit() else [],
            "crime_types": sorted(set(found.get("crime", []))),
        }
    return nodes


def entity_graph(store: Store, filters: Filters) -> nx.MultiDiGraph:
    nodes = entity_nodes(store)
    graph = nx.MultiDiGraph(view="entities")
    graphs.add_nodes(graph, nodes)
    for row in graphs.rows(store, "entities-edges"):
        source, target, relation = row["source"], row["target"], short(row["property"])
        if source in nodes and target in nodes:
            graph.add_edge(source, target, key=relation, relation=relation, weight=1)
    for source, target, data in graph.edges(data=True):
        data["years"] = sorted(set(nodes[source]["years"]) | set(nodes[target]["years"]))  # type: ignore[arg-type]
    if filters.narrows_facts:
        graph.remove_nodes_from(_left_out(graph, filters))
    if filters.agency is not None:
        return graphs.neighbourhood(graph, filters.agency, filters.hops)
    return graph


def _keeps_fact(data: dict[str, object], filters: Filters) -> bool:
    years: list[int] = data["years"]  # type: ignore[assignment]
    if filters.start is not None or filters.end is not None:
        if not years:
            return False
        if filters.start is not None and years[0] < filters.start:
            return False
        if filters.end is not None and years[0] > filters.end:
            return False
    crimes: list[str] = data["crime_types"]  # type: ignore[assignment]
    return filters.crime is None or filters.crime.casefold() in {c.casefold() for c in crimes}


def _left_out(graph: nx.MultiDiGraph, filters: Filters) -> list[str]:
    kept = {n for n, d in graph.nodes(data=True) if d["type"] in FACT_TYPES and _keeps_fact(d, filters)}
    linked = {other for fact in kept for other in nx.all_neighbors(graph, fact)}
    crime = (filters.crime or "").casefold()

    def stays(node: str, data: dict[str, object]) -> bool:
        if data["type"] in FACT_TYPES:
            return node in kept
        if data["type"] == "crime-type" and crime:
            return str(node).rsplit("/", 1)[-1].casefold() == crime and node in linked
        return node in linked

    return [n for n, d in graph.nodes(data=True) if not stays(n, d)]
