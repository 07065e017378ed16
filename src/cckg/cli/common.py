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


def on_terminal() -> bool:
    """Whether standard error is a terminal (a progress bar), or piped or a file (plain lines)."""
    return sys.stderr.isatty()


#: Below this many items, a piped command shows no progress lines (it is over in seconds).
PLAIN_FROM = 100


def progress(description: str, unit: str = "file") -> Callable[[list[Path]], Iterable[Path]]:
    """Progress over a list of files on standard error (:class:`Progress`): a bar on a terminal,
    plain lines when piped (for :data:`PLAIN_FROM` files or more)."""

    def wrapped(items: list[Path]) -> Iterator[Path]:
        shown = Progress(description, len(items), unit=unit, plain_from=PLAIN_FROM)
        try:
            for done, item in enumerate(items, 1):
                yield item
                shown(done)
        finally:
            shown.close()

    return wrapped


class Progress:
    """Progress of a long command on standard error, never on standard output: a bar with rate and
    ETA on a terminal, and otherwise (piped, in a log) a plain line at every tenth of the work or
    every 1,000 items, whichever comes first; none when there are fewer than ``plain_from`` items."""

    def __init__(self, description: str, total: int, unit: str = "file", plain_from: int = 0) -> None:
        self.description, self.total, self.unit = description, total, unit
        self.started = time.monotonic()
        self.step = max(1, min(1000, total // 10))
        self.plain = total >= plain_from
        self.bar: Any = None
        if on_terminal():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr)

    def __call__(self, done: int) -> None:
        """Say that ``done`` of ``total`` are done."""
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif self.plain and done and (done % self.step == 0 or done == self.total):
            rate = done / max(time.monotonic() - self.started, 1e-9)
            left = (self.total - done) / rate
            note(
                f"cckg: {self.description}: {done:,}/{self.total:,} {self.unit}s, "
                f"{rate:,.0f}/s, {left:,.0f} s left"
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Steps:
    """Progress of a command made of a few long steps (read the store, run the shapes, write):
    on a terminal a bar of the steps with the one under way and the time so far; when piped, a
    plain line as each step starts, if ``plain`` (the work is large enough to be worth a log)."""

    def __init__(self, description: str, total: int, plain: bool = True) -> None:
        self.description, self.total, self.plain = description, total, plain
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None
        if on_terminal():
            from tqdm import tqdm

            form = "{desc}: {n_fmt}/{total_fmt} steps |{bar}| {elapsed} {postfix}"
            self.bar = tqdm(total=total, desc=description, file=sys.stderr, leave=False, bar_format=form)

    def __call__(self, name: str) -> None:
        """The next step, ``name``, begins (the one before it is done)."""
        if self.bar is not None:
            self.bar.update(self.done - self.bar.n)
            self.bar.set_postfix_str(name)
        elif self.plain:
            elapsed = time.monotonic() - self.started
            step = f"step {self.done + 1}/{self.total}"
            note(f"cckg: {self.description}: {step}: {name} ({elapsed:,.1f} s so far)")
        self.done += 1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def large_store(ctx: click.Context, size: int = 20 << 20) -> bool:
    """Whether the command's store folder holds at least ``size`` bytes (about a hundred
    releases): worth plain progress lines when piped.  A server's store is not measured."""
    from cckg.store.remote import is_remote

    location = store_location(ctx.obj.get("store"))
    if is_remote(location):
        return False
    total = 0
    for folder, _, names in os.walk(location):
        for name in names:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                continue
            if total >= size:
                return True
    return False


def existing(location: str) -> str:
    """``location`` when it is a server or an existing store folder; a one-line error otherwise."""
    from cckg.store.remote import is_remote

    if not is_remote(location) and not Path(location).is_dir():
        raise CliError(f"store {location} does not exist (run `cckg ingest` first)")
    return location
