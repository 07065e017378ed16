"""Validate the knowledge graph (the store, or RDF files) against the SHACL shapes in ``shapes/``.

Validation runs with the ontology (``ontology/*.ttl``) mixed into the data, SHACL-AF enabled and no
inference.  The :class:`ValidationReport` keeps every result with what a person needs to act on it:
the focus node's label and, when the node carries ``cckg:evidence``, the quote and the release it
comes from.

Severities: a Violation or a Warning makes :meth:`ValidationReport.ok` false (with
``allow_warnings``, only a Violation does); Info results are notes and never make validation fail.
``ValidationReport.conforms`` keeps SHACL's own verdict (no result of any severity).

Engines (see :data:`ENGINES`):

- ``pyshacl``, the reference, for single releases and files.  pySHACL runs a SPARQL-based
  constraint once per focus node and rdflib parses the query text each time, which dominates its
  run time; :class:`PreparedQueryGraph` parses each text once (results are unchanged).
- ``pyshacl-turbo``, for the whole store: the Rust engine pyshacl-turbo checks the core
  constraints, and each SPARQL-based constraint runs once over the whole store in Oxigraph
  (:mod:`cckg.validation.bulk_sparql`).  tests/test_shapes.py and tests/validation/test_validate.py
  check that it gives exactly pySHACL's results.  It is optional: without it the store is
  validated with pySHACL.

New data can be validated against what the store already knows (:func:`validate_with_store`):
only the store's facts about the IRIs the new data mentions are loaded (:func:`store_context`),
never the whole store, so the cost follows the size of the new data, not of the store.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.collection import Collection as RdfList
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Literal, Node, URIRef

from cckg import resources
from cckg.store import OxigraphStore, Store, sparql_term
from cckg.views.query import compact

CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("http://schema.org/")

#: RDF formats by file extension (rdflib parser names); ``--input-format`` takes the same names.
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
INPUT_FORMATS = sorted(set(FORMATS_BY_SUFFIX.values()))
QUAD_FORMATS = {"nquads", "trig", "json-ld"}
SEVERITIES = ("Violation", "Warning", "Info")
LABELS = (SKOS.prefLabel, SCHEMA.name, RDFS.label, DCTERMS.title, OA.exact)

#: ``auto`` picks pyshacl-turbo for the whole store when it is installed, else pySHACL.
ENGINES = ("auto", "pyshacl", "pyshacl-turbo")

#: What :func:`store_context` loads about each IRI the new data mentions: its types (for sh:class),
#: its labels and identifiers (for the report), and what the shapes' SPARQL rules read about
#: other nodes (owl:sameAs and skos:prefLabel of cooperation partners, org:postIn of a post,
#: dcterms:issued of a release that evidence quotes).
CONTEXT_PREDICATES = (
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,
    CCKG.acronym,
    SCHEMA.name,
    RDFS.label,
    DCTERMS.title,
    DCTERMS.identifier,
    DCTERMS.source,
    DCTERMS.issued,
    OWL.sameAs,
    ORG.postIn,
)
#: ... and, for each event series the new data mentions, the ordinal and start date of its events
#: (cckgsh:SeriesOrdinalOrder compares the events of a series).
SERIES_PREDICATES = (SCHEMA.superEvent, CCKG.ordinal, SCHEMA.startDate)
_BATCH = 200  # IRIs per context query


class ValidationInputError(Exception):
    """RDF input that cannot be read; the message is one line naming the file and the problem."""


class ShapesError(Exception):
    """SHACL shapes that the engine cannot use (a broken shape, a forbidden SPARQL construct)."""


@dataclass(frozen=True)
class Evidence:
    quote: str
    release: str | None = None
    source: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # Violation | Warning | Info
    focus: Node
    message: str
    path: str | None = None
    value: Node | None = None
    source_shape: Node | None = None
    component: Node | None = None
    shape: str | None = None  # the source shape, readable: a property shape as "NodeShape / path"
    focus_label: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass
class ValidationReport:
    conforms: bool  # SHACL's verdict: no result of any severity
    results: list[ValidationResult] = field(default_factory=list)
    graph: rdflib.Graph = field(default_factory=rdflib.Graph)  # the W3C SHACL validation report

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}

    def ok(self, allow_warnings: bool = False) -> bool:
        """True when no result is a Violation or a Warning (Info results are notes); with
        ``allow_warnings``, when no result is a Violation."""
        failing = {"Violation"} if allow_warnings else {"Violation", "Warning"}
        return not any(r.severity in failing for r in self.results)


# --- loading ------------------------------------------------------------------------------


def format_for(path: Path, input_format: str | None = None) -> str:
    if input_format:
        if input_format not in INPUT_FORMATS:
            known = ", ".join(INPUT_FORMATS)
            raise ValidationInputError(f"unknown input format {input_format!r} (one of {known})")
        return input_format
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ValidationInputError(
            f"{path}: unknown RDF format for extension {path.suffix or '(none)'!r} "
            f"(use .ttl .nt .nq .trig .jsonld .rdf .owl .xml, or --input-format)"
        )
    return fmt


def load_files(paths: Iterable[Path], input_format: str | None = None) -> rdflib.Graph:
    """The union of the triples of ``paths`` (named graphs of quad formats merged)."""
    graph = rdflib.Graph()
    for path in paths:
        fmt = format_for(path, input_format)
        if not path.is_file():
            raise ValidationInputError(f"{path}: no such file")
        try:
            if fmt in QUAD_FORMATS:
                dataset = rdflib.Dataset()
                dataset.parse(path, format=fmt)
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                graph.parse(path, format=fmt)
        except Exception as error:  # rdflib raises many types for bad syntax
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            message = lines[0] if lines else type(error).__name__
            raise ValidationInputError(f"{path}: not valid {fmt} ({message})") from None
    return graph


def _not_in(variable: str, graphs: Sequence[URIRef]) -> str:
    if not graphs:
        return ""
    return f"FILTER ({variable} NOT IN ({', '.join(sparql_term(g) for g in graphs)}))"


def load_store(store: Store, skip: Sequence[URIRef] = ()) -> rdflib.Graph:
    """The union of the store's named graphs, except ``skip`` (the vocabulary graph)."""
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_not_in('?g', skip)} }}"
    result = store.query(sparql)
    assert isinstance(result, rdflib.Graph)
    return result


