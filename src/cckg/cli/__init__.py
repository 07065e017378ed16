"""The ``cckg`` command: a thin layer over the pipeline modules.

One contract for every command: ``--format`` picks the output format, ``-o FILE`` writes it to a
file (default: standard output); data goes to standard output, diagnostics to standard error.
Exit status: 0 ok, 1 the data does not conform (or some input files failed), 2 usage or runtime error.
"""

from __future__ import annotations

import os
from typing import Any

import click

from cckg import __version__
from cckg.cli.analyze import analyze
from cckg.cli.common import CliError, debugging
from cckg.cli.export import export
from cckg.cli.extract import extract
from cckg.cli.generate import generate
from cckg.cli.ingest import ingest
from cckg.cli.query import query_command
from cckg.cli.serve import serve
from cckg.cli.show import show_command
from cckg.cli.store import copy, dump, remove
from cckg.cli.validate import validate
from cckg.store import STORE_ENV
from cckg.store.remote import DEFAULT_TIMEOUT, HTTP_TIMEOUT_ENV

__all__ = ["main"]


class Group(click.Group):
    """A click group that reports unexpected exceptions in one line (``--debug`` or ``CCKG_DEBUG=1``
    for a traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if debugging():
                raise
            message = " ".join(str(error).split())
            hint = "(--debug shows a traceback)"
            raise CliError(f"internal error: {type(error).__name__}: {message} {hint}") from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store",
    metavar="PATH|URL",
    envvar=STORE_ENV,
    help=f"The store: a folder (embedded Oxigraph) or a SPARQL server URL (http://host:7878 for "
    f"Oxigraph; fuseki+, graphdb+, virtuoso+, sparql+http://...). Default: ${STORE_ENV}, else ./cckg-store.",
)
@click.option(
    "--http-timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    envvar=HTTP_TIMEOUT_ENV,
    help=f"Stop waiting for a SPARQL server (a remote store, a SERVICE) after SECONDS. "
    f"Default: ${HTTP_TIMEOUT_ENV}, else {DEFAULT_TIMEOUT:g}.",
)
@click.option("--debug", is_flag=True, help="Show a traceback when a command fails (also: CCKG_DEBUG=1).")
@click.version_option(__version__, prog_name="cckg")
@click.pass_context
def main(ctx: click.Context, store: str | None, http_timeout: float | None, debug: bool) -> None:
    """Press releases about cross-border law-enforcement cooperation -> a validated RDF knowledge graph.

    Example:

    \b
      $ cckg --store out/store ingest data/releases
      $ cckg --store out/store query partners --param agency="Customs and Excise Department"
      $ cckg --store out/store export agencies -o out/agencies.gexf
    """
    if debug and not os.environ.get("CCKG_DEBUG"):
        os.environ["CCKG_DEBUG"] = "1"  # the errors of this command, and of the workers it starts
        ctx.call_on_close(lambda: os.environ.pop("CCKG_DEBUG", None))  # for this command only
    ctx.obj = {"store": store, "http_timeout": http_timeout}


for command in (
    ingest,
    extract,
    validate,
    query_command,
    show_command,
    export,
    analyze,
    dump,
    remove,
    copy,
    serve,
    generate,
):
    main.add_command(command)
