"""``cckg validate``: the store, or RDF files, against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cckg import formats
from cckg.cli.common import (
    EXIT_NONCONFORMING,
    EXIT_OK,
    CliError,
    Steps,
    handle_errors,
    large_store,
    note,
    store_for,
)
from cckg.cli.options import FormatChoice, emit, output_options


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--input-format",
    type=FormatChoice(list(formats.RDF_INPUT)),
    help="Format of FILEs when their extension does not tell (.ttl .nt .nq .trig .jsonld .rdf .owl .xml).",
)
@output_options(
    formats.REPORT,
    "text",
    help="text: results grouped by node with label and evidence; json; turtle: the W3C SHACL report.",
)
@click.option("--allow-warnings", is_flag=True, help="Conform when the only results are warnings or infos.")
@click.option(
    "--shapes",
    "shape_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Validate against these SHACL files instead of shapes/*.ttl (repeatable).",
)
@click.option(
    "--with-store",
    is_flag=True,
    help="Validate FILEs with what the store knows about the IRIs they mention (e.g. known agencies).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "pyshacl", "pyshacl-turbo", "indexed"]),
    default="auto",
    show_default=True,
    help="SHACL engine; auto: indexed (pySHACL's results, faster), pyshacl the reference.",
)
@click.pass_context
@handle_errors
def validate(
    ctx: click.Context,
    files: tuple[Path, ...],
    input_format: str | None,
    fmt: str,
    allow_warnings: bool,
    shape_files: tuple[Path, ...],
    with_store: bool,
    engine: str,
    output: str | None,
) -> None:
    """Validate the store, or RDF FILEs, against the SHACL shapes.

    The store is validated as the union of its graphs, with the ontology.  With --with-store,
    FILEs are validated with the store's facts about the IRIs they mention, and only results about
    the nodes the FILEs describe are reported.  Exit 0 when the data conforms (Info results are
    notes; --allow-warnings lets warnings pass too), 1 when it does not, 2 on an error.

    Example:

    \b
      $ cckg --store out/store validate
      $ cckg validate tests/fixtures/release-000.ttl --format json -o report.json
      $ cckg --store out/store validate --with-store new-release.ttl
    """
    from cckg import validation

    shapes = _load_shapes(shape_files)
    if with_store and not files:
        raise click.UsageError("--with-store validates FILEs against the store: give the FILEs")
    steps = Steps("validate", 2, plain=not files and large_store(ctx))
    try:
        report = _report(ctx, files, input_format, shapes, with_store, engine, steps)
        steps("writing the report")
        rendered = validation.render(report, fmt, allow_warnings)
    finally:
        steps.close()
    emit(rendered, output)
    if fmt != "text" or output not in (None, "-"):
        note(validation.summary(report, allow_warnings))
    ctx.exit(EXIT_OK if report.ok(allow_warnings) else EXIT_NONCONFORMING)


def _load_shapes(shape_files: tuple[Path, ...]) -> Any:
    """The SHACL shapes of ``shape_files``, or the project's."""
    import rdflib

    from cckg import resources

    shape_paths = list(shape_files) or resources.shape_files()
    if not shape_paths:
        raise CliError("no SHACL shapes found (shapes/*.ttl)")
    shapes = rdflib.Graph()
    for path in shape_paths:
        shapes.parse(path, format="turtle")
    return shapes


def _report(
    ctx: click.Context,
    files: tuple[Path, ...],
    input_format: str | None,
    shapes: Any,
    with_store: bool,
    engine: str,
    steps: Steps,
) -> Any:
    """The validation report of the store, of FILEs with the store, or of FILEs alone."""
    from cckg import validation
    from cckg.namespaces import VOCABULARY_GRAPH

    if not files:
        steps("validating the store")
        with store_for(ctx, read_only=True) as store:
            return validation.validate_store(store, shapes=shapes, engine=engine)
    steps("validating the files with the store" if with_store else "validating the files")
    data = validation.load_files(files, input_format)
    if not with_store:
        return validation.validate_graph(data, shapes, engine=engine)
    with store_for(ctx, read_only=True) as store:
        return validation.validate_with_store(data, store, shapes, skip=[VOCABULARY_GRAPH], engine=engine)
