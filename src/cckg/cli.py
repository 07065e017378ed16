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
    from cckg.curate import CurationError
    from cckg.query import QueryError
    from cckg.validate import ShapesError, ValidationInputError

    errors: list[type[Exception]] = [StoreError, QueryError, ValidationInputError, ShapesError, OSError]
    errors.append(CurationError)
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
    metavar="PATH|URL",
    envvar=STORE_ENV,
    help=f"The store: a folder (embedded Oxigraph) or a SPARQL server URL (http://host:7878 for "
    f"Oxigraph; fuseki+, graphdb+, virtuoso+, sparql+http://...). Default: ${STORE_ENV}, else ./cckg-store.",
)
@click.version_option(__version__, prog_name="cckg")
@click.pass_context
def main(ctx: click.Context, store: str | None) -> None:
    """Press releases about cross-border law-enforcement cooperation -> a validated RDF knowledge graph."""
    ctx.obj = {"store": store}


@main.command()
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
    """
    from cckg import curate, pipeline

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
    from cckg import validate as validation

    counts = validation.count_text(check.report)
    if not check.stored:
        verdict = f"not stored: {counts} (--store-invalid stores it anyway)"
    else:
        verdict = f"stored with {counts}"
    note(f"cckg: {check.path}: {verdict}")
    note(validation.render_text(check.report, allow_warnings=True).rstrip("\n"))


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
@click.option(
    "--with-store",
    is_flag=True,
    help="Validate FILEs with what the store knows about the IRIs they mention (e.g. known agencies).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "pyshacl", "pyshacl-turbo"]),
    default="auto",
    show_default=True,
    help="SHACL engine; auto: pyshacl-turbo for the whole store when installed, else pyshacl.",
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
    with_store: bool,
    engine: str,
    output: str | None,
) -> None:
    """Validate the store, or RDF FILEs, against the SHACL shapes.

    The store is validated as the union of its graphs, with the ontology.  With --with-store,
    FILEs are validated with the store's facts about the IRIs they mention, and only results about
    the nodes the FILEs describe are reported.  Exit 0 when the data conforms (Info results are
    notes; --allow-warnings lets warnings pass too), 1 when it does not, 2 on an error.
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
    if with_store and not files:
        raise click.UsageError("--with-store validates FILEs against the store: give the FILEs")
    if not files:
        with store_for(ctx, read_only=True) as store:
            report = validation.validate_store(store, shapes=shapes, engine=engine)
    elif with_store:
        from cckg.rdfmap import VOCABULARY_GRAPH

        data = validation.load_files(files, input_format)
        with store_for(ctx, read_only=True) as store:
            report = validation.validate_with_store(
                data, store, shapes, skip=[VOCABULARY_GRAPH], engine=engine
            )
    else:
        report = validation.validate_graph(validation.load_files(files, input_format), shapes, engine=engine)
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
    type=click.Choice(["table", "csv", "tsv", "json", "markdown", "turtle", "jsonld"]),
    default="table",
    show_default=True,
    help="SELECT/ASK: json is SPARQL 1.1 Query Results JSON, csv and tsv follow SPARQL 1.1 too; "
    "CONSTRUCT/DESCRIBE: turtle (also for table, markdown) or jsonld (also for json).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after SECONDS (exit 2).",
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
    timeout: float | None,
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
        result = query.run(store, named, values, timeout=timeout)
    emit(query.render(result, fmt), output)


