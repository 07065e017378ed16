"""Shared test fixtures: the two hand-written release graphs in tests/fixtures/ loaded into stores."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib import RDF, Literal, URIRef

from cckg import __version__
from cckg.cli import main
from cckg.pipeline import Stages
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RELEASE_FIXTURES = sorted(FIXTURES.glob("release-*.ttl"))
TEST_SHAPES = FIXTURES / "test-shapes.ttl"
CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
ID = rdflib.Namespace("https://w3id.org/cckg/id/")
SCHEMA = rdflib.Namespace("http://schema.org/")
VOCABULARY = URIRef("https://w3id.org/cckg/graph/vocabulary")
RELEASE_2023 = ID["release/000-d93ee451fa80120b"]
RELEASE_2004 = ID["release/001-c98b5c3fca22d16e"]


def run_cli(*args: str | Path, input: str | None = None) -> Result:
    """Run the ``cckg`` command through its real entry point (click's test runner)."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def command_paths(group: click.Group = main, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command of the ``cckg`` command line by its path ("export agencies")."""
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += command_paths(command, f"{path} ")
        else:
            found.append((path, command))
    return found


def one_line_error(result: Result) -> str:
    """The one line a failing command writes on standard error."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cckg: error: ")
    return lines[0]


def release_of(graph: rdflib.Graph) -> URIRef:
    return next(s for s in graph.subjects(RDF.type, CCKG.Release) if isinstance(s, URIRef))


def fixture_graphs() -> dict[URIRef, rdflib.Graph]:
    """Each fixture release graph by its graph name (the release IRI)."""
    graphs = {}
    for path in RELEASE_FIXTURES:
        graph = rdflib.Graph().parse(path, format="turtle")
        graphs[release_of(graph)] = graph
    return graphs


def load_fixtures(store: OxigraphStore) -> OxigraphStore:
    for name, graph in fixture_graphs().items():
        store.replace_graph(name, graph)
    return store


@pytest.fixture
def kg() -> Iterator[OxigraphStore]:
    """An in-memory store holding the two fixture releases."""
    with OxigraphStore() as store:
        yield load_fixtures(store)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """An on-disk store holding the two fixture releases (closed, ready for the CLI)."""
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        load_fixtures(store)
    return path


# --- a third release (tests/fixtures/extra/), and the seeds really ingested ----------------------

#: A made-up third release for the query and show tests: kept out of RELEASE_FIXTURES so that the
#: tests built on the two seed fixtures keep their counts.
EXTRA_RELEASE = FIXTURES / "extra" / "release-002.ttl"
EXTRA_TEXT = FIXTURES / "extra" / "002_5e1f0c2a9b7d4e31.txt"


def load_three_releases(store: OxigraphStore) -> OxigraphStore:
    load_fixtures(store)
    graph = rdflib.Graph().parse(EXTRA_RELEASE, format="turtle")
    store.replace_graph(release_of(graph), graph)
    return store


@pytest.fixture
def kg3() -> Iterator[OxigraphStore]:
    """An in-memory store holding the two fixture releases and the extra third one."""
    with OxigraphStore() as store:
        yield load_three_releases(store)


@pytest.fixture
def kg3_path(tmp_path: Path) -> Path:
    """An on-disk store holding the three fixture releases (closed, ready for the CLI)."""
    path = tmp_path / "store3"
    with OxigraphStore(path) as store:
        load_three_releases(store)
    return path


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store built by really ingesting data/releases (reader, extractor, mapping)."""
    pytest.importorskip("cckg.ingest.extract")
    from cckg.pipeline import ingest

    path = tmp_path_factory.mktemp("seeds") / "store"
    with OxigraphStore(path) as store:
        report = ingest(store, [REPO / "data" / "releases"])
    assert report.ok and len(report.ingested) == 2, report.errors
    return path


# --- stand-ins for the reader, extractor and mapping, for ingest tests --------------------------


class FakeReleaseError(Exception):
    pass


@dataclass(frozen=True)
class FakeRelease:
    id: str
    source: str
    content_hash: str


def fake_stages() -> Stages:
    """Stages whose "extraction" of a file NNN_*.txt is fixture release-NNN.ttl (with its hash).

    A file containing the word BROKEN fails to read, like a release the reader rejects.
    """

    def find(paths: Iterable[Path]) -> list[Path]:
        found: list[Path] = []
        for path in paths:
            found.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
        return found

    def read(path: Path) -> FakeRelease:
        if not path.is_file():
            raise FakeReleaseError(f"{path}: no such file")
        text = path.read_text(encoding="utf-8")
        if "BROKEN" in text:
            raise FakeReleaseError(f"{path}: not a press release")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return FakeRelease(path.stem, str(path), f"sha256:{digest}")

    def to_graph(release: FakeRelease) -> rdflib.Graph:
        graph = rdflib.Graph().parse(FIXTURES / f"release-{release.id[:3]}.ttl", format="turtle")
        for agent in graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/prov#SoftwareAgent")):
            graph.set((agent, SCHEMA.softwareVersion, Literal(__version__)))
        graph.set((release_of(graph), CCKG.contentHash, Literal(release.content_hash)))
        return graph

    return Stages(
        find_releases=find,
        read_release=read,
        extract=lambda release: release,
        facts_to_graph=to_graph,
        release_iri=lambda release_id: ID[f"release/{release_id.replace('_', '-')}"],
        vocabulary_graph=VOCABULARY,
        release_error=FakeReleaseError,
    )


@pytest.fixture
def release_dir(tmp_path: Path) -> Path:
    """A folder with two release files that :func:`fake_stages` maps to the two fixture graphs."""
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "000_d93ee451fa80120b.txt").write_text("Hong Kong Customs and Korea Customs Service, 2023.\n")
    (folder / "001_c98b5c3fca22d16e.txt").write_text("Hong Kong Customs and Korea Customs, 2004.\n")
    return folder
