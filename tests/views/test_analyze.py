"""cckg analyze: centrality, communities, bridges, crime types and new partnerships."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from cckg.store import OxigraphStore
from cckg.views import analyze, catalog
from cckg.views.graphs import Filters

CED, KCS, MO = (f"https://w3id.org/cckg/id/agency/{key}" for key in ("hk-ced", "kr-kcs", "mo-customs"))


def test_three_releases_form_a_path_through_hong_kong_customs(kg3: OxigraphStore) -> None:
    # kg3: C&ED works with Korea Customs (2004, 2023) and with Macao Customs (2024), who never meet.
    result = analyze.analyze(kg3, "agencies")
    rows = {row["node"]: row for row in result.centrality}
    assert rows[CED]["degree"] == 2 and rows[CED]["betweenness"] == 1.0
    assert rows[KCS]["betweenness"] == 0.0
    assert rows[CED]["weighted_degree"] == rows[KCS]["weighted_degree"] + rows[MO]["weighted_degree"]
    assert result.articulation_agencies == ["Customs and Excise Department"]
    assert len(result.bridges) == 2
    assert [(y["year"], y["new"]) for y in result.new_partnerships] == [(2004, 1), (2024, 1)]
    tobacco = result.top_by_crime["tobacco-smuggling"]
    assert tobacco[0]["label"] == "Customs and Excise Department" and tobacco[0]["partners"] == 2


def test_analysis_agrees_with_networkx_on_a_generated_store(generated_store: OxigraphStore) -> None:
    graph = catalog.build(generated_store, "agencies")
    result = analyze.analyze(generated_store, "agencies", top=5)
    assert result.nodes == graph.number_of_nodes() and result.edges == graph.number_of_edges()
    exact = nx.betweenness_centrality(graph)
    for row in result.centrality:
        assert row["degree"] == graph.degree(row["node"])
        assert row["weighted_degree"] == graph.degree(row["node"], weight="weight")
        assert row["betweenness"] == pytest.approx(exact[row["node"]], abs=1e-6)
    members = [name for group in result.communities for name in group]
    assert sorted(members) == sorted(d["label"] for _, d in graph.nodes(data=True))
    assert len(result.bridges) == len(list(nx.bridges(graph)))
    first_years = [d["first_year"] for *_, d in graph.edges(data=True) if "first_year" in d]
    assert sum(y["new"] for y in result.new_partnerships) == len(first_years)
    assert analyze.to_json(result) == analyze.to_json(analyze.analyze(generated_store, "agencies", top=5))


def test_large_views_get_a_sampled_betweenness_with_a_fixed_seed(
    generated_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analyze, "EXACT_BETWEENNESS", 10)
    monkeypatch.setattr(analyze, "LOUVAIN_EDGES", 10)
    first = analyze.analyze(generated_store, "people")
    assert first.betweenness.startswith("estimated from") and first.community_method == "label propagation"
    assert analyze.to_json(first) == analyze.to_json(analyze.analyze(generated_store, "people"))


def test_the_table_and_json(kg3: OxigraphStore) -> None:
    result = analyze.analyze(kg3, "agencies", Filters(start=2020))
    table = analyze.to_table(result)
    assert "Customs and Excise Department" in table and "Korea Customs Service" in table
    assert "New partnerships per year" in table
    data = json.loads(analyze.to_json(result))
    assert data["view"] == "agencies" and {r["label"] for r in data["centrality"]} == {
        "Customs and Excise Department", "Korea Customs Service", "Macao Customs Service"}  # fmt: skip


def test_names_cannot_send_terminal_escapes() -> None:
    assert analyze.safe("Evil\x1b[31m Agency\r\nX\u202e") == "Evil [31m Agency X"
