"""Every row of docs/bad-input.md, for real: the input made, the command run through the ``cckg``
entry point (or real HTTP requests to an endpoint on 127.0.0.1), the answer and the exit status
(or HTTP status) checked against the row."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from cckg.store import OxigraphStore
from cckg.views.protocol import Policy
from cckg.views.serve import SparqlServer, serving
from conftest import REPO, load_fixtures, run_cli

DOC = REPO / "docs" / "bad-input.md"
ROW = re.compile(r"^\| (?P<case>[a-z0-9-]+) \| .+? \| .+? \| `(?P<says>.+)` \| (?P<status>\d+) \|$")
SEED = REPO / "data" / "releases" / "001_c98b5c3fca22d16e.txt"
ZH = "香港海关与韩国关税厅今日在首尔举行第三十四届海关合作会议，双方就打击毒品走私及洗钱交换情报。\n" * 3


@dataclass(frozen=True)
class Row:
    case: str
    says: str
    status: int


def table() -> dict[str, Row]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            rows[match["case"]] = Row(match["case"], match["says"], int(match["status"]))
    return rows


#: What one row does: make the input in the folder given, run the command, and give back the exit
#: status (or HTTP status) and the text the row's answer must be found in.
Case = Callable[[Path], tuple[int, str]]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        CASES[name] = function
        return function

    return register


def test_every_row_has_a_case_and_every_case_a_row() -> None:
    assert sorted(table()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(table()))
def test_row(name: str, tmp_path: Path) -> None:
    row = table()[name]
    status, text = CASES[name](tmp_path)
    assert row.says in text, f"{name}: {row.says!r} not in {text[-2000:]!r}"
    assert status == row.status, f"{name}: status {status}, not {row.status}: {text[-2000:]}"
    assert "Traceback" not in text


# --- release files -------------------------------------------------------------------------------


def release_folder(tmp: Path, files: dict[str, str | bytes]) -> Path:
    """A folder holding the seed release 001 (which must come through every time) and ``files``."""
    folder = tmp / "releases"
    folder.mkdir(exist_ok=True)
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def ingest(tmp: Path, *args: str | Path) -> tuple[int, str]:
    """``cckg ingest ARGS``; the good seed release must be stored whatever else failed."""
    result = run_cli("--store", tmp / "store", "ingest", *args)
    stored = run_cli("--store", tmp / "store", "dump", "--graph", SEED.stem).exit_code == 0
    if not stored:
        return -1, f"the good release was not stored: {result.stderr}"
    return result.exit_code, result.stderr


@case("empty")
def _empty(tmp: Path) -> tuple[int, str]:
    return ingest(tmp, release_folder(tmp, {"empty.txt": "  \n\n"}))


@case("binary")
def _binary(tmp: Path) -> tuple[int, str]:
    return ingest(tmp, release_folder(tmp, {"binary.txt": b"\xff\xfe%PDF-1.4 \x00\x01"}))


@case("missing")
def _missing(tmp: Path) -> tuple[int, str]:
    return ingest(tmp, release_folder(tmp, {}), tmp / "nowhere.txt")


@case("too-large")
def _too_large(tmp: Path) -> tuple[int, str]:
    return ingest(tmp, release_folder(tmp, {"big.txt": b"Customs. " * 116_266 + b"x" * 6}))


@case("long-html")
def _long_html(tmp: Path) -> tuple[int, str]:
    page = "<html><body>" + "<p>word</p>" * 210_000 + "</body></html>"
    return ingest(tmp, release_folder(tmp, {"long.html": page}))


@case("fifo")
def _fifo(tmp: Path) -> tuple[int, str]:
    folder = release_folder(tmp, {})
    os.mkfifo(folder / "fifo.txt")
    return ingest(tmp, folder)


@case("device")
def _device(tmp: Path) -> tuple[int, str]:
    folder = release_folder(tmp, {})
    (folder / "zero.txt").symlink_to("/dev/zero")
    return ingest(tmp, folder)


@case("socket")
def _socket(tmp: Path) -> tuple[int, str]:
    folder = release_folder(tmp, {})
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "socket.txt"))
        return ingest(tmp, folder)


@case("folder")
def _folder(tmp: Path) -> tuple[int, str]:
    folder = release_folder(tmp, {})
    locked = folder / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text("A release.\n")
    locked.chmod(0)
    try:
        return unprivileged_cckg(tmp, "extract", str(folder))
    finally:
        locked.chmod(0o755)


def unprivileged_cckg(tmp: Path, *args: str) -> tuple[int, str]:
    """``cckg ARGS`` as a user whose power over files does not reach past their modes: this user,
    or, for root, root in a user namespace of its own (where it is no one in particular)."""
    command = [sys.executable, "-m", "cckg", *args]
    if os.geteuid() != 0:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return done.returncode, done.stderr
    parents = {p: p.stat().st_mode for p in tmp.parents if p != Path("/")}
    try:
        for parent in parents:
            parent.chmod(parent.stat().st_mode | 0o005)
        done = subprocess.run(["unshare", "--user", *command], capture_output=True, text=True, check=False)
    finally:
        for parent, mode in parents.items():
            parent.chmod(mode)
    if done.returncode != 0 and done.stderr.startswith("unshare"):
        pytest.skip(f"no user namespaces here: {done.stderr.strip()}")
    return done.returncode, done.stderr


@case("chinese")
def _chinese(tmp: Path) -> tuple[int, str]:
    status, stderr = ingest(tmp, release_folder(tmp, {"zh.txt": ZH}))
    result = run_cli("--store", tmp / "store", "dump", "--graph", "zh", "--format", "nt")
    language = '<http://purl.org/dc/terms/language> "zh"' in result.stdout
    agencies = "https://w3id.org/cckg/ns#Agency" in result.stdout
    return status, stderr if language and not agencies else f"stored as: {result.stdout}"


@case("iframe")
def _iframe(tmp: Path) -> tuple[int, str]:
    page = tmp / "page.html"
    page.write_text(
        "<html><body><h1>Customs meet</h1><p>The Korea Customs Service met the press today.</p>"
        "<iframe src='https://example.org/embed'>The World Customs Organization and Interpol signed a "
        "Memorandum of Understanding on drug trafficking.</iframe>"
        "<noscript>Europol signed an agreement.</noscript></body></html>"
    )
    result = run_cli("extract", page)
    return result.exit_code, result.stdout if "Interpol" not in result.stdout else "Interpol read"


@case("duplicate-id")
def _duplicate_id(tmp: Path) -> tuple[int, str]:
    other = tmp / "other"
    other.mkdir()
    (other / SEED.name).write_text("Hong Kong Customs met the Korea Customs Service on May 3, 2024.\n")
    result = run_cli("--store", tmp / "store", "ingest", release_folder(tmp, {}), other)
    return result.exit_code, result.stderr


@case("same-text")
def _same_text(tmp: Path) -> tuple[int, str]:
    return ingest(tmp, release_folder(tmp, {"copy.txt": SEED.read_bytes()}))


@case("report")
def _report(tmp: Path) -> tuple[int, str]:
    report = tmp / "problems.jsonl"
    status, stderr = ingest(tmp, "--report", report, release_folder(tmp, {"binary.txt": b"\xff"}))
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return status, json.dumps(lines[0]) if len(lines) == 1 else f"report: {lines} ({stderr})"


# --- a full disk: tests/disk_full.py in a user and mount namespace ---------------------------------


@cache
def disk_full() -> dict[str, object]:
    """What tests/disk_full.py saw (run once for the rows and the test that use it)."""
    work = tempfile.mkdtemp(prefix="cckg-disk-full-")
    done = subprocess.run(
        ["unshare", "-rm", sys.executable, str(REPO / "tests" / "disk_full.py"), work],
        capture_output=True, text=True, check=False,
    )
    shutil.rmtree(work, ignore_errors=True)
    if done.returncode != 0 and done.stderr.startswith("unshare"):
        pytest.skip(f"no user and mount namespaces here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def full_disk() -> dict[str, object]:
    return disk_full()


def test_a_full_disk_loses_nothing_stored_and_reports_the_rest(full_disk: dict) -> None:
    ingested = full_disk["ingest"]
    summary = ingested["stderr"].strip().splitlines()[-1]
    counts = dict(re.findall(r"(ingested|failed) (\d+)", summary))
    assert int(counts["ingested"]) >= 1 and int(counts["failed"]) >= 1, summary
    assert int(counts["ingested"]) + int(counts["failed"]) == 8
    assert len(full_disk["stored"]) == int(counts["ingested"]), "what was counted as stored is stored"
    failed = [line for line in ingested["stderr"].splitlines() if "not stored: the disk is full" in line]
    assert len(failed) == int(counts["failed"])
    report = [json.loads(line) for line in full_disk["report"]]
    assert [r["message"] for r in report if r["outcome"] == "failed"] == [f[len("cckg: "):] for f in failed]
    assert full_disk["unreserved_lost"] == 3, "a log with no room set aside says its lines are lost"
    assert full_disk["writable_after"] is True


@case("disk-full")
def _disk_full(tmp: Path) -> tuple[int, str]:
    result = disk_full()["ingest"]
    return result["exit"], result["stderr"]  # type: ignore[index,return-value]


@case("disk-full-open")
def _disk_full_open(tmp: Path) -> tuple[int, str]:
    result = disk_full()["reopen"]
    return result["exit"], result["stderr"]  # type: ignore[index,return-value]


# --- what a release says, shown ----------------------------------------------------------------------

HOSTILE = (
    "Customs \x1b[2J\x1b]8;;http://evil.example\x07meet <script>alert(1)</script> "
    "[x](javascript:alert(1))\n\n"
    "Hong Kong Customs met the Korea Customs Service in Seoul on November 1, 2023.\n"
)


def hostile_store(tmp: Path) -> Path:
    (tmp / "in").mkdir()
    (tmp / "in" / "hostile.txt").write_text(HOSTILE)
    result = run_cli("--store", tmp / "store", "ingest", tmp / "in")
    assert result.exit_code == 0, result.stderr
    return tmp / "store"


@case("terminal")
def _terminal(tmp: Path) -> tuple[int, str]:
    result = run_cli("--store", hostile_store(tmp), "query", "releases")
    return result.exit_code, result.stdout if "\x1b" not in result.stdout else "raw ESC written"


@case("terminal-show")
def _terminal_show(tmp: Path) -> tuple[int, str]:
    result = run_cli("--store", hostile_store(tmp), "show", "id:release/hostile")
    return result.exit_code, result.stdout if "\x1b" not in result.stdout else "raw ESC written"


@case("markdown")
def _markdown(tmp: Path) -> tuple[int, str]:
    result = run_cli("--store", hostile_store(tmp), "query", "releases", "--format", "markdown")
    raw = "<script>" in result.stdout or "](javascript" in result.stdout
    return result.exit_code, result.stdout if not raw else "raw markup written"


@case("param")
def _param(tmp: Path) -> tuple[int, str]:
    store_on_disk(tmp)
    value = 'x" } UNION { ?partner ?p ?o } #'
    result = run_cli("--store", tmp / "store", "query", "partners", "--param", f"agency={value}")
    return result.exit_code, result.stdout


# --- RDF and SPARQL -----------------------------------------------------------------------------------


@case("turtle")
def _turtle(tmp: Path) -> tuple[int, str]:
    (tmp / "broken.ttl").write_text("<a> <b> .\n")
    result = run_cli("validate", tmp / "broken.ttl")
    return result.exit_code, result.stderr


@case("jsonld-context")
def _jsonld_context(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        (tmp / "remote.jsonld").write_text(
            '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a", "name": "x"}'
        )
        again = tmp / "silent.jsonld"
        again.write_text(json.dumps({"@context": {"@import": f"http://127.0.0.1:{port}/c"}, "@id": "http://e/a"}))
        silent = run_cli("validate", again)
        assert silent.exit_code == 2 and "is refused" in silent.stderr, silent.stderr
    result = run_cli("validate", tmp / "remote.jsonld")
    return result.exit_code, result.stderr


@case("shapes-service")
def _shapes_service(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        (tmp / "shapes.ttl").write_text(
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "<http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;\n"
            f'  sh:sparql [ sh:select """SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{port}/> '
            '{ ?s ?p ?o } }""" ] .\n'
        )
        (tmp / "data.ttl").write_text("<http://example.org/a> a <http://example.org/C> .\n")
        result = run_cli("validate", "--shapes", tmp / "shapes.ttl", tmp / "data.ttl")
    return result.exit_code, result.stderr


