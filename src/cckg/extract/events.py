"""Events, agreements and named joint operations, read sentence by sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc
from text_to_num import alpha2digit, text2num

from cckg.extract.context import Context, Sentence
from cckg.extract.knowledge import knowledge
from cckg.extract.nlp import has_phrase, matchers
from cckg.model import Agreement, Event, Evidence, Operation

_MONTH_WORD = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)
_DURATION = re.compile(r"\b(\w+)-day\b", re.IGNORECASE)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)


def _ordinal(token_text: str) -> int | None:
    match = _ORDINAL.match(token_text)
    if match:
        return int(match.group(1))
    words: dict[str, int] = knowledge().patterns["ordinal_words"]
    if token_text.lower() in words:
        return words[token_text.lower()]
    match = _ORDINAL.match(alpha2digit(token_text, "en"))
    return int(match.group(1)) if match else None


def _number_word(word: str) -> int | None:
    """3 from "3" or "three"."""
    if word.isdigit():
        return int(word)
    try:
        return int(text2num(word.lower(), "en"))
    except ValueError:
        return None


def _phrase(tokens: list) -> str:
    return re.sub(r"\s+", " ", "".join(t.text_with_ws for t in tokens)).strip()


@dataclass
class _EventMention:
    event: Event
    sentence: Sentence
    generic: bool
    head_start: int  # character offsets of the head noun, the anchor for dates and places
    head_end: int
    next_in_series: bool


def _event_mentions(doc: Doc, ctx: Context) -> list[_EventMention]:
    patterns = knowledge().patterns
    stops = {w.lower() for w in patterns["event_name_stops"]}
    generic = {w.lower() for w in patterns["generic_event_words"]}
    exclusions = {w.lower() for w in patterns["event_exclusions"]}
    next_words = {w.lower() for w in patterns["next_event_words"]}
    weak = {w.lower() for w in patterns["weak_event_heads"]}
    mentions = []
    for match_id, start, end in sorted(_longest(matchers().event_head(doc)), key=lambda m: m[1]):
        kind = doc.vocab.strings[match_id]
        head = doc[start:end]
        if ctx.masked(head.start_char):
            continue
        left = _extend_left(doc, start, stops)
        right = _extend_right(doc, end)
        tokens = [t for t in doc[left:right] if not t.is_space]
        name = _phrase(tokens)
        if (
            name.lower() in exclusions
            or _phrase([t for t in doc[max(left, start - 1) : end]]).lower() in exclusions
        ):
            continue
        ordinal = next((o for t in tokens if (o := _ordinal(t.text))), None)
        words = [t.lower_ for t in tokens if not _ordinal(t.text)]
        if head.text.lower() in weak and not ordinal and not any(t.is_title for t in tokens):
            continue
        previous = doc[left - 1].lower_ if left > 0 else ""
        series = _phrase([t for t in tokens if not _ordinal(t.text)]) if ordinal else None
        event = Event(kind=kind, name=name, ordinal=ordinal, series=series)
        mentions.append(
            _EventMention(
                event,
                ctx.sentence(head.start_char),
                all(w in generic for w in words) and not ordinal,
                head.start_char,
                head.end_char,
                previous in next_words,
            )
        )
    return mentions


def _extend_left(doc: Doc, start: int, stops: set[str]) -> int:
    """Walk left over the words of an event name; stop at determiners, verbs and punctuation.

    Inside a capitalised name, "of", "and" and "for" are part of it ("Heads of Customs Meeting").
    """
    left = start
    while left > 0:
        token = doc[left - 1]
        if token.is_space:
            left -= 1
            continue
        lowered = token.lower_
        inner = (
            lowered in ("of", "and", "for", "on", "&", "-", "–", "'", "’", "'s", "’s")
            and doc[left].is_title
            and left >= 2
            and (doc[left - 2].is_title or doc[left - 2].is_upper)
        )
        if not inner and ((token.is_punct and token.text != "&") or lowered in stops):
            break
        if token.like_num and not _ordinal(token.text):
            break
        left -= 1
    while left < start and doc[left].is_space:
        left += 1
    return left


def _extend_right(doc: Doc, end: int) -> int:
    """A capitalised "on/of ..." complement: "Forum on Combating Wildlife Trafficking"."""
    right = end
    if (
        right < len(doc) - 1
        and doc[right].lower_ in ("on", "of", "for")
        and doc[right + 1].is_title
        and not _MONTH_WORD.fullmatch(doc[right + 1].text)
    ):
        right += 2
        while right < len(doc) and (doc[right].is_title or doc[right].lower_ in ("and", "of", "&")):
            right += 1
        while doc[right - 1].lower_ in ("and", "of", "&"):
            right -= 1
    return right


def _longest(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    kept: list[tuple[int, int, int]] = []
    for match in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
        if not any(match[1] < k[2] and k[1] < match[2] for k in kept):
            kept.append(match)
    return kept


def _has(sentence_text: str, cues: list[str]) -> bool:
    return has_phrase(sentence_text, cues)


def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"[-–]", " ", (name or "").lower())).strip()


def _same_event(a: Event, b: Event) -> bool:
    """Two mentions of one event: same ordinal, or one name the tail of the other."""
    if a.kind != b.kind:
        return False
    if a.ordinal and b.ordinal:
        return a.ordinal == b.ordinal
    names_a = {_norm(a.name), _norm(a.series)} - {""}
    names_b = {_norm(b.name), _norm(b.series)} - {""}
    return any(
        x == y or (" " in y and x.endswith(" " + y)) or (" " in x and y.endswith(" " + x))
        for x in names_a
        for y in names_b
    )


def _refers_to(mention: Event, earlier: Event, generic: set[str]) -> bool:
    """A mention whose distinctive words all appear in an earlier event's name refers to it."""
    words = {w for w in _norm(mention.name).split() if w not in generic}
    return mention.kind == earlier.kind and words <= set(_norm(earlier.name).split())


