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

The batch report (:class:`IngestReport`) counts what became of every input: ingested, unchanged,
duplicate, failed and skipped (a folder that could not be searched), and keeps one
:class:`Problem` per input that failed, was skipped, was rejected by validation, or was stored
unread because the extractor does not read its language.  ``on_problem`` hears of each problem as
it happens, so a log of them (:class:`ProblemLog`, ``cckg ingest --report FILE``) is written while
the batch runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import rdflib
from rdflib.compare import isomorphic
from rdflib.term import BNode, Literal, Node, URIRef

from cckg import __version__, formats, identity, language, validation
from cckg.errors import CckgError
from cckg.ingest import curate, read
from cckg.ingest.curate import Curation
from cckg.ingest.extract import extract as extract_facts
from cckg.ingest.extract.knowledge import knowledge
from cckg.ingest.map import facts_to_graph
from cckg.model import ReleaseFacts
from cckg.namespaces import CCKG, VOCABULARY_GRAPH, ontology
from cckg.store import Store
from cckg.validation import ValidationReport


@dataclass(frozen=True)
class Stages:
    """The stage functions ingest calls; the defaults are the reader, extractor and RDF mapping."""

    find_releases: Callable[[Iterable[Path]], list[Path] | read.Found]
    read_release: Callable[[Path], Any]
    extract: Callable[[Any], Any]
    facts_to_graph: Callable[[Any], rdflib.Graph]
    release_iri: Callable[[str], URIRef]
    vocabulary_graph: URIRef
    release_error: type[Exception]


class GazetteerPlaces:
    """The extractor's gazetteer as the mapping's place lookup (:class:`cckg.model.Places`)."""

    def city(self, name: str) -> tuple[int, str] | None:
        found = knowledge().cities.get(name)
        return (found.geonameid, found.country) if found else None

    def country_name(self, code: str) -> str:
        return knowledge().country_name(code)


def map_facts(facts: ReleaseFacts, generated_at: datetime | None = None) -> rdflib.Graph:
    """The RDF of one release's facts, places looked up in the gazetteer: the mapping of ingest."""
    return facts_to_graph(facts, generated_at, places=GazetteerPlaces())


def extract_readable(release: read.Release) -> ReleaseFacts:
    """The facts of ``release`` with its language; no facts for a release in a language the
    extractor does not read (no English rules run on it, so none are made up)."""
    if not language.readable(release.language):
        return ReleaseFacts(
            id=release.id,
            source=release.source,
            title=release.title,
            published=release.published,
            url=release.url,
            language=release.language,
            content_hash=release.content_hash,
        )
    facts = extract_facts(release)
    facts.language = release.language
    return facts


def default_stages() -> Stages:
    return Stages(
        find_releases=read.scan_releases,
        read_release=read.read_release,
        extract=extract_readable,
        facts_to_graph=map_facts,
        release_iri=identity.release_iri,
        vocabulary_graph=VOCABULARY_GRAPH,
        release_error=read.ReleaseError,
    )


# --- the batch report --------------------------------------------------------------------------

#: What can become of an input that is not simply stored: it failed (it could not be read,
#: extracted, mapped or stored), it was skipped (a folder that could not be searched), its graph is
#: invalid (SHACL violations: not stored, unless stored anyway), or it was stored unread (a
#: language the extractor does not read).  "store" is the store itself failing in the batch
#: (closing it on a full disk).  "duplicate" is a file whose text is stored under another release
#: (stored once, the file recorded on that release as ``cckg:alsoSource``).
OUTCOMES = ("failed", "skipped", "invalid", "not read", "store", "duplicate")


