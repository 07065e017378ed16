"""SPARQL: term syntax, query results, and the results formats of the W3C.

- :func:`sparql_term` writes an RDF term in SPARQL (and N-Triples) syntax, escaped so that no
  value can break out of it; :func:`is_update` tells a SPARQL update from a query.
- :func:`check_service` refuses a query that would send a request to another server (``SERVICE``)
  unless its host is one the user allowed.
- :class:`SelectResult` (the rows of a SELECT), a boolean (ASK) or an rdflib graph (CONSTRUCT,
  DESCRIBE) is what a query returns (:data:`QueryResult`).
- :func:`write_results` and :func:`read_results` write and read SELECT and ASK results in the
  SPARQL 1.1 Query Results formats: JSON, XML, CSV and TSV (:data:`RESULT_FORMATS`).  XML and CSV
  are written by rdflib's serialisers, and every format is read by rdflib's parsers; JSON is
  written here (indented, as people read it) and TSV too (rdflib has no TSV serialiser).

Plain literals stay plain: a literal typed ``xsd:string`` is read as a plain literal, as RDF 1.1
says they are one.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib.plugins.sparql import algebra
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.results.csvresults import CSVResultSerializer
from rdflib.plugins.sparql.results.xmlresults import XMLResultSerializer
from rdflib.query import Result
from rdflib.term import BNode, Literal, Node, URIRef, Variable

from cckg.errors import IdentityError, QueryError
from cckg.identity import IRI_FORBIDDEN
from cckg.namespaces import XSD

XSD_STRING = str(XSD.string)

#: The SPARQL 1.1 Query Results formats, and their media types.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@dataclass
class SelectResult:
    """Rows of a SELECT query: ``variables`` in projection order; a row maps bound variables to terms."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def tuples(self) -> list[tuple[Node | None, ...]]:
        return [tuple(row.get(v) for v in self.variables) for row in self.rows]


#: What a query returns: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE).
QueryResult = SelectResult | bool | rdflib.Graph


# --- term syntax -------------------------------------------------------------------------------

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_]+$")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def sparql_term(term: Node) -> str:
    """``term`` in SPARQL (and N-Triples) syntax, escaped so that no value can break out of it."""
    if isinstance(term, URIRef):
        if IRI_FORBIDDEN.search(term):
            raise IdentityError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(term)) + '"'
        if term.language:
            if not _LANGUAGE_TAG.fullmatch(term.language):
                raise ValueError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and str(term.datatype) != XSD_STRING:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        label = str(term)
        return f"_:{label}" if _BNODE_LABEL.match(label) else "_:b" + hashlib.sha1(label.encode()).hexdigest()
    raise TypeError(f"cannot write {type(term).__name__} as a SPARQL term")


_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>)*")
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query (after its prologue); "" if none."""
    prologue = _PROLOGUE.match(text)
    match = _FORM.match(text, prologue.end() if prologue else 0)
    return match.group(1).upper() if match else ""


def is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL update (``INSERT``, ``DROP``, ...)."""
    try:
        parseUpdate(text)
    except Exception:  # any parse failure means "not an update"
        return False
    return True


# --- federated queries -----------------------------------------------------------------------

#: The lexemes of SPARQL that can hold the word SERVICE without it being the keyword (comments,
#: strings, IRIs), and the words themselves (keywords, variables, prefixed names).
_LEXEMES = re.compile(
    r"(?P<comment>#[^\n]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<word>[?$]?[A-Za-z_][\w.-]*(?::[\w.%-]*)?|:[\w.%-]*)",
    re.DOTALL,
)


def has_service(sparql: str) -> bool:
    """Whether ``sparql`` holds the keyword ``SERVICE`` (outside comments, strings and IRIs)."""
    words = (m.group() for m in _LEXEMES.finditer(sparql) if m.lastgroup == "word")
    return any(word.upper() == "SERVICE" for word in words)


def service_endpoints(sparql: str) -> list[Node]:
    """The endpoint of each ``SERVICE`` of a query (an IRI, prefixes and base resolved, or a
    variable); :class:`QueryError` when the query cannot be parsed to find them."""
    try:
        query = algebra.translateQuery(parseQuery(sparql))
    except Exception as error:  # the parser raises many types for what it cannot read
        message = " ".join(str(error).split()) or type(error).__name__
        raise QueryError(f"cannot tell where the SERVICE clauses of the query go ({message})") from None
    return list(_services(query.algebra))


