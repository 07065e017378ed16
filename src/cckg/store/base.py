"""The store interface: an RDF dataset of named graphs, written by SPARQL updates and read by SPARQL
queries (:class:`Store`), and what its queries return.

The layout (``docs/data-model.md``, "Store layout"): each release is one named graph, the record of
what that release supports (its provenance; remove, re-ingest and curation work on it).  Beside
them the store keeps one *merged graph*: the distinct set-union of the triples of all named graphs,
each triple once however many releases state it.  Queries read the merged graph as their default
graph, and still reach the release graphs with ``GRAPH ?g``.  The merged graph has one owner, the
writes of this class: replacing or removing a named graph adds the triples new to the union and
deletes from the merged graph the triples that left the graph unless another named graph still
holds them (the support rule), in the same update, so in the same transaction.  It is the store's
real default graph where the store has one (:data:`DEFAULT_GRAPH`), or the named graph
:data:`MERGED_GRAPH` where the default graph is already the union of all graphs (Virtuoso, GraphDB);
queries are then asked to use it as their default graph.

The implementations are :class:`cckg.store.oxigraph.OxigraphStore` (embedded) and
:class:`cckg.store.remote.SparqlStore` (any SPARQL 1.1 server); :func:`cckg.store.open_store` picks one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, replace

import rdflib
from rdflib.term import Literal, Node, URIRef

from cckg.errors import StoreError
from cckg.namespaces import GRAPH, sparql_prefixes
from cckg.sparql import QueryResult, SelectResult, sparql_term

#: Where the merged graph is on a store whose default graph cannot hold it (a named graph).
MERGED_GRAPH = GRAPH["merged"]
#: ... and on the other stores: their real default graph.
DEFAULT_GRAPH = None

#: What an old store (named graphs, no merged graph) is told when its merged graph is built.
UPGRADE_NOTE = "cckg: store {where}: building its merged graph (one set of all the graphs' triples), once"


@dataclass(frozen=True)
class GraphMetadata:
    """What the store knows about the release stored in a named graph."""

    graph: URIRef
    content_hash: str | None = None
    software_version: str | None = None
    curation_digest: str | None = None  # the curation applied to it (cckg.ingest.curate), None for none
    release_id: str | None = None  # the id of the release stored there


@dataclass(frozen=True)
class StoredText:
    """A release stored with a given content hash: its graph, release id, file (``dcterms:source``)
    and the other files found with the same text (``cckg:alsoSource``)."""

    graph: URIRef
    release_id: str
    source: str
    also_sources: tuple[str, ...]


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


# --- the store interface ----------------------------------------------------------------------


class Store(ABC):
    """An RDF dataset of named graphs.  Subclasses implement :meth:`query`, :meth:`update`, :meth:`dump`."""

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query; its default graph is the merged graph (each triple of any graph, once).

        Raises :class:`QuerySyntaxError` when the query does not parse (updates do not parse here).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction: all of it is applied, or none."""

    @abstractmethod
    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        """Serialise one graph, or the whole dataset (quad formats get the named graphs, triple
        formats the merged graph)."""

    def close(self) -> None:  # noqa: B027 - optional for subclasses
        """Release the store (a database lock, a connection)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the merged graph --

    #: Where this store keeps its merged graph: None for the default graph, else a named graph.
    merged_graph: URIRef | None = DEFAULT_GRAPH

    def _own(self, variable: str) -> str:
        """A filter keeping the graphs ``variable`` that are cckg's (on a server with graphs of its own)."""
        return ""

    def query_graphs(self, sparql: str) -> QueryResult:
        """Run a query that reads named graphs only (``GRAPH``), not the default graph."""
        return self.query(sparql)

    def _in_merged(self, body: str) -> str:
        """``body`` (triples or triple patterns) placed in the merged graph."""
        if self.merged_graph is None:
            return body
        return f"GRAPH {sparql_term(self.merged_graph)} {{ {body} }}"

    def _others(self, variable: str, graph: URIRef) -> str:
        """A filter keeping the named graphs ``variable`` other than ``graph`` and the merged graph."""
        names = [graph] if self.merged_graph is None else [graph, self.merged_graph]
        return f"FILTER ({variable} NOT IN ({', '.join(sparql_term(name) for name in names)}))"

    def _unsupport(self, graph: URIRef) -> str:
        """The update deleting from the merged graph the triples of ``graph`` no other graph holds
        (run before ``graph`` is dropped or replaced: the support rule)."""
        name = sparql_term(graph)
        return (
            f"DELETE {{ {self._in_merged('?s ?p ?o')} }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} {self._others('?h', graph)} }} }}"
        )

    def _build_merged(self) -> str:
        """The update that fills the merged graph from the named graphs (an old store's upgrade)."""
        where = f"GRAPH ?g {{ ?s ?p ?o }} {self._own('?g')}"
        if self.merged_graph is not None:
            where += f" FILTER (?g != {sparql_term(self.merged_graph)})"
        return f"INSERT {{ {self._in_merged('?s ?p ?o')} }} WHERE {{ {where} }}"

    def needs_merged_graph(self) -> bool:
        """Whether the store holds named graphs but no merged graph (made by an older cckg)."""
        if self.merged_graph is None:
            named = f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} {self._own('?g')} }}"
            return self.query_graphs(named) is True and self.query("ASK { ?s ?p ?o }") is not True
        others = self._others("?g", self.merged_graph)
        named = f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} {self._own('?g')} {others} }}"
        merged = f"ASK {{ GRAPH {sparql_term(self.merged_graph)} {{ ?s ?p ?o }} }}"
        return self.query_graphs(named) is True and self.query_graphs(merged) is not True

    def build_merged_graph(self) -> None:
        """Fill the merged graph from the named graphs, in one transaction."""
        self.update(self._build_merged())

    # -- writes, in terms of update() --

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace the contents of ``graph`` by ``triples`` in one transaction, the merged graph
        kept the set-union of the named graphs; return the triple count."""
        lines = sorted({f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in triples})
        name = sparql_term(graph)
        update = f"{self._unsupport(graph)} ;\nDROP SILENT GRAPH {name}"
        if lines:
            body = "\n".join(lines)
            update += f" ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} {self._in_merged(body)} }}"
        self.update(update)
        return len(lines)

    def remove_graph(self, graph: URIRef) -> None:
        self.remove_graphs([graph])

    # -- reads, in terms of query() --

    def graph_names(self) -> list[URIRef]:
        result = self.query_graphs("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        assert isinstance(result, SelectResult)
        return [URIRef(row["g"]) for row in result.rows]

    def graph(self, graph: URIRef) -> rdflib.Graph:
        """The triples of one named graph."""
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}"
        result = self.query_graphs(construct)
        assert isinstance(result, rdflib.Graph)
        return result

    def graph_metadata(self, graph: URIRef) -> GraphMetadata:
        """The content hash and software version recorded for the release stored in ``graph``."""
        # Everything is looked up inside the release's own graph (the mapping writes the software
        # agent there too), so the cost does not grow with the number of releases in the store.
        name = sparql_term(graph)
        result = self.query_graphs(
            sparql_prefixes(("cckg", "prov", "schema", "dcterms"))
            + f"""SELECT ?hash ?version ?curation ?identifier WHERE {{
              GRAPH {name} {{
                {name} cckg:contentHash ?hash .
                OPTIONAL {{ {name} dcterms:identifier ?identifier }}
                OPTIONAL {{
                  ?run prov:used {name} ; prov:wasAssociatedWith ?agent .
                  OPTIONAL {{ ?agent schema:softwareVersion ?version }}
                  OPTIONAL {{ ?run cckg:curationDigest ?curation }}
                }}
              }}
            }} ORDER BY DESC(?version) LIMIT 1"""
        )
        assert isinstance(result, SelectResult)
        if not result.rows:
            return GraphMetadata(graph)
        row = result.rows[0]
        version, curation, identifier = row.get("version"), row.get("curation"), row.get("identifier")
        return GraphMetadata(
            graph,
            str(row["hash"]),
            str(version) if version is not None else None,
            str(curation) if curation is not None else None,
            str(identifier) if identifier is not None else None,
        )

    def releases_with_hash(self, content_hash: str) -> list[StoredText]:
        """The releases stored with the content hash ``content_hash``, by graph IRI: a lookup of
        the ``cckg:contentHash`` value (an index lookup), whatever the number of releases."""
        result = self.query_graphs(
            sparql_prefixes(("cckg", "dcterms"))
            + f"""SELECT ?g ?identifier ?source ?also WHERE {{
              GRAPH ?g {{ ?g cckg:contentHash {sparql_term(Literal(content_hash))} .
                OPTIONAL {{ ?g dcterms:identifier ?identifier }}
                OPTIONAL {{ ?g dcterms:source ?source }}
                OPTIONAL {{ ?g cckg:alsoSource ?also }}
              }}
            }} ORDER BY ?g ?also"""
        )
        assert isinstance(result, SelectResult)
        found: dict[str, StoredText] = {}
        for row in result.rows:
            graph = str(row["g"])
            identifier, source, also = row.get("identifier"), row.get("source"), row.get("also")
            stored = found.setdefault(
                graph, StoredText(URIRef(graph), str(identifier or ""), str(source or ""), ())
            )
            if also is not None and str(also) not in stored.also_sources:
                found[graph] = replace(stored, also_sources=(*stored.also_sources, str(also)))
        return list(found.values())

    def add_triples(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Add ``triples`` to the named graph ``graph`` and to the merged graph, in one transaction;
        return the triple count."""
        lines = sorted({f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in triples})
        if lines:
            body = "\n".join(lines)
            name = sparql_term(graph)
            self.update(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} {self._in_merged(body)} }}")
        return len(lines)

    def has_graph(self, graph: URIRef) -> bool:
        """Whether the store holds a non-empty named graph ``graph``."""
        return self.query_graphs(f"ASK {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}") is True

    def remove_graphs(self, graphs: Iterable[URIRef]) -> list[URIRef]:
        """Drop the named graphs ``graphs`` in one transaction; return those that were there."""
        present = [graph for graph in dict.fromkeys(graphs) if self.has_graph(graph)]
        if present:
            drops = (f"{self._unsupport(g)} ;\nDROP SILENT GRAPH {sparql_term(g)}" for g in present)
            self.update(" ;\n".join(drops))
        return present

    def select(self, sparql: str) -> SelectResult:
        result = self.query(sparql)
        if not isinstance(result, SelectResult):
            raise StoreError("expected a SELECT query")
        return result

    def __len__(self) -> int:
        result = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(result.rows[0]["n"])  # type: ignore[call-overload]
