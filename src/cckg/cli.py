"""The ``cckg`` command: a thin layer over the pipeline modules.

One contract for every command: ``--format`` picks the output format, ``-o FILE`` writes it to a
file (default: standard output); data goes to standard output, diagnostics to standard error.
Exit status: 0 ok, 1 the data does not conform (or some input files failed), 2 usage or runtime error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cckg import __version__
from cckg.store import DUMP_FORMATS, STORE_ENV, Store, StoreError, open_store, store_location

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error on standard error and exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"cckg: error: {self.message}", err=True)


def _known_errors() -> tuple[type[Exception], ...]:
    from cckg.query import QueryError
    from cckg.validate import ShapesError, ValidationInputError

    errors: list[type[Exception]] = [StoreError, QueryError, ValidationInputError, ShapesError, OSError]
    try:
        from cckg.reader import ReleaseError

        errors.append(ReleaseError)
    except ImportError:
        pass
    return tuple(errors)


def handle_errors(command: F) -> F:
    """Turn the library's errors into a one-line message and exit status 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _known_errors() as error:
            raise CliError(" ".join(str(error).split()) or type(error).__name__) from None

    return wrapper  # type: ignore[return-value]


class Group(click.Group):
    """A click group that reports unexpected exceptions in one line (``CCKG_DEBUG=1`` for a traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("CCKG_DEBUG"):
                raise
            message = " ".join(str(error).split())
            hint = "(CCKG_DEBUG=1 shows a traceback)"
            raise CliError(f"internal error: {type(error).__name__}: {message} {hint}") from None


# --- shared options and helpers ---------------------------------------------------------------


def output_option(command: F) -> F:
    return click.option(
        "-o", "--output", metavar="FILE", help="Write the output to FILE instead of standard output."
    )(command)


def emit(data: str | bytes, output: str | None) -> None:
    """Write command output to ``output`` (a file) or standard output."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        stream = click.get_binary_stream("stdout")
        stream.write(raw)
        stream.flush()
        return
    try:
        Path(str(output)).write_bytes(raw)
    except OSError as error:
        raise CliError(f"{output}: cannot write ({error.strerror or error})") from None