@dataclass(frozen=True)
class Problem:
    """One input of a batch and what went wrong with it, as one line that names it."""

    outcome: str  # one of OUTCOMES
    path: str
    message: str  # one line, starting with the path

    def to_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Batch:
    """The problems of a batch, in the order they happened; ``on_problem`` hears of each at once."""

    files: int = 0  # release files found
    problems: list[Problem] = field(default_factory=list)
    on_problem: Callable[[Problem], None] | None = field(default=None, repr=False, compare=False)

    def add(self, outcome: str, path: Path | str, message: str) -> None:
        problem = Problem(outcome, str(path), " ".join(message.split()))
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def of(self, outcome: str) -> list[Problem]:
        return [p for p in self.problems if p.outcome == outcome]

    @property
    def errors(self) -> list[str]:
        """One line per file that failed, naming the file and the problem."""
        return [p.message for p in self.of("failed")]

    def found(self, found: list[Path] | read.Found) -> list[Path]:
        """The files of a search, each folder that could not be searched added as skipped."""
        if isinstance(found, list):
            found = read.Found(found, [])
        for folder, reason in found.unreadable:
            self.add("skipped", folder, f"{folder}: {reason}; its releases were not looked at")
        self.files = len(found.files)
        return found.files

    def failed(self, path: Path, error: Exception, expected: tuple[type[Exception], ...]) -> None:
        """Record ``error`` from the file ``path``: expected errors name the file themselves."""
        self.add("failed", path, failure_message(path, error, expected))

    def not_read(self, path: Path, release: Any) -> None:
        code = getattr(release, "language", language.DEFAULT)
        if not language.readable(code):
            self.add("not read", path, f"{path}: not read: language {code} (stored with no facts)")


def failure_message(path: Path, error: Exception, expected: tuple[type[Exception], ...]) -> str:
    """The one line that reports ``error`` from the file ``path``; expected errors name the file
    themselves, others are named by their type."""
    text = " ".join(str(error).split())
    if isinstance(error, expected):
        return text if text.startswith(str(path)) else f"{path}: {text}"
    return f"{path}: {type(error).__name__}: {text}"


# --- extract: facts of release files, nothing stored -------------------------------------------------


@dataclass
class ExtractReport(Batch):
    facts: list[dict[str, Any]] = field(default_factory=list)  # the release JSON of each release read

    def text(self, fmt: str = "json") -> str:
        """The facts as text: ``json`` is one indented object for one release (JSON Lines for
        several), ``jsonl`` always JSON Lines."""
        if formats.canonical(fmt) == "json" and self.files == 1 and self.facts:
            return json.dumps(self.facts[0], indent=2, ensure_ascii=False) + "\n"
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in self.facts)


def extract(
    paths: Iterable[Path],
    *,
    stages: Stages | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> ExtractReport:
    """The facts of the releases found under ``paths``, in the release JSON format; one broken
    release is reported in :attr:`ExtractReport.errors` and never stops the others."""
    stages = stages or default_stages()
    report = ExtractReport()
    files = report.found(stages.find_releases(paths))
    for path in progress(files) if progress else files:
        try:
            release = stages.read_release(path)
            report.facts.append(stages.extract(release).to_json())
            report.not_read(path, release)
        except Exception as error:  # one broken release never stops the others
            report.failed(path, error, (stages.release_error, CckgError))
    return report


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
class IngestReport(Batch):
    ingested: list[str] = field(default_factory=list)  # release ids stored (new or changed)
    unchanged: list[str] = field(default_factory=list)  # release ids already stored unchanged
    duplicate: list[str] = field(default_factory=list)  # release ids whose text is stored under another
    triples: int = 0  # triples written for the ingested releases
    vocabulary_loaded: bool = False  # the ontology graph was (re)written
    checks: list[ReleaseCheck] = field(default_factory=list)  # releases with Violations or Warnings

    @property
    def rejected(self) -> list[ReleaseCheck]:
        """The releases not stored because their graph has Violations."""
        return [check for check in self.checks if not check.stored]

    @property
    def ok(self) -> bool:
        """No file failed, no folder was skipped, and no release has a Violation (stored anyway or not)."""
        failed = self.of("failed") or self.of("skipped") or self.of("store")
        return not failed and not any(check.has_violations for check in self.checks)

    def summary(self) -> str:
        unread = len(self.of("not read"))
        not_read = f" ({unread} not read)" if unread else ""
        rejected = f", rejected {len(self.rejected)}" if self.rejected else ""
        return (
            f"ingested {len(self.ingested)}{not_read}, unchanged {len(self.unchanged)}, "
            f"duplicate {len(self.duplicate)}, failed {len(self.of('failed'))}{rejected}, "
            f"skipped {len(self.of('skipped'))} ({self.triples} triples written)"
        )


#: Disk space set aside for the problems of a batch when its log is opened (about 3,000 lines),
#: so that they are written even when the disk fills up during the batch.
RESERVE_BYTES = 1 << 20
_KEEP_SIZE = 1  # FALLOC_FL_KEEP_SIZE: allocate the blocks, leave the file's size as it is


def _reserve(descriptor: int, size: int) -> None:
    """Allocate ``size`` bytes of disk for the file behind ``descriptor`` without changing its
    size (Linux ``fallocate``); where that is not to be had, the log goes without."""
    if size <= 0 or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong]
        libc.fallocate(descriptor, _KEEP_SIZE, 0, size)
    except (OSError, AttributeError):  # no C library to call, or no fallocate in it
        return


