"""The five graph views, each documented: what its nodes, edges and attributes mean.

:func:`build` makes one by name.  Every view has node attributes ``label``, ``type``, ``iri`` and
``years`` (the years of its edges, or of its own date), and edge attributes ``weight``,
``relation``, ``years``, ``facts_by_year`` (year -> count), ``first_year`` and ``last_year``;
the rest is listed per view in :data:`VIEWS`.
"""

from __future__ import annotations

import networkx as nx

from cckg.store import Store
from cckg.views import entities, graphs
from cckg.views.graphs import Filters, View, ViewError

AGENCY_KINDS = {"event": "events", "agreement": "agreements", "operation": "operations",
                "cooperation": "cooperations"}  # fmt: skip
AGENCY_CRIME_KINDS = {"agreement": "agreements", "operation": "operations", "release": "releases"}


def agencies(store: Store, filters: Filters) -> nx.Graph:
    graphs.check_crime(store, filters)
    edges = graphs.tally(graphs.rows(store, "agencies-edges", filters.params()))
    graph = nx.Graph(view="agencies")
    graphs.add_nodes(graph, graphs.agency_nodes(store))
    graphs.add_edges(graph, edges, AGENCY_KINDS)
    for _, _, data in graph.edges(data=True):
        for plural in AGENCY_KINDS.values():
            data.setdefault(plural, 0)
    for (source, target), edge in edges.items():
        graph.edges[source, target]["crime_types"] = sorted(edge.crime_types)
    return graphs.finish(graph, [n for n, d in graph.nodes(data=True) if d["type"] == "agency"], filters)


def agency_crime(store: Store, filters: Filters) -> nx.Graph:
    graphs.check_crime(store, filters)
    edges = graphs.tally(graphs.rows(store, "agency-crime-edges", filters.params()))
    graph = nx.Graph(view="agency-crime")
    agencies_, crimes = graphs.agency_nodes(store), graphs.crime_nodes(store)
    used = graphs.endpoints(edges)
    graphs.add_nodes(graph, {n: {**d, "bipartite": 0} for n, d in agencies_.items()})
    graphs.add_nodes(graph, {n: {**d, "bipartite": 1} for n, d in crimes.items()}, only=used)
    graphs.add_edges(graph, edges, AGENCY_CRIME_KINDS)
    return graphs.finish(graph, agencies_, filters)


def people(store: Store, filters: Filters) -> nx.Graph:
    graphs.check_crime(store, filters)
    edges = graphs.tally(graphs.rows(store, "people-edges", filters.params()))
    graph = nx.Graph(view="people")
    persons = _typed_nodes(store, "people-nodes")
    graphs.add_nodes(graph, persons)
    graphs.add_nodes(graph, graphs.agency_nodes(store), only=graphs.endpoints(edges))
    graphs.add_edges(graph, edges, {})
    for (source, target), edge in edges.items():
        if edge.dates:
            graph.edges[source, target].update(first=min(edge.dates), last=max(edge.dates))
    return graphs.finish(graph, [n for n, d in persons.items() if d["type"] == "person"], filters)


def operations(store: Store, filters: Filters) -> nx.Graph:
    graphs.check_crime(store, filters)
    edges = graphs.tally(graphs.rows(store, "operations-edges", filters.params()))
    graph = nx.Graph(view="operations")
    facts = _typed_nodes(store, "operations-nodes")
    used = graphs.endpoints(edges)
    graphs.add_nodes(graph, facts)
    graphs.add_nodes(graph, graphs.agency_nodes(store), only=used)
    graphs.add_nodes(graph, graphs.crime_nodes(store), only=used)
    graphs.add_edges(graph, edges, {})
    return graphs.finish(graph, facts, filters)


def _typed_nodes(store: Store, name: str) -> dict[str, dict[str, object]]:
    nodes: dict[str, dict[str, object]] = {}
    for row in graphs.rows(store, name):
        node = row.pop("node")
        data: dict[str, object] = {"label": row.pop("label", node), "type": row.pop("type"), "iri": node}
        if "releases" in row:
            data["releases"] = graphs.split(row.pop("releases"))
        if "quantity" in row:
            data["quantity"] = float(row.pop("quantity"))
        data.update(row)
        nodes[node] = data
    return nodes


VIEWS: dict[str, View] = {
    "agencies": View(
        "agencies",
        "Agency cooperation network",
        "agencies: label (preferred name), acronyms, aliases, country (ISO 3166), kind (customs, "
        "police, ...), releases (how many mention it).",
        "two agencies that share facts: weight = events + agreements + operations + cooperations "
        "(shared events, agreements they are parties to, joint operations they led or took part in, "
        "release statements that they cooperate), each count an attribute; crime_types (of the "
        "agreements and operations, and of the releases stating cooperation).",
        agencies,
    ),
    "agency-crime": View(
        "agency-crime",
        "Agencies and the crime types they work on",
        "agencies (bipartite 0, attributes as in agencies) and crime types (bipartite 1: label, slug).",
        "an agency and a crime type: weight = agreements (it is a party to, on that subject) + "
        "operations (it led or took part in, on it) + releases (that mention it and name the crime "
        "type).",
        agency_crime,
    ),
    "people": View(
        "people",
        "Officials, their agencies and posts, and who met whom",
        "officials (type person: label, honorific, agency), posts (type post: label = title, agency) "
        "and the agencies they belong to.",
        "relation member (official - agency; weight = releases), holds (official - post; weight = "
        "releases, first and last = dates attested), post-in (post - agency; weight = releases), met "
        "(two heads of delegation at an event or two signatories of an agreement; weight = occasions).",
        people,
    ),
    "operations": View(
        "operations",
        "Joint operations and seizures",
        "joint operations (type operation: label, startDate, endDate, releases), seizures (type "
        "seizure: label, goods, quantity, unit, qualifier, startDate = date, releases), their agencies "
        "and crime types.",
        "relation led-by or participant (operation - agency), crime-type (operation or seizure - "
        "crime type), result (seizure - operation: reported by the same release, on a crime type of "
        "the operation, not dated before it); weight = 1.",
        operations,
    ),
    "entities": View(
        "entities",
        "Every typed node and labelled edge",
        "every agency, official, post, membership, event, event series, agreement, joint operation, "
        "seizure, cooperation statement, place and crime type: label, type, date, crime_types.",
        "directed, one per triple between two of them: relation = the property (cckg:participant, "
        "org:memberOf, ...), weight = 1.  Filters: a year range keeps the facts dated in it, a crime "
        "type the facts on it, and then the other nodes linked to a kept fact.",
        lambda store, filters: _entities(store, filters),
    ),
}


def _entities(store: Store, filters: Filters) -> nx.Graph:
    graphs.check_crime(store, filters)
    return entities.entity_graph(store, filters)


def build(store: Store, name: str, filters: Filters | None = None) -> nx.Graph:
    """The view ``name`` of ``store``, filtered."""
    if name not in VIEWS:
        raise ViewError(f"unknown view {name!r} (one of {', '.join(VIEWS)})")
    return VIEWS[name].build(store, filters or Filters())
