"""Validate the knowledge graph (the store, or RDF files) against the SHACL shapes in ``shapes/``.

pyshacl runs with the ontology (``ontology/*.ttl``) as its ontology graph and SHACL-AF enabled.
The :class:`ValidationReport` keeps every result with what a person needs to act on it: the focus
node's label and, when the node carries ``cckg:evidence``, the quote and the release it comes from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import BNode, Literal, Node, URIRef

from cckg import resources
from cckg.query import compact
from cckg.store import Store

CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
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


class ValidationInputError(Exception):
    """RDF input that cannot be read; the message is one line naming the file and the problem."""


class ShapesError(Exception):
    """SHACL shapes that pyshacl cannot use (a broken shape, a forbidden SPARQL construct)."""


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


def load_store(store: Store, skip: Sequence[URIRef] = ()) -> rdflib.Graph:
    """The union of the store's named graphs, except ``skip`` (the vocabulary graph)."""
    graph = rdflib.Graph()
    for name in store.graph_names():
        if name not in skip:
            graph += store.graph(name)
    return graph


def _parse_all(files: Iterable[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


# --- validating ------------------------------------------------------------------------------


def validate_graph(
    data: rdflib.Graph, shapes: rdflib.Graph | None = None, ontology: rdflib.Graph | None = None
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with ``ontology`` (defaults: shapes/*.ttl, ontology/*.ttl)."""
    shapes = shapes if shapes is not None else _parse_all(resources.shape_files())
    ontology = ontology if ontology is not None else _parse_all(resources.ontology_files())
    try:
        conforms, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, advanced=True, inference="none"
        )
    except ReportableRuntimeError as error:  # ShapeLoadError, ConstraintLoadError, ...
        raise ShapesError(f"the SHACL shapes cannot be used: {_one_line(error)}") from None
    if not isinstance(report_graph, rdflib.Graph):  # pyshacl's ValidationFailure
        raise ShapesError(f"the SHACL shapes cannot be used: {_one_line(report_graph)}")
    lookup = data + ontology
    results = [_result(report_graph, node, lookup, shapes) for node in report_graph.objects(None, SH.result)]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    results.sort(key=lambda r: (str(r.focus), order.get(r.severity, 9), r.path or "", r.message))
    return ValidationReport(bool(conforms), results, report_graph)


def validate_store(
    store: Store, vocabulary_graph: URIRef | None = None, shapes: rdflib.Graph | None = None
) -> ValidationReport:
    """Validate every graph in the store (the vocabulary graph is replaced by the ontology files)."""
    if vocabulary_graph is None:
        from cckg.rdfmap import VOCABULARY_GRAPH

        vocabulary_graph = VOCABULARY_GRAPH
    return validate_graph(load_store(store, skip=[vocabulary_graph]), shapes)


def validate_files(paths: Iterable[Path], input_format: str | None = None) -> ValidationReport:
    return validate_graph(load_files(paths, input_format))


def _result(report: rdflib.Graph, node: Node, data: rdflib.Graph, shapes: rdflib.Graph) -> ValidationResult:
    severity = report.value(node, SH.resultSeverity)
    source_shape = report.value(node, SH.sourceShape)
    focus = report.value(node, SH.focusNode)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    path = report.value(node, SH.resultPath)
    return ValidationResult(
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        focus=focus if focus is not None else Literal(""),
        message="; ".join(messages) or "(no message)",
        path=_path_text(report, path) if path is not None else None,
        value=report.value(node, SH.value),
        source_shape=source_shape,
        component=report.value(node, SH.sourceConstraintComponent),
        shape=_shape_name(shapes, source_shape) if source_shape is not None else None,
        focus_label=label(data, focus) if focus is not None else None,
        evidence=tuple(evidence(data, focus)) if focus is not None else (),
    )


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
        return "|".join(_path_text(graph, p) for p in Collection(graph, alternatives))
    return "/".join(_path_text(graph, p) for p in Collection(graph, path))


def label(graph: rdflib.Graph, node: Node) -> str | None:
    for predicate in LABELS:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return None


def evidence(graph: rdflib.Graph, node: Node) -> list[Evidence]:
    """The quotes (and their releases) that ``node``'s ``cckg:evidence`` points to."""
    found = []
    for target in sorted(graph.objects(node, CCKG.evidence)):
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
    return found


def _release_id(graph: rdflib.Graph, release: Node | None) -> str | None:
    if release is None:
        return None
    identifier = graph.value(release, DCTERMS.identifier)
    return str(identifier) if identifier is not None else compact(release)


# --- rendering ------------------------------------------------------------------------------


def summary(report: ValidationReport, allow_warnings: bool = False) -> str:
    counts = report.counts()
    parts = [f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    nodes = len({r.focus for r in report.results})
    verdict = "conforms" if report.ok(allow_warnings) else "does not conform"
    if not report.results:
        return "conforms: no SHACL results"
    return f"{verdict}: {', '.join(parts)} on {nodes} node{'s' if nodes != 1 else ''}"


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
