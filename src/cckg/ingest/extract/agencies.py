"""Agency mentions: gazetteer names, acronyms defined in the text, compound mentions
("Hong Kong and Korea Customs"), references back ("the Department") and agencies the gazetteer
does not know, recognised by pattern ("Royal Thai Customs", "Customs Department of Cambodia")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from cckg.identity import slug
from cckg.ingest.extract.knowledge import GazetteerAgency, Knowledge, derived
from cckg.ingest.extract.nlp import Mention, alternation, matchers, phrase_regex, spans, within
from cckg.model import Agency, Evidence


@dataclass
class AgencyFinding:
    """The agencies of one release and every mention of them."""

    agencies: dict[str, Agency] = field(default_factory=dict)  # key -> agency, first mention first
    mentions: list[Mention] = field(default_factory=list)

    def name(self, key: str) -> str:
        return self.agencies[key].name

    def add(self, mention: Mention, kb: Knowledge) -> None:
        """Record an agency named indirectly (by a post title) at ``mention``."""
        if mention.key not in self.agencies:
            self.agencies[mention.key] = _new_agency(mention, kb)
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.start)

    def at(self, start: int, end: int) -> list[Mention]:
        return within(self.mentions, start, end)


@derived
def _alias_index(kb: Knowledge) -> dict[str, str]:
    index: dict[str, str] = {}
    for agency in kb.agencies.values():
        for name in (agency.name, *agency.aliases, *agency.acronyms):
            index.setdefault(name.lower(), agency.key)
    return index


@derived
def _compound_re(kb: Knowledge) -> re.Pattern[str]:
    places = sorted({*kb.countries, *kb.demonyms, *kb.regions}, key=len, reverse=True)
    place = "|".join(re.escape(p) for p in places if p[:1].isupper())
    heads = sorted(kb.agency_words.agency_heads, key=len, reverse=True)
    head = "|".join(re.escape(h.title()) for h in heads)
    return re.compile(
        rf"\b(?P<places>(?:{place})(?:\s*,\s*(?:{place}))*\s*,?\s+and\s+(?:the\s+)?(?:{place}))"
        rf"\s+(?P<head>{head})\b"
    )


@derived
def _unknown_re(kb: Knowledge) -> re.Pattern[str]:
    words = kb.agency_words
    # The heads as one trie (a place where none starts fails at once), capitalised.
    head = phrase_regex(tuple(h.title() for h in words.agency_heads), ignore_case=False).pattern
    word = rf"(?!(?:{alternation(words.non_name_words)})\b)[A-Z][\w&'’]*(?:-[A-Za-z][\w'’]*)*\b"
    joins = alternation(words.name_connectors)
    return re.compile(
        rf"\b(?P<name>(?:{word}\s+(?:(?:{joins})\s+)?){{0,5}}?(?:{head}))(?![\w-])"
        rf"(?P<of>\s+(?:of|for)\s+(?:the\s+)?{word}(?:\s+(?:and\s+)?{word}){{0,3}})?(?!\s*[A-Z][a-z])"
    )


@derived
def _head_re(kb: Knowledge) -> re.Pattern[str]:
    heads = {h.split()[-1].title() for h in kb.agency_words.agency_heads}
    return phrase_regex(tuple(sorted(heads)), ignore_case=False)  # one trie of the head words


def _windowed(pattern: re.Pattern[str], text: str, anchor: str, reach: int = 200) -> list[re.Match[str]]:
    """Matches of a costly ``pattern`` searched only in the stretches of text near ``anchor``."""
    windows: list[list[int]] = []
    for hit in re.finditer(anchor, text):
        start, end = max(0, hit.start() - reach), min(len(text), hit.end() + reach)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [match for start, end in windows for match in pattern.finditer(text, start, end)]


@derived
def _led_re(kb: Knowledge) -> re.Pattern[str]:
    """A known name joined to "-led", "-coordinated" ...: "an AFP-led investigation"."""
    return re.compile(rf"\b([A-Z][\w&]{{1,15}})(?=-(?:{alternation(kb.agency_words.led_suffixes)})\b)")


_ACRONYM_DEF = re.compile(r"\(\s*(?P<acr>[A-Z][A-Za-z&/.-]{1,11})\s*\)")


_TOKEN = re.compile(r"\S+")
_RUN_WORD = re.compile(r"[A-Z][\w'’.]*(?:-[A-Za-z][\w'’]*)*")


@derived
def _organisation_words(kb: Knowledge) -> tuple[frozenset[str], frozenset[str]]:
    words = kb.agency_words
    return (
        frozenset(w.lower() for w in words.organisation_words),
        frozenset(w.lower() for w in words.non_organisation_words),
    )


def _spells(letters: str, words: list[str], connectors: frozenset[str]) -> bool:
    """Whether ``letters`` (an acronym) spells ``words`` out: each capitalised word gives its
    initial and maybe a few more of its letters ("NACOB": Narcotics Control Board), a connector
    or a part after a hyphen gives its initial or nothing."""
    parts: list[tuple[str, bool]] = []
    for word in words:
        pieces = word.split("-")
        required = word.lower() not in connectors
        parts.append((pieces[0], required))
        parts.extend((piece, False) for piece in pieces[1:] if piece)
    seen: set[tuple[int, int]] = set()

    def fits(i: int, j: int) -> bool:
        if (i, j) in seen:
            return False
        seen.add((i, j))
        if j == len(parts):
            return i == len(letters)
        word, required = parts[j]
        if not required and fits(i, j + 1):
            return True
        if i >= len(letters) or word[:1].upper() != letters[i]:
            return False
        rest, k = word[1:].upper(), i + 1
        if fits(k, j + 1):
            return True
        for char in rest:  # further letters of the same word, in order
            if k < len(letters) and char == letters[k]:
                k += 1
                if fits(k, j + 1):
                    return True
            if k - i > 3:
                break
        return False

    return fits(0, 0)


def _same_words(name: str, known: GazetteerAgency | None) -> bool:
    """Whether ``name`` is a gazetteer agency's name but for a word or an ending
    ("World Customs Organizations" for the World Customs Organization)."""
    if known is None:
        return False
    words = {w.lower().rstrip("s") for w in re.findall(r"\w+", name)}
    for other in (known.name, *known.aliases):
        theirs = {w.lower().rstrip("s") for w in re.findall(r"\w+", other)}
        if len(words & theirs) * 2 > len(words | theirs):
            return True
    return False


def _spelled_out(text: str, bracket: int, acronym: str, kb: Knowledge) -> tuple[int, str] | None:
    """The name that ``acronym`` spells out right before its bracket at ``bracket``: the shortest
    run of words there whose initials give the acronym and that names an organisation
    ("the Financial Intelligence Centre (FIC)" -> "Financial Intelligence Centre")."""
    letters = "".join(c for c in acronym.upper() if c.isalpha())
    window = max(0, bracket - 160)
    if len(letters) < 2 or not text[window:bracket][-1:].isspace():
        return None
    joins = set(kb.agency_words.acronym_connectors)
    words: list[tuple[int, str]] = []  # capitalised words and connectors, back from the bracket
    for token in reversed(list(_TOKEN.finditer(text, window, bracket))[-12:]):
        if token.group(0) not in joins and not _RUN_WORD.fullmatch(token.group(0)):
            break
        words.insert(0, (token.start(), token.group(0)))
    connectors = frozenset(w.lower() for w in joins)
    for first in range(len(words) - 1, -1, -1):
        start, word = words[first]
        if not word[:1].isupper() or word in kb.agency_words.leading_words:
            continue
        names = [w for _, w in words[first:]]
        if _spells(letters, names, connectors):
            lowered = {w.lower().strip(".") for n in names for w in (n, *n.split("-"))}
            singular = {w[:-1] for w in lowered if w.endswith("s")}  # "Bureaus", "Offices"
            organisation, other = _organisation_words(kb)
            if not (lowered | singular) & organisation or lowered & other:
                return None
            return start, " ".join(names)
    return None


def _compound_part(part: str, head: str, kb: Knowledge) -> str:
    """The agency one part of a compound names: "Korea" + "Customs" -> Korea Customs Service; a
    part the gazetteer does not know becomes an agency of its own ("Guangdong Police")."""
    key = _alias_index(kb).get(f"{part} {head}".lower())
    code = kb.countries.get(part) or kb.demonyms.get(part) or kb.regions.get(part)
    customs = kb.agency_words.customs_head_word
    if key is None and code and head.lower().startswith(customs) and part not in kb.regions:
        key = kb.customs_by_country.get(code)
    return key or slug(f"{part} {head}")


@derived
def _leading_title_re(kb: Knowledge) -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(kb.titles, key=len, reverse=True))
    leading = alternation(kb.agency_words.leading_words)
    return re.compile(rf"^(?:(?:{leading})\s+)?(?:(?:{titles})(?:\s+of(?:\s+the)?)?\s+)?")


def _strip_title(start: int, name: str, kb: Knowledge) -> tuple[int, str]:
    """Drop a leading article or post title: "President of Integrity Authority of Hungary", and
    a possessive place: "Xland's National Customs Agency"."""
    lead = _leading_title_re(kb).match(name)
    cut = lead.end() if lead else 0
    possessive = _POSSESSIVE.match(name, cut)
    if possessive and _place_code(possessive.group(1), kb):
        cut = possessive.end()
    return start + cut, name[cut:]


_POSSESSIVE = re.compile(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s+(?=[A-Z])")


def _place_code(text: str, kb: Knowledge) -> str | None:
    """The country a name names, by a country, region or demonym in it ("Royal Thai Customs")."""
    match = phrase_regex(tuple({*kb.countries, *kb.demonyms, *kb.regions}), ignore_case=False).search(text)
    if match is None:
        return None
    word = match.group(0)
    return kb.countries.get(word) or kb.demonyms.get(word) or kb.regions.get(word)


def _kind_for(name: str, kb: Knowledge) -> str:
    lowered = name.lower()
    for head, kind in sorted(kb.agency_words.agency_heads.items(), key=lambda kv: -len(kv[0])):
        if head in lowered:
            return str(kind)
    return "other"


def find_agencies(doc: Doc, text: str, kb: Knowledge) -> AgencyFinding:
    """Find the agencies of a release in its (chrome-masked) ``text``."""
    found = AgencyFinding()
    built = matchers(kb)
    candidates: list[Mention] = spans(doc, built.agency_names, built.agency_exact)
    taken = [(m.start, m.end) for m in candidates]

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in taken)

    # "Hong Kong and Korea Customs", "Mainland, Hong Kong and Macao Customs"
    compound_anchor = rf"\band\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+(?:{_head_re(kb).pattern})"
    for match in _windowed(_compound_re(kb), text, compound_anchor, reach=120):
        head = match.group("head")
        parts = re.split(r"\s*,\s*|\s+and\s+(?:the\s+)?", match.group("places"))
        keys = [_compound_part(part, head, kb) for part in parts]
        # The compound wins over the single names found inside it ("... and Macao Customs").
        candidates = [m for m in candidates if not (match.start() <= m.start < match.end())]
        taken = [span for span in taken if not (match.start() <= span[0] < match.end())]
        for part, key in zip(parts, keys, strict=True):
            offset = match.start() + match.group(0).find(part)
            candidates.append(Mention(offset, offset + len(part), key, f"{part} {head}", "compound mention"))
        taken.append(match.span())
    candidates.sort(key=lambda m: m.start)

    # Acronyms defined in the text: "Korea Customs Service (KCS)".
    defined: dict[str, str] = {}
    for match in _ACRONYM_DEF.finditer(text):
        acronym = match.group("acr")
        if sum(c.isupper() for c in acronym) < 2:
            continue
        before = [m for m in candidates if 0 <= match.start() - m.end <= 2]
        if before:
            defined[acronym] = before[-1].key
            continue
        spelled = _spelled_out(text, match.start(), acronym, kb)
        inside = [m for m in candidates if match.start() < m.start < match.end()]
        if spelled and inside:
            if _same_words(spelled[1], kb.agencies.get(inside[0].key)):
                defined[acronym] = inside[0].key  # the gazetteer's body, written a little otherwise
                continue
            # The text spells the acronym out as another body than the gazetteer's: that one.
            candidates = [m for m in candidates if m not in inside]
            taken = [span for span in taken if not (match.start() < span[0] < match.end())]
        if spelled and free(spelled[0], spelled[0] + len(spelled[1])):
            begin, name = spelled
            key = slug(name)
            candidates.append(Mention(begin, begin + len(name), key, name, "name before its acronym"))
            taken.append((begin, begin + len(name)))
            defined[acronym] = key
            continue
        unknown = _unknown_re(kb).search(text, max(0, match.start() - 120), match.start())
        while unknown and unknown.end() < match.start() - 2:
            unknown = _unknown_re(kb).search(text, unknown.end(), match.start())
        if unknown and free(*unknown.span()):
            name = unknown.group(0).strip()
            key = slug(name)
            candidates.append(Mention(unknown.start(), unknown.end(), key, name, "name before its acronym"))
            taken.append(unknown.span())
            defined[acronym] = key

    # Agencies the gazetteer does not know, recognised by pattern: a name ending in an agency
    # head noun that names a country ("Royal Thai Customs", "Integrity Authority of Hungary"), or
    # that the release names at least twice ("the Competition Commission").
    for match in _windowed(_unknown_re(kb), text, _head_re(kb).pattern, reach=90):
        start, name = _strip_title(match.start(), match.group(0).strip(), kb)
        end = start + len(name)
        if not name or not free(start, end) or name in kb.countries or len(name.split()) < 2:
            continue
        if set(name.split()) & _post_words(kb):
            continue  # "Hong Kong Commissioner of Customs" is a post, not an agency
        if name.lower() in kb.agency_words.agency_heads:
            # A bare head ("the Customs Service") refers back to the last agency named with it.
            earlier = [m for m in candidates if m.end <= start and _ends_with(m, name, kb)]
            if earlier:
                candidates.append(Mention(start, end, earlier[-1].key, name, "reference back"))
                taken.append((start, end))
            continue
        code = _place_code(name, kb)
        if code is None and text.count(name) < 2:
            continue
        candidates.append(Mention(start, end, slug(name), name, "agency-name pattern"))
        taken.append((start, end))

    # "an AFP-led investigation": a known name joined to "-led" is one token for spaCy.
    for match in _led_re(kb).finditer(text):
        key = _alias_index(kb).get(match.group(1).lower())
        if key and free(*match.span()):
            candidates.append(Mention(match.start(), match.end(), key, match.group(1), "gazetteer name"))
            taken.append(match.span())

    # Later uses of acronyms defined in the text, also where the gazetteer gives the acronym
    # to another agency.
    for acronym, key in defined.items():
        candidates = [
            Mention(m.start, m.end, key, m.text, "acronym defined in the text")
            if m.text == acronym and m.key != key
            else m
            for m in candidates
        ]
        for match in re.finditer(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])", text):
            if free(*match.span()):
                defined_here = "acronym defined in the text"
                candidates.append(Mention(match.start(), match.end(), key, acronym, defined_here))
                taken.append(match.span())
    candidates.sort(key=lambda m: m.start)

    # References back: "the Department" -> the last agency whose name has that noun.
    nouns: dict[str, str] = {str(n).title(): phrase for phrase, n in kb.agency_words.reference_nouns.items()}
    for match in re.finditer(rf"\b[Tt]he ({'|'.join(map(re.escape, nouns))})\b", text):
        if not free(*match.span()):
            continue
        noun = match.group(1).lower()
        for mention in reversed([m for m in candidates if m.end <= match.start()]):
            if any(noun in n.lower().split() for n in _names_of(mention.key, mention.text, kb)):
                candidates.append(
                    Mention(match.start(), match.end(), mention.key, nouns[match.group(1)], "reference back")
                )
                break
    candidates.sort(key=lambda m: m.start)

    # "World Customs Organization Regional Intelligence Liaison Office ...": a body named right
    # before its own unit is part of the unit's name.
    candidates = [
        m
        for i, m in enumerate(candidates)
        if not (
            i + 1 < len(candidates)
            and re.fullmatch(r"(?:['’]s)? ", text[m.end : candidates[i + 1].start])
            and m.key != candidates[i + 1].key
        )
    ]
    candidates = _without_regions(candidates, text, kb)
    for mention in candidates:
        agency = found.agencies.get(mention.key)
        if agency is None:
            agency = _new_agency(mention, kb)
            found.agencies[mention.key] = agency
        surface = " ".join(mention.text.split())
        if surface != agency.name and slug(surface) not in {slug(r[0]) for r in agency.resolutions}:
            quote = text[mention.start : mention.end]
            how = mention.how or _gazetteer_reason(surface, kb.agencies.get(mention.key))
            agency.resolutions.append((surface, how, Evidence(quote, mention.start, mention.end)))
        if surface not in (agency.name, *agency.acronyms, *agency.aliases) and not surface.lower().startswith(
            "the "
        ):
            if surface in defined:
                agency.acronyms.append(surface)
            else:
                agency.aliases.append(surface)
    for acronym, key in defined.items():
        if acronym not in found.agencies[key].acronyms:
            found.agencies[key].acronyms.append(acronym)
    found.mentions = candidates
    return found


@derived
def _region_keys(kb: Knowledge) -> frozenset[str]:
    names = {n.lower() for n in kb.agency_words.also_regions}
    return frozenset(
        key
        for key, a in kb.agencies.items()
        if {n.lower() for n in (a.name, *a.acronyms, *a.aliases)} & names
    )


@derived
def _as_place_re(kb: Knowledge) -> re.Pattern[str]:
    """A region's name used as a place: "into the EU", "within the EU"."""
    return re.compile(rf"\b(?:{alternation(kb.agency_words.region_prepositions)})\s+the\s+$")


