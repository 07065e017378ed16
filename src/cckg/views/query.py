"""Named SPARQL queries (``data/queries/*.rq``), parameter binding and result formats.

A named query is a ``.rq`` file that starts with a comment header::

    # title: Partners of an agency
    # description: The agencies that an agency works with ...
    #   (indented comment lines continue the description)
    # param: agency string required - the agency: its name, an alias or an acronym
    # param: from integer none - first year

``# param: NAME TYPE DEFAULT - DESCRIPTION``: TYPE is one of :data:`PARAM_TYPES`; DEFAULT is a
value (double-quoted when it holds spaces), ``required``, or ``none`` (unbound unless given).
A ``year`` is a four-digit year bound as an ``xsd:integer``.

Parameters are bound as RDF terms, never pasted into the query as text: each query has a line
``#@params`` where :func:`bind` puts ``VALUES (?name ...) { (term ...) }``, every term written by
:func:`cckg.sparql.sparql_term` (escaped literals of the declared type; unset optional parameters are
``UNDEF``).  A value cannot change the query: at worst it is a literal that matches nothing.

pyoxigraph has no query timeout: :func:`run` with ``timeout`` runs the query in a worker process
that opens the store read-only and is killed when the time is up (:mod:`cckg.views.workers`, the
mechanism ``cckg serve`` uses too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import rdflib
from rdflib.namespace import XSD
from rdflib.term import Literal, Node

from cckg import escape, formats, jsonld, resources
from cckg.errors import IdentityError, QueryError, QuerySyntaxError
from cckg.identity import checked_iri
from cckg.namespaces import PREFIXES, compact
from cckg.sparql import (
    RESULT_FORMATS,
    QueryResult,
    SelectResult,
    check_service,
    has_service,
    is_update,
    sparql_term,
    write_results,
)
from cckg.store import OxigraphStore, SparqlStore, Store
from cckg.store.remote import http_timeout
from cckg.views.workers import WorkerPool

PARAM_TYPES = ("string", "integer", "decimal", "date", "year", "boolean", "iri")
#: Output formats: the first six for SELECT and ASK (json, xml, csv and tsv are the SPARQL 1.1
#: Query Results formats), the last two for CONSTRUCT and DESCRIBE.
FORMATS = formats.QUERY
SELECT_FORMATS = formats.QUERY_ROWS
#: rdflib serialiser of a graph result (CONSTRUCT, DESCRIBE) for each output format.
GRAPH_FORMATS = {
    "text": "turtle", "markdown": "turtle", "turtle": "turtle",
    "json": "json-ld", "jsonld": "json-ld", "csv": "nt", "tsv": "nt", "xml": "xml",
}  # fmt: skip
PARAMS_MARKER = re.compile(r"^[ \t]*#[ \t]*@params[ \t]*$", re.MULTILINE)



@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None


# --- reading queries ----------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^#\s?(?P<key>title|description|param):\s*(?P<value>.*)$")
_PARAM = re.compile(
    r'^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)\s+(?P<default>"(?:[^"\\]|\\.)*"|\S+)'
    r"(?:\s+-\s+(?P<description>.*))?$"
)


def parse_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """A :class:`NamedQuery` from ``.rq`` text and its comment header."""
    title = description = ""
    params: list[Param] = []
    last_key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            if last_key == "description" and line[1:].strip() and line[1:2].isspace() and line[2:3].isspace():
                description = f"{description} {line[1:].strip()}"
            else:
                last_key = None
            continue
        key, value = match["key"], match["value"].strip()
        last_key = key
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            params.append(_parse_param(value, name))
    return NamedQuery(name, text, title, description, tuple(params), path)


def _parse_param(spec: str, query_name: str) -> Param:
    match = _PARAM.match(spec)
    if match is None or match["type"] not in PARAM_TYPES:
        raise QueryError(
            f"query {query_name}: bad '# param:' line {spec!r} "
            f"(want: NAME TYPE DEFAULT - DESCRIPTION, TYPE one of {', '.join(PARAM_TYPES)})"
        )
    default: str | None = match["default"]
    required = default == "required"
    if default in ("required", "none"):
        default = None
    elif default is not None and default.startswith('"'):
        default = json.loads(default)
    return Param(match["name"], match["type"], default, required, (match["description"] or "").strip())


def queries_dir() -> Path:
    return resources.path("data", "queries")


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped with cckg, by name (the file stem)."""
    return {
        path.stem: parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        for path in sorted(queries_dir().glob("*.rq"))
    }


