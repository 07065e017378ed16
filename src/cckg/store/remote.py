"""A remote store: any SPARQL 1.1 server, over the SPARQL 1.1 Protocol and Graph Store Protocol.

``--store URL`` names the server.  A plain ``http(s)://`` URL is an Oxigraph server (``oxigraph
serve``); a ``KIND+`` prefix picks another server's endpoint layout under the URL given:

=============================================  ===============  ================  ======================
store                                          query            update            graph store (reads)
=============================================  ===============  ================  ======================
``http://host:7878`` (``oxigraph+http://``)    ``/query``       ``/update``       ``/store``
``fuseki+http://host:3030/DATASET``            ``/query``       ``/update``       ``/data``
``graphdb+http://host:7200/repositories/ID``   (the URL)        ``/statements``   ``/rdf-graphs/service``
``virtuoso+http://host:8890``                  ``/sparql``      ``/sparql``       ``/sparql-graph-crud``
``sparql+http://host/ENDPOINT``                (the URL)        (the URL)         none (CONSTRUCT)
=============================================  ===============  ================  ======================

cckg's queries read the store's merged graph (the set of the triples of all named graphs, kept by
every write: :mod:`cckg.store.base`) as their default graph.  On Oxigraph and Fuseki it is the
server's real default graph (so a Fuseki dataset must not set ``tdb2:unionDefaultGraph``).  GraphDB
and Virtuoso read all graphs as the default graph, so there it is the named graph
:data:`~cckg.store.base.MERGED_GRAPH`, which each query asks for as its default graph with the
protocol's ``default-graph-uri`` parameter (and the graphs cckg lists, counts and dumps leave it
out); a plain ``sparql+`` endpoint is treated the same way.  ``user:password@`` in the URL is
answered to the server's challenge, HTTP Basic or Digest (Virtuoso's ``/sparql-auth``, which a
Virtuoso store with credentials uses for queries, updates and graph reads).

Some servers answer in the first media type listed whatever the query (Virtuoso ignores
q-values), so the ``Accept`` header names only the types of the query's form: SPARQL results JSON
for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE.  Virtuoso also keeps graphs of its own
(``virtrdf:`` and others) in the store: the graphs cckg lists, counts and dumps are only those
named under ``https://w3id.org/cckg/`` (:data:`OWN_GRAPHS`) on such a server.

Every request has a timeout (:func:`http_timeout`: ``--http-timeout``, else ``$CCKG_HTTP_TIMEOUT``,
else 30 s) on connecting and on each wait for the server, so a server that accepts a connection
and never answers is reported, not waited for.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.term import URIRef

from cckg.errors import QuerySyntaxError, StoreError
from cckg.namespaces import CCKG_BASE
from cckg.sparql import QueryResult, SelectResult, query_form, read_results, sparql_term
from cckg.store.base import (
    MERGED_GRAPH,
    UPGRADE_NOTE,
    Store,
)
from cckg.store.oxigraph import dump_dataset, from_ox

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: What to accept for each query form (one type each, see the module docs).
ACCEPT = {"SELECT": RESULTS_JSON, "ASK": RESULTS_JSON, "CONSTRUCT": N_TRIPLES, "DESCRIBE": N_TRIPLES}
#: On servers that keep graphs of their own, the graphs that are cckg's.
OWN_GRAPHS = CCKG_BASE
DEFAULT_TIMEOUT = 30.0
HTTP_TIMEOUT_ENV = "CCKG_HTTP_TIMEOUT"


def http_timeout(seconds: float | None = None) -> float:
    """The timeout of every network request: ``seconds``, else ``$CCKG_HTTP_TIMEOUT``, else 30 s."""
    if seconds is None:
        text = os.environ.get(HTTP_TIMEOUT_ENV, "").strip()
        try:
            seconds = float(text) if text else DEFAULT_TIMEOUT
        except ValueError:
            raise StoreError(f"{HTTP_TIMEOUT_ENV}={text!r} is not a number of seconds") from None
    if not seconds > 0:
        raise StoreError(f"the HTTP timeout must be a positive number of seconds, not {seconds:g}")
    return seconds


@dataclass(frozen=True)
class ServerLayout:
    """Where a kind of server keeps its endpoints, as paths under the store URL."""

    query: str
    update: str
    graph_store: str | None
    merged_graph: URIRef | None = None  # the merged graph: the default graph (None), or a named graph
    authenticated: tuple[str, str, str | None] | None = None  # query, update, graph store with credentials
    system_graphs: bool = False  # the server keeps graphs of its own beside cckg's


SERVER_LAYOUTS: dict[str, ServerLayout] = {
    "oxigraph": ServerLayout("/query", "/update", "/store"),
    "fuseki": ServerLayout("/query", "/update", "/data"),
    "graphdb": ServerLayout("", "/statements", "/rdf-graphs/service", MERGED_GRAPH),
    "virtuoso": ServerLayout(
        "/sparql",
        "/sparql",
        "/sparql-graph-crud",
        MERGED_GRAPH,
        authenticated=("/sparql-auth", "/sparql-auth", "/sparql-graph-crud-auth"),
        system_graphs=True,
    ),
    "sparql": ServerLayout("", "", None, MERGED_GRAPH),
}

_REMOTE = re.compile(r"^(?:(?P<kind>[a-z]+)\+)?(?P<url>https?://\S+)$", re.IGNORECASE)


def is_remote(location: str) -> bool:
    """Whether ``location`` names a SPARQL server (``http(s)://`` or ``KIND+http(s)://``)."""
    return _REMOTE.match(location) is not None


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without ``user:password@``, and the credentials."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), (user, password)


def _opener(base: str, credentials: tuple[str, str] | None) -> urllib.request.OpenerDirector:
    """An opener that answers Basic and Digest challenges for ``base`` with ``credentials``."""
    if credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, base, *credentials)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)
    )