_HELD_CUES = [
    "held",
    "hold",
    "holds",
    "attended",
    "attend",
    "convened",
    "hosted",
    "paid",
    "will host",
    "will hold",
    "organised",
    "organized",
    "had",
    "co-organised",
    "co-organized",
    "joined",
]


def find_events(doc: Doc, ctx: Context) -> list[Event]:
    patterns = knowledge().patterns
    generic = {w.lower() for w in patterns["generic_event_words"]}
    events: list[Event] = []
    mentions = _event_mentions(doc, ctx)
    for mention in mentions:
        sent = mention.sentence
        event = mention.event
        planned = _has(sent.text, patterns["planned_cues"])
        same = next((e for e in reversed(events) if _same_event(e, event)), None)
        if same is None and not event.ordinal and not mention.next_in_series:
            same = next((e for e in reversed(events) if _refers_to(event, e, generic)), None)
        if mention.generic and event.ordinal and same is None:
            earlier = next((e for e in reversed(events) if e.kind == event.kind and e.series), None)
            if earlier is not None:  # "the 21st meeting": the next of an earlier named series
                event.name = f"{event.name.split()[0]} {earlier.series}" if event.name else earlier.series
                event.series = earlier.series
        if mention.generic and same is None:
            earlier = next((e for e in reversed(events) if e.kind == event.kind), None)
            if earlier is not None and (mention.next_in_series or (planned and earlier.status == "held")):
                # "The next meeting will be held in Macao": the series' next event, planned.
                event.name = earlier.series or earlier.name
                event.series = earlier.series
                event.ordinal = earlier.ordinal + 1 if earlier.ordinal else None
                planned = True
            elif earlier is not None:
                same = earlier
            elif event.kind != "visit" and not _has(sent.text, _HELD_CUES + patterns["planned_cues"]):
                continue
            else:
                event.name = " ".join(w for w in (event.name or "").split() if w.lower() != "the")
        target = same or event
        _fill_event(target, sent, ctx, planned, first=same is None, anchor=mention.head_end)
        if same is None:
            events.append(event)
    # An undated meeting the release reports on took place on the day it reports.
    news = ctx.news_day()
    for event in events:
        if event.start is None and event.status == "held" and news is not None:
            event.start = news.value
            event.confidence = min(event.confidence, 0.6)
    # Participation sentences with no event of their own add their agencies to the last event.
    mentioned = {m.sentence.start_char for m in mentions}
    for start, end in ctx.sentences_with(patterns["participation_cues"]):
        before = [e for e in events if e.evidence and e.evidence[0].start < start]
        if start in mentioned or not before:
            continue
        for agency in ctx.agencies_in(start, end, with_people=True):
            if agency not in before[-1].participants:
                before[-1].participants.append(agency)
    # Delegation sentences with no event of their own add heads to the first held event.
    held = [e for e in events if e.status == "held"]
    for start, end in ctx.sentences_with(patterns["delegation_cues"]) if held else []:
        main = held[0]
        for person in ctx.people_in(start, end):
            if person not in main.delegation_heads:
                main.delegation_heads.append(person)
        for agency in ctx.agencies_in(start, end, with_people=True):
            if agency not in main.participants:
                main.participants.append(agency)
    return events


