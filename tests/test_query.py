"""Named queries: header parsing, parameter binding (safe), exact rows on the fixtures, formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib

from cckg import query
from cckg.store import OxigraphStore, SelectResult
from conftest import RELEASE_2004

AGENCIES = "Customs and Excise Department; Korea Customs Service"
CED = "Customs and Excise Department"
KCS = "Korea Customs Service"
R2023, R2004 = "000_d93ee451fa80120b", "001_c98b5c3fca22d16e"
ID = "https://w3id.org/cckg/id/"
EVENTS = f"{ID}event/customs-cooperation-conference-hk-ced-kr-kcs"


def rows(store: OxigraphStore, name: str, **params: str) -> list[tuple[str | None, ...]]:
    result = query.run(store, query.named_queries()[name], params)
    assert isinstance(result, SelectResult)
    return [tuple(None if term is None else str(term) for term in row) for row in result.tuples()]


def columns(store: OxigraphStore, name: str, **params: str) -> list[str]:
    result = query.run(store, query.named_queries()[name], params)
    assert isinstance(result, SelectResult)
    return result.variables


# --- the query files --------------------------------------------------------------------------

REQUIRED = {"partners", "event-timeline", "post-holders", "agreements", "crime-types-by-pair", "evidence"}


def test_the_required_named_queries_exist() -> None:
    assert set(query.named_queries()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(query.named_queries()))
def test_every_named_query_is_documented_and_runs(name: str, kg: OxigraphStore) -> None:
    named = query.named_queries()[name]
    assert named.title and named.description
    assert all(p.description for p in named.params)
    if named.params:
        assert query.PARAMS_MARKER.search(named.text), "parameters need a '#@params' line"
    values = {p.name: "Customs and Excise Department" for p in named.params if p.required}
    result = query.run(kg, named, values)
    assert isinstance(result, SelectResult) and result.rows


# --- one test per named query: its exact rows on the fixtures ---------------------------------


def test_partners(kg: OxigraphStore) -> None:
    assert columns(kg, "partners", agency="C&ED") == [
        "partner", "country", "firstYear", "lastYear", "events", "agreements", "operations", "cooperations",
        "crimeTypes",
    ]  # fmt: skip
    crimes = "cybercrime, drug-trafficking, financial-crime, ipr-infringement, money-laundering, "
    crimes += "tobacco-smuggling"
    expected_kcs = [(KCS, "KR", "2004", "2023", "2", "3", "1", "2", crimes)]
    assert rows(kg, "partners", agency="Customs and Excise Department") == expected_kcs
    assert rows(kg, "partners", agency="hong kong customs") == expected_kcs  # alias, any case
    assert rows(kg, "partners", agency="c&ed") == expected_kcs  # acronym
    assert rows(kg, "partners", agency="KCS") == [(CED, "HK", "2004", "2023", "2", "3", "1", "2", crimes)]
    assert rows(kg, "partners", agency="Interpol") == []


def test_partners_counts_are_integers(kg: OxigraphStore) -> None:
    result = query.run(kg, query.named_queries()["partners"], {"agency": "KCS"})
    assert isinstance(result, SelectResult)
    assert result.rows[0]["events"] == rdflib.Literal(2)
    assert result.rows[0]["firstYear"] == rdflib.Literal(2004)


def test_event_timeline(kg: OxigraphStore) -> None:
    assert columns(kg, "event-timeline") == [
        "start", "end", "event", "kind", "status", "place", "participants", "releases",
    ]  # fmt: skip
    assert rows(kg, "event-timeline") == [
        ("2004-08", None, "Project Crocodile", "operation", None, None, AGENCIES, R2004),
        ("2004-12-16", "2004-12-17", "25th Customs Cooperation Conference", "conference", "held", "Hong Kong",
         AGENCIES, R2004),
        ("2023-02", None, "Regional Customs High-level Drug Enforcement Forum", "forum", "held", None, CED,
         R2023),
        ("2023-11-01", None, "34th Customs Cooperation Conference", "conference", "held", "Seoul", AGENCIES,
         R2023),
        ("2024-03", None, "intellectual property rights protection forum", "forum", "planned", None, CED,
         R2023),
    ]  # fmt: skip


def test_event_timeline_filters(kg: OxigraphStore) -> None:
    assert [r[2] for r in rows(kg, "event-timeline", agency="KCS", **{"from": "2005"})] == [
        "34th Customs Cooperation Conference"
    ]
    assert [r[0] for r in rows(kg, "event-timeline", to="2004")] == ["2004-08", "2004-12-16"]


def test_post_holders(kg: OxigraphStore) -> None:
    assert columns(kg, "post-holders") == [
        "agencyLabel", "postTitle", "holder", "honorific", "firstAttested", "lastAttested", "releases",
    ]  # fmt: skip
    assert rows(kg, "post-holders") == [
        (CED, "Commissioner", "Timothy Tong", "Mr", "2004-12-17", "2004-12-17", "1"),
        (CED, "Commissioner", "Louise Ho", "Ms", "2023-11-01", "2023-11-01", "1"),
        (KCS, "Commissioner", "Kim Yong-Duk", "Mr", "2004-12-17", "2004-12-17", "1"),
        (KCS, "Commissioner", "Ko Kwang hyo", "Mr", "2023-11-01", "2023-11-01", "1"),
    ]
    assert [r[2] for r in rows(kg, "post-holders", agency="Korea Customs Service")] == [
        "Kim Yong-Duk", "Ko Kwang hyo",
    ]  # fmt: skip
    assert rows(kg, "post-holders", post="deputy") == []


def test_agreements(kg: OxigraphStore) -> None:
    assert columns(kg, "agreements") == ["date", "agreement", "kind", "parties", "topics", "releases"]
    mou = ("2023-11-01", "Memorandum of Understanding of co-operation and assistance", "mou", AGENCIES,
           "drug-trafficking, financial-crime", R2023)  # fmt: skip
    assert rows(kg, "agreements") == [
        ("2004-12-17", "Immediate Notification System", "other", AGENCIES,
         "drug-trafficking, money-laundering", R2004),
        ("2004-12-17", "contact points for cyber crime on intellectual property rights", "other", AGENCIES,
         "cybercrime, ipr-infringement", R2004),
        mou,
    ]  # fmt: skip
    assert rows(kg, "agreements", kind="MOU") == [mou]
    laundering = rows(kg, "agreements", crime="money-laundering")
    assert [r[1] for r in laundering] == ["Immediate Notification System"]
    assert rows(kg, "agreements", agency="Interpol") == []


def test_crime_types_by_pair(kg: OxigraphStore) -> None:
    assert columns(kg, "crime-types-by-pair") == [
        "agency1", "agency2", "crimeType", "facts", "firstYear", "lastYear",
    ]  # fmt: skip
    assert rows(kg, "crime-types-by-pair") == [
        (CED, KCS, "drug-trafficking", "4", "2004", "2023"),
        (CED, KCS, "ipr-infringement", "3", "2004", "2023"),
        (CED, KCS, "money-laundering", "3", "2004", "2023"),
        (CED, KCS, "cybercrime", "2", "2004", "2004"),
        (CED, KCS, "financial-crime", "2", "2023", "2023"),
        (CED, KCS, "tobacco-smuggling", "2", "2004", "2004"),
    ]
    assert rows(kg, "crime-types-by-pair", agency="kcs", crime="Cybercrime") == [
        (CED, KCS, "cybercrime", "2", "2004", "2004")
    ]


def test_evidence(kg: OxigraphStore) -> None:
    assert columns(kg, "evidence", entity="x") == ["release", "start", "end", "type", "fact", "name", "quote"]
    assert rows(kg, "evidence", entity="timothy tong") == [
        (R2004, "328", "382", "Membership", f"{ID}membership/f3d2b2b12c7279cb", None,
         "the Commissioner of Hong Kong Customs, Mr Timothy Tong"),
        (R2004, "390", "553", "Conference", f"{EVENTS}/25", "25th Customs Cooperation Conference",
         "Commissioner Tong headed a delegation to attend the 25th Customs Cooperation Conference with the "
         "Korea Customs Service held in Hong Kong between December 16 and 17"),
    ]  # fmt: skip
    crocodile = rows(kg, "evidence", entity="Project Crocodile")
    assert [(r[0], r[3], r[5]) for r in crocodile] == [(R2004, "JointOperation", "Project Crocodile")]


def test_evidence_quotes_point_into_the_release_text(kg: OxigraphStore) -> None:
    releases = Path(__file__).resolve().parents[1] / "data" / "releases"
    for row in rows(kg, "evidence", entity="KCS"):
        text = (releases / f"{row[0]}.txt").read_text(encoding="utf-8")
        assert text[int(row[1]) : int(row[2])] == row[6]


def test_seizures(kg: OxigraphStore) -> None:
    assert rows(kg, "seizures") == [
        (None, "cigarettes", "3580000", "sticks", "about", None, "tobacco-smuggling", R2004),
        ("2003-04", "counterfeit cigarettes", "8000000", "sticks", "over", "Italy",
         "ipr-infringement, tobacco-smuggling", R2004),
    ]  # fmt: skip
    assert [r[1] for r in rows(kg, "seizures", crime="ipr-infringement")] == ["counterfeit cigarettes"]


def test_releases(kg: OxigraphStore) -> None:
    assert rows(kg, "releases") == [
        (R2004, "2004-12-17",
         "Hong Kong Customs and Korea Customs pledge to further enhance mutual cooperation",
         f"data/releases/{R2004}.txt", "2", "2", "9"),
        (R2023, "2023-11-01",
         "Hong Kong Customs and Korea Customs Service hold 34th Customs Cooperation Conference (with photos)",
         f"data/releases/{R2023}.txt", "2", "2", "7"),
    ]  # fmt: skip
    assert [r[0] for r in rows(kg, "releases", **{"from": "2010"})] == [R2023]


def test_agencies(kg: OxigraphStore) -> None:
    assert rows(kg, "agencies") == [
        (CED, "C&ED", "HK", "customs", "2", "1", f"{ID}agency/hk-ced"),
        (KCS, "KCS", "KR", "customs", "2", "1", f"{ID}agency/kr-kcs"),
    ]
    assert [r[0] for r in rows(kg, "agencies", country="kr")] == [KCS]
    assert rows(kg, "agencies", kind="police") == []


def test_operations(kg: OxigraphStore) -> None:
    assert rows(kg, "operations") == [
        ("2004-08", None, "Project Crocodile", CED, AGENCIES, "tobacco-smuggling", R2004),
    ]
    assert rows(kg, "operations", crime="drug-trafficking") == []


def test_cooperation_links(kg: OxigraphStore) -> None:
    a, b = f"{ID}agency/hk-ced", f"{ID}agency/kr-kcs"
    assert rows(kg, "cooperation-links") == [
        (a, b, "agreement", f"{ID}agreement/57e3bd1b46a67c9c", "Immediate Notification System", "2004",
         "drug-trafficking,money-laundering"),
        (a, b, "agreement", f"{ID}agreement/650e637f26e28575",
         "contact points for cyber crime on intellectual property rights", "2004",
         "cybercrime,ipr-infringement"),
        (a, b, "agreement", f"{ID}agreement/bd0658dffddff4ab",
         "Memorandum of Understanding of co-operation and assistance", "2023",
         "drug-trafficking,financial-crime"),
        (a, b, "cooperation", f"{ID}cooperation/c057f67ad8515f5a", None, "2004",
         "cybercrime,drug-trafficking,ipr-infringement,money-laundering,tobacco-smuggling"),
        (a, b, "cooperation", f"{ID}cooperation/0ea12c47eccf7adc", None, "2023",
         "drug-trafficking,financial-crime,ipr-infringement,money-laundering"),
        (a, b, "event", f"{EVENTS}/25", "25th Customs Cooperation Conference", "2004", None),
        (a, b, "event", f"{EVENTS}/34", "34th Customs Cooperation Conference", "2023", None),
        (a, b, "operation", f"{ID}operation/f11c17a37618ad9c", "Project Crocodile", "2004",
         "tobacco-smuggling"),
    ]  # fmt: skip


# --- headers and parameters -----------------------------------------------------------------

HEADER = """# title: A test query
# description: First line,
#   continued here.
# param: agency string required - the agency
# param: year integer none - a year
# param: label string "two words" - a default with spaces
# param: day date 2023-11-01 - a date
SELECT ?agency ?year ?label ?day WHERE {
  #@params
}
"""


def test_parse_header() -> None:
    named = query.parse_query(HEADER, "test")
    assert named.title == "A test query"
    assert named.description == "First line, continued here."
    assert named.params == (
        query.Param("agency", "string", None, True, "the agency"),
        query.Param("year", "integer", None, False, "a year"),
        query.Param("label", "string", "two words", False, "a default with spaces"),
        query.Param("day", "date", "2023-11-01", False, "a date"),
    )


def test_bad_param_line_is_reported() -> None:
    with pytest.raises(query.QueryError, match="bad '# param:' line"):
        query.parse_query("# param: x colour red - no such type\nSELECT * {}", "bad")


def test_bind_types_defaults_and_undef(kg: OxigraphStore) -> None:
    named = query.parse_query(HEADER, "test")
    result = query.run(kg, named, {"agency": "KCS", "year": "2004"})
    assert isinstance(result, SelectResult)
    assert result.rows == [
        {
            "agency": rdflib.Literal("KCS"),
            "year": rdflib.Literal(2004),
            "label": rdflib.Literal("two words"),
            "day": rdflib.Literal("2023-11-01", datatype=rdflib.XSD.date),
        }
    ]
    unset = query.run(kg, named, {"agency": "KCS"})
    assert isinstance(unset, SelectResult) and "year" not in unset.rows[0]


def test_required_and_unknown_parameters(kg: OxigraphStore) -> None:
    named = query.parse_query(HEADER, "test")
    with pytest.raises(query.QueryError, match="parameter agency is required"):
        query.run(kg, named, {})
    with pytest.raises(query.QueryError, match="unknown parameter 'colour'"):
        query.run(kg, named, {"agency": "x", "colour": "red"})


@pytest.mark.parametrize(
    ("name", "value"),
    [("year", "2004; DROP ALL"), ("year", "1e3"), ("day", "2023-13-01"), ("day", '2023"} DROP ALL')],
)
def test_typed_parameters_reject_bad_values(kg: OxigraphStore, name: str, value: str) -> None:
    with pytest.raises(query.QueryError, match=f"parameter {name}"):
        query.run(kg, query.parse_query(HEADER, "test"), {"agency": "x", name: value})


MALICIOUS = [
    '"} ; DROP ALL #',
    "x\" } } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #",
    "} UNION { ?s ?p ?o }",
    "'\"\"\"' ; CLEAR DEFAULT",
    "\\\" } DROP ALL #",
    "\\u0022 } DROP ALL #",
    "new\nline # comment } DROP ALL",
    "\\\\\\",
    "$1 \\1 \\g<0>",  # regular-expression replacement syntax
]


@pytest.mark.parametrize("value", MALICIOUS)
def test_a_parameter_value_cannot_change_the_query(kg: OxigraphStore, value: str) -> None:
    echo = query.parse_query("# param: v string required - v\nSELECT ?v WHERE {\n#@params\n}\n", "echo")
    result = query.run(kg, echo, {"v": value})
    assert isinstance(result, SelectResult)
    assert result.rows == [{"v": rdflib.Literal(value)}]  # the value came back as one literal, intact
    before = len(kg)
    assert rows(kg, "partners", agency=value) == []
    assert rows(kg, "evidence", entity=value) == []
    assert len(kg) == before


def test_iri_parameters_are_checked(kg: OxigraphStore) -> None:
    named = query.parse_query("# param: g iri required - g\nSELECT ?g WHERE {\n#@params\n}\n", "iri")
    result = query.run(kg, named, {"g": str(RELEASE_2004)})
    assert isinstance(result, SelectResult) and result.rows == [{"g": RELEASE_2004}]
    for bad in ["no-scheme", "http://x> } DROP ALL #", "http://a b"]:
        with pytest.raises(query.QueryError, match="parameter g"):
            query.run(kg, named, {"g": bad})


def test_params_without_a_marker_are_an_error(kg: OxigraphStore) -> None:
    named = query.parse_query("# param: v string required - v\nSELECT ?v WHERE { }\n", "nomarker")
    with pytest.raises(query.QueryError, match="no '#@params' line"):
        query.run(kg, named, {"v": "x"})


# --- what runs and what is refused --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "DROP ALL",
        "CLEAR DEFAULT",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_updates_are_refused(kg: OxigraphStore, text: str) -> None:
    before = len(kg)
    with pytest.raises(query.QueryError, match="updates are refused"):
        query.run(kg, query.parse_query(text, "-"))
    assert len(kg) == before


def test_syntax_errors_are_one_line(kg: OxigraphStore) -> None:
    with pytest.raises(query.QueryError) as error:
        query.run(kg, query.parse_query("SELECT * WHERE {\n  ?s ?p\n}", "broken.rq"))
    message = str(error.value)
    assert message.startswith("query broken.rq: SPARQL syntax error") and "\n" not in message


def test_empty_query(kg: OxigraphStore) -> None:
    with pytest.raises(query.QueryError, match="empty query"):
        query.run(kg, query.parse_query("# only a comment\n", "-"))


def test_load_query_by_name_file_and_stdin(tmp_path: Path) -> None:
    assert query.load_query("partners").path == query.queries_dir() / "partners.rq"
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    assert query.load_query(str(path)).title == "Mine"
    assert query.load_query("-", "ASK {}").text == "ASK {}"
    with pytest.raises(query.QueryError, match="no such file"):
        query.load_query(str(tmp_path / "missing.rq"))
    with pytest.raises(query.QueryError, match="unknown query 'nope'"):
        query.load_query("nope")


def test_list_names_every_query_and_parameter() -> None:
    text = query.describe_queries(query.named_queries())
    for name, named in query.named_queries().items():
        assert f"{name}: {named.title}" in text
        for param in named.params:
            assert f"--param {param.name}=<{param.type}>" in text


# --- formats ------------------------------------------------------------------------------------


def _agencies(kg: OxigraphStore) -> SelectResult:
    result = query.run(kg, query.named_queries()["agencies"])
    assert isinstance(result, SelectResult)
    return result


def test_table_is_aligned(kg: OxigraphStore) -> None:
    lines = query.render(_agencies(kg), "table").splitlines()
    assert lines[0].split() == ["agency", "acronyms", "country", "kind", "releases", "partners", "iri"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith(f"{CED}  C&ED ")
    assert lines[2].index("C&ED") == lines[0].index("acronyms") == lines[3].index("KCS")
    assert lines[2].endswith("id:agency/hk-ced")  # IRIs shortened
    assert lines[-1] == "(2 rows)"


def test_csv_follows_sparql_results_csv(kg: OxigraphStore) -> None:
    text = query.render(_agencies(kg), "csv")
    assert "\r\n" in text
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == ["agency", "acronyms", "country", "kind", "releases", "partners", "iri"]
    assert records[1] == [CED, "C&ED", "HK", "customs", "2", "1", f"{ID}agency/hk-ced"]


def test_tsv_writes_rdf_terms(kg: OxigraphStore) -> None:
    lines = query.render(_agencies(kg), "tsv").splitlines()
    assert lines[0] == "?agency\t?acronyms\t?country\t?kind\t?releases\t?partners\t?iri"
    assert lines[1].split("\t") == [
        f'"{CED}"', '"C&ED"', '"HK"', '"customs"',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
        f"<{ID}agency/hk-ced>",
    ]  # fmt: skip


def test_json_follows_sparql_results_json(kg: OxigraphStore) -> None:
    data = json.loads(query.render(_agencies(kg), "json"))
    assert data["head"]["vars"][0] == "agency"
    first = data["results"]["bindings"][0]
    assert first["agency"] == {"type": "literal", "value": CED}
    assert first["releases"] == {
        "type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }  # fmt: skip
    assert first["iri"] == {"type": "uri", "value": f"{ID}agency/hk-ced"}
    timeline = query.run(kg, query.named_queries()["event-timeline"])
    assert "end" not in json.loads(query.render(timeline, "json"))["results"]["bindings"][0]  # unbound


def test_markdown_escapes_pipes() -> None:
    result = SelectResult(["a", "b"], [{"a": rdflib.Literal("x | y"), "b": rdflib.Literal("z")}])
    assert query.render(result, "markdown") == "| a | b |\n|---|---|\n| x \\| y | z |\n"


def test_ask_and_construct_results(kg: OxigraphStore) -> None:
    assert json.loads(query.render(True, "json")) == {"head": {}, "boolean": True}
    assert query.render(False, "table").splitlines()[2] == "false"
    graph = kg.query("CONSTRUCT { ?a a ?c } WHERE { ?a a ?c } LIMIT 2")
    assert isinstance(graph, rdflib.Graph)
    parsed = rdflib.Graph().parse(data=query.render(graph, "table"), format="turtle")
    assert len(parsed) == 2
