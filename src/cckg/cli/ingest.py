"""``cckg ingest``: read, extract, validate and store releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cckg.cli.common import EXIT_NONCONFORMING, EXIT_OK, CliError, handle_errors, note, progress, store_for


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-extract releases even when they are stored unchanged.")
@click.option(
    "--curation",
    "curation_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The curation files (*.yaml) to apply. Default: data/curation.",
)
@click.option(
    "--store-invalid",
    is_flag=True,
    help="Store releases whose graph has SHACL violations too (they are still reported; exit 1).",
)
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], force: bool, curation_dir: Path | None, store_invalid: bool
) -> None:
    """Read, extract, validate and store releases.

    PATHS are release files or folders of them (.txt .md .html .htm).  Each release becomes one
    named graph; a release stored unchanged (same content hash, cckg version and curation) is
    skipped.  A broken file is reported and the others are still stored (exit 1).  Each release
    graph is validated first: one with SHACL violations is reported and not stored (exit 1) unless
    --store-invalid; one with warnings only is reported and stored.

    Example:

    \b
      $ cckg --store out/store ingest data/releases
      $ cckg --store out/store ingest --force --curation data/curation data/releases
    """
    from cckg import pipeline
    from cckg.ingest import curate

    curation = curate.load(curation_dir)
    with store_for(ctx, read_only=False) as store:
        report = pipeline.ingest(
            store,
            paths,
            force=force,
            progress=progress("ingest"),
            curation=curation,
            store_invalid=store_invalid,
        )
    for error in report.errors:
        note(f"cckg: {error}")
    for check in report.checks:
        note_release_check(check)
    if not report.files:
        raise CliError(f"no release files (.txt .md .html .htm) in {', '.join(map(str, paths))}")
    note(report.summary())
    ctx.exit(EXIT_OK if report.ok else EXIT_NONCONFORMING)


def note_release_check(check: Any) -> None:
    """A release's validation report on standard error, headed by its file and what became of it."""
    from cckg import validation

    counts = validation.count_text(check.report)
    if not check.stored:
        verdict = f"not stored: {counts} (--store-invalid stores it anyway)"
    else:
        verdict = f"stored with {counts}"
    note(f"cckg: {check.path}: {verdict}")
    note(validation.render_text(check.report, allow_warnings=True).rstrip("\n"))
