"""scripts/realset.py: gold files and predictions split by the manifest, scored split by split.

Every file here is invented; no release text is used.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "realset.py"
SCORER = REPO / "scripts" / "score.py"
MANIFEST = REPO / "data" / "realset" / "manifest.tsv"

HEADER = "id\tsplit\tpublisher\tgenre\tdate\turl\tfind_again\tchars\n"


def gold(rid: str, *agencies: str) -> dict:
    return {"id": rid, "agencies": [{"name": name, "kind": "customs"} for name in agencies]}


def run(*args: Path | str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, check=False)


@pytest.fixture
def realset(tmp_path: Path) -> Path:
    """A manifest of three releases (two dev, one test), gold for two, predictions for all and one more."""
    (tmp_path / "manifest.tsv").write_text(
        HEADER
        + "x-1\tdev\tXland Customs\tseizure\t2031-05-04\thttps://example.org/1\tpages: \"x one\"\t40\n"
        + "x-2\tdev\tXland Customs\tagreement\t\thttps://example.org/2\tpages: \"x two\"\t50\n"
        + "x-3\ttest\tYland News\tbilateral\t\thttps://example.org/3\tpages: \"x three\"\t60\n",
        encoding="utf-8",
    )
    golds = tmp_path / "gold"
    golds.mkdir()
    for doc in (gold("x-1", "Xland Customs"), gold("x-3", "Yland Border Agency", "Xland Customs")):
        (golds / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    predictions = [gold("x-1", "Xland Customs"), gold("x-2", "Xland Customs"),
                   {"source": "texts/x-3.txt", "agencies": [{"name": "Xland Customs"}]},
                   gold("y-9", "Zland Police")]
    (tmp_path / "pred.jsonl").write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    return tmp_path


def split(root: Path) -> subprocess.CompletedProcess:
    return run(SCRIPT, root / "manifest.tsv", root / "gold", root / "pred.jsonl", root / "out")


def ids(pred: Path) -> list[str]:
    return [json.loads(line).get("id") or Path(json.loads(line)["source"]).stem
            for line in pred.read_text(encoding="utf-8").splitlines()]


def test_gold_and_predictions_go_to_the_split_the_manifest_gives(realset: Path) -> None:
    result = split(realset)
    assert result.returncode == 0, result.stderr
    out = realset / "out"
    assert sorted(p.name for p in (out / "dev" / "gold").iterdir()) == ["x-1.json"]
    assert sorted(p.name for p in (out / "test" / "gold").iterdir()) == ["x-3.json"]
    assert ids(out / "dev" / "pred.jsonl") == ["x-1", "x-2"]
    assert ids(out / "test" / "pred.jsonl") == ["x-3"]  # found by its source file; y-9 is dropped
    assert "dev: 2 releases, 1 gold files, 2 predictions, 1 not annotated yet" in result.stderr
    assert "test: 1 releases, 1 gold files, 1 predictions\n" in result.stderr


def test_each_split_is_scored_on_its_own_releases(realset: Path) -> None:
    assert split(realset).returncode == 0
    scores = {}
    for name in ("dev", "test"):
        part = realset / "out" / name
        result = run(SCORER, part / "gold", part / "pred.jsonl", "--json")
        assert result.returncode == 0, result.stderr
        scores[name] = json.loads(result.stdout)
    assert scores["dev"]["types"]["agencies"]["recall"] == 1.0
    assert scores["test"]["types"]["agencies"]["recall"] == 0.5  # Yland Border Agency is missed
    assert scores["dev"]["missing_predictions"] == scores["test"]["missing_predictions"] == []


def test_a_second_run_replaces_the_split_folders(realset: Path) -> None:
    assert split(realset).returncode == 0
    (realset / "gold" / "x-1.json").unlink()
    assert split(realset).returncode == 0
    assert list((realset / "out" / "dev" / "gold").iterdir()) == []


def test_an_unknown_split_is_a_one_line_error_naming_the_row(realset: Path) -> None:
    manifest = realset / "manifest.tsv"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("\ttest\t", "\ttrain\t"), encoding="utf-8")
    result = split(realset)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"realset: {manifest}:4: each row needs an id and a split of dev or test"]


def test_a_gold_file_without_a_manifest_row_is_an_error(realset: Path) -> None:
    (realset / "gold" / "x-7.json").write_text(json.dumps(gold("x-7")), encoding="utf-8")
    result = split(realset)
    assert result.returncode == 2
    assert "x-7.json: no row for x-7" in result.stderr


def test_a_broken_prediction_line_is_an_error_naming_the_line(realset: Path) -> None:
    with (realset / "pred.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    result = split(realset)
    assert result.returncode == 2
    assert f"{realset / 'pred.jsonl'}:5: not a JSON object" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_quality_real_without_texts_says_how_to_collect_them(tmp_path: Path) -> None:
    env = {**os.environ, "CCKG_REALSET": str(tmp_path / "absent")}
    result = subprocess.run(["make", "-s", "quality-real"], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert f"no release texts in {tmp_path / 'absent'}" in result.stderr
    assert "data/realset/README.md" in result.stderr


def test_the_committed_manifest_is_complete_and_balanced() -> None:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert list(rows[0]) == ["id", "split", "publisher", "genre", "date", "url", "find_again", "chars"]
    assert len(rows) >= 66
    assert len({r["id"] for r in rows}) == len(rows)
    splits = Counter(r["split"] for r in rows)
    assert set(splits) == {"dev", "test"} and splits["test"] >= 22
    publishers = Counter(r["publisher"] for r in rows)
    assert len(publishers) >= 15 and max(publishers.values()) <= len(rows) / 3
    for name in ("dev", "test"):
        part = [r for r in rows if r["split"] == name]
        assert len({r["genre"] for r in part}) >= 4
        assert len({r["publisher"] for r in part}) >= 8
    for row in rows:
        assert row["url"].startswith(("http://", "https://")), row["id"]
        assert row["find_again"].startswith('pages: "') and row["find_again"].endswith('"'), row["id"]
        assert 0 < int(row["chars"]) <= 2000, row["id"]
