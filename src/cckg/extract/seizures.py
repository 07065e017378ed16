"""Seizures: quantities of goods (in digits or words) that a sentence says were seized.

Case counts, arrests and money values are not seizures.  A container count is packaging when
the same goods are counted otherwise.  A later sentence about "the shipment" that says where and
when it was seized updates the seizure it refers to.
"""

from __future__ import annotations

import re
from functools import cache

from text_to_num import text2num

from cckg.extract.context import Context
from cckg.extract.knowledge import knowledge
from cckg.model import Seizure

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion"
).split()
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@cache
def _quantity_re() -> re.Pattern[str]:
    patterns = knowledge().patterns
    qualifiers = "|".join(re.escape(q) for q in sorted(patterns["qualifiers"], key=len, reverse=True))
    word = "|".join(_NUMBER_WORDS)
    words = rf"(?:(?:{word})(?:[\s-]+(?:and\s+)?(?:{word}))*)"
    return re.compile(
        rf"(?:\b(?P<qual>{qualifiers})\s+)?(?<![\w$.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{words})"
        rf"(?:\s+(?P<scale>million|billion|thousand))?\s+(?=(?P<rest>[^.;:!?\n]{{0,80}}))",
        re.IGNORECASE,
    )


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").lower()
    try:
        return float(cleaned)
    except ValueError:
        pass
    try:
        return float(text2num(cleaned.replace("-", " "), "en"))
    except ValueError:
        return None


def _goods_and_unit(rest: str) -> tuple[str, str, int] | None:
    """Unit and goods from the words after a number: "sticks of cigarettes", "rhino horns"."""
    patterns = knowledge().patterns
    units: dict[str, str] = patterns["units"]
    not_seized = {w.lower() for w in patterns["not_seized"]}
    words = re.findall(r"[\w'’-]+", rest)
    for i, word in enumerate(words[:5]):
        lowered = word.lower()
        if any(c.isdigit() for c in word):
            return None
        two = f"{lowered} {words[i + 1].lower()}" if i + 1 < len(words) else ""
        if lowered in not_seized or lowered in ("hk", "us", "rmb", "usd", "hkd", "dollars", "yuan", "euros"):
            return None
        unit_word = two if two in units else lowered if lowered in units else None
        if unit_word is None:
            continue
        unit = units[unit_word]
        after = words[i + len(unit_word.split()) :]
        if after[:1] and after[0].lower() == "of":
            goods = _goods_phrase(after[1:])
            if goods:
                return goods, unit, i
        adjectives = [w for w in words[:i] if w.islower() or w[0].isupper() and i > 0]
        goods = " ".join([*adjectives, word]) if unit_word in _COUNTABLE_GOODS else " ".join(adjectives)
        if goods:
            return goods, unit, i
        return None
    return None


_COUNTABLE_GOODS = {"cigarettes", "tusks", "horns", "tablets", "pills", "capsules", "bottles", "vials",
                    "cartons", "packs", "packets", "pieces", "items", "articles", "pairs", "boxes", "bags"}
_GOODS_STOP = {"of", "a", "an", "the", "were", "was", "which", "that", "with", "in", "at", "from", "to",
               "and", "worth", "valued", "by", "for", "into", "on", "smuggled", "hidden", "concealed",
               "seized", "found", "bound", "destined", "en", "estimated", "had", "have", "has"}


def _goods_phrase(words: list[str]) -> str:
    goods = []
    for word in words[:5]:
        if word.lower() in _GOODS_STOP:
            break
        goods.append(word)
    return " ".join(goods)


def find_seizures(ctx: Context) -> list[Seizure]:
    patterns = knowledge().patterns
    cues = [c.lower() for c in patterns["seizure_cues"]]
    references = [r.lower() for r in patterns["shipment_references"]]
    seizures: list[Seizure] = []
    for start, end in ctx.sentences:
        sentence = ctx.content[start:end]
        lowered = sentence.lower()
        if not any(re.search(rf"\b{re.escape(c)}\b", lowered) for c in cues):
            continue
        found_here = []
        for match in _quantity_re().finditer(sentence):
            before = sentence[max(0, match.start() - 12) : match.start()]
            if re.search(r"(?:HK|US|RMB|MOP|S|A|NZ)?\$\s*$|worth\s*$|value of\s*$", before):
                continue
            span = (start + match.start("num"), start + match.end("num"))
            if any(d.start < span[1] and span[0] < d.end for d in ctx.dates):
                continue  # a year or a day, not a quantity
            quantity = _number(match.group("num"))
            if quantity is None or quantity <= 0:
                continue
            if match.group("scale"):
                quantity *= _SCALES[match.group("scale").lower()]
            parsed = _goods_and_unit(match.group("rest"))
            if parsed is None:
                continue
            goods, unit, _ = parsed
            qualifier = patterns["qualifiers"].get((match.group("qual") or "").lower())
            seizure = Seizure(goods=goods, quantity=quantity, unit=unit, qualifier=qualifier, confidence=0.8)
            date = ctx.date_in(start, end)
            if date:
                seizure.date = date.end_value or date.value
            seizure.city, seizure.country = ctx.place_in(start, end, prefer_after=("in", "at"))
            offset = start + match.start()
            seizure.crime_types = ctx.crimes_in(offset, start + match.end()) or ctx.crimes_in(start, end)
            seizure.evidence.append(ctx.evidence(start, end))
            found_here.append(seizure)
        if not found_here and any(r in lowered for r in references) and seizures:
            # "the shipment was seized in Italy in April 2003": where and when the last one was seized.
            last = seizures[-1]
            date = ctx.date_in(start, end)
            city, country = ctx.place_in(start, end, prefer_after=("in", "at"))
            if "seiz" in lowered and (date or country):
                last.date = (date.end_value or date.value) if date else last.date
                last.city, last.country = (city, country) if country else (last.city, last.country)
                last.evidence.append(ctx.evidence(start, end))
        seizures.extend(_drop_packaging(found_here))
    return _drop_packaging(seizures)


def _drop_packaging(seizures: list[Seizure]) -> list[Seizure]:
    """Container counts are packaging when the same goods are counted otherwise."""
    kept = []
    for seizure in seizures:
        if seizure.unit == "containers":
            goods = set(seizure.goods.lower().split())
            if any(s is not seizure and s.unit != "containers" and goods & set(s.goods.lower().split())
                   for s in seizures):
                continue
        if seizure not in kept:
            kept.append(seizure)
    return kept