@derived
def _as_modifier_re(kb: Knowledge) -> re.Pattern[str]:
    """A region's name used as a modifier: "EU ports", "EU Member States", "the EU's budget"."""
    words = alternation(kb.agency_words.region_non_modifiers)
    return re.compile(rf"(?:['’]s\b|\s+(?!(?:{words})\b)[a-z]|\s+Member\s+States?\b|-)")


def _without_regions(candidates: list[Mention], text: str, kb: Knowledge) -> list[Mention]:
    """Drop a body that also names a region (the European Union) when every mention of it is the
    region: "into the EU", "EU ports", "EU Member States", "the EU's budget"."""
    regions = _region_keys(kb)
    as_region = {m.key for m in candidates if m.key in regions}
    for mention in candidates:
        if mention.key in as_region and not (
            _as_place_re(kb).search(text[max(0, mention.start - 16) : mention.start])
            or _as_modifier_re(kb).match(text, mention.end)
        ):
            as_region.discard(mention.key)
    return [m for m in candidates if m.key not in as_region]


@derived
def _post_words(kb: Knowledge) -> frozenset[str]:
    """Post titles of one word ("Commissioner", "Director"): never inside an agency's name."""
    return frozenset(t for t in kb.titles if " " not in t and "-" not in t and t[:1].isupper())


