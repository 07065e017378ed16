"""The output and input formats of cckg: one name per format, across every command.

Each command offers some of them (the tuples below are the choices of ``--format`` and
``--input-format``); older spellings are accepted as aliases (:data:`ALIASES`), and a file's
extension names a format too (:data:`BY_SUFFIX`, for ``-o FILE`` and for RDF input files).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

#: The spellings commands used before there was one name per format -> the one name.
ALIASES = {"table": "text", "json-ld": "jsonld", "ntriples": "nt", "rdfxml": "xml"}

#: File extensions -> the format they name.
BY_SUFFIX = {
    ".txt": "text",
    ".md": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".jsonld": "jsonld",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".ttl": "turtle",
    ".xml": "xml",
    ".rdf": "xml",
    ".owl": "xml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".cyjs": "cyjs",
    ".dot": "dot",
    ".gv": "dot",
    ".html": "html",
    ".htm": "html",
    ".png": "png",
    ".svg": "svg",
}

#: ``cckg query``: rows (SELECT, ASK) as text, a SPARQL 1.1 results format or markdown; graphs
#: (CONSTRUCT, DESCRIBE) as turtle or jsonld (the row formats map to a graph format too).
QUERY = ("text", "csv", "tsv", "json", "xml", "markdown", "turtle", "jsonld")
QUERY_ROWS = QUERY[:6]
#: ``cckg dump``: RDF serialisations; nquads, trig and jsonld keep the named graphs.
DUMP = ("nquads", "trig", "turtle", "nt", "xml", "jsonld")
DATASET = ("nquads", "trig", "jsonld")
#: ``cckg validate`` FILEs: RDF serialisations read.
RDF_INPUT = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")
#: ``cckg validate``: the report.
REPORT = ("text", "json", "turtle")
#: ``cckg show``: the card.
CARD = ("text", "json")
#: ``cckg export``: a graph view (csv: a node file and an edge file; html: an interactive page;
#: png, svg: a figure).
NETWORK = ("graphml", "gexf", "json", "cyjs", "dot", "csv", "html", "png", "svg")
#: ``cckg analyze``: the analysis.
ANALYSIS = ("text", "json")
#: ``cckg extract``: the facts.
FACTS = ("json", "jsonl")

#: rdflib's names for the RDF formats whose name differs.
RDFLIB_NAMES = {"jsonld": "json-ld"}


def canonical(name: str) -> str:
    """The one name of a format given by any of its spellings."""
    folded = name.strip().lower()
    return ALIASES.get(folded, folded)


def from_suffix(path: str | PurePath, choices: Sequence[str]) -> str | None:
    """The format the extension of ``path`` names, when it is one of ``choices``."""
    found = BY_SUFFIX.get(PurePath(path).suffix.lower())
    return found if found in choices else None


def rdflib_name(name: str) -> str:
    """rdflib's parser or serialiser name for an RDF format."""
    return RDFLIB_NAMES.get(name, name)
