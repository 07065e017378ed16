"""Named joint operations ("Operation Thunder Gate", "Project Crocodile", code-named ...)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from cckg.ingest.extract.context import Context
from cckg.ingest.extract.knowledge import knowledge
from cckg.ingest.extract.nlp import has_phrase
from cckg.model import Operation

_OPERATION = re.compile(
    r"(?:[‘'\"“]\s*)?\b(?P<cue>Operation|Project|Op\.)\s+[‘'\"“]?(?P<name>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|[IVX]+|\d+))"
    r"{0,3})[’'\"”]?"
)
_CODENAME = re.compile(
    r"\b(?:code-?named|code named|dubbed)\s+[‘'\"“]?(?P<name>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|[IVX]+|\d+))"
    r"{0,3})[’'\"”]?"
)


def find_operations(doc: Doc, ctx: Context) -> list[Operation]:
    operations: list[Operation] = []
    text = ctx.content
    hits = [
        (m.start(), f"{m.group('cue').rstrip('.')} {m.group('name')}".replace("Op ", "Operation "))
        for m in _OPERATION.finditer(text)
    ]
    for match in _CODENAME.finditer(text):
        name = match.group("name")
        preceding = text[max(0, match.start() - 40) : match.start()].lower()
        cue = "Project" if "project" in preceding else "Operation"
        if not name.startswith(("Operation", "Project")):
            name = f"{cue} {name}"
        hits.append((match.start(), name))
    for offset, name in sorted(hits):
        if ctx.masked(offset):
            continue
        name = re.sub(r"\s+", " ", name).strip()
        same = next((o for o in operations if o.name.lower() == name.lower()), None)
        start, end = ctx.sentence_span(offset)
        if same is None:
            same = Operation(name=name, confidence=0.85)
            operations.append(same)
        if same.start is None and (date := ctx.date_in(start, end)):
            same.start, same.end = date.value, date.end_value
        led = ctx.agencies_after_cue(
            start,
            end,
            (
                "led by",
                "launched by",
                "coordinated by",
                "co-ordinated by",
                "initiated by",
                "spearheaded by",
                "organised by",
                "organized by",
            ),
        )
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
    references = knowledge().patterns["operation_references"]
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
