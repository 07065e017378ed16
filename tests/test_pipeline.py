"""Ingest (cckg.pipeline): one graph per release, idempotent, changed releases replaced, errors collected."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import BNode, Literal
from rdflib.compare import isomorphic

from cckg import __version__, pipeline
from cckg.namespaces import ontology
from cckg.store import (
    OxigraphStore,
)
from conftest import (
    RELEASE_2004,
    RELEASE_2023,
    REPO,
    VOCABULARY,
    fake_stages,
    fixture_graphs,
)

EX = rdflib.Namespace("https://example.org/")


# --- ingest ---------------------------------------------------------------------------------


def _quads(store: OxigraphStore) -> set:
    return set(store.oxigraph)


def test_ingest_stores_one_graph_per_release_and_the_vocabulary(release_dir: Path) -> None:
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert report.ok and report.files == 2
        assert report.ingested == ["000_d93ee451fa80120b", "001_c98b5c3fca22d16e"]
        assert report.vocabulary_loaded
        assert set(store.graph_names()) == {RELEASE_2023, RELEASE_2004, VOCABULARY}
        assert isomorphic(store.graph(VOCABULARY), ontology())
        for name, graph in fixture_graphs().items():
            stored = store.graph(name)
            assert set(stored.predicates()) == set(graph.predicates())
            assert len(stored) == len(graph)


def test_ingest_twice_leaves_exactly_the_same_quads(release_dir: Path) -> None:
    with OxigraphStore() as store:
        pipeline.ingest(store, [release_dir], stages=fake_stages())
        first = _quads(store)
        again = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert again.ingested == [] and again.unchanged == ["000_d93ee451fa80120b", "001_c98b5c3fca22d16e"]
        assert not again.vocabulary_loaded
        assert _quads(store) == first
        forced = pipeline.ingest(store, [release_dir], stages=fake_stages(), force=True)
        assert len(forced.ingested) == 2
        assert _quads(store) == first


def test_a_changed_release_is_replaced(release_dir: Path) -> None:
    with OxigraphStore() as store:
        pipeline.ingest(store, [release_dir], stages=fake_stages())
        changed = release_dir / "000_d93ee451fa80120b.txt"
        changed.write_text(changed.read_text() + "An update.\n")
        report = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert report.ingested == ["000_d93ee451fa80120b"]
        assert report.unchanged == ["001_c98b5c3fca22d16e"]
        assert store.graph_metadata(RELEASE_2023).software_version == __version__


def test_one_broken_release_does_not_stop_the_others(release_dir: Path) -> None:
    (release_dir / "002_broken.txt").write_text("BROKEN\n")
    with OxigraphStore() as store:
        report = pipeline.ingest(
            store, [release_dir, release_dir / "nowhere.txt"], stages=fake_stages()
        )
        assert not report.ok
        assert report.errors == [
            f"{release_dir / '002_broken.txt'}: not a press release",
            f"{release_dir / 'nowhere.txt'}: no such file",
        ]
        assert set(store.graph_names()) == {RELEASE_2023, RELEASE_2004, VOCABULARY}


def test_a_failing_stage_is_collected_with_the_file_name(release_dir: Path) -> None:
    stages = fake_stages()

    def explode(release: object) -> object:
        if "000" in release.id:  # type: ignore[attr-defined]
            raise RuntimeError("extractor crashed")
        return release

    from dataclasses import replace

    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=replace(stages, extract=explode))
        assert report.errors == [
            f"{release_dir / '000_d93ee451fa80120b.txt'}: RuntimeError: extractor crashed"
        ]
        assert report.ingested == ["001_c98b5c3fca22d16e"]


def test_blank_nodes_from_the_mapping_are_refused(release_dir: Path) -> None:
    stages = fake_stages()

    def with_blank(release: object) -> rdflib.Graph:
        graph = stages.facts_to_graph(release)
        graph.add((BNode(), EX.p, Literal("x")))
        return graph

    from dataclasses import replace

    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=replace(stages, facts_to_graph=with_blank))
        assert len(report.errors) == 2
        assert all("blank node" in error for error in report.errors)


def test_duplicate_release_ids_are_reported(release_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "000_d93ee451fa80120b.txt").write_text("same id, other file\n")
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir, other], stages=fake_stages())
        assert len(report.errors) == 1 and "also the id of" in report.errors[0]


def test_ingest_of_the_real_pipeline_is_idempotent(tmp_path: Path) -> None:
    """The lead's reader, extractor and mapping on the seed releases: stored twice, same quads."""
    pytest.importorskip("cckg.ingest.map")
    pytest.importorskip("cckg.ingest.extract")
    releases = REPO / "data" / "releases"
    if not any(releases.glob("*.txt")):
        pytest.skip("no seed releases")
    with OxigraphStore(tmp_path / "store") as store:
        first = pipeline.ingest(store, [releases])
        assert first.ok, first.errors
        quads = _quads(store)
        named = [q for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode)]  # not the merged graph
        in_releases = [q for q in named if q.graph_name.value != str(VOCABULARY)]
        release_terms = [t for q in in_releases for t in (q.subject, q.object)]
        assert not any(isinstance(t, pyoxigraph.BlankNode) for t in release_terms)
        second = pipeline.ingest(store, [releases])
        assert second.ingested == [] and len(second.unchanged) == first.files
        assert _quads(store) == quads


def test_a_new_software_version_extracts_stored_releases_again(
    release_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with OxigraphStore() as store:
        pipeline.ingest(store, [release_dir], stages=fake_stages())
        monkeypatch.setattr(pipeline, "__version__", __version__ + ".post1")
        report = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert report.ingested == ["000_d93ee451fa80120b", "001_c98b5c3fca22d16e"] and report.unchanged == []
