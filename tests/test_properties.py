"""Properties that hold for any input (hypothesis): the reader refuses with a ReleaseError or reads;
the extractor never raises on what the reader reads, and gives release JSON of the documented shape
whose evidence quotes the text; the RDF of any extraction has valid IRIs and parses back the same;
and text from a release stays inert in every output: terminal text, tables, Markdown, CSV, GraphML
and GEXF."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from rdflib.term import Literal

from cckg import escape, identity
from cckg.errors import ReleaseError
from cckg.ingest.read import parse_release, read_release
from cckg.pipeline import extract_readable, map_facts
from cckg.sparql import SelectResult, sparql_term, write_results
from cckg.store import OxigraphStore
from cckg.views import export, query
from conftest import REPO
from release_shape import check_iris, check_release_json, check_round_trip

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=200, deadline=None)
#: Sentences of the seed and development releases, so that generated texts reach the extractor's
#: rules, and not only its refusals.
SENTENCES = sorted(
    {
        line.strip()
        for folder in (REPO / "data" / "releases", REPO / "data" / "devset" / "releases")
        for path in sorted(folder.glob("*.txt"))[:12]
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 40
    }
)
#: Any character, control characters and the ones XML cannot hold included.
ANY_CHAR = st.characters(codec="utf-8")
JUNK = st.text(ANY_CHAR, max_size=40)
MARKUP = st.sampled_from(
    ["<p>", "</p>", "<h1>", "</h1>", "<iframe>", "</iframe>", "<nav>", "</nav>", "<!--", "-->", "<br>",
     "\x1b[2J", "\u202e", "\x00", "\r\n", "Ends/Friday, December 17, 2004", "[Home](#)", " > "]
)  # fmt: skip
RELEASE_TEXT = st.lists(st.sampled_from(SENTENCES) | JUNK | MARKUP, max_size=14).map("\n".join)


def read_or_refuse(text: str, is_html: bool):  # type: ignore[no-untyped-def]
    try:
        return parse_release(text, "prop", "prop.html" if is_html else "prop.txt", is_html=is_html)
    except ReleaseError as error:
        assert "\n" not in str(error)
        return None


@SLOW
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".md"]))
def test_the_reader_reads_any_bytes_or_refuses_them_in_one_line(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"release{suffix}"
        path.write_bytes(data)
        try:
            release = read_release(path)
        except ReleaseError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
            return
    assert len(release.text) == len(release.content)


@SLOW
@given(RELEASE_TEXT, st.booleans())
def test_the_extractor_never_raises_and_its_json_has_the_documented_shape(text: str, is_html: bool) -> None:
    release = read_or_refuse(text, is_html)
    if release is None:
        return
    facts = extract_readable(release)
    check_release_json(facts.to_json(), release.text)


@SLOW
@given(RELEASE_TEXT)
def test_the_rdf_of_any_extraction_has_valid_iris_and_parses_back_the_same(text: str) -> None:
    release = read_or_refuse(text, False)
    if release is None:
        return
    graph = map_facts(extract_readable(release))
    check_iris(graph)
    check_round_trip(graph)


@FAST
@given(st.text(ANY_CHAR, min_size=1, max_size=60), st.text(ANY_CHAR, max_size=60))
def test_every_iri_minted_is_valid(name: str, other: str) -> None:
    iris = [
        identity.release_iri(identity.release_id(name + ".txt")),
        identity.agency_iri(identity.slug(name) or "x"),
        identity.person_iri(name, identity.slug(other) or None),
        identity.post_iri(identity.slug(other) or None, name),
        identity.series_iri(name, [identity.slug(other) or "x"]),
        identity.fact_iri("seizure", name, other, 1.5),
        identity.place_iri(name, None),
    ]
    for iri in iris:
        assert identity.checked_iri(str(iri)) == iri


# --- escaping ------------------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CELL = st.text(ANY_CHAR, max_size=30)


def rows_of(cells: list[list[str]]) -> SelectResult:
    return SelectResult(["a", "b"], [{"a": Literal(a), "b": Literal(b)} for a, b in cells])


@FAST
@given(st.lists(st.lists(CELL, min_size=2, max_size=2), max_size=6))
def test_a_text_table_holds_no_control_characters_and_one_line_a_row(cells: list[list[str]]) -> None:
    table = query.to_table(rows_of(cells))
    assert not CONTROL.search(table)
    assert len(table.splitlines()) == len(cells) + 3


@FAST
@given(st.lists(st.lists(CELL, min_size=2, max_size=2), max_size=6))
def test_a_markdown_table_keeps_its_columns_and_no_markup(cells: list[list[str]]) -> None:
    table = query.to_markdown(rows_of(cells))
    lines = table.splitlines()
    assert len(lines) == len(cells) + 2 and not CONTROL.search(table)
    for line in lines:
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line  # two cells, three unescaped bars
        assert "<" not in line and ">" not in line
        assert not re.search(r"(?<!\\)[\[\]`*_]", line), line


@FAST
@given(CELL)
def test_terminal_text_holds_no_control_characters(text: str) -> None:
    assert not CONTROL.search(escape.terminal(text).replace("\n", "").replace("\t", ""))
    assert not CONTROL.search(escape.one_line(text)) and "\n" not in escape.one_line(text)


@FAST
@given(st.lists(st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=30),
                         min_size=2, max_size=2), max_size=6))  # fmt: skip
def test_csv_results_give_back_every_value(cells: list[list[str]]) -> None:
    """(Read back with Python's csv module: rdflib's CSV results parser splits a value at a form
    feed or a line separator.)"""
    text = write_results(rows_of(cells), "csv")
    assert list(csv.reader(io.StringIO(text, newline="")))[1:] == cells


def network(labels: list[str]) -> nx.Graph:
    graph = nx.Graph()
    for n, label in enumerate(labels):
        iri = f"https://w3id.org/cckg/id/agency/a{n}"
        graph.add_node(iri, label=label, country=label[:2], kind="customs", iri=iri)
    for n in range(1, len(labels)):
        graph.add_edge(f"https://w3id.org/cckg/id/agency/a{n - 1}", f"https://w3id.org/cckg/id/agency/a{n}",
                       weight=1, years=[2024], crime_types=[labels[n]])  # fmt: skip
    return graph


@FAST
@given(st.lists(CELL, min_size=1, max_size=5))
def test_graphml_and_gexf_hold_every_label_as_xml_can(labels: list[str]) -> None:
    graph = network(labels)
    graphml = etree.fromstring(export.to_graphml(graph))
    values = graphml.xpath("//*[local-name()='data']/text()")
    gexf = etree.fromstring(export.to_gexf(graph))
    attvalues = [a.get("value") for a in gexf.xpath("//*[local-name()='attvalue']")]
    names = [n.get("label") for n in gexf.xpath("//*[local-name()='node']")]
    for label in labels:
        fit = escape.xml_text(label)
        if fit.strip():  # the XML parsers read a value of white space as none
            assert fit in values or fit.strip() in map(str.strip, values)
            assert fit in attvalues + names or fit.strip() in map(str.strip, attvalues + names)


@FAST
@given(CELL)
def test_a_sparql_term_of_any_text_reads_back_as_that_text(text: str) -> None:
    with OxigraphStore() as store:
        result = store.query(f"SELECT ?v WHERE {{ BIND({sparql_term(Literal(text))} AS ?v) }}")
    assert isinstance(result, SelectResult)
    assert str(result.rows[0]["v"]) == text
