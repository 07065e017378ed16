"""Progress of the long commands (ingest, validate, export, generate): a bar with rate and ETA on a
terminal, plain lines on standard error when piped, never anything on standard output."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from cckg import pipeline
from cckg.cli import common
from conftest import fake_stages, run_cli

# The modules (``cckg.cli`` names the commands themselves ``validate`` and ``export``).
validate = importlib.import_module("cckg.cli.validate")
export = importlib.import_module("cckg.cli.export")


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_stages", fake_stages)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "on_terminal", lambda: True)


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest_piped_shows_plain_lines_with_rate_and_time_left(
    tmp_path: Path, release_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "PLAIN_FROM", 2)
    result = run_cli("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("cckg: ingest: 1/2 files, ") and lines[0].endswith(" s left")
    assert lines[1].startswith("cckg: ingest: 2/2 files, ") and "/s, " in lines[1]
    assert lines[2].startswith("ingested 2, ")


@pytest.mark.usefixtures("fake_pipeline")
def test_a_small_ingest_piped_shows_no_progress(tmp_path: Path, release_dir: Path) -> None:
    result = run_cli("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [result.stderr.strip()]  # the summary alone
    assert result.stderr.startswith("ingested 2, ")


@pytest.mark.usefixtures("fake_pipeline", "terminal")
def test_ingest_on_a_terminal_shows_a_bar(tmp_path: Path, release_dir: Path) -> None:
    result = run_cli("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "ingest: 100%" in result.stderr and "2/2" in result.stderr and "file/s" in result.stderr
    assert "\r" in result.stderr and "cckg: ingest:" not in result.stderr


def test_validate_of_a_large_store_piped_says_each_step(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "large_store", lambda ctx: True)
    result = run_cli("--store", store_path, "validate", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.lstrip().startswith("{")  # the report alone on standard output
    steps = [line for line in result.stderr.splitlines() if line.startswith("cckg: validate: step")]
    assert [line.split(" (")[0] for line in steps] == [
        "cckg: validate: step 1/2: validating the store",
        "cckg: validate: step 2/2: writing the report",
    ]
    assert steps[1].endswith(" s so far)")


def test_validate_of_a_small_store_piped_says_no_steps(store_path: Path) -> None:
    result = run_cli("--store", store_path, "validate", "--format", "json")
    assert "step" not in result.stderr


@pytest.mark.usefixtures("terminal")
def test_validate_on_a_terminal_shows_a_bar_of_steps(store_path: Path) -> None:
    result = run_cli("--store", store_path, "validate", "--format", "json")
    assert result.stdout.lstrip().startswith("{")
    assert "validate: " in result.stderr and "/2 steps" in result.stderr
    assert "writing the report" in result.stderr and "cckg: validate: step" not in result.stderr


def test_export_of_a_large_store_piped_says_each_step(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "large_store", lambda ctx: True)
    result = run_cli("--store", store_path, "export", "agencies", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("{")
    assert result.stderr.splitlines()[0].startswith("cckg: export agencies: step 1/2: building the agencies")
    assert result.stderr.splitlines()[1].startswith("cckg: export agencies: step 2/2: writing")


def test_generate_piped_shows_plain_lines(tmp_path: Path) -> None:
    result = run_cli("generate", "20", "-o", tmp_path / "gen")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    progress = [line for line in result.stderr.splitlines() if line.startswith("cckg: generate: ")]
    assert len(progress) == 10 and progress[-1].startswith("cckg: generate: 20/20 releases, ")
