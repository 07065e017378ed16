"""The store commands: ``cckg dump``, ``cckg remove`` and ``cckg copy``."""

from __future__ import annotations

import click

from cckg import formats
from cckg.cli.common import EXIT_NONCONFORMING, EXIT_OK, CliError, existing, handle_errors, note, store_for
from cckg.cli.options import emit, output_options
from cckg.store import open_store, store_location


@click.command()
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI|RELEASE",
    help="Dump only this named graph: a graph IRI, or a release by its id or file path.",
)
@output_options(
    formats.DUMP,
    "nquads",
    help="nquads, trig and jsonld keep the named graphs; the others (turtle, nt, xml: RDF/XML) get "
    "one graph (the merged graph, each triple once, without --graph).",
)
@click.pass_context
@handle_errors
def dump(ctx: click.Context, graph_iri: str | None, fmt: str, output: str | None) -> None:
    """Write the store's RDF (every graph, or one).

    Example:

    \b
      $ cckg --store out/store dump -o everything.nq
      $ cckg --store out/store dump --graph data/releases/000_d93ee451fa80120b.txt --format turtle
    """
    from cckg.pipeline import release_graph

    with store_for(ctx, read_only=True) as store:
        graph = release_graph(graph_iri) if graph_iri else None
        if graph is not None and not store.has_graph(graph):
            raise CliError(f"no graph {graph_iri} in the store")
        emit(store.dump(fmt, graph), output)


@click.command()
@click.argument("releases", nargs=-1, required=True, metavar="RELEASE...")
@click.pass_context
@handle_errors
def remove(ctx: click.Context, releases: tuple[str, ...]) -> None:
    """Take releases out of the store, with all their facts.

    RELEASE is a release id, a release file path (its id is derived from the file name) or a graph
    IRI.  All the named graphs are dropped in one transaction; other releases are untouched.  A
    release that is not in the store is reported (exit 1).

    Example:

    \b
      $ cckg --store out/store remove 000_d93ee451fa80120b
    """
    from cckg.pipeline import release_graph

    graphs = {spec: release_graph(spec) for spec in releases}
    location = existing(store_location(ctx.obj.get("store")))
    with open_store(location, http_timeout=ctx.obj.get("http_timeout")) as store:
        removed = set(store.remove_graphs(graphs.values()))
    missing = [spec for spec, graph in graphs.items() if graph not in removed]
    for spec in missing:
        note(f"cckg: {spec}: no such release in the store ({graphs[spec]})")
    note(f"removed {len(removed)}, not found {len(missing)}")
    ctx.exit(EXIT_NONCONFORMING if missing else EXIT_OK)


@click.command()
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

    Example:

    \b
      $ cckg --store out/store copy --to http://localhost:7878
      $ cckg copy --from out/store --to out/copy 000_d93ee451fa80120b
    """
    from cckg.pipeline import release_graph
    from cckg.store import copy_graphs

    origin = existing(store_location(source or ctx.obj.get("store")))
    if origin.rstrip("/") == target.rstrip("/"):
        raise CliError(f"--from and --to are the same store ({target})")
    with open_store(origin, read_only=True, http_timeout=ctx.obj.get("http_timeout")) as src:
        graphs = [release_graph(spec) for spec in releases] or src.graph_names()
        missing = [spec for spec, graph in zip(releases, graphs, strict=False) if not src.has_graph(graph)]
        if missing:
            raise CliError(f"{missing[0]}: no such release in {origin}")
        with open_store(target, http_timeout=ctx.obj.get("http_timeout")) as dst:
            triples = copy_graphs(src, dst, graphs)
    note(f"copied {len(graphs)} graph{'s' if len(graphs) != 1 else ''} ({triples} triples) to {target}")
