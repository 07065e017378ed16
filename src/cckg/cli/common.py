"""What every command shares: errors as one line and exit status 2, notes on standard error,
the store, progress bars."""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from cckg import escape
from cckg.errors import CckgError
from cckg.store import Store, open_store, store_location

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error on standard error and exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"cckg: error: {escape.one_line(self.message)}", err=True)


def handle_errors(command: F) -> F:
    """Turn the library's errors into a one-line message and exit status 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (CckgError, OSError) as error:
            if debugging():
                traceback.print_exc()
            raise CliError(" ".join(str(error).split()) or type(error).__name__) from None

    return wrapper  # type: ignore[return-value]


def debugging() -> bool:
    """Whether errors show their traceback (``cckg --debug``, or ``CCKG_DEBUG`` set)."""
    return bool(os.environ.get("CCKG_DEBUG"))


def note(message: str) -> None:
    """A diagnostic on standard error, its control characters escaped (file names and release text
    may hold terminal escape sequences)."""
    click.echo(escape.terminal(message), err=True)


@contextmanager
def store_for(ctx: click.Context, *, read_only: bool) -> Iterator[Store]:
    location = store_location(ctx.obj.get("store"))
    with open_store(location, read_only=read_only, http_timeout=ctx.obj.get("http_timeout")) as store:
        yield store


def progress(description: str) -> Callable[[list[Path]], Iterable[Path]] | None:
    """A progress bar on standard error, only when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items: tqdm(items, desc=description, unit="file", file=sys.stderr, leave=False)


class Progress:
    """Progress of a long command on standard error: a bar with rate and ETA on a terminal, a plain
    line at every tenth of the work otherwise (so a log shows it too)."""

    def __init__(self, description: str, total: int, unit: str = "file") -> None:
        self.description, self.total, self.unit = description, total, unit
        self.started = time.monotonic()
        self.step = max(1, total // 10)
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr)

    def __call__(self, done: int) -> None:
        """Say that ``done`` of ``total`` are done."""
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif done and (done % self.step == 0 or done == self.total):
            rate = done / max(time.monotonic() - self.started, 1e-9)
            left = (self.total - done) / rate
            note(
                f"cckg: {self.description}: {done:,}/{self.total:,} {self.unit}s, "
                f"{rate:,.0f}/s, {left:,.0f} s left"
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def existing(location: str) -> str:
    """``location`` when it is a server or an existing store folder; a one-line error otherwise."""
    from cckg.store.remote import is_remote

    if not is_remote(location) and not Path(location).is_dir():
        raise CliError(f"store {location} does not exist (run `cckg ingest` first)")
    return location
