"""Ingest: release files -> facts -> RDF -> one named graph per release in the store.

Ingest is idempotent.  A release whose stored content hash, software version and curation digest
are unchanged is skipped; any other is replaced in one transaction, and the mapping uses no blank
nodes, so ingesting the same release twice leaves exactly the same quads.  One broken release never
stops the others: its error is collected in the :class:`IngestReport`.

Curation (:mod:`cckg.ingest.curate`) is applied to each release graph between mapping and storing.  The
work per release reads only that release's graph, so ingesting N releases costs O(N) whatever the
size of the store.  A process killed mid-ingest leaves the release in flight as it was: each
release graph is replaced by one SPARQL update, which the store applies as one transaction.

Each release graph is validated before it is stored, in batches of :data:`VALIDATION_BATCH`
(:func:`cckg.validation.validate_batch`: each graph with the shapes, the ontology, and what the
store already knows about the IRIs it mentions, exactly as :func:`cckg.validation.validate_with_store`
validates it alone, so the cost does not grow with the store; the releases of one batch are
validated against the store as it was before the batch, not against each other).  A Violation
blocks the release: it is not stored, and its report is kept in :attr:`IngestReport.checks` while
the others go on (``store_invalid`` stores it anyway).  Warnings do not block: the release is
stored and its report kept.  Info results are notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.compare import isomorphic
from rdflib.term import BNode, URIRef

from cckg import __version__, resources
from cckg.ingest.curate import Curation
from cckg.store import Store

if TYPE_CHECKING:
    from cckg.validation import ValidationReport


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
    from cckg.ingest import extract
    from cckg.ingest import map as rdfmap
    from cckg.ingest import read as reader

    return Stages(
        find_releases=reader.find_releases,
        read_release=reader.read_release,
        extract=extract.extract,
        facts_to_graph=rdfmap.facts_to_graph,
        release_iri=rdfmap.release_iri,
        vocabulary_graph=rdfmap.VOCABULARY_GRAPH,
        release_error=reader.ReleaseError,
    )


@dataclass(frozen=True)
class ReleaseCheck:
    """A release whose graph has Violations or Warnings, with its validation report."""

    path: Path
    release_id: str
    report: ValidationReport
    stored: bool  # Warnings only, or stored anyway (store_invalid); not stored for a Violation

    @property
    def has_violations(self) -> bool:
        return not self.report.ok(allow_warnings=True)


@dataclass
class IngestReport:
    files: int = 0  # release files found
    ingested: list[str] = field(default_factory=list)  # release ids stored (new or changed)
    skipped: list[str] = field(default_factory=list)  # release ids already stored unchanged
    errors: list[str] = field(default_factory=list)  # one line each, naming the file and the problem
    triples: int = 0  # triples written for the ingested releases
    vocabulary_loaded: bool = False  # the ontology graph was (re)written
    checks: list[ReleaseCheck] = field(default_factory=list)  # releases with Violations or Warnings

    @property
    def rejected(self) -> list[ReleaseCheck]:
        """The releases not stored because their graph has Violations."""
        return [check for check in self.checks if not check.stored]

    @property
    def ok(self) -> bool:
        """No file failed and no release has a Violation (stored anyway or not)."""
        return not self.errors and not any(check.has_violations for check in self.checks)

    def summary(self) -> str:
        rejected = f", rejected {len(self.rejected)}" if self.rejected else ""
        return (
            f"ingested {len(self.ingested)}, unchanged {len(self.skipped)}, failed {len(self.errors)}"
            f"{rejected} ({self.triples} triples written)"
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


#: Release graphs validated together before they are stored.
VALIDATION_BATCH = 200


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    force: bool = False,
    stages: Stages | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
    curation: Curation | None = None,
    validate: bool = True,
    store_invalid: bool = False,
    validation_engine: str = "auto",
    batch_size: int | None = None,
) -> IngestReport:
    """Ingest the releases found under ``paths`` (files and folders) into ``store``.

    ``force`` re-extracts releases stored unchanged; ``progress`` wraps the file list (a progress bar);
    ``curation`` is applied to every release graph (:func:`cckg.ingest.curate.load`; default: none).
    Each release graph is validated before it is stored (``validate``, with ``validation_engine``,
    see :data:`cckg.validation.ENGINES`), ``batch_size`` graphs at a time (default
    :data:`VALIDATION_BATCH`; 1 stores each release before the next is read); one with Violations
    is not stored unless ``store_invalid``.
    """
    batch_size = batch_size or VALIDATION_BATCH
    stages = stages or default_stages()
    curation = curation or Curation()
    report = IngestReport()
    report.vocabulary_loaded = load_vocabulary(store, stages.vocabulary_graph, ontology_graph())
    files = stages.find_releases(paths)
    report.files = len(files)
    seen: dict[str, Path] = {}
    vocabulary = stages.vocabulary_graph
    check = _checker(store, vocabulary, report, store_invalid, validation_engine) if validate else None
    pending: list[Pending] = []
    for path in progress(files) if progress else files:
        try:
            item = _prepare_one(store, path, stages, report, seen, force, curation)
        except stages.release_error as error:
            report.errors.append(" ".join(str(error).split()))
            continue
        except Exception as error:  # one broken release never stops the others
            report.errors.append(_error_line(path, error))
            continue
        if item is not None:
            pending.append(item)
        if len(pending) >= batch_size:
            _store_batch(store, pending, report, check)
            pending = []
    _store_batch(store, pending, report, check)
    return report


@dataclass(frozen=True)
class Pending:
    """A release graph ready to be validated and stored."""

    path: Path
    release_id: str
    graph_iri: URIRef
    graph: rdflib.Graph


def _error_line(path: Path, error: Exception) -> str:
    return f"{path}: {type(error).__name__}: {' '.join(str(error).split())}"


def _store_batch(store: Store, batch: list[Pending], report: IngestReport, check: Checker | None) -> None:
    """Validate ``batch`` (one validation run) and store the releases it lets through."""
    if not batch:
        return
    try:
        decisions = check(batch) if check is not None else [True] * len(batch)
    except Exception as error:  # the shapes cannot be used, the store cannot be read
        report.errors.extend(_error_line(item.path, error) for item in batch)
        return
    for item, keep in zip(batch, decisions, strict=True):
        if not keep:
            continue
        try:
            report.triples += store.replace_graph(item.graph_iri, item.graph)
        except Exception as error:  # one broken release never stops the others
            report.errors.append(_error_line(item.path, error))
            continue
        report.ingested.append(item.release_id)


def _prepare_one(
    store: Store,
    path: Path,
    stages: Stages,
    report: IngestReport,
    seen: dict[str, Path],
    force: bool,
    curation: Curation,
) -> Pending | None:
    """Read, extract, map and curate one release; None when it is stored unchanged."""
    from cckg.ingest import curate

    release = stages.read_release(path)
    if release.id in seen:
        raise ValueError(f"release id {release.id!r} is also the id of {seen[release.id]}; rename one file")
    seen[release.id] = path
    graph_iri = stages.release_iri(release.id)
    stored = store.graph_metadata(graph_iri)
    digest = curation.digest(release.id)
    unchanged = (stored.content_hash, stored.software_version, stored.curation_digest)
    if not force and unchanged == (release.content_hash, __version__, digest):
        report.skipped.append(release.id)
        return None
    graph = stages.facts_to_graph(stages.extract(release))
    if entries := curation.for_release(release.id):
        text = getattr(release, "text", None)
        graph = curate.apply(graph, entries, graph_iri, text=text, digest=digest)
    if blank := next(_blank_nodes(graph), None):
        raise ValueError(f"the RDF mapping made a blank node ({blank.n3()}); every node needs an IRI")
    return Pending(path, release.id, graph_iri, graph)


#: Validates a batch of release graphs before they are stored; returns, for each, whether to store it.
Checker = Callable[[Sequence[Pending]], list[bool]]


def _checker(
    store: Store, vocabulary_graph: URIRef, report: IngestReport, store_invalid: bool, engine: str = "auto"
) -> Checker:
    """Validate a batch of release graphs with the shapes, the ontology and the store's context
    (the graphs the batch replaces left out); record each in ``report.checks`` unless it is clean."""
    from cckg import validation

    shapes, ontology = validation.default_shapes(), validation.default_ontology()

    def check(batch: Sequence[Pending]) -> list[bool]:
        graphs = [item.graph for item in batch]
        skip = [vocabulary_graph]
        results = validation.validate_batch(graphs, store, shapes, ontology, skip=skip, engine=engine)
        decisions = []
        for item, result in zip(batch, results, strict=True):
            stored = result.ok() or result.ok(allow_warnings=True) or store_invalid
            if not result.ok():
                report.checks.append(ReleaseCheck(item.path, item.release_id, result, stored))
            decisions.append(stored)
        return decisions

    return check


def _blank_nodes(graph: rdflib.Graph) -> Iterator[BNode]:
    for triple in graph:
        for term in triple:
            if isinstance(term, BNode):
                yield term


def release_graph(spec: str, release_iri: Callable[[str], URIRef] | None = None) -> URIRef:
    """The named graph of a release given as its IRI, its release id or its file path."""
    from cckg.ingest import read as reader

    if spec.startswith(("http://", "https://")):
        return URIRef(spec)
    if release_iri is None:
        from cckg.identity import release_iri
    path = Path(spec)
    looks_like_file = path.suffix.lower() in reader.RELEASE_SUFFIXES or "/" in spec or path.is_file()
    return release_iri(reader.release_id_for(path) if looks_like_file else spec)
