"""``cckg export VIEW``: graph views of the knowledge graph for other tools."""

from __future__ import annotations

from pathlib import Path

import click

from cckg.cli.common import CliError, handle_errors, store_for
from cckg.cli.options import emit, output_option

VIEW_NAMES = ("agencies", "agency-crime", "people", "operations", "entities")
FORMAT_NAMES = ("graphml", "gexf", "json", "cyjs", "dot", "csv", "html", "png", "svg")
SUFFIXES = {".gv": "dot", ".cyjs": "cyjs", ".htm": "html", **{f".{name}": name for name in FORMAT_NAMES}}


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


def format_of(fmt: str | None, output: str | None) -> str:
    if fmt is not None:
        return fmt
    if output not in (None, "-"):
        return SUFFIXES.get(Path(str(output)).suffix.lower(), "graphml")
    return "graphml"


@click.command("export")
@click.argument("view", type=click.Choice(VIEW_NAMES), metavar="VIEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="graphml, gexf (1.2draft, with time), json (node-link), cyjs (Cytoscape.js), dot, csv (a "
    "node file and an edge file), html (an interactive page), png or svg (a figure).  Default: the "
    "format the extension of -o FILE names, else graphml.",
)
@output_option
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
    """
    from cckg.views import export as exporter
    from cckg.views import render

    fmt = format_of(fmt, output)
    if fmt == "csv" and output in (None, "-"):
        raise CliError("csv writes two files (nodes and edges): give -o FILE.csv")
    with store_for(ctx, read_only=True) as store:
        files = render.export_view(store, view, fmt, render.filters_from(filters), title, max_nodes)
    if fmt == "csv":
        for path, data in zip(exporter.csv_paths(str(output)), (files["nodes"], files["edges"]), strict=True):
            emit(data, path)
        return
    emit(files[""], output)
