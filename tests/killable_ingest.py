"""An ingest run by tests/test_pipeline_incremental.py in a child process, to be killed while it works.

``python tests/killable_ingest.py STORE FOLDER SIZE``: ingests every ``*.txt`` of FOLDER; the graph
of a release is SIZE triples that all carry the file's text, so a graph read back after a kill
shows whether it was written whole.  Prints ``ingesting NAME`` before each release; releases are
validated one at a time, so each is stored before the next is read.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from cckg import pipeline
from cckg.store import OxigraphStore

EX = rdflib.Namespace("https://example.org/")


@dataclass(frozen=True)
class Release:
    id: str
    text: str
    content_hash: str


def stages(size: int) -> pipeline.Stages:
    def read(path: Path) -> Release:
        whole = path.read_text(encoding="utf-8")
        text = whole.split("\n", 1)[0].strip()  # the first line; the next names the file (no two alike)
        return Release(path.stem, text, "sha256:" + hashlib.sha256(whole.encode()).hexdigest())

    def to_graph(release: Release) -> rdflib.Graph:
        graph = rdflib.Graph()
        for i in range(size):
            graph.add((EX[f"{release.id}/s{i}"], EX.version, Literal(release.text)))
        return graph

    return pipeline.Stages(
        find_releases=lambda paths: sorted(p for folder in paths for p in Path(folder).glob("*.txt")),
        read_release=read,
        extract=lambda release: release,
        facts_to_graph=to_graph,
        release_iri=lambda release_id: EX[f"release/{release_id}"],
        vocabulary_graph=URIRef("https://example.org/vocabulary"),
        release_error=OSError,
    )


def announce(paths: list[Path]) -> Iterable[Path]:
    for path in paths:
        print(f"ingesting {path.stem}", flush=True)
        yield path


def main() -> None:
    store_path, folder, size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    with OxigraphStore(store_path) as store:
        pipeline.ingest(store, [folder], stages=stages(size), progress=announce, force=True, batch_size=1)
    print("done", flush=True)


if __name__ == "__main__":
    main()
