"""Validate the knowledge graph (the store, or RDF files) against the SHACL shapes in ``shapes/``.

Validation runs with the ontology (``ontology/*.ttl``) mixed into the data, SHACL-AF enabled and no
inference.  The :class:`ValidationReport` keeps every result with what a person needs to act on it:
the focus node's label and, when the node carries ``cckg:evidence``, the quote and the release it
comes from.

Severities: a Violation or a Warning makes :meth:`ValidationReport.ok` false (with
``allow_warnings``, only a Violation does); Info results are notes and never make validation fail.
``ValidationReport.conforms`` keeps SHACL's own verdict (no result of any severity).

Engines (see :data:`ENGINES`):

- ``indexed`` (what ``auto`` means): pySHACL's results, computed faster.  The core constraints
  run as pySHACL's own constraint components (:mod:`cckg.validation.core`): the shapes are read
  once by pySHACL's ``ShapesGraph``, each component is instantiated once, and its ``evaluate``
  runs once per shape over all its focus nodes, on an index of the data with the ontology as a
  shared second layer (no copy); shape-expecting components (``sh:property``, ``sh:or``,
  ``sh:and``, ``sh:xone``, ``sh:not``, qualified value shapes) are followed with pySHACL's
  semantics, and pass checks transcribed from pySHACL's rules skip a component's ``evaluate``
  where every value passes.  Each SPARQL-based constraint runs once per batch in Oxigraph
  (:mod:`cckg.validation.batch`), every graph of the batch in a named graph of its own holding
  the triples the queries can match, with the ontology's where a query reads it.  Results are
  built by the components' ``make_v_result`` and the report by pySHACL's
  ``create_validation_report``.  Shapes beyond that (``sh:node``, custom components, SHACL-AF
  rules, functions and targets) and data it cannot pass to Oxigraph unchanged (a literal that
  Oxigraph would write in another lexical form, a term N-Triples cannot hold) go to pySHACL.
- ``pyshacl``, the reference; each SPARQL query of the shapes is parsed once per process
  (:class:`PreparedQueryGraph`, results unchanged).
- ``pyshacl-turbo``: the Rust engine pyshacl-turbo for the core constraints, and each SPARQL
  constraint once over the whole data in Oxigraph (:mod:`cckg.validation.bulk_sparql`).

How equality with pySHACL is guaranteed and tested.  Nothing of pySHACL's decisions is
rewritten except what is named above, each piece mirroring pySHACL 0.40's code: target and
value node selection, the shape-expecting components, the pass checks, and the SPARQL
constraints' results from their solutions (``SPARQLBasedConstraint``).  Running a SPARQL
constraint once for all focus nodes instead of once per pre-bound ``$this`` is sound for the
queries :func:`bulk_sparql.plan` accepts (one SELECT, no sub-query, aggregate, VALUES, GRAPH or
solution modifier), and a query can only match triples whose predicate it names, which is what
the batch datasets hold.  tests/validation/test_batch.py compares whole reports (results with
labels and evidence, verdict, isomorphic W3C report graphs) with pySHACL's on every example of
tests/shapes/, the fixtures, the seed and development releases as mapped, a store of releases,
seven kinds of mutated releases and batches with broken releases; tests/test_shapes.py and
tests/validation/test_validate.py check the other engines the same way.

Batches.  :func:`validate_batch` validates many new graphs (release graphs before they are
stored) against the store at once; each gets the report :func:`validate_with_store` gives for
it alone, with the store as it was before the batch (the graphs of the batch do not see each
other).  The store's context is read once for the batch (:func:`store_contexts`), from
Oxigraph's indexes, each lookup starting from an IRI the new data mentions.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF
from rdflib.term import Node, URIRef

from cckg import namespaces, resources
from cckg.namespaces import CCKG, VOCABULARY_GRAPH
from cckg.store import OxigraphStore, Store
from cckg.validation.batch import BatchEngine, union_index
from cckg.validation.context import (
    CONTEXT_PREDICATES,
    SERIES_PREDICATES,
    _not_in,
    _report_lookup,
    load_store,
    mentioned_iris,
    release_iris,
    store_context,
    store_contexts,
)
from cckg.validation.core import Unsupported
from cckg.validation.engines import (
    ENGINES,
    PreparedQueryGraph,
    ShapesError,
    _oxigraph_copy,
    _prepared_query,
    _run,
    resolve_engine,
    run_pyshacl,
    run_turbo,
    turbo_available,
)
from cckg.validation.files import (
    FORMATS_BY_SUFFIX,
    INPUT_FORMATS,
    QUAD_FORMATS,
    ValidationInputError,
    format_for,
    load_files,
)
from cckg.validation.report import (
    LABELS,
    SEVERITIES,
    Evidence,
    LazyReport,
    ValidationReport,
    ValidationResult,
    _report,
    count_text,
    evidence,
    label,
    render,
    render_json,
    render_text,
    render_turtle,
    summary,
)

__all__ = [
    "CONTEXT_PREDICATES",
    "ENGINES",
    "FORMATS_BY_SUFFIX",
    "INPUT_FORMATS",
    "LABELS",
    "QUAD_FORMATS",
    "SERIES_PREDICATES",
    "SEVERITIES",
    "Evidence",
    "PreparedQueryGraph",
    "ShapesError",
    "ValidationInputError",
    "ValidationReport",
    "ValidationResult",
    "_prepared_query",
    "count_text",
    "default_shapes",
    "evidence",
    "format_for",
    "label",
    "load_files",
    "load_store",
    "mentioned_iris",
    "release_iris",
    "render",
    "render_json",
    "render_text",
    "render_turtle",
    "resolve_engine",
    "run_pyshacl",
    "run_turbo",
    "store_context",
    "store_contexts",
    "summary",
    "turbo_available",
    "validate_batch",
    "validate_files",
    "validate_graph",
    "validate_store",
    "validate_with_store",
]


def default_shapes() -> rdflib.Graph:
    """``shapes/*.ttl``, parsed once per process (while the files are unchanged); do not modify it."""
    return resources.turtle_graph(resources.shape_files())


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
    ontology = ontology if ontology is not None else namespaces.ontology()
    chosen = resolve_engine(engine)
    if chosen == "indexed" and (batch := batch_engine(shapes, ontology)) is not None:
        [graph] = batch.graphs([data])
        [outcome] = batch.run([graph], [set(focus) if focus is not None else None])
        if outcome is not None:
            return _report(batch.report_graph(outcome), shapes, lambda nodes: graph, focus)
    if chosen == "indexed":
        chosen = "pyshacl"
    report_graph = _run(chosen, data, shapes, ontology)
    lookup = ReadOnlyGraphAggregate([data, ontology])
    return _report(report_graph, shapes, lambda nodes: lookup, focus)


def validate_batch(
    datas: Sequence[rdflib.Graph | list[Triple]],
    store: Store,
    shapes: rdflib.Graph | None = None,
    ontology: rdflib.Graph | None = None,
    *,
    skip: Sequence[URIRef] = (),
    engine: str = "auto",
) -> list[ValidationReport]:
    """Validate new graphs (release graphs, before they are stored) against ``store``: one report
    per graph, each exactly :func:`validate_with_store` of that graph alone.

    Every graph is validated with the store as it is, leaving out ``skip`` and the graphs of all
    the releases in ``datas`` (the batch replaces them): no graph of the batch sees another.  The
    store's context is read once for the batch (:func:`store_contexts`), and with the ``indexed``
    engine the shapes run once for the batch (:mod:`cckg.validation.batch`).  A graph may be given
    as the list of its triples (what ingest's worker processes make), which saves building it.
    """
    shapes = shapes if shapes is not None else default_shapes()
    ontology = ontology if ontology is not None else namespaces.ontology()
    triples = [data if isinstance(data, list) else list(data) for data in datas]
    releases = {s for own in triples for s in _releases(own)}
    skip = [*skip, *sorted(releases - set(skip), key=str)]
    chosen = resolve_engine(engine)
    batch = batch_engine(shapes, ontology) if chosen == "indexed" else None
    if batch is None:
        fallback = "pyshacl" if chosen == "indexed" else chosen
        return [
            validate_with_store(_graph(data), store, shapes, ontology, skip=skip, engine=fallback)
            for data in datas
        ]
    contexts = store_contexts(store, triples, skip)
    graphs = batch.graphs([[*own, *context] for own, context in zip(triples, contexts, strict=True)])
    focus = [{s for s, _, _ in own} for own in triples]
    reports = []
    for data, graph, wanted, outcome in zip(datas, graphs, focus, batch.run(graphs, focus), strict=True):
        if outcome is None:  # a graph the batch cannot validate exactly: pySHACL validates it
            alone = validate_with_store(_graph(data), store, shapes, ontology, skip=skip, engine="pyshacl")
            reports.append(alone)
        elif not outcome.results:  # what _report gives for a report without results about ``wanted``
            reports.append(LazyReport(True, [], batch.empty_report_graph))
        else:
            reports.append(_report(batch.report_graph(outcome), shapes, lambda nodes, g=graph: g, wanted))
    return reports


Triple = tuple[Node, Node, Node]


_RDF_TYPE, _RELEASE = str(RDF.type), str(CCKG.Release)


def _releases(triples: list[Triple]) -> Iterator[URIRef]:
    """:func:`release_iris` of a graph given as its triples (terms compared as text, in C)."""
    for s, p, o in triples:
        if str.__eq__(o, _RELEASE) and str.__eq__(p, _RDF_TYPE) and type(o) is URIRef and type(s) is URIRef:
            yield s


def _graph(data: rdflib.Graph | list[Triple]) -> rdflib.Graph:
    """``data`` as an rdflib graph."""
    if isinstance(data, rdflib.Graph):
        return data
    graph = rdflib.Graph()
    graph.addN((s, p, o, graph) for s, p, o in data)
    return graph


_ByOntology = weakref.WeakKeyDictionary[rdflib.Graph, BatchEngine | None]
_BATCH_ENGINES: weakref.WeakKeyDictionary[rdflib.Graph, _ByOntology] = weakref.WeakKeyDictionary()


def batch_engine(shapes: rdflib.Graph, ontology: rdflib.Graph) -> BatchEngine | None:
    """The ``indexed`` engine for ``shapes`` and ``ontology`` (compiled once per pair of graphs;
    do not modify them afterwards), or None when the shapes need pySHACL."""
    by_ontology = _BATCH_ENGINES.setdefault(shapes, weakref.WeakKeyDictionary())
    if ontology not in by_ontology:
        try:
            by_ontology[ontology] = BatchEngine(shapes, ontology)
        except Unsupported:
            by_ontology[ontology] = None
    return by_ontology[ontology]


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
    vocabulary_graph: URIRef = VOCABULARY_GRAPH,
    shapes: rdflib.Graph | None = None,
    *,
    engine: str = "auto",
) -> ValidationReport:
    """Validate every graph in the store (the vocabulary graph is replaced by the ontology files)."""
    chosen = resolve_engine(engine, whole_store=True)
    if chosen == "indexed" and isinstance(store, OxigraphStore):
        report = _validate_oxigraph_indexed(store, [vocabulary_graph], shapes)
        if report is not None:
            return report
        chosen = "pyshacl"
    if chosen == "pyshacl-turbo" and isinstance(store, OxigraphStore):
        return _validate_oxigraph_with_turbo(store, [vocabulary_graph], shapes)
    return validate_graph(load_store(store, skip=[vocabulary_graph]), shapes, engine=chosen)


def _validate_oxigraph_indexed(
    store: OxigraphStore, skip: Sequence[URIRef], shapes: rdflib.Graph | None
) -> ValidationReport | None:
    """The whole store with the indexed engine: the union of the graphs read once from
    Oxigraph's indexes into the engine's index (the core constraints), and exported as N-Triples
    into an in-memory dataset with the ontology (the SPARQL constraints, once each); None when
    the engine cannot take it."""
    shapes = shapes if shapes is not None else default_shapes()
    ontology = namespaces.ontology()
    batch = batch_engine(shapes, ontology)
    if batch is None:
        return None
    graph = batch.graph_of(union_index(store.oxigraph, skip))
    dataset = _exported(store, skip, ontology) if batch.constraints else ox.Store()
    outcome = batch.run_whole(graph, dataset)
    if outcome is None:
        return None
    return _report(batch.report_graph(outcome), shapes, lambda nodes: graph)


def _exported(store: OxigraphStore, skip: Sequence[URIRef], ontology: rdflib.Graph) -> ox.Store:
    """An in-memory dataset whose default graph holds the union of the store's graphs (but
    ``skip``) and ``ontology``, copied by Oxigraph (no rdflib graph is built)."""
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
    return dataset


def _validate_oxigraph_with_turbo(
    store: OxigraphStore, skip: Sequence[URIRef], shapes: rdflib.Graph | None
) -> ValidationReport:
    """The whole store with the pyshacl-turbo engine: Oxigraph exports the release graphs as
    N-Triples into an in-memory dataset with the ontology (no rdflib graph of the store is built);
    labels and evidence for the report are then looked up in the store."""
    shapes = shapes if shapes is not None else default_shapes()
    ontology = namespaces.ontology()
    dataset = _exported(store, skip, ontology)
    report_graph = _run("pyshacl-turbo", dataset, shapes, ontology)
    return _report(report_graph, shapes, lambda nodes: _report_lookup(store, nodes, ontology))


def validate_files(paths: Iterable[Path], input_format: str | None = None) -> ValidationReport:
    return validate_graph(load_files(paths, input_format))
