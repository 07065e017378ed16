"""The agency cooperation network: NetworkX graph, GraphML, GEXF (schema-valid) and node-link JSON."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from cckg.store import OxigraphStore
from cckg.views import export
from conftest import REPO

CED = "https://w3id.org/cckg/id/agency/hk-ced"
KCS = "https://w3id.org/cckg/id/agency/kr-kcs"
CRIMES = ["cybercrime", "drug-trafficking", "financial-crime", "ipr-infringement", "money-laundering",
          "tobacco-smuggling"]  # fmt: skip
GEXF_SCHEMA = REPO / ".." / "shared" / "schemas" / "gexf" / "1.2draft" / "gexf.xsd"


def test_agency_network(kg: OxigraphStore) -> None:
    graph = export.agency_network(kg)
    assert dict(graph.nodes(data=True)) == {
        CED: {"label": "Customs and Excise Department", "country": "HK", "kind": "customs", "iri": CED},
        KCS: {"label": "Korea Customs Service", "country": "KR", "kind": "customs", "iri": KCS},
    }
    assert list(graph.edges(data=True)) == [
        (CED, KCS, {
            "weight": 8, "events": 2, "agreements": 3, "operations": 1, "cooperations": 2,
            "years": [2004, 2023], "crime_types": CRIMES,
        }),
    ]  # fmt: skip


def test_graphml_reads_back(kg: OxigraphStore) -> None:
    graph = nx.read_graphml(io.BytesIO(export.export_agencies(kg, "graphml")))
    assert graph.nodes[CED]["label"] == "Customs and Excise Department"
    assert graph.nodes[KCS]["country"] == "KR"
    edge = graph.edges[CED, KCS]
    assert edge["weight"] == 8 and edge["agreements"] == 3
    assert edge["years"] == "2004,2023"
    assert edge["crime_types"] == ",".join(CRIMES)


def test_gexf_reads_back(kg: OxigraphStore) -> None:
    graph = nx.read_gexf(io.BytesIO(export.export_agencies(kg, "gexf")))
    assert graph.nodes[CED]["label"] == "Customs and Excise Department"
    assert graph.nodes[CED]["kind"] == "customs"
    edge = graph.edges[CED, KCS]
    assert edge["weight"] == 8 and edge["events"] == 2 and edge["cooperations"] == 2
    assert edge["years"] == "2004,2023"


def test_gexf_is_valid_against_the_official_schema(kg: OxigraphStore) -> None:
    if not GEXF_SCHEMA.is_file():
        pytest.skip(f"GEXF schema not found at {GEXF_SCHEMA}")
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(GEXF_SCHEMA)))
    document = etree.fromstring(export.export_agencies(kg, "gexf"))
    assert document.tag == "{http://www.gexf.net/1.2draft}gexf"
    assert schema.validate(document), schema.error_log


def test_json_is_node_link_data(kg: OxigraphStore) -> None:
    data = json.loads(export.export_agencies(kg, "json"))
    graph = nx.node_link_graph(data, edges="edges")
    assert sorted(graph.nodes) == [CED, KCS]
    assert graph.edges[CED, KCS]["years"] == [2004, 2023]
    assert graph.edges[CED, KCS]["crime_types"] == CRIMES


def test_an_empty_store_gives_an_empty_network() -> None:
    with OxigraphStore() as store:
        graph = nx.read_graphml(io.BytesIO(export.export_agencies(store, "graphml")))
        assert graph.number_of_nodes() == 0


def test_unknown_format() -> None:
    with OxigraphStore() as store, pytest.raises(ValueError, match="unknown export format"):
        export.export_agencies(store, "dot")
