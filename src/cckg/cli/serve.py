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
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Refuse (403) an answer of more than N rows (SELECT) or triples (CONSTRUCT, DESCRIBE).",
)
@click.option(
    "--max-body",
    type=click.IntRange(1),
    default=1_000_000,
    show_default=True,
    metavar="BYTES",
    help="Refuse (413) a request body of more than BYTES.",
)
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    help="Let web pages of ORIGIN (https://host:port, or *) read the answers (repeatable). Default: none.",
)
@click.option(
    "--allow-service",
    multiple=True,
    metavar="HOST",
    help="Let a query's SERVICE send requests to HOST or HOST:PORT (repeatable). Default: refused.",
)
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    workers: int,
    max_rows: int,
    max_body: int,
    cors: tuple[str, ...],
    allow_service: tuple[str, ...],
) -> None:
    """Serve the store as a read-only SPARQL endpoint (SPARQL 1.1 Protocol).

    Queries go to http://HOST:PORT/query by GET or POST; results follow the Accept header (JSON,
    XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML for graphs).  Updates are refused.  Each
    query runs in a worker process and is stopped at the timeout.  No web page may read the answers
    (no CORS header) unless --cors names its origin; SERVICE is refused unless --allow-service
    names the host.  Ctrl-C stops the server.

    Example:

    \b
      $ cckg --store out/store serve --port 7879 --timeout 5
      $ cckg --store out/store serve --cors http://localhost:8000 --max-rows 50000
    """
    from cckg.views.protocol import Policy
    from cckg.views.serve import serving

    location = existing(store_location(ctx.obj.get("store")))
    policy = Policy(cors=cors, max_body=max_body, max_results=max_rows, allow_service=allow_service)
    with serving(location, host, port, timeout, workers, policy=policy) as server:
        note(f"serving {location} at {server.url} (read-only, query timeout {timeout:g} s)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            note("stopped")
