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
:func:`cckg.store.sparql_term` (escaped literals of the declared type; unset optional parameters are
``UNDEF``).  A value cannot change the query: at worst it is a literal that matches nothing.

pyoxigraph has no query timeout: :func:`run` with ``timeout`` runs the query in a worker process
that opens the store read-only and is terminated when the time is up.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import rdflib
from rdflib.namespace import XSD
from rdflib.term import BNode, Literal, Node, URIRef

from cckg import resources
from cckg.errors import IdentityError, QueryError
from cckg.identity import checked_iri
from cckg.namespaces import PREFIXES, compact
from cckg.store import (
    OxigraphStore,
    QueryResult,
    QuerySyntaxError,
    SelectResult,
    Store,
    StoreError,
    sparql_term,
)

PARAM_TYPES = ("string", "integer", "decimal", "date", "year", "boolean", "iri")
#: Output formats: the first five for SELECT and ASK, the last two for CONSTRUCT and DESCRIBE.
FORMATS = ("table", "csv", "tsv", "json", "markdown", "turtle", "jsonld")
SELECT_FORMATS = FORMATS[:5]
#: rdflib serialiser of a graph result (CONSTRUCT, DESCRIBE) for each output format.
GRAPH_FORMATS = {
    "table": "turtle", "markdown": "turtle", "turtle": "turtle",
    "json": "json-ld", "jsonld": "json-ld", "csv": "nt", "tsv": "nt",
}  # fmt: skip
PARAMS_MARKER = re.compile(r"^[ \t]*#[ \t]*@params[ \t]*$", re.MULTILINE)
#: How long the worker of a query with a timeout may take to start and open the store, in seconds.
WORKER_START_LIMIT = 60.0



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
) -> QueryResult:
    """Bind ``values`` and run ``query`` on ``store`` (read-only: updates are refused).

    With ``timeout`` (seconds) the query runs in a worker process that is stopped when the time is
    up (:class:`QueryError` "query timed out after N s"); this needs a store on disk.
    """
    text = bind(query, values or {})
    if not text.strip() or not re.sub(r"(?m)^\s*#.*$", "", text).strip():
        raise QueryError(f"query {query.name}: empty query")
    try:
        if timeout is None:
            return store.query(text)
        return _run_in_worker(store, text, timeout)
    except QuerySyntaxError as error:
        if _is_update(text):
            raise QueryError(f"query {query.name}: updates are refused; cckg query only reads") from None
        raise QueryError(f"query {query.name}: SPARQL syntax {_where(str(error))}") from None


def _where(message: str) -> str:
    """pyoxigraph's ``error at 3:2: ...`` as ``error at line 3, column 2: ...``."""
    return re.sub(r"\bat (\d+):(\d+)\b", r"at line \1, column \2", message, count=1)


# --- running with a timeout -----------------------------------------------------------------


def _run_in_worker(store: Store, text: str, timeout: float) -> QueryResult:
    """Run ``text`` in a worker process on the store's folder; terminate it after ``timeout`` s."""
    if timeout <= 0:
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout:g}")
    if not isinstance(store, OxigraphStore) or store.path is None:
        raise QueryError("a query timeout needs a store on disk")
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(str(store.path), text, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(WORKER_START_LIMIT):
            raise QueryError("the query worker did not start")
        _receive(receiver)  # ("ready", None): the store is open, the clock starts now
        if not receiver.poll(timeout):
            raise QueryError(f"query timed out after {timeout:g} s")
        return _receive(receiver)
    finally:
        _stop(worker)
        receiver.close()


def _receive(receiver: Connection) -> QueryResult:
    try:
        status, payload = receiver.recv()
    except EOFError:
        raise StoreError("the query worker stopped without an answer") from None
    if status == "syntax":
        raise QuerySyntaxError(payload)
    if status == "error":
        raise StoreError(payload)
    if status == "graph":
        return rdflib.Graph().parse(data=payload, format="nt")
    return payload  # type: ignore[no-any-return]


def _stop(worker: BaseProcess) -> None:
    if worker.is_alive():
        worker.terminate()
        worker.join(5)
        if worker.is_alive():
            worker.kill()
    worker.join()


def _worker(location: str, text: str, sender: Connection) -> None:
    """The worker process: open the store read-only, run the query, send back the result."""
    try:
        with OxigraphStore(location, read_only=True) as store:
            sender.send(("ready", None))
            result = store.query(text)
        if isinstance(result, rdflib.Graph):
            sender.send(("graph", result.serialize(format="nt")))
        else:
            sender.send(("ok", result))
    except QuerySyntaxError as error:
        sender.send(("syntax", str(error)))
    except Exception as error:  # reported by the parent as one line
        sender.send(("error", " ".join(f"{type(error).__name__}: {error}".split())))
    finally:
        sender.close()


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # any parse failure means "not an update"
        return False
    return True


# --- output --------------------------------------------------------------------------------


def render(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text: table, csv, tsv, json (SPARQL 1.1 results JSON) or markdown.

    Graph results (CONSTRUCT, DESCRIBE) are Turtle for turtle/table/markdown, JSON-LD for
    jsonld/json, N-Triples for csv/tsv.  Booleans (ASK) are a one-cell ``result`` table, or SPARQL
    1.1 results JSON.
    """
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
        return result.serialize(format=GRAPH_FORMATS[fmt])
    if isinstance(result, bool):
        result = _boolean_rows(result) if fmt != "json" else result
    if isinstance(result, bool):
        return json.dumps({"head": {}, "boolean": result}, indent=2) + "\n"
    writers = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "markdown": to_markdown}
    return writers[fmt](result)


def _boolean_rows(value: bool) -> SelectResult:
    return SelectResult(["result"], [{"result": Literal(value)}])


def _cells(result: SelectResult) -> list[list[str]]:
    return [[" ".join(compact(term).split()) for term in row] for row in result.tuples()]


def to_table(result: SelectResult) -> str:
    rows = _cells(result)
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(result: SelectResult) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(cell(v) for v in result.variables) + " |"]
    lines.append("|" + "|".join("---" for _ in result.variables) + "|")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in _cells(result)]
    return "\n".join(lines) + "\n"


def to_csv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, full IRIs, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.tuples():
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return out.getvalue()


def to_tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else sparql_term(t) for t in row) for row in result.tuples()]
    return "\n".join(lines) + "\n"


def json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        value["datatype"] = str(term.datatype)
    return value


def to_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{name: json_term(term) for name, term in row.items()} for row in result.rows]
    data = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
