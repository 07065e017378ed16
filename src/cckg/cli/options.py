"""The one output contract of the commands: ``--format`` and ``-o FILE``, and writing the output.

:func:`output_options` gives a command both options: ``--format`` takes the command's formats
(a tuple of :mod:`cckg.formats`) by their one name or an old spelling; without ``--format``,
``-o FILE`` picks the format its extension names (``-o agencies.csv`` -> csv), else the default.
Data goes to standard output or the file; diagnostics to standard error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import click

from cckg import formats
from cckg.cli.common import CliError, F


class FormatChoice(click.Choice):
    """A choice of format names that also takes their aliases (``json-ld`` for ``jsonld``)."""

    name = "format"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = formats.canonical(value)
        return super().convert(value, param, ctx)


def output_options(choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """``--format`` (one of ``choices``) and ``-o/--output FILE`` for a command taking ``fmt`` and
    ``output``; the format comes from ``--format``, else from the extension of FILE, else ``default``."""
    aliases = sorted(alias for alias, name in formats.ALIASES.items() if name in choices)
    also = f" Also accepted: {', '.join(aliases)}." if aliases else ""
    text = f"{help} Default: {default}, or the format the extension of -o FILE names.{also}"

    def decorate(command: F) -> F:
        @wraps(command)
        def with_format(*args: Any, fmt: str | None, output: str | None, **kwargs: Any) -> Any:
            if fmt is None:
                fmt = (formats.from_suffix(output, choices) if output not in (None, "-") else None) or default
            return command(*args, fmt=fmt, output=output, **kwargs)

        option = click.option("--format", "fmt", type=FormatChoice(list(choices)), default=None, help=text)
        return option(output_option(with_format))  # type: ignore[return-value]

    return decorate


def output_option(command: F) -> F:
    return click.option(
        "-o", "--output", metavar="FILE", help="Write the output to FILE instead of standard output."
    )(command)


def emit(data: str | bytes, output: str | None) -> None:
    """Write command output to ``output`` (a file) or standard output."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output in (None, "-"):
        stream = click.get_binary_stream("stdout")
        stream.write(raw)
        stream.flush()
        return
    try:
        Path(str(output)).write_bytes(raw)
    except OSError as error:
        raise CliError(f"{output}: cannot write ({error.strerror or error})") from None
