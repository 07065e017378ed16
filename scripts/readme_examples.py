#!/usr/bin/env python3
"""Run the console examples of README.md and compare what they print with what README shows.

    python scripts/readme_examples.py            # check: a diff per example that drifted, exit 1
    python scripts/readme_examples.py --update   # write the real output into README.md

An example is a ```console block: lines starting with ``$ `` are commands, the lines after each
command are what it prints (standard output and standard error together). Each block runs in a
fresh working folder that holds a copy of the repository's ``data``, links to its ``tests``,
``scripts``, ``ontology`` and ``shapes``, and ``out/store``: a store of the seed releases built as
``make demo`` builds it. So every block starts from the state README describes. A block's commands
run in one ``bash``, with the project's ``cckg`` and ``python`` first on ``PATH``.

In the shown output, a line that is only ``...`` stands for any number of lines, and ``...``
inside a line for any text: that is how README abridges long output. ``--update`` leaves
abridged outputs alone and reports them when they drift.

Two HTML comments right above a block's fence change how it runs:

- ``<!-- example: not run (reason) -->``: the block is not run (it needs a server, another
  store, or edits the repository's data);
- ``<!-- example: setup COMMAND -->``: ``COMMAND`` runs first (for instance to start from an
  empty store, or to make a broken file).

Exit 0 when every example matches, 1 when one does not, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPIED = ("data",)  # copied, so an example can never change the repository's data
LINKED = ("tests", "scripts", "ontology", "shapes")
FENCE = "```console"
NOT_RUN = re.compile(r"<!--\s*example:\s*not run\b.*-->")
SETUP = re.compile(r"<!--\s*example:\s*setup\s+(.*?)\s*-->")
COMMAND_TIMEOUT = 120
MARKER = "@@ end of example step @@"  # seconds; generous: one example generates and scores 1,000 releases


@dataclass
class Step:
    """One command of an example and the output README shows for it."""

    command: str
    shown: list[str]
    line: int  # 1-based line of the command in README.md


@dataclass
class Example:
    """One console block of README.md."""

    line: int  # 1-based line of the fence
    end: int  # 1-based line of the closing fence
    steps: list[Step]
    run: bool = True
    setup: list[str] = field(default_factory=list)


def parse_examples(text: str) -> list[Example]:
    """The console blocks of a markdown text, with their commands, outputs and directives."""
    lines = text.split("\n")
    examples: list[Example] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != FENCE:
            index += 1
            continue
        start = index
        above = [lines[i] for i in range(max(0, start - 3), start)]
        index += 1
        steps: list[Step] = []
        while index < len(lines) and not lines[index].startswith("```"):
            line = lines[index]
            if line.startswith("$ "):
                steps.append(Step(line[2:], [], index + 1))
            elif steps:
                steps[-1].shown.append(line)
            index += 1
        example = Example(start + 1, index + 1, steps)
        example.run = bool(steps) and not any(NOT_RUN.search(line) for line in above)
        example.setup = [m.group(1) for line in above for m in [SETUP.search(line)] if m]
        examples.append(example)
        index += 1
    return examples


def _line_pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in shown.split("...")) + r"\Z")


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``shown``: a line ``...`` is any lines, ``...`` in a line any text."""
    shown = _trim([line.rstrip() for line in shown])
    actual = _trim([line.rstrip() for line in actual])

    def fit(i: int, j: int) -> bool:
        if i == len(shown):
            return j == len(actual)
        if shown[i].strip() == "...":
            return any(fit(i + 1, k) for k in range(j, len(actual) + 1))
        if j == len(actual):
            return False
        if "..." in shown[i]:
            if not _line_pattern(shown[i]).match(actual[j]):
                return False
        elif shown[i] != actual[j]:
            return False
        return fit(i + 1, j + 1)

    return fit(0, 0)


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def seed_store(root: Path, env: dict[str, str]) -> Path:
    """A store of the seed releases, built once with the real command line as ``make demo`` does
    (from the working folder, so sources are recorded as ``data/releases/...``)."""
    build = root / "seed"
    shutil.copytree(REPO / "data" / "releases", build / "data" / "releases")
    (build / "out").mkdir()
    subprocess.run(
        ["cckg", "--store", "out/store", "ingest", "data/releases"],
        cwd=build, env=env, check=True, capture_output=True, timeout=COMMAND_TIMEOUT,
    )
    return build / "out" / "store"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCKG_")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update({"COLUMNS": "100", "NO_COLOR": "1", "LC_ALL": "C.UTF-8", "TERM": "dumb"})
    return env


