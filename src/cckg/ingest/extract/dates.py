"""Date mentions, resolved against the release's publication date.

Absolute dates ("March 3, 2021", "14 May 2019", "2019-05-14", "in March 2003"), ranges
("between December 16 and 17", "from May 3 to 5") and relative ones ("today (November 1)",
"yesterday (June 28, Brussels time)", "in February this year", "December 1 last year").
A date that cannot be resolved (no year and no publication date) is left out: never guessed.
Values keep their precision: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation

YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str
    end_value: str | None = None
    news_day: bool = False  # "today (November 1)", "yesterday (June 28)": the day the news happened


@derived
def _month_numbers(kb: Knowledge) -> dict[str, int]:
    words = kb.date_words
    return {name.lower(): n for name, n in (*words.months.items(), *words.month_abbreviations.items())}


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _year(
    explicit: str | None, relative: str | None, published: date | None, shifts: dict[str, int]
) -> int | None:
    """The year a date names: written out, else the release's, shifted by a relative "... year"
    (``shifts``: the words before "year" -> years to add)."""
    if explicit:
        return int(explicit)
    if published is None:
        return None
    if relative:
        return published.year + shifts[relative.lower().rsplit(None, 1)[0]]
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


@dataclass(frozen=True)
class _DateRules:
    patterns: list[tuple[str, re.Pattern[str]]]  # tried in order: a span taken is not taken again
    anchor: re.Pattern[str]  # every date mention has one of these; the patterns run only near them
    range_join: re.Pattern[str]  # between two dates that make one range: "from May 3 to today (May 5)"


@derived
def _rules(kb: Knowledge) -> _DateRules:
    words = kb.date_words
    day = rf"(?:[12][0-9]|3[01]|0?[1-9])(?:{alternation(words.ordinal_suffixes)})?"
    month = rf"(?:{alternation([*words.months, *words.month_abbreviations])})\.?"
    full_month = f"(?:{alternation(list(words.months))})"
    rel = rf"(?:{alternation(list(words.year_after_date))}) year"
    news = alternation(words.news_day_words)
    relative_day = alternation(list(words.relative_days))
    patterns = [
        (
            "relative-day",
            re.compile(rf"\b(?P<word>{news})\s*\((?P<m>{month})\s+(?P<d>{day})\b[^)]*\)", re.IGNORECASE),
        ),
        (
            "range-month-first",
            re.compile(
                rf"\b(?:between|from)\s+(?P<m>{month})\s+(?P<d>{day})\s*(?:and|to|-|–)\s*"
                rf"(?:(?P<m2>{month})\s+)?(?P<d2>{day})\b(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{rel}))?"
            ),
        ),
        (
            "range-month-first",
            re.compile(
                rf"\b(?P<m>{month})\s+(?P<d>{day})\s*(?:-|–|to|and)\s*(?:(?P<m2>{month})\s+)?(?P<d2>{day})\b"
                rf"(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{rel}))?"
            ),
        ),
        (
            "range-day-first",
            re.compile(
                rf"\b(?:(?:between|from)\s+)?(?P<d>{day})\s*(?:-|–|to|and)\s*(?P<d2>{day})\s+(?P<m>{month})"
                rf"(?:,?\s*(?P<y>{YEAR}))?(?:\s+(?P<rel>{rel}))?"
            ),
        ),
        ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<mn>0[1-9]|1[0-2])-(?P<dn>0[1-9]|[12]\d|3[01])\b")),
        (
            "month-day",
            re.compile(
                rf"\b(?P<m>{month})\s+(?P<d>{day})\b(?!\s*(?:-|–|to)\s*\d)(?:,?\s*(?P<y>{YEAR}))?"
                rf"(?:\s*,?\s*(?P<rel>{rel}))?"
            ),
        ),
        (
            "day-month",
            re.compile(rf"\b(?P<d>{day})\s+(?P<m>{month})(?:,?\s*(?P<y>{YEAR}))?(?:\s*,?\s*(?P<rel>{rel}))?"),
        ),
        ("month-year", re.compile(rf"\b(?P<m>{month})\s*,?\s*(?:(?P<y>{YEAR})\b|(?P<rel>{rel}))")),
        (
            "in-month",
            re.compile(rf"\b(?:{alternation(words.month_prepositions)})\s+(?P<m>{full_month})\b(?!\s+\d)"),
        ),
        (
            "relative-named-month",
            re.compile(
                rf"\b(?P<rel>{alternation(list(words.month_name_after))})\s+(?P<m>{month})\b(?!\s+\d)",
                re.IGNORECASE,
            ),
        ),
        ("bare-relative-day", re.compile(rf"\b(?P<word>{relative_day})(?:['’]s)?\b(?!\s*\()", re.IGNORECASE)),
        ("same-day", re.compile(r"\b(?:on\s+)?the\s+same\s+day\b", re.IGNORECASE)),
        (
            "relative-month",
            re.compile(rf"\b(?P<rel>(?:{alternation(list(words.month_alone))}) month)\b", re.I),
        ),
        ("year", re.compile(rf"\b(?:{alternation(words.year_prepositions)})\s+(?P<y>{YEAR})\b(?!-)")),
        ("relative-year", re.compile(rf"\b(?P<rel>(?:{alternation(list(words.year_alone))}) year)\b", re.I)),
    ]
    days = [*words.news_day_words, *words.relative_days]
    shifts = _either_case([*words.year_alone, *words.month_alone, *words.month_name_after])
    anchor = re.compile(
        rf"\b{month}|\b(?:19|20)\d\d\b|\b(?:{_either_case(days)})\b|"
        rf"\b(?:{shifts})\s+(?:year|month|{month})|\bsame\s+day\b"
    )
    joins = re.compile(rf"\s*(?:{alternation(words.range_joiners)}|-|–)\s*")
    return _DateRules(patterns, anchor, joins)


def _either_case(words: list[str]) -> str:
    """An alternation of ``words`` whose first letter may be upper or lower case ("Today")."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}" for w in ordered)