def _fill_event(event: Event, sent: Sentence, ctx: Context, planned: bool, first: bool, anchor: int) -> None:
    start, end = sent.start_char, sent.end_char
    if first or event.start is None:
        found = ctx.date_in(start, end, anchor)
        if found:
            event.start, event.end = found.value, found.end_value
        if planned or (event.start and ctx.published and event.start[: len(ctx.published)] > ctx.published):
            event.status = "planned"
    days = _DURATION.search(ctx.content, max(start, anchor - 60), anchor)
    if days and event.start and len(event.start) == 10 and event.end is None:
        # "the three-day symposium" that opened on a known day ends two days later.
        length = _number_word(days.group(1))
        if length and 1 < length < 15:
            event.end = (date.fromisoformat(event.start) + timedelta(days=length - 1)).isoformat()
    if first or (event.city is None and event.country is None):
        anchors = ("in", "at", "to") if event.kind == "visit" else ("in", "at")
        city, country = ctx.place_in(start, end, prefer_after=anchors)
        event.city = event.city or city
        event.country = event.country or country
    for agency in ctx.agencies_in(start, end, with_people=True):
        if agency not in event.participants:
            event.participants.append(agency)
    patterns = knowledge().patterns
    organisers = ctx.agencies_after_cue(start, end, tuple(patterns["organiser_cues_before"]))
    organisers += ctx.agencies_before_cue(start, end, tuple(patterns["organiser_cues_after"]))
    for agency in organisers:
        if agency not in event.organizers:
            event.organizers.append(agency)
        if agency not in event.participants:
            event.participants.append(agency)
    for person in ctx.people_in(start, end):
        if person not in event.delegation_heads:
            event.delegation_heads.append(person)
    event.evidence.append(ctx.evidence(start, end))


# --- agreements -------------------------------------------------------------------------------

_AUXILIARIES = {"will", "would", "shall", "be", "been", "set", "up", "established", "is", "are"}
_DEFINITE = {"the", "this", "that", "aforementioned", "aforesaid", "said", "these", "such"}


@dataclass
class _AgreementMention:
    kind: str
    mechanism: bool
    tokens: list  # the name's tokens
    start: int  # character offsets of the whole name
    end: int


