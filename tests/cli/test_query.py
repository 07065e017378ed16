"""cckg query through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import (
    one_line_error,
    run_cli,
)

# --- query ---------------------------------------------------------------------------------


def test_query_list() -> None:
    result = run_cli("query", "--list")
    assert result.exit_code == 0
    assert "partners: Partners of an agency" in result.stdout
    assert "--param agency=<string>  (required)" in result.stdout


def test_query_named_with_parameter(store_path: Path) -> None:
    agency = "agency=Customs and Excise Department"
    result = run_cli("--store", store_path, "query", "partners", "--param", agency)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["partner", "country", "firstYear"]
    assert lines[2].startswith("Korea Customs Service  KR       2004")


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_query_formats_to_a_file(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run_cli("--store", store_path, "query", "agencies", "--format", fmt, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Korea Customs Service" in out.read_text()


def test_query_from_stdin_and_file(store_path: Path, tmp_path: Path) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/cckg/ns#Release> }"
    result = run_cli("--store", store_path, "query", "-", "--format", "csv", input=sparql)
    assert result.stdout_bytes == b"n\r\n2\r\n"  # SPARQL CSV lines end in CRLF
    path = tmp_path / "count.rq"
    path.write_text(sparql)
    assert run_cli("--store", store_path, "query", path, "--format", "csv").stdout_bytes == b"n\r\n2\r\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["query", "-"], "DROP ALL", "updates are refused"),
        (["query", "-"], "SELECT * WHERE { ?s ?p }", "SPARQL syntax error"),
        (["query", "nope"], None, "unknown query 'nope'"),
        (["query", "partners"], None, "parameter agency is required"),
        (["query", "agencies", "--param", "colour=red"], None, "unknown parameter 'colour'"),
        (["query", "missing.rq"], None, "missing.rq: no such file"),
    ],
)
def test_query_errors_are_one_line(
    store_path: Path, args: list[str], stdin: str | None, message: str
) -> None:
    result = run_cli("--store", store_path, *args, input=stdin)
    assert result.exit_code == 2
    assert message in one_line_error(result)


def test_query_bad_param_syntax_and_missing_store(tmp_path: Path, store_path: Path) -> None:
    assert run_cli("--store", store_path, "query", "agencies", "--param", "novalue").exit_code == 2
    missing = run_cli("--store", tmp_path / "nowhere", "query", "agencies")
    assert missing.exit_code == 2
    assert "does not exist" in one_line_error(missing)
