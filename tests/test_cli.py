"""The cckg command line: one test per command, the output contract, and README's command section."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic

from cckg import pipeline
from cckg.cli import main
from conftest import RELEASE_2004, RELEASE_FIXTURES, REPO, TEST_SHAPES, fake_stages, fixture_graphs


def run(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cckg: error: ")
    return lines[0]


def command_paths(group: click.Group = main, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += command_paths(command, f"{path} ")
        else:
            found.append((path, command))
    return found


# --- ingest -------------------------------------------------------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_stages", fake_stages)


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest(tmp_path: Path, release_dir: Path) -> None:
    store = tmp_path / "store"
    first = run("--store", store, "ingest", release_dir)
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    assert "ingested 2, unchanged 0, failed 0" in first.stderr
    second = run("--store", store, "ingest", release_dir)
    assert second.exit_code == 0 and "ingested 0, unchanged 2, failed 0" in second.stderr
    forced = run("--store", store, "ingest", "--force", release_dir)
    assert "ingested 2, unchanged 0" in forced.stderr


@pytest.mark.usefixtures("fake_pipeline")
def test_ingest_reports_a_broken_file_and_stores_the_others(tmp_path: Path, release_dir: Path) -> None:
    broken = release_dir / "002_broken.txt"
    broken.write_text("BROKEN\n")
    result = run("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 1
    assert f"cckg: {broken}: not a press release" in result.stderr.splitlines()
    assert "ingested 2, unchanged 0, failed 1" in result.stderr
    graphs = run("--store", tmp_path / "store", "query", "releases", "--format", "csv")
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
    result = run("--store", tmp_path / "store", "ingest", empty)
    assert result.exit_code == 2
    assert "no release files" in one_line_error(result)


# --- extract ------------------------------------------------------------------------------

SEEDS = sorted((REPO / "data" / "releases").glob("*.txt"))


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real reader with a stand-in extractor: facts with the release's id, source and title."""
    import types

    import cckg
    from cckg.model import ReleaseFacts

    def extract(release: object) -> ReleaseFacts:
        if "BROKEN" in release.text:  # type: ignore[attr-defined]
            raise ValueError("no facts today")
        return ReleaseFacts(id=release.id, source=release.source, title=release.title)  # type: ignore[attr-defined]

    module = types.ModuleType("cckg.extract")
    module.extract = extract  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cckg.extract", module)
    monkeypatch.setattr(cckg, "extract", module, raising=False)


@pytest.mark.usefixtures("fake_extractor")
def test_extract_one_release_prints_one_json_object(tmp_path: Path) -> None:
    release = tmp_path / "hk-2023.txt"
    release.write_text("Customs meet\n\nThe Commissioner met the KCS today.\n")
    result = run("extract", release)
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
    result = run("extract", "--format", "jsonl", *(tmp_path / n for n in names), "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"cckg: {tmp_path / 'c.txt'}: empty release",
        f"cckg: {tmp_path / 'd.txt'}: ValueError: no facts today",
    ]
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_extract_the_seed_releases() -> None:
    """The real reader and extractor on data/releases."""
    pytest.importorskip("cckg.extract")
    if not SEEDS:
        pytest.skip("no seed releases")
    result = run("extract", *SEEDS)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [p.stem.lower() for p in SEEDS]


# --- validate -----------------------------------------------------------------------------


def test_validate_the_store(store_path: Path) -> None:
    result = run("--store", store_path, "validate", "--shapes", TEST_SHAPES)
    assert result.exit_code == 1
    assert "A conference needs an end date." in result.stdout
    assert result.stdout.rstrip().endswith("does not conform: 1 violation, 1 warning, 1 info on 2 nodes")


def test_validate_files_json_and_turtle(tmp_path: Path) -> None:
    result = run("validate", "--shapes", TEST_SHAPES, "--format", "json", *RELEASE_FIXTURES)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    assert "does not conform" in result.stderr
    report = tmp_path / "report.ttl"
    result = run("validate", "--shapes", TEST_SHAPES, "--format", "turtle", "-o", report, *RELEASE_FIXTURES)
    assert result.exit_code == 1 and result.stdout == ""
    assert len(rdflib.Graph().parse(report, format="turtle")) > 0


def test_validate_allow_warnings(tmp_path: Path) -> None:
    warnings_only = tmp_path / "warnings.ttl"
    warnings_only.write_text(
        TEST_SHAPES.read_text().replace("sh:minCount 1 ;", "sh:minCount 1 ; sh:severity sh:Warning ;")
    )
    strict = run("validate", "--shapes", warnings_only, *RELEASE_FIXTURES)
    assert strict.exit_code == 1
    relaxed = run("validate", "--shapes", warnings_only, "--allow-warnings", *RELEASE_FIXTURES)
    assert relaxed.exit_code == 0, relaxed.output
    assert relaxed.stdout.rstrip().endswith("conforms: 2 warnings, 1 info on 2 nodes")


