"""Officials: named people with an honorific or a post title, the post they hold and its agency.

Handles titles before or after the name ("The Commissioner of Customs and Excise, Ms Louise Ho";
"Mr Timothy Tong, Commissioner of ..."; "KCS Commissioner Mr Ko"), and later short references
("Commissioner Tong", "Mr Tong", "Ms Ho") resolved to the full person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from cckg.ingest.extract.agencies import AgencyFinding
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import Mention, alternation, matchers, phrase_regex, spans, within
from cckg.model import Official

_WORD = r"[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"


@derived
def _name_re(kb: Knowledge) -> str:
    """A personal name: capitalised words, particles before a capitalised word ("bin"), and a
    short lower-case last word before punctuation ("Ko Kwang hyo,")."""
    particle = f"(?:{alternation(kb.people_words.name_particles)})"
    short = alternation(kb.people_words.name_abbreviations)
    initial = rf"(?:[A-Z]\.|{short})(?=\s+[A-Z])"  # "Juvymax R. Uy", "Ahmad bin Hj. Maslan"
    return (
        rf"{_WORD}(?:\s+(?:{initial}|{_WORD}|{particle}(?=\s+[A-Z])))*"
        rf"(?:\s+[a-z]{{2,4}}(?=\s*[,.;)]))?"
    )


@derived
def _name_stops(kb: Knowledge) -> frozenset[str]:
    return frozenset(w.lower() for w in kb.people_words.name_stops)


@dataclass
class PeopleFinding:
    officials: dict[str, Official] = field(default_factory=dict)  # full name -> official
    mentions: list[Mention] = field(default_factory=list)  # key = full name

    def in_span(self, start: int, end: int) -> list[str]:
        return list(dict.fromkeys(m.key for m in within(self.mentions, start, end)))


@derived
def _honorific_re(kb: Knowledge) -> re.Pattern[str]:
    honorifics = sorted(kb.honorifics, key=len, reverse=True)
    alternatives = "|".join(re.escape(h.rstrip(".")) + r"\.?" for h in honorifics)
    # Honorifics may come in a row: "H.E. Mr. Tomas Vale", "Datuk Hj. Ahmad bin Ali".
    return re.compile(
        rf"(?<![\w.])(?P<hon>(?:{alternatives})(?:\s+(?:{alternatives}))*)\s+(?P<name>{_name_re(kb)})"
    )


@derived
def _honorific_words(kb: Knowledge) -> frozenset[str]:
    return frozenset(h.rstrip(".").lower() for h in kb.honorifics)


def _clean_name(name: str, stops: list[tuple[int, int]], offset: int, kb: Knowledge) -> str:
    """Cut a name where a title or an agency mention begins inside it."""
    cut = len(name)
    for start, _ in stops:
        if offset < start < offset + cut:
            cut = start - offset
    words = name[:cut].split()
    while words and words[-1].lower() in _name_stops(kb):
        words.pop()
    return " ".join(words)


_TITLE_WORD = r"(?:&|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w&'’/-]*)"


@derived
def _title_tail(kb: Knowledge) -> re.Pattern[str]:
    """The "of ..." tail of a post title: "of the Korea Customs Service"."""
    joins = alternation(kb.people_words.title_connectors)
    starts = alternation(kb.people_words.title_tail_starts)
    return re.compile(rf"\s+(?:{starts})\s+(?:the\s+)?{_TITLE_WORD}(?:\s+(?:{_TITLE_WORD}|{joins}))*")


@derived
def _title_tail_end(kb: Knowledge) -> re.Pattern[str]:
    return re.compile(rf"\s(?:{alternation(kb.people_words.title_connectors)})$")


_TITLE_NOTE = re.compile(r"\s*\([A-Z][^()]{1,40}\)")


@dataclass
class _Title:
    start: int
    end: int  # end of the title including an "of ..." tail
    text: str
    agency: str | None
    head: str = ""  # the title without an "of <agency>" tail


def _titles(doc: Doc, text: str, agencies: AgencyFinding, kb: Knowledge) -> list[_Title]:
    """Post titles with their "of <agency>" tail: "Commissioner of Korea Customs Service"."""
    found = []
    for mention in spans(doc, matchers(kb).title):
        end = mention.end
        tail = _title_tail(kb).match(text, end)
        if tail:
            end = tail.end()
            honorific = _honorific_re(kb).search(text, mention.end, end)
            if honorific:  # "... Department and Mr Ma Io-kun": the tail ends before the next person
                end = mention.end + len(re.sub(r"(?:\s+and)?\s*$", "", text[mention.end : honorific.start()]))
            while _title_tail_end(kb).search(text[mention.start : end]):
                end = text.rfind(" ", 0, end)
            end = _tail_before_name(text, mention.end, end, agencies, kb)
        note = _TITLE_NOTE.match(text, end)
        if note and not re.fullmatch(r"\([A-Z&/.-]+\)", note.group(0).strip()):
            end = note.end()
        title_text = " ".join(text[mention.start : end].split())
        inside = agencies.at(mention.start, end)
        agency = inside[-1].key if inside else _agency_by_post(title_text, agencies, kb)
        if agency is not None and agency not in agencies.agencies:
            agencies.add(Mention(mention.start, end, agency, title_text, "post title"), kb)
        head = title_text.split(" of ")[0] if agency is not None else title_text
        found.append(_Title(mention.start, end, title_text, agency, " ".join(head.split())))
    return found


def _tail_before_name(text: str, start: int, end: int, agencies: AgencyFinding, kb: Knowledge) -> int:
    """Where a title's tail ends when a name follows the agency in it: "Commissioner of the Xland
    Revenue Service Jan Rook" ends after "Service"."""
    inside = agencies.at(start, end)
    if not inside:
        return end
    rest = text[inside[-1].end : end]
    words = rest.split()
    organisation = {w.lower() for w in kb.agency_words.organisation_words} | set(kb.agency_words.agency_heads)
    if re.fullmatch(rf"\s+{_WORD}(?:\s+{_WORD}){{1,3}}", rest) and not organisation & {
        w.lower() for w in words
    }:
        return inside[-1].end
    return end


