"""Incremental and atomic: remove releases, replace in one transaction, survive a kill, cost per release."""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from cckg import pipeline
from cckg.sparql import QueryResult
from cckg.store import (
    OxigraphStore,
    copy_graphs,
)
from conftest import (
    RELEASE_2004,
    RELEASE_2023,
    VOCABULARY,
    fake_stages,
    fixture_graphs,
    load_fixtures,
    run_cli,
)

HERE = Path(__file__).resolve().parent
EX = rdflib.Namespace("https://example.org/")
LIMIT = 60.0




# --- remove ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    ["001_c98b5c3fca22d16e", "data/releases/001_c98b5c3fca22d16e.txt", "001_C98B5C3FCA22D16E.html",
     str(RELEASE_2004)],
)
def test_remove_takes_out_all_quads_of_the_release_and_nothing_else(store_path: Path, spec: str) -> None:
    result = run_cli("--store", store_path, "remove", spec)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["removed 1, not found 0"]
    with OxigraphStore(store_path, read_only=True) as store:
        assert store.graph_names() == [RELEASE_2023]
        assert not any(getattr(q.graph_name, "value", None) == str(RELEASE_2004) for q in store.oxigraph)
        merged = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # what the others support
        assert isomorphic(merged, store.graph(RELEASE_2023) + store.graph(VOCABULARY))  # type: ignore[operator]
        assert isomorphic(store.graph(RELEASE_2023), fixture_graphs()[RELEASE_2023])


def test_remove_reports_releases_that_are_not_there(store_path: Path, tmp_path: Path) -> None:
    result = run_cli("--store", store_path, "remove", "001_c98b5c3fca22d16e", "nope")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "cckg: nope: no such release in the store (https://w3id.org/cckg/id/release/nope)",
        "removed 1, not found 1",
    ]
    missing = run_cli("--store", tmp_path / "none", "remove", "x")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "none").exists()


def test_remove_graphs_is_one_update() -> None:
    updates: list[str] = []

    class Counting(OxigraphStore):
        def update(self, sparql: str) -> None:
            updates.append(sparql)
            super().update(sparql)

    with Counting() as store:
        load_fixtures(store)
        updates.clear()
        assert store.remove_graphs([RELEASE_2004, EX.none, RELEASE_2023]) == [RELEASE_2004, RELEASE_2023]
        assert len(updates) == 1 and store.graph_names() == []


# --- replace in one transaction, even when killed -------------------------------------------------


def test_a_release_that_fails_leaves_its_old_graph(release_dir: Path) -> None:
    stages = fake_stages()
    with OxigraphStore() as store:
        pipeline.ingest(store, [release_dir], stages=stages)
        before = set(store.oxigraph)
        changed = release_dir / "000_d93ee451fa80120b.txt"
        changed.write_text(changed.read_text() + "Changed.\n")

        def half_way(release: object) -> rdflib.Graph:
            stages.facts_to_graph(release)
            raise RuntimeError("mapping crashed half-way")

        report = pipeline.ingest(store, [release_dir], stages=replace(stages, facts_to_graph=half_way))
        assert report.errors and "mapping crashed half-way" in report.errors[0]
        assert set(store.oxigraph) == before


def graph_versions(store: OxigraphStore, releases: list[str], size: int) -> dict[str, str]:
    """The version each release graph holds, checking that it holds exactly one, whole."""
    versions = {}
    for release in releases:
        graph = store.graph(EX[f"release/{release}"])
        values = {str(o) for o in graph.objects(None, EX.version)}
        assert len(values) == 1 and len(graph) == size, f"{release}: {len(graph)} triples, versions {values}"
        versions[release] = values.pop()
    return versions


