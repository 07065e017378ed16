"""``cckg ingest``: read, extract, validate and store releases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cckg.cli.common import (
    EXIT_ERROR,
    EXIT_NONCONFORMING,
    EXIT_OK,
    CliError,
    handle_errors,
    note,
    progress,
    store_for,
)
from cckg.errors import CckgError


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
@click.option(
    "--report",
    "report_path",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every problem (failed, skipped, invalid, not read, duplicate) to FILE as JSON Lines, "
    "as it happens.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes that read and extract the releases (default: the number of CPUs; "
    "1: in this process). The store is written by this process alone; the result is the same for any N.",
)
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    force: bool,
    curation_dir: Path | None,
    store_invalid: bool,
    report_path: Path | None,
    workers: int | None,
) -> None:
    """Read, extract, validate and store releases.

    PATHS are release files or folders of them (.txt .md .html .htm).  Each release becomes one
    named graph; a release stored unchanged (same content hash, cckg version and curation) is
    skipped.  A broken file, or a folder that cannot be read, is reported and the others are still
    stored (exit 1).  A release in a language the extractor does not read is stored with its
    language and no facts, and reported as "not read".  Each release graph is validated first: one
    with SHACL violations is reported and not stored (exit 1) unless --store-invalid; one with
    warnings only is reported and stored.  A file whose text is stored under another release
    (a copy under another name) is stored once: it is reported as duplicate and its name recorded
    on that release (cckg:alsoSource).

    Example:

    \b
      $ cckg --store out/store ingest data/releases
      $ cckg --store out/store ingest --force --curation data/curation data/releases
      $ cckg --store out/store ingest --report problems.jsonl data/releases
      $ cckg --store out/store ingest --workers 4 generated/releases
    """
    from cckg import pipeline
    from cckg.ingest import curate

    curation = curate.load(curation_dir)
    log = pipeline.ProblemLog(report_path) if report_path else None
    report = pipeline.IngestReport()
    try:
        with store_for(ctx, read_only=False) as store:
            report = pipeline.ingest(
                store,
                paths,
                force=force,
                progress=progress("ingest"),
                curation=curation,
                store_invalid=store_invalid,
                on_problem=problem_noter(log),
                workers=workers or cpu_count(),
            )
    except (CckgError, OSError) as error:
        if not report.files and not report.problems:
            raise
        store_failed(report, str(error))
    for check in report.checks:
        note_release_check(check)
    if not report.files and not report.problems:
        raise CliError(f"no release files (.txt .md .html .htm) in {', '.join(map(str, paths))}")
    note(report.summary())
    lost = close_log(log)
    failed = lost or report.of("store")
    ctx.exit(EXIT_ERROR if failed else EXIT_OK if report.ok else EXIT_NONCONFORMING)


def cpu_count() -> int:
    """The CPUs this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def problem_noter(log: Any) -> Callable[[Any], None]:
    """Each problem of the batch on standard error as it happens (an invalid graph's report comes
    after the batch, with its results), and in the ``--report`` log."""

    def noted(problem: Any) -> None:
        if problem.outcome != "invalid":
            note(f"cckg: {problem.message}")
        if log is not None:
            log(problem)

    return noted


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


def store_failed(report: Any, error: str) -> None:
    """The store failed after the batch had begun (closing it on a full disk): a failure of the
    batch, not of the releases already counted as stored."""
    problem = " ".join(error.split())
    report.add("store", "store", f"{problem}; the releases counted as ingested were stored before it")


def close_log(log: Any) -> int:
    """Close the ``--report`` log; say how many of its lines are lost (the problems are all on
    standard error above)."""
    if log is None:
        return 0
    lost: int = log.close()
    if lost:
        note(
            f"cckg: error: --report {log.path}: {lost} of {log.lines} lines could not be written "
            f"({log.error}); they are lost from the file, and every problem is listed above"
        )
    return lost
