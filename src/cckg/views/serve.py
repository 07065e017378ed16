"""``cckg serve``: the store as a read-only SPARQL 1.1 Protocol endpoint.

Queries come by ``GET /query?query=...`` or ``POST /query`` (``application/sparql-query`` or a
form with ``query=``); ``/sparql`` and ``/`` answer too.  Results follow the ``Accept`` header:
SPARQL 1.1 results JSON (default), XML, CSV or TSV for SELECT and ASK; Turtle (default),
N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE.  Updates are refused (403).

Each query runs in a worker process that has the store open read-only.  A query still running at
the deadline is answered with 503 and its worker is killed and replaced, so one slow query cannot
hold the endpoint.  Like every cckg query, the default graph is the merged graph (each triple once).

How requests are taken (body and result limits, CORS, the Host check) is
:mod:`cckg.views.protocol`; a query with ``SERVICE`` is refused (403) unless its host is allowed.
A request the endpoint refuses gets a 4xx answer and one line in the log, never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox
import rdflib

from cckg import escape, jsonld
from cckg.errors import CckgError, QueryError, QuerySyntaxError, ResultTooLarge
from cckg.namespaces import PREFIXES
from cckg.sparql import MEDIA_TYPES, QueryResult, check_service, is_update, write_results
from cckg.store import open_store
from cckg.views import describe
from cckg.views.protocol import Policy, QueryRefused, check_host, cors_headers, read_body
from cckg.views.workers import QueryTimeout, WorkerPool

QUERY_PATHS = ("/", "/query", "/sparql")
DESCRIPTION_PATHS = ("/void", "/.well-known/void")
HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
#: The media types of SELECT and ASK results (the SPARQL 1.1 ones first), by format.
RESULT_TYPES = {
    **{media: fmt for fmt, media in MEDIA_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


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


def graph_document(graph: rdflib.Graph, rdflib_format: str) -> bytes:
    """A graph in an RDF format; JSON-LD compacted with the cckg context, Turtle with prefixes and
    every literal as it was written (``8000000``, not ``8000000.0``)."""
    if rdflib_format == "json-ld":
        return jsonld.serialize(graph).encode("utf-8")
    if rdflib_format == "turtle":
        triples = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        prefixes = {k: str(v) for k, v in PREFIXES.items() if k not in ("id", "sh", "cckgsh")}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def render(result: QueryResult, media_types: list[str]) -> tuple[str, bytes]:
    """The result in the best acceptable format: (content type, body).  QueryRefused 406 if none is."""
    if isinstance(result, rdflib.Graph):
        media = choose(media_types, GRAPH_TYPES)
        if media is None:
            raise QueryRefused(HTTPStatus.NOT_ACCEPTABLE, f"graph results come as {', '.join(GRAPH_TYPES)}")
        return f"{media}; charset=utf-8", graph_document(result, GRAPH_TYPES[media])
    media = choose(media_types, RESULT_TYPES)
    if media is None:
        raise QueryRefused(HTTPStatus.NOT_ACCEPTABLE, f"results come as {', '.join(RESULT_TYPES)}")
    fmt = RESULT_TYPES[media]
    return f"{media}; charset=utf-8", write_results(result, fmt).encode("utf-8")


# --- HTTP ---------------------------------------------------------------------------------------


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


TEXT = "text/plain; charset=utf-8"
ALLOW = "GET, HEAD, POST, OPTIONS"


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # a request line that is not HTTP is answered with a status

    def setup(self) -> None:
        self.timeout = self.server.policy.request_timeout  # for each read of the request
        super().setup()

    def do_GET(self) -> None:
        self._answer(b"")

    def do_HEAD(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        try:
            body = read_body(self.headers, self.rfile, self.server.policy.max_body)
        except QueryRefused as error:
            self.close_connection = True  # what is left of the body is not a request
            self._refuse(error)
            return
        self._answer(body)

    def do_OPTIONS(self) -> None:
        extra = {"Allow": ALLOW, **self._cors()}
        if "Access-Control-Allow-Origin" in extra:
            extra["Access-Control-Allow-Methods"] = ALLOW
            extra["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        self._send(204, TEXT, b"", extra)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # any other method: PUT, DELETE, PATCH, ...
            return self._refuse_method
        raise AttributeError(name)

    def _refuse_method(self) -> None:
        self.close_connection = True
        problem = f"{self.command} is not allowed: this endpoint is read-only"
        self._refuse(QueryRefused(HTTPStatus.METHOD_NOT_ALLOWED, problem), {"Allow": ALLOW})

    def _cors(self) -> dict[str, str]:
        return cors_headers(self.headers.get("Origin"), self.server.policy.cors)

    def _answer(self, body: bytes) -> None:
        try:
            check_host(self.headers.get("Host"), *self.server.server_address[:2])
        except QueryRefused as error:
            self._refuse(error)
            return
        if self._describes():
            status, content_type, payload = self._description()
            reason = payload.decode() if status >= 400 else None
            self._send(status, content_type, payload, self._cors(), reason)
            return
        try:
            sparql = query_from_request(self.command, self.path, self.headers, body)
        except QueryRefused as error:
            self._refuse(error)
            return
        except UnicodeDecodeError:
            self._refuse(QueryRefused(HTTPStatus.BAD_REQUEST, "the query is not UTF-8 text"))
            return
        status, content_type, payload = self._run(sparql)
        self._send(status, content_type, payload, self._cors(), payload.decode() if status >= 400 else None)

    def _describes(self) -> bool:
        """A GET of the endpoint with no query, or of /void: the service and dataset description."""
        url = urllib.parse.urlsplit(self.path)
        if self.command not in ("GET", "HEAD"):
            return False
        return url.path in DESCRIPTION_PATHS or (url.path in QUERY_PATHS and not url.query)

    def _endpoint(self) -> str:
        """The endpoint's URL as this request reached it (the Host header when it is a plain host)."""
        host = self.headers.get("Host") or ""
        if not HOST.fullmatch(host):
            address, port = self.server.server_address[:2]
            host = f"{address}:{port}"
        path = urllib.parse.urlsplit(self.path).path
        return f"http://{host}{path if path in QUERY_PATHS and path != '/' else '/query'}"

    def _description(self) -> tuple[int, str, bytes]:
        text = "text/plain; charset=utf-8"
        media = choose(accepted(self.headers.get("Accept")), GRAPH_TYPES)
        if media is None:
            return 406, text, f"descriptions come as {', '.join(GRAPH_TYPES)}\n".encode()
        try:
            stats = self.server.statistics()
        except (QueryTimeout, CckgError) as error:
            return 503, text, f"cannot describe the dataset now: {' '.join(str(error).split())}\n".encode()
        graph = describe.describe(self._endpoint(), stats)
        return 200, f"{media}; charset=utf-8", graph_document(graph, GRAPH_TYPES[media])

    def _run(self, sparql: str) -> tuple[int, str, bytes]:
        """(status, content type, body) of the answer to one query."""
        try:
            check_service(sparql, self.server.policy.allow_service)
            result = self.server.pool.run(sparql)
            return (200, *render(result, accepted(self.headers.get("Accept"))))
        except QueryTimeout as error:
            return 503, TEXT, f"{error}\n".encode()
        except QueryRefused as error:
            return int(error.status), TEXT, f"{error}\n".encode()
        except (ResultTooLarge, QueryError) as error:
            return 403, TEXT, f"{error}\n".encode()
        except QuerySyntaxError as error:
            if is_update(sparql):
                return 403, TEXT, b"this endpoint is read-only: updates are refused\n"
            return 400, TEXT, f"SPARQL syntax error: {error}\n".encode()
        except CckgError as error:  # the endpoint reports it and keeps serving
            return 500, TEXT, f"{' '.join(str(error).split())}\n".encode()

    def _refuse(self, error: QueryRefused, extra: dict[str, str] | None = None) -> None:
        headers = {**self._cors(), **(extra or {})}
        self._send(int(error.status), TEXT, f"{error}\n".encode(), headers, str(error))

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        extra: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        """Send an answer and log it in one line (a refusal with its reason)."""
        self.send_response_only(status)
        self.send_header("Server", "cckg")
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.log_message('"%s" %d %s', self.requestline, status, reason or len(body))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Not used: :meth:`_send` logs each answer, and a malformed request is logged by
        :meth:`log_error` in one line."""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            line = escape.one_line(format % args)
            sys.stderr.write(f"{self.address_string()} - - [{self.log_date_time_string()}] {line}\n")


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], pool: WorkerPool, log: bool = True, policy: Policy | None = None
    ) -> None:
        self.pool, self.log, self.policy = pool, log, policy or Policy()
        self._statistics: describe.Statistics | None = None
        self._lock = threading.Lock()
        super().__init__(address, SparqlHandler)

    def statistics(self) -> describe.Statistics:
        """The dataset's statistics, counted once (the store is read-only while it is served)."""
        with self._lock:
            if self._statistics is None:
                self._statistics = describe.statistics(self.pool.run)
            return self._statistics

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/query"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that broke off (the client went away, ...): one line, a traceback only with
        ``--debug``."""
        error = sys.exc_info()[1]
        if self.log:
            problem = escape.one_line(f"{type(error).__name__}: {error}")
            sys.stderr.write(f"{client_address[0]} - - request failed: {problem}\n")
        if os.environ.get("CCKG_DEBUG"):
            traceback.print_exc()


@contextmanager
def serving(
    location: str,
    host: str = "127.0.0.1",
    port: int = 7879,
    timeout: float = 10.0,
    workers: int = 2,
    log: bool = True,
    policy: Policy | None = None,
) -> Iterator[SparqlServer]:
    """A SPARQL endpoint over the store at ``location`` (not yet serving: call ``serve_forever``),
    with the limits and guards of ``policy``."""
    policy = policy or Policy()
    with open_store(location, read_only=True):
        pass  # fail early, in this process, when the store is missing
    pool = WorkerPool(location, size=workers, timeout=timeout, max_results=policy.max_results)
    try:
        server = SparqlServer((host, port), pool, log=log, policy=policy)
    except OSError:
        pool.close()
        raise
    try:
        yield server
    finally:
        server.server_close()
        pool.close()