def _agreement_mentions(doc: Doc, ctx: Context) -> list[_AgreementMention]:
    """Agreement-kind labels and set-up mechanisms, with their names, none inside another's name."""
    patterns = knowledge().patterns
    built = matchers()
    found = [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement(doc)]
    found += [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement_exact(doc)]
    found += [("other", s, e) for _, s, e in built.mechanism(doc)]
    kinds = {(s, e): k for k, s, e in found}
    mechanisms = {m.lower() for m in patterns["mechanism_heads"]}
    mentions: list[_AgreementMention] = []
    for _, start, end in sorted(_longest([(0, s, e) for _, s, e in found]), key=lambda m: m[1]):
        span = doc[start:end]
        if ctx.masked(span.start_char) or (mentions and span.start_char < mentions[-1].end):
            continue
        mechanism = kinds[(start, end)] == "other" and span.text.lower() in mechanisms
        if mentions and re.fullmatch(r"\s*\(", ctx.content[mentions[-1].end : span.start_char]):
            continue  # "(MRA)": the acronym of the agreement just named
        if mentions and re.fullmatch(
            r"(?:\s*\([^()]{1,12}\))*\s*", ctx.content[mentions[-1].end : span.start_char]
        ):
            # "Mutual Recognition Arrangement (MRA) Action Plan": one agreement, named by its head.
            previous = mentions.pop()
            tokens = [*previous.tokens, *doc[previous.tokens[-1].i + 1 : end]]
            tokens = _agreement_name(doc, tokens[0].i, end, mechanism)
            mentions.append(
                _AgreementMention(
                    kinds[(start, end)],
                    mechanism,
                    tokens,
                    tokens[0].idx,
                    tokens[-1].idx + len(tokens[-1].text),
                )
            )
            continue
        tokens = _agreement_name(doc, start, end, mechanism)
        mentions.append(
            _AgreementMention(
                kinds[(start, end)], mechanism, tokens, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            )
        )
    return mentions


def find_agreements(doc: Doc, ctx: Context, events: list[Event]) -> list[Agreement]:
    patterns = knowledge().patterns
    agreements: list[Agreement] = []
    main_event = next((e for e in events if e.status == "held"), None)
    mentions = _agreement_mentions(doc, ctx)
    labelled_sentences = {ctx.sentence(m.start).start for m in mentions if not m.mechanism}
    for mention in mentions:
        sent = ctx.sentence(mention.start)
        name = _phrase(mention.tokens)
        if mention.mechanism:
            # A mechanism is an agreement of its own only when set up outside a named agreement.
            if not _has(sent.text, patterns["establish_cues"] + patterns["agreement_cues"]):
                continue
            if sent.start in labelled_sentences or (agreements and _has(sent.text, _UNDER_AGREEMENT)):
                continue
        if _has(sent.text, patterns["agreement_not_made_cues"]):
            continue
        same = next((a for a in agreements if _same_agreement(a, name, mention)), None)
        if same is None and not mention.mechanism and agreements:
            first = doc.char_span(mention.start, mention.end, alignment_mode="expand")[0]
            previous = first.nbor(-1).lower_ if first.i > 0 else ""
            same_kind = [a for a in agreements if a.kind == mention.kind]
            if same_kind and (_is_bare_label(name) or _is_bare_label(same_kind[-1].name)):
                same = same_kind[-1]
            elif previous in _DEFINITE and (same_kind or name[:1].islower()):
                # "the aforementioned co-operative arrangement": the agreement just named.
                same = (same_kind or agreements)[-1]
        if same is not None:
            if len(name.split()) > len(same.name.split()) and (
                mention.mechanism or _is_bare_label(same.name)
            ):
                same.name = name
            for party in ctx.agencies_in(sent.start_char, sent.end_char, with_people=True):
                if party not in same.parties:
                    same.parties.append(party)
            same.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
            continue
        agreements.append(_new_agreement(mention, name, sent, ctx, main_event))
    for agreement in agreements:
        # "signed between the two places": the parties are those of the main event.
        if len(agreement.parties) < 2 and main_event:
            agreement.parties += [p for p in main_event.participants if p not in agreement.parties]
    return agreements


_UNDER_AGREEMENT = [
    "under the",
    "the document",
    "the agreement",
    "the arrangement",
    "provides for",
    "under which",
    "the memorandum",
    "the mou",
]


def _is_bare_label(name: str) -> bool:
    """A name that is only a kind's label or acronym: "MoU", "the AEO MRA", "Memorandum of
    Understanding", "the arrangement"."""
    words = [w for w in name.split() if w.lower() not in _DEFINITE]
    if " ".join(words).lower() in _labels():
        return True
    return len(words) <= 2 and not any(w.lower() in ("on", "of", "for") for w in words)


@cache
def _labels() -> set[str]:
    return {label.lower() for labels in knowledge().agreement_labels.values() for label in labels}


