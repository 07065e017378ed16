"""A remote store: a real Oxigraph server on 127.0.0.1 answers exactly like the embedded store.

The server is the ``oxigraph`` binary of the ``oxigraph`` PyPI package (a dev dependency), next to
the Python interpreter.  The seed releases are ingested through the CLI into the server and into an
embedded store; named queries, dumps and copies must give the same answers on both.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg.identity import release_iri
from cckg.store import open_store
from cckg.store.remote import SparqlStore
from conftest import REPO, run_cli

SEEDS = REPO / "data" / "releases"
SEED_IDS = sorted(path.stem.lower() for path in SEEDS.glob("*.txt"))
START_LIMIT = 30.0  # seconds for the server to answer
STOP_LIMIT = 10.0




def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> Path:
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    return binary


def wait_until_it_answers(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"oxigraph serve did not answer within {START_LIMIT:g} s")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """``oxigraph serve`` on a free loopback port, stopped on exit; yields its URL."""
    port = free_port()
    command = [str(oxigraph_binary()), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_it_answers(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(STOP_LIMIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_LIMIT)


@dataclass(frozen=True)
class Stores:
    server: str  # the server URL
    embedded: Path  # the embedded store folder


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    """The seed releases ingested through the CLI into an Oxigraph server and an embedded store."""
    pytest.importorskip("cckg.ingest.extract")
    folder = tmp_path_factory.mktemp("remote")
    with oxigraph_server(folder / "server") as url:
        for store in (url, folder / "embedded"):
            result = run_cli("--store", store, "ingest", SEEDS)
            assert result.exit_code == 0, result.output
        yield Stores(url, folder / "embedded")


def answers(store: str | Path, *args: str) -> str:
    result = run_cli("--store", store, "query", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


QUERIES = [
    ["releases"],
    ["agencies"],
    ["partners", "--param", "agency=Customs and Excise Department"],
    ["post-holders"],
    ["event-timeline"],
    ["agreements"],
    ["operations"],
    ["seizures"],
    ["evidence", "--param", "entity=KCS"],
    ["cooperation-links"],
    ["crime-types-by-pair"],
]


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: a[0])
def test_named_queries_answer_the_same(stores: Stores, args: list[str]) -> None:
    embedded = answers(stores.embedded, *args)
    assert len(embedded.splitlines()) > 1, "the query finds something"
    assert answers(stores.server, *args) == embedded


def test_sparql_from_stdin_and_query_errors(stores: Stores) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    remote = run_cli("--store", stores.server, "query", "-", "--format", "csv", input=count)
    local = run_cli("--store", stores.embedded, "query", "-", "--format", "csv", input=count)
    assert remote.stdout == local.stdout and int(remote.stdout.split()[1]) > 1000
    refused = run_cli("--store", stores.server, "query", "-", input="DROP ALL")
    assert refused.exit_code == 2 and "updates are refused" in refused.stderr
    broken = run_cli("--store", stores.server, "query", "-", input="SELECT * WHERE { ?s ?p }")
    assert broken.exit_code == 2 and "SPARQL syntax" in broken.stderr
    assert len(open_store(stores.server).graph_names()) == len(SEED_IDS) + 1


def test_ingest_again_into_the_server_changes_nothing(stores: Stores) -> None:
    result = run_cli("--store", stores.server, "ingest", SEEDS)
    assert result.exit_code == 0
    assert f"ingested 0, unchanged {len(SEED_IDS)}, duplicate 0, failed 0" in result.stderr


ENDED = rdflib.URIRef("http://www.w3.org/ns/prov#endedAtTime")


def without_run_times(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph less the extraction runs' end times: the two stores were filled seconds apart."""
    graph.remove((None, ENDED, None))
    return graph


def dataset(data: bytes | str, fmt: str) -> rdflib.Dataset:
    parsed = rdflib.Dataset()
    parsed.parse(data=data, format=fmt)
    parsed.remove((None, ENDED, None, None))
    return parsed


def same_graphs(left: rdflib.Dataset, right: rdflib.Dataset) -> bool:
    names = {g.identifier for g in left.graphs() if len(g)}
    assert names == {g.identifier for g in right.graphs() if len(g)}
    return all(isomorphic(left.graph(name), right.graph(name)) for name in names)


