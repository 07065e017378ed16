"""``cckg serve``: the store as a read-only SPARQL endpoint."""

from __future__ import annotations

import click

from cckg.cli.common import existing, handle_errors, note
from cckg.store import store_location


@click.command()
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

    Example:

    \b
      $ cckg --store out/store serve --port 7879 --timeout 5
    """
    from cckg.views.serve import serving

    location = existing(store_location(ctx.obj.get("store")))
    with serving(location, host, port, timeout, workers) as server:
        note(f"serving {location} at {server.url} (read-only, query timeout {timeout:g} s)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            note("stopped")
