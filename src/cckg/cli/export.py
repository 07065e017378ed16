"""``cckg export VIEW``: graph views of the knowledge graph for other tools."""

from __future__ import annotations

import click

from cckg import formats
from cckg.cli.common import CliError, Steps, handle_errors, large_store, store_for
from cckg.cli.options import emit, output_options

VIEW_NAMES = ("agencies", "agency-crime", "people", "operations", "entities")


def view_filters(command: click.Command) -> click.Command:
    """The options every view takes: a year range, a crime type, an agency and its neighbourhood."""
    options = [
        click.option("--from", "start", type=click.IntRange(1, 9999), metavar="YEAR", help="First year."),
        click.option("--to", "end", type=click.IntRange(1, 9999), metavar="YEAR", help="Last year."),
        click.option("--crime", metavar="SLUG", help="Only facts on this crime type (drug-trafficking...)."),
        click.option(
            "--agency",
            metavar="NAME",
            help="Only this agency (name, acronym, alias or IRI) and its neighbours.",
        ),
        click.option(
            "--hops",
            type=click.IntRange(0, 99),
            default=1,
            show_default=True,
            help="How many edges away from --agency a node may be.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("export")
@click.argument("view", type=click.Choice(VIEW_NAMES), metavar="VIEW")
@output_options(
    formats.NETWORK,
    "graphml",
    help="graphml; gexf (1.2draft, with time); json (NetworkX node-link); cyjs (Cytoscape.js); dot; "
    "csv (a node file and an edge file: -o FILE.csv writes FILE.nodes.csv and FILE.edges.csv); html "
    "(an interactive page); png or svg (a figure).",
)
@view_filters
@click.option("--title", help="The title of the page or figure.")
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="html, png, svg: draw at most this many nodes (the most connected).",
)
@click.pass_context
@handle_errors
def export(
    ctx: click.Context,
    view: str,
    fmt: str | None,
    output: str | None,
    title: str | None,
    max_nodes: int,
    **filters: object,
) -> None:
    """Export a graph view: agencies, agency-crime, people, operations or entities.

    \b
    agencies      agencies, joined by the facts they share (weight), with years and crime types
    agency-crime  agencies and the crime types they work on (bipartite)
    people        officials, their agencies and posts over time, and the officials they met
    operations    joint operations and seizures, their agencies and crime types
    entities      every typed node and labelled edge

    Example:

    \b
      $ cckg --store out/store export agencies -o out/agencies.gexf
      $ cckg --store out/store export people --from 2015 --agency "Korea Customs" --hops 2 -o people.html
    """
    from cckg.views import export as exporter
    from cckg.views import render

    if fmt == "csv" and output in (None, "-"):
        raise CliError("csv writes two files (nodes and edges): give -o FILE.csv")
    steps = Steps(f"export {view}", 2, plain=large_store(ctx))
    try:
        steps(f"building the {view} view and its {fmt}")
        with store_for(ctx, read_only=True) as store:
            files = render.export_view(store, view, fmt, render.filters_from(filters), title, max_nodes)
        steps("writing")
    finally:
        steps.close()
    if fmt == "csv":
        for path, data in zip(exporter.csv_paths(str(output)), (files["nodes"], files["edges"]), strict=True):
            emit(data, path)
        return
    emit(files[""], output)