class ProblemLog:
    """``--report FILE``: each :class:`Problem` as one JSON line, written as it happens.

    Lines are written unbuffered, so each is on disk before the batch goes on, into disk space set
    aside when the log is opened (:data:`RESERVE_BYTES`), so a disk that fills up during the batch
    does not take the log with it.  A line that still cannot be written is kept and tried again
    with the next one and at :meth:`close`; :meth:`close` returns how many are not written, so the
    command can say they are lost.
    """

    def __init__(self, path: Path, reserve: int = RESERVE_BYTES) -> None:
        self.path, self.lines, self.error = path, 0, ""
        self._pending: list[bytes] = []
        try:
            self._file = open(path, "wb", buffering=0)  # noqa: SIM115 (closed by close())
        except OSError as error:
            raise CckgError(f"--report {path}: cannot write ({error.strerror or error})") from None
        _reserve(self._file.fileno(), reserve)

    def __call__(self, problem: Problem) -> None:
        self.lines += 1
        self._pending.append((json.dumps(problem.to_json(), ensure_ascii=False) + "\n").encode("utf-8"))
        self._write()

    def _write(self) -> None:
        try:
            while self._pending:
                written = self._file.write(self._pending[0]) or 0
                if written < len(self._pending[0]):
                    self._pending[0] = self._pending[0][written:]
                    continue
                self._pending.pop(0)
        except OSError as error:
            self.error = error.strerror or str(error)

    def close(self) -> int:
        """Write what is left and close the file; the number of lines that could not be written."""
        self._write()
        try:
            os.ftruncate(self._file.fileno(), self._file.tell())  # gives back what was reserved
            os.fsync(self._file.fileno())
            self._file.close()
        except OSError as error:  # a file system that reports a full disk only now
            self.error = error.strerror or str(error)
            return self.lines
        return len(self._pending)


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
    on_problem: Callable[[Problem], None] | None = None,
    validation_engine: str = "auto",
    batch_size: int | None = None,
    workers: int = 1,
) -> IngestReport:
    """Ingest the releases found under ``paths`` (files and folders) into ``store``.

    ``force`` re-extracts releases stored unchanged; ``progress`` wraps the file list (a progress bar);
    ``curation`` is applied to every release graph (:func:`cckg.ingest.curate.load`; default: none).
    Each release graph is validated before it is stored (``validate``, with ``validation_engine``,
    see :data:`cckg.validation.ENGINES`), ``batch_size`` graphs at a time (default
    :data:`VALIDATION_BATCH`; 1 stores each release before the next is read); one with Violations
    is not stored unless ``store_invalid``.  ``on_problem`` is called with each :class:`Problem` as
    it happens.

    ``workers`` > 1 reads, extracts, maps and curates the releases in that many worker processes
    (at most one per :data:`WORKER_CHUNK` files, so a few files are read here), a chunk at a time;
    this process alone reads and writes the store, and takes the releases in file order, so the
    store and the report are the same for any ``workers``.
    """
    batch_size = batch_size or VALIDATION_BATCH
    stages = stages or default_stages()
    curation = curation or Curation()
    report = IngestReport(on_problem=on_problem)
    report.vocabulary_loaded = load_vocabulary(store, stages.vocabulary_graph, ontology())
    files = report.found(stages.find_releases(paths))
    seen: dict[URIRef, tuple[str, Path]] = {}
    texts: Texts = {}
    vocabulary = stages.vocabulary_graph
    check = _checker(store, vocabulary, report, store_invalid, validation_engine) if validate else None
    expected = (stages.release_error, CckgError)
    ordered = progress(files) if progress else files
    engine = validation_engine if validate else None
    prepared = _preparations(store, files, stages, report, seen, force, curation, texts, workers, engine)
    pending: list[Pending] = []
    for path, prepare in zip(ordered, prepared, strict=True):
        try:
            item = prepare()
        except Exception as error:  # one broken release never stops the others
            report.failed(path, error, expected)
            continue
        if item is not None:
            pending.append(item)
        if len(pending) >= batch_size:
            _store_batch(store, pending, report, check, expected)
            _settle(texts, pending)
            pending = []
    _store_batch(store, pending, report, check, expected)
    return report



