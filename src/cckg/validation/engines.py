"""The SHACL engines: pySHACL (the reference) and pyshacl-turbo with whole-store SPARQL constraints."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Literal

from cckg.errors import ShapesError
from cckg.sparql import has_service
from cckg.validation import bulk_sparql

#: ``auto`` is ``indexed``: pySHACL's constraint components over an indexed graph, SPARQL
#: constraints in Oxigraph (:mod:`cckg.validation.batch`); shapes or data it cannot take exactly
#: are validated with pySHACL.  ``pyshacl`` is the reference; ``pyshacl-turbo`` a Rust engine.
ENGINES = ("auto", "pyshacl", "pyshacl-turbo", "indexed")



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
    """The engine ``engine`` stands for (``auto`` is ``indexed``; ``whole_store`` is kept for
    callers that ask about the whole store)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    if engine == "auto":
        return "indexed"
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
    refuse_service(shapes)
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


def refuse_service(shapes: rdflib.Graph) -> None:
    """Refuse shapes whose SPARQL would send requests to other servers (``SERVICE``): validating
    fetches nothing from the network."""
    for predicate in (SH.select, SH.ask, SH.construct, SH.update):
        for node, text in shapes.subject_objects(predicate):
            if has_service(str(text)):
                problem = f"{node.n3()} sends a query to another server (SERVICE), which is refused"
                raise ShapesError(f"the SHACL shapes cannot be used: {problem}")


def _one_line(error: object) -> str:
    message = getattr(error, "message", None) or str(error)
    return " ".join(str(message).split())