def _new_agreement(
    mention: _AgreementMention, name: str, sent: Sentence, ctx: Context, main_event: Event | None
) -> Agreement:
    agreement = Agreement(kind=mention.kind, name=name, confidence=0.7 if mention.mechanism else 0.85)
    date = ctx.date_in(sent.start_char, sent.end_char, mention.end)
    if date:
        agreement.date = date.end_value or date.value
    elif main_event and (main_event.end or main_event.start):
        agreement.date = main_event.end or main_event.start
    else:
        agreement.date = ctx.published
    agreement.parties = ctx.agencies_in(sent.start_char, sent.end_char, with_people=True)
    if _has(sent.text, ["signed", "inked", "sign"]):
        agreement.signatories = ctx.people_in(sent.start_char, sent.end_char)
    agreement.topics = ctx.crimes_in(mention.start, sent.end_char) or ctx.crimes_in(
        sent.start_char, sent.end_char
    )
    agreement.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
    return agreement


def _same_agreement(known: Agreement, name: str, mention: _AgreementMention) -> bool:
    if known.name.lower() == name.lower():
        return True
    if mention.mechanism and known.kind == "other":
        head_a = known.name.lower().split()
        head_b = name.lower().split()
        return bool(set(head_a[:3]) & set(head_b[:3]) - {"a", "an", "the"})
    return False


_NAME_STOPS = {"between", "with", "was", "were", "is", "are", "signed", "by", "which", "that", "will", "to"}
_PURPOSE = {"to", "for", "on", "so"}


def _agreement_name(doc: Doc, start: int, end: int, mechanism: bool) -> list:
    """The agreement's name: capitalised words before (lower-case adjectives too, for a
    mechanism), and an "of/on ..." complement after."""
    left = start
    while (
        left > 0
        and not doc[left - 1].is_sent_start
        and (
            doc[left - 1].is_title
            or (mechanism and doc[left - 1].is_lower and doc[left - 1].lower_ not in _STOPWORDS)
        )
    ):
        left -= 1
    if mechanism and not doc[start].is_title:
        # A lower-case mechanism ("contact points"): keep its purpose; the parties ("between
        # the two administrations") only when no purpose follows them.
        tokens = list(doc[left:end])
        parties: list = []
        for token in doc[end:]:
            if (token.is_punct and token.text != "-") or (token.is_space and "\n" in token.text):
                break
            if (token.lower_ == "between" and not parties) or (
                parties and parties[-1] is not None and token.lower_ not in _PURPOSE
            ):
                parties.append(token)
            elif token.is_space or token.lower_ in _AUXILIARIES:
                continue
            else:
                if parties and parties[-1] is not None:
                    parties.append(None)  # a purpose follows: drop the parties
                tokens.append(token)
        if parties and parties[-1] is not None:
            tokens.extend(parties)
        return tokens
    right = end
    if right < len(doc) and doc[right].lower_ in ("of", "on", "for", "concerning", "regarding"):
        probe = right + 1
        while probe < len(doc) and probe - right < 10:
            token = doc[probe]
            if (token.is_punct and token.text not in ("-", "/")) or (token.is_space and "\n" in token.text):
                break
            if token.lower_ in _NAME_STOPS or (token.is_lower and token.text.endswith("ing")):
                break
            probe += 1
        right = probe
    tokens = list(doc[left:right])
    while len(tokens) > 1 and tokens[-1].lower_ in ("of", "on", "for", "and", "the", "to", "in"):
        tokens.pop()
    return tokens


_STOPWORDS = _DEFINITE | {
    "a",
    "an",
    "to",
    "of",
    "and",
    "up",
    "set",
    "establish",
    "the",
    "will",
    "be",
    "its",
    "their",
    "two",
    "new",
    "has",
    "have",
    "agreed",
    "also",
    "in",
    "on",
    "with",
}


# --- operations -------------------------------------------------------------------------------

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
        if not earlier or not _has(ctx.content[start:end], references):
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


def evidence_list(ctx: Context, start: int, end: int) -> list[Evidence]:
    return [ctx.evidence(start, end)]
