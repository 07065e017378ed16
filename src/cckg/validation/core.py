"""SHACL Core constraints, evaluated by pySHACL's own constraint components over an indexed graph.

pySHACL spends most of its time around its constraint components, not in them: it copies the data
and the ontology into a new graph, builds a new shapes graph, re-creates every component of a
property shape for each focus node, runs a nested shape (the members of an ``sh:or``, a
qualified value shape) through the whole validation path for each value node, and reads the
data through rdflib's store.  The checks themselves are small loops over value nodes.

:class:`CoreProgram` keeps the checks and replaces what is around them:

- the shapes are read once with pySHACL's own :class:`~pyshacl.shapes_graph.ShapesGraph`, and
  each constraint component is instantiated once, from pySHACL's own classes;
- the data is an :class:`IndexedGraph`: the new data (with its store context) in dictionaries,
  the ontology as a second, shared layer read through the same lookups (the union of the two, as
  pySHACL sees it after mixing the ontology in, but not copied);
- targets and value nodes are found as pySHACL's ``Shape.focus_nodes`` and ``value_nodes`` find
  them, over the index;
- each component's own ``evaluate`` runs once per shape over all its focus nodes, as pySHACL does
  for a shape with targets; its results are pySHACL's result tuples (``make_v_result``), so the
  report graph built from them with pySHACL's ``create_validation_report`` is the report pySHACL
  would build;
- the shape-expecting components (``sh:property``, ``sh:or``, ``sh:and``, ``sh:xone``,
  ``sh:not``, ``sh:qualifiedValueShape``) are followed here, with pySHACL's semantics (the code
  below mirrors pySHACL 0.40's, in the same order); nested shapes are only asked whether they
  conform, so their components run in a quiet form that builds no result.

SPARQL-based constraints (``sh:sparql``) are not run here: :mod:`cckg.validation.batch` runs each
of them once per batch in Oxigraph.  Anything else (``sh:node``, custom constraint components,
SHACL-AF rules, functions and advanced targets, SHACL-JS, shapes pySHACL refuses to load) makes
:meth:`CoreProgram.compile` raise :class:`Unsupported`, and the caller validates with pySHACL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

import rdflib
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent
from pyshacl.constraints.core.cardinality_constraints import (
    MaxCountConstraintComponent,
    MinCountConstraintComponent,
)
from pyshacl.constraints.core.logical_constraints import (
    AndConstraintComponent,
    NotConstraintComponent,
    OrConstraintComponent,
    XoneConstraintComponent,
)
from pyshacl.constraints.core.other_constraints import InConstraintComponent
from pyshacl.constraints.core.shape_based_constraints import (
    NodeConstraintComponent,
    PropertyConstraintComponent,
    QualifiedValueShapeConstraintComponent,
)
from pyshacl.constraints.core.string_based_constraints import (
    LanguageInConstraintComponent,
    MaxLengthConstraintComponent,
    MinLengthConstraintComponent,
    PatternConstraintComponent,
)
from pyshacl.constraints.core.value_constraints import (
    ClassConstraintComponent,
    DatatypeConstraintComponent,
    NodeKindConstraintComponent,
)
from pyshacl.constraints.core.value_range_constraints import (
    MaxExclusiveConstraintComponent,
    MaxInclusiveConstraintComponent,
    MinExclusiveConstraintComponent,
    MinInclusiveConstraintComponent,
)
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.errors import ConstraintLoadWarning, ReportableRuntimeError
from pyshacl.helper.expression_helper import value_nodes_from_path
from pyshacl.pytypes import SHACLExecutor
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Literal, Node, URIRef

from cckg.errors import CckgError

SH_QualifiedMaxCount = SH.QualifiedMaxCountConstraintComponent
SH_QualifiedMinCount = SH.QualifiedMinCountConstraintComponent

#: Shapes-graph terms this evaluator does not handle (SHACL-AF, SHACL-JS, custom components).
UNSUPPORTED_PREDICATES = frozenset(
    SH[name]
    for name in (
        "rule",
        "target",
        "expression",
        "js",
        "jsFunctionName",
        "jsLibrary",
        "parameter",
        "nodeValidator",
        "propertyValidator",
        "validator",
        "returnType",
        "node",
    )
)
UNSUPPORTED_TYPES = frozenset(
    SH[name]
    for name in (
        "ConstraintComponent",
        "SPARQLFunction",
        "JSFunction",
        "Function",
        "SPARQLTargetType",
        "JSTargetType",
        "TargetType",
        "SPARQLTarget",
        "JSTarget",
        "SPARQLRule",
        "TripleRule",
        "JSRule",
        "Rule",
    )
)

#: The result tuple pySHACL's components build: (text, result node, result triples).
Result = tuple[str, Node, list[tuple[Any, Any, Any]]]

_EXECUTOR = SHACLExecutor(advanced_mode=True)
_EMPTY: frozenset[Node] = frozenset()


class Unsupported(CckgError):
    """Shapes that this evaluator does not handle; validate them with pySHACL instead."""


# --- the data: an index over the new data, with the ontology as a shared second layer ------------


class Index:
    """Triples by subject (and, on demand, by predicate and object), for lookups in O(1).

    The by-predicate index is built for a predicate the first time it is asked for (instances of
    a class, subjects of a target predicate): most lookups go from a subject.  With ``intern``,
    each IRI is replaced by the equal IRI object already in ``intern`` (the shapes' and the
    ontology's, and those seen before): rdflib compares terms in Python, and a dictionary lookup
    of the very same object skips the comparison.
    """

    __slots__ = ("_pos", "predicates", "spo")

    def __init__(
        self, triples: Iterable[tuple[Node, Node, Node]] = (), intern: dict[str, URIRef] | None = None
    ) -> None:
        self.spo: dict[Node, dict[Node, set[Node]]] = {}
        self._pos: dict[Node, dict[Node, set[Node]]] = {}
        self.predicates: set[Node] = set()
        if intern is not None and len(intern) > 1_000_000:
            intern.clear()
        spo = self.spo
        get = intern.get if intern is not None else None
        for s, p, o in triples:
            if get is not None:  # by the IRI's text: comparing plain strings is done in C
                if type(s) is URIRef:
                    s = get(str(s)) or intern.setdefault(str(s), s)  # type: ignore[union-attr]
                if type(p) is URIRef:
                    p = get(str(p)) or intern.setdefault(str(p), p)  # type: ignore[union-attr]
                if type(o) is URIRef:
                    o = get(str(o)) or intern.setdefault(str(o), o)  # type: ignore[union-attr]
            by_p = spo.get(s)
            if by_p is None:
                spo[s] = {p: {o}}
            else:
                objects = by_p.get(p)
                if objects is None:
                    by_p[p] = {o}
                else:
                    objects.add(o)
        for by_p in spo.values():
            self.predicates.update(by_p)

    def by_object(self, p: Node) -> dict[Node, set[Node]]:
        """Object -> subjects for predicate ``p``."""
        found = self._pos.get(p)
        if found is None:
            found = self._pos[p] = {}
            if p in self.predicates:
                for s, by_p in self.spo.items():
                    for o in by_p.get(p, ()):
                        subjects = found.get(o)
                        if subjects is None:
                            found[o] = {s}
                        else:
                            subjects.add(s)
        return found

    def literals(self) -> Iterator[Literal]:
        for by_p in self.spo.values():
            for objects in by_p.values():
                for o in objects:
                    if type(o) is Literal:
                        yield o

    def __len__(self) -> int:
        return sum(len(objects) for by_p in self.spo.values() for objects in by_p.values())


class IndexedGraph(rdflib.Graph):
    """The union of ``layers`` (the new data, then the ontology), read through their indexes.

    It answers the rdflib Graph calls pySHACL's constraint components and path helpers make
    (``objects``, ``subjects``, ``predicates``, ``predicate_objects``, ``subject_objects``,
    ``triples``, ``transitive_objects``, ``transitive_subjects``, ``items``, ``value``,
    ``__contains__``, ``__iter__``, ``__len__``) with the union's answers, each triple once.  Its
    own rdflib store stays empty: nothing is copied into it.
    """

    def __init__(self, layers: Sequence[Index], closure_cache: dict[Any, frozenset[Node]] | None = None):
        super().__init__(bind_namespaces="none")
        self.layers = tuple(layers)
        # transitive closures of the last layer (the shared ontology), valid while the data layers
        # have no triple with the closure's predicate
        self._closure_cache = closure_cache if closure_cache is not None else {}

    # -- the lookups the evaluator itself uses

    def objects_of(self, s: Node, p: Node) -> set[Node] | frozenset[Node]:
        """The objects of (s, p) in the union (a set owned by the index: do not modify)."""
        found: set[Node] | frozenset[Node] = _EMPTY
        for layer in self.layers:
            by_p = layer.spo.get(s)
            if by_p is not None:
                objects = by_p.get(p)
                if objects:
                    found = objects if not found else found | objects
        return found

    def subjects_of(self, p: Node, o: Node) -> set[Node] | frozenset[Node]:
        found: set[Node] | frozenset[Node] = _EMPTY
        for layer in self.layers:
            by_o = layer.by_object(p)
            if by_o:
                subjects = by_o.get(o)
                if subjects:
                    found = subjects if not found else found | subjects
        return found

    def superclasses(self, cls: Node) -> Iterable[Node]:
        """``cls`` and its superclasses (rdflib's ``transitive_objects`` along rdfs:subClassOf)."""
        return self._closure(cls, _SUBCLASS_OF, forward=True)

    def has_predicate_in_data(self, p: Node) -> bool:
        return any(p in layer.predicates for layer in self.layers[:-1])

    # -- rdflib's Graph interface

    def triples(self, triple: Any) -> Iterator[tuple[Node, Node, Node]]:  # type: ignore[override]
        s, p, o = triple
        if isinstance(p, rdflib.paths.Path):
            raise NotImplementedError("property paths in triple patterns")
        seen: set[tuple[Node, Node, Node]] = set()
        for layer in self.layers:
            for found in _match(layer, s, p, o):
                if found not in seen:
                    seen.add(found)
                    yield found

    def __contains__(self, triple: Any) -> bool:
        return next(self.triples(triple), None) is not None

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:  # type: ignore[override]
        return self.triples((None, None, None))

    def __len__(self) -> int:
        return sum(1 for _ in self.triples((None, None, None)))

    def __bool__(self) -> bool:  # pySHACL asks ``datagraph or shapes_graph`` for each result
        return any(layer.spo for layer in self.layers)

    def objects(self, subject: Any = None, predicate: Any = None, unique: bool = False) -> Iterator[Node]:  # type: ignore[override]
        if subject is not None and predicate is not None and not isinstance(predicate, rdflib.paths.Path):
            yield from self.objects_of(subject, predicate)
            return
        seen: set[Node] = set()
        for _, _, o in self.triples((subject, predicate, None)):
            if o not in seen:
                seen.add(o)
                yield o

    def subjects(self, predicate: Any = None, object: Any = None, unique: bool = False) -> Iterator[Node]:  # type: ignore[override]
        if predicate is not None and object is not None and not isinstance(predicate, rdflib.paths.Path):
            yield from self.subjects_of(predicate, object)
            return
        seen: set[Node] = set()
        for s, _, _ in self.triples((None, predicate, object)):
            if s not in seen:
                seen.add(s)
                yield s

    def predicates(self, subject: Any = None, object: Any = None, unique: bool = False) -> Iterator[Node]:  # type: ignore[override]
        seen: set[Node] = set()
        for _, p, _ in self.triples((subject, None, object)):
            if p not in seen:
                seen.add(p)
                yield p

    def subject_objects(self, predicate: Any = None, unique: bool = False) -> Iterator[tuple[Node, Node]]:  # type: ignore[override]
        for s, _, o in self.triples((None, predicate, None)):
            yield s, o

    def predicate_objects(self, subject: Any = None, unique: bool = False) -> Iterator[tuple[Node, Node]]:  # type: ignore[override]
        for _, p, o in self.triples((subject, None, None)):
            yield p, o

    def subject_predicates(self, object: Any = None, unique: bool = False) -> Iterator[tuple[Node, Node]]:  # type: ignore[override]
        for s, p, _ in self.triples((None, None, object)):
            yield s, p

    def value(
        self,
        subject: Any = None,
        predicate: Any = RDF.value,
        object: Any = None,
        default: Any = None,  # type: ignore[override]
        any: bool = True,
    ) -> Any:
        if subject is None:
            return next(self.subjects(predicate, object), default)
        if object is None:
            return next(self.objects(subject, predicate), default)
        return next(self.predicates(subject, object), default)

    def transitive_objects(self, subject: Any, predicate: Any, remember: Any = None) -> Iterator[Node]:  # type: ignore[override]
        """rdflib's order: ``subject``, then depth first along ``predicate``, each node once."""
        yield from self._closure(subject, predicate, forward=True)

    def transitive_subjects(self, predicate: Any, object: Any, remember: Any = None) -> Iterator[Node]:  # type: ignore[override]
        yield from self._closure(object, predicate, forward=False)

    def _closure(self, start: Node, predicate: Node, forward: bool) -> Iterable[Node]:
        cacheable = not self.has_predicate_in_data(predicate)
        key = (start, predicate, forward)
        if cacheable and key in self._closure_cache:
            return self._closure_cache[key]
        step = self.objects_of if forward else (lambda node, p: self.subjects_of(p, node))
        found: dict[Node, None] = {}
        todo = [start]
        while todo:
            node = todo.pop()
            if node in found:
                continue
            found[node] = None
            todo.extend(reversed(list(step(node, predicate))))
        if cacheable:
            self._closure_cache[key] = frozenset(found)
        return found


def _match(layer: Index, s: Any, p: Any, o: Any) -> Iterator[tuple[Node, Node, Node]]:
    if s is not None:
        by_p = layer.spo.get(s)
        if not by_p:
            return
        for pred, objects in [(p, by_p.get(p, _EMPTY))] if p is not None else by_p.items():
            if o is None:
                for obj in objects:
                    yield s, pred, obj
            elif o in objects:
                yield s, pred, o
    elif p is not None:
        by_o = layer.by_object(p)
        if not by_o:
            return
        for obj, subjects in [(o, by_o.get(o, _EMPTY))] if o is not None else by_o.items():
            for subj in subjects:
                yield subj, p, obj
    else:
        for subj, by_p in layer.spo.items():
            for pred, objects in by_p.items():
                if o is None:
                    for obj in objects:
                        yield subj, pred, obj
                elif o in objects:
                    yield subj, pred, o


# --- the shapes ----------------------------------------------------------------------------------


@dataclass(eq=False)
class CompiledShape:
    """A pySHACL shape with its components instantiated once."""

    shape: Shape
    components: list[ConstraintComponent] = field(default_factory=list)  # non-shape-expecting
    quiet: list[ConstraintComponent] = field(default_factory=list)  # the same, building no results
    checks: list[PassCheck | None] = field(default_factory=list)  # a pass check for each
    value_checks: list[ValueCheck | None] = field(default_factory=list)  # and a value check
    properties: list[CompiledShape] = field(default_factory=list)  # sh:property
    logical: list[tuple[ConstraintComponent, str, list[CompiledShape]]] = field(default_factory=list)
    qualified: list[
        tuple[QualifiedValueShapeConstraintComponent, list[CompiledShape], list[CompiledShape]]
    ] = field(default_factory=list)
    sparql: SPARQLBasedConstraint | None = None
    path: Node | None = None
    deactivated: bool = False
    # for a node shape made only of components with value checks: the checks (its verdict on a
    # value is then theirs)
    simple: list[ValueCheck] | None = None

    def __post_init__(self) -> None:
        self.path = self.shape.path() if self.shape.is_property_shape else None
        self.deactivated = bool(self.shape.deactivated)

    @property
    def node(self) -> Node:
        return self.shape.node

    def finish(self) -> None:
        """Note whether the shape is simple (after its components are known)."""
        plain = not (self.properties or self.logical or self.qualified or self.sparql)
        if self.path is None and plain and all(c is not None for c in self.value_checks):
            self.simple = list(self.value_checks)  # type: ignore[arg-type]


# --- pass checks: which focus nodes a component certainly has no result for ----------------------
#
# pySHACL's components give a result per failing value (or per focus node, for the counts), and
# nothing for a focus node whose values all pass.  A pass check says whether a focus node's values
# all pass, by pySHACL's own rule for the component: written out below branch for branch from
# pySHACL 0.40's ``evaluate`` (or, for the value-local components, pySHACL's own verdict on each
# value, remembered).  The component's ``evaluate`` then runs on the focus nodes that do not pass,
# so every result is built by pySHACL; nested shapes, which build no result, take the check's
# answer as the verdict.

#: A pass check: the focus nodes of ``values`` (focus node -> value nodes) that do not pass.
PassCheck = Callable[["IndexedGraph", dict], list]
#: A value check: whether one value node passes (for components that judge each value alone).
ValueCheck = Callable[["IndexedGraph", Node], bool]

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (rdflib.BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (rdflib.BNode, URIRef),
    SH.BlankNodeOrLiteral: (rdflib.BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
# DatatypeConstraintComponent._assert_actual_datatype: the Python type of the value for a datatype
_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}
#: Components whose verdict on a value depends on that value alone (not on the graph, the focus
#: node or the other values): their verdicts are remembered by value.
_VALUE_LOCAL = (
    MinInclusiveConstraintComponent,
    MaxInclusiveConstraintComponent,
    MinExclusiveConstraintComponent,
    MaxExclusiveConstraintComponent,
    MinLengthConstraintComponent,
    MaxLengthConstraintComponent,
    LanguageInConstraintComponent,
)
_RDFS_LITERAL, _RDFS_DATATYPE, _XSD_STRING, _RDF_LANGSTRING = (
    RDFS.Literal,
    RDFS.Datatype,
    XSD.string,
    RDF.langString,
)
_RDF_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf


def _checks(component: ConstraintComponent) -> tuple[PassCheck | None, ValueCheck | None]:
    """The pass check of a component, and its value check when it judges each value alone."""
    if isinstance(component, MinCountConstraintComponent):
        least = int(component.min_count.value)
        return (lambda graph, values: [f for f, v in values.items() if len(v) < least]), None
    if isinstance(component, MaxCountConstraintComponent):
        most = int(component.max_count.value)
        return (lambda graph, values: [f for f, v in values.items() if len(v) > most]), None
    value_check = _value_check(component)
    if value_check is None:
        return None, None

    def failing(graph: IndexedGraph, values: dict) -> list:
        bad = []
        for f, nodes in values.items():
            for v in nodes:
                if not value_check(graph, v):
                    bad.append(f)
                    break
        return bad

    return failing, value_check


def _value_check(component: ConstraintComponent) -> ValueCheck | None:
    if isinstance(component, NodeKindConstraintComponent):
        kinds = _NODE_KINDS.get(component.nodekind_rule)
        if kinds is None:
            return None
        return lambda graph, v: type(v) in kinds
    if isinstance(component, InConstraintComponent):
        allowed = component.in_vals
        return lambda graph, v: v in allowed
    if isinstance(component, DatatypeConstraintComponent):
        return _datatype_check(component.datatype_rule)
    if isinstance(component, ClassConstraintComponent):
        classes = list(component.class_rules)
        return lambda graph, v: _instance_of_all(graph, v, classes)
    if isinstance(component, PatternConstraintComponent):
        matchers = [component.compiled_cache[rule] for rule in component.string_rules]
        to_string = component.value_node_to_string
        return lambda graph, v: (
            not isinstance(v, rdflib.BNode) and all(m.search(to_string(v)) for m in matchers)
        )
    if isinstance(component, _VALUE_LOCAL):
        quiet = _quiet_class(type(component))(component.shape)
        verdicts: dict[Node, bool] = {}

        def remembered(graph: IndexedGraph, v: Node) -> bool:
            verdict = verdicts.get(v)
            if verdict is None:
                if len(verdicts) > 100_000:
                    verdicts.clear()
                verdict = verdicts[v] = bool(quiet.evaluate(_EXECUTOR, graph, {v: {v}}, [])[0])
            return verdict

        return remembered
    return None


def _datatype_check(rule: Node) -> ValueCheck:
    """DatatypeConstraintComponent.evaluate's test for one value, in its order of branches."""
    value_type = _VALUE_TYPES.get(rule)
    rule_text = str(rule)
    is_literal, is_datatype = rule == _RDFS_LITERAL, rule == _RDFS_DATATYPE
    is_string, is_lang_string = rule == _XSD_STRING, rule == _RDF_LANGSTRING

    def matches(graph: IndexedGraph, v: Any) -> bool:
        if type(v) is not Literal:
            return False
        datatype = v.datatype
        if datatype is not None and (
            str.__eq__(datatype, rule_text) if type(datatype) is URIRef else datatype == rule
        ):
            if getattr(v, "ill_typed", None) is True:
                return False
            return value_type is None or isinstance(v.value, value_type)
        if is_literal:
            return True
        if is_datatype and datatype:
            return True
        if datatype is None and v.language is None and is_string:
            return isinstance(v.value, (str, bytes))
        if is_lang_string and v.language:
            return isinstance(v.value, (str, bytes))
        return False

    return matches


def _instance_of_all(graph: IndexedGraph, value: Node, classes: list[Node]) -> bool:
    """ClassConstraintComponent's test: a non-literal with a type that is, or is a subclass of,
    each class."""
    if isinstance(value, Literal):
        return False
    types = graph.objects_of(value, _RDF_TYPE)
    return all(any(cls in graph.superclasses(t) for t in types) for cls in classes)


@cache
def _quiet_class(cls: type[ConstraintComponent]) -> type[ConstraintComponent]:
    """``cls`` whose results are not built: only whether the values conform is wanted."""
    return type(f"Quiet{cls.__name__}", (cls,), {"make_v_result": _no_result})


_NO_RESULT: Result = ("", rdflib.BNode("cckgNoResult"), [])


def _no_result(self: Any, *args: Any, **kwargs: Any) -> Result:
    return _NO_RESULT


_LOGICAL = {
    OrConstraintComponent: ("or", "or_list"),
    AndConstraintComponent: ("and", "and_list"),
    XoneConstraintComponent: ("xone", "xone_nodes"),
    NotConstraintComponent: ("not", "not_list"),
}


class CoreProgram:
    """The shapes, compiled for :meth:`evaluate`; see the module docstring."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        for _, p, o in shapes:
            if p in UNSUPPORTED_PREDICATES or (p == RDF.type and o in UNSUPPORTED_TYPES):
                raise Unsupported(f"the shapes use {o if p == RDF.type else p}")
        self.shapes_graph = shapes
        quiet_logger = logging.getLogger("cckg.validation.core")
        self.sg = ShapesGraph(shapes, False, quiet_logger)
        try:
            all_shapes = list(self.sg.shapes)
            if self.sg.custom_constraints:
                raise Unsupported("the shapes declare custom constraint components")
        except ReportableRuntimeError as error:
            raise Unsupported(f"pySHACL cannot load the shapes: {error}") from None
        for shape in all_shapes:
            shape.set_advanced(True)
        self._compiled: dict[Node, CompiledShape] = {}
        self._compiling: set[Node] = set()
        self.top: list[tuple[CompiledShape, tuple[list[Node], list[Node], list[Node], list[Node]]]] = []
        for shape in all_shapes:
            nodes, classes, implicit, objects_of, subjects_of = (list(t) for t in shape.target())
            if not (nodes or classes or implicit or objects_of or subjects_of):
                continue  # a shape without targets is only used through other shapes
            compiled = self._compile(shape, top=True)
            self.top.append(
                (
                    compiled,
                    (tuple(nodes), tuple([*classes, *implicit]), tuple(subjects_of), tuple(objects_of)),
                )
            )

    # -- compiling

    def _compile(self, shape: Shape, top: bool = False) -> CompiledShape:
        if shape.node in self._compiled:
            compiled = self._compiled[shape.node]
            if not top and compiled.sparql is not None:
                raise Unsupported(f"SPARQL constraints of {shape.node} in a nested shape")
            return compiled
        if shape.node in self._compiling:
            raise Unsupported(f"recursive shapes ({shape.node})")
        self._compiling.add(shape.node)
        compiled = CompiledShape(shape)
        parameters = [
            p for p, _ in self.sg.graph.predicate_objects(shape.node) if p in ALL_CONSTRAINT_PARAMETERS
        ]
        classes: list[type[ConstraintComponent]] = []
        for parameter in parameters:
            cls = CONSTRAINT_PARAMETERS_MAP[parameter]
            if cls not in classes:
                classes.append(cls)
        for cls in classes:
            try:
                component = cls(shape)
            except ConstraintLoadWarning:
                continue  # pySHACL logs it and goes on without the component
            except ReportableRuntimeError as error:
                raise Unsupported(f"pySHACL cannot load {shape.node}: {error}") from None
            if cls is NodeConstraintComponent:
                raise Unsupported("sh:node")
            if cls is PropertyConstraintComponent:
                compiled.properties.extend(self._other(shape, p) for p in component.property_shapes)
            elif cls in _LOGICAL:
                kind, attribute = _LOGICAL[cls]
                for operand in getattr(component, attribute):
                    if kind == "not":
                        members = [self._other(shape, operand)]
                    else:
                        items = list(self.sg.graph.items(operand))
                        if not items:
                            raise Unsupported(f"sh:{kind} without a list in {shape.node}")
                        members = [self._other(shape, item) for item in items]
                        if kind != "xone":  # pySHACL takes the members of sh:or and sh:and as a set
                            members = list(dict.fromkeys(members))
                    compiled.logical.append((component, kind, members))
            elif cls is QualifiedValueShapeConstraintComponent:
                values = [self._other(shape, s) for s in component.value_shapes]
                siblings = self._siblings(shape, component) if component.is_disjoint else []
                compiled.qualified.append((component, values, siblings))
            elif cls is SPARQLBasedConstraint:
                if not top:
                    raise Unsupported(f"SPARQL constraints of {shape.node} in a nested shape")
                compiled.sparql = component
            else:
                compiled.components.append(component)
                compiled.quiet.append(_quiet_class(cls)(shape))
                check, value_check = _checks(component)
                compiled.checks.append(check)
                compiled.value_checks.append(value_check)
        compiled.finish()
        self._compiling.discard(shape.node)
        self._compiled[shape.node] = compiled
        return compiled

    def _other(self, shape: Shape, node: Node) -> CompiledShape:
        other = shape.get_other_shape(node)
        if other is None:
            raise Unsupported(f"{shape.node} refers to {node}, which is not a shape")
        return self._compile(other)

    def _siblings(
        self, shape: Shape, component: QualifiedValueShapeConstraintComponent
    ) -> list[CompiledShape]:
        """pySHACL's sibling shapes of a qualified value shape with sh:qualifiedValueShapesDisjoint."""
        siblings = set()
        for parent in set(self.sg.subjects(SH.property, shape.node)):
            for prop in set(self.sg.objects(parent, SH.property)):
                for sibling in set(self.sg.objects(prop, SH.qualifiedValueShape)):
                    if sibling not in component.value_shapes:
                        siblings.add(sibling)
        return [self._other(shape, s) for s in siblings]

    # -- evaluating

    def evaluate(
        self, graph: IndexedGraph, focus_filter: set[Node] | None = None
    ) -> tuple[bool, list[Result]]:
        """pySHACL's (conforms, results) for the core constraints of every shape with targets.

        With ``focus_filter``, only focus nodes in it are validated (the results about other
        nodes would be dropped anyway); shapes whose results may be about other nodes than
        their focus nodes (a property shape inside a property shape) are validated in full.
        """
        conforms = True
        results: list[Result] = []
        found_focus: dict[Any, set[Node]] = {}
        for compiled, targets in self.top:
            if compiled.deactivated:
                continue
            focus = found_focus.get(targets)
            if focus is None:
                focus = found_focus[targets] = _focus_nodes(graph, targets)
            focus = set(focus)
            if focus_filter is not None and not self._may_report_others(compiled):
                focus &= focus_filter
            if not focus:
                continue
            ok, found = self._validate(compiled, graph, list(focus))
            conforms = conforms and ok
            results.extend(found)
        return conforms, results

    def sparql_shapes(
        self,
    ) -> list[tuple[CompiledShape, tuple[list[Node], list[Node], list[Node], list[Node]]]]:
        return [(c, t) for c, t in self.top if c.sparql is not None and not c.deactivated]

    def _may_report_others(self, compiled: CompiledShape) -> bool:
        holders = [compiled] if compiled.path is not None else compiled.properties
        return any(holder.path is not None and holder.properties for holder in holders)

    def _value_nodes(
        self, compiled: CompiledShape, graph: IndexedGraph, focus: Iterable[Node]
    ) -> dict[Node, Any]:
        path = compiled.path
        if path is None:
            return {f: {f} for f in focus}
        if isinstance(path, URIRef):
            return {f: graph.objects_of(f, path) for f in focus}
        return {f: value_nodes_from_path(self.sg, f, path, graph) for f in focus}

    def _validate(
        self, compiled: CompiledShape, graph: IndexedGraph, focus: list[Node]
    ) -> tuple[bool, list[Result]]:
        """pySHACL's ``Shape.validate`` for a shape that is not deactivated (results built)."""
        values = self._value_nodes(compiled, graph, focus)
        ok = True
        results: list[Result] = []
        for component, check in zip(compiled.components, compiled.checks, strict=True):
            if check is None:
                todo = values
            else:
                bad = check(graph, values)
                if not bad:
                    continue
                todo = {f: values[f] for f in bad}
            if todo:
                conforms, found = component.evaluate(_EXECUTOR, graph, todo, [])
                ok = ok and conforms
                results.extend(found)
        if compiled.properties and any(values.values()):
            # pySHACL validates the property shape once per value node; a node shape's value
            # nodes are its focus nodes, each once, so they can go in one call
            groups = (
                [list(values)] if compiled.path is None else [[v] for nodes in values.values() for v in nodes]
            )
            for prop in compiled.properties:
                if prop.deactivated:
                    continue
                for group in groups:
                    conforms, found = self._validate(prop, graph, group)
                    ok = ok and conforms
                    results.extend(found)
        for component, kind, members in compiled.logical:
            for f, nodes in values.items():
                for v in nodes:
                    if not self._holds(kind, members, graph, v):
                        ok = False
                        results.append(component.make_v_result(graph, f, value_node=v))
        for component, members, siblings in compiled.qualified:
            conforms, found = self._qualified(component, members, siblings, graph, values)
            ok = ok and conforms
            results.extend(found)
        return ok, results

    def _holds(self, kind: str, members: list[CompiledShape], graph: IndexedGraph, value: Node) -> bool:
        """Whether ``value`` passes an sh:or, sh:and, sh:xone or sh:not of ``members``."""
        if kind == "or" and all(m.simple is not None for m in members):
            # value checks never raise: stop at the first member the value conforms to
            return any(m.deactivated or all(check(graph, value) for check in m.simple) for m in members)  # type: ignore[union-attr]
        return _logical_holds(kind, [self._conforms(m, graph, value) for m in members])

    def _conforms(self, compiled: CompiledShape, graph: IndexedGraph, focus: Node) -> bool:
        """Whether ``focus`` conforms to a nested shape (pySHACL's ``Shape.validate`` verdict)."""
        if compiled.deactivated:
            return True
        if compiled.simple is not None:
            return all(check(graph, focus) for check in compiled.simple)
        values = self._value_nodes(compiled, graph, [focus])
        ok = True
        for component, check in zip(compiled.quiet, compiled.checks, strict=True):
            if check is not None:
                ok = not check(graph, values) and ok  # the check is pySHACL's rule, both ways
                continue
            conforms, _ = component.evaluate(_EXECUTOR, graph, values, [])
            ok = ok and conforms
        if compiled.properties and any(values.values()):
            for prop in compiled.properties:
                for v in values[focus]:
                    ok = self._conforms(prop, graph, v) and ok
        for _, kind, members in compiled.logical:
            for v in values[focus]:
                ok = self._holds(kind, members, graph, v) and ok
        for component, members, siblings in compiled.qualified:
            quiet = _QuietQualified(component)
            conforms, _ = self._qualified(quiet, members, siblings, graph, values)
            ok = ok and conforms
        return ok

    def _qualified(
        self,
        component: Any,
        members: list[CompiledShape],
        siblings: list[CompiledShape],
        graph: IndexedGraph,
        values: dict[Node, Any],
    ) -> tuple[bool, list[Result]]:
        """pySHACL's ``QualifiedValueShapeConstraintComponent.evaluate``."""
        count = sum(len(nodes) for nodes in values.values())
        if (
            not component.is_disjoint
            and count < 1
            and (component.min_count is None or component.min_count < 1)
        ):
            return True, []
        ok = True
        results: list[Result] = []
        for member in members:
            for f, nodes in values.items():
                conforming = 0
                for v in nodes:
                    if self._conforms(member, graph, v):
                        in_sibling = False
                        for sibling in siblings:
                            in_sibling = self._conforms(sibling, graph, v) or in_sibling
                        if not in_sibling:
                            conforming += 1
                if component.max_count is not None and conforming > component.max_count:
                    ok = False
                    results.append(
                        component.make_v_result(graph, f, constraint_component=SH_QualifiedMaxCount)
                    )
                if component.min_count is not None and conforming < component.min_count:
                    ok = False
                    results.append(
                        component.make_v_result(graph, f, constraint_component=SH_QualifiedMinCount)
                    )
        return ok, results


class _QuietQualified:
    """A qualified value shape component's counts, building no result."""

    def __init__(self, component: QualifiedValueShapeConstraintComponent) -> None:
        self.is_disjoint = component.is_disjoint
        self.min_count = component.min_count
        self.max_count = component.max_count

    def make_v_result(self, *args: Any, **kwargs: Any) -> Result:
        return _no_result(self)


def _logical_holds(kind: str, conforms: list[bool]) -> bool:
    if kind == "or":
        return any(conforms)
    if kind == "and":
        return all(conforms)
    if kind == "xone":
        return sum(conforms) == 1
    return not conforms[0]  # sh:not: a value that conforms to the shape is a result


Targets = tuple[Sequence[Node], Sequence[Node], Sequence[Node], Sequence[Node]]


def _focus_nodes(graph: IndexedGraph, targets: Targets) -> set[Node]:
    """pySHACL's ``Shape.focus_nodes``: target nodes (present or not), instances of the target
    classes and their subclasses, subjects and objects of the target predicates."""
    nodes, classes, subjects_of, objects_of = targets
    found: set[Node] = set(nodes)
    if classes:
        instances = [layer.by_object(_RDF_TYPE) for layer in graph.layers]
        for cls in classes:
            for subclass in graph._closure(cls, _SUBCLASS_OF, forward=False):  # with its subclasses
                for by_class in instances:
                    members = by_class.get(subclass)
                    if members:
                        found |= members
    for predicate in subjects_of:
        for layer in graph.layers:
            for subjects in layer.by_object(predicate).values():
                found |= subjects
    for predicate in objects_of:
        for layer in graph.layers:
            found.update(layer.by_object(predicate))
    return found


def literal_terms(graph: IndexedGraph) -> set[Literal]:
    """Every literal of ``graph`` (to check that terms come back from Oxigraph unchanged)."""
    return {o for layer in graph.layers for o in layer.literals()}