@derived
def _locator_re(kb: Knowledge) -> re.Pattern[str]:
    """What may stand between a title and the name after it: the agency's acronym and its
    country ("Chief of the Anti-Graft Office (AGO) of Xland Jan Rook")."""
    countries = alternation(sorted(kb.countries, key=len, reverse=True))
    return re.compile(
        rf"(?:\s*\([A-Z][\w&/.-]{{1,11}}\))?(?:\s+of\s+(?:the\s+)?(?:{countries}))?(?=\s+[A-Z])"
    )


def _is_locator(text: str, start: int, end: int, kb: Knowledge) -> bool:
    """Whether ``text[start:end]`` is an acronym and country between a title and a name."""
    if not 0 < end - start <= 80:
        return False
    locator = _locator_re(kb).match(text, start)
    return bool(locator and locator.end() > start and not text[locator.end() : end].strip())


@derived
def _posts(kb: Knowledge) -> list[tuple[str, str]]:
    """(post title in lower case, agency key) for every gazetteer agency that lists its posts."""
    return [(post.lower(), key) for key, agency in kb.agencies.items() for post in agency.posts]


def _agency_by_post(title: str, agencies: AgencyFinding, kb: Knowledge) -> str | None:
    """An agency the title names by its post ("Commissioner of Customs and Excise"): a post of an
    agency in the release, else an agency name the "of ..." tail begins, else any gazetteer post."""
    lowered = title.lower()
    posts = [key for post, key in _posts(kb) if lowered.startswith(post)]
    mentioned = [key for key in posts if key in agencies.agencies]
    if mentioned:
        return str(mentioned[0])
    match = re.search(r"\bof\s+(?:the\s+)?(.+)$", title)
    if match and " " in match.group(1).strip():
        tail = match.group(1).lower()
        for key, agency in agencies.agencies.items():
            if any(n.lower().startswith(tail) for n in (agency.name, *agency.aliases)):
                return key
    return str(posts[0]) if len(posts) == 1 else None