def _ends_with(mention: Mention, head: str, kb: Knowledge) -> bool:
    lowered = head.lower()
    return any(n.lower().endswith(lowered) for n in _names_of(mention.key, mention.text, kb))


def infer_countries(
    found: AgencyFinding,
    text: str,
    places: list[Mention],
    sentence: Callable[[int], tuple[int, int]],
    kb: Knowledge,
) -> None:
    """A country for each agency the gazetteer does not know and whose name names none: the
    place right after its first mention ("the Anti-Graft Office (AGO) of Xland", "..., Xland"),
    else the first place of its sentence, else the country the release names most."""
    codes = [p.key.partition(":")[2] for p in places if p.key.startswith("country:")]
    counted = Counter(codes)
    main = counted.most_common(1)[0][0] if codes else None
    for key, agency in found.agencies.items():
        if agency.country is not None or agency.kind == "intergovernmental" or key in kb.agencies:
            continue
        first = next((m for m in found.mentions if m.key == key), None)
        if first is None:
            continue
        start, end = sentence(first.start)
        near = [
            p
            for p in places
            if first.end <= p.start <= first.end + 30 and _AFTER_NAME.fullmatch(text[first.end : p.start])
        ]
        inside = [p for p in places if start <= p.start < end]
        for place in (*near[:1], *inside[:1]):
            agency.country = _country_of(place, kb)
            break
        else:
            agency.country = main


