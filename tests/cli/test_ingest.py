"""cckg ingest through the real entry point."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from cckg import pipeline
from cckg.cli import main
from conftest import (
    fake_stages,
    one_line_error,
    run_cli,
)

# --- ingest -------------------------------------------------------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_stages", fake_stages)


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest(tmp_path: Path, release_dir: Path) -> None:
    store = tmp_path / "store"
    first = run_cli("--store", store, "ingest", release_dir)
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    assert "ingested 2, unchanged 0, duplicate 0, failed 0" in first.stderr
    second = run_cli("--store", store, "ingest", release_dir)
    assert second.exit_code == 0 and "ingested 0, unchanged 2, duplicate 0, failed 0" in second.stderr
    forced = run_cli("--store", store, "ingest", "--force", release_dir)
    assert "ingested 2, unchanged 0" in forced.stderr


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest_reports_a_broken_file_and_stores_the_others(tmp_path: Path, release_dir: Path) -> None:
    broken = release_dir / "002_broken.txt"
    broken.write_text("BROKEN\n")
    result = run_cli("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 1
    assert f"cckg: {broken}: not a press release" in result.stderr.splitlines()
    assert "ingested 2, unchanged 0, duplicate 0, failed 1" in result.stderr
    graphs = run_cli("--store", tmp_path / "store", "query", "releases", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(graphs.stdout)))) == 3


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest_store_from_the_environment(tmp_path: Path, release_dir: Path) -> None:
    runner = CliRunner(env={"CCKG_STORE": str(tmp_path / "env-store")})
    result = runner.invoke(main, ["ingest", str(release_dir)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-store").is_dir()


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest_with_no_release_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("--store", tmp_path / "store", "ingest", empty)
    assert result.exit_code == 2
    assert "no release files" in one_line_error(result)