def parse_triples(data: bytes, media_type: str) -> rdflib.Graph:
    """An rdflib graph from an RDF document of ``media_type`` (N-Triples, Turtle, ...)."""
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise StoreError(f"unexpected response type {media_type!r}")
    graph = rdflib.Graph()
    for triple in ox.parse(data, format=rdf_format):
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return graph


class SparqlStore(Store):
    """A SPARQL 1.1 server: queries and updates (Protocol), graph reads (Graph Store Protocol)."""

    def __init__(
        self,
        url: str,
        *,
        kind: str = "oxigraph",
        read_only: bool = False,
        timeout: float | None = None,
    ) -> None:
        if kind not in SERVER_LAYOUTS:
            kinds = ", ".join(SERVER_LAYOUTS)
            raise StoreError(f"store {url}: unknown server kind {kind!r} (one of {kinds})")
        layout = SERVER_LAYOUTS[kind]
        base, credentials = _split_credentials(url.rstrip("/"))
        self.url, self.kind, self.read_only, self.timeout = base, kind, read_only, http_timeout(timeout)
        query, update, graph_store = (layout.query, layout.update, layout.graph_store)
        if credentials is not None and layout.authenticated is not None:
            query, update, graph_store = layout.authenticated
        self.query_url = base + query
        self.update_url = base + update
        self.graph_store_url = base + graph_store if graph_store is not None else None
        self.merged_graph = layout.merged_graph
        merged = layout.merged_graph
        self._dataset_params = (("default-graph-uri", str(merged)),) if merged is not None else ()
        self._checked_layout = read_only  # an old layout is upgraded on the first write
        self._own_graphs_only = layout.system_graphs
        self._opener = _opener(base, credentials)

    @classmethod
    def from_location(
        cls, location: str, *, read_only: bool = False, timeout: float | None = None
    ) -> SparqlStore:
        """A store from ``http://...`` (Oxigraph) or ``KIND+http://...`` (see the module docs)."""
        match = _REMOTE.match(location)
        if match is None:
            raise StoreError(f"store {location}: not an http(s) URL")
        kind = (match["kind"] or "oxigraph").lower()
        return cls(match["url"], kind=kind, read_only=read_only, timeout=timeout)

    # -- HTTP --

    def _request(
        self,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Send one request; return the response body and its media type."""
        headers = {"Accept": accept, "User-Agent": "cckg"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")
        seconds = timeout or self.timeout
        try:
            with self._opener.open(request, timeout=seconds) as response:
                media_type = response.headers.get_content_type()
                return response.read(), media_type
        except urllib.error.HTTPError as error:
            detail = _one_line(error.read().decode("utf-8", "replace")) or error.reason
            if error.code == 400:
                raise QuerySyntaxError(detail) from None
            raise StoreError(f"store {self.url}: HTTP {error.code} from {url}: {detail}") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise StoreError(f"store {self.url}: no answer within {seconds:g} s") from None
            raise StoreError(f"store {self.url}: cannot connect ({_one_line(str(error.reason))})") from None
        except TimeoutError:
            raise StoreError(f"store {self.url}: no answer within {seconds:g} s") from None
        except (http.client.HTTPException, ConnectionError) as error:
            problem = _one_line(str(error)) or type(error).__name__
            raise StoreError(f"store {self.url}: the connection failed ({problem})") from None

    def _with_params(self, url: str, params: tuple[tuple[str, str], ...]) -> str:
        if not params:
            return url
        return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"

    # -- the Store interface --

    def query(self, sparql: str, timeout: float | None = None, *, merged: bool = True) -> QueryResult:
        """The result of ``sparql``; ``timeout`` (seconds) instead of the store's HTTP timeout.
        With ``merged`` (the default) the merged graph is the query's default graph."""
        url = self._with_params(self.query_url, self._dataset_params if merged else ())
        body = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
        accept = ACCEPT.get(query_form(sparql), RESULTS_JSON)
        form = "application/x-www-form-urlencoded"
        data, media_type = self._request(url, body=body, content_type=form, accept=accept, timeout=timeout)
        if media_type in (RESULTS_JSON, "application/json"):
            return read_results(data, "json")
        return parse_triples(data, media_type)

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.url} is open read-only")
        if not self._checked_layout:
            self._checked_layout = True
            if self.needs_merged_graph():  # written by an older cckg: build its merged graph once
                print(UPGRADE_NOTE.format(where=self.url), file=sys.stderr)
                self.build_merged_graph()
        self._request(self.update_url, body=sparql.encode("utf-8"), content_type="application/sparql-update")

    def query_graphs(self, sparql: str) -> QueryResult:
        # Without default-graph-uri: some servers (Virtuoso) then answer GRAPH <g> wrongly.
        return self.query(sparql, merged=False)

    def _own(self, variable: str) -> str:
        if not self._own_graphs_only:
            return ""
        return f"FILTER(STRSTARTS(STR({variable}), {sparql_term(rdflib.Literal(OWN_GRAPHS))}))"

    def graph_names(self) -> list[URIRef]:
        names = [name for name in super().graph_names() if name != self.merged_graph]
        if self._own_graphs_only:
            return [name for name in names if str(name).startswith(OWN_GRAPHS)]
        return names

    def __len__(self) -> int:
        if not self._own_graphs_only:
            return super().__len__()
        result = self.query_graphs(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), {sparql_term(rdflib.Literal(OWN_GRAPHS))}) "
            f"&& ?g != {sparql_term(self.merged_graph or MERGED_GRAPH)}) }}"
        )
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"])  # type: ignore[call-overload]

    def graph_ntriples(self, graph: URIRef) -> tuple[bytes, str]:
        """One named graph as an RDF document (Graph Store Protocol GET, else a CONSTRUCT query)."""
        if self.graph_store_url is not None:
            url = self._with_params(self.graph_store_url, (("graph", str(graph)),))
            try:
                return self._request(url, accept=f"{N_TRIPLES}, text/turtle;q=0.8")
            except StoreError as error:
                if "HTTP 404" in str(error):
                    return b"", N_TRIPLES
                raise
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}"
        body = urllib.parse.urlencode({"query": construct}).encode("utf-8")
        return self._request(
            self.query_url, body=body, content_type="application/x-www-form-urlencoded", accept=N_TRIPLES
        )

    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        dataset = ox.Store()
        for name in [graph] if graph is not None else self.graph_names():
            data, media_type = self.graph_ntriples(name)
            rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            if data:
                dataset.load(data, format=rdf_format, to_graph=ox.NamedNode(str(name)))
        return dump_dataset(dataset, format, graph, merged=False)

    def __repr__(self) -> str:
        return f"SparqlStore({self.url!r}, kind={self.kind!r})"
