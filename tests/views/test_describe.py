"""The ecosystem's formats, read back by standard tools: the service description and VoID of
`cckg serve`, JSON-LD from dump and CONSTRUCT, Turtle dumps with prefixes, SPARQL XML results;
with rdflib and with SPARQLWrapper against a running `cckg serve` on 127.0.0.1."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import Result
from SPARQLWrapper import JSON, JSONLD, TURTLE, XML, SPARQLWrapper

from cckg import jsonld
from cckg.store import OxigraphStore
from conftest import RELEASE_2004, fixture_graphs, run_cli

AGENCIES = "SELECT DISTINCT ?agency WHERE { ?agency a <https://w3id.org/cckg/ns#Agency> } ORDER BY ?agency"
DESCRIBED = """PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?endpoint ?triples ?name ?graphTriples WHERE {
  ?service a sd:Service ; sd:endpoint ?endpoint ; sd:supportedLanguage sd:SPARQL11Query ;
           sd:feature sd:UnionDefaultGraph ; sd:defaultDataset ?dataset .
  ?dataset a void:Dataset ; void:triples ?triples ; void:sparqlEndpoint ?endpoint ;
           sd:namedGraph [ sd:name ?name ; sd:graph [ void:triples ?graphTriples ] ] .
} ORDER BY ?name"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`cckg serve` in its own process on a free loopback port: (query URL, store folder)."""
    path = tmp_path_factory.mktemp("described") / "store"
    with OxigraphStore(path) as store:
        for name, graph in fixture_graphs().items():
            store.replace_graph(name, graph)
    command = [sys.executable, "-m", "cckg", "--store", str(path), "serve", "--port", "0", "--timeout", "20"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = line.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        yield url, path
    finally:
        process.terminate()
        process.wait(30)


def merged(dataset: rdflib.Graph) -> rdflib.Graph:
    """Every triple of a graph or of all the graphs of a dataset, in one graph."""
    graph = rdflib.Graph()
    quads = dataset.quads() if isinstance(dataset, rdflib.Dataset) else dataset.triples((None, None, None))
    for quad in quads:
        graph.add(quad[:3])
    return graph


def fetch(url: str, accept: str = "text/turtle") -> tuple[str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.headers.get_content_type(), answer.read()


def test_a_get_with_no_query_is_the_service_description(served: tuple[str, Path]) -> None:
    url, path = served
    media, body = fetch(url)
    assert media == "text/turtle"
    graph = rdflib.Graph().parse(data=body, format="turtle")
    rows = list(graph.query(DESCRIBED))
    graphs = fixture_graphs()
    assert {str(row.name) for row in rows} == {str(name) for name in graphs}
    assert {str(row.endpoint) for row in rows} == {url}
    for row in rows:
        assert int(row.graphTriples) == len(graphs[rdflib.URIRef(str(row.name))])
    with OxigraphStore(path, read_only=True) as store:
        distinct = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert int(rows[0].triples) == int(distinct.rows[0]["n"])


def test_void_names_classes_properties_and_vocabularies(served: tuple[str, Path]) -> None:
    url, _ = served
    media, body = fetch(url.replace("/query", "/void"), accept="application/ld+json")
    assert media == "application/ld+json"
    graph = jsonld.parse(body)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    agencies = graph.query(
        "SELECT ?n WHERE { ?d <http://rdfs.org/ns/void#classPartition> ?p . "
        "?p <http://rdfs.org/ns/void#class> <https://w3id.org/cckg/ns#Agency> ; "
        "<http://rdfs.org/ns/void#entities> ?n }"
    )
    assert [int(row.n) for row in agencies] == [2]
    vocabularies = set(graph.objects(None, void.vocabulary))
    assert rdflib.URIRef("https://w3id.org/cckg/ns#") in vocabularies
    assert set(graph.objects(None, void.uriSpace)) == {rdflib.Literal("https://w3id.org/cckg/id/")}


def test_sparqlwrapper_is_a_client(served: tuple[str, Path]) -> None:
    url, _ = served
    client = SPARQLWrapper(url)
    client.setQuery(AGENCIES)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    agencies = [row["agency"]["value"] for row in rows]
    assert agencies == ["https://w3id.org/cckg/id/agency/hk-ced", "https://w3id.org/cckg/id/agency/kr-kcs"]
    client.setReturnFormat(XML)
    xml = client.query().response.read()
    assert [str(row.agency) for row in Result.parse(io.BytesIO(xml), format="xml")] == agencies
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{RELEASE_2004}> {{ ?s ?p ?o }} }}"
    for fmt, parse in ((TURTLE, lambda d: rdflib.Graph().parse(data=d, format="turtle")),
                       (JSONLD, lambda d: jsonld.parse(d))):  # fmt: skip
        client.setQuery(construct)
        client.setReturnFormat(fmt)
        body = client.query().response.read()
        read = parse(body)
        assert isomorphic(merged(read), fixture_graphs()[RELEASE_2004])