def load_query(spec: str, stdin_text: str | None = None) -> NamedQuery:
    """``spec`` is a named query, a path to a ``.rq`` file, or ``-`` (the text in ``stdin_text``)."""
    if spec == "-":
        return parse_query(stdin_text or "", "-")
    path = Path(spec)
    if spec.endswith(".rq") or "/" in spec:
        try:
            return parse_query(path.read_text(encoding="utf-8"), spec, path)
        except FileNotFoundError:
            raise QueryError(f"{spec}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{spec}: cannot read ({error})") from None
    queries = named_queries()
    if spec not in queries:
        raise QueryError(f"unknown query {spec!r} (named queries: {', '.join(queries)}; or give a FILE.rq)")
    return queries[spec]


# --- binding --------------------------------------------------------------------------------


def param_term(param: Param, value: str) -> Node:
    """``value`` as an RDF term of the parameter's declared type; :class:`QueryError` if it is not one."""
    problem = f"parameter {param.name}: {value!r} is not "
    if param.type == "string":
        return Literal(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(problem + "an integer")
        return Literal(str(int(value)), datatype=XSD.integer)
    if param.type == "decimal":
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise QueryError(problem + "a decimal number") from None
        if not number.is_finite():
            raise QueryError(problem + "a decimal number")
        return Literal(format(number, "f"), datatype=XSD.decimal)
    if param.type == "year":
        if not re.fullmatch(r"\d{4}", value.strip()):
            raise QueryError(problem + "a year (YYYY)")
        return Literal(str(int(value)), datatype=XSD.integer)
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(problem + "a date (YYYY-MM-DD)") from None
    if param.type == "boolean":
        if value.strip().lower() not in ("true", "false"):
            raise QueryError(problem + "true or false")
        return Literal(value.strip().lower(), datatype=XSD.boolean)
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value.strip()):
        raise QueryError(problem + "an absolute IRI")
    try:
        return checked_iri(value)
    except IdentityError:
        raise QueryError(problem + "a valid IRI") from None


def bind(query: NamedQuery, values: Mapping[str, str]) -> str:
    """The query text with its parameters bound in a ``VALUES`` block at the ``#@params`` line(s)."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise QueryError(f"query {query.name}: unknown parameter {unknown[0]!r} (it takes: {takes})")
    if not query.params:
        return query.text
    terms: list[str] = []
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryError(
                    f"query {query.name}: parameter {param.name} is required (--param {param.name}=...)"
                )
            terms.append("UNDEF")
        else:
            terms.append(sparql_term(param_term(param, value)))
    if not PARAMS_MARKER.search(query.text):
        raise QueryError(f"query {query.name}: declares parameters but has no '#@params' line to bind them")
    names = " ".join(f"?{p.name}" for p in query.params)
    block = f"VALUES ({names}) {{ ({' '.join(terms)}) }}"
    return PARAMS_MARKER.sub(lambda _: block, query.text)


def run(
    store: Store,
    query: NamedQuery,
    values: Mapping[str, str] | None = None,
    timeout: float | None = None,
    allow_service: tuple[str, ...] = (),
) -> QueryResult:
    """Bind ``values`` and run ``query`` on ``store`` (read-only: updates are refused).

    With ``timeout`` (seconds) the query runs in a worker process that is stopped when the time is
    up (:class:`QueryError` "query timed out after N s"); on a remote store it is the HTTP timeout.
    ``SERVICE`` is refused unless its host is in ``allow_service``; a query that sends requests
    to another server always runs with a timeout (default: :func:`cckg.store.remote.http_timeout`).
    """
    text = bind(query, values or {})
    if not text.strip() or not re.sub(r"(?m)^\s*#.*$", "", text).strip():
        raise QueryError(f"query {query.name}: empty query")
    try:
        check_service(text, allow_service)
    except QueryError as error:
        raise QueryError(f"query {query.name}: {error}") from None
    if timeout is None and has_service(text):
        timeout = http_timeout()
    try:
        if timeout is None:
            return store.query(text)
        return run_with_timeout(store, text, timeout)
    except QuerySyntaxError as error:
        if is_update(text):
            raise QueryError(f"query {query.name}: updates are refused; cckg query only reads") from None
        raise QueryError(f"query {query.name}: SPARQL syntax {_where(str(error))}") from None


def run_with_timeout(store: Store, sparql: str, timeout: float) -> QueryResult:
    """Run ``sparql`` in a worker process on the store's folder, stopped after ``timeout`` seconds."""
    if timeout <= 0:
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout:g}")
    if isinstance(store, SparqlStore):
        return store.query(sparql, timeout=timeout)
    if not isinstance(store, OxigraphStore) or store.path is None:
        raise QueryError("a query timeout needs a store on disk")
    with WorkerPool(str(store.path), size=1, timeout=timeout) as pool:
        return pool.run(sparql)


