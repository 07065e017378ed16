"""What every command shares: errors as one line and exit status 2, notes on standard error,
the store, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cckg.errors import CckgError
from cckg.store import Store, open_store, store_location

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error on standard error and exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"cckg: error: {self.message}", err=True)


def handle_errors(command: F) -> F:
    """Turn the library's errors into a one-line message and exit status 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (CckgError, OSError) as error:
            raise CliError(" ".join(str(error).split()) or type(error).__name__) from None

    return wrapper  # type: ignore[return-value]


def note(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def store_for(ctx: click.Context, *, read_only: bool) -> Iterator[Store]:
    location = store_location(ctx.obj.get("store"))
    with open_store(location, read_only=read_only) as store:
        yield store


def progress(description: str) -> Callable[[list[Path]], Iterable[Path]] | None:
    """A progress bar on standard error, only when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc=description, unit="file", file=sys.stderr, leave=False)


def existing(location: str) -> str:
    """``location`` when it is a server or an existing store folder; a one-line error otherwise."""
    from cckg.store.remote import is_remote

    if not is_remote(location) and not Path(location).is_dir():
        raise CliError(f"store {location} does not exist (run `cckg ingest` first)")
    return location
