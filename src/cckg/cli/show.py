"""``cckg show``: a card for one entity, with the evidence of each fact."""

from __future__ import annotations

import json

import click

from cckg import formats
from cckg.cli.common import EXIT_ERROR, handle_errors, note, store_for
from cckg.cli.options import emit, output_options


@click.command("show")
@click.argument("entity")
@output_options(
    formats.CARD,
    "text",
    help="text: a card to read; json: the same card as JSON.",
)
@click.pass_context
@handle_errors
def show_command(ctx: click.Context, entity: str, fmt: str, output: str | None) -> None:
    """Show what the graph knows about ENTITY, with the evidence of each fact.

    ENTITY is a name, alias or acronym (any case) or an IRI (full, or id:...).  A name that matches
    several entities lists them on standard error (exit 2): give one of their IRIs.

    Example:

    \b
      $ cckg --store out/store show "Korea Customs Service"
      $ cckg --store out/store show "C&ED" --format json
    """
    from cckg.views import show

    with store_for(ctx, read_only=True) as store:
        try:
            card = show.show(store, entity)
        except show.AmbiguousEntity as error:
            note(f"cckg: error: {error}:")
            for candidate in error.candidates:
                note(f"  {candidate.line()}")
            ctx.exit(EXIT_ERROR)
    if fmt == "json":
        emit(json.dumps(show.to_json(card), indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(show.render_text(card), output)
