"""``cckg generate``: files, the output contract and the progress it shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cckg import synth
from cckg.cli import main
from cckg.cli.common import Progress


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_generate_writes_texts_and_gold_facts(tmp_path: Path) -> None:
    result = run("generate", "12", "-o", tmp_path / "out", "--seed", "4", "--start-year", "2015")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    texts = sorted((tmp_path / "out" / "releases").glob("*.txt"))
    golds = sorted((tmp_path / "out" / "gold").glob("*.json"))
    assert [p.stem for p in texts] == [p.stem for p in golds] == [f"synth-{i:07d}" for i in range(12)]
    expected = list(synth.generate(12, "4", start_year=2015))
    assert [p.read_text(encoding="utf-8") for p in texts] == [r.text for r in expected]
    lines = result.stderr.strip().splitlines()
    assert lines[-2].startswith("cckg: generate: 12/12 releases, ") and lines[-2].endswith(" s left")
    assert lines[-1].startswith("cckg: wrote 12 releases (") and "out/gold" in lines[-1]


def test_generate_first_continues_a_run(tmp_path: Path) -> None:
    assert run("generate", "3", "-o", tmp_path, "--first", "5").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "releases").iterdir())
    assert names == ["synth-0000005.txt", "synth-0000006.txt", "synth-0000007.txt"]
    fifth = next(synth.generate(1, 0, start=5))
    assert (tmp_path / "releases" / names[0]).read_text(encoding="utf-8") == fifth.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "5", "-o", "{tmp}", "--start-year", "2020", "--end-year", "2010"], "is after"),
        (["generate", "-o", "{tmp}", "--", "-1"], "Invalid value"),
        (["generate", "5"], "Missing option"),
    ],
)
def test_generate_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "releases").exists()


def test_generate_into_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder\n")
    result = run("generate", "2", "-o", tmp_path / "taken" / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("cckg: error: ") and len(result.stderr.strip().splitlines()) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_with_rate_and_eta_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = Progress("generate", 500, unit="release")
    for done in range(1, 501):
        progress(done)
    progress.close()
    shown = terminal.getvalue()
    assert "generate" in shown and "500/500" in shown and "release/s" in shown and "<" in shown
    assert "cckg: generate:" not in shown


def test_progress_is_plain_lines_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    progress = Progress("generate", 50, unit="release")
    for done in range(1, 51):
        progress(done)
    progress.close()
    lines = piped.getvalue().splitlines()
    assert len(lines) == 10 and lines[0].startswith("cckg: generate: 5/50 releases, ")
