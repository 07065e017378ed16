"""Tokens, sentences and phrase matchers (cckg.ingest.extract.nlp) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge
from cckg.ingest.extract.nlp import (
    Mention,
    alternation,
    has_phrase,
    longest,
    matchers,
    parse,
    phrase,
    phrase_regex,
    sentence_spans,
    spans,
    within,
)


def test_hyphenated_words_stay_whole(kb: Knowledge) -> None:
    doc = parse("Drug-related co-operation with Mr Yong-Duk.", kb)
    assert [t.text for t in doc] == ["Drug-related", "co-operation", "with", "Mr", "Yong-Duk", "."]


def test_a_line_break_after_a_heading_starts_a_sentence(kb: Knowledge) -> None:
    text = "RCS and FRA Talks\nThe two met today. They agreed,\nand then\nleft."
    doc = parse(text, kb)
    assert [text[s:e] for s, e in sentence_spans(doc, text)] == [
        "RCS and FRA Talks",
        "The two met today.",
        "They agreed,\nand then\nleft.",
    ]


def test_matchers_come_from_the_knowledge(kb: Knowledge) -> None:
    built = matchers(kb)
    assert matchers(kb) is built  # built once for a knowledge object
    doc = parse("The ruritania customs service and the RCS met in Zenda, Korea, about heroin.", kb)
    agencies = spans(doc, built.agency_names, built.agency_exact)
    assert [(m.key, m.text) for m in agencies] == [("xr-rcs", "ruritania customs service"), ("xr-rcs", "RCS")]
    assert [m.key for m in spans(doc, built.place)] == ["city:Zenda", "country:KR"]
    assert [m.key for m in spans(doc, built.crime)] == ["drug-trafficking"]
    doc = parse("rcs met", kb)
    assert spans(doc, built.agency_names, built.agency_exact) == []  # acronyms keep their case


def test_overlapping_matches_keep_the_longest_and_both_names_of_one_span(kb: Knowledge) -> None:
    built = matchers(kb)
    doc = parse("They seized counterfeit cigarettes.", kb)
    assert sorted(m.key for m in spans(doc, built.crime)) == ["ipr-infringement", "tobacco-smuggling"]
    assert longest([(1, 0, 2), (2, 1, 4), (3, 4, 5)]) == [(2, 1, 4), (3, 4, 5)]


def test_phrases_within_and_alternation(kb: Knowledge) -> None:
    assert has_phrase("They were  LED\nBY the FRA", ["led by"])
    assert not has_phrase("They misled by far", ["led by"])
    assert not has_phrase("co-led by", ["led by"])
    mentions = [Mention(0, 3, "a", "RCS"), Mention(5, 8, "b", "FRA"), Mention(7, 12, "c", "x")]
    assert within(mentions, 0, 8) == mentions[:2]
    assert within(mentions, 4, 20) == mentions[1:]
    assert phrase(list(parse("a  \n b", kb))) == "a b"
    assert alternation(["ab", "a.c", "ab"]) == r"a\.c|ab"
    assert alternation(["more than"], spaced=True) == r"more\s+than"


def test_a_phrase_pattern_takes_the_longest_phrase_as_whole_words_in_any_case() -> None:
    pattern = phrase_regex(("work with", "work closely with", "work", "worked with"))
    text = "They Work Closely With us, worked with them, work-sharing and working with."
    assert [m.group(0) for m in pattern.finditer(text)] == ["Work Closely With", "worked with"]
    assert [m.group(0) for m in phrase_regex(("Tax",), ignore_case=False).finditer("tax Tax")] == ["Tax"]
    assert phrase_regex(()).search("anything") is None
