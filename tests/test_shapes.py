"""The SHACL shapes (shapes/*.ttl) against the example graphs in tests/shapes/.

Every file of tests/shapes/valid/ must conform.  Every file of tests/shapes/invalid/ is validated
merged with tests/shapes/base.ttl (a small conforming graph with a release, its run, agencies and
evidence to point at) and must produce exactly the results its header lists, one line each:

    # expect: <focus> | <path or -> | <constraint component> | <severity> [| <source constraint>]

Terms are <IRI> (a relative IRI resolves against the file's @base, https://w3id.org/cckg/id/),
prefixed names (the file's prefixes, plus sh: and cckgsh:), "-" for none and "[]" for a blank node.
The fifth field is the sh:sourceConstraint of a SPARQL-based constraint (the shapes name each of
them); it is "-", or left out, for the core constraints, which have none.

Validation runs pyshacl as cckg does (cckg.validation.run_pyshacl): the ontology files mixed into
the data (so their rdfs:subClassOf triples reach it), inference "none", advanced features on, each
SPARQL query parsed once.  The valid files must also conform under RDFS inference, which shows that
the ontology's domains and ranges cannot create spurious results.  When pyshacl-turbo is installed,
it must give exactly the results of pySHACL on every case (cckg validates the whole store with it).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from cckg.namespaces import ontology
from cckg.validation import run_pyshacl, run_turbo, turbo_available

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "shapes"
BASE_FILE = CASES / "base.ttl"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))

CCKG = Namespace("https://w3id.org/cckg/ns#")
CCKGSH = Namespace("https://w3id.org/cckg/shapes#")
ID_BASE = "https://w3id.org/cckg/id/"
INFERENCE = "none"
BLANK = "[]"  # stands for any blank node in expectations and results

EXPECT = re.compile(r"^#\s*expect:\s*(?P<fields>.+?)\s*$")
PREFIX = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]*)>\s*\.", flags=re.MULTILINE)


class Result(NamedTuple):
    """A validation result, reduced to what the expectations state."""

    focus: Node | str
    path: Node | None
    component: Node
    severity: Node
    source_constraint: Node | None


class FullResult(NamedTuple):
    result: Result
    source_shape: Node
    message: Literal | None


def load_turtle(*paths: Path) -> Graph:
    """Parse Turtle files into one graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def ontology_graph() -> Graph:
    """All ontology/*.ttl files in one graph (the ontology graph of validation)."""
    return ontology()


@cache
def shapes_graph() -> Graph:
    """All shapes/*.ttl files in one graph."""
    return load_turtle(*sorted((REPO / "shapes").glob("*.ttl")))


def run_validation(
    data: Graph, inference: str = INFERENCE, engine: str = "pyshacl"
) -> tuple[bool, list[FullResult]]:
    """Validate a data graph as cckg does; return whether it conforms and its results."""
    if engine == "pyshacl-turbo":
        conforms, report = run_turbo(data, shapes_graph(), ontology_graph())
    else:
        conforms, report = run_pyshacl(data, shapes_graph(), ontology_graph(), inference)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        results.append(
            FullResult(
                Result(
                    BLANK if isinstance(focus, BNode) else focus,
                    report.value(node, SH.resultPath),
                    report.value(node, SH.sourceConstraintComponent),
                    report.value(node, SH.resultSeverity),
                    report.value(node, SH.sourceConstraint),
                ),
                report.value(node, SH.sourceShape),
                min(report.objects(node, SH.resultMessage), default=None),  # one, the same for any engine
            )
        )
    return bool(conforms), results


@cache
def invalid_case(path: Path) -> tuple[bool, tuple[FullResult, ...]]:
    """Validate an invalid case merged with the base graph (cached: several tests use it)."""
    conforms, results = run_validation(load_turtle(BASE_FILE, path))
    return conforms, tuple(results)


def resolve_term(text: str, base: str, prefixes: dict[str, str]) -> Node | str | None:
    """Read one term of an expectation line."""
    text = text.strip()
    if text == "-":
        return None
    if text == BLANK:
        return BLANK
    if text.startswith("<") and text.endswith(">"):
        return URIRef(urljoin(base, text[1:-1]))
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes:
        return URIRef(prefixes[prefix] + local)
    raise ValueError(f"cannot read term {text!r}")


