"""SHACL validation of the store or RDF files, and reports a person can act on."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg import resources
from cckg import validate as v
from cckg.store import OxigraphStore
from conftest import RELEASE_FIXTURES, TEST_SHAPES, VOCABULARY, fixture_graphs

ID = "https://w3id.org/cckg/id/"
EVENT_34 = rdflib.URIRef(f"{ID}event/customs-cooperation-conference-hk-ced-kr-kcs/34")
CED = rdflib.URIRef(f"{ID}agency/hk-ced")


@pytest.fixture
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(TEST_SHAPES, format="turtle")


@pytest.fixture
def report(shapes: rdflib.Graph) -> v.ValidationReport:
    return v.validate_graph(v.load_files(RELEASE_FIXTURES), shapes, rdflib.Graph())


def test_results_carry_severity_focus_path_message_and_shape(report: v.ValidationReport) -> None:
    assert not report.conforms
    summary = [(r.severity, str(r.focus), r.path, r.message) for r in report.results]
    assert summary == [
        ("Info", str(CED), "cckg:acronym", "Acronym longer than 3 characters."),
        ("Violation", str(EVENT_34), "schema:endDate", "A conference needs an end date."),
        ("Warning", str(EVENT_34), "cckg:ordinal", "Ordinal above 30."),
    ]
    acronym, end, ordinal = report.results
    assert acronym.value == rdflib.Literal("C&ED")
    assert ordinal.value == rdflib.Literal(34)
    assert end.shape == "https://example.org/test-shapes#ConferenceEnd"
    assert end.component == rdflib.SH.MinCountConstraintComponent
    assert ordinal.shape == "https://example.org/test-shapes#OrdinalShape / cckg:ordinal"
    assert report.counts() == {"Violation": 1, "Warning": 1, "Info": 1}


def test_results_carry_label_and_evidence(report: v.ValidationReport) -> None:
    end = next(r for r in report.results if r.severity == "Violation")
    assert end.focus_label == "34th Customs Cooperation Conference"
    assert end.evidence == (
        v.Evidence(
            quote="attended the 34th Customs Cooperation Conference between the Customs and Excise "
            "Department (C&ED) and the KCS today (November 1) in Seoul, Korea",
            release="000_d93ee451fa80120b",
            source="data/releases/000_d93ee451fa80120b.txt",
            start=337,
            end=481,
        ),
    )
    agency = next(r for r in report.results if r.severity == "Info")
    assert agency.focus_label == "Customs and Excise Department" and agency.evidence == ()


def test_allow_warnings(shapes: rdflib.Graph) -> None:
    data = v.load_files(RELEASE_FIXTURES)
    data.add((EVENT_34, rdflib.URIRef("http://schema.org/endDate"), rdflib.Literal("2023-11-01")))
    report = v.validate_graph(data, shapes, rdflib.Graph())
    assert [r.severity for r in report.results] == ["Info", "Warning"]
    assert not report.conforms and not report.ok()
    assert report.ok(allow_warnings=True)


def test_text_report_groups_by_node(report: v.ValidationReport) -> None:
    text = v.render_text(report)
    blocks = text.split("\n\n")
    assert blocks[0].splitlines()[0] == 'id:agency/hk-ced  "Customs and Excise Department"'
    event = blocks[1].splitlines()
    series = "id:event/customs-cooperation-conference-hk-ced-kr-kcs"
    assert event[0] == f'{series}/34  "34th Customs Cooperation Conference"'
    assert event[1].startswith('    evidence: "attended the 34th Customs Cooperation Conference')
    release = "000_d93ee451fa80120b"
    assert event[1].endswith(f"(release {release}, data/releases/{release}.txt, chars 337-481)")
    assert event[2] == "  Violation schema:endDate: A conference needs an end date."
    assert event[4] == "  Warning   cckg:ordinal: Ordinal above 30. [value: 34]"
    assert text.rstrip().endswith("does not conform: 1 violation, 1 warning, 1 info on 2 nodes")


def test_json_report(report: v.ValidationReport) -> None:
    data = json.loads(v.render_json(report, allow_warnings=True))
    assert data["conforms"] is False and data["ok"] is False
    assert data["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    violation = data["results"][1]
    assert violation["focus"] == str(EVENT_34)
    assert violation["evidence"][0]["release"] == "000_d93ee451fa80120b"
    assert violation["component"] == str(rdflib.SH.MinCountConstraintComponent)


def test_turtle_report_is_the_w3c_report_graph(report: v.ValidationReport) -> None:
    parsed = rdflib.Graph().parse(data=v.render_turtle(report), format="turtle")
    assert isomorphic(parsed, report.graph)
    assert (None, rdflib.SH.conforms, rdflib.Literal(False)) in parsed
    assert len(list(parsed.objects(None, rdflib.SH.result))) == 3


FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "owl": "xml", "xml": "xml", "jsonld": "json-ld"}


def canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` with xsd:decimal literals in one lexical form (rdflib writes 8000000 as 8000000.0)."""
    result = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.decimal:
            o = rdflib.Literal(format(Decimal(str(o)).normalize(), "f"), datatype=rdflib.XSD.decimal)
        result.add((s, p, o))
    return result


