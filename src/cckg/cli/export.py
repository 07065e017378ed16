"""``cckg export``: views of the knowledge graph for other tools."""

from __future__ import annotations

import click

from cckg import formats
from cckg.cli.common import handle_errors, store_for
from cckg.cli.options import emit, output_options


@click.group()
def export() -> None:
    """Export views of the knowledge graph for other tools.

    Example:

    \b
      $ cckg --store out/store export agencies -o out/agencies.gexf
    """


@export.command("agencies")
@output_options(
    formats.NETWORK,
    "graphml",
    help="gexf is GEXF 1.2draft; json is NetworkX node-link JSON.",
)
@click.pass_context
@handle_errors
def export_agencies(ctx: click.Context, fmt: str, output: str | None) -> None:
    """The agency cooperation network.

    Agencies joined by shared events, agreements, joint operations and cooperation statements.

    Example:

    \b
      $ cckg --store out/store export agencies --format gexf -o out/agencies.gexf
      $ cckg --store out/store export agencies -o out/agencies.json
    """
    from cckg.views import export as exporter

    with store_for(ctx, read_only=True) as store:
        emit(exporter.export_agencies(store, fmt), output)
