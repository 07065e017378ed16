"""A second real server beside Oxigraph: Virtuoso (Debian's virtuoso-opensource), started on
127.0.0.1 for these tests.  Ingest, every named query, validate and dump against it give the
embedded store's answers.  Without Virtuoso the tests skip on a developer's machine and fail
under CI (``.ci/run`` installs it)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg.errors import StoreError
from cckg.store import OxigraphStore, SparqlStore, open_store
from cckg.store.base import MERGED_GRAPH
from cckg.views import query
from conftest import REPO, run_cli
from store.virtuoso import PASSWORD, USER, Virtuoso, installed

#: The parameters of the queries that need one, and a few more runs with parameters.
PARAMS = {
    "partners": {"agency": "KCS"},
    "officials-met": {"person": "Louise Ho"},
    "evidence-of-attendance": {"person": "Louise Ho"},
    "mentions": {"entity": "KCS"},
    "evidence": {"entity": "Korea Customs Service"},
}
MORE = [("operations", {"crime": "tobacco-smuggling"}), ("network", {"from": "2010"}), ("evidence", {}),
        ("post-holders", {"agency": "C&ED"}), ("cooperation-links", {"agency": "Korea Customs"})]  # fmt: skip


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if not installed():
        if os.environ.get("CI"):
            pytest.fail("virtuoso-opensource is not installed (.ci/run installs it)")
        pytest.skip("Virtuoso (virtuoso-t, isql-vt) is not installed here")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stores(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(embedded store folder, Virtuoso store URL), each holding the two seed releases, ingested."""
    embedded = str(tmp_path_factory.mktemp("embedded") / "store")
    port = virtuoso.url.rsplit(":", 1)[1]
    remote = f"virtuoso+http://{USER}:{PASSWORD}@127.0.0.1:{port}"
    for store in (embedded, remote):
        result = run_cli("--store", store, "ingest", REPO / "data" / "releases")
        assert result.exit_code == 0, result.output
        assert "ingested 2, unchanged 0, duplicate 0, failed 0" in result.stderr
    return embedded, remote


def answers(location: str, name: str, values: dict[str, str]) -> object:
    with open_store(location, read_only=True) as store:
        result = query.run(store, query.named_queries()[name], values)
    if isinstance(result, bool | rdflib.Graph):
        return result
    return result.variables, [tuple(row.get(v) for v in result.variables) for row in result.rows]


RUNS = [(name, PARAMS.get(name, {})) for name in query.named_queries()] + MORE


@pytest.mark.parametrize(("name", "values"), RUNS, ids=[f"{n}-{'-'.join(v.values())}" for n, v in RUNS])
def test_every_named_query_gives_the_same_rows(
    stores: tuple[str, str], name: str, values: dict[str, str]
) -> None:
    embedded, remote = stores
    assert answers(remote, name, values) == answers(embedded, name, values)


def without_blank_labels(value: object) -> object:
    """A report with blank node labels (new for each parse of the shapes) left out."""
    if isinstance(value, dict):
        return {k: without_blank_labels(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_blank_labels(v) for v in value]
    return "_:" if isinstance(value, str) and value.startswith("_:") else value


def test_validate_gives_the_same_report(stores: tuple[str, str]) -> None:
    reports = [run_cli("--store", store, "validate", "--format", "json") for store in stores]
    assert reports[0].exit_code == reports[1].exit_code == 0
    embedded, remote = (without_blank_labels(json.loads(r.stdout)) for r in reports)
    assert remote == embedded


def test_dump_gives_the_same_graphs(stores: tuple[str, str]) -> None:
    # Each ingest records when its extraction run ended: the one triple that differs by design.
    ended = "<http://www.w3.org/ns/prov#endedAtTime>"
    dumps = [
        "\n".join(line for line in run_cli("--store", store, "dump", "--format", "nquads").stdout.splitlines()
                  if ended not in line)
        for store in stores
    ]
    embedded, remote = (rdflib.Dataset().parse(data=text, format="nquads") for text in dumps)
    names = {g.identifier for g in embedded.graphs()} - {rdflib.URIRef("urn:x-rdflib:default")}
    assert names == {g.identifier for g in remote.graphs()} - {rdflib.URIRef("urn:x-rdflib:default")}
    for name in names:
        assert isomorphic(embedded.graph(name), remote.graph(name)), name


def test_only_cckg_graphs_are_listed_and_counted(stores: tuple[str, str], virtuoso: Virtuoso) -> None:
    embedded, remote = stores
    with open_store(remote, read_only=True) as server, OxigraphStore(embedded, read_only=True) as local:
        assert server.graph_names() == local.graph_names()
        assert len(server) == len(local)
        everything = server.select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(everything.rows[0]["n"]) > len(server.graph_names())  # Virtuoso's own are there


def test_updates_need_the_credentials(virtuoso: Virtuoso) -> None:
    graph = rdflib.URIRef("https://w3id.org/cckg/graph/test-digest")
    anonymous = SparqlStore(virtuoso.url, kind="virtuoso")
    with pytest.raises(StoreError, match="HTTP"):
        anonymous.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    port = virtuoso.url.rsplit(":", 1)[1]
    with SparqlStore(f"http://{USER}:{PASSWORD}@127.0.0.1:{port}", kind="virtuoso") as digest:
        assert digest.update_url.endswith("/sparql-auth")
        digest.replace_graph(graph, [(rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b"), rdflib.Literal("c"))])
        assert digest.has_graph(graph)
        digest.remove_graph(graph)
        assert not digest.has_graph(graph)


def _merged(store: object) -> rdflib.Graph:
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[attr-defined]
    assert isinstance(result, rdflib.Graph)
    result.remove((None, rdflib.PROV.endedAtTime, None))  # when each ingest ran: differs by design
    return result


def test_the_merged_graph_is_the_same_set(stores: tuple[str, str]) -> None:
    """Virtuoso keeps the merged graph in a named graph, read as the default graph: the same set of
    triples as the embedded store's default graph, each once."""
    embedded, remote = stores
    with open_store(embedded, read_only=True) as local, open_store(remote, read_only=True) as server:
        assert isomorphic(_merged(server), _merged(local))
        labels = "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/cckg/id/agency/hk-ced> ?p ?o }"
        assert server.select(labels).rows == local.select(labels).rows
        assert str(MERGED_GRAPH) not in {str(g) for g in server.graph_names()}


def test_remove_keeps_what_other_graphs_support(virtuoso: Virtuoso) -> None:
    port = virtuoso.url.rsplit(":", 1)[1]
    a, b, c = (rdflib.URIRef(f"urn:{x}") for x in "abc")
    one, two = (rdflib.URIRef(f"https://w3id.org/cckg/graph/test-support-{n}") for n in (1, 2))
    with SparqlStore(f"http://{USER}:{PASSWORD}@127.0.0.1:{port}", kind="virtuoso") as store:
        store.replace_graph(one, [(a, b, c), (a, b, a)])
        store.replace_graph(two, [(a, b, c)])
        store.remove_graphs([one])
        ask = "ASK {{ <urn:a> <urn:b> {} }}"
        assert store.query(ask.format("<urn:c>")) is True and store.query(ask.format("<urn:a>")) is False
        store.remove_graph(two)
        assert store.query(ask.format("<urn:c>")) is False


def test_the_setup_is_documented() -> None:
    text = (REPO / "docs" / "virtuoso.md").read_text(encoding="utf-8")
    assert "virtuoso+http://" in text and "sparql-auth" in text and "ResultSetMaxRows" in text
    assert Path(REPO / "tests" / "store" / "virtuoso.py").is_file()
