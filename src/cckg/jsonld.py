"""JSON-LD, compacted with cckg's own context, read and written with no network access.

The context is ``data/context/cckg.jsonld`` (published as :data:`CONTEXT_URL`): the prefixes of
:mod:`cckg.namespaces` and short terms for the classes and properties analysts use most.  Output
carries the context inline, so a document opens anywhere without fetching it.  Reading maps a
reference to :data:`CONTEXT_URL` to the packaged copy and refuses any other remote context, so no
JSON-LD document makes cckg fetch anything.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import rdflib

from cckg import resources
from cckg.errors import CckgError

CONTEXT_URL = "https://w3id.org/cckg/context.jsonld"


class JsonLdError(CckgError):
    """A JSON-LD document that cannot be read (bad JSON, a remote context)."""


@cache
def _context_text() -> str:
    return resources.path("data", "context", "cckg.jsonld").read_text(encoding="utf-8")


def context() -> dict[str, Any]:
    """The ``@context`` object (a fresh copy)."""
    return json.loads(_context_text())["@context"]  # type: ignore[no-any-return]


def serialize(graph: rdflib.Graph) -> str:
    """``graph`` (or a Dataset, named graphs kept) as JSON-LD compacted with the cckg context."""
    return graph.serialize(format="json-ld", context=context(), indent=2, ensure_ascii=False)


def _local_contexts(value: Any, where: str) -> Any:
    """``value`` with every reference to the cckg context replaced by the packaged object."""
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            found[key] = _resolved(item, where) if key == "@context" else _local_contexts(item, where)
        return found
    if isinstance(value, list):
        return [_local_contexts(item, where) for item in value]
    return value


def _resolved(item: Any, where: str) -> Any:
    if isinstance(item, list):
        return [_resolved(part, where) for part in item]
    if isinstance(item, str):
        if item.rstrip("#") == CONTEXT_URL:
            return context()
        raise JsonLdError(f"{where}: remote JSON-LD context {item!r} refused (cckg fetches nothing)")
    return _local_contexts(item, where) if isinstance(item, dict) else item


def parse(data: str | bytes, where: str = "JSON-LD") -> rdflib.Dataset:
    """A dataset from a JSON-LD document, offline (see the module docs)."""
    try:
        document = json.loads(data)
    except ValueError as error:
        raise JsonLdError(f"{where}: not JSON ({error})") from None
    local = json.dumps(_local_contexts(document, where))
    dataset = rdflib.Dataset()
    dataset.parse(data=local, format="json-ld")
    return dataset
