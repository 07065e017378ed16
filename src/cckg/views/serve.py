"""``cckg serve``: the store as a read-only SPARQL 1.1 Protocol endpoint.

Queries come by ``GET /query?query=...`` or ``POST /query`` (``application/sparql-query`` or a
form with ``query=``); ``/sparql`` and ``/`` answer too.  Results follow the ``Accept`` header:
SPARQL 1.1 results JSON (default), XML, CSV or TSV for SELECT and ASK; Turtle (default),
N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE.  Updates are refused (403).

Each query runs in a worker process that has the store open read-only.  A query still running at
the deadline is answered with 503 and its worker is killed and replaced, so one slow query cannot
hold the endpoint.  Like every cckg query, the default graph is the union of all graphs.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from cckg.errors import CckgError
from cckg.store import QueryResult, QuerySyntaxError, SelectResult, StoreError, open_store

QUERY_PATHS = ("/", "/query", "/sparql")
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
STARTUP_SECONDS = 120.0


class QueryRefused(CckgError):
    """A request the endpoint answers with a 4xx status."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


# --- content negotiation and result formats -----------------------------------------------------


def accepted(header: str | None) -> list[str]:
    """The media types of an ``Accept`` header, most preferred first (``*/*`` when none)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def choose(media_types: list[str], offered: dict[str, str]) -> str | None:
    """The first of ``media_types`` that is ``offered`` (wildcards take the first offered type)."""
    for media in media_types:
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for candidate in offered:
                if media == "*/*" or candidate.startswith(prefix + "/"):
                    return candidate
    return None


def xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result: SelectResult | bool) -> str:
    """SPARQL Query Results XML."""
    lines = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, bool):
        lines += ["  <head/>", f"  <boolean>{'true' if result else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    lines.append("  <head>")
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.rows:
        bindings = "".join(f"<binding name={quoteattr(n)}>{xml_term(t)}</binding>" for n, t in row.items())
        lines.append(f"    <result>{bindings}</result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def render(result: QueryResult, media_types: list[str]) -> tuple[str, bytes]:
    """The result in the best acceptable format: (content type, body).  QueryRefused 406 if none is."""
    from cckg.views import query

    if isinstance(result, rdflib.Graph):
        media = choose(media_types, GRAPH_TYPES)
        if media is None:
            raise QueryRefused(HTTPStatus.NOT_ACCEPTABLE, f"graph results come as {', '.join(GRAPH_TYPES)}")
        return f"{media}; charset=utf-8", result.serialize(format=GRAPH_TYPES[media], encoding="utf-8")
    media = choose(media_types, RESULT_TYPES)
    if media is None:
        raise QueryRefused(HTTPStatus.NOT_ACCEPTABLE, f"results come as {', '.join(RESULT_TYPES)}")
    fmt = RESULT_TYPES[media]
    text = to_xml(result) if fmt == "xml" else query.render(result, fmt)
    return f"{media}; charset=utf-8", text.encode("utf-8")


# --- worker processes ---------------------------------------------------------------------------


def worker_main() -> None:
    """The worker process (``python -c 'from cckg.views.serve import worker_main; worker_main()'
    STORE FD``)."""
    location, fd = sys.argv[1], int(sys.argv[2])
    _worker(location, Connection(fd))


def _worker(location: str, conn: Connection) -> None:
    """Run queries from ``conn`` on the store until the connection closes."""
    try:
        store = open_store(location, read_only=True)
    except StoreError as error:
        conn.send(("error", 500, str(error)))
        return
    conn.send(("ready",))
    while True:
        try:
            sparql, media_types = conn.recv()
        except (EOFError, OSError):
            return
        try:
            content_type, body = render(store.query(sparql), media_types)
            conn.send(("ok", content_type, body))
        except QueryRefused as error:
            conn.send(("error", int(error.status), str(error)))
        except QuerySyntaxError as error:
            conn.send(("error", 400, f"SPARQL syntax error: {error}"))
        except Exception as error:  # the endpoint reports it and keeps serving
            conn.send(("error", 500, f"{type(error).__name__}: {' '.join(str(error).split())}"))


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen[bytes]
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.wait(5)


class WorkerPool:
    """Worker processes with the store open read-only; a query past its deadline kills its worker."""

    def __init__(self, location: str, size: int = 2, timeout: float = 10.0) -> None:
        self.location, self.timeout = location, timeout
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._ready(self._start()))

    def _start(self) -> Worker:
        # A fresh interpreter (not a fork of this threaded server), talking over a socket pair.
        parent, child = socket.socketpair()
        code = "from cckg.views.serve import worker_main; worker_main()"
        process = subprocess.Popen(
            [sys.executable, "-c", code, self.location, str(child.fileno())], pass_fds=(child.fileno(),)
        )
        child.close()
        worker = Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _ready(self, worker: Worker) -> Worker:
        if not worker.conn.poll(STARTUP_SECONDS):
            raise StoreError(f"store {self.location}: the query worker did not start")
        message = worker.conn.recv()
        if message[0] != "ready":
            raise StoreError(message[2])
        return worker

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def start() -> None:
            with suppress(StoreError, EOFError, OSError):
                self._idle.put(self._ready(self._start()))

        threading.Thread(target=start, daemon=True).start()

    def run(self, sparql: str, media_types: list[str]) -> tuple[int, str, bytes]:
        """(status, content type, body) for one query, within the deadline."""
        timed_out = (503, "text/plain; charset=utf-8", f"query timed out after {self.timeout:g} s\n".encode())
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return timed_out
        try:
            worker.conn.send((sparql, media_types))
            answered = worker.conn.poll(self.timeout)
            message = worker.conn.recv() if answered else None
        except (EOFError, OSError):
            message, answered = None, False
        if not answered or message is None:
            self._replace(worker)
            return timed_out
        self._idle.put(worker)
        if message[0] == "ok":
            return 200, message[1], message[2]
        return message[1], "text/plain; charset=utf-8", (message[2] + "\n").encode("utf-8")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


# --- HTTP ---------------------------------------------------------------------------------------


def _is_update(text: str) -> bool:
    from cckg.views.query import _is_update as parses_as_update

    return parses_as_update(text)


def query_from_request(method: str, path: str, headers: Any, body: bytes) -> str:
    """The SPARQL query of a request (SPARQL 1.1 Protocol); QueryRefused for anything else."""
    url = urllib.parse.urlsplit(path)
    if url.path not in QUERY_PATHS:
        raise QueryRefused(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; queries go to /query")
    params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method == "POST":
        if content_type == "application/sparql-update":
            raise QueryRefused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if content_type == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8"))
        elif content_type == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            problem = f"unsupported content type {content_type!r}"
            raise QueryRefused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, problem)
    if "update" in params:
        raise QueryRefused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
    if "default-graph-uri" in params or "named-graph-uri" in params:
        problem = "default-graph-uri and named-graph-uri are not supported; use FROM in the query"
        raise QueryRefused(HTTPStatus.BAD_REQUEST, problem)
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise QueryRefused(HTTPStatus.BAD_REQUEST, "give exactly one query (query=...)")
    return queries[0]


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length) if length else b"")

    def do_OPTIONS(self) -> None:
        self._send(204, "text/plain", b"", {"Access-Control-Allow-Methods": "GET, POST, OPTIONS"})

    def do_PUT(self) -> None:
        self._refuse_write()

    def do_DELETE(self) -> None:
        self._refuse_write()

    def _refuse_write(self) -> None:
        self._send(405, "text/plain; charset=utf-8", b"this endpoint is read-only\n", {"Allow": "GET, POST"})

    def _answer(self, body: bytes) -> None:
        try:
            sparql = query_from_request(self.command, self.path, self.headers, body)
        except (QueryRefused, UnicodeDecodeError) as error:
            status = error.status if isinstance(error, QueryRefused) else HTTPStatus.BAD_REQUEST
            self._send(int(status), "text/plain; charset=utf-8", f"{error}\n".encode())
            return
        status, content_type, payload = self.server.pool.run(sparql, accepted(self.headers.get("Accept")))
        if status == 400 and _is_update(sparql):
            status, payload = 403, b"this endpoint is read-only: updates are refused\n"
        self._send(status, content_type, payload)

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            super().log_message(format, *args)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], pool: WorkerPool, log: bool = True) -> None:
        self.pool, self.log = pool, log
        super().__init__(address, SparqlHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/query"


@contextmanager
def serving(
    location: str, host: str = "127.0.0.1", port: int = 7879, timeout: float = 10.0, workers: int = 2,
    log: bool = True,
) -> Iterator[SparqlServer]:
    """A SPARQL endpoint over the store at ``location`` (not yet serving: call ``serve_forever``)."""
    with open_store(location, read_only=True):
        pass  # fail early, in this process, when the store is missing
    pool = WorkerPool(location, size=workers, timeout=timeout)
    try:
        server = SparqlServer((host, port), pool, log=log)
    except OSError:
        pool.close()
        raise
    try:
        yield server
    finally:
        server.server_close()
        pool.close()
