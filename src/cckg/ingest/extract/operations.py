"""Joint operations: named ones ("Operation Thunder Gate", "Project Crocodile", code-named ...)
and those reported without a code name ("mounted a joint operation with ...", name ``None``)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from cckg.ingest.extract.context import Context, add_new
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation, has_phrase
from cckg.model import Operation

_NAME = r"[‘'\"“]?(?P<name>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|[IVX]+|\d+)){0,3})[’'\"”]?"


@derived
def _operation_re(kb: Knowledge) -> re.Pattern[str]:
    """A cue word and the capitalised or quoted name after it: "Operation Thunder Gate"."""
    cues = alternation(list(kb.operation_words.operation_cues))
    return re.compile(rf"(?:[‘'\"“]\s*)?\b(?P<cue>{cues})\s+{_NAME}")


@derived
def _codename_re(kb: Knowledge) -> re.Pattern[str]:
    """A code name: "code-named 'Skyfall'"."""
    return re.compile(rf"\b(?:{alternation(kb.operation_words.codename_cues)})\s+{_NAME}")


@derived
def _headed_re(kb: Knowledge) -> re.Pattern[str]:
    """A name that ends in an operation's head: "EMPACT Joint Action Days South East Europe
    (EMPACT JAD SEE)" (capitalised words before and after, an acronym in brackets)."""
    heads = alternation(kb.operation_words.operation_name_heads)
    return re.compile(
        rf"(?P<name>(?:\b[A-Z][A-Za-z]*\s+){{0,3}}(?:{heads})\b(?:\s+[A-Z][a-z]+){{0,3}}"
        rf"(?:\s+\([A-Z][A-Za-z ]{{1,20}}\))?)"
    )


def _named(text: str, kb: Knowledge) -> list[tuple[int, str]]:
    """(offset, name) of every operation ``text`` names, by a cue word or a code name."""
    cues = kb.operation_words.operation_cues
    prefixes = list(dict.fromkeys(cues.values()))  # the first is a code name's default
    hits = [
        (m.start(), f"{cues[m.group('cue')]} {m.group('name')}")
        for m in _operation_re(kb).finditer(text)
        if m.end() < len(text.rstrip())  # a name cut off at the end of the text is no name
    ]
    heads = kb.operation_words.operation_name_heads
    for match in _headed_re(kb).finditer(text) if any(h in text for h in heads) else ():
        first, _, rest = match.group("name").partition(" ")
        if first.lower() in kb.agreement_words.definite_words:  # "The EMPACT Joint Action Days"
            hits.append((match.start("name") + len(first) + 1, rest))
        else:
            hits.append((match.start("name"), match.group("name")))
    written = {re.sub(r"\s+", " ", name).lower() for _, name in hits}
    for match in _codename_re(kb).finditer(text):
        name = match.group("name")
        preceding = text[max(0, match.start() - 40) : match.start()].lower()
        prefix = next((p for p in prefixes[1:] if p.lower() in preceding), prefixes[0])
        if not name.startswith(tuple(prefixes)) and f"{prefix} {name}".lower() in written:
            name = f"{prefix} {name}"  # 'code-named "Skyfall" ... Operation Skyfall': as written
        hits.append((match.start(), name))
    return hits


@derived
def _unnamed_re(kb: Knowledge) -> re.Pattern[str]:
    """ "a joint operation", "a three-week joint enforcement operation": an article, a few words,
    one of them a word of an operation, and the head."""
    words = alternation(kb.operation_words.unnamed_operation_words)
    return re.compile(
        rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{words})\s+(?:[\w-]+\s+){{0,2}}?operation\b(?!s)",
        re.IGNORECASE,
    )


def _unnamed_operations(ctx: Context, named: list[Operation]) -> list[Operation]:
    """Operations the text reports as carried out without giving them a name: none where a named
    operation is spoken of, and one per start date."""
    kb = ctx.kb
    found: list[Operation] = []
    named_sentences = {e.start for o in named for e in o.evidence}
    if "operation" not in ctx.content.lower():
        return []
    for match in _unnamed_re(kb).finditer(ctx.content):
        if ctx.masked(match.start()):
            continue
        start, end = ctx.sentence_span(match.start())
        evidence = ctx.evidence(start, end)
        if evidence.start in named_sentences or start == end:
            continue
        if has_phrase(ctx.content[start : match.start()], kb.operation_words.unnamed_operation_not_cues):
            continue  # "will mount a joint operation": a pledge
        date = ctx.date_in(start, end, match.end())
        same = next(
            (o for o in found if not (o.start and date and o.start != date.value)),
            None,
        )
        if same is None:
            same = Operation(name=None, confidence=kb.confidence.operation)
            found.append(same)
        elif any(e.start == evidence.start for e in same.evidence):
            continue
        if same.start is None and date:
            same.start, same.end = date.value, date.end_value
        add_new(same.led_by, ctx.agencies_in(start, end, with_people=False))
        add_new(same.crime_types, ctx.crimes_in(start, end))
        same.evidence.append(evidence)
    return found


