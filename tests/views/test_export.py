"""Every export format of every view, read back: NetworkX readers, a DOT parser, the Cytoscape.js
JSON shape, the CSV module, Gephi's GEXF schema, and images by their headers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pydot
import pytest
from lxml import etree

from cckg.store import OxigraphStore
from cckg.views import catalog, export
from conftest import REPO

SCHEMAS = REPO.parent / "shared" / "schemas" / "gexf"
GEXF_NS = "{http://www.gexf.net/1.2draft}"
CED = "https://w3id.org/cckg/id/agency/hk-ced"
KCS = "https://w3id.org/cckg/id/agency/kr-kcs"


def gexf_schema() -> etree.XMLSchema:
    path = SCHEMAS / "1.2draft" / "gexf.xsd"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"Gephi's GEXF schema is missing ({path}): CI must have ../shared")
        pytest.skip(f"no GEXF schema at {path}")
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


@pytest.fixture(scope="module", params=list(catalog.VIEWS))
def view(request: pytest.FixtureRequest, generated) -> tuple[str, nx.Graph]:
    with OxigraphStore(generated[0], read_only=True) as store:
        return request.param, catalog.build(store, request.param)


def same_structure(graph: nx.Graph, read: nx.Graph) -> None:
    assert set(map(str, read.nodes)) == set(map(str, graph.nodes))
    assert read.number_of_edges() == graph.number_of_edges()


def test_graphml_reads_back(view: tuple[str, nx.Graph]) -> None:
    _, graph = view
    read = nx.read_graphml(io.BytesIO(export.to_graphml(graph)))
    same_structure(graph, read)
    for node, data in list(graph.nodes(data=True))[:20]:
        assert read.nodes[node]["label"] == data["label"]
        assert json.loads(read.nodes[node]["years"]) == data["years"]


def test_gexf_validates_and_carries_time(view: tuple[str, nx.Graph]) -> None:
    _, graph = view
    data = export.to_gexf(graph)
    document = etree.fromstring(data)
    schema = gexf_schema()
    assert schema.validate(document), schema.error_log
    (element,) = document.iter(f"{GEXF_NS}graph")
    assert element.get("mode") == "dynamic" and element.get("timeformat") == "date"
    read = nx.read_gexf(io.BytesIO(data))
    same_structure(graph, read)
    if graph.is_multigraph():
        return  # NetworkX reads parallel edges of GEXF back with keys of its own
    timed = [(s, t, d) for s, t, d in graph.edges(data=True) if d.get("years")]
    assert timed
    for source, target, edge in timed[:20]:
        ends = (source, target, 0) if read.is_multigraph() else (source, target)
        spells = read.edges[ends]["spells"]
        covered = {y for start, end in spells for y in range(int(start[:4]), int(end[:4]) + 1)}
        assert covered == set(range(min(edge["years"]), max(edge["years"]) + 1)) & covered
        assert set(edge["years"]) <= covered


def test_gexf_is_the_same_every_time(view: tuple[str, nx.Graph]) -> None:
    assert export.to_gexf(view[1]) == export.to_gexf(view[1])


def test_node_link_json_reads_back(view: tuple[str, nx.Graph]) -> None:
    _, graph = view
    read = nx.node_link_graph(json.loads(export.to_json(graph)), edges="edges")
    same_structure(graph, read)
    assert nx.utils.graphs_equal(read, graph)


def test_cytoscape_json_has_the_cytoscape_js_shape(view: tuple[str, nx.Graph]) -> None:
    name, graph = view
    document = json.loads(export.to_cyjs(graph))
    assert isinstance(document["data"], dict) and document["data"]["view"] == name
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == graph.number_of_nodes() and all(isinstance(i, str) for i in ids)
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(edge_ids) == len(set(edge_ids)) == graph.number_of_edges()
    assert {n["data"]["name"] for n in nodes} == {d["label"] for _, d in graph.nodes(data=True)}
    read = nx.cytoscape_graph(document)
    assert set(read.nodes) == set(graph.nodes)


def test_dot_parses_back(view: tuple[str, nx.Graph]) -> None:
    _, graph = view
    text = export.to_dot(graph).decode("utf-8")
    (dot,) = pydot.graph_from_dot_data(text)
    unquote = lambda value: json.loads(value) if value.startswith('"') else value  # noqa: E731
    names = {unquote(n.get_name()) for n in dot.get_nodes()} - {"node", "edge", "graph"}
    assert names == set(graph.nodes)
    assert len(dot.get_edges()) == graph.number_of_edges()
    if shutil.which("dot"):
        canon = subprocess.run(["dot", "-Tcanon"], input=text.encode(), capture_output=True, check=False)
        assert canon.returncode == 0, canon.stderr


def test_csv_writes_a_node_file_and_an_edge_file(view: tuple[str, nx.Graph]) -> None:
    _, graph = view
    nodes, edges = export.to_csv(graph)
    node_rows = list(csv.DictReader(io.StringIO(nodes.decode("utf-8"))))
    edge_rows = list(csv.DictReader(io.StringIO(edges.decode("utf-8"))))
    assert {row["id"] for row in node_rows} == set(graph.nodes)
    assert len(edge_rows) == graph.number_of_edges()
    assert all(row["source"] in graph and row["target"] in graph for row in edge_rows)
    total = sum(d["weight"] for *_, d in graph.edges(data=True))
    assert sum(float(row["weight"]) for row in edge_rows) == total


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_figures_are_images_and_the_same_every_time(view: tuple[str, nx.Graph], fmt: str) -> None:
    name, graph = view
    first = export.render(graph, fmt, export.ExportOptions(title=f"{name} $x^2$", max_nodes=60))[""]
    again = export.render(graph, fmt, export.ExportOptions(title=f"{name} $x^2$", max_nodes=60))[""]
    assert hashlib.sha256(first).digest() == hashlib.sha256(again).digest()
    if fmt == "png":
        assert first.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        svg = etree.fromstring(first, etree.XMLParser(no_network=True, resolve_entities=False))
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert not list(svg.iter("{http://www.w3.org/2000/svg}script"))


# --- attribute encoding and the small fixture ------------------------------------------------------


def test_list_and_dict_attributes_are_json_text() -> None:
    assert export.encode_value([2004, 2023]) == "[2004,2023]"
    assert export.encode_value({"b": 1, "a": [1]}) == '{"a":[1],"b":1}'
    assert export.encode_value({"x;y", "a,b"}) == '["a,b","x;y"]'
    assert export.encode_value(3) == 3 and export.encode_value(None) == ""


def test_year_spells_merge_consecutive_years() -> None:
    spells = [("2004-01-01", "2005-12-31"), ("2009-01-01", "2009-12-31")]
    assert export.year_spells([2009, 2004, 2005]) == spells
    assert export.year_spells([]) == []


def test_dot_ids_cannot_break_out() -> None:
    hostile = 'a" -- "b'
    graph = nx.Graph(view="v")
    graph.add_node(hostile, label='x\\N"; node [shape=box')
    graph.add_node("ag:wco", label="WCO")
    graph.add_edge(hostile, "ag:wco", weight=1)
    (dot,) = pydot.graph_from_dot_data(export.to_dot(graph).decode())
    assert {json.loads(n.get_name()) for n in dot.get_nodes()} == {hostile, "ag:wco"}
    assert len(dot.get_edges()) == 1


def test_the_seed_fixture_network(kg: OxigraphStore) -> None:
    graph = catalog.build(kg, "agencies")
    edge = graph.edges[CED, KCS]
    assert (edge["weight"], edge["events"], edge["agreements"], edge["operations"], edge["cooperations"]) == (
        8, 2, 3, 1, 2)  # fmt: skip
    assert edge["years"] == [2004, 2023] and edge["facts_by_year"] == {"2004": 5, "2023": 3}
    read = nx.read_gexf(io.BytesIO(export.to_gexf(graph)))
    assert read.edges[CED, KCS]["spells"] == [("2004-01-01", "2004-12-31"), ("2023-01-01", "2023-12-31")]


def test_csv_paths() -> None:
    assert export.csv_paths("out/agencies.csv") == ("out/agencies.nodes.csv", "out/agencies.edges.csv")
    assert export.csv_paths("out/x") == ("out/x.nodes.csv", "out/x.edges.csv")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export.render(nx.Graph(), "xls")


def test_shared_schemas_are_read_in_place() -> None:
    assert not list(Path(REPO).rglob("gexf.xsd"))