@pytest.mark.parametrize("trial", range(2))
def test_a_process_killed_mid_ingest_leaves_each_release_whole(tmp_path: Path, trial: int) -> None:
    size, releases = 10_000, ["r1", "r2", "r3", "r4"]
    folder, store_path = tmp_path / "releases", tmp_path / "store"
    folder.mkdir()
    with OxigraphStore(store_path) as store:  # the "old" state, written fast
        store.oxigraph.extend(
            ox.Quad(ox.NamedNode(f"{EX}{r}/s{i}"), ox.NamedNode(EX.version), ox.Literal("old"),
                    ox.NamedNode(f"{EX}release/{r}"))
            for r in releases
            for i in range(size)
        )
    for release in releases:  # four texts: one text under two names would be stored once
        (folder / f"{release}.txt").write_text(f"new\n{release}\n")
    child = [sys.executable, str(HERE / "killable_ingest.py"), str(store_path), str(folder), str(size)]

    process = subprocess.Popen(child, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + LIMIT * 4
    line = ""
    while "ingesting r2" not in line and time.monotonic() < deadline:  # r1 is stored, r2 in flight
        line = process.stdout.readline()
        assert line, "the ingest ended before it could be killed"
    time.sleep(random.Random(trial).uniform(0.0, 0.6))
    process.send_signal(signal.SIGKILL)
    process.wait(LIMIT)
    assert process.returncode == -signal.SIGKILL

    with OxigraphStore(store_path, read_only=True) as store:
        versions = graph_versions(store, releases, size)
    assert versions["r1"] == "new", "the release stored before the kill stays stored"
    assert versions["r4"] == "old", "the releases after it are as they were"
    assert versions["r2"] in ("old", "new")


# --- the cost of a release does not depend on the store ---------------------------------------------


#: The first triple pattern of a GRAPH ?g { ... } block: a pattern over every graph.
ANY_GRAPH_PATTERN = re.compile(r"GRAPH \?\w+ \{ (?P<s>\S+) (?P<p>\S+) (?P<o>\S+)")
#: The support rule's lookup (cckg.store.base): each triple of one named graph, looked up in the
#: others, so its subject and object are bound by that graph's pattern before it.
SUPPORT_LOOKUP = re.compile(
    r"WHERE \{ GRAPH <[^>]+> \{ \?s \?p \?o \} FILTER NOT EXISTS \{ GRAPH \?h \{ \?s \?p \?o \}"
)


def test_ingest_reads_only_the_graphs_of_the_releases_it_ingests(release_dir: Path) -> None:
    """Every query and update of an ingest names its graph: none scans the other releases."""
    sent: list[str] = []

    class Recording(OxigraphStore):
        def query(self, sparql: str) -> QueryResult:
            sent.append(sparql)
            return super().query(sparql)

        def update(self, sparql: str) -> None:
            sent.append(sparql)
            super().update(sparql)

    with Recording() as store:
        for i in range(50):
            store.replace_graph(EX[f"release/{i}"], [(EX[f"s{i}"], EX.p, Literal(i))])
        sent.clear()
        report = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert len(report.ingested) == 2
    assert sent
    # Validation reads what other releases say about the IRIs a release mentions (cckg.validation.
    # store_context), from an Oxigraph store's indexes, each lookup from a constant IRI
    # (tests/validation/test_batch.py); any query over every graph must start from one too, or from
    # a constant value (the lookup of a release's content hash, for one text under two names).
    over_every_graph = [m for s in sent for m in ANY_GRAPH_PATTERN.finditer(SUPPORT_LOOKUP.sub("", s))]
    assert all(m["s"].startswith("<") or m["o"].startswith(("<", '"')) for m in over_every_graph), "a scan"
    read = fake_stages().read_release
    hashes = [f'"{read(path).content_hash}"' for path in release_dir.glob("*.txt")]
    named = (str(RELEASE_2023), str(RELEASE_2004), str(VOCABULARY), *hashes)
    assert all(any(name in s for name in named) for s in sent)


# --- dump and copy through the CLI ------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "parser"), [("jsonld", "json-ld"), ("trig", "trig"), ("nquads", "nquads")])
def test_dump_the_whole_store_with_named_graphs(store_path: Path, fmt: str, parser: str) -> None:
    result = run_cli("--store", store_path, "dump", "--format", fmt)
    assert result.exit_code == 0
    dataset = rdflib.Dataset()
    dataset.parse(data=result.stdout, format=parser)
    for name, graph in fixture_graphs().items():
        assert isomorphic(dataset.graph(name), graph)


@pytest.mark.parametrize("graph", ["001_c98b5c3fca22d16e", "data/releases/001_c98b5c3fca22d16e.txt"])
def test_dump_one_release_by_id_or_file(store_path: Path, graph: str) -> None:
    result = run_cli("--store", store_path, "dump", "--graph", graph, "--format", "jsonld")
    assert result.exit_code == 0, result.output
    dumped = rdflib.Graph().parse(data=result.stdout, format="json-ld")
    assert isomorphic(dumped, fixture_graphs()[RELEASE_2004])


def test_copy_between_folders(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy"
    result = run_cli("--store", store_path, "copy", "--to", target, "001_c98b5c3fca22d16e")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("copied 1 graph (")
    with OxigraphStore(target, read_only=True) as store:
        assert store.graph_names() == [RELEASE_2004]
    everything = run_cli("copy", "--from", store_path, "--to", target)
    assert everything.exit_code == 0 and everything.stderr.startswith("copied 2 graphs")
    assert run_cli("--store", target, "dump").stdout == run_cli("--store", store_path, "dump").stdout


def test_copy_graphs_replaces_each_graph(kg: OxigraphStore) -> None:
    with OxigraphStore() as other:
        other.replace_graph(RELEASE_2004, [(EX.s, EX.p, EX.o)])
        written = copy_graphs(kg, other, [RELEASE_2004])
        assert written == len(fixture_graphs()[RELEASE_2004])
        assert isomorphic(other.graph(RELEASE_2004), kg.graph(RELEASE_2004))


def test_ingest_with_a_bad_curation_file_stores_nothing(tmp_path: Path, release_dir: Path) -> None:
    folder = tmp_path / "curation"
    folder.mkdir()
    (folder / "people.yaml").write_text("same_person:\n  - people: [{name: A}, {name: B}]\n")
    result = run_cli("--store", tmp_path / "store", "ingest", "--curation", folder, release_dir)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"cckg: error: {folder / 'people.yaml'}: same_person[0]: needs a reason (a sentence saying why)"
    )
    assert not (tmp_path / "store").exists()


def test_the_store_of_an_ingest_with_curation_rejects_the_fact(
    tmp_path: Path, release_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "default_stages", fake_stages)
    folder = tmp_path / "curation"
    folder.mkdir()
    fact = URIRef("https://w3id.org/cckg/id/agreement/bd0658dffddff4ab")
    (folder / "facts.yaml").write_text(f"reject:\n  - fact: {fact}\n    reason: Not an agreement.\n")
    for args in ([], ["--force"]):
        result = run_cli("--store", tmp_path / "store", "ingest", *args, "--curation", folder, release_dir)
        assert result.exit_code == 0, result.output
        with OxigraphStore(tmp_path / "store", read_only=True) as store:
            assert (fact, None, None) not in store.graph(RELEASE_2023)