def expected_results(path: Path) -> set[Result]:
    """The results an invalid case declares in its header."""
    text = path.read_text(encoding="utf-8")
    base_match = re.search(r"^@base\s+<([^>]*)>", text, flags=re.MULTILINE)
    base = base_match.group(1) if base_match else ID_BASE
    prefixes = {"sh": str(SH), "cckgsh": str(CCKGSH)}
    prefixes.update(PREFIX.findall(text))
    expected = set()
    for line in text.splitlines():
        match = EXPECT.match(line)
        if not match:
            continue
        fields = [field.strip() for field in match.group("fields").split("|")]
        if len(fields) == 4:
            fields.append("-")
        if len(fields) != 5:
            raise ValueError(f"{path.name}: an expectation needs 4 or 5 fields: {line!r}")
        focus, result_path, component, severity, source = (resolve_term(f, base, prefixes) for f in fields)
        expected.add(Result(focus, result_path, component, severity, source))
    return expected


def show(results: set[Result]) -> str:
    return "\n".join(sorted(" | ".join("-" if term is None else str(term) for term in r) for r in results))


# ------------------------------------------------------------------------------------------------
# Valid and invalid cases


def test_there_are_cases() -> None:
    assert VALID, "no valid cases"
    assert INVALID, "no invalid cases"


def test_base_graph_conforms() -> None:
    conforms, results = run_validation(load_turtle(BASE_FILE))
    assert conforms, show({r.result for r in results})


@pytest.mark.parametrize("inference", [INFERENCE, "rdfs"])
@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_case_conforms(path: Path, inference: str) -> None:
    conforms, results = run_validation(load_turtle(path), inference=inference)
    assert conforms, f"{path.name} does not conform:\n{show({r.result for r in results})}"


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_gives_exactly_the_expected_results(path: Path) -> None:
    expected = expected_results(path)
    assert expected, f"{path.name} declares no '# expect:' lines"
    conforms, results = invalid_case(path)
    actual = {r.result for r in results}
    assert not conforms
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"{path.name}\nmissing:\n{show(missing)}\nunexpected:\n{show(unexpected)}"
    )


turbo = pytest.mark.skipif(not turbo_available(), reason="pyshacl-turbo is not installed")


@turbo
@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_turbo_accepts_the_valid_cases(path: Path) -> None:
    conforms, results = run_validation(load_turtle(path), engine="pyshacl-turbo")
    assert conforms, f"{path.name} does not conform:\n{show({r.result for r in results})}"


@turbo
@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_turbo_gives_exactly_the_results_of_pyshacl(path: Path) -> None:
    """Same focus, path, component, severity, source constraint, source shape and message."""
    conforms, results = run_validation(load_turtle(BASE_FILE, path), engine="pyshacl-turbo")
    expected_conforms, expected = invalid_case(path)
    assert conforms == expected_conforms
    assert sorted(map(comparable, results)) == sorted(map(comparable, expected))


def comparable(full: FullResult) -> tuple[str, ...]:
    """A result as strings; a blank source shape (a property shape) is named by its path."""
    shape = full.source_shape
    if isinstance(shape, BNode):
        shape = shapes_graph().value(shape, SH.path)
    return tuple(str(x) for x in (*full.result, shape, full.message))


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_every_result_has_a_message(path: Path) -> None:
    _, results = invalid_case(path)
    for full in results:
        assert full.message is not None and str(full.message).strip(), full.result


def owning_node_shape(shape: Node) -> Node:
    """The node shape a result's source shape belongs to (itself, or the owner of a property shape)."""
    owner = shapes_graph().value(None, SH.property, shape)
    return shape if owner is None else owner


