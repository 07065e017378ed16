"""What the fact finders share about one release: its sentences and the mentions found in it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from cckg.ingest.extract.agencies import AgencyFinding
from cckg.ingest.extract.dates import DateMention
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import Mention, alternation, phrase_regex, within
from cckg.ingest.extract.people import PeopleFinding
from cckg.model import Evidence


@dataclass(frozen=True)
class Sentence:
    """A sentence of the release by its character offsets (cheaper than a spaCy span)."""

    start_char: int
    end_char: int
    text: str

    @property
    def start(self) -> int:
        return self.start_char


def add_new(target: list[str], items: Iterable[str]) -> None:
    """Append to ``target`` each of ``items`` it does not hold yet, in order."""
    for item in items:
        if item not in target:
            target.append(item)


@derived
def _leading_re(kb: Knowledge) -> re.Pattern[str]:
    """ "-led", "-coordinated" right after an agency's name (within the longest suffix and one)."""
    return re.compile(rf"-(?:{alternation(kb.agency_words.led_suffixes)})\b")


@derived
def _leading_reach(kb: Knowledge) -> int:
    return 2 + max(len(s) for s in kb.agency_words.led_suffixes)


@dataclass
class Context:
    kb: Knowledge  # what the rules know: gazetteers and the words of data/patterns/
    text: str  # the release text: evidence quotes come from it
    content: str  # the same with page chrome masked
    published: str | None
    sentences: list[tuple[int, int]]
    dates: list[DateMention]
    places: list[Mention]  # key "city:Name" or "country:CC"
    crimes: list[Mention]  # key = crime-type notation
    agencies: AgencyFinding = field(default_factory=AgencyFinding)
    people: PeopleFinding = field(default_factory=PeopleFinding)

    def sentences_with(self, phrases: list[str]) -> list[tuple[int, int]]:
        """The sentences that contain one of ``phrases`` (whole words, any case)."""
        hits = (self.sentence_span(m.start()) for m in phrase_regex(tuple(phrases)).finditer(self.content))
        return [span for span in dict.fromkeys(hits) if span[0] != span[1]]

    def masked(self, offset: int) -> bool:
        return offset < len(self.content) and self.content[offset] == " " and self.text[offset] != " "

    def sentence(self, offset: int) -> Sentence:
        start, end = self.sentence_span(offset)
        return Sentence(start, end, self.content[start:end])

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset`` (an empty span between sentences)."""
        i = bisect_right(self.sentences, (offset, len(self.content) + 1)) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return self.sentences[i]
        return offset, offset

    def evidence(self, start: int, end: int) -> Evidence:
        while start < end and self.content[start].isspace():  # masked chrome is white space here
            start += 1
        while end > start and self.content[end - 1].isspace():
            end -= 1
        return Evidence(self.text[start:end], start, end)

    def date_in(self, start: int, end: int, anchor: int | None = None) -> DateMention | None:
        """The date of a fact in the sentence ``[start, end)``: the one nearest ``anchor`` (a date
        after the anchor counts a little nearer), else the most precise."""
        inside = [d for d in self.dates if start <= d.start and d.end <= end]
        if not inside:
            return None
        if anchor is not None:
            return min(
                inside, key=lambda d: d.start - anchor if d.start >= anchor else (anchor - d.end) * 1.5
            )
        return max(inside, key=lambda d: (len(d.value), d.end_value is not None))

    def news_day(self) -> DateMention | None:
        """The day the release reports on: its first "today (...)" or "yesterday (...)"."""
        return next((d for d in self.dates if d.news_day), None)

    def place_in(
        self, start: int, end: int, prefer_after: tuple[str, ...] = ()
    ) -> tuple[str | None, str | None]:
        kb = self.kb
        agency_spans = [(m.start, m.end) for m in self.agencies.mentions]
        inside = [
            p
            for p in self.places
            if start <= p.start and p.end <= end and not any(s <= p.start < e for s, e in agency_spans)
        ]
        if prefer_after:
            anchored = [
                p
                for p in inside
                if re.search(
                    rf"\b(?:{'|'.join(prefer_after)})\s+(?:the\s+)?$",
                    self.content[max(0, p.start - 9) : p.start],
                )
            ]
            if not anchored:
                return None, None
            inside = [p for p in inside if p.start >= anchored[0].start]
        for place in inside:
            kind, _, value = place.key.partition(":")
            if kind == "city":
                return value, kb.cities[value].country
            return None, value
        return None, None

    def agencies_in(self, start: int, end: int, with_people: bool = False) -> list[str]:
        keys = [m.key for m in within(self.agencies.mentions, start, end)]
        if with_people:
            for person in self.people.in_span(start, end):
                agency = self.people.officials[person].agency
                if agency:
                    keys.append(agency)
        return [self.agencies.name(k) for k in dict.fromkeys(keys) if k in self.agencies.agencies]

    def agencies_after_cue(self, start: int, end: int, cues: tuple[str, ...]) -> list[str]:
        lowered = self.content[start:end].lower()
        found = []
        for cue in cues:
            for match in re.finditer(rf"\b{re.escape(cue)}\s+(?:the\s+)?", lowered):
                at = start + match.end()
                for mention in self.agencies.mentions:
                    if at <= mention.start <= at + 60 and mention.key in self.agencies.agencies:
                        name = self.agencies.name(mention.key)
                        if name not in found:
                            found.append(name)
                        if self.content[mention.end : mention.end + 5].strip()[:3] not in ("and", ","):
                            break
        return found

    def agencies_before_cue(self, start: int, end: int, cues: tuple[str, ...]) -> list[str]:
        """Agencies named right before a verb: "The C&ED is hosting ..."."""
        pattern = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:" + "|".join(re.escape(c) for c in cues) + r")\b")
        return [
            self.agencies.name(m.key)
            for m in self.agencies.mentions
            if start <= m.start < end
            and m.key in self.agencies.agencies
            and pattern.match(self.content[m.end : end])
        ]

    def agencies_leading(self, start: int, end: int) -> list[str]:
        """Agencies named right before "-led" / "-coordinated" in ``[start, end)``."""
        return [
            self.agencies.name(m.key)
            for m in self.agencies.mentions
            if start <= m.start < end
            and m.key in self.agencies.agencies
            and _leading_re(self.kb).match(self.content[m.end : m.end + _leading_reach(self.kb)])
        ]

    def people_in(self, start: int, end: int) -> list[str]:
        return self.people.in_span(start, end)

    def crimes_in(self, start: int, end: int) -> list[str]:
        return list(dict.fromkeys(m.key for m in within(self.crimes, start, end)))

    def publisher(self) -> list[str]:
        """The agency a release comes from: the first one it names."""
        for mention in self.agencies.mentions:
            if mention.key in self.agencies.agencies:
                return [self.agencies.name(mention.key)]
        return []

    def speaker_agency(self, offset: int) -> str | None:
        """The agency of whoever is quoted at ``offset``: the official named beside the quote."""
        start, end = self.sentence_span(offset)
        if not re.search(r"[\"“”]", self.text[start:end]):
            return None
        nearby = [m for m in self.people.mentions if start <= m.start <= end + 200]
        for mention in sorted(nearby, key=lambda m: abs(m.start - offset)):
            agency = self.people.officials[mention.key].agency
            if agency and agency in self.agencies.agencies:
                return self.agencies.name(agency)
        return None
