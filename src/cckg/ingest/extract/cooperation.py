"""Which agencies a release shows cooperating: pairs from shared events, agreements, joint
operations and sentences that say so ("acting on intelligence provided by Japan Customs").

A multilateral event or operation (more than three agencies) pairs its organiser or coordinator
with each participant, not every participant with every other; an intergovernmental body is not
paired with the members that attend its own governing sessions.
"""

from __future__ import annotations

import re
from itertools import combinations

from cckg.ingest.extract.context import Context
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import alternation, phrase_regex
from cckg.model import Agency, Agreement, Cooperation, Event, Evidence, Operation


@derived
def _between_re(kb: Knowledge) -> re.Pattern[str]:
    """ "cooperation between A and B", "the close ties between ..." """
    nouns = alternation(kb.cooperation_words.between_nouns)
    return re.compile(rf"\b(?:{nouns})(?:\s+[\w-]+){{0,3}}?\s+between\b", re.IGNORECASE)


@derived
def _with_re(kb: Knowledge) -> re.Pattern[str]:
    """ "intelligence exchange and analysis with X", "close ties with X": a cooperation noun and,
    within a few words, "with"."""
    nouns = alternation(kb.cooperation_words.between_nouns)
    return re.compile(rf"\b(?:{nouns})(?:\s+[\w-]+){{0,3}}?\s+with\b", re.IGNORECASE)


@derived
def _session_re(kb: Knowledge) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(kb.cooperation_words.governing_sessions)})\b")


def _pairs(
    leads: list[str], others: list[str], small_group: int, star: bool = False
) -> list[tuple[str, str]]:
    """Every pair of a small group; a large group (or ``star``) pairs its leads with the rest."""
    everyone = list(dict.fromkeys([*leads, *others]))
    if not leads or (len(everyone) <= small_group and not star):
        return [tuple(sorted(p)) for p in combinations(everyone, 2)]  # type: ignore[misc]
    pairs = {tuple(sorted((a, b))) for a in leads for b in everyone if a != b}
    return sorted(pairs)  # type: ignore[arg-type]


def _own_session(event: Event, agency: str, ctx: Context) -> bool:
    """An intergovernmental body attending its own governing session ("WCO Council Sessions")."""
    record = next((a for a in ctx.agencies.agencies.values() if a.name == agency), None)
    if record is None or record.kind != "intergovernmental":
        return False
    return bool(_session_re(ctx.kb).search(event.name or ""))


def find_cooperation(
    ctx: Context, events: list[Event], agreements: list[Agreement], operations: list[Operation]
) -> list[Cooperation]:
    links: dict[tuple[str, str], Cooperation] = {}
    words, confidence = ctx.kb.cooperation_words, ctx.kb.confidence
    small = words.small_group

    by_name = {a.name: a for a in ctx.agencies.agencies.values()}

    def link(pair: tuple[str, str], evidence: list[Evidence], confidence: float) -> None:
        if pair[0] == pair[1] or _unit_of(by_name.get(pair[0]), by_name.get(pair[1])):
            return
        found = links.setdefault(pair, Cooperation(pair, confidence=confidence))
        for item in evidence[:1]:
            if item not in found.evidence:
                found.evidence.append(item)

    for event in events:  # held or planned: "will visit the FRA tomorrow" pairs the two sides
        members = [p for p in event.participants if not _own_session(event, p, ctx)]
        leads = [o for o in event.organizers if o in members] or members[:1]
        # "two bilateral conferences": separate events, so their guests did not meet each other.
        several = (event.name or "").lower().endswith(tuple(words.several_events_suffixes))
        for pair in _pairs(leads if len(members) > small or several else [], members, small, star=several):
            link(pair, event.evidence, confidence.event_cooperation)
    for agreement in agreements:  # many parties: the first named (who spearheads it) with each
        for pair in _pairs(
            agreement.parties[:1] if len(agreement.parties) > small else [], agreement.parties, small
        ):
            link(pair, agreement.evidence, confidence.agreement_cooperation)
    for operation in operations:
        for pair in _pairs(operation.led_by, operation.participants, small):
            link(pair, operation.evidence, confidence.operation_cooperation)
    _cue_sentences(ctx, link)
    _joint_lists(ctx, link)
    return list(links.values())


