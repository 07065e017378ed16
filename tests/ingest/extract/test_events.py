"""Events (cckg.ingest.extract.events) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge, events
from cckg.model import Event

from .conftest import facts


def test_a_named_event_with_ordinal_series_date_and_place(kb: Knowledge) -> None:
    (event,) = facts("The RCS and the FRA held the 3rd Border Meeting in Zenda on 4 May 2021.", kb).events
    assert (event.kind, event.name, event.ordinal, event.series) == (
        "meeting",
        "3rd Border Meeting",
        3,
        "Border Meeting",
    )
    # a one-day event ends the day it starts
    assert (event.start, event.end, event.city, event.country, event.status) == (
        "2021-05-04", "2021-05-04", "Zenda", "JP", "held",
    )  # fmt: skip
    assert event.participants == ["Ruritania Customs Service", "Freedonia Revenue Administration"]


def test_ordinal_words_in_a_capitalised_name(kb: Knowledge) -> None:
    (event,) = facts("The RCS hosted the Second Border Forum today (November 1).", kb).events
    assert (event.kind, event.ordinal, event.series) == ("forum", 2, "Border Forum")
    (event,) = facts("The RCS attended its first forum on trade today (November 1).", kb).events
    assert event.ordinal is None


def test_the_next_meeting_of_a_series_is_planned(kb: Knowledge) -> None:
    text = (
        "The RCS held the 20th Heads of Customs Meeting in Zenda today (November 1). The 21st meeting "
        "will be held in Singapore next year."
    )
    held, planned = facts(text, kb).events
    assert (held.ordinal, held.status, held.name) == (20, "held", "20th Heads of Customs Meeting")
    assert (planned.ordinal, planned.status, planned.city, planned.start) == (
        21,
        "planned",
        "Singapore",
        "2024",
    )
    assert held.series == "Heads of Customs Meeting"
    text = "The RCS held the 4th Border Forum today (November 1). The next forum will be held in Singapore."
    held, planned = facts(text, kb).events
    assert (planned.name, planned.ordinal, planned.status) == ("Border Forum", 5, "planned")


def test_references_back_are_one_event(kb: Knowledge) -> None:
    text = (
        "The RCS hosted the Trade Forum on Wildlife Crime in Zenda today (November 1). The forum was "
        "attended by the FRA. Ms Ana Kos took part. The Freedonia Police Force led a delegation."
    )
    (event,) = facts(text, kb).events
    assert event.name == "Trade Forum on Wildlife Crime"
    assert event.organizers == ["Ruritania Customs Service"]
    assert event.participants == [
        "Ruritania Customs Service",
        "Freedonia Revenue Administration",
        "Freedonia Police Force",
    ]
    assert len(event.evidence) == 2


def test_a_complement_stops_at_a_month_or_day_name(kb: Knowledge) -> None:
    (event,) = facts("The RCS held the Trade Forum on Monday, 3 May 2021.", kb).events
    assert event.name == "Trade Forum"


def test_exclusions_weak_heads_and_generic_mentions(kb: Knowledge) -> None:
    assert facts("The RCS gave a press conference today (November 1).", kb).events == []
    assert facts("It is a platform for talks with the RCS.", kb).events == []
    assert [e.name for e in facts("The RCS held Border Talks today (November 1).", kb).events] == [
        "Border Talks"
    ]
    assert facts("The meeting was a success for the RCS.", kb).events == []  # generic, not held
    (event,) = facts("The RCS held a meeting with the FRA today (November 1).", kb).events
    assert (event.name, event.start) == ("meeting", "2023-11-01")


def test_planned_events_and_events_after_the_release(kb: Knowledge) -> None:
    (event,) = facts("The RCS will host the Border Forum in Zenda.", kb).events
    assert event.status == "planned"
    (event,) = facts("The RCS held the Border Forum on 3 May 2024.", kb).events
    assert event.status == "planned"  # after the release's date


def test_an_undated_held_event_takes_the_news_day(kb: Knowledge) -> None:
    text = "The RCS held the Border Forum. The FRA signed it yesterday (October 31)."
    (event,) = facts(text, kb).events
    assert (event.start, event.confidence) == ("2023-10-31", kb.confidence.undated_event)


def test_a_multi_day_event_ends_later(kb: Knowledge) -> None:
    (event,) = facts("The RCS held the two-day Border Forum on 3 May 2021.", kb).events
    assert (event.start, event.end) == ("2021-05-03", "2021-05-04")


def test_visits_take_their_place_after_to(kb: Knowledge) -> None:
    (event,) = facts("The RCS paid a study visit to Singapore today (November 1).", kb).events
    assert (event.kind, event.country) == ("visit", "SG")
    (event,) = facts("The RCS held the Border Forum today (November 1), with a trip to Singapore.", kb).events
    assert event.country is None


def test_delegation_heads(kb: Knowledge) -> None:
    text = "The RCS held the Border Forum today (November 1). The FRA delegation was headed by Mr Ivo Kral."
    (event,) = facts(text, kb).events
    assert event.delegation_heads == ["Ivo Kral"]
    assert "Freedonia Revenue Administration" in event.participants


# --- the rules that tell two mentions of one event apart ----------------------------------------


def test_one_name_the_head_or_tail_of_the_other() -> None:
    assert events._one_names_the_other("regional drug forum", "drug forum")
    assert events._one_names_the_other("regional workshop on ipr", "regional workshop")
    assert events._one_names_the_other("forum", "forum")
    assert not events._one_names_the_other("regional drug forum", "forum")  # one word: too vague
    assert not events._one_names_the_other("regional drug forum", "regional forum")
    assert not events._one_names_the_other("drug forums", "drug forum")


def test_same_event_by_kind_ordinal_and_names() -> None:
    forum = Event(kind="forum", name="Regional Drug Forum")
    assert events._same_event(forum, Event(kind="forum", name="Drug Forum"))
    assert not events._same_event(forum, Event(kind="meeting", name="Drug Forum"))
    assert events._same_event(
        Event(kind="forum", name="3rd A", ordinal=3), Event(kind="forum", name="B", ordinal=3)
    )
    assert not events._same_event(
        Event(kind="forum", name="3rd A", ordinal=3), Event(kind="forum", name="3rd A", ordinal=4)
    )
    assert events._same_event(
        Event(kind="forum", name="x", series="Drug Forum"), Event(kind="forum", name="Drug Forum")
    )
    assert not events._same_event(Event(kind="forum", name=None), Event(kind="forum", name=None))


def test_a_mention_refers_to_an_earlier_event_by_its_distinctive_words() -> None:
    earlier = Event(kind="meeting", name="Tripartite Customs Meetings")
    assert events._refers_to(
        Event(kind="meeting", name="the tripartite meeting"), earlier, {"the", "meeting"}
    )
    assert not events._refers_to(Event(kind="forum", name="the tripartite forum"), earlier, {"the", "forum"})
    assert not events._refers_to(
        Event(kind="meeting", name="the bilateral meeting"), earlier, {"the", "meeting"}
    )


def test_ordinals_and_numbers_in_words(kb: Knowledge) -> None:
    rules = events._rules(kb)
    assert [events._ordinal(w, rules) for w in ("34th", "1st", "First", "second", "third", "34", "x")] == [
        34, 1, 1, 2, 3, None, None,
    ]  # fmt: skip
    assert [events._number_word(w) for w in ("3", "three", "twelve", "many")] == [3, 3, 12, None]


def test_a_signing_ceremony_on_its_own_is_an_event(kb: Knowledge) -> None:
    text = (
        "The RCS signed a Memorandum of Understanding with the FRA on 4 May 2021 in Vienna. Mr Ivo Rant "
        "and Ms Lea Dorn represented the two services at the signing ceremony."
    )
    (signing,) = facts(text, kb).events
    assert (signing.kind, signing.name, signing.start, signing.city) == (
        "signing",
        "signing ceremony",
        "2021-05-04",
        "Vienna",
    )
    assert signing.participants == ["Ruritania Customs Service", "Freedonia Revenue Administration"]
    beside_a_meeting = (
        "The RCS and the FRA held a meeting on 4 May 2021. A MoU was signed at a signing ceremony."
    )
    assert [e.kind for e in facts(beside_a_meeting, kb).events] == ["meeting"]
    witnessed = (
        "The RCS signed a MoU with the FRA on 4 May 2021. The signing ceremony was witnessed by guests. "
        "A workshop will be held next year."
    )
    assert [e.kind for e in facts(witnessed, kb).events] == ["workshop"]


def test_a_capitalised_name_runs_over_a_bracketed_acronym(kb: Knowledge) -> None:
    text = "The RCS attended the 18th Regional Heads of Customs (RHC) Conference in Vienna on 4 May 2021."
    (conference,) = facts(text, kb).events
    assert (conference.name, conference.ordinal) == ("18th Regional Heads of Customs (RHC) Conference", 18)


def test_a_meeting_told_by_its_verb(kb: Knowledge) -> None:
    text = "On 4 May 2021 in Vienna, Mr Ivo Rant of the RCS met with Ms Lea Dorn of the FRA."
    (meeting,) = facts(text, kb).events
    assert (meeting.kind, meeting.name, meeting.start, meeting.city) == (
        "meeting",
        None,
        "2021-05-04",
        "Vienna",
    )
    assert set(meeting.participants) == {"Ruritania Customs Service", "Freedonia Revenue Administration"}
    assert facts("The RCS met with reporters.", kb).events == []  # one side only


def test_an_undated_held_event_takes_the_month_of_the_release() -> None:
    from cckg.ingest.extract import extract
    from cckg.ingest.read import parse_release

    text = "Korea Customs Service held the 5th Border Forum with Japan Customs.\n\nEnds/2023-11-01\n"
    (forum,) = extract(parse_release(text, "t", "t.txt")).events
    assert (forum.start, forum.end) == ("2023-11", None)


def test_a_lower_case_event_keeps_a_short_subject(kb: Knowledge) -> None:
    text = "The RCS and the FRA held a workshop on risk profiling in Zenda on 4 May 2021."
    (workshop,) = facts(text, kb).events
    assert (workshop.name, workshop.start, workshop.city) == (
        "workshop on risk profiling",
        "2021-05-04",
        "Zenda",
    )


def test_a_mention_named_by_an_acronym_refers_back(kb: Knowledge) -> None:
    text = (
        "The RCS and the FRA held the 3rd Border Meeting in Zenda on 4 May 2021. The RCS meeting "
        "agreed on new checks."
    )
    assert [e.name for e in facts(text, kb).events] == ["3rd Border Meeting"]
