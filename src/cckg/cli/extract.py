"""``cckg extract``: the facts of releases as release JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cckg.cli.common import EXIT_NONCONFORMING, EXIT_OK, CliError, handle_errors, note, progress
from cckg.cli.options import emit, output_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one indented object for one release, JSON Lines for several; jsonl: always JSON Lines.",
)
@output_option
@click.pass_context
@handle_errors
def extract(ctx: click.Context, files: tuple[Path, ...], fmt: str, output: str | None) -> None:
    """Print the facts of each release as JSON.

    One object per release, in the release JSON format (JSON Lines for several).  Stores nothing.
    """
    from cckg.ingest import extract as extractor
    from cckg.ingest import read as reader

    releases = reader.find_releases(files)
    if not releases:
        raise CliError(f"no release files (.txt .md .html .htm) in {', '.join(map(str, files))}")
    objects, failed = [], 0
    bar = progress("extract")
    for path in bar(releases) if bar else releases:
        try:
            objects.append(extractor.extract(reader.read_release(path)).to_json())
        except reader.ReleaseError as error:
            note(f"cckg: {' '.join(str(error).split())}")
            failed += 1
        except Exception as error:  # one broken release never stops the others
            note(f"cckg: {path}: {type(error).__name__}: {' '.join(str(error).split())}")
            failed += 1
    if fmt == "json" and len(releases) == 1 and objects:
        text = json.dumps(objects[0], indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    emit(text, output)
    ctx.exit(EXIT_NONCONFORMING if failed else EXIT_OK)
