"""The shared options of the commands: ``-o FILE``, and writing the output there."""

from __future__ import annotations

from pathlib import Path

import click

from cckg.cli.common import CliError, F


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
