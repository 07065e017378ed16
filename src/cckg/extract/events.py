"""Events, agreements and named joint operations, read sentence by sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span
from text_to_num import alpha2digit

from cckg.extract.context import Context
from cckg.extract.knowledge import knowledge
from cckg.extract.nlp import matchers
from cckg.model import Agreement, Event, Evidence, Operation

_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)


def _ordinal(token_text: str) -> int | None:
    match = _ORDINAL.match(token_text)
    if match:
        return int(match.group(1))
    converted = alpha2digit(token_text, "en")
    match = _ORDINAL.match(converted)
    return int(match.group(1)) if match else None


def _phrase(tokens: list) -> str:
    return " ".join(t.text for t in tokens if not t.is_space)


@dataclass
class _EventMention:
    event: Event
    sentence: Span
    generic: bool


def _event_mentions(doc: Doc, ctx: Context) -> list[_EventMention]:
    patterns = knowledge().patterns
    stops = {w.lower() for w in patterns["event_name_stops"]}
    generic = {w.lower() for w in patterns["generic_event_words"]}
    mentions = []
    for match_id, start, end in sorted(_longest(matchers().event_head(doc))):
        kind = doc.vocab.strings[match_id]
        head = doc[start:end]
        if ctx.masked(head.start_char):
            continue
        # Extend left over the words of the name; stop at determiners, verbs and punctuation.
        left = start
        while left > 0:
            token = doc[left - 1]
            if token.is_space:
                left -= 1
                continue
            lowered = token.lower_
            if token.is_punct and token.text not in ("&",) or lowered in stops:
                break
            if token.like_num and not _ordinal(token.text):
                break
            left -= 1
        while left < start and doc[left].is_space:
            left += 1
        # Extend right over a capitalised "on/of ..." complement: "Forum on Combating Smuggling".
        right = end
        if right < len(doc) - 1 and doc[right].lower_ in ("on", "of", "for") and doc[right + 1].is_title:
            right += 2
            while right < len(doc) and (doc[right].is_title or doc[right].lower_ in ("and", "of", "&")):
                right += 1
            while doc[right - 1].lower_ in ("and", "of", "&"):
                right -= 1
        tokens = [t for t in doc[left:right] if not t.is_space]
        ordinal = next((o for t in tokens if (o := _ordinal(t.text))), None)
        words = [t.lower_ for t in tokens if not _ordinal(t.text)]
        is_generic = all(w in generic for w in words)
        name = _phrase(tokens)
        series = _phrase([t for t in tokens if not _ordinal(t.text)]) if ordinal else None
        event = Event(kind=kind, name=name, ordinal=ordinal, series=series)
        mentions.append(_EventMention(event, head.sent, is_generic))
    return mentions


def _longest(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    kept: list[tuple[int, int, int]] = []
    for match in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
        if not any(match[1] < k[2] and k[1] < match[2] for k in kept):
            kept.append(match)
    return kept


def _has(sentence_text: str, cues: list[str]) -> bool:
    lowered = " ".join(sentence_text.lower().split())
    return any(re.search(rf"\b{re.escape(c)}\b", lowered) for c in cues)


def _same_event(a: Event, b: Event) -> bool:
    if a.ordinal and b.ordinal:
        return a.ordinal == b.ordinal and a.kind == b.kind
    return (a.name or "").lower() == (b.name or "").lower() and a.kind == b.kind


def find_events(doc: Doc, ctx: Context) -> list[Event]:
    patterns = knowledge().patterns
    events: list[Event] = []
    for mention in _event_mentions(doc, ctx):
        sent = mention.sentence
        event = mention.event
        same = next((e for e in events if _same_event(e, event)), None)
        if mention.generic:
            same = same or next((e for e in reversed(events) if e.kind == event.kind), None)
            if same is None:
                if not _has(sent.text, ["held", "hold", "holds", "attended", "convened", "hosted", "paid",
                                        "will host", "will hold", "organised", "organized"]):
                    continue
                event.name = " ".join(w for w in (event.name or "").split() if w.lower() not in ("the",))
        target = same or event
        planned = _has(sent.text, patterns["planned_cues"])
        _fill_event(target, sent, ctx, planned, first=same is None)
        if same is None:
            events.append(event)
    # Delegation sentences with no event of their own add heads to the last held event.
    held = [e for e in events if e.status == "held"]
    for sent in doc.sents:
        if held and _has(sent.text, patterns["delegation_cues"]):
            people = ctx.people_in(sent.start_char, sent.end_char)
            main = held[0]
            for person in people:
                if person not in main.delegation_heads:
                    main.delegation_heads.append(person)
            for agency in ctx.agencies_in(sent.start_char, sent.end_char, with_people=True):
                if agency not in main.participants:
                    main.participants.append(agency)
    return events


def _fill_event(event: Event, sent: Span, ctx: Context, planned: bool, first: bool) -> None:
    start, end = sent.start_char, sent.end_char
    if first or event.start is None:
        date = ctx.date_in(start, end)
        if date:
            event.start, event.end = date.value, date.end_value
        if planned or (event.start and ctx.published and event.start[:len(ctx.published)] > ctx.published):
            event.status = "planned"
    if first or event.city is None and event.country is None:
        city, country = ctx.place_in(start, end, prefer_after=("in", "at"))
        event.city = event.city or city
        event.country = event.country or country
    for agency in ctx.agencies_in(start, end, with_people=True):
        if agency not in event.participants:
            event.participants.append(agency)
    if event.kind != "forum" or first:
        for person in ctx.people_in(start, end):
            if person not in event.delegation_heads:
                event.delegation_heads.append(person)
    event.evidence.append(ctx.evidence(start, end))


# --- agreements -------------------------------------------------------------------------------

_AUXILIARIES = {"will", "would", "shall", "be", "been", "set", "up", "established", "is", "are"}
_DEFINITE = {"the", "this", "that", "aforementioned", "aforesaid", "said", "these", "such"}


def find_agreements(doc: Doc, ctx: Context, events: list[Event]) -> list[Agreement]:
    patterns = knowledge().patterns
    built = matchers()
    agreements: list[Agreement] = []
    found = [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement(doc)]
    found += [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement_exact(doc)]
    found += [("other", s, e) for _, s, e in built.mechanism(doc)]
    kept = _longest([(0, s, e) for _, s, e in found])
    kinds = {(s, e): k for k, s, e in found}
    main_event = next((e for e in events if e.status == "held"), None)
    for _, start, end in sorted(kept, key=lambda m: m[1]):
        kind = kinds[(start, end)]
        span = doc[start:end]
        if ctx.masked(span.start_char):
            continue
        sent = span.sent
        mechanism = kind == "other" and span.text.lower() in {m.lower() for m in patterns["mechanism_heads"]}
        if mechanism and not _has(sent.text, patterns["establish_cues"] + patterns["agreement_cues"]):
            continue
        previous = doc[start - 1].lower_ if start > 0 else ""
        name_tokens = _agreement_name(doc, start, end, mechanism)
        name = _phrase(name_tokens)
        same = next((a for a in agreements if _same_agreement(a, name, kind, mechanism)), None)
        if same is None and previous in _DEFINITE and agreements and not mechanism:
            same = agreements[-1]
        if same is not None:
            if mechanism and len(name.split()) > len(same.name.split()):
                same.name = name
            same.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
            continue
        agreement = Agreement(kind=kind, name=name, confidence=0.85 if not mechanism else 0.7)
        date = ctx.date_in(sent.start_char, sent.end_char)
        if date:
            agreement.date = date.end_value or date.value
        elif main_event and (main_event.end or main_event.start):
            agreement.date = main_event.end or main_event.start
        else:
            agreement.date = ctx.published
        agreement.parties = ctx.agencies_in(sent.start_char, sent.end_char, with_people=True)
        if len(agreement.parties) < 2 and main_event:
            for party in main_event.participants:
                if party not in agreement.parties:
                    agreement.parties.append(party)
        if _has(sent.text, ["signed", "inked", "sign"]):
            agreement.signatories = ctx.people_in(sent.start_char, sent.end_char)
        agreement.topics = ctx.crimes_in(span.start_char, sent.end_char) or ctx.crimes_in(
            sent.start_char, sent.end_char
        )
        agreement.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
        agreements.append(agreement)
    return agreements


def _same_agreement(known: Agreement, name: str, kind: str, mechanism: bool) -> bool:
    if known.name.lower() == name.lower():
        return True
    if mechanism and known.kind == "other":
        head_a = known.name.lower().split()
        head_b = name.lower().split()
        return bool(set(head_a[:3]) & set(head_b[:3]) - {"a", "an", "the"})
    return False


def _agreement_name(doc: Doc, start: int, end: int, mechanism: bool) -> list:
    """The agreement's name: capitalised words before, and an "of/on ..." complement after."""
    left = start
    while left > 0 and doc[left - 1].is_title and not doc[left - 1].is_sent_start:
        left -= 1
    right = end
    stop_words = {"between", "with", "was", "were", "is", "are", "signed", "by", "which", "that", "and"}
    if doc[start:end].text.lower() in {"mou", "mous"} or not mechanism:
        if right < len(doc) and doc[right].lower_ in ("of", "on", "for", "concerning", "regarding"):
            probe = right + 1
            while probe < len(doc) and probe - right < 9:
                token = doc[probe]
                if token.is_punct and token.text not in ("-",) or token.is_space and "\n" in token.text:
                    break
                if token.lower_ in stop_words - {"and"} or token.is_lower and token.text.endswith("ing"):
                    break
                probe += 1
            right = probe
    elif mechanism and not doc[start].is_title:
        # A lower-case mechanism ("contact points"): keep its purpose, drop "between ..." parties.
        tokens = list(doc[left:end])
        in_between = False
        for token in doc[end:]:
            if token.is_punct and token.text != "-":
                break
            if token.lower_ == "between":
                in_between = True
            elif in_between and token.lower_ in ("to", "for", "on"):
                in_between = False
            if not in_between and not token.is_space and token.lower_ not in _AUXILIARIES:
                tokens.append(token)
        return tokens
    tokens = list(doc[left:right])
    while tokens and tokens[-1].lower_ in ("of", "on", "for", "and", "the", "to", "in"):
        tokens.pop()
    return tokens


