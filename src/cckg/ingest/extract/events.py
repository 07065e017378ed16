"""Events: conferences, meetings, forums, workshops and visits, held or planned."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc
from text_to_num import alpha2digit, text2num

from cckg.ingest.extract.context import Context, Sentence, add_new
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation, has_phrase, longest, matchers, phrase
from cckg.model import Agreement, Event

_DURATION = re.compile(r"\b(\w+)-day\b", re.IGNORECASE)


@dataclass(frozen=True)
class _EventRules:
    """What the event rules build from the knowledge once."""

    ordinal: re.Pattern[str]  # "34th"
    calendar_word: re.Pattern[str]  # a month or a day name
    stops: frozenset[str]
    name_inner: frozenset[str]
    complements: frozenset[str]
    complement_joiners: frozenset[str]
    generic: frozenset[str]
    exclusions: frozenset[str]
    next_words: frozenset[str]
    weak: frozenset[str]
    ordinals: dict[str, int]


@derived
def _rules(kb: Knowledge) -> _EventRules:
    words = kb.event_words

    def lowered(items: list[str]) -> frozenset[str]:
        return frozenset(w.lower() for w in items)

    calendar = [*kb.date_words.months, *kb.date_words.weekdays]
    return _EventRules(
        ordinal=re.compile(rf"^(\d+)(?:{alternation(kb.date_words.ordinal_suffixes)})$", re.IGNORECASE),
        calendar_word=re.compile(f"(?:{alternation(calendar)})"),
        stops=lowered(words.event_name_stops),
        name_inner=frozenset(words.event_name_inner),
        complements=frozenset(words.event_name_complements),
        complement_joiners=frozenset(words.event_name_complement_joiners),
        generic=lowered(words.generic_event_words),
        exclusions=lowered(words.event_exclusions),
        next_words=lowered(words.next_event_words),
        weak=lowered(words.weak_event_heads),
        ordinals={w.lower(): n for w, n in words.ordinal_words.items()},
    )


def _ordinal(token_text: str, rules: _EventRules) -> int | None:
    match = rules.ordinal.match(token_text)
    if match:
        return int(match.group(1))
    if token_text.lower() in rules.ordinals:
        return rules.ordinals[token_text.lower()]
    match = rules.ordinal.match(alpha2digit(token_text, "en"))
    return int(match.group(1)) if match else None


def _number_word(word: str) -> int | None:
    """3 from "3" or "three"."""
    if word.isdigit():
        return int(word)
    try:
        return int(text2num(word.lower(), "en"))
    except ValueError:
        return None


@dataclass
class _EventMention:
    event: Event
    sentence: Sentence
    generic: bool
    head_start: int  # character offsets of the head noun, the anchor for dates and places
    head_end: int
    next_in_series: bool


def _event_mentions(doc: Doc, ctx: Context) -> list[_EventMention]:
    rules = _rules(ctx.kb)
    mentions = []
    for match_id, start, end in sorted(longest(matchers(ctx.kb).event_head(doc)), key=lambda m: m[1]):
        kind = doc.vocab.strings[match_id]
        head = doc[start:end]
        if ctx.masked(head.start_char):
            continue
        left = _extend_left(doc, start, rules)
        right = _extend_right(doc, end, rules)
        tokens = [t for t in doc[left:right] if not t.is_space]
        name = phrase(tokens)
        if (
            name.lower() in rules.exclusions
            or phrase([t for t in doc[max(left, start - 1) : end]]).lower() in rules.exclusions
            or phrase([t for t in doc[max(0, left - 1) : end]]).lower() in rules.exclusions
        ):  # "press conference", "welcome reception", "(held) via video conference"
            continue
        # "34th", or "Second" in a capitalised name; "first visit" numbers nothing.
        ordinal = next(
            (o for t in tokens if (o := _ordinal(t.text, rules)) and (t.text[0].isdigit() or t.is_title)),
            None,
        )
        words = [t.lower_ for t in tokens if not _ordinal(t.text, rules)]
        if head.text.lower() in rules.weak and not ordinal and not any(t.is_title for t in tokens):
            continue
        previous = doc[left - 1].lower_ if left > 0 else ""
        series = phrase([t for t in tokens if not _ordinal(t.text, rules)]) if ordinal else None
        event = Event(kind=kind, name=name, ordinal=ordinal, series=series)
        mentions.append(
            _EventMention(
                event,
                ctx.sentence(head.start_char),
                all(w in rules.generic for w in words) and not ordinal,
                head.start_char,
                head.end_char,
                previous in rules.next_words,
            )
        )
    return mentions


def _extend_left(doc: Doc, start: int, rules: _EventRules) -> int:
    """Walk left over the words of an event name; stop at determiners, verbs and punctuation.

    Inside a capitalised name, "of", "and" and "for" are part of it ("Heads of Customs Meeting").
    """
    left = start
    while left > 0:
        token = doc[left - 1]
        if token.is_space:
            left -= 1
            continue
        if (
            token.text == ")"
            and left >= 4
            and doc[left - 3].text == "("
            and _is_acronym(doc[left - 2].text)
            and doc[left - 4].is_title
            and doc[left].is_title
        ):
            left -= 3  # "Regional Heads of Customs Administrations (RHCA) Conference"
            continue
        lowered = token.lower_
        inner = (
            lowered in rules.name_inner
            and doc[left].is_title
            and left >= 2
            and (doc[left - 2].is_title or doc[left - 2].is_upper)
        )
        if not inner and ((token.is_punct and token.text != "&") or lowered in rules.stops):
            break
        if token.like_num and not _ordinal(token.text, rules):
            break
        left -= 1
    while left < start and doc[left].is_space:
        left += 1
    return left


def _is_acronym(word: str) -> bool:
    """ "RHCA", "WCO", "RTCs": two capitals or more and at most one small letter."""
    return word.isalpha() and sum(c.isupper() for c in word) >= 2 and sum(c.islower() for c in word) <= 1


def _extend_right(doc: Doc, end: int, rules: _EventRules) -> int:
    """A capitalised "on/of ..." complement: "Forum on Combating Wildlife Trafficking"; after a
    lower-case head, up to three lower-case words after "on": "webinar on forensic accounting"."""
    right = end
    if (
        right < len(doc) - 1
        and doc[right].lower_ in rules.complements
        and doc[right + 1].is_title
        and not rules.calendar_word.fullmatch(doc[right + 1].text)
    ):
        right += 2
        while right < len(doc) and (doc[right].is_title or doc[right].lower_ in rules.complement_joiners):
            right += 1
        while doc[right - 1].lower_ in rules.complement_joiners:
            right -= 1
    elif (
        right < len(doc) - 1
        and doc[end - 1].is_lower
        and doc[right].lower_ == "on"
        and doc[right].lower_ in rules.complements
    ):
        # "a webinar on forensic accounting": a lower-case head keeps a short subject
        probe = right + 1
        while (
            probe < len(doc)
            and probe - right <= 3
            and doc[probe].is_lower
            and doc[probe].is_alpha
            and doc[probe].lower_ not in rules.stops
            and not rules.calendar_word.fullmatch(doc[probe].text)
        ):
            probe += 1
        if probe > right + 1:
            right = probe
    return right


@cache
def _norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"[-–]", " ", (name or "").lower())).strip()


def _same_event(a: Event, b: Event) -> bool:
    """Two mentions of one event: same ordinal, or one name the head or tail of the other."""
    if a.kind != b.kind:
        return False
    if a.ordinal and b.ordinal:
        return a.ordinal == b.ordinal
    names_a = {_norm(a.name), _norm(a.series)} - {""}
    names_b = {_norm(b.name), _norm(b.series)} - {""}
    return any(_one_names_the_other(x, y) or _one_names_the_other(y, x) for x in names_a for y in names_b)


@derived
def _honorific_words(kb: Knowledge) -> frozenset[str]:
    return frozenset(_norm(h) for h in kb.honorifics)


def _agency_words(ctx: Context) -> set[str]:
    """The words of the agencies' acronyms in the release ("wco"): a mention named only by them
    and generic words refers to an event named before."""
    words = {_norm(a) for agency in ctx.agencies.agencies.values() for a in agency.acronyms}
    return words | {w.removesuffix("s") for w in words}  # as _refers_to compares them


def _one_names_the_other(longer: str, shorter: str) -> bool:
    """ "regional customs drug forum" and "drug forum"; "regional workshop on ipr" and "regional
    workshop" (a headline's short form).  One-word names are too vague to tell."""
    return longer == shorter or (
        " " in shorter and (longer.endswith(" " + shorter) or longer.startswith(shorter + " "))
    )