def run_example(example: Example, store: Path, env: dict[str, str], root: Path) -> list[list[str]]:
    """The output lines of each step of ``example``, run in a fresh working folder."""
    work = Path(tempfile.mkdtemp(prefix="example-", dir=root))
    for name in COPIED:
        shutil.copytree(REPO / name, work / name)
    for name in LINKED:
        (work / name).symlink_to(REPO / name)
    shutil.copytree(store, work / "out" / "store")
    for command in example.setup:
        subprocess.run(["bash", "-c", command], cwd=work, env=env, check=True, timeout=COMMAND_TIMEOUT)
    # One shell for the whole block, so that `echo $?` sees the previous command's status; a
    # marker line after each command splits the output into steps.
    script = "".join(
        f"{{ {step.command}\n}} 2>&1; __status=$?; printf '\\n%s\\n' '{MARKER}'; (exit $__status)\n"
        for step in example.steps
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT * len(example.steps), text=True,
    )
    parts = done.stdout.split(f"\n{MARKER}\n")
    outputs = [_trim(part.split("\n")) for part in parts[: len(example.steps)]]
    outputs += [[] for _ in range(len(example.steps) - len(outputs))]
    shutil.rmtree(work, ignore_errors=True)
    return outputs


@dataclass
class Drift:
    """A step whose real output is not what README shows."""

    step: Step
    actual: list[str]

    @property
    def abridged(self) -> bool:
        return any("..." in line for line in self.step.shown)

    def diff(self) -> str:
        lines = difflib.unified_diff(
            _trim(self.step.shown), self.actual, "README.md", "real output", lineterm="", n=2
        )
        return f"README.md:{self.step.line}: $ {self.step.command}\n" + "\n".join(lines)


def check(readme: Path = REPO / "README.md") -> list[Drift]:
    """Every step of every runnable example of ``readme`` whose output drifted."""
    examples = [e for e in parse_examples(readme.read_text(encoding="utf-8")) if e.run]
    env = environment()
    drifts: list[Drift] = []
    with tempfile.TemporaryDirectory(prefix="readme-") as tmp:
        root = Path(tmp)
        store = seed_store(root, env)
        for example in examples:
            for step, actual in zip(example.steps, run_example(example, store, env, root), strict=True):
                if not matches(step.shown, actual):
                    drifts.append(Drift(step, actual))
    return drifts


def update(readme: Path, drifts: list[Drift]) -> list[Drift]:
    """Write the real output of the drifted, unabridged steps into ``readme``; return the others."""
    lines = readme.read_text(encoding="utf-8").split("\n")
    left = []
    for drift in sorted(drifts, key=lambda d: d.step.line, reverse=True):
        if drift.abridged:
            left.append(drift)
            continue
        start = drift.step.line  # the 0-based index of the first output line
        lines[start : start + len(drift.step.shown)] = drift.actual + (
            [""] * (len(drift.step.shown) - len(_trim(drift.step.shown)))
        )
    readme.write_text("\n".join(lines), encoding="utf-8")
    return sorted(left, key=lambda d: d.step.line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="write the real outputs into README.md")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md")
    args = parser.parse_args(argv)
    if not args.readme.is_file():
        print(f"readme_examples: {args.readme}: no such file", file=sys.stderr)
        return 2
    drifts = check(args.readme)
    if args.update:
        drifts = update(args.readme, drifts)
        if drifts:
            print("abridged examples to update by hand:", file=sys.stderr)
    for drift in drifts:
        print(drift.diff(), file=sys.stderr)
    return 1 if drifts else 0


if __name__ == "__main__":
    sys.exit(main())