def find_people(
    doc: Doc, text: str, sentences: list[tuple[int, int]], agencies: AgencyFinding, kb: Knowledge
) -> PeopleFinding:
    found = PeopleFinding()
    titles = _titles(doc, text, agencies, kb)
    stops = [(t.start, t.end) for t in titles] + [(m.start, m.end) for m in agencies.mentions]
    raw: list[tuple[int, int, str, str | None]] = []  # start, end, name, honorific
    for match in _honorific_re(kb).finditer(text):
        name = _clean_name(match.group("name"), stops, match.start("name"), kb)
        if name:
            start = match.start("name")
            honorific = re.sub(r"(?<=[a-z])\.", "", " ".join(match.group("hon").split()))
            raw.append((match.start(), start + len(name), name, honorific))
    # Title right before a name with no honorific: "Secretary General Kunio Mikuriya", "Commissioner Tong",
    # "the Commissioner Against Corruption, Chan Tsz King,".
    for title in titles:
        locator = _locator_re(kb).match(text, title.end)
        after_at = locator.end() if locator else title.end  # past "(AGO) of Xland"
        after = re.match(rf"\s+({_name_re(kb)})", text[after_at:])
        if after is None:
            after_at = title.end
            after = re.match(rf",\s+({_WORD}(?:\s+{_WORD}){{1,3}})(?=\s*[,.(])", text[after_at:])
        if after and after.group(1).split()[0].rstrip(".").lower() in _honorific_words(kb):
            continue  # "the Commissioner, Mr Woo": found by its honorific
        if after and not any(s <= after_at + 1 <= e for s, e, _, _ in raw):
            name = _clean_name(after.group(1), stops, after_at + after.start(1), kb)
            if name and not agencies.at(after_at, after_at + after.end()):
                start = after_at + after.start(1)
                raw.append((start, start + len(name), name, None))
    # A post in lower case right before a name: "investigations manager Jan Rook said".
    for match in _lower_title_re(kb).finditer(text):
        start = match.start("name")
        if any(s <= start < e for s, e, _, _ in raw) or any(t.start <= match.start() < t.end for t in titles):
            continue
        name = _clean_name(match.group("name"), stops, start, kb)
        if len(name.split()) >= 2 and not agencies.at(start, start + len(name)):
            title_text = " ".join(match.group("title").split())
            titles.append(_Title(match.start("title"), match.end("title"), title_text, None, title_text))
            raw.append((start, start + len(name), name, None))
    # A name, then its title after a comma: "Ana Roe, deputy head of the Harbour Division",
    # "Jan Rook, NCA Branch Commander said".
    taken = [(s, e) for s, e, _, _ in raw]
    for start, found_name, title_start, title_end in _names_then_titles(text, kb):
        end = start + len(found_name)
        if any(s <= start < e for s, e in taken) and not any(t.start <= title_start < t.end for t in titles):
            # "Ms Ana Roe, RCS Regional Representative for ...": found by the honorific; the title
            # after it is kept whole.
            title_text = " ".join(text[title_start:title_end].split())
            inside = agencies.at(title_start, title_end)
            agency = inside[-1].key if inside else None
            titles.append(_Title(title_start, title_end, title_text, agency, title_text.split(" of ")[0]))
            continue
        if any(s <= start < e for s, e in taken) or any(
            m.start < end and start < m.end for m in agencies.mentions
        ):
            continue
        name = _clean_name(found_name, stops, start, kb)
        words = name.split()
        if len(words) < 2 or name in kb.countries or name in kb.cities or words[0] in _honorific_words(kb):
            continue
        if words[0] in kb.people_words.non_name_words:  # "In July, Commissioner ..."
            continue
        if any(t.start <= start < t.end for t in titles):
            continue
        title_text = " ".join(text[title_start:title_end].split())
        inside = agencies.at(title_start, title_end)
        agency = inside[-1].key if inside else None
        head = title_text.split(" of ")[0] if agency is not None else title_text
        if not any(t.start == title_start for t in titles):
            titles.append(_Title(title_start, title_end, title_text, agency, head))
        raw.append((start, start + len(name), name, None))
        taken.append((start, start + len(name)))
    raw.sort()

    def sentence_of(offset: int) -> tuple[int, int]:
        return next(((s, e) for s, e in sentences if s <= offset < e), (offset, offset))

    def title_for(start: int, end: int) -> _Title | None:
        before = [
            t
            for t in titles
            if (0 <= start - t.end <= 3 and "\n" not in text[t.end : start])
            or _gap_is_acronym(text[t.end : start])
            or _is_locator(text, t.end, start, kb)
        ]
        after = [
            t
            for t in titles
            if 0 <= t.start - end <= 6 and text[end : t.start].strip(" ,").lower() in ("", "the")
        ]
        if (
            before
            and after
            and len(after[0].text) > len(before[-1].text)
            and not _honorific_re(kb).match(text[after[0].end : after[0].end + 30].lstrip(" ,;"))
        ):
            return after[0]  # "Minister Amr Adel, Chairman of ...": the title written out after the name
        if before:
            return before[-1]
        return after[0] if after else None

    for start, end, name, honorific in raw:
        name = re.sub(r"['’]s$", "", name)
        tokens = name.split()
        full = _resolve_short(tokens, found)
        if full is None and len(tokens) == 1:
            if honorific is None:
                continue  # "Commissioner Tong" with no earlier full name: too weak
            full = name
        key = full or name
        official = found.officials.get(key)
        if official is None:
            official = Official(name=key, honorific=honorific, confidence=kb.confidence.official)
            found.officials[key] = official
        elif honorific and not official.honorific:
            official.honorific = honorific
        title = title_for(start, end)
        if title and (official.title is None or len(title.text) > len(official.title)):
            official.title = title.text
            official.post = title.head
            if title.agency:
                official.agency = title.agency
        if title is None and start > 0:
            # "KCS Commissioner Mr Ko": the agency right before an honorific.
            near = [m for m in agencies.mentions if 0 <= start - m.end <= 16]
            if near and official.agency is None:
                official.agency = near[-1].key
        found.mentions.append(Mention(start, end, key, text[start:end]))
    # Agency still unknown: "of the X" after the name, else the nearest agency in the sentence.
    for mention in found.mentions:
        official = found.officials[mention.key]
        if official.agency is not None:
            continue
        s, e = sentence_of(mention.start)
        of = re.match(r"\s*(?:,\s*)?of\s+(?:the\s+)?", text[mention.end : e])
        candidates = agencies.at(s, e)
        if of:
            after = [m for m in candidates if m.start == mention.end + of.end()]
            if after:
                official.agency = after[0].key
                continue
        if candidates:
            official.agency = min(candidates, key=lambda m: abs(m.start - mention.start)).key
        elif agencies.mentions:  # nobody else named nearby: the agency the release comes from
            official.agency = agencies.mentions[0].key
    return found


