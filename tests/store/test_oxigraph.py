"""The store (embedded Oxigraph): graphs replaced atomically, SPARQL term syntax, dumps, locations."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from cckg.sparql import SelectResult, sparql_term
from cckg.store import (
    GraphMetadata,
    OxigraphStore,
    QuerySyntaxError,
    StoreError,
    open_store,
    store_location,
)
from conftest import (
    RELEASE_2004,
    RELEASE_2023,
    fixture_graphs,
    load_fixtures,
)

EX = rdflib.Namespace("https://example.org/")
NASTY = [
    'quote " and \\ backslash',
    "} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #",
    "line\nbreak\ttab\rreturn",
    '"""triple""" and \'\'\'single\'\'\'',
    "\\u0022 escaped-looking \\U0000007D",
    "control \x01\x7f and unicode Ω 中文 🚀",
    "",
]


def test_sparql_term_round_trips_any_literal() -> None:
    graph = rdflib.Graph()
    for i, text in enumerate(NASTY):
        graph.add((EX[f"s{i}"], EX.plain, Literal(text)))
        graph.add((EX[f"s{i}"], EX.lang, Literal(text, lang="en-gb")))
        graph.add((EX[f"s{i}"], EX.typed, Literal(text, datatype=EX.custom)))
    graph.add((EX.s, EX.date, Literal("2023-11-01", datatype=XSD.date)))
    with OxigraphStore() as store:
        assert store.replace_graph(EX.g, graph) == len(graph)
        assert isomorphic(store.graph(EX.g), graph)


@pytest.mark.parametrize("iri", ["http://a> <b", "http://a b", 'http://a"', "http://a{}", "http://a\\u003E"])
def test_sparql_term_refuses_iris_that_would_break_out(iri: str) -> None:
    with pytest.raises(ValueError, match="not a valid IRI"):
        sparql_term(URIRef(iri))


def test_replace_graph_replaces_only_that_graph(kg: OxigraphStore) -> None:
    before_2004 = kg.graph(RELEASE_2004)
    small = rdflib.Graph()
    small.add((RELEASE_2023, EX.p, Literal("only this")))
    assert kg.replace_graph(RELEASE_2023, small) == 1
    assert isomorphic(kg.graph(RELEASE_2023), small)
    assert isomorphic(kg.graph(RELEASE_2004), before_2004)


def test_replace_graph_with_nothing_removes_the_graph(kg: OxigraphStore) -> None:
    kg.replace_graph(RELEASE_2023, [])
    assert kg.graph_names() == [RELEASE_2004]


def test_update_is_one_transaction(kg: OxigraphStore) -> None:
    before = len(kg)
    with pytest.raises(QuerySyntaxError):
        kg.update(f"DROP GRAPH <{RELEASE_2023}> ; INSERT DATA {{ GRAPH <{RELEASE_2023}> {{ <a> <b> }} }}")
    assert len(kg) == before


def test_bad_term_leaves_the_graph_untouched(kg: OxigraphStore) -> None:
    before = kg.graph(RELEASE_2023)
    with pytest.raises(ValueError):
        kg.replace_graph(RELEASE_2023, [(EX.s, EX.p, URIRef("http://bad iri"))])
    assert isomorphic(kg.graph(RELEASE_2023), before)


def test_stored_graphs_equal_the_fixtures(kg: OxigraphStore) -> None:
    for name, graph in fixture_graphs().items():
        assert isomorphic(kg.graph(name), graph)


def test_graph_names_and_remove_graph(kg: OxigraphStore) -> None:
    assert kg.graph_names() == sorted([RELEASE_2023, RELEASE_2004])
    kg.remove_graph(RELEASE_2004)
    assert kg.graph_names() == [RELEASE_2023]


def test_graph_metadata(kg: OxigraphStore) -> None:
    meta = kg.graph_metadata(RELEASE_2023)
    assert meta == GraphMetadata(
        RELEASE_2023,
        "sha256:054f3174519ed8c7248431d5eef4ac1e8e12fd0676789e989ae39e321d2fb07a",
        "0.1.0",
        release_id="000_d93ee451fa80120b",
    )
    assert kg.graph_metadata(EX.missing) == GraphMetadata(EX.missing)


def test_query_sees_the_union_of_all_graphs(kg: OxigraphStore) -> None:
    result = kg.query(
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/cckg/ns#Release> }"
    )
    assert isinstance(result, SelectResult)
    assert result.rows == [{"n": Literal(2)}]
    assert kg.query("ASK { ?s ?p ?o }") is True
    assert isinstance(kg.query("CONSTRUCT WHERE { ?s a ?o }"), rdflib.Graph)


def test_query_syntax_error_is_one_line(kg: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        kg.query("SELECT * WHERE {\n ?s ?p \n}")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dump_dataset(kg: OxigraphStore, fmt: str) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=kg.dump(fmt), format=fmt)
    for name, graph in fixture_graphs().items():
        assert isomorphic(dataset.graph(name), graph)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
def test_dump_one_graph_and_union(kg: OxigraphStore, fmt: str) -> None:
    parser = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}[fmt]
    graphs = fixture_graphs()
    one = rdflib.Graph().parse(data=kg.dump(fmt, RELEASE_2004), format=parser)
    assert isomorphic(one, graphs[RELEASE_2004])
    union = rdflib.Graph().parse(data=kg.dump(fmt), format=parser)
    assert isomorphic(union, graphs[RELEASE_2004] + graphs[RELEASE_2023])


def test_on_disk_store_persists_and_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        load_fixtures(store)
    with open_store(str(path), read_only=True) as store:
        assert store.graph_names() == sorted([RELEASE_2023, RELEASE_2004])
        with pytest.raises(StoreError):
            store.update("CLEAR ALL")


def test_missing_store_is_an_error_when_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nothing"), read_only=True)


@pytest.mark.parametrize(
    ("location", "query", "update", "graph_store"),
    [
        ("http://h:7878", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ("oxigraph+http://h:7878/", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ("fuseki+http://h/kg", "http://h/kg/query", "http://h/kg/update", "http://h/kg/data"),
        ("graphdb+http://h/repositories/kg", "http://h/repositories/kg", "http://h/repositories/kg/statements",
         "http://h/repositories/kg/rdf-graphs/service"),
        ("virtuoso+http://h", "http://h/sparql", "http://h/sparql", "http://h/sparql-graph-crud"),
        ("sparql+https://h/ds/sparql", "https://h/ds/sparql", "https://h/ds/sparql", None),
    ],
)
def test_open_store_takes_a_sparql_server(
    location: str, query: str, update: str, graph_store: str | None
) -> None:
    from cckg.store.remote import SparqlStore

    store = open_store(location, read_only=True)
    assert isinstance(store, SparqlStore)
    assert (store.query_url, store.update_url, store.graph_store_url) == (query, update, graph_store)
    with pytest.raises(StoreError, match="read-only"):
        store.update("CLEAR ALL")


def test_unknown_server_kind_and_unreachable_server() -> None:
    with pytest.raises(StoreError, match="unknown server kind 'blazegraph'"):
        open_store("blazegraph+http://127.0.0.1:9999/sparql")
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("http://127.0.0.1:9").graph_names()  # the discard port: nothing listens


def test_store_location(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCKG_STORE", raising=False)
    assert store_location(None) == "cckg-store"
    monkeypatch.setenv("CCKG_STORE", "/data/kg")
    assert store_location(None) == "/data/kg"
    assert store_location("here") == "here"


