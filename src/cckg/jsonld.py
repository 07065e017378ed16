"""JSON-LD, compacted with cckg's own context, read and written with no network access.

The context is ``data/contexts/cckg.jsonld`` (published as :data:`CONTEXT_URL`): the prefixes of
:mod:`cckg.namespaces` and short terms for the classes and properties analysts use most.  Output
carries the context inline, so a document opens anywhere without fetching it.  Reading maps a
context URL to the copy that ships in ``data/contexts/`` (listed in ``contexts.yaml``) and refuses
any other, so no JSON-LD document makes cckg fetch anything.
"""

from __future__ import annotations

import copy
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
def known_contexts() -> dict[str, Any]:
    """The contexts that ship with cckg, by their URL (``data/contexts/contexts.yaml``)."""
    known = {}
    for entry in resources.load_yaml("data", "contexts", "contexts.yaml"):
        document = json.loads(resources.path("data", "contexts", entry["file"]).read_text(encoding="utf-8"))
        known[entry["url"]] = document["@context"]
    return known


def context() -> dict[str, Any]:
    """The cckg ``@context`` object (a fresh copy)."""
    return copy.deepcopy(known_contexts()[CONTEXT_URL])  # type: ignore[no-any-return]


def serialize(graph: rdflib.Graph) -> str:
    """``graph`` (or a Dataset, named graphs kept) as JSON-LD compacted with the cckg context."""
    return graph.serialize(format="json-ld", context=context(), indent=2, ensure_ascii=False)


def inline_contexts(node: Any, where: str) -> Any:
    """``node`` (a JSON-LD document) with every context URL, ``@import`` included, replaced by
    the context cckg ships; :class:`JsonLdError` for a URL it does not ship."""
    if isinstance(node, list):
        return [inline_contexts(item, where) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: (_context if key == "@context" else inline_contexts)(value, where) for key, value in node.items()
    }


def _context(value: Any, where: str) -> Any:
    if isinstance(value, str):
        known = known_contexts()
        if value.rstrip("#") not in known:
            names = ", ".join(known)
            raise JsonLdError(
                f"{where}: @context {value!r} is refused: cckg fetches no context (known: {names})"
            )
        return copy.deepcopy(known[value.rstrip("#")])
    if isinstance(value, list):
        return [_context(item, where) for item in value]
    if isinstance(value, dict):
        inlined = inline_contexts(value, where)  # scoped contexts of term definitions
        if isinstance(value.get("@import"), str):
            imported = _context(value["@import"], where)
            inlined = {**imported, **{k: v for k, v in inlined.items() if k != "@import"}}
        return inlined
    return value


def parse(data: str | bytes, where: str = "JSON-LD") -> rdflib.Dataset:
    """A dataset from a JSON-LD document, offline (see the module docs)."""
    try:
        document = json.loads(data)
    except ValueError as error:
        raise JsonLdError(f"{where}: not JSON ({error})") from None
    local = json.dumps(inline_contexts(document, where))
    dataset = rdflib.Dataset()
    dataset.parse(data=local, format="json-ld")
    return dataset
