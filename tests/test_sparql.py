"""cckg.sparql: the SPARQL 1.1 Query Results formats written and read back, and term syntax."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from cckg.errors import QueryError
from cckg.sparql import (
    MEDIA_TYPES,
    RESULT_FORMATS,
    SelectResult,
    is_update,
    plain,
    read_results,
    sparql_term,
    write_results,
)
from cckg.store import OxigraphStore

RESULTS = "{http://www.w3.org/2005/sparql-results#}"
KCS = URIRef("https://w3id.org/cckg/id/agency/kr-kcs")

#: Every kind of term, an unbound cell, and values that need escaping in each format.
ROWS = SelectResult(
    ["agency", "name", "count", "note"],
    [
        {"agency": KCS, "name": Literal("Korea Customs Service"), "count": Literal(3, datatype=XSD.integer)},
        {"agency": BNode("b0"), "name": Literal("관세청", lang="ko"), "note": Literal('"hi",\tthen\nleave')},
        {"name": Literal("<tag> & 'quote'"), "count": Literal("2.50", datatype=XSD.decimal)},
    ],
)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_typed_formats_round_trip(fmt: str) -> None:
    assert read_results(write_results(ROWS, fmt), fmt) == ROWS


def test_csv_round_trips_what_csv_can_say() -> None:
    """CSV has no types: the values come back, IRIs as IRIs, blank nodes as blank nodes."""
    back = read_results(write_results(ROWS, "csv"), "csv")
    assert isinstance(back, SelectResult) and back.variables == ROWS.variables
    for got, sent in zip(back.rows, ROWS.rows, strict=True):
        assert {k: str(v) for k, v in got.items()} == {k: str(v) for k, v in sent.items()}
        if "agency" in sent:
            assert type(got["agency"]) is type(sent["agency"])


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize("answer", [True, False])
def test_booleans_round_trip(fmt: str, answer: bool) -> None:
    back = read_results(write_results(answer, fmt), fmt)
    if fmt in ("json", "xml"):
        assert back is answer
    else:  # CSV and TSV have no boolean form: one "result" cell
        assert isinstance(back, SelectResult) and back.variables == ["result"]
        assert str(back.rows[0]["result"]) == str(answer).lower()


def test_json_is_the_w3c_format() -> None:
    data = json.loads(write_results(ROWS, "json"))
    assert data["head"] == {"vars": ["agency", "name", "count", "note"]}
    first, second, _ = data["results"]["bindings"]
    assert first["agency"] == {"type": "uri", "value": str(KCS)}
    assert first["name"] == {"type": "literal", "value": "Korea Customs Service"}  # no xsd:string
    assert first["count"] == {"type": "literal", "value": "3", "datatype": str(XSD.integer)}
    assert second["agency"] == {"type": "bnode", "value": "b0"}
    assert second["name"] == {"type": "literal", "value": "관세청", "xml:lang": "ko"}
    assert "note" not in first  # unbound
    assert json.loads(write_results(True, "json")) == {"head": {}, "boolean": True}


def test_xml_is_the_w3c_format() -> None:
    root = ET.fromstring(write_results(ROWS, "xml"))
    assert root.tag == f"{RESULTS}sparql"
    assert [v.get("name") for v in root.iter(f"{RESULTS}variable")] == ROWS.variables
    first = root.find(f"{RESULTS}results/{RESULTS}result")
    assert first is not None
    bindings = {b.get("name"): b[0] for b in first.findall(f"{RESULTS}binding")}
    assert bindings["agency"].tag == f"{RESULTS}uri" and bindings["agency"].text == str(KCS)
    assert bindings["count"].get("datatype") == str(XSD.integer)
    assert ET.fromstring(write_results(False, "xml")).find(f"{RESULTS}boolean").text == "false"  # type: ignore[union-attr]


def test_csv_and_tsv_are_the_w3c_formats() -> None:
    text = write_results(ROWS, "csv")
    assert text.startswith("agency,name,count,note\r\n")  # CRLF line ends, no "?"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [str(KCS), "Korea Customs Service", "3", ""]
    assert rows[2][0] == "_:b0"
    tsv = write_results(ROWS, "tsv").split("\n")
    assert tsv[0] == "?agency\t?name\t?count\t?note"
    assert tsv[1] == f'<{KCS}>\t"Korea Customs Service"\t"3"^^<{XSD.integer}>\t'
    assert tsv[2].split("\t")[3] == '"\\"hi\\",\\tthen\\nleave"'  # a tab or newline never splits a cell


def test_results_of_the_store_round_trip(kg: OxigraphStore) -> None:
    rows = kg.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 200")
    for fmt in ("json", "xml", "tsv"):
        assert read_results(write_results(rows, fmt), fmt) == rows


def test_plain_literals_stay_plain() -> None:
    doc = {"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "a", "datatype": str(XSD.string)}}]}}  # fmt: skip
    back = read_results(json.dumps(doc), "json")
    assert isinstance(back, SelectResult) and back.rows == [{"x": Literal("a")}]
    assert plain(Literal("a", datatype=XSD.string)) == Literal("a")
    assert plain(Literal("a", lang="en")) == Literal("a", lang="en")


def test_unknown_formats_and_broken_documents() -> None:
    with pytest.raises(QueryError, match="unknown results format"):
        write_results(ROWS, "yaml")
    with pytest.raises(QueryError, match="unknown results format"):
        read_results("", "yaml")
    with pytest.raises(QueryError, match="not SPARQL results XML"):
        read_results("<sparql", "xml")
    assert set(MEDIA_TYPES) == set(RESULT_FORMATS)


def test_is_update() -> None:
    assert is_update("DROP ALL") and is_update("INSERT DATA { <a:b> <a:c> <a:d> }")
    assert not is_update("SELECT * WHERE { ?s ?p ?o }") and not is_update("not sparql")


def test_sparql_term_escapes_every_literal() -> None:
    assert sparql_term(Literal('a"b\\c\n')) == '"a\\"b\\\\c\\n"'
    assert sparql_term(Literal("x", datatype=XSD.string)) == '"x"'
    assert sparql_term(Literal("x", lang="en-GB")) == '"x"@en-GB'
    with pytest.raises(ValueError, match="language tag"):
        sparql_term(Literal("x", lang="en gb"))
    assert sparql_term(BNode("has space")).startswith("_:b")
