"""RDF files to validate: their format from the extension (or ``--input-format``), read as one graph.

A JSON-LD file's contexts are never fetched: a context named by a URL (``"@context"``, or
``"@import"`` in one) is replaced by the copy that ships with cckg (``data/contexts/``), and a URL
cckg has no copy of is refused, so reading a file sends no request anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import rdflib

from cckg import formats, jsonld
from cckg.errors import ValidationInputError

#: RDF formats by file extension (cckg.formats names); ``--input-format`` takes the same names.
FORMATS_BY_SUFFIX = {
    suffix: name for suffix, name in formats.BY_SUFFIX.items() if name in formats.RDF_INPUT
}
INPUT_FORMATS = sorted(formats.RDF_INPUT)
QUAD_FORMATS = set(formats.DATASET)


def format_for(path: Path, input_format: str | None = None) -> str:
    if input_format:
        input_format = formats.canonical(input_format)
        if input_format not in INPUT_FORMATS:
            known = ", ".join(INPUT_FORMATS)
            raise ValidationInputError(f"unknown input format {input_format!r} (one of {known})")
        return input_format
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ValidationInputError(
            f"{path}: unknown RDF format for extension {path.suffix or '(none)'!r} "
            f"(use .ttl .nt .nq .trig .jsonld .rdf .owl .xml, or --input-format)"
        )
    return fmt


def load_files(paths: Iterable[Path], input_format: str | None = None) -> rdflib.Graph:
    """The union of the triples of ``paths`` (named graphs of quad formats merged)."""
    graph = rdflib.Graph()
    for path in paths:
        fmt = format_for(path, input_format)
        if not path.is_file():
            raise ValidationInputError(f"{path}: no such file")
        source = {"data": jsonld_without_remote_contexts(path)} if fmt == "jsonld" else {"source": path}
        try:
            if fmt in QUAD_FORMATS:
                dataset = rdflib.Dataset()
                dataset.parse(**source, format=formats.rdflib_name(fmt))
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                graph.parse(**source, format=formats.rdflib_name(fmt))
        except Exception as error:  # rdflib raises many types for bad syntax
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            message = lines[0] if lines else type(error).__name__
            raise ValidationInputError(f"{path}: not valid {fmt} ({message})") from None
    return graph


# --- JSON-LD contexts ----------------------------------------------------------------------------


def jsonld_without_remote_contexts(path: Path) -> str:
    """The JSON-LD document at ``path`` with each context URL replaced by the context cckg ships
    (:func:`cckg.jsonld.inline_contexts`); :class:`ValidationInputError` for a document that is
    not JSON or names a context cckg does not have."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationInputError(f"{path}: not valid jsonld ({' '.join(str(error).split())})") from None
    try:
        return json.dumps(jsonld.inline_contexts(document, str(path)))
    except jsonld.JsonLdError as error:
        raise ValidationInputError(str(error)) from None
