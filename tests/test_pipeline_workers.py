"""``cckg ingest --workers N``: the same store and the same report for any number of workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from cckg import pipeline
from conftest import run_cli


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated releases, with broken files among them (an empty one, one not UTF-8)."""
    folder = tmp_path_factory.mktemp("generated")
    result = run_cli("generate", "36", "-o", folder, "--seed", "7")
    assert result.exit_code == 0, result.output
    releases = folder / "releases"
    (releases / "synth-0000010a.txt").write_text("  \n", encoding="utf-8")
    (releases / "synth-0000020a.txt").write_bytes(b"Police \xff\xfe cooperation.\n")
    return releases


def dataset(store: Path) -> dict[rdflib.term.Node, rdflib.Graph]:
    """The store's graphs by name, without the time each release was mapped (it differs per run)."""
    dumped = run_cli("--store", store, "dump", "--format", "nquads")
    assert dumped.exit_code == 0, dumped.output
    data = rdflib.Dataset()
    data.parse(data=dumped.stdout_bytes, format="nquads")
    graphs = {}
    for graph in data.graphs():
        if len(graph):
            graph.remove((None, PROV.endedAtTime, None))
            graphs[graph.identifier] = graph
    return graphs


def test_any_number_of_workers_makes_the_same_store_and_report(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "WORKER_CHUNK", 5)  # 8 chunks for 38 files
    runs = {}
    for workers in ("1", "2"):
        store = tmp_path / f"store-{workers}"
        result = run_cli("--store", store, "ingest", "--workers", workers, releases)
        assert result.exit_code == 1, result.output  # the two broken files
        runs[workers] = (result.stderr, dataset(store))
    (report_1, store_1), (report_2, store_2) = runs["1"], runs["2"]
    assert report_2 == report_1
    assert "ingested 36, unchanged 0, duplicate 0, failed 2" in report_2
    assert report_2.index("synth-0000010a.txt") < report_2.index("synth-0000020a.txt")
    assert store_2.keys() == store_1.keys() and len(store_2) == 37  # 36 releases and the vocabulary
    for name, graph in store_1.items():
        assert isomorphic(store_2[name], graph), name


def test_workers_skip_releases_stored_unchanged(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "WORKER_CHUNK", 10)
    releases = Path(shutil.copytree(releases, tmp_path / "releases"))
    store = tmp_path / "store"
    first = run_cli("--store", store, "ingest", "--workers", "2", releases)
    assert "ingested 36, unchanged 0" in first.stderr
    (releases / "synth-0000003.txt").write_text("Police of Ruritania and Customs of Freedonia met.\n")
    again = run_cli("--store", store, "ingest", "--workers", "2", releases)
    assert "ingested 1, unchanged 35, duplicate 0, failed 2" in again.stderr, again.stderr
