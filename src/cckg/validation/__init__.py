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

import os
import tempfile
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.term import Node, URIRef

from cckg import namespaces, resources
from cckg.namespaces import VOCABULARY_GRAPH
from cckg.store import OxigraphStore, Store
from cckg.validation.context import (
    CONTEXT_PREDICATES,
    SERIES_PREDICATES,
    _not_in,
    _report_lookup,
    load_store,
    mentioned_iris,
    release_iris,
    store_context,
)
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
    "summary",
    "turbo_available",
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
    vocabulary_graph: URIRef = VOCABULARY_GRAPH,
    shapes: rdflib.Graph | None = None,
    *,
    engine: str = "auto",
) -> ValidationReport:
    """Validate every graph in the store (the vocabulary graph is replaced by the ontology files)."""
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
    ontology = namespaces.ontology()
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


def validate_files(paths: Iterable[Path], input_format: str | None = None) -> ValidationReport:
    return validate_graph(load_files(paths, input_format))
