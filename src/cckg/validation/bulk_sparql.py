"""SHACL-SPARQL constraints evaluated once over a whole Oxigraph dataset, for the whole store.

SHACL runs a SPARQL-based constraint once per focus node, with ``$this`` pre-bound.  Over a large
store that is one query per event, seizure, agency ... and pyshacl-turbo's SPARQL engine reads far
more of the data per focus node than the focus node's own triples, so its time grows with the
square of the store.  Here each constraint runs once, in Oxigraph: ``$this`` becomes a variable
bound by the shape's targets (a sub-SELECT joined with the constraint's own pattern), and each
solution becomes the result pySHACL would report for that focus node: same focus node, path,
value, severity, source shape, source constraint and messages (``{?var}`` filled in).

Only what this project's shapes use is supported: constraints on node shapes, a single SELECT
whose only pre-bound variable is ``$this``, targets by class (with subclasses), node, subjects of
and objects of.  :func:`plan` returns None for anything else, and the caller falls back to a
per-focus-node engine.  tests/validation/test_validate.py checks the results against pySHACL's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import BNode, Literal, Node, URIRef, Variable

from cckg.sparql import sparql_term
from cckg.store import (
    from_ox,
)

_PREBOUND = re.compile(r"\$(?!this\b)\w+")
_THIS = re.compile(r"\$this\b")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SUBQUERY_OR_GROUP = re.compile(
    r"\bSELECT\b.*\bSELECT\b|\bGROUP\s+BY\b|\bVALUES\b|\bGRAPH\b|\bSERVICE\b|\bFROM\b|\bHAVING\b"
    r"|\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(",
    re.IGNORECASE | re.DOTALL,
)
_HEAD = re.compile(r"^\s*SELECT\s+((?:DISTINCT|REDUCED)\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Constraint:
    """A SPARQL constraint of a node shape, as one query over the whole dataset."""

    shape: Node
    node: Node  # the sh:SPARQLConstraint
    severity: URIRef
    query: str
    messages: tuple[Literal, ...]  # the constraint's sh:message values
    shape_messages: tuple[Literal, ...]  # the shape's sh:message values (pySHACL reports both)
    prefixes: str = ""  # the PREFIX lines of the query
    projection: tuple[str, str] = ("", "")  # (DISTINCT or REDUCED or "", what the SELECT projects)
    group: str = ""  # the WHERE group, without its braces: the targets, then the constraint's own
    own: str = ""  # the constraint's own part of the group

    @property
    def own_query(self) -> str:
        """A query of the constraint's own pattern (what it reads, the targets left out)."""
        return f"{self.prefixes}SELECT * WHERE {{ {self.own} }}"

    @property
    def projects_this(self) -> bool:
        """Whether the constraint's own query has ``$this`` in its results (as pySHACL sees them)."""
        projection = self.projection[1]
        return projection.strip() == "*" or re.search(r"\?this\b", projection) is not None

    def graph_query(self, variable: str) -> str:
        """The query run in each named graph on its own: ``variable`` binds the graph, and
        ``?this`` is always in the results, to tell the focus node."""
        modifier, projection = self.projection
        if projection.strip() != "*":
            this = "" if self.projects_this else "?this "
            projection = f"?{variable} {this}{projection}"
        where = f"WHERE {{ GRAPH ?{variable} {{ {self.group} }} }}"
        return f"{self.prefixes}SELECT {modifier}{projection} {where}"


#: The classes whose instances a class target reaches (the class and its subclasses).
Subclasses = Callable[[Node], Iterable[Node]]


def plan(
    shapes: rdflib.Graph, subclasses: Subclasses | None = None
) -> tuple[rdflib.Graph, list[Constraint]] | None:
    """The shapes without their SPARQL constraints, and those constraints as whole-dataset queries;
    None when a constraint is beyond what this module supports.

    With ``subclasses``, a class target is written as the instances of the classes it gives
    (``?this rdf:type ?class`` for each), not as the path ``rdf:type/rdfs:subClassOf*``: right
    when the data holds no ``rdfs:subClassOf`` triple, and the queries then read no ontology.
    """
    constraints = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        if _deactivated(shapes, shape) or _deactivated(shapes, node):
            continue
        constraint = _constraint(shapes, shape, node, subclasses)
        if constraint is None:
            return None
        constraints.append(constraint)
    core = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    core += ((s, p, o) for s, p, o in shapes if p != SH.sparql)
    return core, constraints


