"""Seizures: quantities of goods (in digits or words) that a sentence says were seized.

Case counts, arrests and money values are not seizures.  A container count is packaging when
the same goods are counted otherwise.  A later sentence about "the shipment" that says where and
when it was seized updates the seizure it refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from cckg.ingest.extract.context import Context
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation, has_phrase, matchers, phrase_regex, spans
from cckg.model import Operation, Seizure


@derived
def _quantity_re(kb: Knowledge) -> re.Pattern[str]:
    words = kb.seizure_words
    qualifiers = "|".join(re.escape(q) for q in sorted(words.qualifiers, key=len, reverse=True))
    word = "|".join(words.number_words)
    spelled = rf"(?:(?:{word})(?:[\s-]+(?:and\s+)?(?:{word}))*)"
    scale = alternation(list(words.number_scales))
    return re.compile(
        rf"(?:\b(?P<qual>{qualifiers})\s+)?(?<![\w$.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{spelled})"
        rf"(?:\s+(?P<scale>{scale}))?\s+(?=(?P<rest>[^.;:!?\n]{{0,80}}))",
        re.IGNORECASE,
    )


@derived
def _not_a_quantity_re(kb: Knowledge) -> re.Pattern[str]:
    """What comes right before a number that is a money value: "HK$", "worth", "value of"."""
    return re.compile(rf"(?:{alternation(kb.seizure_words.amount_prefixes)})\s*$")


@derived
def _estimate_re(kb: Knowledge) -> re.Pattern[str]:
    """What comes right before a number that is an estimate: "enough for"."""
    return re.compile(rf"\b(?:{alternation(kb.seizure_words.not_seizure_before)})\s*$", re.IGNORECASE)


@derived
def _arrest_re(kb: Knowledge) -> re.Pattern[str]:
    """What comes right before a number of people: "the arrest of"."""
    return re.compile(rf"\b(?:{alternation(kb.seizure_words.arrest_words)})(?:\s+of)?\s*$")


@dataclass(frozen=True)
class _SeizureRules:
    never_goods: frozenset[str]
    goods_ends: frozenset[str]
    countable: frozenset[str]
    scales: dict[str, int]


@derived
def _rules(kb: Knowledge) -> _SeizureRules:
    words = kb.seizure_words
    return _SeizureRules(
        never_goods=frozenset(w.lower() for w in words.not_seized),
        goods_ends=frozenset(w.lower() for w in words.goods_stops),
        countable=frozenset(words.countable_goods),
        scales={w.lower(): n for w, n in words.number_scales.items()},
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


def _goods_and_unit(rest: str, kb: Knowledge) -> tuple[str, str, bool] | None:
    """Unit and goods from the words after a number: "sticks of cigarettes", "rhino horns",
    "counterfeit luxury handbags" (a plural noun with no unit counts items)."""
    units = kb.seizure_words.units
    rules = _rules(kb)
    not_seized = rules.never_goods
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
            goods = _goods_phrase(after[1:], rules)
            if goods:
                return goods, unit, True
        adjectives = _goods_phrase(words[:i], rules)
        goods = f"{adjectives} {word}".strip() if unit_word in rules.countable else adjectives
        return (goods, unit, True) if goods else None
    # No unit: a plural noun phrase is a count of items ("3,200 counterfeit luxury handbags",
    # "37,000 pornographic and pirated compact discs").
    goods = _goods_phrase(words, rules)
    joined = re.match(r"((?:[a-z-]+\s+){1,3}and\s+(?:[a-z-]+\s+){0,3}[a-z-]+s)\b", clause.strip())
    if joined and len(joined.group(1)) > len(goods):
        goods = joined.group(1)
    last = goods.split()[-1].lower() if goods else ""
    if last.endswith("s") and len(last) > 3 and last not in not_seized and not last.endswith("ss"):
        return goods, kb.seizure_words.count_unit, False
    return None


def _goods_phrase(words: list[str], rules: _SeizureRules) -> str:
    """The goods: words up to the first stop word, capitalised word (after the first) or number."""
    stops = rules.goods_ends
    goods: list[str] = []
    for word in words[:6]:
        if word.lower() in stops or any(c.isdigit() for c in word) or (goods and word[:1].isupper()):
            break
        goods.append(word)
    return " ".join(goods)


@derived
def _cash_re(kb: Knowledge) -> re.Pattern[str]:
    words = kb.seizure_words
    symbol = "|".join(re.escape(c) for c in sorted(words.currencies, key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?P<qual>{alternation(words.cash_qualifiers)})\s+)?"
        rf"(?P<cur>{symbol})\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s+(?P<scale>{alternation(list(words.number_scales))}))?"
    )


@derived
def _value_re(kb: Knowledge) -> re.Pattern[str]:
    """A value word before an amount, in the same clause: "with a market value of"."""
    return re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in kb.seizure_words.value_words)})\b[^,;]*$")


def _cash_seizures(ctx: Context, start: int, end: int) -> list[Seizure]:
    """Seized cash: a currency amount in a sentence about cash, not a value or a loss."""
    words = ctx.kb.seizure_words
    sentence = ctx.content[start:end]
    if not has_phrase(sentence, words.cash_words):
        return []
    found = []
    for match in _cash_re(ctx.kb).finditer(sentence):
        before = sentence[max(0, match.start() - 30) : match.start()].lower()
        if _value_re(ctx.kb).search(before):
            continue
        quantity = float(match.group("num").replace(",", ""))
        if match.group("scale"):
            quantity *= _rules(ctx.kb).scales[match.group("scale").lower()]
        qualifier = words.qualifiers.get((match.group("qual") or "").lower())
        seizure = Seizure(
            goods=words.cash_goods,
            quantity=quantity,
            unit=words.currencies[match.group("cur")],
            qualifier=qualifier,
            confidence=ctx.kb.confidence.cash_seizure,
        )
        found.append(seizure)
    return found


def _cue_near(sentence: str, start: int, end: int, cues: list[str]) -> bool:
    return has_phrase(sentence[max(0, start - 150) : end], cues)


def _context_date(ctx: Context, start: int, end: int, operations: list[Operation]) -> str | None:
    """A seizure's date from its operation, when its sentence speaks of one ("during the
    operation"): the operation's month, or its year when the operation spans months."""
    sentence = ctx.content[start:end]
    references = ctx.kb.operation_words.operation_references
    for operation in reversed(operations):
        if not operation.start or not operation.evidence or operation.evidence[0].start > start:
            continue
        if (operation.name and operation.name.lower() in sentence.lower()) or has_phrase(
            sentence, references
        ):
            first, last = operation.start, operation.end or operation.start
            return first[:7] if first[:7] == last[:7] and len(first) >= 7 else first[:4]
    return None


