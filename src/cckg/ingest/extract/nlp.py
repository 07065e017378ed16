"""spaCy's blank English pipeline with the project's phrase matchers.

No model is loaded (nothing is downloaded): a tokenizer that keeps hyphenated words whole
("Yong-Duk", "drug-related", "co-operation"), a rule-based sentencizer that also starts a sentence
after a line break that follows a heading, and ``PhraseMatcher``s built from the gazetteers and
the SKOS vocabularies.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.attrs import IDX, SENT_START
from spacy.lang.char_classes import HYPHENS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, filter_spans

from cckg.ingest.extract.knowledge import Knowledge, derived


@dataclass(frozen=True)
class Mention:
    """A span of the release text ``[start, end)`` that names something with a ``key``."""

    start: int
    end: int
    key: str
    text: str
    how: str = ""  # for agencies: how the mention was tied to the agency (a name resolution's reason)


def within(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions (sorted by start) that lie inside ``[start, end)``."""
    first = bisect_left(mentions, start, key=lambda m: m.start)
    last = bisect_left(mentions, end, lo=first, key=lambda m: m.start)
    return [m for m in mentions[first:last] if m.end <= end]


def mark_line_breaks(doc: Doc, text: str) -> None:
    """Start a sentence after a line break unless the line before ends mid-sentence.

    Runs before the sentencizer, which keeps boundaries already set."""
    offsets = doc.to_array(IDX).tolist()
    seen = set()
    for newline in re.finditer(r"\n", text):
        i = bisect_right(offsets, newline.start()) - 1
        if i in seen or i <= 0 or i + 1 >= len(doc) or not doc[i].is_space:
            continue
        seen.add(i)
        previous = doc[i - 1]
        if not (previous.is_lower or previous.text in (",", ";", "-", "(")):
            doc[i + 1].is_sent_start = True


def parse(text: str, kb: Knowledge) -> Doc:
    """Tokens and sentences of a release text."""
    nlp = matchers(kb).nlp
    doc = nlp.make_doc(text)
    mark_line_breaks(doc, text)
    return nlp.get_pipe("sentencizer")(doc)