def _shortens(short: str, long: str, kb: Knowledge) -> bool:
    """ "Joint Action Days" for "EMPACT Joint Action Days South East Europe": a name ending in an
    operation's head that begins or ends the other's."""
    heads = kb.operation_words.operation_name_heads
    words, longer = short.split(), long.split()
    return (
        len(words) < len(longer)
        and any(h in short for h in heads)
        and (longer[: len(words)] == words or longer[-len(words) :] == words or short in long)
    )


def _merge_series_names(operations: list[Operation], kb: Knowledge) -> list[Operation]:
    """ "Operation Neptune" before "Operation Neptune IV": the numbered edition, named short."""
    kept = []
    for operation in operations:
        longer = max(
            (
                o
                for o in operations
                if o is not operation
                and o.name
                and operation.name
                and (
                    re.fullmatch(rf"{re.escape(operation.name)}\s+(?:[IVX]+|\d+)", o.name)
                    or _shortens(operation.name, o.name, kb)
                )
            ),
            key=lambda o: len(o.name or ""),
            default=None,
        )
        if longer is None:
            kept.append(operation)
            continue
        longer.evidence = sorted([*operation.evidence, *longer.evidence], key=lambda e: e.start)
        longer.start, longer.end = longer.start or operation.start, longer.end or operation.end
        longer.led_by += [a for a in operation.led_by if a not in longer.led_by]
        longer.participants += [a for a in operation.participants if a not in longer.participants]
        longer.crime_types += [c for c in operation.crime_types if c not in longer.crime_types]
    return kept


def find_operations(doc: Doc, ctx: Context) -> list[Operation]:
    operations: list[Operation] = []
    kb = ctx.kb
    hits = _named(ctx.content, kb)
    for offset, name in sorted(hits):
        if ctx.masked(offset):
            continue
        name = re.sub(r"\s+", " ", name).strip()
        same = next((o for o in operations if (o.name or "").lower() == name.lower()), None)
        start, end = ctx.sentence_span(offset)
        if same is None:
            same = Operation(name=name, confidence=kb.confidence.operation)
            operations.append(same)
        if same.start is None and (date := ctx.date_in(start, end)):
            same.start, same.end = date.value, date.end_value
        led = ctx.agencies_after_cue(start, end, tuple(kb.operation_words.operation_leader_cues))
        led += ctx.agencies_leading(start, end)
        for agency in led:
            if agency not in same.led_by:
                same.led_by.append(agency)
        for agency in ctx.agencies_in(start, end, with_people=False):
            if agency not in same.participants and agency not in same.led_by:
                same.participants.append(agency)
        for crime in ctx.crimes_in(start, end):
            if crime not in same.crime_types:
                same.crime_types.append(crime)
        same.evidence.append(ctx.evidence(start, end))
    operations = _merge_series_names(operations, kb)
    if not operations:  # with a named one, "a joint operation" is mostly that one again
        operations += _unnamed_operations(ctx, operations)
    operations.sort(key=lambda o: o.evidence[0].start if o.evidence else 0)
    # Sentences about "the operation" or its participants add their agencies to it.
    references = kb.operation_words.operation_references
    for start, end in ctx.sentences:
        earlier = [o for o in operations if o.evidence and o.evidence[0].start < start]
        if len(operations) == 1:
            earlier = operations  # the release's one operation, however it is referred to
        if not earlier or not has_phrase(ctx.content[start:end], references):
            continue
        operation = earlier[-1]
        if any(e.start == ctx.evidence(start, end).start for e in operation.evidence):
            continue
        for agency in ctx.agencies_in(start, end, with_people=False):
            if agency not in operation.participants and agency not in operation.led_by:
                operation.participants.append(agency)
    for operation in operations:
        if not operation.led_by:
            speaker = ctx.speaker_agency(operation.evidence[0].start if operation.evidence else 0)
            fallback = speaker or (operation.participants[:1] or ctx.publisher()[:1])
            operation.led_by = list(fallback) if isinstance(fallback, list) else [fallback]
    return operations
