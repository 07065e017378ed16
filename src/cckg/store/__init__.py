"""The store: one named graph per release (plus the vocabulary graph), queried with SPARQL 1.1.

The default store is an embedded Oxigraph database on disk.  Its folder comes from ``--store PATH``,
else the ``CCKG_STORE`` environment variable, else ``./cckg-store`` (see :func:`store_location`).

Everything above this module talks to the abstract :class:`Store`.  Its writes are SPARQL updates
and its reads SPARQL queries, so a remote SPARQL 1.1 server can be added as another subclass that
implements :meth:`Store.query`, :meth:`Store.update` and :meth:`Store.dump` over HTTP
(:class:`cckg.store.remote.SparqlStore`, chosen by :func:`open_store` for ``http(s)://`` locations).
Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import hashlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

DEFAULT_STORE = "cckg-store"
STORE_ENV = "CCKG_STORE"

CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: Prefixes for IRIs in dumps and in table and markdown query output.
PREFIXES = {
    "id": "https://w3id.org/cckg/id/",
    "cckg": "https://w3id.org/cckg/ns#",
    "crime": "https://w3id.org/cckg/crime-type/",
    "agreementkind": "https://w3id.org/cckg/agreement-kind/",
    "agencykind": "https://w3id.org/cckg/agency-kind/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "cckgsh": "https://w3id.org/cckg/shapes#",
}

#: Serialisation formats of :meth:`Store.dump`: name -> (pyoxigraph format, holds named graphs).
DUMP_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}


class StoreError(Exception):
    """A store that cannot be opened, read or written; the message is one line."""


class QuerySyntaxError(StoreError):
    """A SPARQL query or update the store cannot parse."""


@dataclass
class SelectResult:
    """Rows of a SELECT query: ``variables`` in projection order; a row maps bound variables to terms."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def tuples(self) -> list[tuple[Node | None, ...]]:
        return [tuple(row.get(v) for v in self.variables) for row in self.rows]


#: What :meth:`Store.query` returns: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE).
QueryResult = SelectResult | bool | rdflib.Graph


@dataclass(frozen=True)
class GraphMetadata:
    """What the store knows about the release stored in a named graph."""

    graph: URIRef
    content_hash: str | None = None
    software_version: str | None = None
    curation_digest: str | None = None  # the curation applied to it (cckg.ingest.curate), None for none


# --- SPARQL term syntax -------------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_]+$")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def sparql_term(term: Node) -> str:
    """``term`` in SPARQL (and N-Triples) syntax, escaped so that no value can break out of it."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(term)) + '"'
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*", term.language):
                raise ValueError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and str(term.datatype) != XSD_STRING:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        label = str(term)
        return f"_:{label}" if _BNODE_LABEL.match(label) else "_:b" + hashlib.sha1(label.encode()).hexdigest()
    raise TypeError(f"cannot write {type(term).__name__} as a SPARQL term")


# --- pyoxigraph <-> rdflib ----------------------------------------------------------------------


def from_ox(term: Any) -> Node:
    """An rdflib term for a pyoxigraph term (plain literals stay plain, without ``xsd:string``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


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
            f"""PREFIX cckg: <{CCKG}>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX schema: <http://schema.org/>
            SELECT ?hash ?version ?curation WHERE {{
              GRAPH {name} {{
                {name} cckg:contentHash ?hash .
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
        version, curation = row.get("version"), row.get("curation")
        return GraphMetadata(
            graph,
            str(row["hash"]),
            str(version) if version is not None else None,
            str(curation) if curation is not None else None,
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


class OxigraphStore(Store):
    """Embedded Oxigraph: on disk at ``path``, or in memory when ``path`` is None."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store: ox.Store | None = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise StoreError(f"store {self.path} does not exist (run `cckg ingest` first)")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as error:
            raise StoreError(f"store {self.path}: cannot open ({_one_line(error)})") from None

    @property
    def oxigraph(self) -> ox.Store:
        if self._store is None:
            raise StoreError("store is closed")
        return self._store

    def close(self) -> None:
        if self._store is not None and self.path is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self.oxigraph.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QuerySyntaxError(_one_line(error)) from None
        except OSError as error:
            raise StoreError(f"query failed: {_one_line(error)}") from None
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [
                {n: from_ox(t) for n, t in zip(variables, solution, strict=True) if t is not None}
                for solution in result
            ]
            return SelectResult(variables, rows)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        graph = rdflib.Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        try:
            self.oxigraph.update(sparql)
        except SyntaxError as error:
            raise QuerySyntaxError(_one_line(error)) from None
        except OSError as error:
            raise StoreError(f"update failed: {_one_line(error)}") from None

    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        return dump_dataset(self.oxigraph, format, graph)


def dump_dataset(dataset: ox.Store, format: str = "nquads", graph: URIRef | None = None) -> bytes:
    """Serialise one graph of a pyoxigraph dataset, or all of it (see :meth:`Store.dump`)."""
    if format not in DUMP_FORMATS:
        raise StoreError(f"unknown dump format {format!r} (one of {', '.join(DUMP_FORMATS)})")
    rdf_format, has_graphs = DUMP_FORMATS[format]
    # No id: prefix: its local names hold slashes, which Turtle would escape (id:release\/x).
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("id", "sh", "cckgsh")}
    prefixes = prefixes if format in ("turtle", "trig") else None
    if graph is not None:
        named = ox.NamedNode(str(graph))
        return dataset.dump(format=rdf_format, from_graph=named, prefixes=prefixes) or b""
    if has_graphs:
        return dataset.dump(format=rdf_format, prefixes=prefixes) or b""
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    union = dataset.query(everything, use_default_graph_as_union=True)
    assert isinstance(union, ox.QueryTriples)
    return union.serialize(format=rdf_format) or b""


def copy_graphs(source: Store, target: Store, graphs: Iterable[URIRef]) -> int:
    """Copy named graphs from ``source`` to ``target``, each replacing its namesake in one transaction.

    Returns the number of triples written.
    """
    return sum(target.replace_graph(graph, source.graph(graph)) for graph in graphs)


def store_location(option: str | None = None) -> str:
    """Where the store is: ``--store``, else ``$CCKG_STORE``, else ``./cckg-store``."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (see :func:`store_location`).

    A folder path opens embedded Oxigraph; an ``http(s)://`` URL (optionally ``KIND+http(s)://``)
    a SPARQL 1.1 server (:class:`cckg.store.remote.SparqlStore`).
    """
    from cckg.store.remote import SparqlStore, is_remote

    where = store_location(location)
    if is_remote(where):
        return SparqlStore.from_location(where, read_only=read_only)
    return OxigraphStore(where, read_only=read_only)
