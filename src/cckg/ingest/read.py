"""Read a release as an agency publishes it: plain text, markdown or an HTML page.

A :class:`Release` keeps the release ``text`` (the file itself for text and markdown; the page's
visible text for HTML) and ``content``: the same string with page chrome (breadcrumbs, photo
captions, "Previous Page", footers) replaced by spaces.  Both have the same length, so every
character offset the extractor reports points into ``text``.  The chrome phrases live in
``data/patterns/page.yaml``.

A release file is read only when it is a regular file (a FIFO, a device or a socket is refused
before it is opened, and checked again once it is open), and only when its size, taken before
reading, is within the limit: :data:`MAX_TEXT_CHARS` for text and markdown, the most the extractor
reads (spaCy's ``max_length``), and :data:`MAX_HTML_BYTES` for an HTML page, whose visible text
must then be within :data:`MAX_TEXT_CHARS` too.  The release's language is told from its text
(:func:`cckg.language.detect`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
from dateutil import parser as dateparser

from cckg import language, resources
from cckg.errors import ReleaseError
from cckg.identity import release_id

RELEASE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
#: The longest release text the extractor reads: spaCy's ``Language.max_length`` (the default of
#: the blank pipeline in :mod:`cckg.ingest.extract.nlp`; a test checks that they agree).  A text
#: or markdown file has at least as many bytes as characters, so its size is checked against it
#: before it is read.
MAX_TEXT_CHARS = 1_000_000
#: The largest HTML page read; its visible text must be within :data:`MAX_TEXT_CHARS` too.
MAX_HTML_BYTES = 5_000_000
#: What a file that is not a regular file is, by its ``stat`` mode.
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class Release:
    id: str
    source: str
    text: str
    content: str
    title: str | None
    published: str | None
    url: str | None
    content_hash: str
    title_span: tuple[int, int] | None = None
    language: str = language.DEFAULT


@cache
def page_patterns() -> dict[str, Any]:
    data: dict[str, Any] = resources.load_yaml("data", "patterns", "page.yaml")
    data["chrome_lines"] = {line.lower() for line in data["chrome_lines"]}
    data["body_end_re"] = re.compile("|".join(f"(?:{p})" for p in data["body_end"]), re.IGNORECASE)
    return data


@dataclass
class Found:
    """The release files named by some paths, and the folders that could not be searched."""

    files: list[Path]
    unreadable: list[tuple[Path, str]]  # (folder, one-line reason)


def find_releases(paths: Iterable[Path]) -> list[Path]:
    """The release files named by ``paths``: files as given, folders searched recursively."""
    return scan_releases(paths).files


def scan_releases(paths: Iterable[Path]) -> Found:
    """The release files named by ``paths`` (files as given, folders searched recursively, links
    to folders not followed), and every folder that could not be read, with the reason."""
    found = Found([], [])
    for path in paths:
        if path.is_dir():
            found.files.extend(_walk(path, found.unreadable))
        else:
            found.files.append(path)
    return found


def _walk(folder: Path, unreadable: list[tuple[Path, str]]) -> list[Path]:
    """The release files under ``folder``, sorted; each folder that cannot be read is added to
    ``unreadable``."""

    def refused(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        unreadable.append((where, f"cannot read the folder ({error.strerror or error})"))

    return sorted(
        Path(parent) / name
        for parent, _, names in os.walk(folder, onerror=refused)
        for name in names
        if Path(name).suffix.lower() in RELEASE_SUFFIXES
    )


def read_release(path: Path) -> Release:
    """Read one release file; raise :class:`ReleaseError` with a one-line reason when it cannot."""
    is_html_file = path.suffix.lower() in HTML_SUFFIXES
    raw = read_file(path, MAX_HTML_BYTES if is_html_file else MAX_TEXT_CHARS)
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReleaseError(
            f"{path}: not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start})"
        ) from None
    if not decoded.strip():
        raise ReleaseError(f"{path}: empty release")
    source = path.as_posix() if not path.is_absolute() else path.name
    is_html = is_html_file or decoded.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    try:
        return parse_release(decoded, release_id(path.name), source, is_html=is_html)
    except ReleaseError as error:
        raise ReleaseError(f"{path}: {error}") from None


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; :class:`ReleaseError` for
    a missing file, a folder, a special file (FIFO, device, socket: never opened) or a larger file
    (its size checked before reading)."""
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind is not None:
            raise ReleaseError(f"{path}: {kind}")
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise ReleaseError(f"{path}: no such file") from None
    except OSError as error:
        raise ReleaseError(f"{path}: cannot read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        kind = _file_kind(status.st_mode)  # the file it is now, not the one stat saw
        if kind is not None:
            raise ReleaseError(f"{path}: {kind}")
        if status.st_size > limit:
            raise ReleaseError(f"{path}: too large for a release ({status.st_size} bytes; at most {limit})")
        try:
            raw = file.read(limit + 1)
        except OSError as error:
            raise ReleaseError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(raw) > limit:
        raise ReleaseError(f"{path}: too large for a release (over {limit} bytes)")
    return raw


def _file_kind(mode: int) -> str | None:
    """Why a file of ``mode`` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a release file"
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
    return f"not a regular file ({kind}); releases are read from regular files only"


def parse_release(raw: str, release_id: str, source: str, *, is_html: bool = False) -> Release:
    """Parse release text (or HTML) already in memory; :class:`ReleaseError` when it is HTML that
    cannot be parsed or a text longer than the extractor reads."""
    url = None
    html_title = None
    if is_html:
        text, html_title, url = html_to_text(raw)
    else:
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_CHARS:
        raise ReleaseError(
            f"release text too long for the extractor ({len(text)} characters; at most {MAX_TEXT_CHARS})"
        )
    content, title_span, published = mask_chrome(text, html_title)
    title = text[title_span[0] : title_span[1]].strip() if title_span else html_title
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Release(
        id=release_id,
        source=source,
        text=text,
        content=content,
        title=title,
        published=published,
        url=url,
        content_hash=f"sha256:{digest}",
        title_span=title_span,
        language=language.detect(text),
    )


# --- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "main", "blockquote", "pre", "dd", "dt", "hr", "td", "th", "time",
}  # fmt: skip


#: Characters an lxml tree cannot hold: control characters but tab and line breaks, lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Visible text of an HTML page, one block a line, with chrome elements dropped.

    Returns the text, the page title (``<h1>`` or ``<title>``) and its canonical URL.
    """
    patterns = page_patterns()
    html = _NOT_XML.sub(" ", html)  # lxml holds no control characters (a browser shows none)
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as error:  # lxml raises several types for unparsable markup
        raise ReleaseError(f"not parsable HTML ({error})") from None
    _drop_not_text(tree, patterns)
    url = None
    for link in tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        url = str(link).strip() or None
        break
    title = None
    for node in [*tree.xpath("//h1"), *tree.xpath("//title")]:
        candidate = " ".join(node.text_content().split())
        if candidate:
            title = candidate
            break
    _drop_chrome(tree, patterns)
    body = tree.find("body")
    lines = _block_lines(body if body is not None else tree)
    return "\n\n".join(lines) + "\n", title, url


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)


