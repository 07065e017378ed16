"""One description of the data model: the typed facts of ``cckg.model``.

The release JSON is generated from them (``ReleaseFacts.to_json`` is ``dataclasses.asdict``); the
others are checked against them here, so that a field added in one place and forgotten in another
fails a test:

- docs/release-json.md documents exactly the fields of each fact type;
- the mapping (``cckg.ingest.map``) reads every field of each fact type;
- the shapes (shapes/cckg-shapes.ttl) constrain every property the mapping writes on a node of
  each class.
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from cckg import model
from cckg.ingest.extract import extract
from cckg.ingest.read import read_release
from cckg.pipeline import map_facts

REPO = Path(__file__).resolve().parents[1]
MAP = REPO / "src" / "cckg" / "ingest" / "map.py"

#: The docs section of each fact type, and its mapping function in cckg.ingest.map.
FACT_TYPES = {
    model.Agency: ("agency", "_map_agencies"),
    model.Official: ("official", "_map_officials"),
    model.Event: ("event", "_map_events"),
    model.Agreement: ("agreement", "_map_agreements"),
    model.Operation: ("operation", "_map_operations"),
    model.Seizure: ("seizure", "_map_seizures"),
    model.Cooperation: (None, "_map_cooperation"),
}
#: Fields every fact has, documented once in "evidence and confidence" and mapped by _map_evidence.
COMMON = {"evidence", "confidence"}
#: Fields the mapping leaves out on purpose, each with its reason.
NOT_MAPPED = {
    (model.Agency, "evidence"): "agencies are shared entities; their mentions are name resolutions",
}


def _documented_fields(section: str) -> set[str]:
    text = (REPO / "docs" / "release-json.md").read_text(encoding="utf-8")
    match = re.search(rf"^### {re.escape(section)}\n(.*?)(?=^### |^## )", text, re.S | re.M)
    assert match, f"docs/release-json.md has no section '### {section}'"
    names: set[str] = set()
    for row in match.group(1).splitlines():
        if row.startswith("| `"):
            names |= set(re.findall(r"`([a-z_]+)`", row.split("|")[1]))
    return names


@pytest.mark.parametrize("fact_type", [t for t, (section, _) in FACT_TYPES.items() if section])
def test_the_docs_describe_exactly_the_fields_of_each_fact_type(fact_type: type) -> None:
    section, _ = FACT_TYPES[fact_type]
    expected = {f.name for f in fields(fact_type)} - COMMON
    assert _documented_fields(section) == expected


def test_the_docs_describe_exactly_the_fields_of_the_release() -> None:
    expected = {f.name for f in fields(model.ReleaseFacts)} | {"cooperation_evidence"}
    assert _documented_fields("The release") == expected
    facts = model.ReleaseFacts(id="x", source="x.txt")
    assert set(facts.to_json()) == expected


def test_the_docs_describe_evidence_and_confidence_once() -> None:
    assert _documented_fields("evidence and confidence (*cckg*)") >= COMMON


def _fields_read(function: str) -> set[str]:
    """The attributes the mapping function reads on the items it loops over."""
    tree = ast.parse(MAP.read_text(encoding="utf-8"))
    [node] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function]
    loop_names = {
        n.target.id for n in ast.walk(node) if isinstance(n, ast.For) and isinstance(n.target, ast.Name)
    }
    read = {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in loop_names
    }
    if any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "_map_evidence" for n in ast.walk(node)):
        read |= COMMON
    return read


@pytest.mark.parametrize("fact_type", list(FACT_TYPES))
def test_the_mapping_reads_every_field_of_each_fact_type(fact_type: type) -> None:
    _, function = FACT_TYPES[fact_type]
    expected = {f.name for f in fields(fact_type)} - {name for t, name in NOT_MAPPED if t is fact_type}
    assert expected - _fields_read(function) == set()


def test_the_field_check_sees_a_field_the_mapping_ignores() -> None:
    read = _fields_read("_map_operations")
    assert "led_by" in read and "no_such_field" not in read


def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "shapes" / "cckg-shapes.ttl")


def _constrained_paths(shapes: rdflib.Graph) -> dict[rdflib.URIRef, set[rdflib.URIRef]]:
    """For each target class, the property paths its node shapes constrain; a shape that targets
    the subjects of a property (``sh:targetSubjectsOf``) constrains that property on every class."""
    paths: dict[rdflib.URIRef, set[rdflib.URIRef]] = {}
    everywhere: set[rdflib.URIRef] = set()

    def constrained(shape: rdflib.term.Node) -> set[rdflib.URIRef]:
        return {
            path
            for prop in shapes.objects(shape, SH.property)
            for path in shapes.objects(prop, SH.path)
            if isinstance(path, rdflib.URIRef)
        }

    for shape, cls in shapes.subject_objects(SH.targetClass):
        paths.setdefault(cls, set()).update(constrained(shape))  # type: ignore[arg-type]
    for shape, predicate in shapes.subject_objects(SH.targetSubjectsOf):
        everywhere |= constrained(shape) & {predicate}  # type: ignore[operator]
    for cls in paths:
        paths[cls] |= everywhere
    return paths


def _mapped_seeds() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((REPO / "data" / "releases").glob("*.txt")):
        graph += map_facts(extract(read_release(path)))
    return graph


def test_the_shapes_constrain_every_property_the_mapping_writes() -> None:
    mapped, paths = _mapped_seeds(), _constrained_paths(_shapes())
    missing = set()
    for cls in set(mapped.objects(None, RDF.type)):
        for node in mapped.subjects(RDF.type, cls):
            for predicate in set(mapped.predicates(node, None)) - {RDF.type, RDFS.label}:
                if predicate not in paths.get(cls, set()):
                    name = mapped.namespace_manager.normalizeUri
                    missing.add((name(cls), name(predicate)))
    assert missing == set()


def test_every_class_the_mapping_writes_has_a_shape() -> None:
    mapped, paths = _mapped_seeds(), _constrained_paths(_shapes())
    classes = set(mapped.objects(None, RDF.type))
    assert len(classes) >= 10, "the seeds map to too few classes for the check to mean anything"
    assert {mapped.namespace_manager.normalizeUri(c) for c in classes if c not in paths} == set()
