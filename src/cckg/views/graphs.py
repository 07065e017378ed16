"""Graph views: projections of the knowledge graph through NetworkX.

Each view is built from a few aggregate SPARQL queries (``data/views/*.rq``) that read the merged
default graph, so a view costs a fixed number of queries whatever the size of the store.  The
views, their nodes, edges and attributes are described in :data:`VIEWS` (and ``docs/views.md``):

- ``agencies``: the cooperation network of agencies;
- ``agency-crime``: agencies and the crime types they work on (bipartite);
- ``people``: officials, their agencies, their posts, and the officials they met;
- ``operations``: joint operations and seizures, their agencies and crime types;
- ``entities``: every typed node of the knowledge and every labelled edge between two of them.

Every view takes :class:`Filters`: a year range and a crime type (applied to the facts before
they are counted), and an agency with its neighbourhood of ``hops`` edges.  Node ids are IRIs.
List and dict attributes stay Python lists and dicts here; :mod:`cckg.views.export` encodes them
for the formats that need it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import networkx as nx
import rdflib
from rdflib.term import Node

from cckg import resources
from cckg.errors import CckgError
from cckg.namespaces import ontology
from cckg.sparql import SelectResult
from cckg.store import OxigraphStore, Store
from cckg.views import query


class ViewError(CckgError):
    """A view that cannot be built: unknown view, agency or crime type, bad year range.  One line."""


@dataclass(frozen=True)
class Filters:
    """What part of a view to keep: a year range, a crime type, an agency and its neighbourhood."""

    start: int | None = None
    end: int | None = None
    crime: str | None = None
    agency: str | None = None
    hops: int = 1

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ViewError(f"the year range {self.start}-{self.end} is empty")
        if self.hops < 0:
            raise ViewError("--hops must not be negative")

    @property
    def narrows_facts(self) -> bool:
        return self.start is not None or self.end is not None or self.crime is not None

    def params(self) -> dict[str, str]:
        """The parameters of the views' edge queries."""
        values = {"from": self.start, "to": self.end, "crime": self.crime}
        return {name: str(value) for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class View:
    name: str
    title: str
    nodes: str
    edges: str
    build: Callable[[Store, Filters], nx.Graph]


# --- running the view queries -------------------------------------------------------------------


@cache
def view_queries() -> dict[str, query.NamedQuery]:
    folder = resources.path("data", "views")
    return {
        path.stem: query.parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        for path in sorted(folder.glob("*.rq"))
    }


def rows(store: Store, name: str, values: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of view query ``name`` as plain strings (unbound and empty values left out)."""
    named = view_queries()[name]
    accepted = {p.name for p in named.params}
    result = query.run(store, named, {k: v for k, v in (values or {}).items() if k in accepted})
    assert isinstance(result, SelectResult)
    return [_plain(row) for row in result.rows]


def _plain(row: Mapping[str, Node]) -> dict[str, str]:
    return {key: str(value) for key, value in row.items() if str(value) != ""}


def split(value: str | None, separator: str = "\t") -> list[str]:
    return sorted({item for item in (value or "").split(separator) if item})


# --- edges from aggregate rows ------------------------------------------------------------------


@dataclass
class EdgeTally:
    """What the rows of one edge add up to: facts per kind and per year, crime types, dates."""

    counts: Counter[str] = field(default_factory=Counter)
    by_year: Counter[int] = field(default_factory=Counter)
    crime_types: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)

    def add(self, row: Mapping[str, str]) -> None:
        facts = int(row.get("facts", "0"))
        self.counts[row["kind"]] += facts
        if "year" in row:
            self.by_year[int(row["year"])] += facts
        self.crime_types.update(split(row.get("crimeTypes"), " "))
        self.dates.update(row[key] for key in ("first", "last") if key in row)

    def attributes(self, plural: Mapping[str, str]) -> dict[str, object]:
        years = sorted(self.by_year)
        data: dict[str, object] = {"weight": sum(self.counts.values())}
        data["relation"] = "; ".join(sorted(self.counts))
        data.update({plural.get(kind, kind.replace("-", "_")): n for kind, n in sorted(self.counts.items())})
        data["years"] = years
        data["facts_by_year"] = {str(year): self.by_year[year] for year in years}
        if years:
            data["first_year"], data["last_year"] = years[0], years[-1]
        return data


def tally(edge_rows: Iterable[Mapping[str, str]]) -> dict[tuple[str, str], EdgeTally]:
    edges: dict[tuple[str, str], EdgeTally] = {}
    for row in edge_rows:
        edges.setdefault((row["source"], row["target"]), EdgeTally()).add(row)
    return dict(sorted(edges.items()))


def add_edges(graph: nx.Graph, edges: Mapping[tuple[str, str], EdgeTally], plural: Mapping[str, str]) -> None:
    for (source, target), edge in edges.items():
        graph.add_edge(source, target, **edge.attributes(plural))


def finish(graph: nx.Graph, primary: Iterable[str], filters: Filters) -> nx.Graph:
    """Drop what the filters leave out; give every node ``years`` (its edges' years) and ``degree``."""
    if filters.narrows_facts:
        graph.remove_nodes_from([n for n, degree in list(graph.degree()) if degree == 0])
    elif primary:
        keep = set(primary)
        graph.remove_nodes_from([n for n, d in list(graph.degree()) if d == 0 and n not in keep])
    for node in graph.nodes:
        if "label" not in graph.nodes[node]:
            graph.nodes[node].update(label=node, type="", iri=node)
    _node_years(graph)
    if filters.agency is not None:
        graph = neighbourhood(graph, filters.agency, filters.hops)
    return graph


def _node_years(graph: nx.Graph) -> None:
    for node, data in graph.nodes(data=True):
        if "years" in data:
            continue
        years: set[int] = set()
        for _, _, edge in graph.edges(node, data=True):
            years.update(edge.get("years", []))
        data["years"] = sorted(years)


# --- the agency filter --------------------------------------------------------------------------


def names_of(data: Mapping[str, object]) -> set[str]:
    names = {str(data.get("label", "")), str(data.get("iri", ""))}
    for key in ("acronyms", "aliases"):
        value = data.get(key)
        if isinstance(value, list):
            names.update(str(v) for v in value)
    iri = str(data.get("iri", ""))
    names.add(iri.rsplit("/", 1)[-1])
    return {name.casefold() for name in names if name}


def find_agency(graph: nx.Graph, agency: str) -> str:
    """The node of the agency named ``agency`` (name, acronym, other name, key or IRI; any case)."""
    wanted = agency.strip().casefold()
    found = [n for n, d in graph.nodes(data=True) if d.get("type") == "agency" and wanted in names_of(d)]
    if not found:
        raise ViewError(f"no agency {agency!r} in this view (give its name, an acronym, an alias or its IRI)")
    if len(found) > 1:
        raise ViewError(f"{agency!r} names {len(found)} agencies: {', '.join(sorted(found))}; give the IRI")
    return found[0]


def neighbourhood(graph: nx.Graph, agency: str, hops: int) -> nx.Graph:
    """The agency and every node at most ``hops`` edges away, with the edges among them."""
    centre = find_agency(graph, agency)
    return nx.ego_graph(graph, centre, radius=hops, undirected=True).copy()


# --- node attributes ----------------------------------------------------------------------------


def agency_nodes(store: Store) -> dict[str, dict[str, object]]:
    values: dict[str, dict[str, list[str]]] = {}
    for row in rows(store, "agencies-nodes"):
        if "value" in row:
            values.setdefault(row["agency"], {}).setdefault(row["key"], []).append(row["value"])
    nodes = {}
    for agency, found in values.items():
        if "type" not in found:
            continue  # a person, a crime type or a post: not an agency
        first = lambda key, found=found: min(found.get(key, [""]))  # noqa: E731
        nodes[agency] = {
            "label": first("label") or agency,
            "type": "agency",
            "iri": agency,
            "acronyms": sorted(set(found.get("acronym", []))),
            "aliases": sorted(set(found.get("alias", []))),
            "country": first("country"),
            "kind": first("kind"),
            "releases": int(first("releases") or 0),
        }
    return nodes


def crime_nodes(store: Store) -> dict[str, dict[str, object]]:
    """The crime types of the store's vocabulary graph, else of the packaged ontology."""
    found = rows(store, "crime-types-nodes") or packaged_crime_types()
    nodes: dict[str, dict[str, object]] = {}
    for row in found:
        iri = row["crimeNode"]
        slug = row.get("slug") or iri.rsplit("/", 1)[-1]
        nodes[iri] = {"label": row.get("label", slug), "type": "crime-type", "iri": iri, "slug": slug}
    return nodes


@cache
def packaged_crime_types() -> list[dict[str, str]]:
    graph = ontology()
    with OxigraphStore() as vocabulary:
        vocabulary.replace_graph(rdflib.URIRef("urn:cckg:vocabulary"), graph)
        return rows(vocabulary, "crime-types-nodes")


def check_crime(store: Store, filters: Filters) -> None:
    """A :class:`ViewError` when the crime filter names no crime type of the vocabulary."""
    if filters.crime is None:
        return
    slugs = sorted(str(data["slug"]) for data in crime_nodes(store).values())
    if filters.crime.casefold() not in {s.casefold() for s in slugs}:
        raise ViewError(f"unknown crime type {filters.crime!r} (one of {', '.join(slugs)})")


def add_nodes(
    graph: nx.Graph, nodes: Mapping[str, Mapping[str, object]], only: set[str] | None = None
) -> None:
    for node, data in sorted(nodes.items()):
        if only is None or node in only:
            graph.add_node(node, **data)


def endpoints(edges: Mapping[tuple[str, str], EdgeTally]) -> set[str]:
    return {node for pair in edges for node in pair}
