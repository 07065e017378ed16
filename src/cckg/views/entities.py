"""The ``entities`` view: every typed node of the knowledge and every labelled edge between two.

One query for the nodes and one for the edges.  A year range keeps the facts (events, agreements,
operations, seizures, memberships, cooperation statements) dated in it; a crime type keeps the
facts on it (the crime type itself stays); with either, the other nodes (agencies, officials,
posts, series, places) stay when they are linked to a kept fact.
"""

from __future__ import annotations

import networkx as nx

from cckg.store import Store
from cckg.views import graphs
from cckg.views.graphs import Filters

FACT_TYPES = frozenset({"event", "agreement", "operation", "seizure", "membership", "cooperation"})
PREFIXES = {
    "https://w3id.org/cckg/ns#": "cckg:",
    "http://www.w3.org/ns/org#": "org:",
    "http://schema.org/": "schema:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/2002/07/owl#": "owl:",
}


def short(iri: str) -> str:
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def entity_nodes(store: Store) -> dict[str, dict[str, object]]:
    nodes: dict[str, dict[str, object]] = {}
    for row in graphs.rows(store, "entities-nodes"):
        date = row.get("date", "")
        year = int(date[:4]) if date[:4].isdigit() else None
        nodes[row["node"]] = {
            "label": row.get("label", row["node"]),
            "type": row["type"],
            "iri": row["node"],
            "date": date,
            "years": [year] if year is not None else [],
            "crime_types": graphs.split(row.get("crimeTypes"), " "),
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