def sentence_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences, without surrounding white space."""
    rows = doc.to_array([SENT_START, IDX]).tolist()
    starts = [idx for flag, idx in rows if flag == 1] or [0]
    found = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            first = start + chunk.index(stripped[0])
            found.append((first, first + len(stripped)))
    return found


def _build_nlp() -> Language:
    nlp = spacy.blank("en")
    hyphen_infix = f"(?:{HYPHENS})"
    infixes = [pattern for pattern in nlp.Defaults.infixes if hyphen_infix not in pattern]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass
class Matchers:
    nlp: Language
    agency_names: PhraseMatcher  # case-insensitive multi-word names and aliases
    agency_exact: PhraseMatcher  # acronyms and one-word names, case-sensitive
    crime: PhraseMatcher
    agreement: PhraseMatcher
    agreement_exact: PhraseMatcher
    title: PhraseMatcher
    place: PhraseMatcher
    event_head: PhraseMatcher
    mechanism: PhraseMatcher


def _add(matcher: PhraseMatcher, nlp: Language, key: str, phrases: list[str]) -> None:
    docs = [nlp.make_doc(p) for p in dict.fromkeys(phrases) if p.strip()]
    if docs:
        matcher.add(key, docs)


@derived
def matchers(kb: Knowledge) -> Matchers:
    """The phrase matchers built from ``kb`` (once per knowledge object)."""
    nlp = _build_nlp()
    vocab = nlp.vocab
    built = Matchers(
        nlp=nlp,
        agency_names=PhraseMatcher(vocab, attr="LOWER"),
        agency_exact=PhraseMatcher(vocab, attr="ORTH"),
        crime=PhraseMatcher(vocab, attr="LOWER"),
        agreement=PhraseMatcher(vocab, attr="LOWER"),
        agreement_exact=PhraseMatcher(vocab, attr="ORTH"),
        title=PhraseMatcher(vocab, attr="ORTH"),
        place=PhraseMatcher(vocab, attr="ORTH"),
        event_head=PhraseMatcher(vocab, attr="LOWER"),
        mechanism=PhraseMatcher(vocab, attr="LOWER"),
    )
    _add_agencies(built, kb)
    for notation, labels in kb.crime_labels.items():
        _add(built.crime, nlp, notation, labels)
    for notation, labels in kb.agreement_labels.items():
        multi = [label for label in labels if " " in label or label.islower()]
        exact = [label for label in labels if label not in multi]
        _add(built.agreement, nlp, notation, multi)
        _add(built.agreement_exact, nlp, notation, exact)
    _add(built.title, nlp, "title", kb.titles)
    for name, code in kb.countries.items():
        _add(built.place, nlp, f"country:{code}", [name])
    for name in kb.cities:
        _add(built.place, nlp, f"city:{name}", [name])
    for head, kind in kb.event_words.event_heads.items():
        _add(built.event_head, nlp, kind, [head])
    _add(built.mechanism, nlp, "mechanism", kb.agreement_words.mechanism_heads)
    return built


def _add_agencies(built: Matchers, kb: Knowledge) -> None:
    for agency in kb.agencies.values():
        names = [agency.name, *agency.aliases]
        multi = [n for n in names if " " in n.strip()]
        exact = [n for n in names if n not in multi] + list(agency.acronyms)
        _add(built.agency_names, built.nlp, agency.key, multi)
        _add(built.agency_exact, built.nlp, agency.key, exact)


@cache
def phrase_regex(phrases: tuple[str, ...], ignore_case: bool = True) -> re.Pattern[str]:
    """One compiled pattern matching any of ``phrases`` as whole words (longest first).  The
    phrases are merged into a trie of characters, so that a place where no phrase starts fails
    at once (the regex engine does not do this for a long alternation)."""
    body = _trie_body([p.lower() if ignore_case else p for p in phrases if p])
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE if ignore_case else 0)


def _trie_body(phrases: list[str]) -> str:
    """A regex body matching exactly ``phrases``, the longer of two that share a start first."""
    trie: dict[str, dict] = {}
    for text in phrases:
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie) or "(?!)"


def has_phrase(text: str, phrases: list[str] | tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``phrases`` as whole words, ignoring case and line breaks."""
    return bool(phrase_regex(tuple(phrases)).search(" ".join(text.split())))


def spans(doc: Doc, *found_by: PhraseMatcher) -> list[Mention]:
    """Longest non-overlapping matches of the given matchers, in text order.  A span that two
    entries name ("counterfeit cigarettes": tobacco smuggling and IPR infringement) keeps both."""
    candidates = []
    for matcher in found_by:
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            span.label_ = doc.vocab.strings[match_id]
            candidates.append(span)
    kept = {(span.start, span.end) for span in filter_spans(candidates)}
    found = {
        (span.start_char, span.end_char, span.label_): span.text
        for span in candidates
        if (span.start, span.end) in kept
    }
    return [Mention(start, end, key, text) for (start, end, key), text in sorted(found.items())]


def phrase(tokens: list) -> str:
    """The text of ``tokens`` with white space folded."""
    return re.sub(r"\s+", " ", "".join(t.text_with_ws for t in tokens)).strip()


def longest(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The longest of overlapping ``(id, start, end)`` matches."""
    kept: list[tuple[int, int, int]] = []
    for match in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
        if not any(match[1] < k[2] and k[1] < match[2] for k in kept):
            kept.append(match)
    return kept


def alternation(words: list[str] | tuple[str, ...], *, spaced: bool = False) -> str:
    """A regex group body matching any of ``words`` literally, longest first; with ``spaced``, any
    white space between the words of a phrase ("more  than")."""
    escaped = (re.escape(w) for w in sorted(dict.fromkeys(words), key=len, reverse=True))
    return "|".join(e.replace(r"\ ", r"\s+") if spaced else e for e in escaped)
