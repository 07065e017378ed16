"""What the fact finders share (cckg.ingest.extract.context), on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge, read_context
from cckg.ingest.read import parse_release

from .conftest import context

RCS, FRA, FPF = "Ruritania Customs Service", "Freedonia Revenue Administration", "Freedonia Police Force"


def test_sentences_and_evidence(kb: Knowledge) -> None:
    text = "The RCS met the FRA.  The FPF left.\n\nEnds/2023-11-01\n"
    _, ctx = context(text.split("\n\nEnds")[0], kb)
    first, second = ctx.sentences[:2]
    assert (
        ctx.content[slice(*first)] == "The RCS met the FRA."
        and ctx.content[slice(*second)] == "The FPF left."
    )
    assert ctx.sentence_span(4) == first and ctx.sentence_span(first[1] + 1) == (first[1] + 1, first[1] + 1)
    assert ctx.sentence(25).text == "The FPF left."
    evidence = ctx.evidence(first[1], second[1])
    assert (evidence.quote, evidence.start) == ("The FPF left.", second[0])
    assert ctx.sentences_with(["fpf left"]) == [second]


def test_masked_chrome_is_never_evidence(kb: Knowledge) -> None:
    release = parse_release("Home\nThe RCS met the FRA.\n\nEnds/2023-11-01\n", "t", "t.txt")
    _, ctx = read_context(release, kb)
    assert ctx.masked(0) and not ctx.masked(5)
    assert ctx.evidence(0, 12).quote == "The RCS"


def test_the_date_nearest_an_anchor_else_the_most_precise(kb: Knowledge) -> None:
    text = "In May 2021 the RCS met the FRA, and on 3 June 2021 the FPF."
    _, ctx = context(text, kb)
    start, end = ctx.sentences[0]
    assert ctx.date_in(start, end).value == "2021-06-03"
    assert ctx.date_in(start, end, anchor=text.index("met")).value == "2021-05"
    assert ctx.date_in(start, end, anchor=text.index("and on")).value == "2021-06-03"
    assert ctx.date_in(start, start + 2) is None


def test_places_after_a_cue_and_not_inside_agency_names(kb: Knowledge) -> None:
    _, ctx = context("The Ruritania Customs Service met in Singapore, near Zenda.", kb)
    start, end = ctx.sentences[0]
    assert ctx.place_in(start, end) == ("Singapore", "SG")
    assert ctx.place_in(start, end, prefer_after=("near",)) == ("Zenda", "JP")
    assert ctx.place_in(start, end, prefer_after=("beyond",)) == (None, None)
    _, ctx = context("The Ruritania Customs Service met.", kb)
    assert ctx.place_in(*ctx.sentences[0]) == (None, None)  # "Ruritania" names the agency here
    _, ctx = context("The RCS met the Korea team.", kb)
    assert ctx.place_in(*ctx.sentences[0]) == (None, "KR")


def test_agencies_by_cue_lead_and_speaker(kb: Knowledge) -> None:
    text = (
        "The forum, hosted by the RCS and the FRA, was opened. The FPF is hosting it; the RLO-led team met."
    )
    _, ctx = context(text, kb)
    first, second = ctx.sentences[:2]
    assert ctx.agencies_after_cue(*first, ("hosted by",)) == [RCS, FRA]
    assert ctx.agencies_before_cue(*second, ("is hosting",)) == [FPF]
    assert ctx.agencies_leading(*second) == ["Regional Liaison Office"]
    assert ctx.publisher() == [RCS]
    text = 'Ms Ana Kos of the FRA met the RCS. "We did well," said Ms Kos.'
    _, ctx = context(text, kb)
    assert ctx.speaker_agency(text.index("We")) == FRA
    _, ctx = context("Ms Ana Kos of the FRA met the RCS. We did well, said Ms Kos.", kb)
    assert ctx.speaker_agency(40) is None  # no quote


def test_agencies_of_the_people_in_a_span(kb: Knowledge) -> None:
    text = "Mr Ivo Kral of the FPF met. Mr Kral spoke."
    _, ctx = context(text, kb)
    second = ctx.sentences[1]
    assert ctx.agencies_in(*second) == []
    assert ctx.agencies_in(*second, with_people=True) == [FPF]
    assert ctx.people_in(*second) == ["Ivo Kral"]


def test_crimes_in_a_span(kb: Knowledge) -> None:
    _, ctx = context("The RCS fights heroin smuggling and the smuggling of endangered species.", kb)
    assert ctx.crimes_in(0, 200) == ["drug-trafficking", "wildlife-trafficking"]


def test_the_speaker_is_the_official_nearest_the_quote(kb: Knowledge) -> None:
    text = 'Mr Ivo Kral of the FPF met the team of Ms Ana Kos of the FRA. "We did well," said Ms Kos, '
    text += '"and more."'
    _, ctx = context(text, kb)
    assert ctx.speaker_agency(text.index("We did")) == FRA
    assert ctx.speaker_agency(text.index("and more")) == FRA
    text = '"We did well," said a spokesman. Mr Ivo Kral of the FPF left.'
    _, ctx = context(text, kb)
    assert ctx.speaker_agency(1) == FPF  # named within 200 characters after the quote
    text = (
        '"We did well," said a spokesman of the RCS.' + " It was long." * 30 + " Mr Ivo Kral of the FPF left."
    )
    _, ctx = context(text, kb)
    assert ctx.speaker_agency(1) is None  # too far
