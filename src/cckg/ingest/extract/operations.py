"""Named joint operations ("Operation Thunder Gate", "Project Crocodile", code-named ...)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from cckg.ingest.extract.context import Context
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


def _named(text: str, kb: Knowledge) -> list[tuple[int, str]]:
    """(offset, name) of every operation ``text`` names, by a cue word or a code name."""
    cues = kb.operation_words.operation_cues
    prefixes = list(dict.fromkeys(cues.values()))  # the first is a code name's default
    hits = [
        (m.start(), f"{cues[m.group('cue')]} {m.group('name')}") for m in _operation_re(kb).finditer(text)
    ]
    for match in _codename_re(kb).finditer(text):
        name = match.group("name")
        preceding = text[max(0, match.start() - 40) : match.start()].lower()
        prefix = next((p for p in prefixes[1:] if p.lower() in preceding), prefixes[0])
        if not name.startswith(tuple(prefixes)):
            name = f"{prefix} {name}"
        hits.append((match.start(), name))
    return hits


def find_operations(doc: Doc, ctx: Context) -> list[Operation]:
    operations: list[Operation] = []
    kb = ctx.kb
    hits = _named(ctx.content, kb)
    for offset, name in sorted(hits):
        if ctx.masked(offset):
            continue
        name = re.sub(r"\s+", " ", name).strip()
        same = next((o for o in operations if o.name.lower() == name.lower()), None)
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
