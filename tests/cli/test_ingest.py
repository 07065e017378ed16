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


# --- one text under several names -----------------------------------------------------------

SAME = "Hong Kong Customs met Korea Customs Service in Seoul on 1 November 2023.\n\nThey signed a deal.\n"
SOURCES = (
    "PREFIX cckg: <https://w3id.org/cckg/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "SELECT ?id ?file WHERE { GRAPH ?g { ?g dcterms:identifier ?id "
    "{ ?g dcterms:source ?file } UNION { ?g cckg:alsoSource ?file } } } ORDER BY ?id ?file"
)


def stored_sources(store: Path) -> list[list[str]]:
    """Each stored release id with each of its files (dcterms:source, cckg:alsoSource)."""
    result = run_cli("--store", store, "query", "-", "--format", "csv", input=SOURCES)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


def test_one_text_under_two_names_is_stored_once(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "a.txt").write_text(SAME, encoding="utf-8")
    (folder / "b.txt").write_text(SAME, encoding="utf-8")
    store = tmp_path / "store"
    first = run_cli("--store", store, "ingest", "--workers", "1", folder)
    assert first.exit_code == 0, first.output
    said = f"cckg: {folder / 'b.txt'}: same text as release a (a.txt); stored once"
    assert said in first.stderr.splitlines()
    assert "ingested 1, unchanged 0, duplicate 1, failed 0" in first.stderr
    assert stored_sources(store) == [["a", "a.txt"], ["a", "b.txt"]]
    dumped = run_cli("--store", store, "dump").stdout
    again = run_cli("--store", store, "ingest", "--workers", "1", folder)
    assert "ingested 0, unchanged 1, duplicate 1, failed 0, skipped 0 (0 triples written)" in again.stderr
    assert run_cli("--store", store, "dump").stdout == dumped
    forced = run_cli("--store", store, "ingest", "--force", "--workers", "1", folder)
    assert "ingested 1, unchanged 0, duplicate 1, failed 0" in forced.stderr
    assert stored_sources(store) == [["a", "a.txt"], ["a", "b.txt"]]
    assert run_cli("--store", store, "remove", "a").exit_code == 0
    (folder / "a.txt").unlink()
    after = run_cli("--store", store, "ingest", "--workers", "1", folder)
    assert "ingested 1, unchanged 0, duplicate 0, failed 0" in after.stderr
    assert stored_sources(store) == [["b", "b.txt"]]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_three_names_one_text_with_a_non_latin_name(tmp_path: Path, workers: str) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("香港.txt", "z.txt", "a.txt"):
        (folder / name).write_text(SAME, encoding="utf-8")
    report = tmp_path / "problems.jsonl"
    store = tmp_path / "store"
    result = run_cli("--store", store, "ingest", "--workers", workers, "--report", report, folder)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "same text" in line]
    assert lines == [
        f"cckg: {folder / 'z.txt'}: same text as release a (a.txt); stored once",
        f"cckg: {folder / '香港.txt'}: same text as release a (a.txt); stored once",
    ]
    assert "ingested 1, unchanged 0, duplicate 2, failed 0" in result.stderr
    assert stored_sources(store) == [["a", "a.txt"], ["a", "z.txt"], ["a", "香港.txt"]]
    logged = [line for line in report.read_text(encoding="utf-8").splitlines() if '"duplicate"' in line]
    assert len(logged) == 2