def store_on_disk(tmp: Path) -> Path:
    with OxigraphStore(tmp / "store") as store:
        load_fixtures(store)
    return tmp / "store"


@case("syntax")
def _syntax(tmp: Path) -> tuple[int, str]:
    (tmp / "bad.rq").write_text("SELECT * WHERE { ?s }\n")
    result = run_cli("--store", store_on_disk(tmp), "query", tmp / "bad.rq")
    return result.exit_code, result.stderr


@case("update")
def _update(tmp: Path) -> tuple[int, str]:
    result = run_cli("--store", store_on_disk(tmp), "query", "-", input="DROP ALL")
    return result.exit_code, result.stderr


SERVICE = "SELECT * WHERE {{ SERVICE <http://{host}/sparql> {{ ?s ?p ?o }} }}"


@case("service")
def _service(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        query = SERVICE.format(host=f"127.0.0.1:{port}")
        result = run_cli("--store", store_on_disk(tmp), "query", "-", input=query)
    return result.exit_code, result.stderr


@case("service-host")
def _service_host(tmp: Path) -> tuple[int, str]:
    query = SERVICE.format(host="127.0.0.1:9")
    args = ("--store", store_on_disk(tmp), "query", "--allow-service", "other.example", "-")
    result = run_cli(*args, input=query)
    return result.exit_code, result.stderr


@case("silent-service")
def _silent_service(tmp: Path) -> tuple[int, str]:
    store = store_on_disk(tmp)
    with silent_server() as port:
        query = SERVICE.format(host=f"127.0.0.1:{port}")
        args = ("--store", store, "--http-timeout", "1", "query", "--allow-service", f"127.0.0.1:{port}", "-")
        result = run_cli(*args, input=query)
    return result.exit_code, result.stderr


@case("silent-store")
def _silent_store(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        result = run_cli("--store", f"http://127.0.0.1:{port}", "--http-timeout", "1", "query", "agencies")
    return result.exit_code, result.stderr


@case("remote-timeout")
def _remote_timeout(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        result = run_cli("--store", f"http://127.0.0.1:{port}", "query", "--timeout", "1", "agencies")
    return result.exit_code, result.stderr


class silent_server:
    """A socket on 127.0.0.1 that accepts connections and never answers; its port."""

    def __enter__(self) -> int:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()
        return int(self.socket.getsockname()[1])

    def _accept(self) -> None:
        self.socket.settimeout(0.2)
        while not self.stop.is_set():
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                continue

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for connection in self.held:
            connection.close()
        self.socket.close()


# --- the endpoint ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    store = store_on_disk(tmp_path_factory.mktemp("endpoint"))
    policy = Policy(max_results=2, max_body=1000, request_timeout=5)
    with serving(str(store), "127.0.0.1", 0, timeout=10, workers=1, log=False, policy=policy) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        ENDPOINT.append(server)
        yield server
        server.shutdown()
        thread.join(30)
        ENDPOINT.clear()


ENDPOINT: list[SparqlServer] = []


@pytest.fixture(autouse=True)
def _endpoint_for_serve_rows(request: pytest.FixtureRequest) -> None:
    if "serve-" in request.node.name:
        request.getfixturevalue("endpoint")


def raw(data: bytes, *, close_write: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Send ``data`` as it is to the endpoint; its answer (status, headers, body)."""
    host, port = ENDPOINT[0].server_address[:2]
    with socket.create_connection((host, port), timeout=30) as connection:
        connection.sendall(data)
        if close_write:
            connection.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(connection, method="HEAD" if data.startswith(b"HEAD") else None)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def post(body: bytes, content_type: str = "application/sparql-query", headers: str = "") -> bytes:
    host, port = ENDPOINT[0].server_address[:2]
    head = f"POST /query HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n{headers}"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def get(sparql: str, method: str = "GET", host: str | None = None) -> bytes:
    address, port = ENDPOINT[0].server_address[:2]
    query = urllib.parse.urlencode({"query": sparql})
    return f"{method} /query?{query} HTTP/1.1\r\nHost: {host or f'{address}:{port}'}\r\n\r\n".encode()


def answer(status: int, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    return status, body.decode("utf-8", "replace")


@case("serve-service")
def _serve_service(tmp: Path) -> tuple[int, str]:
    with silent_server() as port:
        return answer(*raw(get(SERVICE.format(host=f"127.0.0.1:{port}"))))


@case("serve-cors")
def _serve_cors(tmp: Path) -> tuple[int, str]:
    status, headers, _ = raw(post(b"ASK {}", headers="Origin: https://evil.example\r\n"))
    allowed = "access-control-allow-origin" in headers
    return status, "Access-Control-Allow-Origin sent" if allowed else "no Access-Control-Allow-Origin"


@case("serve-rows")
def _serve_rows(tmp: Path) -> tuple[int, str]:
    return answer(*raw(get("SELECT * WHERE { ?s ?p ?o }")))


@case("serve-body")
def _serve_body(tmp: Path) -> tuple[int, str]:
    return answer(*raw(post(b"ASK {} #" + b"x" * 1992)))


@case("serve-length")
def _serve_length(tmp: Path) -> tuple[int, str]:
    data = post(b"ASK {}").replace(b"Content-Length: 6", b"Content-Length: ten")
    return answer(*raw(data))


@case("serve-short")
def _serve_short(tmp: Path) -> tuple[int, str]:
    data = post(b"ASK {}")[:-6].replace(b"Content-Length: 6", b"Content-Length: 50") + b"ASK {"
    return answer(*raw(data, close_write=True))


@case("serve-chunked")
def _serve_chunked(tmp: Path) -> tuple[int, str]:
    host, port = ENDPOINT[0].server_address[:2]
    data = (
        f"POST /query HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/sparql-query\r\n"
        "Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n"
    )
    return answer(*raw(data.encode()))


@case("serve-utf8")
def _serve_utf8(tmp: Path) -> tuple[int, str]:
    return answer(*raw(post(b"ASK { ?s ?p \"\xff\" }")))


@case("serve-method")
def _serve_method(tmp: Path) -> tuple[int, str]:
    return answer(*raw(get("ASK {}", method="PATCH")))


@case("serve-host")
def _serve_host(tmp: Path) -> tuple[int, str]:
    return answer(*raw(get("ASK {}", host="evil.example")))


@case("serve-head")
def _serve_head(tmp: Path) -> tuple[int, str]:
    status, headers, body = raw(get("ASK {}", method="HEAD"))
    length = int(headers["content-length"])
    return status, "no body" if not body and length > 0 else f"body {body!r}, length {length}"


@case("serve-update")
def _serve_update(tmp: Path) -> tuple[int, str]:
    return answer(*raw(post(b"DROP ALL", "application/sparql-update")))


@case("serve-line")
def _serve_line(tmp: Path) -> tuple[int, str]:
    return answer(*raw(b"garbage\r\n\r\n"))
