"""``cckg analyze VIEW``: link analysis of a graph view."""

from __future__ import annotations

import click

from cckg import formats
from cckg.cli.common import handle_errors, store_for
from cckg.cli.export import VIEW_NAMES, view_filters
from cckg.cli.options import emit, output_options


@click.command("analyze")
@click.argument("view", type=click.Choice(VIEW_NAMES), metavar="VIEW")
@output_options(
    formats.ANALYSIS,
    "text",
    help="text: tables, the first --top rows of each list; json: everything.",
)
@view_filters
@click.option(
    "--top", type=click.IntRange(1), default=10, show_default=True, help="Rows per list in the table."
)
@click.pass_context
@handle_errors
def analyze(
    ctx: click.Context, view: str, fmt: str | None, output: str | None, top: int, **filters: object
) -> None:
    """Link analysis of a view: centrality, communities, bridges, crime types, new partnerships.

    Degree, weighted degree and betweenness centrality (betweenness counts links: weights are
    strengths, not distances); Louvain communities with a fixed seed; bridges and articulation
    agencies; the agencies with most partners per crime type; new partnerships per year.  The
    filters are those of `cckg export`.

    Example:

    \b
      $ cckg --store out/store analyze agencies
      $ cckg --store out/store analyze people --from 2010 -o people-analysis.json
    """
    from cckg.views import analyze as analysis
    from cckg.views import render

    with store_for(ctx, read_only=True) as store:
        result = analysis.analyze(store, view, render.filters_from(filters), top)
    emit(analysis.to_json(result) if fmt == "json" else analysis.to_table(result, top), output)