def test_validate_with_the_project_shapes(store_path: Path) -> None:
    result = run("--store", store_path, "validate", "--allow-warnings")
    if result.exit_code == 2 and "cannot be used" in result.stderr:
        pytest.skip(result.stderr)
    assert result.exit_code == 0, result.output


def test_validate_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n")
    result = run("validate", "--shapes", TEST_SHAPES, bad)
    assert result.exit_code == 2
    assert one_line_error(result).startswith(f"cckg: error: {bad}: not valid turtle")
    unknown = run("validate", "--shapes", TEST_SHAPES, tmp_path / "data.csv")
    assert unknown.exit_code == 2 and "unknown RDF format" in one_line_error(unknown)


# --- query ---------------------------------------------------------------------------------


def test_query_list() -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    assert "partners: Partners of an agency" in result.stdout
    assert "--param agency=<string>  (required)" in result.stdout


def test_query_named_with_parameter(store_path: Path) -> None:
    agency = "agency=Customs and Excise Department"
    result = run("--store", store_path, "query", "partners", "--param", agency)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["partner", "country", "firstYear"]
    assert lines[2].startswith("Korea Customs Service  KR       2004")


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_query_formats_to_a_file(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run("--store", store_path, "query", "agencies", "--format", fmt, "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Korea Customs Service" in out.read_text()


def test_query_from_stdin_and_file(store_path: Path, tmp_path: Path) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/cckg/ns#Release> }"
    result = run("--store", store_path, "query", "-", "--format", "csv", input=sparql)
    assert result.stdout_bytes == b"n\r\n2\r\n"  # SPARQL CSV lines end in CRLF
    path = tmp_path / "count.rq"
    path.write_text(sparql)
    assert run("--store", store_path, "query", path, "--format", "csv").stdout_bytes == b"n\r\n2\r\n"


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
    result = run("--store", store_path, *args, input=stdin)
    assert result.exit_code == 2
    assert message in one_line_error(result)


def test_query_bad_param_syntax_and_missing_store(tmp_path: Path, store_path: Path) -> None:
    assert run("--store", store_path, "query", "agencies", "--param", "novalue").exit_code == 2
    missing = run("--store", tmp_path / "nowhere", "query", "agencies")
    assert missing.exit_code == 2
    assert "does not exist" in one_line_error(missing)


# --- export, dump, entry point ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_agencies(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"agencies.{fmt}"
    result = run("--store", store_path, "export", "agencies", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        graph = nx.read_graphml(out)
    elif fmt == "gexf":
        graph = nx.read_gexf(out)
    else:
        graph = nx.node_link_graph(json.loads(out.read_text()), edges="edges")
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1


def test_export_to_stdout(store_path: Path) -> None:
    result = run("--store", store_path, "export", "agencies")
    assert result.stdout.startswith("<?xml") and "graphml" in result.stdout


def test_dump(store_path: Path) -> None:
    result = run("--store", store_path, "dump", "--graph", str(RELEASE_2004), "--format", "turtle")
    assert result.exit_code == 0
    dumped = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(dumped, fixture_graphs()[RELEASE_2004])
    everything = run("--store", store_path, "dump")
    dataset = rdflib.Dataset()
    dataset.parse(data=everything.stdout, format="nquads")
    for name, graph in fixture_graphs().items():
        assert isomorphic(dataset.graph(name), graph)
    missing = run("--store", store_path, "dump", "--graph", "https://example.org/none")
    assert missing.exit_code == 2 and "no graph" in one_line_error(missing)


def test_usage_errors_exit_2() -> None:
    assert run("query", "--format", "xml", "partners").exit_code == 2
    assert run("no-such-command").exit_code == 2


@pytest.mark.parametrize("path", [p for p, _ in command_paths()])
def test_every_command_has_help(path: str) -> None:
    result = run(*path.split(), "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cckg", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "cckg" in result.stdout


# --- README -----------------------------------------------------------------------------------


def readme_commands() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- commands -->(.*)<!-- /commands -->", text, re.DOTALL)
    assert match, "README.md needs a <!-- commands --> ... <!-- /commands --> section"
    return match.group(1)


@pytest.mark.parametrize(("path", "command"), command_paths())
def test_every_command_and_option_is_in_the_readme(path: str, command: click.Command) -> None:
    section = readme_commands()
    heading = re.search(rf"^###+ `cckg {re.escape(path)}\b.*$", section, re.MULTILINE)
    assert heading, f"README.md has no heading for cckg {path}"
    body = re.split(r"^###+ ", section[heading.end() :], maxsplit=1, flags=re.MULTILINE)[0]
    for param in command.params:
        if isinstance(param, click.Option) and "--help" not in param.opts:
            assert param.opts[-1] in body, f"cckg {path}: option {param.opts[-1]} is not documented"


def test_the_readme_documents_the_global_options() -> None:
    section = readme_commands()
    assert "--store" in section and "CCKG_STORE" in section and "./cckg-store" in section


def test_progress_bars_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from cckg import cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert cli.progress("ingest") is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = cli.progress("ingest")
    assert bar is not None and list(bar([Path("a"), Path("b")])) == [Path("a"), Path("b")]