def _drop_not_text(tree: Any, patterns: dict[str, Any]) -> None:
    """Drop what a browser does not show as text: embedded content and its fallback text (an
    ``<iframe>``'s, an ``<object>``'s), frames, and hidden elements."""
    not_text = set(patterns["html_not_text_tags"])
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        hidden = element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style", ""))
        if element.tag in not_text or hidden:
            element.drop_tree()


def _drop_chrome(tree: Any, patterns: dict[str, Any]) -> None:
    """Drop the page's chrome elements (navigation, footers, ...) and comments from ``tree``."""
    chrome_tags = set(patterns["html_chrome_tags"])
    chrome_words = set(patterns["html_chrome_words"])
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            element.drop_tree() if element.getparent() is not None else None
            continue
        words = set(re.split(r"[\s_-]+", f"{element.get('class', '')} {element.get('id', '')}".lower()))
        is_chrome = element.tag in chrome_tags or bool(words & chrome_words) or element.tag == "head"
        # Keep the block that holds the release's own title even when it sits in a "header".
        if is_chrome and element.tag not in ("script", "style") and element.xpath(".//h1"):
            is_chrome = False
        if is_chrome and element.getparent() is not None:
            element.drop_tree()


def _block_lines(root: Any) -> list[str]:
    """The text of ``root``, one line per block element, whitespace collapsed."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(element: Any) -> None:
        block = element.tag in _BLOCK_TAGS
        if block:
            flush()
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return lines


# --- chrome, title and date line --------------------------------------------------------------

_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)\s*(?:[>›»|/]\s*)?)+\s*$")
_BREADCRUMB = re.compile(r"^\s*[^.!?]{1,60}(?:\s[>›»]\s[^.!?]{1,60}){1,}\s*$")
_CAPTION_CUT = re.compile(r"(?:\.\.\.|…)\s*$")
_ENDS_LINE = re.compile(r"^\s*Ends\s*/\s*(?P<date>.+?)\s*$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?)\s*[,(]\s*"
    r"(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4})\)?\s*"
    r"(?:/[^/\n]{1,40}/\s*)?[—–-]{1,2}"
)
# dateutil fills missing fields from a default; a fixed one keeps runs reproducible.
_NO_DEFAULT = datetime(1900, 1, 1)
_MONTH_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)


def parse_date_line(line: str) -> str | None:
    """An ISO date when ``line`` is nothing but a date ("1 Nov 2023", "2019-05-14", ...)."""
    if "|" in line:
        return next(filter(None, (parse_date_line(part) for part in line.split("|"))), None)
    stripped = line.strip().strip("[]*_#").strip()
    stripped = re.sub(r"\s*\([A-Za-z]+\)$", "", stripped)  # "(Friday)"
    stripped = re.sub(r"^(?:date|issued|published|posted|release date)\s*:\s*", "", stripped, flags=re.I)
    if not stripped or len(stripped) > 45 or not re.search(r"\b(?:19|20)\d{2}\b", stripped):
        return None
    if not (_MONTH_WORD.search(stripped) or re.fullmatch(r"[\d\s/.-]+", stripped)):
        return None
    try:
        parsed = dateparser.parse(stripped, fuzzy=False, dayfirst=False, default=_NO_DEFAULT)
    except (ValueError, OverflowError):
        try:
            parsed = dateparser.parse(
                re.sub(r"^[A-Za-z]+day,?\s*", "", stripped), fuzzy=False, default=_NO_DEFAULT
            )
        except (ValueError, OverflowError):
            return None
    return parsed.date().isoformat() if isinstance(parsed.date(), date) else None


def _is_chrome_line(line: str, patterns: dict[str, Any]) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    unwrapped = re.sub(r"^\[([^\]]*)\]\([^)]*\)$", r"\1", stripped).strip(" *_#").lower()
    if unwrapped in patterns["chrome_lines"]:
        return True
    if unwrapped.startswith(tuple(patterns["chrome_prefixes"])):
        return True
    if _LINK_ONLY.match(stripped) or (_BREADCRUMB.match(stripped) and ">" in stripped):
        return True
    # A truncated photo caption: a line cut off with an ellipsis.
    return bool(_CAPTION_CUT.search(stripped) and len(stripped) < 200)


def _is_sentence(line: str) -> bool:
    return line.endswith((".", "!", "?", '"', "”", ":", ";")) or len(line) > 220


def mask_chrome(text: str, html_title: str | None = None) -> tuple[str, tuple[int, int] | None, str | None]:
    """Mask page chrome; find the title span and the publication date.

    Before the body, short lines that are not sentences are headings: the title (the page's
    ``<h1>``, else the longest heading that is not all capitals) is kept, the rest (mastheads,
    language switchers, section names) masked.  The body starts at the first sentence or dateline.
    Returns ``(content, title_span, published)``.
    """
    patterns = page_patterns()
    chars = list(text)
    published: str | None = None
    headings: list[tuple[int, int, str]] = []
    body_started = False
    body_ended = False
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        mask = True
        if body_ended:
            ends = _ENDS_LINE.match(line)
            if ends and published is None:
                published = parse_date_line(ends.group("date"))
        elif ends := _ENDS_LINE.match(line):
            published = parse_date_line(ends.group("date")) or published
            body_ended = True
        elif patterns["body_end_re"].match(stripped):
            body_ended = True
        elif _is_chrome_line(line, patterns):
            pass
        elif not body_started and (header_date := parse_date_line(line)):
            published = published or header_date
        elif not body_started and not _is_sentence(stripped) and not _DATELINE.match(line):
            first = start + line.index(stripped)
            headings.append((first, first + len(stripped), stripped))
        else:
            mask = False
            if not body_started and (dateline := _DATELINE.match(line)):
                published = published or parse_date_line(dateline.group("date"))
            body_started = True
        if mask:
            for i in range(start, end):
                chars[i] = " "
    if published is None:
        published = _sign_off_date(text)
    title_span = _choose_title(headings, html_title)
    if title_span:
        chars[title_span[0] : title_span[1]] = text[title_span[0] : title_span[1]]
    return "".join(chars), title_span, published


_SIGN_OFF = re.compile(r"^\s*(?:[A-Z][\w .'’-]{1,30},\s*)?(?P<date>[^,]{6,30}\d{4})\s*$")


def _sign_off_date(text: str) -> str | None:
    """A date in the last lines: "Putrajaya, 26 September 2012"."""
    lines = [line for line in text.splitlines() if line.strip()][-6:]
    for line in reversed(lines):
        match = _SIGN_OFF.match(line)
        if match and (found := parse_date_line(match.group("date"))):
            return found
    return None


def _choose_title(headings: list[tuple[int, int, str]], html_title: str | None) -> tuple[int, int] | None:
    if html_title:
        for start, end, line in headings:
            if " ".join(line.split()) == html_title:
                return start, end
        return None
    candidates = [h for h in headings if not h[2].isupper() and len(h[2].split()) >= 3]
    if not candidates:
        return None
    start, end, _ = max(candidates, key=lambda h: len(h[2]))
    return start, end
