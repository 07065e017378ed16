"""Date mentions, resolved against the release's publication date.

Absolute dates ("March 3, 2021", "14 May 2019", "2019-05-14", "in March 2003"), ranges
("between December 16 and 17", "from May 3 to 5") and relative ones ("today (November 1)",
"yesterday (June 28, Brussels time)", "in February this year", "December 1 last year").
A date that cannot be resolved (no year and no publication date) is left out: never guessed.
Values keep their precision: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d{2}"
REL = r"(?:this|last|next|the following|the previous) year"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str
    end_value: str | None = None
    news_day: bool = False  # "today (November 1)", "yesterday (June 28)": the day the news happened


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _year(explicit: str | None, relative: str | None, published: date | None) -> int | None:
    if explicit:
        return int(explicit)
    if published is None:
        return None
    if relative:
        words = relative.lower().split()
        if words[0] == "last" or "previous" in words:
            return published.year - 1
        if words[0] == "next" or "following" in words:
            return published.year + 1
    return published.year


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "relative-day",
        re.compile(
            rf"\b(?P<word>today|yesterday|tomorrow|this morning|this afternoon|this evening|tonight|"
            rf"last night)\s*\((?P<m>{MONTH})\s+(?P<d>{DAY})\b[^)]*\)",
            re.IGNORECASE,
        ),
    ),
    (
        "range-month-first",
        re.compile(
            rf"\b(?:between|from)\s+(?P<m>{MONTH})\s+(?P<d>{DAY})\s*(?:and|to|-|–)\s*"
            rf"(?:(?P<m2>{MONTH})\s+)?(?P<d2>{DAY})\b(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{REL}))?"
        ),
    ),
    (
        "range-month-first",
        re.compile(
            rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})\s*(?:-|–|to|and)\s*(?:(?P<m2>{MONTH})\s+)?(?P<d2>{DAY})\b"
            rf"(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{REL}))?"
        ),
    ),
    (
        "range-day-first",
        re.compile(
            rf"\b(?:(?:between|from)\s+)?(?P<d>{DAY})\s*(?:-|–|to|and)\s*(?P<d2>{DAY})\s+(?P<m>{MONTH})"
            rf"(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{REL}))?"
        ),
    ),
    ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<mn>0[1-9]|1[0-2])-(?P<dn>0[1-9]|[12]\d|3[01])\b")),
    (
        "month-day",
        re.compile(
            rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})\b(?!\s*(?:-|–|to)\s*\d)(?:,?\s*(?P<y>{YEAR}))?"
            rf"(?:\s*,?\s*(?P<rel>{REL}))?"
        ),
    ),
    (
        "day-month",
        re.compile(rf"\b(?P<d>{DAY})\s+(?P<m>{MONTH})(?:,?\s*(?P<y>{YEAR}))?(?:\s*,?\s*(?P<rel>{REL}))?"),
    ),
    (
        "month-year",
        re.compile(rf"\b(?P<m>{MONTH})\s*,?\s*(?:(?P<y>{YEAR})\b|(?P<rel>{REL}))"),
    ),
    (
        "in-month",
        re.compile(
            r"\b(?:in|since|by|during|until|till|from|of|early|late|mid-?|end of|beginning of)\s+"
            r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)"
            r"\b(?!\s+\d)"
        ),
    ),
    (
        "relative-named-month",
        re.compile(rf"\b(?P<rel>last|next|this|coming)\s+(?P<m>{MONTH})\b(?!\s+\d)", re.IGNORECASE),
    ),
    (
        "bare-relative-day",
        re.compile(r"\b(?P<word>today|yesterday|tomorrow)(?:['’]s)?\b(?!\s*\()", re.IGNORECASE),
    ),
    ("same-day", re.compile(r"\b(?:on\s+)?the\s+same\s+day\b", re.IGNORECASE)),
    ("relative-month", re.compile(r"\b(?P<rel>(?:this|last|next) month|earlier this month)\b", re.I)),
    ("year", re.compile(rf"\b(?:in|since|of|during|by|until|from|year)\s+(?P<y>{YEAR})\b(?!-)")),
    ("relative-year", re.compile(r"\b(?:in |since |by )?(?P<rel>(?:this|last|next) year)\b", re.I)),
]


# Every date mention has one of these; the patterns run only near them.
_ANCHOR = re.compile(
    rf"\b{MONTH}|\b(?:19|20)\d\d\b|\b(?:[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]onight|[Tt]his (?:morning|"
    rf"afternoon|evening))\b|\b(?:[Tt]his|[Ll]ast|[Nn]ext|[Cc]oming)\s+(?:year|month|{MONTH})|\bsame\s+day\b"
)


def _windows(text: str, reach: int = 40) -> list[tuple[int, int]]:
    windows: list[list[int]] = []
    for hit in _ANCHOR.finditer(text):
        start, end = max(0, hit.start() - reach), min(len(text), hit.end() + reach)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """All date mentions of ``text``, earliest first, none overlapping another."""
    pub = date.fromisoformat(published) if published else None
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    windows = _windows(text)
    for kind, pattern in _PATTERNS:
        for match in (m for start, end in windows for m in pattern.finditer(text, start, end)):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            mention = _resolve(kind, match, pub)
            if mention is not None:
                found.append(mention)
                taken.append(span)
    return _join_ranges(sorted(found, key=lambda m: m.start), text)


_RANGE_JOIN = re.compile(r"\s*(?:to|until|till|through|-|–)\s*")


def _join_ranges(mentions: list[DateMention], text: str) -> list[DateMention]:
    """ "from November 25 to today (November 27)": two dates joined into one range."""
    joined: list[DateMention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if not mention.value:  # "on the same day": the single day last named
            day = next((d for d in reversed(joined) if len(d.value) == 10 and d.end_value is None), None)
            if day is not None:
                joined.append(DateMention(mention.start, mention.end, day.value))
            continue
        if (
            previous is not None
            and previous.end_value is None
            and mention.end_value is None
            and _RANGE_JOIN.fullmatch(text[previous.end : mention.start])
            and re.search(r"\b(?:from|between)\s+$", text[max(0, previous.start - 10) : previous.start], re.I)
            and previous.value <= mention.value
        ):
            joined[-1] = DateMention(previous.start, mention.end, previous.value, mention.value)
            continue
        joined.append(mention)
    return joined


def _resolve(kind: str, match: re.Match[str], pub: date | None) -> DateMention | None:
    groups = match.groupdict()
    start, end = match.span()
    if kind == "relative-day":
        if pub is None:
            return None
        value = _iso(pub.year, _month(groups["m"]), _day(groups["d"]))
        if value and date.fromisoformat(value) > pub + timedelta(days=2):
            value = _iso(pub.year - 1, _month(groups["m"]), _day(groups["d"]))
        return DateMention(start, end, value, news_day=True) if value else None
    if kind in ("range-month-first", "range-day-first"):
        year = _year(groups.get("y"), groups.get("rel"), pub)
        month = _month(groups["m"])
        month2 = _month(groups["m2"]) if groups.get("m2") else month
        first, last = _iso(year, month, _day(groups["d"])), _iso(year, month2, _day(groups["d2"]))
        if not first or not last or last < first:
            return None
        return DateMention(start, end, first, last)
    if kind == "iso":
        value = _iso(int(groups["y"]), int(groups["mn"]), int(groups["dn"]))
        return DateMention(start, end, value) if value else None
    if kind in ("month-day", "day-month"):
        value = _iso(_year(groups.get("y"), groups.get("rel"), pub), _month(groups["m"]), _day(groups["d"]))
        return DateMention(start, end, value) if value else None
    if kind in ("month-year", "in-month"):
        value = _iso(_year(groups.get("y"), groups.get("rel"), pub), _month(groups["m"]))
        return DateMention(match.start("m"), end, value) if value else None
    if kind == "same-day":
        return DateMention(start, end, "")  # the day of the date before it (see _join_ranges)
    if kind == "bare-relative-day":
        if pub is None:
            return None
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[groups["word"].lower()]
        return DateMention(start, end, (pub + timedelta(days=shift)).isoformat(), news_day=shift <= 0)
    if kind == "relative-named-month":
        if pub is None:
            return None
        month, rel = _month(groups["m"]), groups["rel"].lower()
        year = pub.year
        if rel == "last" and month >= pub.month:
            year -= 1
        elif rel in ("next", "coming") and month <= pub.month:
            year += 1
        return DateMention(start, end, _iso(year, month) or "")
    if kind == "relative-month":
        if pub is None:
            return None
        rel = groups["rel"].lower()
        first_of_month = pub.replace(day=1)
        if rel.startswith("last"):
            target = first_of_month - timedelta(days=1)
        elif rel.startswith("next"):
            target = (first_of_month + timedelta(days=32)).replace(day=1)
        else:
            target = pub
        return DateMention(start, end, _iso(target.year, target.month) or "")
    if kind == "year":
        return DateMention(match.start("y"), end, groups["y"])
    if kind == "relative-year":
        value = _iso(_year(None, groups["rel"], pub))
        return DateMention(match.start("rel"), end, value) if value else None
    return None