def mentioned_iris(data: rdflib.Graph) -> set[URIRef]:
    """The IRIs ``data`` uses as subjects or objects."""
    return {t for s, _, o in data for t in (s, o) if isinstance(t, URIRef)}


def release_iris(data: rdflib.Graph) -> set[URIRef]:
    """The releases described in ``data``; each names the graph it would replace in the store."""
    return {s for s in data.subjects(RDF.type, CCKG.Release) if isinstance(s, URIRef)}


def store_context(store: Store, data: rdflib.Graph, skip: Sequence[URIRef] = ()) -> rdflib.Graph:
    """What the store knows that the shapes need about the IRIs ``data`` mentions.

    Each mentioned IRI is read as one release graph that types it describes it (the mapping writes
    an agency, a person, a post or a place the same way in every release that mentions it): the
    values of :data:`CONTEXT_PREDICATES` there.  Each event series mentioned brings the
    :data:`SERIES_PREDICATES` of its events.  Graphs in ``skip`` are left out (the vocabulary
    graph, and the graph that ``data`` would replace).  Every pattern starts from a constant IRI
    and a node's graph is found with ``LIMIT 1``, so the queries read a few index entries per IRI,
    however many releases the store holds and however many of them mention the IRI.
    """
    context = rdflib.Graph()
    series = sorted({o for o in data.objects(None, SCHEMA.superEvent) if isinstance(o, URIRef)})
    for batch in _batches(sorted(mentioned_iris(data))):
        context += _construct(store, _describe_query(batch, skip))
    for batch in _batches(series):
        context += _construct(store, _series_query(batch, skip))
    return context


