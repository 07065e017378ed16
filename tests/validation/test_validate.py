"""SHACL validation of the store or RDF files, and reports a person can act on."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg import namespaces, resources
from cckg import validation as v
from cckg.store import OxigraphStore
from conftest import RELEASE_2004, RELEASE_FIXTURES, TEST_SHAPES, VOCABULARY, fixture_graphs, run_cli

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


# --- severities ---------------------------------------------------------------------------------


def test_info_results_are_notes(shapes: rdflib.Graph) -> None:
    """Only Violations and Warnings fail; a report with Info results only is ok, though SHACL's own
    verdict (conforms) is false."""
    data = v.load_files(RELEASE_FIXTURES)
    data.add((EVENT_34, rdflib.URIRef("http://schema.org/endDate"), rdflib.Literal("2023-11-01")))
    data.set((EVENT_34, rdflib.URIRef("https://w3id.org/cckg/ns#ordinal"), rdflib.Literal(3)))
    report = v.validate_graph(data, shapes, rdflib.Graph())
    assert [r.severity for r in report.results] == ["Info"]
    assert not report.conforms and report.ok() and report.ok(allow_warnings=True)
    assert v.summary(report) == "conforms: 1 info on 1 node"


# --- engines ------------------------------------------------------------------------------------


def test_sparql_queries_are_parsed_once(shapes: rdflib.Graph) -> None:
    """pySHACL asks the same SPARQL text once per focus node; the prepared graph parses it once,
    and the results are those of pySHACL on a plain graph."""
    import pyshacl

    data = v.load_files(RELEASE_FIXTURES)
    ontology = namespaces.ontology()
    v._prepared_query.cache_clear()
    conforms, report = v.run_pyshacl(data, v.default_shapes(), ontology)
    info = v._prepared_query.cache_info()
    assert info.hits > 2 * info.misses > 0
    plain_conforms, plain, _ = pyshacl.validate(
        data, shacl_graph=v.default_shapes(), ont_graph=ontology, advanced=True
    )
    assert (conforms, len(report)) == (plain_conforms, len(plain))
    ours = v.validate_graph(data, shapes)
    _, reference, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, advanced=True)
    assert isomorphic(ours.graph, reference)


def test_prepared_queries_see_the_graph_prefixes() -> None:
    """rdflib lets a query use the prefixes bound in the graph; a prepared one still does."""
    graph = v.PreparedQueryGraph()
    graph.add((CED, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/cckg/ns#Agency")))
    graph.bind("cckg", "https://w3id.org/cckg/ns#")
    for _ in range(2):
        assert list(graph.query("SELECT ?a WHERE { ?a a cckg:Agency }")) == [(CED,)]


turbo = pytest.mark.skipif(not v.turbo_available(), reason="pyshacl-turbo is not installed")


@turbo
@pytest.mark.parametrize("shape_files", [[TEST_SHAPES], None], ids=["test-shapes", "project-shapes"])
def test_the_store_gives_the_same_report_with_either_engine(
    kg: OxigraphStore, shape_files: list[Path] | None
) -> None:
    """pyshacl-turbo reads the store's export natively, and labels and evidence come from the store."""
    shapes = rdflib.Graph().parse(TEST_SHAPES) if shape_files else None
    turbo_report = v.validate_store(kg, VOCABULARY, shapes, engine="pyshacl-turbo")
    reference = v.validate_store(kg, VOCABULARY, shapes, engine="pyshacl")
    assert turbo_report.results == reference.results
    assert turbo_report.conforms == reference.conforms
    assert v.render_text(turbo_report) == v.render_text(reference)


def test_auto_engine() -> None:
    assert v.resolve_engine("auto") == "indexed"
    assert v.resolve_engine("auto", whole_store=True) == "indexed"
    with pytest.raises(ValueError, match="unknown validation engine"):
        v.resolve_engine("jena")


# --- validating new data with the store's context -------------------------------------------------

CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
SERIES_KEY = "customs-cooperation-conference-hk-ced-kr-kcs"
SERIES = rdflib.URIRef(f"{ID}series/{SERIES_KEY}")


def release_2004_without_ced() -> rdflib.Graph:
    """Release 001 as it would be if it referred to C&ED without describing it."""
    graph = fixture_graphs()[RELEASE_2004]
    graph.remove((CED, None, None))
    return graph


def test_new_data_may_refer_to_agencies_the_store_knows(kg: OxigraphStore) -> None:
    data = release_2004_without_ced()
    alone = v.validate_graph(data)
    assert any(r.component == rdflib.SH.ClassConstraintComponent for r in alone.results)
    kg.remove_graph(RELEASE_2004)
    with_store = v.validate_with_store(data, kg, skip=[VOCABULARY])
    assert with_store.ok(), v.render_text(with_store)
    assert not with_store.results