def _deactivated(shapes: rdflib.Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _constraint(
    shapes: rdflib.Graph, shape: Node, node: Node, subclasses: Subclasses | None
) -> Constraint | None:
    select = shapes.value(node, SH.select)
    if (shape, SH.path, None) in shapes or select is None or (node, SH.ask, None) in shapes:
        return None
    text = str(select)
    if _PREBOUND.search(text) or _SUBQUERY_OR_GROUP.search(text) or not _THIS.search(text):
        return None
    targets = _targets(shapes, shape, subclasses)
    where = _WHERE.search(text)
    if targets is None or where is None or "?this" in text:
        return None
    body = _THIS.sub("?this", text)
    head, end = _HEAD.match(body[: where.start()]), body.rstrip().rfind("}")
    if head is None or end < where.end() or _strip_comments(body[end + 1 :]).strip():
        return None  # no plain SELECT ... WHERE { ... }, or solution modifiers after the group
    own = body[where.end() : end]
    group = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} {own}"
    prefixes = _prefixes(shapes, node)
    return Constraint(
        shape=shape,
        node=node,
        severity=shapes.value(shape, SH.severity) or SH.Violation,  # type: ignore[arg-type]
        query=f"{prefixes}{body[: where.end()]} {group} }}",
        messages=tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)),
        shape_messages=tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)),
        prefixes=prefixes,
        projection=(head.group(1) or "", body[head.end() : where.start()]),
        group=group,
        own=own,
    )


def _strip_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def predicates(query: str) -> frozenset[URIRef] | None:
    """The predicates ``query`` can match: the IRIs in predicate position of its triple patterns
    and property paths, EXISTS patterns included; None when a pattern has a variable predicate or
    a negated property set (then any triple may match)."""
    found: set[URIRef] = set()

    def path_predicates(path: object) -> bool:
        if isinstance(path, URIRef):
            found.add(path)
            return True
        if isinstance(path, SequencePath | AlternativePath):
            return all(path_predicates(p) for p in path.args)
        if isinstance(path, InvPath | MulPath):
            return path_predicates(path.path)
        return not isinstance(path, NegatedPath | Variable | Path)

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    for triple in value:
                        if not path_predicates(triple[1]):
                            return False
                elif not walk(value):
                    return False
        elif isinstance(node, list | tuple):
            return all(walk(item) for item in node)
        return True

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # rdflib cannot read it: take no chances
        return None
    return frozenset(found) if walk(algebra) else None


def _targets(shapes: rdflib.Graph, shape: Node, subclasses: Subclasses | None = None) -> str | None:
    """A pattern binding ?this to the shape's focus nodes, or None when it has none we support."""
    kinds = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
    if any(p.startswith(str(SH) + "target") and p not in kinds for p in shapes.predicates(shape, None)):
        return None  # SHACL-AF targets (sh:target) are not supported here
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)  # an implicit class target
    instance_of = f"{sparql_term(RDF.type)}/{sparql_term(RDFS.subClassOf)}*"
    if subclasses is None:
        branches = [f"?this {instance_of} {sparql_term(c)}" for c in classes]
    else:
        reached = sorted({sub for c in classes for sub in subclasses(c)}, key=str)
        if any(not isinstance(c, URIRef) for c in reached):
            return None
        values = " ".join(sparql_term(c) for c in reached)
        typed = f"?this {sparql_term(RDF.type)} ?cckgTargetClass"
        branches = [f"VALUES ?cckgTargetClass {{ {values} }} {typed}"] if reached else []
    branches += [f"VALUES ?this {{ {sparql_term(n)} }}" for n in shapes.objects(shape, SH.targetNode)]
    branches += [f"?this {sparql_term(p)} ?object" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    branches += [f"?subject {sparql_term(p)} ?this" for p in shapes.objects(shape, SH.targetObjectsOf)]
    if not branches:
        return None
    return " UNION ".join(f"{{ {b} }}" for b in branches)


def _prefixes(shapes: rdflib.Graph, constraint: Node) -> str:
    """The PREFIX lines of the constraint's sh:prefixes (their sh:declare blocks)."""
    lines = []
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def evaluate(dataset: ox.Store, constraints: Iterable[Constraint], report: rdflib.Graph) -> int:
    """Run each constraint over ``dataset`` (its default graph) and add a result to ``report`` for
    each solution; return the number of results added."""
    added = 0
    report_node = report.value(None, RDF.type, SH.ValidationReport, any=True) or BNode()
    for constraint in constraints:
        seen: set[tuple[tuple[str, Node], ...]] = set()
        solutions = dataset.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {n: from_ox(t) for n, t in zip(names, solution, strict=True) if t is not None}
            key = tuple(sorted(row.items()))
            if key in seen or "this" not in row:
                continue
            seen.add(key)
            report.add((report_node, SH.result, _add_result(report, constraint, row)))
            added += 1
    return added


def _add_result(report: rdflib.Graph, constraint: Constraint, row: dict[str, Node]) -> BNode:
    focus = row["this"]
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    report.add((result, SH.sourceShape, constraint.shape))
    report.add((result, SH.resultSeverity, constraint.severity))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.value, row.get("value", focus)))
    if "path" in row:
        report.add((result, SH.resultPath, row["path"]))
    report.add((result, SH.sourceConstraint, constraint.node))
    shape_messages = (m for m in constraint.shape_messages if m not in constraint.messages)
    for message in (*constraint.messages, *shape_messages):
        report.add((result, SH.resultMessage, Literal(_format(str(message), row))))
    return result


def _format(message: str, row: dict[str, Node]) -> str:
    """pySHACL's substitution of ``{?var}`` and ``{$var}`` in a SPARQL constraint's message."""
    for name, value in row.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", str(value).replace("\\", r"\\"), message)
    return message