def _where(message: str) -> str:
    """pyoxigraph's ``error at 3:2: ...`` as ``error at line 3, column 2: ...``."""
    return re.sub(r"\bat (\d+):(\d+)\b", r"at line \1, column \2", message, count=1)


# --- output --------------------------------------------------------------------------------


def render(result: QueryResult, fmt: str = "text") -> str:
    """``result`` as text: table, markdown, or a SPARQL 1.1 Query Results format (json, xml, csv,
    tsv; :func:`cckg.sparql.write_results`).

    Graph results (CONSTRUCT, DESCRIBE) are Turtle for turtle/table/markdown, JSON-LD for
    jsonld/json, N-Triples for csv/tsv, RDF/XML for xml.  Booleans (ASK) are a one-cell ``result``
    table, or the boolean of SPARQL results JSON and XML.
    """
    fmt = formats.canonical(fmt)
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt not in SELECT_FORMATS and not isinstance(result, rdflib.Graph):
        kind = "an ASK" if isinstance(result, bool) else "a SELECT"
        raise QueryError(
            f"format {fmt} is for CONSTRUCT and DESCRIBE results; {kind} query gives rows "
            f"(use {', '.join(SELECT_FORMATS)})"
        )
    if isinstance(result, rdflib.Graph):
        for prefix, namespace in PREFIXES.items():
            result.bind(prefix, namespace, override=True, replace=True)
        if GRAPH_FORMATS[fmt] == "json-ld":
            return jsonld.serialize(result)
        return result.serialize(format=GRAPH_FORMATS[fmt])
    if fmt in RESULT_FORMATS:
        return write_results(result, fmt)
    if isinstance(result, bool):
        result = _boolean_rows(result)
    return to_table(result) if fmt == "text" else to_markdown(result)


def _boolean_rows(value: bool) -> SelectResult:
    return SelectResult(["result"], [{"result": Literal(value)}])


def _cells(result: SelectResult) -> list[list[str]]:
    """Each cell on one line, its control characters escaped (safe to print on a terminal)."""
    return [[escape.one_line(compact(term)) for term in row] for row in result.tuples()]


def to_table(result: SelectResult) -> str:
    rows = _cells(result)
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(result: SelectResult) -> str:
    """A Markdown table, each cell escaped (:func:`cckg.escape.markdown`: no HTML, no links)."""
    cell = escape.markdown
    rows = [[compact(term) for term in row] for row in result.tuples()]
    lines = ["| " + " | ".join(cell(v) for v in result.variables) + " |"]
    lines.append("|" + "|".join("---" for _ in result.variables) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def describe_queries(queries: Mapping[str, NamedQuery]) -> str:
    """The ``cckg query --list`` text: each query, its title, description and parameters."""
    blocks = []
    for name, query in queries.items():
        lines = [f"{name}: {query.title}" if query.title else name]
        if query.description:
            lines.append(f"    {query.description}")
        for p in query.params:
            default = "required" if p.required else ("unset" if p.default is None else repr(p.default))
            lines.append(f"    --param {p.name}=<{p.type}>  ({default}) {p.description}".rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
