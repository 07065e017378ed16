"""The cckg command line: one test per command, the output contract, and README's command section."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import (
    REPO,
    command_paths,
    run_cli,
)


def test_usage_errors_exit_2() -> None:
    assert run_cli("query", "--format", "yaml", "partners").exit_code == 2
    assert run_cli("no-such-command").exit_code == 2


@pytest.mark.parametrize("path", [p for p, _ in command_paths()])
def test_every_command_has_help(path: str) -> None:
    result = run_cli(*path.split(), "--help")
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


def test_errors_are_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CCKG_DEBUG", raising=False)  # --debug sets it for the workers: undone after
    args = ("--store", str(tmp_path / "none"), "query", "agencies")
    plain = run_cli(*args)
    assert plain.exit_code == 2 and plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    debug = run_cli("--debug", *args)
    assert debug.exit_code == 2 and "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip()


def test_progress_bars_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from cckg.cli import common as cli

    for terminal in (False, True):
        monkeypatch.setattr(sys.stderr, "isatty", lambda terminal=terminal: terminal)
        shown = cli.progress("ingest")
        assert list(shown([Path("a"), Path("b")])) == [Path("a"), Path("b")]