def _refers_to(mention: Event, earlier: Event, generic: set[str]) -> bool:
    """A mention whose distinctive words all appear in an earlier event's name refers to it
    ("the tripartite meeting", "Dr Lee's visit" after the visit was named)."""
    words = {w.removesuffix("s") for w in _norm(mention.name).split()} - generic
    earlier_words = {w.removesuffix("s") for w in _norm(earlier.name).split()}
    return mention.kind == earlier.kind and words <= earlier_words


def find_events(doc: Doc, ctx: Context) -> list[Event]:
    words = ctx.kb.event_words
    generic = set(_rules(ctx.kb).generic)
    held_or_planned = words.held_cues + words.planned_cues
    events: list[Event] = []
    mentions = _event_mentions(doc, ctx)
    for mention in mentions:
        sent = mention.sentence
        event = mention.event
        planned = has_phrase(sent.text, words.planned_cues)
        same = next((e for e in reversed(events) if _same_event(e, event)), None)
        if same is None and not event.ordinal and not mention.next_in_series:
            ignore = generic | {w for name in ctx.people.officials for w in _norm(name).split()}
            ignore |= _honorific_words(ctx.kb)
            ignore |= _agency_words(ctx)  # "the WCO meeting" after the Council Sessions
            same = next((e for e in reversed(events) if _refers_to(event, e, ignore)), None)
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
            elif event.kind != "visit" and not has_phrase(sent.text, held_or_planned):
                continue
            else:
                event.name = " ".join(w for w in (event.name or "").split() if w.lower() != "the")
        target = same or event
        if same is not None and not mention.generic and len(event.name or "") > len(same.name or ""):
            same.name = event.name  # the body names in full what the headline shortens
        _fill_event(target, sent, ctx, planned, first=same is None, anchor=mention.head_end)
        if same is None:
            events.append(event)
    mentioned = {m.sentence.start_char for m in mentions}
    events += _verb_meetings(ctx, mentioned)
    _date_undated(events, ctx)
    _add_sides(events, ctx, mentioned)
    return events


