"""The store interface: an RDF dataset of named graphs, written by SPARQL updates and read by SPARQL
queries (:class:`Store`), and what its queries return.

The implementations are :class:`cckg.store.oxigraph.OxigraphStore` (embedded) and
:class:`cckg.store.remote.SparqlStore` (any SPARQL 1.1 server); :func:`cckg.store.open_store` picks one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib.term import Node, URIRef

from cckg.errors import StoreError
from cckg.namespaces import sparql_prefixes
from cckg.sparql import QueryResult, SelectResult, sparql_term


@dataclass(frozen=True)
class GraphMetadata:
    """What the store knows about the release stored in a named graph."""

    graph: URIRef
    content_hash: str | None = None
    software_version: str | None = None
    curation_digest: str | None = None  # the curation applied to it (cckg.ingest.curate), None for none
    release_id: str | None = None  # the id of the release stored there


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


# --- the store interface ----------------------------------------------------------------------


class Store(ABC):
    """An RDF dataset of named graphs.  Subclasses implement :meth:`query`, :meth:`update`, :meth:`dump`."""

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query; its default graph is the union of all graphs.

        Raises :class:`QuerySyntaxError` when the query does not parse (updates do not parse here).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction: all of it is applied, or none."""

    @abstractmethod
    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        """Serialise one graph, or the whole dataset (triple formats get the union of all graphs)."""

    def close(self) -> None:  # noqa: B027 - optional for subclasses
        """Release the store (a database lock, a connection)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes, in terms of update() --

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace the contents of ``graph`` by ``triples`` in one transaction; return the triple count."""
        lines = sorted({f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in triples})
        name = sparql_term(graph)
        update = f"DROP SILENT GRAPH {name}"
        if lines:
            body = "\n".join(lines)
            update += f" ;\nINSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}"
        self.update(update)
        return len(lines)

    def remove_graph(self, graph: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH {sparql_term(graph)}")

    # -- reads, in terms of query() --

    def graph_names(self) -> list[URIRef]:
        result = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [URIRef(row["g"]) for row in result.rows]

    def graph(self, graph: URIRef) -> rdflib.Graph:
        """The triples of one named graph."""
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}")
        assert isinstance(result, rdflib.Graph)
        return result

    def graph_metadata(self, graph: URIRef) -> GraphMetadata:
        """The content hash and software version recorded for the release stored in ``graph``."""
        # Everything is looked up inside the release's own graph (the mapping writes the software
        # agent there too), so the cost does not grow with the number of releases in the store.
        name = sparql_term(graph)
        result = self.select(
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

    def has_graph(self, graph: URIRef) -> bool:
        """Whether the store holds a non-empty named graph ``graph``."""
        return self.query(f"ASK {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}") is True

    def remove_graphs(self, graphs: Iterable[URIRef]) -> list[URIRef]:
        """Drop the named graphs ``graphs`` in one transaction; return those that were there."""
        present = [graph for graph in dict.fromkeys(graphs) if self.has_graph(graph)]
        if present:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {sparql_term(graph)}" for graph in present))
        return present

    def select(self, sparql: str) -> SelectResult:
        result = self.query(sparql)
        if not isinstance(result, SelectResult):
            raise StoreError("expected a SELECT query")
        return result

    def __len__(self) -> int:
        result = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(result.rows[0]["n"])  # type: ignore[call-overload]
