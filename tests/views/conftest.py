"""A store of generated releases (cckg.synth), really ingested, and the gold facts behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cckg.store import OxigraphStore

GENERATED = 48
SEED = 12


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """(store folder, gold facts) for ``GENERATED`` releases of seed ``SEED``, ingested by the pipeline."""
    synth = pytest.importorskip("cckg.synth")
    from cckg.pipeline import ingest

    folder = tmp_path_factory.mktemp("generated")
    synth.write(folder, GENERATED, seed=SEED)
    store_path = folder / "store"
    with OxigraphStore(store_path) as store:
        report = ingest(store, [folder / "releases"], validate=False)
    assert report.ok and len(report.ingested) == GENERATED, report.errors
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "gold").glob("*.json"))]
    return store_path, golds


@pytest.fixture
def generated_store(generated: tuple[Path, list[dict]]) -> OxigraphStore:
    with OxigraphStore(generated[0], read_only=True) as store:
        yield store