def test_every_shape_and_sparql_rule_has_an_invalid_case() -> None:
    shapes = shapes_graph()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    sparql_rules = set(shapes.objects(None, SH.sparql))
    covered_shapes: set[Node] = set()
    covered_rules: set[Node] = set()
    for path in INVALID:
        for full in invalid_case(path)[1]:
            covered_shapes.add(owning_node_shape(full.source_shape))
            if full.result.source_constraint is not None:
                covered_rules.add(full.result.source_constraint)
    uncovered_shapes, uncovered_rules = node_shapes - covered_shapes, sparql_rules - covered_rules
    assert not uncovered_shapes, f"shapes without an invalid case: {uncovered_shapes}"
    assert not uncovered_rules, f"SPARQL rules without an invalid case: {uncovered_rules}"


# ------------------------------------------------------------------------------------------------
# The shapes themselves


def nested_shapes(shapes: Graph) -> set[Node]:
    """Shapes used as operands of sh:or / sh:and / sh:xone / sh:not / sh:qualifiedValueShape / sh:node."""
    nested: set[Node] = set()
    for operator in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(None, operator):
            nested.update(Collection(shapes, head))
    for predicate in (SH["not"], SH.qualifiedValueShape, SH.node):
        nested.update(shapes.objects(None, predicate))
    return nested


NODE_LEVEL_CONSTRAINTS = (SH.nodeKind, SH["class"], SH.pattern, SH.datatype, SH["in"], SH.hasValue)


def test_every_constraint_has_a_message() -> None:
    shapes = shapes_graph()
    nested = nested_shapes(shapes)
    for shape in set(shapes.subjects(SH.path, None)) - nested:
        assert shapes.value(shape, SH.message) is not None, f"property shape without sh:message: {shape}"
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if any(shapes.value(shape, p) is not None for p in NODE_LEVEL_CONSTRAINTS):
            assert shapes.value(shape, SH.message) is not None, f"node shape without sh:message: {shape}"
    for rule in set(shapes.objects(None, SH.sparql)):
        assert shapes.value(rule, SH.message) is not None, f"SPARQL constraint without sh:message: {rule}"
        assert isinstance(rule, URIRef), "SPARQL constraints are named, so results can tell them apart"


def test_severities_are_explicit_where_not_violation() -> None:
    """A property shape of a warning or info node shape states its severity itself."""
    shapes = shapes_graph()
    for node_shape, severity in shapes.subject_objects(SH.severity):
        for prop in shapes.objects(node_shape, SH.property):
            assert shapes.value(prop, SH.severity) == severity, f"{node_shape}: {prop} lacks {severity}"


def in_list(shapes: Graph, path: URIRef) -> set[Node]:
    """The sh:in values of the (top-level) property shapes on a path; they must all agree."""
    lists = [
        frozenset(Collection(shapes, shapes.value(shape, SH["in"])))
        for shape in shapes.subjects(SH.path, path)
        if shapes.value(shape, SH["in"]) is not None
    ]
    assert lists, f"no sh:in on {path}"
    assert len(set(lists)) == 1, f"different sh:in lists on {path}"
    return set(lists[0])


def scheme_concepts(scheme: URIRef) -> set[Node]:
    return set(ontology_graph().subjects(SKOS.inScheme, scheme))


@pytest.mark.parametrize(
    ("path", "scheme"),
    [
        (URIRef("http://purl.org/dc/terms/subject"), CCKG.CrimeTypeScheme),
        (CCKG.agreementKind, CCKG.AgreementKindScheme),
        (CCKG.agencyKind, CCKG.AgencyKindScheme),
        (CCKG.status, CCKG.EventStatusScheme),
    ],
)
def test_in_lists_match_the_concept_schemes(path: URIRef, scheme: URIRef) -> None:
    assert in_list(shapes_graph(), path) == scheme_concepts(scheme)


def test_unit_list_matches_the_unit_scheme() -> None:
    query = str(shapes_graph().value(CCKGSH.SeizureUnitKnown, SH.select))
    listed = re.search(r"IN\s*\(([^)]*)\)", query)
    assert listed, "no IN (...) list in cckgsh:SeizureUnitKnown"
    units = set(re.findall(r'"([^"]+)"', listed.group(1)))
    notations = {
        str(ontology_graph().value(concept, SKOS.notation)) for concept in scheme_concepts(CCKG.UnitScheme)
    }
    assert units == notations