@main.command("show")
@click.argument("entity")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a card to read; json: the same card as JSON.",
)
@output_option
@click.pass_context
@handle_errors
def show_command(ctx: click.Context, entity: str, fmt: str, output: str | None) -> None:
    """Show what the graph knows about ENTITY, with the evidence of each fact.

    ENTITY is a name, alias or acronym (any case) or an IRI (full, or id:...).  A name that matches
    several entities lists them on standard error (exit 2): give one of their IRIs.
    """
    from cckg import show

    with store_for(ctx, read_only=True) as store:
        try:
            card = show.show(store, entity)
        except show.AmbiguousEntity as error:
            note(f"cckg: error: {error}:")
            for candidate in error.candidates:
                note(f"  {candidate.line()}")
            ctx.exit(EXIT_ERROR)
        except show.ShowError as error:
            raise CliError(str(error)) from None
    if fmt == "json":
        emit(json.dumps(show.to_json(card), indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(show.render_text(card), output)


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
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI|RELEASE",
    help="Dump only this named graph: a graph IRI, or a release by its id or file path.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DUMP_FORMATS)),
    default="nquads",
    show_default=True,
    help="nquads, trig and jsonld keep the named graphs; the others get one graph "
    "(the union without --graph).",
)
@output_option
@click.pass_context
@handle_errors
def dump(ctx: click.Context, graph_iri: str | None, fmt: str, output: str | None) -> None:
    """Write the store's RDF (every graph, or one)."""
    from cckg.pipeline import release_graph

    with store_for(ctx, read_only=True) as store:
        graph = release_graph(graph_iri) if graph_iri else None
        if graph is not None and not store.has_graph(graph):
            raise CliError(f"no graph {graph_iri} in the store")
        emit(store.dump(fmt, graph), output)


def _existing(location: str) -> str:
    """``location`` when it is a server or an existing store folder; a one-line error otherwise."""
    from cckg.remote import is_remote

    if not is_remote(location) and not Path(location).is_dir():
        raise CliError(f"store {location} does not exist (run `cckg ingest` first)")
    return location


@main.command()
@click.argument("releases", nargs=-1, required=True, metavar="RELEASE...")
@click.pass_context
@handle_errors
def remove(ctx: click.Context, releases: tuple[str, ...]) -> None:
    """Take releases out of the store, with all their facts.

    RELEASE is a release id, a release file path (its id is derived from the file name) or a graph
    IRI.  All the named graphs are dropped in one transaction; other releases are untouched.  A
    release that is not in the store is reported (exit 1).
    """
    from cckg.pipeline import release_graph

    graphs = {spec: release_graph(spec) for spec in releases}
    location = _existing(store_location(ctx.obj.get("store")))
    with open_store(location) as store:
        removed = set(store.remove_graphs(graphs.values()))
    missing = [spec for spec, graph in graphs.items() if graph not in removed]
    for spec in missing:
        note(f"cckg: {spec}: no such release in the store ({graphs[spec]})")
    note(f"removed {len(removed)}, not found {len(missing)}")
    ctx.exit(EXIT_NONCONFORMING if missing else EXIT_OK)


@main.command()
@click.argument("releases", nargs=-1, metavar="[RELEASE...]")
@click.option("--from", "source", metavar="PATH|URL", help="The store to copy from. Default: --store.")
@click.option(
    "--to", "target", metavar="PATH|URL", required=True, help="The store to copy to (a folder is created)."
)
@click.pass_context
@handle_errors
def copy(ctx: click.Context, releases: tuple[str, ...], source: str | None, target: str) -> None:
    """Copy named graphs from one store to another (a folder or a SPARQL server).

    Every named graph (the releases and the vocabulary), or only the RELEASEs given (ids, file paths
    or graph IRIs).  Each graph replaces its namesake in the target in one transaction.
    """
    from cckg.pipeline import release_graph
    from cckg.store import copy_graphs

    origin = _existing(store_location(source or ctx.obj.get("store")))
    if origin.rstrip("/") == target.rstrip("/"):
        raise CliError(f"--from and --to are the same store ({target})")
    with open_store(origin, read_only=True) as src:
        graphs = [release_graph(spec) for spec in releases] or src.graph_names()
        missing = [spec for spec, graph in zip(releases, graphs, strict=False) if not src.has_graph(graph)]
        if missing:
            raise CliError(f"{missing[0]}: no such release in {origin}")
        with open_store(target) as dst:
            triples = copy_graphs(src, dst, graphs)
    note(f"copied {len(graphs)} graph{'s' if len(graphs) != 1 else ''} ({triples} triples) to {target}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=7879, show_default=True, help="The port (0: a free one)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query after SECONDS and answer 503.",
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Queries that run at once."
)
@click.pass_context
@handle_errors
def serve(ctx: click.Context, host: str, port: int, timeout: float, workers: int) -> None:
    """Serve the store as a read-only SPARQL endpoint (SPARQL 1.1 Protocol).

    Queries go to http://HOST:PORT/query by GET or POST; results follow the Accept header (JSON,
    XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML for graphs).  Updates are refused.  Each
    query runs in a worker process and is stopped at the timeout.  Ctrl-C stops the server.
    """
    from cckg.serve import serving

    location = _existing(store_location(ctx.obj.get("store")))
    with serving(location, host, port, timeout, workers) as server:
        note(f"serving {location} at {server.url} (read-only, query timeout {timeout:g} s)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            note("stopped")


# --- generate: releases and gold facts for tests and benchmarks -------------------------------


class _GenerateProgress:
    """Progress of ``cckg generate`` on standard error: a bar with rate and ETA on a terminal, a
    plain line at every tenth of the run otherwise."""

    def __init__(self, total: int) -> None:
        import time

        self.total, self.clock = total, time.monotonic
        self.started = self.clock()
        self.step = max(1, total // 10)
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="generate", unit="release", file=sys.stderr)

    def __call__(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif done % self.step == 0 or done == self.total:
            elapsed = max(self.clock() - self.started, 1e-9)
            rate = done / elapsed
            left = (self.total - done) / rate
            note(f"cckg: generate: {done:,}/{self.total:,} releases, {rate:,.0f}/s, {left:,.0f} s left")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
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
    """
    from cckg import synth

    if start_year > end_year:
        raise CliError(f"--start-year {start_year} is after --end-year {end_year}")
    progress = _GenerateProgress(count)
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