def _services(node: Any) -> Iterator[Node]:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _services(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _services(value)


def check_service(sparql: str, allowed_hosts: Iterable[str] = ()) -> None:
    """Refuse (:class:`QueryError`) a query with ``SERVICE`` unless each one goes to an http(s)
    IRI whose host (or ``host:port``) is in ``allowed_hosts``: a query never makes cckg send a
    request to a server the user did not name."""
    if not has_service(sparql):
        return
    allowed = {host.lower() for host in allowed_hosts}
    if not allowed:
        problem = "a query may not send requests to other servers (--allow-service HOST allows one)"
        raise QueryError(f"SERVICE is refused: {problem}")
    for endpoint in service_endpoints(sparql):
        if not isinstance(endpoint, URIRef):
            raise QueryError("SERVICE with a variable endpoint is refused: name the endpoint's IRI")
        url = urllib.parse.urlsplit(str(endpoint))
        host = (url.hostname or "").lower()
        simple = url.scheme in ("http", "https") and "\\" not in endpoint and "@" not in url.netloc
        if not simple or not ({host, url.netloc.lower()} & allowed):
            raise QueryError(f"SERVICE <{endpoint}> is refused: its host is not one of --allow-service")


def plain(term: Node) -> Node:
    """``term`` with an ``xsd:string`` literal made a plain literal (RDF 1.1: they are one)."""
    if isinstance(term, Literal) and not term.language and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term


# --- writing results ------------------------------------------------------------------------------


def write_results(result: SelectResult | bool, fmt: str) -> str:
    """A SELECT or ASK result in a SPARQL 1.1 Query Results format (:data:`RESULT_FORMATS`).

    CSV and TSV have no boolean form: an ASK result is one ``result`` column there.
    """
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown results format {fmt!r} (one of {', '.join(RESULT_FORMATS)})")
    if isinstance(result, bool) and fmt in ("csv", "tsv"):
        result = SelectResult(["result"], [{"result": Literal(result)}])
    if fmt == "json":
        return _to_json(result)
    if fmt == "tsv":
        assert isinstance(result, SelectResult)
        return _to_tsv(result)
    out = io.BytesIO()
    serializer = XMLResultSerializer if fmt == "xml" else CSVResultSerializer
    serializer(_rdflib_result(result)).serialize(out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def _rdflib_result(result: SelectResult | bool) -> Result:
    if isinstance(result, bool):
        answer = Result("ASK")
        answer.askAnswer = result
        return answer
    rows = Result("SELECT")
    rows.vars = [Variable(v) for v in result.variables]
    rows.bindings = [{Variable(k): v for k, v in row.items()} for row in result.rows]
    return rows


def json_term(term: Node) -> dict[str, str]:
    """One RDF term in SPARQL 1.1 Query Results JSON."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype and str(term.datatype) != XSD_STRING:
        value["datatype"] = str(term.datatype)
    return value


def _to_json(result: SelectResult | bool) -> str:
    if isinstance(result, bool):
        return json.dumps({"head": {}, "boolean": result}, indent=2) + "\n"
    bindings = [{name: json_term(term) for name, term in row.items()} for row in result.rows]
    data = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _to_tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else sparql_term(t) for t in row) for row in result.tuples()]
    return "\n".join(lines) + "\n"


# --- reading results --------------------------------------------------------------------------------


def read_results(data: bytes | str, fmt: str) -> SelectResult | bool:
    """SELECT rows or an ASK boolean from a SPARQL 1.1 Query Results document (:data:`RESULT_FORMATS`).

    CSV carries no types: IRIs come back as IRIs, blank nodes as blank nodes, anything else as a
    plain literal.
    """
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown results format {fmt!r} (one of {', '.join(RESULT_FORMATS)})")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        parsed = Result.parse(io.BytesIO(raw), format=fmt)
    except Exception as error:  # the parsers raise many types for a broken document
        message = " ".join(str(error).split()) or type(error).__name__
        raise QueryError(f"not SPARQL results {fmt.upper()} ({message})") from None
    if parsed.type == "ASK":
        return bool(parsed.askAnswer)
    variables = [str(v) for v in parsed.vars or []]
    rows = [{str(k): _read_term(v) for k, v in row.items() if v is not None} for row in parsed.bindings]
    return SelectResult(variables, rows)


def _read_term(term: Node) -> Node:
    """A term as a parser gave it, plain literals plain (rdflib's CSV parser keeps the ``_:`` of a
    blank node in its label: it is taken off)."""
    if isinstance(term, BNode) and str(term).startswith("_:"):
        return BNode(str(term)[2:])
    return plain(term)