def _batches(items: list[URIRef]) -> Iterator[list[URIRef]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _union(nodes: Sequence[URIRef], branch: Callable[[str], str]) -> str:
    """One UNION branch per node, the node written in as a constant (with VALUES instead, the
    query planner may read a pattern over the whole store and join afterwards)."""
    return " UNION ".join(f"{{ {branch(sparql_term(node))} }}" for node in nodes)


def _describe_query(nodes: Sequence[URIRef], skip: Sequence[URIRef]) -> str:
    """The :data:`CONTEXT_PREDICATES` of ``nodes``, each in one graph (not in ``skip``) typing it."""

    typed = sparql_term(RDF.type)

    def branch(node: str) -> str:
        graph = f"SELECT ?g WHERE {{ GRAPH ?g {{ {node} {typed} ?type }} {_not_in('?g', skip)} }} LIMIT 1"
        return f"{{ {graph} }} GRAPH ?g {{ {node} ?p ?o }} BIND ({node} AS ?s)"

    predicates = " ".join(sparql_term(p) for p in CONTEXT_PREDICATES)
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_union(nodes, branch)} VALUES ?p {{ {predicates} }} }}"


def _series_query(series: Sequence[URIRef], skip: Sequence[URIRef]) -> str:
    """The events of the series ``series`` (graphs in ``skip`` left out), ordinals and start dates."""
    super_event, ordinal, start = (sparql_term(p) for p in SERIES_PREDICATES)

    def branch(node: str) -> str:
        pattern = f"?s {super_event} {node} ; {ordinal} ?ordinal ; {start} ?start"
        return f"GRAPH ?g {{ {pattern} }} {_not_in('?g', skip)} BIND ({node} AS ?series)"

    template = f"?s {super_event} ?series ; {ordinal} ?ordinal ; {start} ?start"
    return f"CONSTRUCT {{ {template} }} WHERE {{ {_union(series, branch)} }}"


def _construct(store: Store, sparql: str) -> rdflib.Graph:
    result = store.query(sparql)
    assert isinstance(result, rdflib.Graph)
    return result


def _files_key(files: Iterable[Path]) -> tuple[tuple[str, int], ...]:
    return tuple((str(path), path.stat().st_mtime_ns) for path in files)


