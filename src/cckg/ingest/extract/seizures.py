"""Seizures: quantities of goods (in digits or words) that a sentence says were seized.

Case counts, arrests and money values are not seizures.  A container count is packaging when
the same goods are counted otherwise.  A later sentence about "the shipment" that says where and
when it was seized updates the seizure it refers to.
"""

from __future__ import annotations

import re
from functools import cache

from text_to_num import text2num

from cckg.ingest.extract.context import Context
from cckg.ingest.extract.knowledge import knowledge
from cckg.ingest.extract.nlp import has_phrase, matchers, phrase_regex, spans
from cckg.model import Operation, Seizure

_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
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


def _goods_and_unit(rest: str) -> tuple[str, str, bool] | None:
    """Unit and goods from the words after a number: "sticks of cigarettes", "rhino horns",
    "counterfeit luxury handbags" (a plural noun with no unit counts items)."""
    patterns = knowledge().patterns
    units: dict[str, str] = patterns["units"]
    not_seized = {w.lower() for w in patterns["not_seized"]}
    rest = re.sub(r"\s*\([^()]*\)", "", rest)  # "480,000 ecstasy (MDMA) tablets"
    clause = re.split(r"[,;:()]|\s[-–—]\s", rest, maxsplit=1)[0]
    words = re.findall(r"[\w'’-]+", clause)
    for i, word in enumerate(words[:5]):
        lowered = word.lower()
        if lowered in not_seized:
            return None
        if any(c.isdigit() for c in word):
            break  # the next quantity of a list begins
        two = f"{lowered} {words[i + 1].lower()}" if i + 1 < len(words) else ""
        unit_word = two if two in units else lowered if lowered in units else None
        if unit_word is None:
            continue
        unit = units[unit_word]
        after = words[i + len(unit_word.split()) :]
        if after[:1] and after[0].lower() == "of":
            goods = _goods_phrase(after[1:])
            if goods:
                return goods, unit, True
        adjectives = _goods_phrase(words[:i])
        goods = f"{adjectives} {word}".strip() if unit_word in _COUNTABLE_GOODS else adjectives
        return (goods, unit, True) if goods else None
    # No unit: a plural noun phrase is a count of items ("3,200 counterfeit luxury handbags",
    # "37,000 pornographic and pirated compact discs").
    goods = _goods_phrase(words)
    joined = re.match(r"((?:[a-z-]+\s+){1,3}and\s+(?:[a-z-]+\s+){0,3}[a-z-]+s)\b", clause.strip())
    if joined and len(joined.group(1)) > len(goods):
        goods = joined.group(1)
    last = goods.split()[-1].lower() if goods else ""
    if last.endswith("s") and len(last) > 3 and last not in not_seized and not last.endswith("ss"):
        return goods, "items", False
    return None


_COUNTABLE_GOODS = {
    "cigarettes",
    "tusks",
    "horns",
    "tablets",
    "pills",
    "capsules",
    "bottles",
    "vials",
    "cartons",
    "packs",
    "packets",
    "pieces",
    "items",
    "articles",
    "pairs",
    "boxes",
    "bags",
}


def _goods_phrase(words: list[str]) -> str:
    """The goods: words up to the first stop word, capitalised word (after the first) or number."""
    stops = {w.lower() for w in knowledge().patterns["goods_stops"]}
    goods: list[str] = []
    for word in words[:6]:
        if word.lower() in stops or any(c.isdigit() for c in word) or (goods and word[:1].isupper()):
            break
        goods.append(word)
    return " ".join(goods)


@cache
def _cash_re() -> re.Pattern[str]:
    currencies = knowledge().patterns["currencies"]
    symbol = "|".join(re.escape(c) for c in sorted(currencies, key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?P<qual>about|some|over|more than|nearly|around|approximately)\s+)?"
        rf"(?P<cur>{symbol})\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s+(?P<scale>million|billion|thousand))?"
    )


