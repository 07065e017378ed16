"""The guards of ``cckg serve``, with real HTTP requests to endpoints on 127.0.0.1: CORS only for
the origins given, SERVICE only to the hosts allowed, result and body limits, and a log of one line
per request that never holds a traceback.  (Each kind of bad request, one by one, is in
tests/test_bad_input.py, from docs/bad-input.md.)"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cckg.store import OxigraphStore
from cckg.store.remote import DEFAULT_TIMEOUT, HTTP_TIMEOUT_ENV, SparqlStore, http_timeout
from cckg.views.protocol import Policy
from cckg.views.serve import SparqlServer, serving
from conftest import load_fixtures

AGENCIES = "SELECT DISTINCT ?a WHERE { ?a a <https://w3id.org/cckg/ns#Agency> } ORDER BY ?a"
ORIGIN = "http://localhost:8000"


@contextmanager
def endpoint(store: Path, policy: Policy) -> Iterator[SparqlServer]:
    with serving(str(store), "127.0.0.1", 0, timeout=20, workers=1, log=False, policy=policy) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            thread.join(30)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guards") / "store"
    with OxigraphStore(path) as opened:
        load_fixtures(opened)
    return path


def call(
    server: SparqlServer, sparql: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    url = f"{server.url}?{urllib.parse.urlencode({'query': sparql})}"
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_cors_only_for_the_origins_given(store: Path) -> None:
    with endpoint(store, Policy(cors=(ORIGIN,))) as server:
        status, headers, _ = call(server, AGENCIES, headers={"Origin": ORIGIN})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == ORIGIN
        assert headers["Vary"] == "Origin"
        _, headers, _ = call(server, AGENCIES, headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers
        status, headers, _ = call(server, AGENCIES, method="OPTIONS", headers={"Origin": ORIGIN})
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    with endpoint(store, Policy()) as server:
        for origin in (ORIGIN, "null", "https://evil.example"):
            _, headers, _ = call(server, AGENCIES, headers={"Origin": origin})
            assert not any(name.lower().startswith("access-control") for name in headers)


def test_service_goes_only_to_the_hosts_allowed(store: Path) -> None:
    with endpoint(store, Policy()) as other:
        host = f"127.0.0.1:{other.server_address[1]}"
        federated = AGENCIES.replace("WHERE {", f"WHERE {{ SERVICE <http://{host}/query> {{") + " }"
        federated = federated.replace(" } ORDER BY ?a }", " } } ORDER BY ?a")
        with endpoint(store, Policy(allow_service=(host,))) as allowed:
            status, _, body = call(allowed, federated, headers={"Accept": "application/sparql-results+json"})
            assert status == 200, body
            rows = json.loads(body)["results"]["bindings"]
            assert [row["a"]["value"].rsplit("/", 1)[1] for row in rows] == ["hk-ced", "kr-kcs"]
        with endpoint(store, Policy(allow_service=("127.0.0.2",))) as refused:
            status, _, body = call(refused, federated)
            assert status == 403 and b"its host is not one of --allow-service" in body


def test_results_over_the_limit_are_refused_for_rows_and_triples(store: Path) -> None:
    with endpoint(store, Policy(max_results=5)) as server:
        assert call(server, AGENCIES)[0] == 200
        status, _, body = call(server, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 403 and b"more than 5 rows or triples" in body
        status, _, body = call(server, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert status == 403 and b"more than 5 rows or triples" in body
        assert call(server, AGENCIES)[0] == 200, "the endpoint goes on"


def test_the_log_has_one_line_per_request_and_no_traceback(store: Path) -> None:
    command = [sys.executable, "-m", "cckg", "--store", str(store), "serve", "--port", "0"]
    command += ["--max-body", "100"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        url = process.stderr.readline().split(" at ", 1)[1].split()[0]
        port = int(urllib.parse.urlsplit(url).port or 0)
        requests = [
            b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
            b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 500\r\n\r\n" + b"x" * 500,
            b"\x1b[2Jgarbage\r\n\r\n",
            b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: evil.example\r\n\r\n",
            b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # and the client goes away
        ]
        for data in requests:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)
                connection.recv(65536)
    finally:
        process.terminate()
        log = process.communicate(timeout=60)[1]
    lines = log.splitlines()
    assert "Traceback" not in log and "\x1b" not in log
    assert any('" 403 Host' in line for line in lines), log
    assert any('" 413 request body of 500 bytes' in line for line in lines), log
    assert any("code 400" in line and "garbage" in line for line in lines), log


def test_every_remote_request_has_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HTTP_TIMEOUT_ENV, raising=False)
    assert http_timeout() == DEFAULT_TIMEOUT == 30
    assert SparqlStore("http://127.0.0.1:9").timeout == 30
    monkeypatch.setenv(HTTP_TIMEOUT_ENV, "2.5")
    assert SparqlStore("http://127.0.0.1:9").timeout == 2.5
    assert SparqlStore("http://127.0.0.1:9", timeout=1).timeout == 1
    monkeypatch.setenv(HTTP_TIMEOUT_ENV, "soon")
    with pytest.raises(Exception, match="CCKG_HTTP_TIMEOUT='soon' is not a number of seconds"):
        http_timeout()
