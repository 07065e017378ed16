"""Where the project's knowledge files live.

Ontology, shapes, gazetteers, patterns and named queries are data, kept at the top of the
repository.  An installed wheel carries a copy under ``cckg/_resources``; a checkout (or an
editable install) reads them in place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