@pytest.mark.parametrize("suffix", [*sorted(FORMATS), "nq", "trig"])
def test_load_files_by_extension(tmp_path: Path, suffix: str) -> None:
    graphs = fixture_graphs()
    expected = rdflib.Graph()
    for graph in graphs.values():
        expected += graph
    path = tmp_path / f"data.{suffix}"
    if suffix in ("nq", "trig"):
        dataset = rdflib.Dataset()
        for name, graph in graphs.items():
            named = dataset.graph(name)
            for triple in graph:
                named.add(triple)
        dataset.serialize(path, format="nquads" if suffix == "nq" else "trig")
    else:
        expected.serialize(path, format=FORMATS[suffix])
    assert isomorphic(canonical(v.load_files([path])), canonical(expected))


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(RELEASE_FIXTURES[0].read_bytes())
    with pytest.raises(v.ValidationInputError, match=r"data.txt: unknown RDF format for extension '.txt'"):
        v.load_files([path])
    assert isomorphic(v.load_files([path], "turtle"), rdflib.Graph().parse(RELEASE_FIXTURES[0]))


def test_bad_rdf_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .\n")
    with pytest.raises(v.ValidationInputError) as error:
        v.load_files([path])
    message = str(error.value)
    assert message.startswith(f"{path}: not valid turtle (") and "\n" not in message
    with pytest.raises(v.ValidationInputError, match="no such file"):
        v.load_files([tmp_path / "missing.ttl"])


def test_validating_the_store_equals_validating_the_files(kg: OxigraphStore, shapes: rdflib.Graph) -> None:
    kg.replace_graph(VOCABULARY, [(CED, rdflib.SKOS.altLabel, rdflib.Literal("not data"))])
    data = v.load_store(kg, skip=[VOCABULARY])
    assert isomorphic(data, v.load_files(RELEASE_FIXTURES))
    from_store = v.validate_store(kg, VOCABULARY, shapes)
    from_files = v.validate_graph(v.load_files(RELEASE_FIXTURES), shapes)
    assert from_store.results == from_files.results


def test_unusable_shapes_are_reported() -> None:
    broken = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/x> ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } }" ] .
        """,
        format="turtle",
    )
    with pytest.raises(v.ShapesError, match="the SHACL shapes cannot be used"):
        v.validate_graph(rdflib.Graph(), broken, rdflib.Graph())


def test_the_fixtures_conform_to_the_project_shapes() -> None:
    """The hand-written fixtures follow docs/data-model.md, so the project's shapes accept them."""
    if not resources.shape_files():
        pytest.skip("no shapes/*.ttl yet")
    try:
        report = v.validate_graph(v.load_files(RELEASE_FIXTURES))
    except v.ShapesError as error:
        pytest.skip(f"project shapes unusable: {error}")
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == [], v.render_text(report)