def test_only_results_about_the_new_data_are_reported(kg: OxigraphStore) -> None:
    """C&ED comes from the store with its type and labels only (no agency kind): the shapes would
    warn about it, but it is not a node of the new data."""
    data = release_2004_without_ced()
    context = v.store_context(kg, data, skip=[RELEASE_2004, VOCABULARY])
    assert (CED, CCKG.agencyKind, None) not in context
    assert (CED, rdflib.RDF.type, CCKG.Agency) in context
    report = v.validate_with_store(data, kg, skip=[VOCABULARY])
    assert all(r.focus in set(data.subjects()) for r in report.results)
    parsed = rdflib.Graph().parse(data=v.render_turtle(report), format="turtle")
    assert (None, rdflib.SH.conforms, rdflib.Literal(not report.results)) in parsed


def test_the_context_is_only_about_the_mentioned_iris(kg: OxigraphStore) -> None:
    data = release_2004_without_ced()
    context = v.store_context(kg, data, skip=[RELEASE_2004, VOCABULARY])
    mentioned = v.mentioned_iris(data)
    allowed = {*v.CONTEXT_PREDICATES, *v.SERIES_PREDICATES}
    assert context and set(context.predicates()) <= allowed
    series_members = set(context.subjects(rdflib.URIRef("http://schema.org/superEvent"), SERIES))
    assert set(context.subjects()) <= mentioned | series_members
    # the graph the data replaces is left out: release 001's own title is not read back
    assert (RELEASE_2004, rdflib.DCTERMS.title, None) not in context


def renamed(graph: rdflib.Graph, old: rdflib.URIRef, new: rdflib.URIRef) -> rdflib.Graph:
    result = rdflib.Graph()
    for triple in graph:
        result.add(tuple(new if term == old else term for term in triple))  # type: ignore[arg-type]
    return result


def test_series_order_is_checked_against_the_stored_events(kg: OxigraphStore) -> None:
    """A new release's 40th conference of the series, dated 2004, comes before the stored 34th."""
    old, new = rdflib.URIRef(f"{ID}event/{SERIES_KEY}/25"), rdflib.URIRef(f"{ID}event/{SERIES_KEY}/40")
    data = renamed(fixture_graphs()[RELEASE_2004], old, new)
    data.set((new, CCKG.ordinal, rdflib.Literal(40)))

    def out_of_order(report: v.ValidationReport) -> list[str]:
        return [r.severity for r in report.results if r.focus == new and "lower cckg:ordinal" in r.message]

    assert out_of_order(v.validate_graph(data)) == []
    assert out_of_order(v.validate_with_store(data, kg, skip=[VOCABULARY])) == ["Warning"]


# --- the command line -----------------------------------------------------------------------------




def test_cli_exit_codes(tmp_path: Path) -> None:
    """0 when the data conforms, 1 when it does not, 2 on an error."""
    assert run_cli("validate", *RELEASE_FIXTURES).exit_code == 0
    assert run_cli("validate", "--shapes", TEST_SHAPES, *RELEASE_FIXTURES).exit_code == 1
    broken = tmp_path / "broken.nt"
    broken.write_text("<a> <b> .\n")
    assert run_cli("validate", broken).exit_code == 2


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_cli_with_store(store_path: Path, tmp_path: Path, fmt: str) -> None:
    new = tmp_path / "release-001-without-ced.nt"
    release_2004_without_ced().serialize(new, format="nt")
    alone = run_cli("validate", "--format", fmt, new)
    assert alone.exit_code == 1
    result = run_cli("--store", store_path, "validate", "--with-store", "--format", fmt, new)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["results"] == []
    elif fmt == "turtle":
        parsed = rdflib.Graph().parse(data=result.stdout, format="turtle")
        assert (None, rdflib.SH.conforms, rdflib.Literal(True)) in parsed
    else:
        assert result.stdout == "conforms: no SHACL results\n"


def test_cli_with_store_needs_files(store_path: Path) -> None:
    result = run_cli("--store", store_path, "validate", "--with-store")
    assert result.exit_code == 2 and "give the FILEs" in result.stderr


@pytest.mark.parametrize("engine", ["pyshacl", pytest.param("pyshacl-turbo", marks=turbo)])
def test_cli_engine(store_path: Path, engine: str) -> None:
    result = run_cli("--store", store_path, "validate", "--shapes", TEST_SHAPES, "--engine", engine)
    assert result.exit_code == 1
    assert result.stdout.rstrip().endswith("does not conform: 1 violation, 1 warning, 1 info on 2 nodes")
