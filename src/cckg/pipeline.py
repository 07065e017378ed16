"""Ingest: release files -> facts -> RDF -> one named graph per release in the store.

Ingest is idempotent.  A release whose stored content hash and software version are unchanged is
skipped; any other is replaced in one transaction, and the mapping uses no blank nodes, so
ingesting the same release twice leaves exactly the same quads.  One broken release never stops
the others: its error is collected in the :class:`IngestReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib.compare import isomorphic
from rdflib.term import BNode, URIRef

from cckg import __version__, resources
from cckg.store import Store


@dataclass(frozen=True)
class Stages:
    """The stage functions ingest calls; the defaults are the reader, extractor and RDF mapping."""

    find_releases: Callable[[Iterable[Path]], list[Path]]
    read_release: Callable[[Path], Any]
    extract: Callable[[Any], Any]
    facts_to_graph: Callable[[Any], rdflib.Graph]
    release_iri: Callable[[str], URIRef]
    vocabulary_graph: URIRef
    release_error: type[Exception]


def default_stages() -> Stages:
    from cckg import extract, rdfmap, reader

    return Stages(
        find_releases=reader.find_releases,
        read_release=reader.read_release,
        extract=extract.extract,
        facts_to_graph=rdfmap.facts_to_graph,
        release_iri=rdfmap.release_iri,
        vocabulary_graph=rdfmap.VOCABULARY_GRAPH,
        release_error=reader.ReleaseError,
    )


@dataclass
class IngestReport:
    files: int = 0  # release files found
    ingested: list[str] = field(default_factory=list)  # release ids stored (new or changed)
    skipped: list[str] = field(default_factory=list)  # release ids already stored unchanged
    errors: list[str] = field(default_factory=list)  # one line each, naming the file and the problem
    triples: int = 0  # triples written for the ingested releases
    vocabulary_loaded: bool = False  # the ontology graph was (re)written

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"ingested {len(self.ingested)}, unchanged {len(self.skipped)}, failed {len(self.errors)} "
            f"({self.triples} triples written)"
        )


def ontology_graph(files: Iterable[Path] | None = None) -> rdflib.Graph:
    """The ontology and vocabularies (``ontology/*.ttl``) as one graph."""
    graph = rdflib.Graph()
    for path in resources.ontology_files() if files is None else files:
        graph.parse(path, format="turtle")
    return graph


def load_vocabulary(store: Store, graph_iri: URIRef, vocabulary: rdflib.Graph) -> bool:
    """Write ``vocabulary`` to ``graph_iri`` unless the stored graph already is that graph.

    Compared as graphs, so blank nodes in OWL axioms do not make a reload look necessary.
    """
    if isomorphic(store.graph(graph_iri), vocabulary):
        return False
    store.replace_graph(graph_iri, vocabulary)
    return True


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    force: bool = False,
    stages: Stages | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> IngestReport:
    """Ingest the releases found under ``paths`` (files and folders) into ``store``.

    ``force`` re-extracts releases stored unchanged; ``progress`` wraps the file list (a progress bar).
    """
    stages = stages or default_stages()
    report = IngestReport()
    report.vocabulary_loaded = load_vocabulary(store, stages.vocabulary_graph, ontology_graph())
    files = stages.find_releases(paths)
    report.files = len(files)
    seen: dict[str, Path] = {}
    for path in progress(files) if progress else files:
        try:
            _ingest_one(store, path, stages, report, seen, force)
        except stages.release_error as error:
            report.errors.append(" ".join(str(error).split()))
        except Exception as error:  # one broken release never stops the others
            report.errors.append(f"{path}: {type(error).__name__}: {' '.join(str(error).split())}")
    return report


def _ingest_one(
    store: Store, path: Path, stages: Stages, report: IngestReport, seen: dict[str, Path], force: bool
) -> None:
    release = stages.read_release(path)
    if release.id in seen:
        raise ValueError(f"release id {release.id!r} is also the id of {seen[release.id]}; rename one file")
    seen[release.id] = path
    graph_iri = stages.release_iri(release.id)
    stored = store.graph_metadata(graph_iri)
    if not force and stored.content_hash == release.content_hash and stored.software_version == __version__:
        report.skipped.append(release.id)
        return
    graph = stages.facts_to_graph(stages.extract(release))
    if blank := next(_blank_nodes(graph), None):
        raise ValueError(f"the RDF mapping made a blank node ({blank.n3()}); every node needs an IRI")
    report.triples += store.replace_graph(graph_iri, graph)
    report.ingested.append(release.id)


def _blank_nodes(graph: rdflib.Graph) -> Iterator[BNode]:
    for triple in graph:
        for term in triple:
            if isinstance(term, BNode):
                yield term