@derived
def _title_after_comma_re(kb: Knowledge) -> re.Pattern[str]:
    """A clause that holds a post title within its first words, in any case ("acting deputy
    commissioner of ...", "NCA Branch Commander"), up to where the clause ends."""
    titles = alternation([t for t in kb.titles if t[:1].isupper()], spaced=True)
    clause = r"(?:[^,;:\"“”()\n.]|(?<=\b[A-Z])\.)"  # a dot only after an initial ("U.S.")
    stops = alternation(kb.people_words.title_stops)
    starts = alternation(kb.people_words.title_non_starters)
    modifiers = alternation(kb.people_words.title_modifiers)
    return re.compile(
        rf"(?!(?:{starts})\s)(?:(?:[A-Z][\w&/’'.-]*|{modifiers})\s+){{0,3}}?(?i:{titles})\b"
        rf"(?:(?!\s(?:{stops})\b){clause}){{0,90}}?"
        rf"(?=\s*(?:[,;:\"“”()\n]|\.(?!\w)|\s(?:{stops})\b|$))"
    )


@derived
def _lower_title_re(kb: Knowledge) -> re.Pattern[str]:
    """A post title written in lower case, with a "to"/"of"/"for" place, right before a name."""
    titles = phrase_regex(tuple({t.lower() for t in kb.titles if t[:1].isupper()}), ignore_case=False)
    starts = alternation(kb.people_words.title_tail_starts)
    return re.compile(  # the titles as one trie: a place where none starts fails at once
        rf"(?P<title>{titles.pattern}(?:\s+(?:{starts})\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?),?"
        rf"\s+(?P<name>{_name_re(kb)})"
    )


@derived
def _name_before_comma_re(kb: Knowledge) -> re.Pattern[str]:
    """A personal name at the start of a clause, searched in a stretch that ends at a comma."""
    return re.compile(
        rf"(?:^|(?<=[\n“\"(—–:;])|(?<=[.,”’\"]\s)|(?<=[a-z]\s))\s*(?P<name>{_name_re(kb)})$", re.MULTILINE
    )


_COMMA = re.compile(r"(?<=[\w.’']),\s+")


def _names_then_titles(text: str, kb: Knowledge) -> list[tuple[int, str, int, int]]:
    """(name start, name, title start, title end) of each "Jan Rook, <title>" in ``text``."""
    found = []
    for comma in _COMMA.finditer(text):
        title = _title_after_comma_re(kb).match(text, comma.end())
        if title is None:
            continue
        name = _name_before_comma_re(kb).search(text, max(0, comma.start() - 80), comma.start())
        if name is not None:
            found.append((name.start("name"), name.group("name"), title.start(), title.end()))
    return found


def _gap_is_acronym(gap: str) -> bool:
    return bool(re.fullmatch(r"\s*\([A-Z][A-Za-z&/.-]{1,11}\)\s*,?\s*", gap)) or gap.strip() == ","


def _resolve_short(tokens: list[str], found: PeopleFinding) -> str | None:
    """A known full name that a shorter reference ("Mr Lau", "Dato' Sri Mohd Rizal") points to."""
    wanted = set(tokens)
    matches = [
        name
        for name in found.officials
        if len(name.split()) > len(tokens) and wanted <= set(name.replace("-", " - ").split())
    ]
    return matches[-1] if matches else None
