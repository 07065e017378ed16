"""scripts/readme_examples.py: README's console examples are run and must print what they show."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "readme_examples.py"


def _load():
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_examples"] = module
    spec.loader.exec_module(module)
    return module


examples = _load()


def test_every_console_example_of_the_readme_prints_what_it_shows() -> None:
    drifts = examples.check(REPO / "README.md")
    assert not drifts, "README.md drifted (fix with scripts/readme_examples.py --update):\n" + "\n".join(
        drift.diff() for drift in drifts
    )


def test_the_readme_runs_most_of_its_examples() -> None:
    found = examples.parse_examples((REPO / "README.md").read_text(encoding="utf-8"))
    with_commands = [e for e in found if e.steps]
    run = [e for e in with_commands if e.run]
    # Only examples that need a server, a second store or an edit of the repository are skipped.
    assert len(run) >= 40 and len(with_commands) - len(run) <= 7


@pytest.mark.parametrize(
    ("shown", "actual", "fits"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "..."], ["a", "b", "c"], True),
        (["a", "  ...", "z"], ["a", "z"], True),
        (["a", "...", "z"], ["a", "b", "c"], False),
        (["rate 1,000/s ok"], ["rate 1,000/s ok"], True),
        (["rate .../s ok"], ["rate 257/s ok"], True),
        (["rate .../s ok"], ["rate 257/s bad"], False),
        (["a  ", ""], ["a"], True),
        (["a"], ["a", "b"], False),
    ],
)
def test_shown_output_matches_with_abridgements(shown: list[str], actual: list[str], fits: bool) -> None:
    assert examples.matches(shown, actual) is fits


def test_directives_above_a_block_skip_it_or_set_it_up() -> None:
    text = "\n".join(
        [
            "<!-- example: not run (needs a server) -->",
            "```console",
            "$ cckg serve",
            "```",
            "",
            "<!-- example: setup mkdir extra -->",
            "```console",
            "$ ls extra",
            "$ echo $?",
            "0",
            "```",
        ]
    )
    skipped, set_up = examples.parse_examples(text)
    assert not skipped.run and set_up.run
    assert set_up.setup == ["mkdir extra"]
    assert [s.command for s in set_up.steps] == ["ls extra", "echo $?"]
    assert [s.shown for s in set_up.steps] == [[], ["0"]]


def _readme(tmp_path: Path, shown: str) -> Path:
    path = tmp_path / "README.md"
    path.write_text(
        "# Example\n\n```console\n$ cckg --store out/store query releases --format csv\n"
        f"{shown}\n$ cckg --store out/store query nothing-like-this\n$ echo $?\n2\n```\n",
        encoding="utf-8",
    )
    return path


def test_a_drifted_figure_is_reported_and_update_writes_the_real_output(tmp_path: Path) -> None:
    readme = _readme(tmp_path, "release,issued\n001,1999-01-01")
    checked = subprocess.run(
        [sys.executable, str(SCRIPT), "--readme", str(readme)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 1
    assert f"{readme.name}:4: $ cckg --store out/store query releases --format csv" in checked.stderr
    assert "-001,1999-01-01" in checked.stderr

    updated = subprocess.run(
        [sys.executable, str(SCRIPT), "--readme", str(readme), "--update"],
        capture_output=True, text=True, check=False,
    )
    assert updated.returncode == 0, updated.stderr
    text = readme.read_text(encoding="utf-8")
    assert "001_c98b5c3fca22d16e,2004-12-17" in text and "1999-01-01" not in text
    assert examples.check(readme) == []
