"""cckg export and cckg analyze through the real entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from conftest import one_line_error, run_cli

READERS = {
    "graphml": nx.read_graphml,
    "gexf": nx.read_gexf,
    "json": lambda path: nx.node_link_graph(json.loads(Path(path).read_text()), edges="edges"),
    "cyjs": lambda path: nx.cytoscape_graph(json.loads(Path(path).read_text())),
}


@pytest.mark.parametrize("fmt", list(READERS))
def test_export_agencies_in_each_format(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run_cli("--store", store_path, "export", "agencies", "-o", out)  # format from the extension
    assert result.exit_code == 0, result.output
    graph = READERS[fmt](out)
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1


def test_export_to_stdout_is_graphml(store_path: Path) -> None:
    result = run_cli("--store", store_path, "export", "people")
    assert result.exit_code == 0 and result.stdout.startswith("<?xml") and "graphml" in result.stdout


def test_export_csv_writes_two_files(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "ac.csv"
    result = run_cli("--store", store_path, "export", "agency-crime", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    nodes = list(csv.DictReader((tmp_path / "ac.nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "ac.edges.csv").open(encoding="utf-8")))
    assert {n["type"] for n in nodes} == {"agency", "crime-type"}
    assert edges and all(e["source"] in {n["id"] for n in nodes} for e in edges)


def test_export_csv_needs_a_file(store_path: Path) -> None:
    result = run_cli("--store", store_path, "export", "agencies", "--format", "csv")
    assert result.exit_code == 2 and "give -o FILE.csv" in one_line_error(result)


def test_export_filters(store_path: Path) -> None:
    result = run_cli("--store", store_path, "export", "agencies", "--format", "json", "--from", "2010")
    graph = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    (edge,) = graph.edges(data=True)
    assert edge[2]["years"] == [2023]
    only = ["--agency", "KCS", "--hops", "0"]
    result = run_cli("--store", store_path, "export", "agencies", "--format", "json", *only)
    assert len(json.loads(result.stdout)["nodes"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--crime", "piracy"], "unknown crime type 'piracy'"),
        (["--agency", "Nobody"], "no agency 'Nobody'"),
        (["--from", "2020", "--to", "2010"], "empty"),
    ],
)
def test_export_bad_filters_are_one_line_errors(store_path: Path, args: list[str], message: str) -> None:
    result = run_cli("--store", store_path, "export", "agencies", *args)
    assert result.exit_code == 2 and message in one_line_error(result)


@pytest.mark.parametrize("fmt", ["png", "svg", "html", "dot"])
def test_export_pictures_and_pages(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run_cli("--store", store_path, "export", "agencies", "-o", out, "--title", "Seeds")
    assert result.exit_code == 0, result.output
    head = out.read_bytes()[:16]
    expected = {"png": b"\x89PNG", "svg": b"<?xml", "html": b"<!DOCTYPE html>", "dot": b"graph"}[fmt]
    assert head.startswith(expected)


def test_analyze_table_and_json(store_path: Path, tmp_path: Path) -> None:
    result = run_cli("--store", store_path, "analyze", "agencies")
    assert result.exit_code == 0, result.output
    assert "Customs and Excise Department" in result.stdout and "Communities (Louvain" in result.stdout
    out = tmp_path / "analysis.json"
    assert run_cli("--store", store_path, "analyze", "agencies", "-o", out).exit_code == 0
    data = json.loads(out.read_text())
    assert data["nodes"] == 2 and data["new_partnerships"][0]["year"] == 2004