_AFTER_NAME = re.compile(r"\s*(?:\([^()]{1,12}\)\s*)?(?:,\s*|\s+(?:of|in)\s+(?:the\s+)?)")


def _country_of(place: Mention, kb: Knowledge) -> str | None:
    kind, _, value = place.key.partition(":")
    return value if kind == "country" else kb.cities[value].country


def _gazetteer_reason(surface: str, known: GazetteerAgency | None) -> str:
    if known is None:
        return "agency-name pattern"
    if surface in known.acronyms:
        return "gazetteer acronym"
    return "gazetteer alias"


def _names_of(key: str, surface: str, kb: Knowledge) -> list[str]:
    known = kb.agencies.get(key)
    if known:
        return [known.name, *known.aliases]
    return [surface]


def _new_agency(mention: Mention, kb: Knowledge) -> Agency:
    known = kb.agencies.get(mention.key)
    if known:
        return Agency(
            name=known.name,
            acronyms=list(known.acronyms),
            aliases=list(known.aliases),
            country=known.country,
            kind=known.kind,
            key=known.key,
            wikidata=known.wikidata,
            confidence=kb.confidence.known_agency,
        )
    name = " ".join(mention.text.split())
    short = re.split(r"\s+of\s+(?:the\s+)?", name, maxsplit=1)[0]  # "X Department of the Y Region"
    aliases = [short] if short != name and len(short.split()) > 1 else []
    return Agency(
        name=name,
        aliases=aliases,
        country=_place_code(name, kb),
        kind=_kind_for(name, kb),
        key=mention.key,
        confidence=kb.confidence.unknown_agency,
    )