def test_jsonld_dump_is_compacted_and_reads_back(store_path: Path) -> None:
    result = run_cli("--store", store_path, "dump", "--format", "jsonld")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["@context"] == jsonld.context()
    body = json.dumps({key: value for key, value in document.items() if key != "@context"})
    assert '"prefLabel"' in body and "skos:prefLabel" not in body and "/core#prefLabel" not in body
    quads = run_cli("--store", store_path, "dump", "--format", "nquads").stdout
    expected = rdflib.Dataset().parse(data=quads, format="nquads")
    read = jsonld.parse(result.stdout)
    for name, graph in fixture_graphs().items():
        assert isomorphic(read.graph(name), expected.graph(name))
        assert isomorphic(read.graph(name), graph)


def test_construct_jsonld_is_compacted(store_path: Path) -> None:
    construct = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a <https://w3id.org/cckg/ns#Agency> ; ?p ?o }"
    result = run_cli("--store", store_path, "query", "-", "--format", "jsonld", input=construct)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["@context"]["prefLabel"] == "skos:prefLabel"
    expected = rdflib.Graph().parse(data=run_cli("--store", store_path, "query", "-", "--format", "turtle",
                                                 input=construct).stdout, format="turtle")  # fmt: skip
    assert isomorphic(merged(jsonld.parse(result.stdout)), expected)


def test_remote_contexts_are_refused_and_ours_resolves_offline() -> None:
    remote = json.dumps({"@context": "https://example.org/context.jsonld", "@id": "x"})
    with pytest.raises(jsonld.JsonLdError, match="is refused: cckg fetches no context"):
        jsonld.parse(remote)
    ours = json.dumps({"@context": jsonld.CONTEXT_URL, "@id": "https://w3id.org/cckg/id/agency/x",
                       "prefLabel": "X"})  # fmt: skip
    triples = list(merged(jsonld.parse(ours)))
    assert [str(p) for _, p, _ in triples] == ["http://www.w3.org/2004/02/skos/core#prefLabel"]


def test_turtle_dumps_carry_prefixes(store_path: Path) -> None:
    for args in ([], ["--graph", str(RELEASE_2004)]):
        result = run_cli("--store", store_path, "dump", "--format", "turtle", *args)
        assert result.exit_code == 0, result.output
        assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#>" in result.stdout
        assert "skos:prefLabel" in result.stdout
    union = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(union, fixture_graphs()[RELEASE_2004])


def test_query_writes_sparql_xml_results(store_path: Path) -> None:
    result = run_cli("--store", store_path, "query", "-", "--format", "xml", input=AGENCIES)
    assert result.exit_code == 0, result.output
    rows = [str(row.agency) for row in Result.parse(io.BytesIO(result.stdout.encode()), format="xml")]
    assert rows == ["https://w3id.org/cckg/id/agency/hk-ced", "https://w3id.org/cckg/id/agency/kr-kcs"]
