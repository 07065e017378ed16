"""cckg export through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from conftest import (
    run_cli,
)

# --- export, dump, entry point ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_agencies(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run_cli("--store", store_path, "export", "agencies", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        graph = nx.read_graphml(out)
    elif fmt == "gexf":
        graph = nx.read_gexf(out)
    else:
        graph = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1


def test_export_to_stdout(store_path: Path) -> None:
    result = run_cli("--store", store_path, "export", "agencies")
    assert result.stdout.startswith("<?xml") and "graphml" in result.stdout
