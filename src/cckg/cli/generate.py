"""``cckg generate``: realistic releases and their gold facts, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from cckg.cli.common import CliError, Progress, handle_errors, note


@click.command()
@click.argument("count", metavar="N", type=click.IntRange(min=0))
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write DIR/releases/<id>.txt and DIR/gold/<id>.json to.",
)
@click.option(
    "--seed", metavar="S", default="0", show_default=True, help="What the world and its releases follow from."
)
@click.option(
    "--start-year", metavar="Y", type=click.IntRange(1900, 2098), default=2000, show_default=True,
    help="The first year of the dates.",
)  # fmt: skip
@click.option(
    "--end-year", metavar="Y", type=click.IntRange(1900, 2098), default=2024, show_default=True,
    help="The last year of the dates.",
)  # fmt: skip
@click.option(
    "--first",
    metavar="I",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="The index of the first release: split a large run in parts, or resume one.",
)
@handle_errors
def generate(count: int, folder: Path, seed: str, start_year: int, end_year: int, first: int) -> None:
    """Write N generated releases and their gold facts, for tests and benchmarks.

    Release i depends on the seed and i only: the same seed writes the same files, and a run can be
    split with --first.  The gold facts (docs/release-json.md) are what each text says.

    Example:

    \\b
      $ cckg generate 1000 -o out/generated --seed 7
      $ cckg --store out/gen-store ingest out/generated/releases
    """
    from cckg import synth

    if start_year > end_year:
        raise CliError(f"--start-year {start_year} is after --end-year {end_year}")
    progress = Progress("generate", count, unit="release")
    try:
        report = synth.write(
            folder, count, seed, first=first, start_year=start_year, end_year=end_year, progress=progress
        )
    finally:
        progress.close()
    note(
        f"cckg: wrote {report.releases:,} releases ({len(report.genres)} genres, "
        f"{len(report.templates)} templates) to {folder / 'releases'} and {folder / 'gold'}"
    )
