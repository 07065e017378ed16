"""Escaping text from releases for where it is shown: a terminal, Markdown, XML.

Release text is untrusted: a release may hold terminal escape sequences (``ESC [ 2 J`` clears the
screen, ``ESC ] 8`` writes links), bidirectional overrides that make text read otherwise than it
is, or markup.  Each function here makes such text inert for one kind of output, and leaves the
rest of the text as it is.
"""

from __future__ import annotations

import html
import re

#: Control characters (C0 but tab and newline, DEL, C1) and the bidirectional controls.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: The characters Markdown gives a meaning to inside a table cell's text.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~])")
#: Characters XML 1.0 cannot hold at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` safe to print on a terminal: each control character written as ``\\x1b``,
    ``\\u202e``; tabs and newlines kept."""
    return _TERMINAL.sub(_escaped, text)


def one_line(text: str) -> str:
    """``text`` as one safe line for a terminal: white space runs as one space, controls escaped."""
    return terminal(" ".join(text.split()))


def markdown(text: str) -> str:
    """``text`` for a Markdown table cell: HTML (``<script>``) as entities, Markdown syntax and
    ``|`` backslash-escaped, line breaks as spaces, control characters escaped."""
    flat = " ".join(text.split())
    return terminal(_MARKDOWN.sub(r"\\\1", html.escape(flat, quote=False)))


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD (the XML writer
    escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)