@pytest.mark.parametrize(("fmt", "parser"), [("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_dump_of_the_server_equals_the_embedded_dump(stores: Stores, fmt: str, parser: str) -> None:
    remote = run_cli("--store", stores.server, "dump", "--format", fmt)
    local = run_cli("--store", stores.embedded, "dump", "--format", fmt)
    assert remote.exit_code == local.exit_code == 0
    assert same_graphs(dataset(remote.stdout, parser), dataset(local.stdout, parser))


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")])
def test_dump_one_release_from_the_server(stores: Stores, fmt: str, parser: str) -> None:
    release = SEED_IDS[0]
    remote = run_cli("--store", stores.server, "dump", "--graph", release, "--format", fmt)
    local = run_cli("--store", stores.embedded, "dump", "--graph", release, "--format", fmt)
    assert remote.exit_code == 0, remote.output
    one = without_run_times(rdflib.Graph().parse(data=remote.stdout, format=parser))
    other = without_run_times(rdflib.Graph().parse(data=local.stdout, format=parser))
    assert len(one) > 100 and isomorphic(one, other)


def test_copy_from_the_server_to_a_folder_and_back(stores: Stores, tmp_path: Path) -> None:
    copied = tmp_path / "copy"
    result = run_cli("copy", "--from", stores.server, "--to", copied)
    assert result.exit_code == 0, result.output
    assert f"copied {len(SEED_IDS) + 1} graphs" in result.stderr
    server_dump = dataset(run_cli("--store", stores.server, "dump").stdout, "nquads")
    assert same_graphs(dataset(run_cli("--store", copied, "dump").stdout, "nquads"), server_dump)

    release = SEED_IDS[-1]
    removed = run_cli("--store", stores.server, "remove", release)
    assert removed.exit_code == 0 and "removed 1, not found 0" in removed.stderr
    assert release_iri(release) not in open_store(stores.server).graph_names()
    back = run_cli("--store", copied, "copy", "--to", stores.server, release)
    assert back.exit_code == 0 and "copied 1 graph " in back.stderr
    assert answers(stores.server, "releases") == answers(stores.embedded, "releases")


def test_copy_errors(stores: Stores, tmp_path: Path) -> None:
    same = run_cli("--store", stores.server, "copy", "--to", stores.server + "/")
    assert same.exit_code == 2 and "the same store" in same.stderr
    missing = run_cli("--store", stores.server, "copy", "--to", tmp_path / "x", "no-such-release")
    assert missing.exit_code == 2 and "no-such-release: no such release" in missing.stderr
    assert not (tmp_path / "x").exists()


def test_validate_the_server_like_the_embedded_store(stores: Stores) -> None:
    remote = run_cli("--store", stores.server, "validate", "--allow-warnings")
    local = run_cli("--store", stores.embedded, "validate", "--allow-warnings")
    if local.exit_code == 2:
        pytest.skip(local.stderr)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


def test_a_server_that_is_down_is_a_one_line_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("--store", url, "query", "releases")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"cckg: error: store {url}: cannot connect ([Errno 111] Connection refused)"
    ]


def test_the_store_speaks_the_protocols(tmp_path: Path) -> None:
    """SparqlStore alone: replace, read back, metadata, remove, dump (Graph Store Protocol)."""
    from cckg.store import OxigraphStore
    from conftest import RELEASE_2004, RELEASE_2023, fixture_graphs, load_fixtures

    with oxigraph_server(tmp_path / "server") as url:
        store = SparqlStore(url)
        for name, graph in fixture_graphs().items():
            assert store.replace_graph(name, graph) == len(graph)
        for name, graph in fixture_graphs().items():
            assert isomorphic(store.graph(name), graph)
        assert store.graph_metadata(RELEASE_2023).software_version == "0.1.0"
        assert store.query("ASK { ?s a <https://w3id.org/cckg/ns#Release> }") is True
        union = rdflib.Graph().parse(data=store.dump("turtle"), format="turtle")
        with OxigraphStore() as embedded:
            expected = rdflib.Graph().parse(data=load_fixtures(embedded).dump("turtle"), format="turtle")
        assert len(union) > 0 and isomorphic(union, expected)
        assert store.remove_graphs([RELEASE_2004, RELEASE_2004]) == [RELEASE_2004]
        assert store.graph_names() == [RELEASE_2023]
        assert store.dump("nquads", RELEASE_2004) == b""


def test_credentials_in_the_url_answer_a_basic_challenge() -> None:
    """A loopback server that asks for Basic authentication: the store answers with the URL's
    user and password (Digest is tested against Virtuoso, tests/store/test_virtuoso.py)."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cckg.errors import StoreError
    from cckg.store.remote import _split_credentials

    expected = "Basic " + base64.b64encode(b"ann:p@ss").decode()
    seen: list[str | None] = []

    class Guarded(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    assert _split_credentials("http://127.0.0.1:7878") == ("http://127.0.0.1:7878", None)
    split = _split_credentials("http://ann:p%40ss@127.0.0.1:3030/kg")
    assert split == ("http://127.0.0.1:3030/kg", ("ann", "p@ss"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Guarded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        store = SparqlStore.from_location(f"sparql+http://ann:p%40ss@127.0.0.1:{port}/kg")
        assert store.query_url == f"http://127.0.0.1:{port}/kg"
        assert store.query("ASK { ?s ?p ?o }") is True
        assert seen == [None, expected]
        with pytest.raises(StoreError, match="HTTP 401"):
            SparqlStore.from_location(f"sparql+http://ann:wrong@127.0.0.1:{port}/kg").query("ASK {}")
    finally:
        server.shutdown()
        thread.join(10)


def test_one_text_under_two_names_on_a_server(tmp_path: Path) -> None:
    """The hash lookup and the file recorded on the stored release work on a SPARQL server too."""
    pytest.importorskip("cckg.ingest.extract")
    folder = tmp_path / "releases"
    folder.mkdir()
    text = "Hong Kong Customs met Korea Customs Service in Seoul on 1 November 2023.\n"
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(text, encoding="utf-8")
    with oxigraph_server(tmp_path / "server") as url:
        first = run_cli("--store", url, "ingest", "--workers", "1", folder)
        assert "ingested 1, unchanged 0, duplicate 1, failed 0" in first.stderr, first.output
        again = run_cli("--store", url, "ingest", "--workers", "1", folder)
        assert "ingested 0, unchanged 1, duplicate 1, failed 0" in again.stderr, again.output
        content_hash = f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"
        [stored] = SparqlStore(url).releases_with_hash(content_hash)
        assert (stored.release_id, stored.source, stored.also_sources) == ("a", "a.txt", ("b.txt",))
