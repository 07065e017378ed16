"""Extract facts from a release: rules over spaCy tokens and the project's gazetteers.

``extract(release)`` returns a :class:`cckg.model.ReleaseFacts`; every fact carries the
sentence it comes from (quote and character offsets into ``release.text``) and a confidence.
``extract(release, kb)`` extracts with other knowledge (:func:`load_knowledge`) than the project's.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from cckg.ingest.extract.agencies import find_agencies, infer_countries
from cckg.ingest.extract.agreements import find_agreements
from cckg.ingest.extract.context import Context
from cckg.ingest.extract.cooperation import find_cooperation
from cckg.ingest.extract.dates import find_dates
from cckg.ingest.extract.events import find_events, find_signing_events
from cckg.ingest.extract.knowledge import Knowledge, knowledge, load_knowledge
from cckg.ingest.extract.nlp import Mention, matchers, parse, sentence_spans, spans
from cckg.ingest.extract.operations import find_operations
from cckg.ingest.extract.people import find_people
from cckg.ingest.extract.seizures import find_seizures
from cckg.ingest.read import Release
from cckg.model import Evidence, ReleaseFacts

__all__ = ["Knowledge", "extract", "load_knowledge", "read_context"]


def read_context(release: Release, kb: Knowledge) -> tuple[Doc, Context]:
    """The tokens of ``release`` and what the fact finders share: its sentences, dates, places,
    crime types, agencies and people."""
    built = matchers(kb)
    doc = parse(release.content, kb)
    sentences = sentence_spans(doc, release.content)
    ctx = Context(
        kb=kb,
        text=release.text,
        content=release.content,
        published=release.published,
        sentences=sentences,
        dates=find_dates(release.content, release.published, kb),
        places=spans(doc, built.place),
        crimes=spans(doc, built.crime),
    )
    ctx.agencies = find_agencies(doc, release.content, kb)
    infer_countries(ctx.agencies, release.content, ctx.places, ctx.sentence_span, kb)
    agency_spans = [(m.start, m.end) for m in ctx.agencies.mentions]
    ctx.crimes = _specific_crimes(
        [c for c in ctx.crimes if not any(s <= c.start < e for s, e in agency_spans)],
        release.content,
        kb.crime_words.general_crime,
    )
    ctx.people = find_people(doc, release.content, sentences, ctx.agencies, kb)
    return doc, ctx


def extract(release: Release, kb: Knowledge | None = None) -> ReleaseFacts:
    """The facts of ``release``, found with the knowledge ``kb`` (by default the project's)."""
    kb = kb or knowledge()
    doc, ctx = read_context(release, kb)
    events = find_events(doc, ctx)
    agreements = find_agreements(doc, ctx, events)
    events += find_signing_events(ctx, events, agreements)
    operations = find_operations(doc, ctx)
    seizures = find_seizures(ctx, operations)

    for key, agency in ctx.agencies.agencies.items():
        first = next(m for m in ctx.agencies.mentions if m.key == key)
        agency.evidence.append(Evidence(release.text[first.start : first.end], first.start, first.end))
    officials = []
    for name, official in ctx.people.officials.items():
        if official.agency in ctx.agencies.agencies:
            official.agency = ctx.agencies.name(official.agency)
        first = next(m for m in ctx.people.mentions if m.key == name)
        official.evidence.append(ctx.evidence(*ctx.sentence_span(first.start)))
        officials.append(official)

    crime_types: dict[str, list[Evidence]] = {}
    for crime in ctx.crimes:
        crime_types.setdefault(crime.key, []).append(Evidence(crime.text, crime.start, crime.end))

    return ReleaseFacts(
        id=release.id,
        source=release.source,
        title=release.title,
        published=release.published,
        url=release.url,
        content_hash=release.content_hash,
        agencies=list(ctx.agencies.agencies.values()),
        officials=officials,
        events=events,
        agreements=agreements,
        operations=operations,
        seizures=seizures,
        crime_types=list(crime_types),
        crime_type_evidence=crime_types,
        cooperation=find_cooperation(ctx, events, agreements, operations),
    )


def _specific_crimes(crimes: list[Mention], text: str, general: str) -> list[Mention]:
    """Drop the ``general`` crime type ("smuggling") where the text says what is smuggled ("the
    smuggling of endangered species", "methamphetamine smuggling"): the specific type stands for it."""
    kept = []
    for crime in crimes:
        if crime.key == general and any(
            other.key != general
            and (
                re.fullmatch(r"\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}", text[crime.end : other.start])
                or 0 <= crime.start - other.end <= 3
            )
            for other in crimes
        ):
            continue
        kept.append(crime)
    return kept
