"""The validation report: every SHACL result with the focus node's label and evidence, and its
renderings (text to read, JSON, the W3C report graph in Turtle)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib.collection import Collection as RdfList
from rdflib.term import BNode, Literal, Node

from cckg import escape, formats
from cckg.namespaces import CCKG, DCTERMS, OA, RDF, RDFS, SCHEMA, SH, SKOS, compact

SEVERITIES = ("Violation", "Warning", "Info")
LABELS = (SKOS.prefLabel, SCHEMA.name, RDFS.label, DCTERMS.title, OA.exact)


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


class LazyReport(ValidationReport):
    """A :class:`ValidationReport` whose W3C report graph is built when it is first read (a
    release without results is stored without anyone looking at its report)."""

    def __init__(
        self, conforms: bool, results: list[ValidationResult], build: Callable[[], rdflib.Graph]
    ) -> None:
        self.conforms = conforms
        self.results = results
        self._build: Callable[[], rdflib.Graph] | None = build
        self._graph: rdflib.Graph | None = None

    @property  # type: ignore[override]
    def graph(self) -> rdflib.Graph:
        if self._graph is None:
            assert self._build is not None
            self._graph, self._build = self._build(), None
        return self._graph

    @graph.setter
    def graph(self, value: rdflib.Graph) -> None:
        self._graph, self._build = value, None


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
    results.sort(
        key=lambda r: (str(r.focus), order.get(r.severity, 9), r.path or "", r.message, *_tie_break(r))
    )
    verdict = report_graph.value(None, SH.conforms)
    conforms = bool(verdict.toPython()) if isinstance(verdict, Literal) else not results
    return ValidationReport(conforms, results, report_graph)


def _tie_break(result: ValidationResult) -> tuple[str, ...]:
    """What orders results that agree on focus, severity, path and message (blank source shapes
    by their name: their labels differ between parses)."""
    return (
        _term_key(result.value) if result.value is not None else ("", "", ""),
        result.shape or "",
        str(result.component or ""),
    )


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
    """The node's first label by :data:`LABELS` order (of several values, the least, so that the
    label does not depend on how the graph stores them)."""
    for predicate in LABELS:
        value = _least(graph, node, predicate)
        if value is not None:
            return str(value)
    return None


def _least(graph: rdflib.Graph, node: Node, predicate: Node) -> Node | None:
    return min(graph.objects(node, predicate), key=_term_key, default=None)


def _term_key(term: Node) -> tuple[str, str, str]:
    return (str(term), str(getattr(term, "language", None) or ""), str(getattr(term, "datatype", None) or ""))


def evidence(graph: rdflib.Graph, node: Node) -> list[Evidence]:
    """The quotes (and their releases) that ``node``'s ``cckg:evidence`` points to, in text order."""
    found = []
    for target in set(graph.objects(node, CCKG.evidence)):
        quote = start = end = None
        for selector in sorted(graph.objects(target, OA.hasSelector), key=_term_key):
            quote = _least(graph, selector, OA.exact) or quote
            start = _least(graph, selector, OA.start) or start
            end = _least(graph, selector, OA.end) or end
        release = _least(graph, target, OA.hasSource)
        source = _least(graph, release, DCTERMS.source) if release is not None else None
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
    identifier = _least(graph, release, DCTERMS.identifier)
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
    return escape.terminal("\n".join(lines) + "\n")


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
    """The report in one of :data:`cckg.formats.REPORT`."""
    fmt = formats.canonical(fmt)
    if fmt not in formats.REPORT:
        raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(formats.REPORT)})")
    if fmt == "json":
        return render_json(report, allow_warnings)
    if fmt == "turtle":
        return render_turtle(report)
    return render_text(report, allow_warnings)