def _preparations(
    store: Store,
    files: list[Path],
    stages: Stages,
    report: IngestReport,
    seen: dict[URIRef, tuple[str, Path]],
    force: bool,
    curation: Curation,
    texts: Texts,
    workers: int,
    validation_engine: str | None,
) -> Iterable[Callable[[], Pending | None]]:
    """One call per file, in file order, giving its release graph ready to store (or None): read,
    extracted, mapped and curated here, or in ``workers`` worker processes (a process per
    :data:`WORKER_CHUNK` files at most; the shapes of ``validation_engine`` compiled meanwhile)."""
    workers = min(workers, -(-len(files) // WORKER_CHUNK))
    if workers <= 1:
        return (
            lambda path=path: _prepare_one(store, path, stages, report, seen, force, curation, texts)
            for path in files
        )
    if stages.extract is extract_readable:
        _warm_up()  # loaded once here, and shared by the forked workers
    compile_shapes = _compiler(validation_engine) if validation_engine else None
    extracted = _extracted_in_workers(store, files, stages, force, curation, workers, compile_shapes)
    return (
        lambda one=one: _admit(store, one, stages, report, seen, force, curation, texts)
        for one in extracted
    )

@dataclass(frozen=True)
class Pending:
    """A release graph ready to be validated and stored."""

    path: Path
    release: Any  # the release as read (its id, and its language for the report)
    graph_iri: URIRef
    graph: rdflib.Graph | list[tuple[Any, Any, Any]]  # as a worker process sends it: its triples


def _store_batch(
    store: Store,
    batch: list[Pending],
    report: IngestReport,
    check: Checker | None,
    expected: tuple[type[Exception], ...],
) -> None:
    """Validate ``batch`` (one validation run) and store the releases it lets through."""
    if not batch:
        return
    try:
        decisions = check(batch) if check is not None else [True] * len(batch)
    except Exception as error:  # the shapes cannot be used, the store cannot be read
        for item in batch:
            report.failed(item.path, error, expected)
        return
    for item, keep in zip(batch, decisions, strict=True):
        if not keep:
            continue
        try:
            report.triples += store.replace_graph(item.graph_iri, item.graph)
        except Exception as error:  # one broken release never stops the others
            report.failed(item.path, error, expected)
            continue
        report.ingested.append(item.release.id)
        report.not_read(item.path, item.release)


def _prepare_one(
    store: Store,
    path: Path,
    stages: Stages,
    report: IngestReport,
    seen: dict[URIRef, tuple[str, Path]],
    force: bool,
    curation: Curation,
    texts: Texts | None = None,
) -> Pending | None:
    """Read, extract, map and curate one release; None when it is stored unchanged, or its text is
    stored under another release (a duplicate)."""
    texts = {} if texts is None else texts
    release = stages.read_release(path)
    graph_iri = stages.release_iri(release.id)
    _claim(seen, graph_iri, release.id, path)
    stored = store.graph_metadata(graph_iri)
    _check_release_id(stored, release.id, graph_iri)
    digest = curation.digest(release.id)
    if not force and _stored_key(stored) == (release.content_hash, __version__, digest):
        report.unchanged.append(release.id)
        texts.setdefault(release.content_hash, FirstText(release.id, _source(release), graph_iri))
        return None
    kept = _duplicate_of(store, release, graph_iri, path, stored, texts, seen, report)
    if kept is None:
        return None
    graph = _release_graph(release, graph_iri, stages, curation, digest)
    return _first_text(Pending(path, release, graph_iri, graph), kept, texts)


# --- one text under several file names ---------------------------------------------------------


@dataclass(frozen=True)
class FirstText:
    """The first release of an ingest with a given text: stored unchanged, or ``pending``."""

    release_id: str
    source: str
    graph: URIRef
    pending: Pending | None = None


#: The first release of this ingest with each content hash.
Texts = dict[str, FirstText]


def _source(release: Any) -> str:
    """The file a release was read from, as its ``dcterms:source`` gives it."""
    return str(getattr(release, "source", release.id))


def _also_source(graph: URIRef, source: str) -> tuple[URIRef, URIRef, Literal]:
    return (graph, CCKG.alsoSource, Literal(source))


def _first_text(pending: Pending, kept: Sequence[str], texts: Texts) -> Pending:
    """``pending`` with the other files of its text kept from its stored graph, recorded as the
    first release of its text in this ingest."""
    release = pending.release
    for source in kept:
        _add_triple(pending, _also_source(pending.graph_iri, source))
    if release.content_hash:
        first = FirstText(release.id, _source(release), pending.graph_iri, pending)
        texts.setdefault(release.content_hash, first)
    return pending


def _add_triple(pending: Pending, triple: tuple[Node, Node, Node]) -> None:
    """Add ``triple`` to the release graph of ``pending`` (an rdflib graph, or a worker's list)."""
    if isinstance(pending.graph, list):
        pending.graph.append(triple)
    else:
        pending.graph.add(triple)


def _duplicate_of(
    store: Store,
    release: Any,
    graph_iri: URIRef,
    path: Path,
    stored: Any,
    texts: Texts,
    seen: dict[URIRef, tuple[str, Path]],
    report: IngestReport,
) -> tuple[str, ...] | None:
    """None when the text of ``release`` is stored under another release (or comes earlier in this
    ingest): it is counted as a duplicate and its file recorded on that release.  Else the other
    files of its text to keep on its own graph (recorded there when it was stored)."""
    content_hash = getattr(release, "content_hash", None)
    if not content_hash:  # a release with no text hash is never taken for another
        return ()
    first = texts.get(content_hash)
    if first is not None and first.graph != graph_iri:
        if first.pending is not None:  # to be stored with this batch
            triple = _also_source(first.graph, _source(release))
            if _source(release) != first.source and triple not in first.pending.graph:
                _add_triple(first.pending, triple)
            return _duplicate(store, stored, report, path, release.id, (first.release_id, first.source))
        found = {text.graph: text for text in store.releases_with_hash(content_hash)}
        if first.graph in found:
            _record(store, found[first.graph], first.graph, _source(release), report)
            return _duplicate(store, stored, report, path, release.id, (first.release_id, first.source))
        del texts[content_hash]  # the first was not stored (rejected, failed): this one may be
    found_texts = store.releases_with_hash(content_hash)
    own = next((text for text in found_texts if text.graph == graph_iri), None)
    if own is not None and stored.content_hash == content_hash:
        return own.also_sources  # the release stored with this text: not a duplicate
    others = [text for text in found_texts if text.graph != graph_iri and text.graph not in seen]
    if not others:
        return ()
    target = others[0]
    _record(store, target, target.graph, _source(release), report)
    return _duplicate(store, stored, report, path, release.id, (target.release_id, target.source))


def _settle(texts: Texts, batch: list[Pending]) -> None:
    """The releases of ``batch`` are stored (or rejected): the files of their text found from now
    on are recorded in the store."""
    for item in batch:
        first = texts.get(item.release.content_hash)
        if first is not None and first.pending is item:
            texts[item.release.content_hash] = replace(first, pending=None)


def _record(store: Store, stored: Any, graph: URIRef, source: str, report: IngestReport) -> None:
    """Record ``source`` as another file of the stored release in ``graph`` (once)."""
    if stored is not None and (source == stored.source or source in stored.also_sources):
        return
    report.triples += store.add_triples(graph, [_also_source(graph, source)])


def _duplicate(
    store: Store, stored: Any, report: IngestReport, path: Path, release_id: str, first: tuple[str, str]
) -> None:
    """Count ``path`` as a duplicate of the release ``first`` (its id and file).  The release this
    file gave before, when its text was another, is removed: the file's text is stored as ``first``."""
    report.duplicate.append(release_id)
    message = f"{path}: same text as release {first[0]} ({first[1]}); stored once"
    if getattr(stored, "content_hash", None) is not None:
        store.remove_graph(stored.graph)
        message += f"; the release {release_id} stored before from this file is removed"
    report.add("duplicate", path, message)
    return None


def _stored_key(stored: Any) -> tuple[str | None, str | None, str | None]:
    """What makes a stored release unchanged: its content hash, software version, curation digest."""
    return (stored.content_hash, stored.software_version, stored.curation_digest)


def _check_release_id(stored: Any, release_id: str, graph_iri: URIRef) -> None:
    if stored.release_id is not None and stored.release_id != release_id:
        raise ValueError(
            f"release id {release_id!r} names the graph of the stored release {stored.release_id!r} "
            f"({graph_iri}); rename the file, or remove {stored.release_id!r} first"
        )


def _release_graph(
    release: Any, graph_iri: URIRef, stages: Stages, curation: Curation, digest: str | None
) -> rdflib.Graph:
    """The curated RDF of one release read from its file."""
    graph = stages.facts_to_graph(stages.extract(release))
    if entries := curation.for_release(release.id):
        text = getattr(release, "text", None)
        graph = curate.apply(graph, entries, graph_iri, text=text, digest=digest, to_graph=map_facts)
    if blank := next(_blank_nodes(graph), None):
        raise ValueError(f"the RDF mapping made a blank node ({blank.n3()}); every node needs an IRI")
    return graph


# --- ingest in worker processes ------------------------------------------------------------------

#: Release files a worker process takes at a time.
WORKER_CHUNK = 16


@dataclass(frozen=True)
class Extracted:
    """What a worker process made of one release file, for this process to admit in file order."""

    path: Path
    guessed: URIRef  # the graph this process looked the stored version up in (from the file name)
    stored: Any  # that graph's GraphMetadata, or the Exception looking it up raised
    release: Any = None  # the release as read; None when it could not be read (see error)
    unchanged: bool = False  # stored unchanged: not extracted
    triples: list[tuple[Any, Any, Any]] | None = None  # the curated release graph
    error: str | None = None  # the failure, as the line that reports it
    undecided: bool = False  # the release's graph is not the one guessed: this process prepares it


_WORKER: dict[str, Any] = {}


def _start_worker(stages: Stages, curation: Curation, force: bool) -> None:
    _WORKER.update(stages=stages, curation=curation, force=force)


def _extract_chunk(chunk: list[Extracted]) -> list[Extracted]:
    """Read, extract, map and curate a chunk of release files (in a worker process)."""
    return [_extract_one(one, _WORKER["stages"], _WORKER["curation"], _WORKER["force"]) for one in chunk]


def _extract_one(one: Extracted, stages: Stages, curation: Curation, force: bool) -> Extracted:
    expected = (stages.release_error, CckgError)
    try:
        release = stages.read_release(one.path)
    except Exception as error:  # reported by the parent, in file order
        return replace(one, error=failure_message(one.path, error, expected))
    graph_iri = stages.release_iri(release.id)
    if graph_iri != one.guessed or isinstance(one.stored, Exception):
        return replace(one, release=release, undecided=True)
    digest = curation.digest(release.id)
    if not force and _stored_key(one.stored) == (release.content_hash, __version__, digest):
        return replace(one, release=release, unchanged=True)
    try:
        triples = list(_release_graph(release, graph_iri, stages, curation, digest))
    except Exception as error:
        return replace(one, release=release, error=failure_message(one.path, error, expected))
    return replace(one, release=release, triples=triples)


def _worker_context() -> Any:
    """Fork where there is fork (the workers start at once, with this process's modules loaded)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _warm_up() -> None:
    """Load the extractor's knowledge and its spaCy pipeline (by extracting a short invented text);
    an extractor that fails here fails on each release, which reports it."""
    with suppress(Exception):
        extract_readable(read.parse_release("Customs officers met the police in Lisbon.\n", "warm-up", "-"))


def _compiler(engine: str) -> Callable[[], None]:
    """Compile the shapes for the ``indexed`` engine (what the first batch would do)."""

    def compile_shapes() -> None:
        if validation.resolve_engine(engine) == "indexed":
            validation.batch_engine(validation.default_shapes(), ontology())

    return compile_shapes


def _extracted_in_workers(
    store: Store,
    files: list[Path],
    stages: Stages,
    force: bool,
    curation: Curation,
    workers: int,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Extracted]:
    """Each of ``files`` read, extracted, mapped and curated by ``workers`` processes, in file order;
    a few chunks ahead of the one this process takes, so that memory stays bounded.  ``meanwhile``
    runs here once the first chunks are out (work the first batch needs: the shapes compiled)."""
    chunks = [files[start : start + WORKER_CHUNK] for start in range(0, len(files), WORKER_CHUNK)]
    ahead: deque[tuple[list[Extracted], Future[list[Extracted]]]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_worker_context(),
        initializer=_start_worker,
        initargs=(stages, curation, force),
    ) as pool:

        def submit(chunk: list[Path]) -> None:
            looked = [_looked_up(store, stages, path) for path in chunk]
            ahead.append((looked, pool.submit(_extract_chunk, looked)))

        queued = iter(chunks)
        for chunk in islice(queued, 3 * workers):
            submit(chunk)
        if meanwhile is not None:
            with suppress(Exception):  # the first batch meets the same error and reports it
                meanwhile()
        while ahead:
            looked, future = ahead.popleft()
            if (chunk := next(queued, None)) is not None:
                submit(chunk)
            try:
                done = future.result()
            except Exception as error:  # a worker process died (killed, out of memory)
                reason = " ".join(str(error).split()) or type(error).__name__
                failure = "the worker process failed"
                done = [replace(one, error=f"{one.path}: {failure}: {reason}") for one in looked]
            yield from done


def _looked_up(store: Store, stages: Stages, path: Path) -> Extracted:
    """A file to extract, with the stored version of the graph its name gives."""
    guessed = stages.release_iri(identity.release_id(path.name))
    try:
        stored: Any = store.graph_metadata(guessed)
    except Exception as error:  # reported when the file's turn comes, as _prepare_one would
        stored = error
    return Extracted(path, guessed, stored)


def _admit(
    store: Store,
    one: Extracted,
    stages: Stages,
    report: IngestReport,
    seen: dict[URIRef, tuple[str, Path]],
    force: bool,
    curation: Curation,
    texts: Texts | None = None,
) -> Pending | None:
    """What :func:`_prepare_one` makes of a file, from what a worker made of it."""
    texts = {} if texts is None else texts
    if one.release is None:
        report.add("failed", one.path, one.error or f"{one.path}: not read")
        return None
    if one.undecided:
        return _prepare_one(store, one.path, stages, report, seen, force, curation, texts)
    release = one.release
    graph_iri = one.guessed
    _claim(seen, graph_iri, release.id, one.path)
    _check_release_id(one.stored, release.id, graph_iri)
    if one.unchanged:
        report.unchanged.append(release.id)
        texts.setdefault(release.content_hash, FirstText(release.id, _source(release), graph_iri))
        return None
    if one.error is not None:
        report.add("failed", one.path, one.error)
        return None
    kept = _duplicate_of(store, release, graph_iri, one.path, one.stored, texts, seen, report)
    if kept is None:
        return None
    return _first_text(Pending(one.path, release, graph_iri, list(one.triples or [])), kept, texts)


def _claim(seen: dict[URIRef, tuple[str, Path]], graph: URIRef, release_id: str, path: Path) -> None:
    """Record that ``path`` (release ``release_id``) writes ``graph``; an error if another file of
    this ingest does (two file names whose release ids name one graph, see cckg.identity)."""
    other_id, other = seen.setdefault(graph, (release_id, path))
    if other == path:
        return
    if other_id == release_id:
        raise ValueError(f"release id {release_id!r} is also the id of {other}; rename one file")
    raise ValueError(
        f"release id {release_id!r} names the same graph as release id {other_id!r} ({other}): "
        f"{graph}; rename one file"
    )


#: Validates a batch of release graphs before they are stored; returns, for each, whether to store it.
Checker = Callable[[Sequence[Pending]], list[bool]]


def _checker(
    store: Store, vocabulary_graph: URIRef, report: IngestReport, store_invalid: bool, engine: str = "auto"
) -> Checker:
    """Validate a batch of release graphs with the shapes, the ontology and the store's context;
    record each in ``report.checks`` unless it is clean."""
    shapes = validation.default_shapes()

    def check(batch: Sequence[Pending]) -> list[bool]:
        graphs = [item.graph for item in batch]
        skip = [vocabulary_graph]
        results = validation.validate_batch(graphs, store, shapes, ontology(), skip=skip, engine=engine)
        pairs = zip(batch, results, strict=True)
        return [_decide(item, result, report, store_invalid) for item, result in pairs]

    return check


def _decide(item: Pending, result: Any, report: IngestReport, store_invalid: bool) -> bool:
    """Whether to store a validated release; its report kept unless it is clean."""
    if result.ok():
        return True
    stored = result.ok(allow_warnings=True) or store_invalid
    release_id = item.release.id
    report.checks.append(ReleaseCheck(item.path, release_id, result, stored))
    if not result.ok(allow_warnings=True):
        verdict = "stored with" if stored else "not stored:"
        counts = validation.count_text(result)
        report.add("invalid", item.path, f"{item.path}: {verdict} {counts} (release {release_id})")
    return stored


def _blank_nodes(graph: rdflib.Graph) -> Iterator[BNode]:
    for triple in graph:
        for term in triple:
            if isinstance(term, BNode):
                yield term


def release_graph(spec: str, release_iri: Callable[[str], URIRef] = identity.release_iri) -> URIRef:
    """The named graph of a release given as its IRI, its release id or its file path."""
    if spec.startswith(("http://", "https://")):
        return identity.checked_iri(spec)
    path = Path(spec)
    looks_like_file = path.suffix.lower() in read.RELEASE_SUFFIXES or "/" in spec or path.is_file()
    return release_iri(identity.release_id(path.name) if looks_like_file else spec)
