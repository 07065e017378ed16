"""The embedded store: Oxigraph on disk (or in memory), and pyoxigraph terms as rdflib terms."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from cckg import formats, jsonld
from cckg.errors import QuerySyntaxError, ResultTooLarge, StoreError
from cckg.namespaces import PREFIXES
from cckg.sparql import XSD_STRING, QueryResult, SelectResult
from cckg.store.base import (
    UPGRADE_NOTE,
    Store,
    _one_line,
)

#: Serialisation formats of :meth:`Store.dump`: name -> (pyoxigraph format, holds named graphs).
DUMP_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "xml": (ox.RdfFormat.RDF_XML, False),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}


DISK_FULL = "the disk is full (No space left on device)"


def _disk_full(error: OSError) -> bool:
    return error.errno == errno.ENOSPC or "No space left on device" in str(error)


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
            if _disk_full(error):
                raise StoreError(
                    f"store {self.path}: cannot open for writing: {DISK_FULL}; free some space "
                    "(the store can still be read: cckg query)"
                ) from None
            raise StoreError(f"store {self.path}: cannot open ({_one_line(error)})") from None
        # A store written by an older cckg has named graphs and no merged graph: build it once (or,
        # open read-only, read the union of the graphs as that cckg did, until it is opened to write).
        self._union = False
        if _old_layout(self._store):
            if read_only:
                self._union = True
            else:
                print(UPGRADE_NOTE.format(where=self.path or "in memory"), file=sys.stderr)
                self.build_merged_graph()

    @property
    def oxigraph(self) -> ox.Store:
        if self._store is None:
            raise StoreError("store is closed")
        return self._store

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None and self.path is not None and not self.read_only:
            try:
                store.flush()
            except OSError as error:
                problem = DISK_FULL if _disk_full(error) else _one_line(error)
                raise StoreError(f"store {self.path}: not flushed at close: {problem}") from None

    def query(self, sparql: str, max_results: int | None = None) -> QueryResult:
        """The result of ``sparql``; :class:`ResultTooLarge` as soon as it has more than
        ``max_results`` rows or triples (the rest is never made)."""
        try:
            result = self.oxigraph.query(sparql, use_default_graph_as_union=self._union)
        except SyntaxError as error:
            raise QuerySyntaxError(_one_line(error)) from None
        except OSError as error:
            raise StoreError(f"query failed: {_one_line(error)}") from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        limited = _limited(result, max_results)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [
                {n: from_ox(t) for n, t in zip(variables, solution, strict=True) if t is not None}
                for solution in limited
            ]
            return SelectResult(variables, rows)
        graph = rdflib.Graph()
        for triple in limited:
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
            if _disk_full(error):
                raise StoreError(f"not stored: {DISK_FULL} (store {self.path})") from None
            raise StoreError(f"update failed: {_one_line(error)}") from None

    def bulk_load_quads(
        self, data: bytes | None = None, *, path: str | os.PathLike[str] | None = None
    ) -> None:
        """Load N-Quads (``data``, or the file at ``path``) of new named graphs without a
        transaction (a benchmark's or a test's store built fast), their triples added to the
        merged graph too.  Not for graphs already stored: :meth:`Store.replace_graph` keeps the
        support rule, this does not."""
        where = {"path": str(path)} if path is not None else {}

        def quads() -> Any:
            for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS, **where):
                yield quad
                yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())

        self.oxigraph.bulk_extend(quads())

    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        return dump_dataset(self.oxigraph, format, graph, merged=not self._union)


def _old_layout(store: ox.Store) -> bool:
    """Whether ``store`` has named graphs and an empty default graph (no merged graph): two index
    lookups, whatever the size of the store."""
    named = next(iter(store.named_graphs()), None)
    if named is None:
        return False
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None


def _limited(items: Any, limit: int | None) -> Any:
    """``items``, raising :class:`ResultTooLarge` at the one past ``limit``."""
    for count, item in enumerate(items, 1):
        if limit is not None and count > limit:
            raise ResultTooLarge(limit)
        yield item


def dump_dataset(
    dataset: ox.Store, format: str = "nquads", graph: URIRef | None = None, *, merged: bool = True
) -> bytes:
    """Serialise one graph of a pyoxigraph dataset, or all of it (see :meth:`Store.dump`): quad
    formats get the named graphs (the record; the merged graph is made from them), triple formats
    the merged default graph (``merged``), or the union of the named graphs as a set (not ``merged``)."""
    format = formats.canonical(format)
    if format not in DUMP_FORMATS:
        raise StoreError(f"unknown dump format {format!r} (one of {', '.join(DUMP_FORMATS)})")
    rdf_format, has_graphs = DUMP_FORMATS[format]
    # No id: prefix: its local names hold slashes, which Turtle would escape (id:release\/x).
    prefixes = {k: str(v) for k, v in PREFIXES.items() if k not in ("id", "sh", "cckgsh")}
    prefixes = prefixes if format in ("turtle", "trig") else None
    if format == "jsonld":
        return _jsonld(dataset, graph)
    if graph is not None:
        named = ox.NamedNode(str(graph))
        return dataset.dump(format=rdf_format, from_graph=named, prefixes=prefixes) or b""
    if has_graphs:
        return ox.serialize(_named_quads(dataset), format=rdf_format, prefixes=prefixes) or b""
    if merged:
        return dataset.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes) or b""
    union = ox.Store()
    union.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in _named_quads(dataset))
    return union.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes) or b""


def _named_quads(dataset: ox.Store) -> Any:
    """The quads of the named graphs of ``dataset`` (not those of its default graph)."""
    return (q for q in dataset if not isinstance(q.graph_name, ox.DefaultGraph))


def _jsonld(dataset: ox.Store, graph: URIRef | None) -> bytes:
    """JSON-LD compacted with the cckg context (:mod:`cckg.jsonld`); named graphs kept."""
    if graph is not None:
        data = dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph))) or b""
        return jsonld.serialize(rdflib.Graph().parse(data=data, format="nt")).encode("utf-8")
    data = ox.serialize(_named_quads(dataset), format=ox.RdfFormat.N_QUADS) or b""
    return jsonld.serialize(rdflib.Dataset().parse(data=data, format="nquads")).encode("utf-8")