def _add_sides(events: list[Event], ctx: Context, mentioned: set[int]) -> None:
    """Sentences with no event of their own: participants join the last event before them,
    delegation heads the first held event."""
    words = ctx.kb.event_words
    # Participation sentences with no event of their own add their agencies to the last event.
    for start, end in ctx.sentences_with(words.participation_cues):
        before = [e for e in events if e.evidence and e.evidence[0].start < start]
        if start in mentioned or not before:
            continue
        for agency in ctx.agencies_in(start, end, with_people=True):
            if agency not in before[-1].participants:
                before[-1].participants.append(agency)
    # Delegation sentences with no event of their own add heads to the first held event.
    held = [e for e in events if e.status == "held"]
    for start, end in ctx.sentences_with(words.delegation_cues) if held else []:
        main = held[0]
        for person in ctx.people_in(start, end):
            if person not in main.delegation_heads:
                main.delegation_heads.append(person)
        for agency in ctx.agencies_in(start, end, with_people=True):
            if agency not in main.participants:
                main.participants.append(agency)


def _verb_meetings(ctx: Context, mentioned: set[int]) -> list[Event]:
    """ "Mr Lee met with Ms Kim ...": a meeting with no name, between the two sides of a sentence
    that names no event."""
    words = ctx.kb.event_words
    found = []
    for start, end in ctx.sentences_with(words.meeting_verb_cues):
        if start in mentioned:
            continue
        sides = ctx.agencies_in(start, end, with_people=True)
        if len(sides) < 2 and len(ctx.people_in(start, end)) < 2:
            continue
        event = Event(kind="meeting", name=None)
        text = ctx.content[start:end]
        _fill_event(event, Sentence(start, end, text), ctx, has_phrase(text, words.planned_cues), True, start)
        found.append(event)
    return found