def _unit_of(a: Agency | None, b: Agency | None) -> bool:
    """Whether one of two agencies is a unit of the other (an agency stands for its units): its
    gazetteer id extends the other's ("wco-rilo-ap" of "wco"), or its name begins with the
    other's acronym ("WCO Regional Office ...")."""
    if a is None or b is None:
        return False
    for body, unit in ((a, b), (b, a)):
        if body.key and unit.key and unit.key.startswith(body.key + "-"):
            return True
        if any(unit.name.startswith(f"{acronym} ") for acronym in body.acronyms):
            return True
    return False


def _joint_lists(ctx: Context, link) -> None:  # type: ignore[no-untyped-def]
    """Agencies listed together ("A and B", "A, B and the C") in a sentence that says they act
    jointly: "A and B conducted a joint operation", "A and B have been working closely"."""
    joint = phrase_regex(tuple(ctx.kb.cooperation_words.joint_words))
    stated = ctx.kb.confidence.stated_cooperation
    done: set[tuple[int, int]] = set()
    for match in joint.finditer(ctx.content):
        start, end = ctx.sentence_span(match.start())
        if (start, end) in done or start == end:
            continue
        done.add((start, end))
        mentions = [m for m in ctx.agencies.at(start, end) if m.key in ctx.agencies.agencies]
        group: list[str] = []
        for previous, mention in zip([None, *mentions], mentions, strict=False):
            joined = previous is not None and _LIST_GAP.fullmatch(ctx.content[previous.end : mention.start])
            if not joined:
                _link_all(group, ctx, link, stated, start, end)
                group = []
            group.append(mention.key)
        _link_all(group, ctx, link, stated, start, end)


_LIST_GAP = re.compile(r"\s*(?:\([^()]{1,12}\)\s*)?(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?")


def _link_all(keys: list[str], ctx: Context, link, confidence: float, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    names = list(dict.fromkeys(ctx.agencies.name(k) for k in keys))
    for a, b in combinations(names, 2):
        link(tuple(sorted((a, b))), [ctx.evidence(start, end)], confidence)


def _cue_sentences(ctx: Context, link) -> None:  # type: ignore[no-untyped-def]
    """Pairs from sentences that say two agencies work together."""
    cues = phrase_regex(tuple(ctx.kb.cooperation_words.cooperation_cues))
    stated = ctx.kb.confidence.stated_cooperation
    publisher = ctx.publisher()
    for between in _between_re(ctx.kb).finditer(ctx.content):
        start, end = ctx.sentence_span(between.start())
        named = ctx.agencies_in(between.end(), end)
        for a, b in combinations(named[:2], 2):
            link(tuple(sorted((a, b))), [ctx.evidence(start, end)], stated)
    done: set[int] = set()
    found = [*cues.finditer(ctx.content), *_with_re(ctx.kb).finditer(ctx.content)]
    for match in sorted(found, key=lambda m: m.start()):
        start, end = ctx.sentence_span(match.start())
        if start in done:
            continue  # the first cue of a sentence speaks for it
        done.add(start)
        after = ctx.agencies_in(match.end(), end)
        if not after:
            continue
        before = ctx.agencies_in(start, match.start(), with_people=True)
        subjects = before or [a for a in [ctx.speaker_agency(match.start())] if a] or publisher
        evidence = [ctx.evidence(start, end)]
        for subject in subjects[:2]:
            for partner in after:
                if partner != subject:
                    link(tuple(sorted((subject, partner))), evidence, stated)
