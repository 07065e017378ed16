"""``cckg extract``: the facts of releases as release JSON."""

from __future__ import annotations

from pathlib import Path

import click

from cckg import formats
from cckg.cli.common import EXIT_NONCONFORMING, EXIT_OK, CliError, handle_errors, note, progress
from cckg.cli.options import emit, output_options


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options(
    formats.FACTS,
    "json",
    help="json: one indented object for one release, JSON Lines for several; jsonl: always JSON Lines.",
)
@click.pass_context
@handle_errors
def extract(ctx: click.Context, files: tuple[Path, ...], fmt: str, output: str | None) -> None:
    """Print the facts of each release as JSON.

    One object per release, in the release JSON format (JSON Lines for several).  Stores nothing.
    A file that cannot be read, or a folder that cannot be searched, is reported (exit 1); a
    release in a language the extractor does not read is printed with no facts and reported as
    "not read".

    Example:

    \b
      $ cckg extract data/releases/000_d93ee451fa80120b.txt
      $ cckg extract data/releases -o out/seeds.jsonl
    """
    from cckg import pipeline

    report = pipeline.extract(files, progress=progress("extract"))
    for problem in report.problems:
        note(f"cckg: {problem.message}")
    if not report.files and not report.problems:
        raise CliError(f"no release files (.txt .md .html .htm) in {', '.join(map(str, files))}")
    emit(report.text(fmt), output)
    ctx.exit(EXIT_NONCONFORMING if report.of("failed") or report.of("skipped") else EXIT_OK)