def _crimes_for(ctx: Context, goods: str, start: int, end: int) -> list[str]:
    """Crime types of a seizure: those its goods name, else those of its sentence."""
    built = matchers(ctx.kb)
    named = [m.key for m in spans(built.nlp.make_doc(goods), built.crime)]
    return list(dict.fromkeys(named)) or ctx.crimes_in(start, end)


def find_seizures(ctx: Context, operations: list[Operation]) -> list[Seizure]:
    kb = ctx.kb
    words = kb.seizure_words
    cues = [c.lower() for c in words.seizure_cues]
    references = [r.lower() for r in words.shipment_references]
    place_cues = tuple(words.seizure_place_cues)
    seizures: list[Seizure] = []
    cue_at = [m.start() for m in phrase_regex(tuple(cues)).finditer(ctx.content)]
    for start, end in ctx.sentences:
        if not any(start <= at < end for at in cue_at):
            continue
        sentence = ctx.content[start:end]
        lowered = sentence.lower()
        found_here = []
        for match in _quantity_re(kb).finditer(sentence):
            before = sentence[max(0, match.start() - 12) : match.start()]
            if _not_a_quantity_re(kb).search(before) or _estimate_re(kb).search(
                sentence[max(0, match.start() - 30) : match.start()]
            ):
                continue
            span = (start + match.start("num"), start + match.end("num"))
            if any(d.start < span[1] and span[0] < d.end for d in ctx.dates):
                continue  # a year or a day, not a quantity
            quantity = _number(match.group("num"))
            if quantity is None or quantity <= 0:
                continue
            if match.group("scale"):
                quantity *= _rules(kb).scales[match.group("scale").lower()]
            parsed = _goods_and_unit(match.group("rest"), kb)
            if parsed is None:
                continue
            goods, unit, unit_named = parsed
            if _arrest_re(kb).search(sentence[: match.start()]):
                continue  # "the arrest of 100 suspected traffickers"
            in_list = any(found.unit != words.count_unit or found.goods for found in found_here)
            near = _cue_near(sentence, match.start(), match.end() + len(goods) + 60, cues)
            if not unit_named and not (near or in_list):
                continue
            qualifier = words.qualifiers.get((match.group("qual") or "").lower())
            seizure = Seizure(
                goods=goods,
                quantity=quantity,
                unit=unit,
                qualifier=qualifier,
                confidence=kb.confidence.seizure,
            )
            found_here.append(seizure)
        found_here += _cash_seizures(ctx, start, end)
        for seizure in found_here:
            date = ctx.date_in(start, end)
            seizure.date = (
                (date.end_value or date.value) if date else _context_date(ctx, start, end, operations)
            )
            seizure.city, seizure.country = ctx.place_in(start, end, prefer_after=place_cues)
            seizure.crime_types = _crimes_for(ctx, seizure.goods, start, end)
            seizure.evidence.append(ctx.evidence(start, end))
        if not found_here and any(r in lowered for r in references) and seizures:
            # "the shipment was seized in Italy in April 2003": where and when the last one was seized.
            last = seizures[-1]
            date = ctx.date_in(start, end)
            city, country = ctx.place_in(start, end, prefer_after=place_cues)
            if words.seized_stem in lowered and (date or country):
                last.date = (date.end_value or date.value) if date else last.date
                last.city, last.country = (city, country) if country else (last.city, last.country)
                last.evidence.append(ctx.evidence(start, end))
        seizures.extend(_drop_packaging(found_here, words.packaging_unit))
    return _drop_packaging(seizures, words.packaging_unit)


def _drop_packaging(seizures: list[Seizure], packaging: str) -> list[Seizure]:
    """Container counts are packaging when the same goods are counted otherwise."""
    kept = []
    for seizure in seizures:
        if seizure.unit == packaging:
            goods = set(seizure.goods.lower().split())
            if any(
                s is not seizure and s.unit != packaging and goods & set(s.goods.lower().split())
                for s in seizures
            ):
                continue
        if seizure not in kept:
            kept.append(seizure)
    return kept