def _date_undated(events: list[Event], ctx: Context) -> None:
    """An undated held event took place on the day the release reports on, else in its month;
    an event on one known day ends that day."""
    news = ctx.news_day()
    for event in events:
        if event.start is None and event.status == "held" and news is not None:
            event.start = news.value
            event.confidence = min(event.confidence, ctx.kb.confidence.undated_event)
        elif event.start is None and event.status == "held" and ctx.published:
            event.start = ctx.published[:7]
            event.confidence = min(event.confidence, ctx.kb.confidence.undated_event)
        _one_day(event)


def _one_day(event: Event) -> None:
    """An event on one known day ends that day: ``end`` is ``start``."""
    if event.start and len(event.start) == 10 and event.end is None:
        event.end = event.start


def _fill_event(event: Event, sent: Sentence, ctx: Context, planned: bool, first: bool, anchor: int) -> None:
    start, end = sent.start_char, sent.end_char
    words = ctx.kb.event_words
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
        anchors = words.visit_place_cues if event.kind == "visit" else words.event_place_cues
        city, country = ctx.place_in(start, end, prefer_after=tuple(anchors))
        event.city = event.city or city
        event.country = event.country or country
    add_new(event.participants, ctx.agencies_in(start, end, with_people=True))
    organisers = ctx.agencies_after_cue(start, end, tuple(words.organiser_cues_before))
    organisers += ctx.agencies_before_cue(start, end, tuple(words.organiser_cues_after))
    add_new(event.organizers, organisers)
    add_new(event.participants, organisers)
    add_new(event.delegation_heads, ctx.people_in(start, end))
    event.evidence.append(ctx.evidence(start, end))


def find_signing_events(ctx: Context, events: list[Event], agreements: list[Agreement]) -> list[Event]:
    """A signing ceremony the release reports as its occasion (no other held event): an event of
    kind ``signing`` on the day of the agreement signed, with its parties and the officials who
    represented them.  A ceremony inside a reported meeting or visit is part of that event, and
    beside a planned one the ceremony must be said to be held ("represented ... at the signing
    ceremony")."""
    words = ctx.kb.event_words
    if not agreements or any(e.status == "held" for e in events):
        return []
    spans = ctx.sentences_with(words.signing_event_cues)
    if not spans:
        return []
    if events and not any(has_phrase(ctx.content[s:e], words.held_cues) for s, e in spans):
        return []  # a ceremony only witnessed, beside a planned event: the agreement is the fact
    agreement = agreements[0]
    lowered = [c.lower() for c in words.signing_event_cues]
    named = next(c for c in lowered if any(c in ctx.content[s:e].lower() for s, e in spans))
    event = Event(kind="signing", name=named, confidence=ctx.kb.confidence.undated_event)
    event.start = agreement.date
    if event.start and ctx.published and event.start[: len(ctx.published)] > ctx.published:
        event.status = "planned"
    places = [ctx.place_in(s, e, prefer_after=tuple(words.event_place_cues)) for s, e in spans]
    places += [
        ctx.place_in(ev.start, ev.end, prefer_after=tuple(words.event_place_cues))
        for ev in agreement.evidence
    ]
    event.city, event.country = next((p for p in places if p[1]), (None, None))
    event.participants = list(agreement.parties)
    event.delegation_heads = list(agreement.signatories)
    for start, end in spans:
        add_new(event.participants, ctx.agencies_in(start, end, with_people=True))
        add_new(event.delegation_heads, ctx.people_in(start, end))
        event.evidence.append(ctx.evidence(start, end))
    _one_day(event)
    return [event]