def _cash_seizures(ctx: Context, start: int, end: int) -> list[Seizure]:
    """Seized cash: a currency amount in a sentence about cash, not a value or a loss."""
    patterns = knowledge().patterns
    sentence = ctx.content[start:end]
    if not has_phrase(sentence, patterns["cash_words"]):
        return []
    value_words = "|".join(re.escape(w) for w in patterns["value_words"])
    found = []
    for match in _cash_re().finditer(sentence):
        before = sentence[max(0, match.start() - 30) : match.start()].lower()
        if re.search(rf"\b(?:{value_words})\b[^,;]*$", before):
            continue
        quantity = float(match.group("num").replace(",", ""))
        if match.group("scale"):
            quantity *= _SCALES[match.group("scale").lower()]
        qualifier = patterns["qualifiers"].get((match.group("qual") or "").lower())
        seizure = Seizure(
            goods="cash",
            quantity=quantity,
            unit=patterns["currencies"][match.group("cur")],
            qualifier=qualifier,
            confidence=0.7,
        )
        found.append(seizure)
    return found


def _cue_near(sentence: str, start: int, end: int, cues: list[str]) -> bool:
    return has_phrase(sentence[max(0, start - 150) : end], cues)


def _context_date(ctx: Context, start: int, end: int, operations: list[Operation]) -> str | None:
    """A seizure's date from its operation, when its sentence speaks of one ("during the
    operation"): the operation's month, or its year when the operation spans months."""
    sentence = ctx.content[start:end]
    references = knowledge().patterns["operation_references"]
    for operation in reversed(operations):
        if not operation.start or not operation.evidence or operation.evidence[0].start > start:
            continue
        if operation.name.lower() in sentence.lower() or has_phrase(sentence, references):
            first, last = operation.start, operation.end or operation.start
            return first[:7] if first[:7] == last[:7] and len(first) >= 7 else first[:4]
    return None


def _crimes_for(ctx: Context, goods: str, start: int, end: int) -> list[str]:
    """Crime types of a seizure: those its goods name, else those of its sentence."""
    built = matchers()
    named = [m.key for m in spans(built.nlp.make_doc(goods), built.crime)]
    return list(dict.fromkeys(named)) or ctx.crimes_in(start, end)


def find_seizures(ctx: Context, operations: list[Operation]) -> list[Seizure]:
    patterns = knowledge().patterns
    cues = [c.lower() for c in patterns["seizure_cues"]]
    references = [r.lower() for r in patterns["shipment_references"]]
    seizures: list[Seizure] = []
    cue_at = [m.start() for m in phrase_regex(tuple(cues)).finditer(ctx.content)]
    for start, end in ctx.sentences:
        if not any(start <= at < end for at in cue_at):
            continue
        sentence = ctx.content[start:end]
        lowered = sentence.lower()
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
            goods, unit, unit_named = parsed
            if re.search(r"\barrest(?:s|ed)?(?:\s+of)?\s*$", sentence[: match.start()]):
                continue  # "the arrest of 100 suspected traffickers"
            in_list = any(found.unit != "items" or found.goods for found in found_here)
            near = _cue_near(sentence, match.start(), match.end() + len(goods) + 60, cues)
            if not unit_named and not (near or in_list):
                continue
            qualifier = patterns["qualifiers"].get((match.group("qual") or "").lower())
            seizure = Seizure(goods=goods, quantity=quantity, unit=unit, qualifier=qualifier, confidence=0.8)
            found_here.append(seizure)
        found_here += _cash_seizures(ctx, start, end)
        for seizure in found_here:
            date = ctx.date_in(start, end)
            seizure.date = (
                (date.end_value or date.value) if date else _context_date(ctx, start, end, operations)
            )
            seizure.city, seizure.country = ctx.place_in(start, end, prefer_after=("in", "at"))
            seizure.crime_types = _crimes_for(ctx, seizure.goods, start, end)
            seizure.evidence.append(ctx.evidence(start, end))
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
            if any(
                s is not seizure and s.unit != "containers" and goods & set(s.goods.lower().split())
                for s in seizures
            ):
                continue
        if seizure not in kept:
            kept.append(seizure)
    return kept
