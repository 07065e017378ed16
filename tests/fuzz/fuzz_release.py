"""Fuzz target: the reader and the extractor on any bytes (atheris, coverage-guided).

Each input is decoded the way a release file is (UTF-8, a byte-order mark dropped), read as text
or as HTML (the first byte chooses), extracted, and mapped to RDF.  The reader may refuse an input
only with a ``ReleaseError``; anything it accepts must extract without an error, give release JSON
of the documented shape whose evidence quotes the text, and RDF with valid IRIs that parses back
as the same graph.  Anything else is a finding.

Run it (README, "Hostile input") for an hour on one core, from the repository, with the seed and
development releases as the starting corpus:

    mkdir -p out/fuzz/corpus && cp data/releases/* data/devset/releases/* out/fuzz/corpus/
    .venv/bin/python tests/fuzz/fuzz_release.py out/fuzz/corpus -max_total_time=3600 \\
        -max_len=20000 -artifact_prefix=out/fuzz/ -print_final_stats=1

A finding is written to ``out/fuzz/crash-*``; ``fuzz_release.py out/fuzz/crash-...`` replays it.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["cckg"]):
    from cckg.errors import ReleaseError
    from cckg.ingest.read import parse_release
    from cckg.pipeline import extract_readable, map_facts

from release_shape import check_iris, check_release_json, check_round_trip

#: One input in this many (by its checksum) is also stored, dumped and parsed back.
ROUND_TRIP_EVERY = 16


def read_and_extract(data: bytes) -> None:
    """One input through the reader, the extractor and the mapping; an AssertionError or any
    other exception is a finding."""
    if not data:
        return
    is_html = data[0] % 2 == 1
    try:
        text = data[1:].decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # the reader refuses it with a ReleaseError (tests/ingest/test_read.py)
    if not text.strip():
        return
    try:
        release = parse_release(text, "fuzz", "fuzz.html" if is_html else "fuzz.txt", is_html=is_html)
    except ReleaseError:
        return
    assert len(release.content) == len(release.text)
    facts = extract_readable(release)
    check_release_json(facts.to_json(), release.text)
    graph = map_facts(facts)
    check_iris(graph)
    if zlib.crc32(data) % ROUND_TRIP_EVERY == 0:  # the slowest check, on a fixed share of inputs
        check_round_trip(graph)


def main() -> None:
    atheris.Setup(sys.argv, read_and_extract)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
