"""Command-line interface (placeholder, replaced below)."""

import click


@click.group()
def main() -> None:
    """cckg."""
