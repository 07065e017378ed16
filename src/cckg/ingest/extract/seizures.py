"""Seizures: quantities of goods (in digits or words) that a sentence says were seized.

Case counts, arrests and money values are not seizures.  A container count is packaging when
the same goods are counted otherwise.  A later sentence about "the shipment" that says where and
when it was seized updates the seizure it refers to.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from text_to_num import text2num

from cckg.ingest.extract.context import Context
from cckg.ingest.extract.dates import DateMention
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation, has_phrase, matchers, phrase_regex, spans
from cckg.model import Operation, Seizure

_LIST_ITEM = re.compile(r"^(?:[-–—•*·]|\d+[.)])\s")  # a line of a bulleted or numbered list
_SPACED = r"\d{1,3}(?:[ \u00a0]\d{3})+(?![\d,.])"  # "8 300", a space between the thousands


@derived
def _quantity_re(kb: Knowledge) -> re.Pattern[str]:
    words = kb.seizure_words
    qualifiers = "|".join(re.escape(q) for q in sorted(words.qualifiers, key=len, reverse=True))
    word = "|".join(words.number_words)
    spelled = (
        rf"(?:(?:{word})(?:[\s-]+(?:and\s+)?(?:{word}))*|{alternation(words.number_halves, spaced=True)})"
    )
    scale = alternation(list(words.number_scales))
    units = alternation(list(words.units))  # "6kg": a unit right after the number
    return re.compile(
        rf"(?:\b(?P<qual>{qualifiers})\s+)?(?<![\w$.,])"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_SPACED}|\d+(?:\.\d+)?|{spelled})"
        rf"(?:\s+(?P<scale>{scale}))?(?:\s+|(?=(?:{units})\b))(?=(?P<rest>[^.;:!?\n]{{0,80}}))",
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
def _weight_re(kb: Knowledge) -> re.Pattern[str]:
    """What comes right before the weight of goods just counted: "weighing"."""
    return re.compile(rf"\b(?:{alternation(kb.seizure_words.weight_cues)})\s*$", re.IGNORECASE)


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


def _number(text: str, kb: Knowledge) -> float | None:
    if re.sub(r"\s+", " ", text.lower()) in kb.seizure_words.number_halves:
        return 0.5
    cleaned = re.sub(r"[,\s]", "", text).lower() if text[:1].isdigit() else text.lower()
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
        return goods, unit, True  # no goods: "335 kilograms were seized" (the goods named before)
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


def _span_value(date: DateMention) -> str:
    """A date's value for a seizure: the day, or for a span the month it falls in (the year when
    it runs over months)."""
    if not date.end_value:
        return date.value
    return date.value[:7] if date.value[:7] == date.end_value[:7] else date.value[:4]


def _seizure_date(
    ctx: Context,
    start: int,
    end: int,
    anchor: int | None,
    anchors: list[int | None],
    operations: list[Operation],
) -> str | None:
    """When a seizure was made: the date of its sentence after its number (else before it) with
    no other figure between them; else that of the operation its sentence speaks of; else the last date told
    before its sentence ("intercepted a truck on April 26. Officers found ..."), none after the
    release."""
    inside = [d for d in ctx.dates if start <= d.start and d.end <= end and d.value]
    if inside and anchor is not None:
        others = [a for a in anchors if a is not None and a != anchor]
        free = [d for d in inside if not any(min(anchor, d.start) < a < max(anchor, d.end) for a in others)]
        after = [d for d in free if d.start >= anchor]
        before = [d for d in free if d.end <= anchor]
        # the first date after the figure, else the last before it, with no other figure between
        date = after[0] if after else before[-1] if before else ctx.date_in(start, end, anchor)
        return _span_value(date) if date else None
    if inside:
        date = ctx.date_in(start, end)
        return _span_value(date) if date else None
    if during := _context_date(ctx, start, end, operations):
        return during
    before = [
        d
        for d in ctx.dates
        if d.end <= start and d.value and (ctx.published is None or d.value[:10] <= ctx.published)
    ]
    return _span_value(before[-1]) if before else None


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
    weights = frozenset(words.weight_units)
    vehicles = frozenset(words.vehicle_units)
    cash_units = frozenset(words.currencies.values())
    found_before = False  # the sentence before spoke of a seizure
    listed = False  # in a list after "Among the seized items were:"
    for start, end in ctx.sentences:
        at = bisect_left(cue_at, start)
        cued = at < len(cue_at) and cue_at[at] < end
        if not (cued or listed or found_before):
            continue
        text = ctx.content[start:end].strip()
        listed = listed and bool(_LIST_ITEM.match(text))
        if cued and text.endswith(":"):
            listed = True
            continue
        cued = cued or listed
        sentence = ctx.content[start:end]
        lowered = sentence.lower()
        found_here: list[Seizure] = []
        anchors: list[int | None] = []  # where each seizure's number ends: its date is the nearest
        for match in _quantity_re(kb).finditer(sentence):
            before = sentence[max(0, match.start() - 12) : match.start()]
            if _not_a_quantity_re(kb).search(before) or _estimate_re(kb).search(
                sentence[max(0, match.start() - 30) : match.start()]
            ):
                continue
            span = (start + match.start("num"), start + match.end("num"))
            if any(d.start < span[1] and span[0] < d.end for d in ctx.dates):
                continue  # a year or a day, not a quantity
            quantity = _number(match.group("num"), kb)
            if quantity is None or quantity <= 0:
                continue
            if match.group("scale"):
                quantity *= _rules(kb).scales[match.group("scale").lower()]
            parsed = _goods_and_unit(match.group("rest"), kb)
            if parsed is None:
                continue
            goods, unit, unit_named = parsed
            if not cued and unit not in weights:
                continue  # after a seizure's sentence, only weights of goods: "three packages held 7 kg"
            if unit in vehicles and not (listed or has_phrase(sentence, words.vehicle_cues)):
                continue  # "intercepted two trucks": stopped and searched, not seized
            if _arrest_re(kb).search(sentence[: match.start()]):
                continue  # "the arrest of 100 suspected traffickers"
            if (
                anchors
                and anchors[-1] is not None
                and re.fullmatch(r"[\w\s'’-]{0,25}\bof\s*", ctx.content[anchors[-1] : start + match.start()])
            ):
                continue  # "4,085 bags of 50kg rice": the size of each bag
            earlier = found_here[-1] if found_here else seizures[-1] if seizures else None
            if not goods:
                if earlier is None or earlier.unit in cash_units:
                    continue
                goods = earlier.goods  # "A total of 335 kilograms were seized": the goods named before
            if (
                found_here
                and unit in weights
                and found_here[-1].unit not in weights
                and _weight_re(kb).search(sentence[: match.start()])
            ):
                # "64 pieces weighing 210 kilograms": the weight is the seizure.
                found_here[-1].quantity, found_here[-1].unit = quantity, unit
                continue
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
            anchors.append(start + match.end("num"))
        cash = _cash_seizures(ctx, start, end) if cued else []
        found_here += cash
        anchors += [None] * len(cash)
        found_before = cued or bool(found_here)
        for seizure, anchor in zip(found_here, anchors, strict=True):
            seizure.date = _seizure_date(ctx, start, end, anchor, anchors, operations)
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
    return _merge_repeats(_drop_packaging(seizures, words.packaging_unit))


def _goods_alike(a: set[str], b: set[str]) -> bool:
    """Goods that share a word, or a short form of one ("meth", "methamphetamine")."""
    return (
        bool(a & b)
        or any(len(x) >= 4 and len(y) > len(x) and y.startswith(x) for x in a for y in b)
        or any(len(y) >= 4 and len(x) > len(y) and x.startswith(y) for x in a for y in b)
    )


def _merge_repeats(seizures: list[Seizure]) -> list[Seizure]:
    """A figure told twice (the headline and the body) is one seizure: the same quantity and unit
    of goods that share a word."""
    kept: list[Seizure] = []
    for seizure in seizures:
        words = set(seizure.goods.lower().split())
        same = next(
            (
                k
                for k in kept
                if k.quantity == seizure.quantity
                and k.unit == seizure.unit
                and _goods_alike(words, set(k.goods.lower().split()))
                and not (k.date and seizure.date and k.date[:7] != seizure.date[:7])
            ),
            None,
        )
        if same is None:
            kept.append(seizure)
            continue
        same.qualifier = same.qualifier or seizure.qualifier
        same.date = same.date or seizure.date
        if same.country is None:
            same.city, same.country = seizure.city, seizure.country
        same.evidence.extend(e for e in seizure.evidence if e not in same.evidence)
    return kept


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
