"""The store layout: one named graph per release, and the merged graph (the set of all their triples)
that queries read as their default graph, kept by every write with the support rule."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, SKOS

from cckg.namespaces import CCKG
from cckg.store import OxigraphStore, open_store
from conftest import REPO, run_cli

EX = rdflib.Namespace("https://example.org/")
AGENCY = EX["agency/kcs"]
SEEDS = REPO / "data" / "releases"


def release(name: str, *own: tuple[URIRef, URIRef, rdflib.term.Node]) -> rdflib.Graph:
    """A release graph that describes the shared agency, and facts of its own."""
    graph = rdflib.Graph()
    graph.add((AGENCY, RDF.type, CCKG.Agency))
    graph.add((AGENCY, SKOS.prefLabel, Literal("Korea Customs Service", lang="en")))
    graph.add((EX[name], RDF.type, CCKG.Release))
    for triple in own:
        graph.add(triple)
    return graph


def merged(store: OxigraphStore) -> rdflib.Graph:
    """The store's default graph, as the queries see it."""
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(result, rdflib.Graph)
    return result


def union_of_named(store: OxigraphStore) -> rdflib.Graph:
    union = rdflib.Graph()
    for name in store.graph_names():
        for triple in store.graph(name):
            union.add(triple)
    return union


def count(store: OxigraphStore, pattern: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows
    return int(rows[0]["n"])  # type: ignore[call-overload]


def test_merged_graph_is_a_set() -> None:
    with OxigraphStore() as store:
        for name in ("r1", "r2", "r3"):
            store.replace_graph(EX[name], release(name))
        assert count(store, f"<{AGENCY}> <{SKOS.prefLabel}> ?label") == 1
        assert count(store, f"GRAPH ?g {{ <{AGENCY}> <{SKOS.prefLabel}> ?label }}") == 3
        assert count(store, "?s ?p ?o") == len(union_of_named(store)) == 2 + 3


def test_remove_keeps_what_other_releases_support() -> None:
    with OxigraphStore() as store:
        store.replace_graph(EX.r1, release("r1", (EX.op1, RDF.type, CCKG.JointOperation)))
        store.replace_graph(EX.r2, release("r2", (EX.op2, RDF.type, CCKG.JointOperation)))
        assert store.remove_graphs([EX.r1]) == [EX.r1]
        assert isomorphic(merged(store), release("r2", (EX.op2, RDF.type, CCKG.JointOperation)))
        store.remove_graph(EX.r2)
        assert len(merged(store)) == 0


def test_replace_drops_triples_that_left_unless_held_elsewhere() -> None:
    with OxigraphStore() as store:
        store.replace_graph(EX.r1, release("r1", (EX.op, CCKG.ordinal, Literal(1))))
        store.replace_graph(EX.r2, release("r2", (EX.op, CCKG.ordinal, Literal(1))))
        store.replace_graph(EX.r1, [(EX.r1, RDF.type, CCKG.Release), (EX.op, CCKG.ordinal, Literal(2))])
        assert isomorphic(merged(store), union_of_named(store))
        assert count(store, f"<{AGENCY}> ?p ?o") == 2  # r2 still describes the agency
        assert count(store, f"<{EX.op}> <{CCKG.ordinal}> ?n") == 2  # 1 (from r2) and 2 (from r1)
        store.replace_graph(EX.r2, [(EX.r2, RDF.type, CCKG.Release)])
        assert count(store, f"<{AGENCY}> ?p ?o") == 0
        assert isomorphic(merged(store), union_of_named(store))


def test_blank_nodes_of_a_replaced_graph_leave_the_merged_graph() -> None:
    axiom = rdflib.BNode()
    vocabulary = [(EX.C, RDF.type, EX.Class), (EX.C, EX.restriction, axiom), (axiom, EX.on, EX.p)]
    with OxigraphStore() as store:
        for _ in range(3):
            store.replace_graph(EX.vocabulary, vocabulary)
        assert count(store, "?s ?p ?o") == 3
        assert isomorphic(merged(store), rdflib.Graph().parse(data=store.dump("nt"), format="nt"))


def test_merged_graph_stays_the_union_under_any_writes() -> None:
    """Random replaces and removes over a small pool of shared triples: after each, the merged graph
    is exactly the set of the named graphs' triples."""
    pool = [(EX[f"s{i % 4}"], EX[f"p{i % 3}"], Literal(i % 5)) for i in range(20)]
    chance = random.Random(9)
    with OxigraphStore() as store:
        for _ in range(60):
            graph = EX[f"g{chance.randrange(5)}"]
            if chance.random() < 0.25:
                store.remove_graphs([graph])
            else:
                store.replace_graph(graph, chance.sample(pool, chance.randrange(1, 8)))
            assert isomorphic(merged(store), union_of_named(store))


def _dumped(store: Path) -> rdflib.Graph:
    """The store's triple dump (its merged graph) without the run's end time, which a re-run changes."""
    result = run_cli("--store", store, "dump", "--format", "nt")
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    graph.remove((None, PROV.endedAtTime, None))
    return graph


def test_reingest_leaves_the_merged_graph_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("--store", store, "ingest", SEEDS).exit_code == 0
    first = _dumped(store)
    for again in (["ingest", SEEDS], ["ingest", "--force", SEEDS]):
        result = run_cli("--store", store, *again)
        assert result.exit_code == 0, result.output
        assert isomorphic(_dumped(store), first)
    with open_store(str(store), read_only=True) as opened:
        assert isomorphic(merged(opened), union_of_named(opened))  # type: ignore[arg-type]


def test_cli_remove_keeps_the_merged_graph_the_union(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_cli("--store", store, "ingest", SEEDS).exit_code == 0
    first = sorted(path.stem.lower() for path in SEEDS.glob("*.txt"))[0]
    result = run_cli("--store", store, "remove", first)
    assert result.exit_code == 0, result.output
    with open_store(str(store), read_only=True) as opened:
        assert isomorphic(merged(opened), union_of_named(opened))  # type: ignore[arg-type]


def old_layout_store(path: Path) -> None:
    """A store as an older cckg wrote it: the release graphs, and nothing in the default graph."""
    with OxigraphStore(path) as store:
        store.replace_graph(EX.r1, release("r1"))
        store.replace_graph(EX.r2, release("r2"))
        store.oxigraph.clear_graph(ox.DefaultGraph())


def test_old_layout_read_only_reads_the_union(tmp_path: Path) -> None:
    old_layout_store(tmp_path / "store")
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        assert count(store, f"<{AGENCY}> <{SKOS.prefLabel}> ?label") == 2  # the old bag, not upgraded
        assert isomorphic(merged(store), union_of_named(store))


def test_old_layout_is_upgraded_once_when_opened_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_layout_store(tmp_path / "store")
    with OxigraphStore(tmp_path / "store") as store:
        assert count(store, f"<{AGENCY}> <{SKOS.prefLabel}> ?label") == 1
        assert isomorphic(merged(store), union_of_named(store))
    notes = capsys.readouterr().err.strip().splitlines()
    assert len(notes) == 1 and "merged graph" in notes[0]
    with OxigraphStore(tmp_path / "store") as store:
        assert count(store, "?s ?p ?o") == 4
    assert capsys.readouterr().err == ""


def test_quad_dumps_hold_the_named_graphs_only() -> None:
    with OxigraphStore() as store:
        store.replace_graph(EX.r1, release("r1"))
        dataset = rdflib.Dataset()
        dataset.parse(data=store.dump("nquads"), format="nquads")
        assert len(dataset.default_graph) == 0
        assert isomorphic(dataset.graph(EX.r1), release("r1"))


def test_bulk_loaded_graphs_are_in_the_merged_graph_too(tmp_path: Path) -> None:
    lines = [f"<{AGENCY}> <{RDF.type}> <{CCKG.Agency}> <{EX[name]}> ." for name in ("r1", "r2")]
    (tmp_path / "fill.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with OxigraphStore() as store:
        store.bulk_load_quads(path=tmp_path / "fill.nq")
        assert count(store, "?s ?p ?o") == 1
        assert isomorphic(merged(store), union_of_named(store))
        store.remove_graphs([EX.r1])
        assert count(store, "?s ?p ?o") == 1  # r2 still states it