@lru_cache(maxsize=8)
def _parse_cached(key: tuple[tuple[str, int], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _ in key:
        graph.parse(path, format="turtle")
    return graph


def default_shapes() -> rdflib.Graph:
    """``shapes/*.ttl``, parsed once per process (while the files are unchanged); do not modify it."""
    return _parse_cached(_files_key(resources.shape_files()))


def default_ontology() -> rdflib.Graph:
    """``ontology/*.ttl``, parsed once per process (while the files are unchanged); do not modify it."""
    return _parse_cached(_files_key(resources.ontology_files()))


# --- engines ---------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _prepared_query(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return translateQuery(parseQuery(text), None, dict(namespaces))


class PreparedQueryGraph(rdflib.Graph):
    """An rdflib graph that parses each SPARQL query text once.

    pySHACL runs a SPARQL-based constraint (and some core constraints) once per focus node with
    the same text and other initial bindings; rdflib parses and translates the text anew on each
    call, which costs more than evaluating it.  A translated query can be evaluated again with
    other bindings (that is what rdflib's ``prepareQuery`` is for), so this graph keeps them by
    text and namespace bindings.  No library code is patched: pySHACL validates this graph in
    place (``inplace=True``), so its queries come here.
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and "base" not in kwargs:
            namespaces = self._namespace_key() if initNs is None else _namespace_key(initNs.items())
            query_object = _prepared_query(query_object, namespaces)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )

    def _namespace_key(self) -> tuple[tuple[str, str], ...]:
        """The graph's prefixes (which rdflib lets a query use); read once, they do not change
        while pySHACL validates."""
        if getattr(self, "_namespaces", None) is None:
            self._namespaces = _namespace_key(self.namespaces())
        return self._namespaces


def _namespace_key(namespaces: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(prefix), str(namespace)) for prefix, namespace in namespaces))


def turbo_available() -> bool:
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_engine(engine: str, whole_store: bool = False) -> str:
    """The engine ``engine`` stands for: ``auto`` is pyshacl-turbo for the whole store when it is
    installed, pyshacl otherwise."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    if engine == "auto":
        return "pyshacl-turbo" if whole_store and turbo_available() else "pyshacl"
    if engine == "pyshacl-turbo" and not turbo_available():
        raise ShapesError("the pyshacl-turbo engine is not installed (pip install pyshacl-turbo)")
    return engine


def run_pyshacl(
    data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph, inference: str = "none"
) -> tuple[bool, Any]:
    """pySHACL on a copy of ``data`` with ``ontology`` mixed in; returns (conforms, report graph)."""
    target = PreparedQueryGraph()
    target += data
    target += ontology
    conforms, report, _ = pyshacl.validate(
        target, shacl_graph=shapes, advanced=True, inference=inference, inplace=True
    )
    return bool(conforms), report


def run_turbo(
    data: rdflib.Graph | ox.Store, shapes: rdflib.Graph, ontology: rdflib.Graph | None
) -> tuple[bool, Any]:
    """The pyshacl-turbo engine on ``data`` with ``ontology`` mixed in (an Oxigraph dataset is
    read as it is: its default graph must hold the data and the ontology).

    pyshacl-turbo checks the core constraints; each SPARQL-based constraint runs once over the
    whole dataset in Oxigraph (:mod:`cckg.validation.bulk_sparql`), since pyshacl-turbo's per-focus-node
    SPARQL grows with the square of the data.  Returns (conforms, report graph).
    """
    import pyshacl_turbo

    from cckg.validation import bulk_sparql

    dataset = data if isinstance(data, ox.Store) else _oxigraph_copy([data, ontology or rdflib.Graph()])
    planned = bulk_sparql.plan(shapes)
    core, constraints = planned if planned is not None else (shapes, [])
    core = _typed_strings(core)
    try:
        conforms, report, _ = pyshacl_turbo.validate(
            dataset, shacl_graph=core, advanced=True, inference="none"
        )
    except pyshacl_turbo.errors.ReportableRuntimeError as error:
        raise ShapesError(f"the SHACL shapes cannot be used: {_one_line(error)}") from None
    if not isinstance(report, rdflib.Graph):
        return bool(conforms), report
    report = _typed_strings(report, simple=True)
    if bulk_sparql.evaluate(dataset, constraints, report):
        conforms = False
        report.set((report.value(None, RDF.type, SH.ValidationReport, any=True), SH.conforms, Literal(False)))
    return bool(conforms), report


def _typed_strings(graph: rdflib.Graph, simple: bool = False) -> rdflib.Graph:
    """``graph`` with its simple literals written as ``xsd:string`` literals (``simple``: the
    other way round).

    In RDF 1.1 "over" and "over"^^xsd:string are one literal; rdflib keeps them apart, Oxigraph
    keeps the second.  pyshacl-turbo reads the data from Oxigraph and the shapes from rdflib, so
    without this an sh:in ("over" ...) would not match the data's "over"; its report then says
    "over" as rdflib and pySHACL do.
    """
    result = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, Literal) and not o.language:
            if simple and o.datatype == XSD.string:
                o = Literal(str(o))
            elif not simple and o.datatype is None:
                o = Literal(str(o), datatype=XSD.string)
        result.add((s, p, o))
    return result


def _oxigraph_copy(graphs: Iterable[rdflib.Graph]) -> ox.Store:
    """An in-memory Oxigraph dataset whose default graph holds the triples of ``graphs``."""
    dataset = ox.Store()
    for graph in graphs:
        dataset.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return dataset


def _run(
    engine: str, data: rdflib.Graph | ox.Store, shapes: rdflib.Graph, ontology: rdflib.Graph
) -> rdflib.Graph:
    """The W3C report graph of ``engine`` (``pyshacl`` or ``pyshacl-turbo``) on ``data``."""
    try:
        if engine == "pyshacl-turbo":
            _, report = run_turbo(data, shapes, None if isinstance(data, ox.Store) else ontology)
        else:
            assert isinstance(data, rdflib.Graph)
            _, report = run_pyshacl(data, shapes, ontology)
    except ReportableRuntimeError as error:  # ShapeLoadError, ConstraintLoadError, ...
        raise ShapesError(f"the SHACL shapes cannot be used: {_one_line(error)}") from None
    if not isinstance(report, rdflib.Graph):  # the engine's ValidationFailure
        raise ShapesError(f"the SHACL shapes cannot be used: {_one_line(report)}")
    return report


# --- validating ------------------------------------------------------------------------------


def validate_graph(
    data: rdflib.Graph,
    shapes: rdflib.Graph | None = None,
    ontology: rdflib.Graph | None = None,
    *,
    engine: str = "pyshacl",
    focus: Collection[Node] | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with ``ontology`` (defaults: shapes/*.ttl, ontology/*.ttl).

    With ``focus``, only results about those nodes are kept (and the report graph holds only them).
    """
    shapes = shapes if shapes is not None else default_shapes()
    ontology = ontology if ontology is not None else default_ontology()
    report_graph = _run(resolve_engine(engine), data, shapes, ontology)
    lookup = ReadOnlyGraphAggregate([data, ontology])
    return _report(report_graph, shapes, lambda nodes: lookup, focus)


def validate_with_store(
    data: rdflib.Graph,
    store: Store,
    shapes: rdflib.Graph | None = None,
    ontology: rdflib.Graph | None = None,
    *,
    skip: Sequence[URIRef] = (),
    engine: str = "pyshacl",
) -> ValidationReport:
    """Validate new ``data`` with what ``store`` knows about the IRIs it mentions.

    The store's context (:func:`store_context`, leaving out ``skip`` and the graphs of the
    releases in ``data``, which ``data`` would replace) is validated with the data, and the results
    about the nodes ``data`` describes (its subjects) are kept: new data may refer to agencies
    already stored, and nodes that only the store describes are the store's business.
    """
    skip = [*skip, *sorted(release_iris(data) - set(skip))]
    merged = rdflib.Graph()
    merged += data
    merged += store_context(store, data, skip)
    return validate_graph(merged, shapes, ontology, engine=engine, focus=set(data.subjects()))


def validate_store(
    store: Store,
    vocabulary_graph: URIRef | None = None,
    shapes: rdflib.Graph | None = None,
    *,
    engine: str = "auto",
) -> ValidationReport:
    """Validate every graph in the store (the vocabulary graph is replaced by the ontology files)."""
    if vocabulary_graph is None:
        from cckg.ingest.map import VOCABULARY_GRAPH

        vocabulary_graph = VOCABULARY_GRAPH
    chosen = resolve_engine(engine, whole_store=True)
    if chosen == "pyshacl-turbo" and isinstance(store, OxigraphStore):
        return _validate_oxigraph_with_turbo(store, [vocabulary_graph], shapes)
    return validate_graph(load_store(store, skip=[vocabulary_graph]), shapes, engine=chosen)


def _validate_oxigraph_with_turbo(
    store: OxigraphStore, skip: Sequence[URIRef], shapes: rdflib.Graph | None
) -> ValidationReport:
    """The whole store with the pyshacl-turbo engine: Oxigraph exports the release graphs as
    N-Triples into an in-memory dataset with the ontology (no rdflib graph of the store is built);
    labels and evidence for the report are then looked up in the store."""
    shapes = shapes if shapes is not None else default_shapes()
    ontology = default_ontology()
    handle, name = tempfile.mkstemp(suffix=".nt", prefix="cckg-validate-")
    os.close(handle)
    path = Path(name)
    try:
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_not_in('?g', skip)} }}"
        triples = store.oxigraph.query(sparql)
        assert isinstance(triples, ox.QueryTriples)
        triples.serialize(output=str(path), format=ox.RdfFormat.N_TRIPLES)
        dataset = _oxigraph_copy([ontology])
        dataset.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    finally:
        path.unlink(missing_ok=True)
    report_graph = _run("pyshacl-turbo", dataset, shapes, ontology)
    return _report(report_graph, shapes, lambda nodes: _report_lookup(store, nodes, ontology))


def _report_lookup(store: Store, nodes: set[Node], ontology: rdflib.Graph) -> rdflib.Graph:
    """The labels and evidence of ``nodes``, from the store (what the report shows about them)."""
    graph = rdflib.Graph()
    graph += ontology
    evidence_of = sparql_term(CCKG.evidence)
    steps: tuple[tuple[str | None, Sequence[URIRef] | None], ...] = (
        (None, [*LABELS, CCKG.evidence]),  # the nodes' labels and evidence
        (evidence_of, None),  # the evidence resources
        (f"{evidence_of}/{sparql_term(OA.hasSelector)}", None),  # their selectors
        (f"{evidence_of}/{sparql_term(OA.hasSource)}", [DCTERMS.identifier, DCTERMS.source]),  # releases
    )
    for batch in _batches(sorted(n for n in nodes if isinstance(n, URIRef))):
        for path, predicates in steps:
            graph += _construct(store, _reached_query(batch, path, predicates))
    return graph


def _reached_query(nodes: Sequence[URIRef], path: str | None, predicates: Sequence[URIRef] | None) -> str:
    """The triples of the nodes that ``path`` reaches from ``nodes`` (``nodes`` themselves without
    a path), only with ``predicates`` when given."""

    def branch(node: str) -> str:
        return f"{node} {path} ?s . ?s ?p ?o ." if path else f"{node} ?p ?o . BIND ({node} AS ?s)"

    only = f"VALUES ?p {{ {' '.join(sparql_term(p) for p in predicates)} }}" if predicates else ""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_union(nodes, branch)} {only} }}"


def validate_files(paths: Iterable[Path], input_format: str | None = None) -> ValidationReport:
    return validate_graph(load_files(paths, input_format))


# --- reading the report graph ------------------------------------------------------------------


def _report(
    report_graph: rdflib.Graph,
    shapes: rdflib.Graph,
    lookup_for: Any,
    focus: Collection[Node] | None = None,
) -> ValidationReport:
    """A :class:`ValidationReport` from the W3C report graph; ``lookup_for(focus nodes)`` gives
    the graph in which labels and evidence are looked up."""
    nodes = list(report_graph.objects(None, SH.result))
    if focus is not None:
        nodes = [n for n in nodes if report_graph.value(n, SH.focusNode) in focus]
        report_graph = _report_graph_of(report_graph, nodes)
    lookup = lookup_for({report_graph.value(n, SH.focusNode) for n in nodes})
    results = [_result(report_graph, node, lookup, shapes) for node in nodes]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    results.sort(key=lambda r: (str(r.focus), order.get(r.severity, 9), r.path or "", r.message))
    verdict = report_graph.value(None, SH.conforms)
    conforms = bool(verdict.toPython()) if isinstance(verdict, Literal) else not results
    return ValidationReport(conforms, results, report_graph)


def _report_graph_of(report_graph: rdflib.Graph, results: Sequence[Node]) -> rdflib.Graph:
    """The report graph with only ``results`` (and ``sh:conforms`` true when there are none)."""
    kept = rdflib.Graph()
    for prefix, namespace in report_graph.namespaces():
        kept.bind(prefix, namespace)
    report = report_graph.value(None, RDF.type, SH.ValidationReport, any=True) or BNode()
    kept.add((report, RDF.type, SH.ValidationReport))
    kept.add((report, SH.conforms, Literal(not results)))
    for result in results:
        kept.add((report, SH.result, result))
        _copy_description(report_graph, result, kept)
    return kept


def _copy_description(source: rdflib.Graph, node: Node, target: rdflib.Graph) -> None:
    """Copy ``node``'s triples, and those of the blank nodes they reach, from ``source`` to ``target``."""
    todo, seen = [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for _, predicate, obj in source.triples((subject, None, None)):
            target.add((subject, predicate, obj))
            if isinstance(obj, BNode):
                todo.append(obj)


def _result(report: rdflib.Graph, node: Node, data: Any, shapes: rdflib.Graph) -> ValidationResult:
    severity = report.value(node, SH.resultSeverity)
    source_shape = report.value(node, SH.sourceShape)
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    return ValidationResult(
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        focus=focus if focus is not None else Literal(""),
        message=_message(report, node, shapes, source_shape),
        path=_path_text(report, path) if path is not None else None,
        value=report.value(node, SH.value),
        source_shape=source_shape,
        component=report.value(node, SH.sourceConstraintComponent),
        shape=_shape_name(shapes, source_shape) if source_shape is not None else None,
        focus_label=label(data, focus) if focus is not None else None,
        evidence=tuple(evidence(data, focus)) if focus is not None else (),
    )


def _message(report: rdflib.Graph, node: Node, shapes: rdflib.Graph, source_shape: Node | None) -> str:
    """The result's messages.  pySHACL gives a SPARQL constraint's result the message of its
    constraint and that of the node shape it belongs to ("A seizure must be an IRI ..."); the
    constraint's own message is the one that says what is wrong, so the shape's is left out then."""
    messages = {str(m) for m in report.objects(node, SH.resultMessage)}
    shape_messages = {str(m) for m in shapes.objects(source_shape, SH.message)} if source_shape else set()
    if messages - shape_messages:
        messages -= shape_messages
    return "; ".join(sorted(messages)) or "(no message)"


def _one_line(error: object) -> str:
    message = getattr(error, "message", None) or str(error)
    return " ".join(str(message).split())


def _shape_name(shapes: rdflib.Graph, shape: Node) -> str:
    """A shape's IRI; for an anonymous property shape, its node shape and path."""
    if not isinstance(shape, BNode):
        return compact(shape)
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    parts = [compact(parent) if parent is not None and not isinstance(parent, BNode) else "(anonymous shape)"]
    if path is not None:
        parts.append(_path_text(shapes, path))
    return " / ".join(parts)


def _path_text(graph: rdflib.Graph, path: Node) -> str:
    """A SHACL property path in SPARQL-like syntax."""
    if not isinstance(path, BNode):
        return compact(path)
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return f"^{_path_text(graph, inverse)}"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := graph.value(path, predicate)) is not None:
            return f"{_path_text(graph, inner)}{suffix}"
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "|".join(_path_text(graph, p) for p in RdfList(graph, alternatives))
    return "/".join(_path_text(graph, p) for p in RdfList(graph, path))


def label(graph: rdflib.Graph, node: Node) -> str | None:
    for predicate in LABELS:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return None


def evidence(graph: rdflib.Graph, node: Node) -> list[Evidence]:
    """The quotes (and their releases) that ``node``'s ``cckg:evidence`` points to, in text order."""
    found = []
    for target in set(graph.objects(node, CCKG.evidence)):
        quote = start = end = None
        for selector in graph.objects(target, OA.hasSelector):
            quote = graph.value(selector, OA.exact) or quote
            start = graph.value(selector, OA.start) or start
            end = graph.value(selector, OA.end) or end
        release = graph.value(target, OA.hasSource)
        source = graph.value(release, DCTERMS.source) if release is not None else None
        found.append(
            Evidence(
                quote=str(quote) if quote is not None else "",
                release=_release_id(graph, release),
                source=str(source) if source is not None else None,
                start=int(start) if start is not None else None,
                end=int(end) if end is not None else None,
            )
        )
    found.sort(key=lambda e: (e.release or "", e.start if e.start is not None else -1, e.end or -1, e.quote))
    return found


def _release_id(graph: rdflib.Graph, release: Node | None) -> str | None:
    if release is None:
        return None
    identifier = graph.value(release, DCTERMS.identifier)
    return str(identifier) if identifier is not None else compact(release)


# --- rendering ------------------------------------------------------------------------------


def count_text(report: ValidationReport) -> str:
    """The result counts, e.g. "1 violation, 2 warnings"."""
    return ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in report.counts().items() if n)


def summary(report: ValidationReport, allow_warnings: bool = False) -> str:
    nodes = len({r.focus for r in report.results})
    verdict = "conforms" if report.ok(allow_warnings) else "does not conform"
    if not report.results:
        return "conforms: no SHACL results"
    return f"{verdict}: {count_text(report)} on {nodes} node{'s' if nodes != 1 else ''}"


def render_text(report: ValidationReport, allow_warnings: bool = False) -> str:
    """The results grouped by focus node, each node with its label and evidence."""
    lines: list[str] = []
    by_focus: dict[Node, list[ValidationResult]] = {}
    for result in report.results:
        by_focus.setdefault(result.focus, []).append(result)
    for focus, results in by_focus.items():
        first = results[0]
        lines.append(compact(focus) + (f'  "{first.focus_label}"' if first.focus_label else ""))
        for ev in first.evidence:
            where = ", ".join(
                part for part in (
                    f"release {ev.release}" if ev.release else None,
                    ev.source,
                    f"chars {ev.start}-{ev.end}" if ev.start is not None else None,
                ) if part
            )
            lines.append(f'    evidence: "{_shorten(ev.quote)}"' + (f" ({where})" if where else ""))
        for result in results:
            where = f"{result.path}: " if result.path else ""
            value = f" [value: {_shorten(compact(result.value), 80)}]" if result.value is not None else ""
            lines.append(f"  {result.severity:<9} {where}{result.message}{value}")
            source = ", ".join(x for x in (result.shape, compact(result.component)) if x)
            if source:
                lines.append(f"            ({source})")
        lines.append("")
    lines.append(summary(report, allow_warnings))
    return "\n".join(lines) + "\n"


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _term(node: Node | None) -> str | None:
    if node is None:
        return None
    return node.n3() if isinstance(node, BNode) else str(node)


def render_json(report: ValidationReport, allow_warnings: bool = False) -> str:
    data = {
        "conforms": report.conforms,
        "ok": report.ok(allow_warnings),
        "counts": report.counts(),
        "results": [
            {
                "severity": r.severity,
                "focus": _term(r.focus),
                "focus_label": r.focus_label,
                "path": r.path,
                "message": r.message,
                "value": _term(r.value),
                "source_shape": _term(r.source_shape),
                "shape": r.shape,
                "component": _term(r.component),
                "evidence": [vars(e) for e in r.evidence],
            }
            for r in report.results
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The W3C SHACL validation report graph."""
    report.graph.bind("sh", SH)
    return report.graph.serialize(format="turtle")


def render(report: ValidationReport, fmt: str = "text", allow_warnings: bool = False) -> str:
    if fmt == "json":
        return render_json(report, allow_warnings)
    if fmt == "turtle":
        return render_turtle(report)
    return render_text(report, allow_warnings)
