"""One output contract for every command: --format and -o FILE from one decorator, choices from the
library, one name per format (old spellings still taken), the format from -o FILE's extension, an
example in every --help."""

from __future__ import annotations

import json
from pathlib import Path

import click
import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg import formats, validation
from cckg.cli import main
from cckg.store import DUMP_FORMATS
from cckg.views import export, query
from conftest import RELEASE_2004, RELEASE_FIXTURES, REPO, command_paths, fixture_graphs, run_cli

#: The commands with an output format, and the library constant their choices come from.
LIBRARY_FORMATS = {
    "query": query.FORMATS,
    "dump": tuple(DUMP_FORMATS),
    "validate": formats.REPORT,
    "show": formats.CARD,
    "export": export.FORMATS,
    "analyze": formats.ANALYSIS,
    "extract": formats.FACTS,
}


def option(path: str, name: str) -> click.Option:
    command = dict(command_paths())[path]
    return next(p for p in command.params if isinstance(p, click.Option) and name in p.opts)


@pytest.mark.parametrize(("path", "library"), LIBRARY_FORMATS.items())
def test_format_choices_come_from_the_library(path: str, library: tuple[str, ...]) -> None:
    assert list(option(path, "--format").type.choices) == list(library)  # type: ignore[attr-defined]
    assert option(path, "-o").opts == ["-o", "--output"]


def test_one_name_per_format_across_commands() -> None:
    names = {c for path in LIBRARY_FORMATS for c in option(path, "--format").type.choices}  # type: ignore[attr-defined]
    names |= set(option("validate", "--input-format").type.choices)  # type: ignore[attr-defined]
    assert not names & set(formats.ALIASES), "an old spelling is offered as a choice"
    assert set(validation.INPUT_FORMATS) <= names
    for suffix, name in formats.BY_SUFFIX.items():
        assert name in names, suffix


@pytest.mark.parametrize(("old", "new"), [("ntriples", "nt"), ("rdfxml", "xml"), ("json-ld", "jsonld")])
def test_old_dump_spellings_give_the_same_output(store_path: Path, old: str, new: str) -> None:
    args = ["--store", store_path, "dump", "--graph", str(RELEASE_2004)]
    assert run_cli(*args, "--format", old).stdout_bytes == run_cli(*args, "--format", new).stdout_bytes


def test_old_query_and_input_spellings(store_path: Path, tmp_path: Path) -> None:
    args = ["--store", store_path, "query", "agencies"]
    assert run_cli(*args, "--format", "table").stdout == run_cli(*args, "--format", "text").stdout
    data = tmp_path / "release.data"
    data.write_text(rdflib.Graph().parse(RELEASE_FIXTURES[0]).serialize(format="json-ld"))
    assert run_cli("validate", "--input-format", "json-ld", data).exit_code == 0
    assert run_cli("validate", "--input-format", "jsonld", data).exit_code == 0


def test_the_output_file_names_the_format(store_path: Path, tmp_path: Path) -> None:
    store = ["--store", store_path]
    assert run_cli(*store, "query", "agencies", "-o", tmp_path / "a.csv").exit_code == 0
    assert (tmp_path / "a.csv").read_text().startswith("agency,acronyms,")
    assert run_cli(*store, "query", "agencies", "-o", tmp_path / "a.xml").exit_code == 0
    assert "sparql-results#" in (tmp_path / "a.xml").read_text()
    assert run_cli(*store, "dump", "--graph", str(RELEASE_2004), "-o", tmp_path / "r.ttl").exit_code == 0
    dumped = rdflib.Graph().parse(tmp_path / "r.ttl", format="turtle")
    assert isomorphic(dumped, fixture_graphs()[RELEASE_2004])
    assert run_cli(*store, "export", "agencies", "-o", tmp_path / "n.gexf").exit_code == 0
    assert nx.read_gexf(tmp_path / "n.gexf").number_of_nodes() == 2
    assert run_cli(*store, "show", "KCS", "-o", tmp_path / "card.json").exit_code == 0
    assert json.loads((tmp_path / "card.json").read_text())["name"] == "Korea Customs Service"
    assert run_cli("validate", *RELEASE_FIXTURES, "-o", tmp_path / "report.json").exit_code == 0
    assert json.loads((tmp_path / "report.json").read_text())["conforms"] is True


def test_format_wins_over_the_extension_and_unknown_extensions_take_the_default(
    store_path: Path, tmp_path: Path
) -> None:
    store = ["--store", store_path]
    run_cli(*store, "query", "agencies", "--format", "json", "-o", tmp_path / "a.csv")
    assert json.loads((tmp_path / "a.csv").read_text())["head"]["vars"][0] == "agency"
    run_cli(*store, "query", "agencies", "-o", tmp_path / "a.out")
    assert (tmp_path / "a.out").read_text().splitlines()[1].startswith("----")  # the text table
    run_cli(*store, "query", "agencies", "-o", tmp_path / "a.gexf")  # not a query format: the default
    assert (tmp_path / "a.gexf").read_text().splitlines()[1].startswith("----")


def test_extract_writes_json_lines_to_a_jsonl_file(tmp_path: Path) -> None:
    pytest.importorskip("cckg.ingest.extract")
    seed = REPO / "data" / "releases" / "000_d93ee451fa80120b.txt"
    out = tmp_path / "facts.jsonl"
    assert run_cli("extract", seed, "-o", out).exit_code == 0
    [line] = out.read_text().splitlines()  # one release, yet JSON Lines: the file says so
    assert json.loads(line)["id"] == "000_d93ee451fa80120b"


@pytest.mark.parametrize("path", [p for p, _ in command_paths()] + [""])
def test_every_help_shows_an_example(path: str) -> None:
    result = run_cli(*path.split(), "--help")
    assert result.exit_code == 0
    example = result.stdout.split("Example:", 1)
    assert len(example) == 2, f"cckg {path} --help has no Example: section"
    assert "$ cckg " in example[1] and (not path or path.split()[0] in example[1])


def test_the_main_group_is_the_entry_point() -> None:
    assert main.name == "main" and "query" in main.commands
