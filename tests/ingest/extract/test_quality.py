"""Extraction quality on the seeds and the development set, scored by scripts/score.py."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from conftest import REPO

DEVSET = REPO / "data" / "devset"
SEED_GOLD = REPO / "data" / "seed-gold"


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", REPO / "scripts" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def overall(gold_dir: Path, releases: list[Path], tmp_path: Path) -> dict:
    """Extract ``releases`` and score them against ``gold_dir``: the scorer's JSON report."""
    predictions = tmp_path / "pred.jsonl"
    with predictions.open("w", encoding="utf-8") as handle:
        for path in releases:
            handle.write(json.dumps(extract(read_release(path)).to_json()) + "\n")
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        scorer().main([str(gold_dir), str(predictions), "--json"])
    return json.loads(report.getvalue())


def test_development_set_scores_at_least_090(tmp_path: Path) -> None:
    releases = find_releases([DEVSET / "releases"])
    assert len(releases) >= 30
    result = overall(DEVSET / "gold", releases, tmp_path)
    assert result["missing_predictions"] == []
    assert result["overall_f1"] >= 0.90, result


def test_seeds_score_at_least_095(tmp_path: Path) -> None:
    result = overall(SEED_GOLD, find_releases([REPO / "data" / "releases"]), tmp_path)
    assert result["missing_predictions"] == []
    assert result["overall_f1"] >= 0.95, result


@pytest.mark.parametrize("gold", sorted((DEVSET / "gold").glob("*.json")), ids=lambda p: p.stem)
def test_gold_files_follow_the_release_json_shape(gold: Path) -> None:
    data = json.loads(gold.read_text(encoding="utf-8"))
    assert (DEVSET / data["source"]).is_file()
    assert data["id"] == gold.stem
    for key in (
        "agencies",
        "officials",
        "events",
        "agreements",
        "operations",
        "seizures",
        "crime_types",
        "cooperation",
    ):
        assert isinstance(data[key], list)
