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
from cckg.cli.common import CliError
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

__all__ = ["main"]


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
    """Press releases about cross-border law-enforcement cooperation -> a validated RDF knowledge graph.

    Example:

    \b
      $ cckg --store out/store ingest data/releases
      $ cckg --store out/store query partners --param agency="Customs and Excise Department"
      $ cckg --store out/store export agencies -o out/agencies.gexf
    """
    ctx.obj = {"store": store}


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