# --- operations -------------------------------------------------------------------------------

_OPERATION = re.compile(
    r"(?:[‘'\"“]\s*)?\b(?P<cue>Operation|Project|Op\.)\s+[‘'\"“]?(?P<name>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|[IVX]+|\d+))"
    r"{0,3})[’'\"”]?"
)
_CODENAME = re.compile(
    r"\b(?:code-?named|code named|dubbed)\s+[‘'\"“]?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})[’'\"”]?"
)


def find_operations(doc: Doc, ctx: Context) -> list[Operation]:
    operations: list[Operation] = []
    text = ctx.content
    hits = [(m.start(), f"{m.group('cue').rstrip('.')} {m.group('name')}".replace("Op ", "Operation "))
            for m in _OPERATION.finditer(text)]
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
            date = ctx.date_in(start, end)
            if date:
                same.start, same.end = date.value, date.end_value
        led = ctx.agencies_after_cue(start, end, ("led by", "launched by", "coordinated by", "co-ordinated by",
                                                  "initiated by", "spearheaded by", "organised by",
                                                  "organized by"))
        for agency in led:
            if agency not in same.led_by:
                same.led_by.append(agency)
        for agency in ctx.agencies_in(start, end, with_people=False):
            if agency not in same.participants:
                same.participants.append(agency)
        for crime in ctx.crimes_in(start, end):
            if crime not in same.crime_types:
                same.crime_types.append(crime)
        same.evidence.append(ctx.evidence(start, end))
    for operation in operations:
        if not operation.led_by:
            speaker = ctx.speaker_agency(operation.evidence[0].start if operation.evidence else 0)
            fallback = speaker or (operation.participants[:1] or ctx.publisher()[:1])
            operation.led_by = list(fallback) if isinstance(fallback, list) else [fallback]
    return operations


def evidence_list(ctx: Context, start: int, end: int) -> list[Evidence]:
    return [ctx.evidence(start, end)]
