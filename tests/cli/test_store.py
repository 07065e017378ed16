"""The store commands (dump, remove, copy) through the real entry point."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from conftest import (
    RELEASE_2004,
    fixture_graphs,
    one_line_error,
    run_cli,
)


def test_dump(store_path: Path) -> None:
    result = run_cli("--store", store_path, "dump", "--graph", str(RELEASE_2004), "--format", "turtle")
    assert result.exit_code == 0
    dumped = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(dumped, fixture_graphs()[RELEASE_2004])
    everything = run_cli("--store", store_path, "dump")
    dataset = rdflib.Dataset()
    dataset.parse(data=everything.stdout, format="nquads")
    for name, graph in fixture_graphs().items():
        assert isomorphic(dataset.graph(name), graph)
    missing = run_cli("--store", store_path, "dump", "--graph", "https://example.org/none")
    assert missing.exit_code == 2 and "no graph" in one_line_error(missing)
