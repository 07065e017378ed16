"""Generated releases are read exactly: their extraction scores 1.0 against their gold facts.

The scale tests use the gold facts as the truth about a store built from the generated texts, so
this test also compares what the scorer does not (participants, organisers, signatories, leaders,
posts, seizure places ...), fact by fact.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from cckg import synth
from cckg.cli import main

REPO = Path(__file__).resolve().parents[2]
COUNT, SEED = 60, 1


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", REPO / "scripts" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated corpus and the extractor's JSON Lines for it (through the real command)."""
    folder = tmp_path_factory.mktemp("generated")
    synth.write(folder, COUNT, SEED)
    result = CliRunner().invoke(main, ["extract", "--format", "jsonl", str(folder / "releases")])
    assert result.exit_code == 0, result.stderr
    predictions = folder / "pred.jsonl"
    predictions.write_text(result.stdout, encoding="utf-8")
    return folder / "gold", predictions


def test_the_scorer_gives_1_on_every_fact_type_and_attribute(extracted: tuple[Path, Path]) -> None:
    gold, predictions = extracted
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        scorer().main([str(gold), str(predictions), "--json"])
    result = json.loads(report.getvalue())
    assert result["missing_predictions"] == []
    assert result["overall_f1"] == 1.0
    for name, scores in result["types"].items():
        assert scores["f1"] == 1.0, (name, scores)
        assert all(accuracy == 1.0 for accuracy in scores["attributes"].values()), (name, scores)


def _sorted(values: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(values or []))


FACTS: dict[str, Any] = {
    "agencies": lambda a: (a["name"], a["country"], a["kind"]),
    "officials": lambda o: (o["name"], o["honorific"], o["title"], o["agency"], o["post"]),
    "events": lambda e: (
        e["kind"], e["name"], e["ordinal"], e["start"], e["end"], e["city"], e["country"],
        _sorted(e["participants"]), _sorted(e["organizers"]), _sorted(e["delegation_heads"]), e["status"],
    ),
    "agreements": lambda a: (
        a["kind"], a["name"], a["date"], _sorted(a["parties"]), _sorted(a["signatories"]),
        _sorted(a["topics"]),
    ),
    "operations": lambda o: (
        o["name"], o["start"], _sorted(o["led_by"]), _sorted(o["participants"]), _sorted(o["crime_types"])
    ),
    "seizures": lambda s: (
        s["goods"], round(float(s["quantity"]), 3), s["unit"], s["qualifier"], s["date"], s["city"],
        s["country"], _sorted(s["crime_types"]),
    ),
}  # fmt: skip


def test_every_fact_is_read_as_the_gold_writes_it(extracted: tuple[Path, Path]) -> None:
    gold_dir, predictions = extracted
    found = {doc["id"]: doc for doc in map(json.loads, predictions.read_text(encoding="utf-8").splitlines())}
    templates = set()
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        predicted = found[gold["id"]]
        templates.add(gold["generator"]["template"])
        for kind, key in FACTS.items():
            assert sorted(map(key, gold[kind])) == sorted(map(key, predicted[kind])), (gold["id"], kind)
        assert set(gold["crime_types"]) == set(predicted["crime_types"]), gold["id"]
        pairs = {frozenset(p) for p in gold["cooperation"]}
        assert pairs == {frozenset(p) for p in predicted["cooperation"]}, gold["id"]
    assert len(templates) >= 15
