"""How ``cckg serve`` takes HTTP requests, apart from what it answers: its limits and its guards.

- A request body is read only when its ``Content-Length`` is a number within ``max_body``
  (413 above it, 400 for a bad or short one, 411 for a chunked body); the connection is closed
  after a refused body, so nothing of it is read as the next request.
- A client has ``request_timeout`` seconds to send each part of a request.
- No ``Access-Control-Allow-Origin`` is sent unless the request's ``Origin`` is one of the
  ``cors`` origins (or ``*`` is): other web pages in the user's browser cannot read the store.
- On a loopback address, the ``Host`` header must name the loopback (a web page that renames its
  own host to 127.0.0.1, DNS rebinding, is refused with 403).
- An answer holds at most ``max_results`` rows or triples (:mod:`cckg.views.workers`), and a
  query's ``SERVICE`` goes only to ``allow_service`` hosts (:func:`cckg.sparql.check_service`).
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from ipaddress import ip_address
from typing import Any, BinaryIO

from cckg.errors import CckgError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


class QueryRefused(CckgError):
    """A request the endpoint answers with a 4xx status."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Policy:
    """The limits and guards of an endpoint (``cckg serve`` options)."""

    cors: tuple[str, ...] = ()  # origins whose pages may read the answers ("*": any)
    max_body: int = 1_000_000  # bytes of a request body
    max_results: int = 10_000  # rows (SELECT) or triples (CONSTRUCT, DESCRIBE) of an answer
    allow_service: tuple[str, ...] = ()  # hosts a query's SERVICE may send requests to
    request_timeout: float = 30.0  # seconds a client may take to send each part of a request


def read_body(headers: Any, stream: BinaryIO, limit: int) -> bytes:
    """The body of a request, at most ``limit`` bytes; :class:`QueryRefused` for one that is too
    large, chunked, or whose ``Content-Length`` is not a length or is more than was sent."""
    if headers.get("Transfer-Encoding"):
        raise QueryRefused(HTTPStatus.LENGTH_REQUIRED, "send the query with a Content-Length, not chunked")
    text = headers.get("Content-Length")
    if text is None:
        return b""
    if not text.strip().isdigit():
        raise QueryRefused(HTTPStatus.BAD_REQUEST, f"bad Content-Length {text[:40]!r}")
    length = int(text)
    if length > limit:
        problem = f"request body of {length} bytes is over the limit of {limit} (cckg serve --max-body)"
        raise QueryRefused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, problem)
    body = stream.read(length)
    if len(body) < length:
        raise QueryRefused(HTTPStatus.BAD_REQUEST, f"request body of {len(body)} bytes, not {length}")
    return body


def cors_headers(origin: str | None, allowed: tuple[str, ...]) -> dict[str, str]:
    """The CORS headers for a request from ``origin``: none unless it is allowed."""
    if "*" in allowed:
        return {"Access-Control-Allow-Origin": "*"}
    if origin is not None and origin in allowed:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {}


def is_loopback(host: str) -> bool:
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def check_host(header: str | None, bound: str, port: int) -> None:
    """On a loopback address, refuse a ``Host`` that names another host (DNS rebinding)."""
    if header is None or not is_loopback(bound):
        return
    names = {*LOOPBACK_NAMES, bound if ":" not in bound else f"[{bound}]"}
    if header.strip().lower() not in {f"{name}:{port}" for name in names} | names:
        raise QueryRefused(HTTPStatus.FORBIDDEN, f"Host {header[:80]!r} is not this endpoint's")
