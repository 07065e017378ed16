"""Where the project's knowledge files live.

Ontology, shapes, gazetteers, patterns and named queries are data, kept at the top of the
repository.  An installed wheel carries a copy under ``cckg/_resources``; a checkout (or an
editable install) reads them in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import rdflib
import yaml

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``."""
    bundled = _PACKAGE / "_resources"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE.parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise RuntimeError("cckg resources not found: reinstall the package")


def path(*parts: str) -> Path:
    return root().joinpath(*parts)


def ontology_files() -> list[Path]:
    return sorted(path("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(path("shapes").glob("*.ttl"))


def turtle_graph(files: Iterable[Path]) -> rdflib.Graph:
    """The triples of the Turtle ``files`` as one graph, parsed once per process while the files
    are unchanged (the graph is shared: do not modify it)."""
    return _parse_cached(tuple((str(file), file.stat().st_mtime_ns) for file in files))


@lru_cache(maxsize=8)
def _parse_cached(key: tuple[tuple[str, int], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for file, _ in key:
        graph.parse(file, format="turtle")
    return graph


class _DataLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false, so "on", "no" or "NO" (Norway) stay strings."""


_DataLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(*parts: str) -> Any:
    """Read a YAML data file of the project."""
    with path(*parts).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_DataLoader)
