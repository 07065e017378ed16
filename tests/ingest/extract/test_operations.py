"""Named operations (cckg.ingest.extract.operations) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge

from .conftest import facts


def test_an_operation_by_its_cue_word(kb: Knowledge) -> None:
    text = "The RCS launched Operation Sandglass with the FRA on 3 May 2021 against heroin smuggling."
    (operation,) = facts(text, kb).operations
    assert (operation.name, operation.start, operation.confidence) == (
        "Operation Sandglass",
        "2021-05-03",
        kb.confidence.operation,
    )
    assert operation.led_by == ["Ruritania Customs Service"]  # no leader named: its first agency
    assert operation.participants == ["Ruritania Customs Service", "Freedonia Revenue Administration"]
    assert "drug-trafficking" in operation.crime_types


def test_code_names_quotes_and_short_cues(kb: Knowledge) -> None:
    # a code name as written; with its cue word when the text also writes it so
    assert [o.name for o in facts('An operation code-named "Blue Tide 2" ran.', kb).operations] == [
        "Blue Tide 2"
    ]
    assert [o.name for o in facts("A project dubbed Lantern ran. Project Lantern ended.", kb).operations] == [
        "Project Lantern"
    ]
    assert [o.name for o in facts("The FRA ran Op. Nightjar.", kb).operations] == ["Operation Nightjar"]
    assert [o.name for o in facts("The FRA ran Project Heron.", kb).operations] == ["Project Heron"]
    assert facts("The FRA ran an operation called Heron.", kb).operations == []  # "called" is no cue here


def test_leaders_and_later_references(kb: Knowledge) -> None:
    text = (
        "Operation Sandglass was coordinated by the Regional Liaison Office in May 2021. The FRA and the "
        "Freedonia Police Force took part. The operation ended."
    )
    (operation,) = facts(text, kb).operations
    assert operation.led_by == ["Regional Liaison Office"]
    assert operation.participants == ["Freedonia Revenue Administration", "Freedonia Police Force"]
    (operation,) = facts("The RLO-led Operation Sandglass ran with the FRA.", kb).operations
    assert operation.led_by == ["Regional Liaison Office"]


def test_one_operation_named_twice_is_one(kb: Knowledge) -> None:
    text = "Operation Sandglass began on 3 May 2021. The FRA joined Operation Sandglass in June 2021."
    (operation,) = facts(text, kb).operations
    assert (operation.start, len(operation.evidence)) == ("2021-05-03", 2)


def test_an_operation_without_a_name(kb: Knowledge) -> None:
    text = "The RCS mounted a joint operation with the FRA from 3 to 9 May 2021. The operation ended."
    (operation,) = facts(text, kb).operations
    assert (operation.name, operation.start, operation.end) == (None, "2021-05-03", "2021-05-09")
    assert operation.led_by == ["Ruritania Customs Service", "Freedonia Revenue Administration"]
    assert facts("The RCS will mount a joint operation with the FRA.", kb).operations == []  # a pledge
    assert facts("The RCS and the FRA met on joint operations.", kb).operations == []  # no operation run
    named = "The RCS ran a joint operation, Operation Sandglass, with the FRA in May 2021."
    assert [o.name for o in facts(named, kb).operations] == ["Operation Sandglass"]


def test_a_name_cut_off_at_the_end_and_the_short_form_of_an_edition(kb: Knowledge) -> None:
    assert [
        o.name for o in facts("The FRA ran Operation Heron. The chief said Operation He", kb).operations
    ] == ["Operation Heron"]
    text = "Operation Heron was led by the RCS. The FRA joined Operation Heron IV in May 2021."
    (operation,) = facts(text, kb).operations
    assert (operation.name, operation.start) == ("Operation Heron IV", "2021-05")


def test_a_name_ending_in_an_operation_head(kb: Knowledge) -> None:
    text = (
        "Police forces joined the Northern Joint Action Days Baltic Coast (NJAD BC) in May 2021. "
        "The Northern Joint Action Days ended. Joint Action Days will follow."
    )
    (operation,) = facts(text, kb).operations
    assert (operation.name, operation.start) == (
        "Northern Joint Action Days Baltic Coast (NJAD BC)",
        "2021-05",
    )