def note(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def store_for(ctx: click.Context, *, read_only: bool) -> Iterator[Store]:
    location = store_location(ctx.obj.get("store"))
    with open_store(location, read_only=read_only) as store:
        yield store


def progress(description: str) -> Callable[[list[Path]], Iterable[Path]] | None:
    """A progress bar on standard error, only when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc=description, unit="file", file=sys.stderr, leave=False)


# --- the commands ---------------------------------------------------------------------------


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store",
    metavar="PATH",
    envvar=STORE_ENV,
    help=f"The store folder (embedded Oxigraph). Default: ${STORE_ENV}, else ./cckg-store.",
)
@click.version_option(__version__, prog_name="cckg")
@click.pass_context
def main(ctx: click.Context, store: str | None) -> None:
    """Press releases about cross-border law-enforcement cooperation -> a validated RDF knowledge graph."""
    ctx.obj = {"store": store}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-extract releases even when they are stored unchanged.")
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, paths: tuple[Path, ...], force: bool) -> None:
    """Read, extract and store releases.

    PATHS are release files or folders of them (.txt .md .html .htm).  Each release becomes one
    named graph; a release stored unchanged (same content hash and cckg version) is skipped.
    A broken file is reported and the others are still stored (exit 1).
    """
    from cckg import pipeline

    with store_for(ctx, read_only=False) as store:
        report = pipeline.ingest(store, paths, force=force, progress=progress("ingest"))
    for error in report.errors:
        note(f"cckg: {error}")
    if not report.files:
        raise CliError(f"no release files (.txt .md .html .htm) in {', '.join(map(str, paths))}")
    note(report.summary())
    ctx.exit(EXIT_NONCONFORMING if report.errors else EXIT_OK)


@main.command()
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
    from cckg import extract as extractor
    from cckg import reader

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


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--input-format",
    type=click.Choice(["turtle", "nt", "nquads", "trig", "json-ld", "xml"]),
    help="Format of FILEs when their extension does not tell (.ttl .nt .nq .trig .jsonld .rdf .owl .xml).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
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
@output_option
@click.pass_context
@handle_errors
def validate(
    ctx: click.Context,
    files: tuple[Path, ...],
    input_format: str | None,
    fmt: str,
    allow_warnings: bool,
    shape_files: tuple[Path, ...],
    output: str | None,
) -> None:
    """Validate the store, or RDF FILEs, against the SHACL shapes.

    The store is validated as the union of its graphs, with the ontology.  Exit 0 when the data
    conforms, 1 when it does not.
    """
    import rdflib

    from cckg import resources
    from cckg import validate as validation

    shape_paths = list(shape_files) or resources.shape_files()
    if not shape_paths:
        raise CliError("no SHACL shapes found (shapes/*.ttl)")
    shapes = rdflib.Graph()
    for path in shape_paths:
        shapes.parse(path, format="turtle")
    if files:
        data = validation.load_files(files, input_format)
    else:
        from cckg.rdfmap import VOCABULARY_GRAPH

        with store_for(ctx, read_only=True) as store:
            data = validation.load_store(store, skip=[VOCABULARY_GRAPH])
    report = validation.validate_graph(data, shapes)
    emit(validation.render(report, fmt, allow_warnings), output)
    if fmt != "text" or output not in (None, "-"):
        note(validation.summary(report, allow_warnings))
    ctx.exit(EXIT_OK if report.ok(allow_warnings) else EXIT_NONCONFORMING)


@main.command("query")
@click.argument("name", required=False, metavar="NAME|FILE.rq|-")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="json is SPARQL 1.1 Query Results JSON; csv and tsv follow SPARQL 1.1 too.",
)
@output_option
@click.pass_context
@handle_errors
def query_command(
    ctx: click.Context,
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> None:
    """Run a named query, a SPARQL file, or SPARQL from stdin.

    NAME is a named query (see --list), FILE.rq a SPARQL file, - reads standard input.
    Queries see the union of all graphs.  Updates are refused.
    """
    from cckg import query

    if list_queries:
        emit(query.describe_queries(query.named_queries()), output)
        return
    if not name:
        raise click.UsageError("give a query NAME, a FILE.rq or - (or --list)")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[key.strip()] = value
    stdin_text = click.get_text_stream("stdin").read() if name == "-" else None
    named = query.load_query(name, stdin_text)
    with store_for(ctx, read_only=True) as store:
        result = query.run(store, named, values)
    emit(query.render(result, fmt), output)


@main.group()
def export() -> None:
    """Export views of the knowledge graph for other tools."""


@export.command("agencies")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json"]),
    default="graphml",
    show_default=True,
    help="gexf is GEXF 1.2draft; json is NetworkX node-link JSON.",
)
@output_option
@click.pass_context
@handle_errors
def export_agencies(ctx: click.Context, fmt: str, output: str | None) -> None:
    """The agency cooperation network.

    Agencies joined by shared events, agreements, joint operations and cooperation statements.
    """
    from cckg import export as exporter

    with store_for(ctx, read_only=True) as store:
        emit(exporter.export_agencies(store, fmt), output)


@main.command()
@click.option("--graph", "graph_iri", metavar="IRI", help="Dump only this named graph (a release IRI).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DUMP_FORMATS)),
    default="nquads",
    show_default=True,
    help="nquads and trig keep the named graphs; the others get one graph (the union without --graph).",
)
@output_option
@click.pass_context
@handle_errors
def dump(ctx: click.Context, graph_iri: str | None, fmt: str, output: str | None) -> None:
    """Write the store's RDF (every graph, or one)."""
    from rdflib import URIRef

    with store_for(ctx, read_only=True) as store:
        graph = URIRef(graph_iri) if graph_iri else None
        if graph is not None and graph not in store.graph_names():
            raise CliError(f"no graph {graph_iri} in the store")
        emit(store.dump(fmt, graph), output)
