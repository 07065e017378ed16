"""cckg extract through the real entry point."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cckg import pipeline
from cckg.ingest.read import Release
from cckg.model import ReleaseFacts
from conftest import (
    REPO,
    run_cli,
)

# --- extract ------------------------------------------------------------------------------

SEEDS = sorted((REPO / "data" / "releases").glob("*.txt"))


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real reader with a stand-in extractor: facts with the release's id, source and title."""
    real = pipeline.default_stages()

    def extract(release: Release) -> ReleaseFacts:
        if "BROKEN" in release.text:
            raise ValueError("no facts today")
        return ReleaseFacts(id=release.id, source=release.source, title=release.title)

    monkeypatch.setattr(pipeline, "default_stages", lambda: replace(real, extract=extract))


@pytest.mark.usefixtures("fake_extractor")
def test_extract_one_release_prints_one_json_object(tmp_path: Path) -> None:
    release = tmp_path / "hk-2023.txt"
    release.write_text("Customs meet\n\nThe Commissioner met the KCS today.\n")
    result = run_cli("extract", release)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("{\n")  # one indented object
    assert json.loads(result.stdout)["id"] == "hk-2023"


@pytest.mark.usefixtures("fake_extractor")
def test_extract_several_releases_prints_json_lines(tmp_path: Path) -> None:
    names = ["a.txt", "b.md", "c.txt", "d.txt"]
    for name in names:
        (tmp_path / name).write_text(f"Release {name}\n\nThe Commissioner met the KCS today.\n")
    (tmp_path / "c.txt").write_text("")
    (tmp_path / "d.txt").write_text("BROKEN release\n\nText.\n")
    out = tmp_path / "facts.jsonl"
    result = run_cli("extract", "--format", "jsonl", *(tmp_path / n for n in names), "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"cckg: {tmp_path / 'c.txt'}: empty release",
        f"cckg: {tmp_path / 'd.txt'}: ValueError: no facts today",
    ]
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_extract_the_seed_releases() -> None:
    """The real reader and extractor on data/releases."""
    pytest.importorskip("cckg.ingest.extract")
    if not SEEDS:
        pytest.skip("no seed releases")
    result = run_cli("extract", *SEEDS)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [p.stem.lower() for p in SEEDS]