def _windows(text: str, anchor: re.Pattern[str], reach: int = 40) -> list[tuple[int, int]]:
    windows: list[list[int]] = []
    for hit in anchor.finditer(text):
        start, end = max(0, hit.start() - reach), min(len(text), hit.end() + reach)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def find_dates(text: str, published: str | None, kb: Knowledge) -> list[DateMention]:
    """All date mentions of ``text``, earliest first, none overlapping another."""
    pub = date.fromisoformat(published) if published else None
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    rules = _rules(kb)
    windows = _windows(text, rules.anchor)
    for kind, pattern in rules.patterns:
        for match in (m for start, end in windows for m in pattern.finditer(text, start, end)):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            mention = _resolve(kind, match, pub, kb)
            if mention is not None:
                found.append(mention)
                taken.append(span)
    return _join_ranges(sorted(found, key=lambda m: m.start), text, rules.range_join)


def _join_ranges(mentions: list[DateMention], text: str, range_join: re.Pattern[str]) -> list[DateMention]:
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
            and range_join.fullmatch(text[previous.end : mention.start])
            and re.search(r"\b(?:from|between)\s+$", text[max(0, previous.start - 10) : previous.start], re.I)
            and previous.value <= mention.value
        ):
            joined[-1] = DateMention(previous.start, mention.end, previous.value, mention.value)
            continue
        joined.append(mention)
    return joined


def _resolve(kind: str, match: re.Match[str], pub: date | None, kb: Knowledge) -> DateMention | None:
    groups = match.groupdict()
    start, end = match.span()
    words = kb.date_words

    def month(group: str) -> int:
        return _month_numbers(kb)[groups[group].lower().rstrip(".")]

    def year() -> int | None:
        return _year(groups.get("y"), groups.get("rel"), pub, words.year_after_date)

    if kind == "relative-day":
        if pub is None:
            return None
        value = _iso(pub.year, month("m"), _day(groups["d"]))
        if value and date.fromisoformat(value) > pub + timedelta(days=2):
            value = _iso(pub.year - 1, month("m"), _day(groups["d"]))
        return DateMention(start, end, value, news_day=True) if value else None
    if kind in ("range-month-first", "range-day-first"):
        first_month = month("m")
        last_month = month("m2") if groups.get("m2") else first_month
        first, last = (
            _iso(year(), first_month, _day(groups["d"])),
            _iso(year(), last_month, _day(groups["d2"])),
        )
        if not first or not last or last < first:
            return None
        return DateMention(start, end, first, last)
    if kind == "iso":
        value = _iso(int(groups["y"]), int(groups["mn"]), int(groups["dn"]))
        return DateMention(start, end, value) if value else None
    if kind in ("month-day", "day-month"):
        value = _iso(year(), month("m"), _day(groups["d"]))
        return DateMention(start, end, value) if value else None
    if kind in ("month-year", "in-month"):
        value = _iso(year(), month("m"))
        return DateMention(match.start("m"), end, value) if value else None
    if kind == "same-day":
        return DateMention(start, end, "")  # the day of the date before it (see _join_ranges)
    if kind == "year":
        return DateMention(match.start("y"), end, groups["y"])
    if pub is None:
        return None  # the rest count from the release's date
    if kind == "bare-relative-day":
        shift = words.relative_days[groups["word"].lower()]
        return DateMention(start, end, (pub + timedelta(days=shift)).isoformat(), news_day=shift <= 0)
    if kind == "relative-named-month":
        value = _named_month(month("m"), words.month_name_after[groups["rel"].lower()], pub)
        return DateMention(start, end, value)
    if kind == "relative-month":
        shift = words.month_alone[groups["rel"].lower().rsplit(None, 1)[0]]
        first_of_month = pub.replace(day=1)
        if shift < 0:
            target = first_of_month - timedelta(days=1)
        elif shift > 0:
            target = (first_of_month + timedelta(days=32)).replace(day=1)
        else:
            target = pub
        return DateMention(start, end, _iso(target.year, target.month) or "")
    value = _iso(_year(None, groups["rel"], pub, words.year_alone))  # relative-year
    return DateMention(match.start("rel"), end, value) if value else None


def _named_month(month: int, direction: int, pub: date) -> str:
    """ "last November" (-1): the last November before the release; "next March" (1): the next
    one after it; "this May" (0): May of the release's year."""
    year = pub.year
    if direction < 0 and month >= pub.month:
        year -= 1
    elif direction > 0 and month <= pub.month:
        year += 1
    return _iso(year, month) or ""
