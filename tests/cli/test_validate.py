"""cckg validate through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from conftest import (
    RELEASE_FIXTURES,
    TEST_SHAPES,
    one_line_error,
    run_cli,
)

# --- validate -----------------------------------------------------------------------------


def test_validate_the_store(store_path: Path) -> None:
    result = run_cli("--store", store_path, "validate", "--shapes", TEST_SHAPES)
    assert result.exit_code == 1
    assert "A conference needs an end date." in result.stdout
    assert result.stdout.rstrip().endswith("does not conform: 1 violation, 1 warning, 1 info on 2 nodes")


def test_validate_files_json_and_turtle(tmp_path: Path) -> None:
    result = run_cli("validate", "--shapes", TEST_SHAPES, "--format", "json", *RELEASE_FIXTURES)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    assert "does not conform" in result.stderr
    report = tmp_path / "report.ttl"
    result = run_cli(
        "validate", "--shapes", TEST_SHAPES, "--format", "turtle", "-o", report, *RELEASE_FIXTURES
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert len(rdflib.Graph().parse(report, format="turtle")) > 0


def test_validate_allow_warnings(tmp_path: Path) -> None:
    warnings_only = tmp_path / "warnings.ttl"
    warnings_only.write_text(
        TEST_SHAPES.read_text().replace("sh:minCount 1 ;", "sh:minCount 1 ; sh:severity sh:Warning ;")
    )
    strict = run_cli("validate", "--shapes", warnings_only, *RELEASE_FIXTURES)
    assert strict.exit_code == 1
    relaxed = run_cli("validate", "--shapes", warnings_only, "--allow-warnings", *RELEASE_FIXTURES)
    assert relaxed.exit_code == 0, relaxed.output
    assert relaxed.stdout.rstrip().endswith("conforms: 2 warnings, 1 info on 2 nodes")


def test_validate_with_the_project_shapes(store_path: Path) -> None:
    result = run_cli("--store", store_path, "validate", "--allow-warnings")
    if result.exit_code == 2 and "cannot be used" in result.stderr:
        pytest.skip(result.stderr)
    assert result.exit_code == 0, result.output


def test_validate_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n")
    result = run_cli("validate", "--shapes", TEST_SHAPES, bad)
    assert result.exit_code == 2
    assert one_line_error(result).startswith(f"cckg: error: {bad}: not valid turtle")
    unknown = run_cli("validate", "--shapes", TEST_SHAPES, tmp_path / "data.csv")
    assert unknown.exit_code == 2 and "unknown RDF format" in one_line_error(unknown)
