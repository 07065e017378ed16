"""``cckg query``: named queries, SPARQL files and SPARQL from standard input."""

from __future__ import annotations

import click

from cckg import formats
from cckg.cli.common import handle_errors, store_for
from cckg.cli.options import emit, output_options


@click.command("query")
@click.argument("name", required=False, metavar="NAME|FILE.rq|-")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter (repeatable)."
)
@output_options(
    formats.QUERY,
    "text",
    help="SELECT/ASK: text is an aligned table; json, xml, csv and tsv are the SPARQL 1.1 Query "
    "Results formats. CONSTRUCT/DESCRIBE: turtle (also for text, markdown), jsonld (also for json), "
    "RDF/XML for xml, N-Triples for csv and tsv.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after SECONDS (exit 2); on a remote store, the HTTP timeout of the query.",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="HOST",
    help="Let SERVICE clauses send requests to HOST (or HOST:PORT; repeatable). Default: SERVICE is refused.",
)
@click.pass_context
@handle_errors
def query_command(
    ctx: click.Context,
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    timeout: float | None,
    allow_service: tuple[str, ...],
    output: str | None,
) -> None:
    """Run a named query, a SPARQL file, or SPARQL from stdin.

    NAME is a named query (see --list), FILE.rq a SPARQL file, - reads standard input.
    Queries read the merged graph (each triple once).  Updates are refused, and so is SERVICE unless
    --allow-service names its host.

    Example:

    \b
      $ cckg query --list
      $ cckg --store out/store query partners --param agency="Customs and Excise Department"
      $ cckg --store out/store query agencies -o agencies.csv
    """
    from cckg.views import query

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
        if timeout is None and ctx.obj.get("http_timeout") is not None:
            timeout = ctx.obj["http_timeout"] if query.has_service(named.text) else None
        result = query.run(store, named, values, timeout=timeout, allow_service=allow_service)
    emit(query.render(result, fmt), output)
