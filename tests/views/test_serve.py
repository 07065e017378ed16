"""``cckg serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1 with a query timeout."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from cckg.views import serve
from cckg.views.serve import SparqlServer, accepted, choose, serving
from conftest import CCKG, RELEASE_2004, fixture_graphs

AGENCIES = "SELECT DISTINCT ?agency WHERE { ?agency a <https://w3id.org/cckg/ns#Agency> } ORDER BY ?agency"
KCS = "https://w3id.org/cckg/id/agency/kr-kcs"
CED = "https://w3id.org/cckg/id/agency/hk-ced"
# Four unconstrained patterns over ~500 triples: 10^10 solutions, far more than a second's work.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 1.0
LIMIT = 30.0


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """The fixture releases served on a free loopback port, from a thread of this process."""
    from cckg.store import OxigraphStore
    from conftest import load_fixtures

    path = tmp_path_factory.mktemp("serve") / "store"
    with OxigraphStore(path) as store:
        load_fixtures(store)
    with serving(str(path), "127.0.0.1", 0, timeout=TIMEOUT, workers=2, log=False) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server
        server.shutdown()
        thread.join(LIMIT)


def request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request, error statuses included."""
    try:
        prepared = urllib.request.Request(url, data=data, headers=headers or {})
        with urllib.request.urlopen(prepared, timeout=LIMIT) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def get(server: SparqlServer, sparql: str, accept: str | None = None) -> tuple[int, str, bytes]:
    headers = {"Accept": accept} if accept else {}
    return request(f"{server.url}?{urllib.parse.urlencode({'query': sparql})}", headers=headers)


def agencies_of(body: bytes) -> list[str]:
    return [b["agency"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_and_post_answer_sparql_results_json(endpoint: SparqlServer) -> None:
    status, content_type, body = get(endpoint, AGENCIES)
    assert status == 200 and content_type.startswith("application/sparql-results+json")
    assert agencies_of(body) == [CED, KCS]
    sparql_query = {"Content-Type": "application/sparql-query"}
    direct = request(endpoint.url, data=AGENCIES.encode(), headers=sparql_query)
    form = request(
        endpoint.url,
        data=urllib.parse.urlencode({"query": AGENCIES}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert agencies_of(direct[2]) == agencies_of(form[2]) == [CED, KCS]


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_results_follow_the_accept_header(endpoint: SparqlServer, accept: str, media: str) -> None:
    status, content_type, body = get(endpoint, AGENCIES, accept)
    assert status == 200 and content_type.split(";")[0] == media
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(body.decode()))) == [["agency"], [CED], [KCS]]
    if media.endswith("+xml"):
        result = rdflib.query.Result.parse(io.BytesIO(body), format="xml")
        assert [str(row[0]) for row in result] == [CED, KCS]


def test_ask_and_construct(endpoint: SparqlServer) -> None:
    status, _, body = get(endpoint, "ASK { ?s a <https://w3id.org/cckg/ns#Release> }")
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{RELEASE_2004}> {{ ?s ?p ?o }} }}"
    status, content_type, body = get(endpoint, construct, "application/n-triples")
    assert status == 200 and content_type.startswith("application/n-triples")
    graph = rdflib.Graph().parse(data=body, format="nt")
    assert rdflib.compare.isomorphic(graph, fixture_graphs()[RELEASE_2004])
    assert get(endpoint, construct, "text/csv")[0] == 406


def test_rdflib_sparqlstore_is_a_client(endpoint: SparqlServer) -> None:
    graph = rdflib.Graph(SPARQLStore(endpoint.url))
    rows = list(graph.query(AGENCIES))
    assert [str(row[0]) for row in rows] == [CED, KCS]  # type: ignore[index]
    assert (rdflib.URIRef(KCS), rdflib.RDF.type, CCKG.Agency) in graph


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"DROP ALL", "application/sparql-update"),
        (b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
        (b"DROP ALL", "application/sparql-query"),
        (b"INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-query"),
    ],
)
def test_updates_are_refused(endpoint: SparqlServer, data: bytes, content_type: str) -> None:
    status, _, body = request(endpoint.url, data=data, headers={"Content-Type": content_type})
    assert status == 403 and b"read-only" in body
    assert agencies_of(get(endpoint, AGENCIES)[2]) == [CED, KCS]


def test_bad_requests(endpoint: SparqlServer) -> None:
    assert get(endpoint, "SELECT * WHERE { ?s ?p }")[:2] == (400, "text/plain; charset=utf-8")
    assert request(f"{endpoint.url}?query=")[0] == 400
    assert request(endpoint.url.replace("/query", "/elsewhere"))[0] == 404
    graph_uri = f"{endpoint.url}?{urllib.parse.urlencode({'query': AGENCIES, 'default-graph-uri': KCS})}"
    assert request(graph_uri)[0] == 400
    assert request(endpoint.url, data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_a_slow_query_is_stopped_at_the_timeout_and_the_endpoint_goes_on(endpoint: SparqlServer) -> None:
    started = time.monotonic()
    status, _, body = get(endpoint, SLOW)
    assert status == 503 and b"timed out after 1 s" in body
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 5
    deadline = time.monotonic() + LIMIT
    while get(endpoint, AGENCIES)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)  # the worker that was killed is being replaced; the other one answers
    assert agencies_of(get(endpoint, AGENCIES)[2]) == [CED, KCS]


def test_content_negotiation() -> None:
    assert accepted("text/csv;q=0.5, application/json") == ["application/json", "text/csv"]
    assert accepted(None) == ["*/*"]
    assert accepted("text/csv;q=0") == []
    assert choose(["text/*"], serve.RESULT_TYPES) == "text/csv"
    assert choose(["image/png"], serve.RESULT_TYPES) is None


def test_cckg_serve_in_a_process(store_path: Path) -> None:
    """The command itself: it prints its URL, answers a query, and stops on a signal."""
    command = [sys.executable, "-m", "cckg", "--store", str(store_path), "serve", "--port", "0"]
    command += ["--timeout", "5"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "(read-only, query timeout 5 s)" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
        status, _, body = request(f"{url}?{urllib.parse.urlencode({'query': AGENCIES})}")
        assert status == 200 and agencies_of(body) == [CED, KCS]
    finally:
        process.terminate()
        process.wait(LIMIT)


def test_serve_needs_an_existing_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cckg.cli import main

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "none"), "serve"])
    assert result.exit_code == 2 and "does not exist" in result.stderr
