"""Agreements (cckg.ingest.extract.agreements) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge, agreements
from cckg.model import Agreement

from .conftest import facts
from .conftest import small_knowledge as _kb


def test_a_signed_agreement_with_its_name_date_parties_and_signatories(kb: Knowledge) -> None:
    text = (
        "Ms Ana Kos of the RCS and Mr Ivo Kral of the FRA signed a Memorandum of Understanding on "
        "Customs Cooperation with each other in Zenda today (November 1)."
    )
    (mou,) = facts(text, kb).agreements
    assert (mou.kind, mou.name, mou.date) == (
        "mou",
        "Memorandum of Understanding on Customs Cooperation",
        "2023-11-01",
    )
    assert mou.parties == ["Ruritania Customs Service", "Freedonia Revenue Administration"]
    assert mou.signatories == ["Ana Kos", "Ivo Kral"]
    assert mou.confidence == kb.confidence.labelled_agreement


def test_later_mentions_are_the_same_agreement(kb: Knowledge) -> None:
    text = (
        "The RCS signed a Memorandum of Understanding with the FRA today (November 1). The MoU covers "
        "heroin smuggling. The aforementioned memorandum of understanding was welcomed by the Freedonia "
        "Police Force."
    )
    (mou,) = facts(text, kb).agreements
    assert len(mou.evidence) == 3
    assert mou.parties == [
        "Ruritania Customs Service",
        "Freedonia Revenue Administration",
        "Freedonia Police Force",
    ]


def test_an_agreement_only_talked_about_is_not_made(kb: Knowledge) -> None:
    assert facts("The RCS and the FRA are negotiating a Memorandum of Understanding.", kb).agreements == []


def test_mechanisms_set_up_on_their_own(kb: Knowledge) -> None:
    text = "Today (November 1), the RCS and the FRA agreed to set up a direct hotline between their units."
    (hotline,) = facts(text, kb).agreements
    assert (hotline.kind, hotline.name) == ("other", "direct hotline between their units")
    assert hotline.confidence == kb.confidence.set_up_mechanism
    text = "The RCS and the FRA will set up contact points to share alerts."
    (points,) = facts(text, kb).agreements
    assert points.name == "contact points to share alerts"
    assert facts("The RCS has a hotline.", kb).agreements == []  # not set up here


def test_a_mechanism_under_an_agreement_belongs_to_it(kb: Knowledge) -> None:
    text = (
        "The RCS and the FRA signed a Memorandum of Understanding today (November 1). Under the "
        "memorandum, they will set up a working group."
    )
    (mou,) = facts(text, kb).agreements
    assert mou.kind == "mou"


def test_an_agreement_named_across_its_acronym_is_one(kb: Knowledge) -> None:
    text = "The RCS and the FRA signed a Mutual Recognition Arrangement (MRA) Action Plan today (November 1)."
    (plan,) = facts(text, kb).agreements
    assert (plan.kind, plan.name) == ("cooperation-plan", "Mutual Recognition Arrangement (MRA) Action Plan")


def test_parties_of_the_main_event_and_the_date_of_its_end(kb: Knowledge) -> None:
    text = (
        "The RCS and the FRA held the Border Forum from May 3 to 5, 2021. A Memorandum of Understanding "
        "was signed."
    )
    (mou,) = facts(text, kb).agreements
    assert mou.date == "2021-05-05"
    assert mou.parties == ["Ruritania Customs Service", "Freedonia Revenue Administration"]


# --- the rules for an agreement's name -----------------------------------------------------------


def names(text: str, kb: Knowledge) -> list[str]:
    return [a.name for a in facts(text, kb).agreements]


def test_names_run_over_a_short_bracket_and_stop_at_punctuation_or_a_verb(kb: Knowledge) -> None:
    assert names(
        "The RCS signed a Memorandum of Understanding (MoU) on Border Control with the FRA.", kb
    ) == ["Memorandum of Understanding (MoU) on Border Control"]  # the acronym is part of the name
    assert names("The RCS signed a Memorandum of Understanding on Border Control, the first.", kb) == [
        "Memorandum of Understanding on Border Control"
    ]
    assert names("The RCS signed a Memorandum of Understanding on trade signed by both.", kb) == [
        "Memorandum of Understanding on trade"
    ]
    assert names("The RCS signed a Memorandum of Understanding on enhancing trade.", kb) == [
        "Memorandum of Understanding"
    ]
    assert names("The RCS signed a Memorandum of Understanding on customs-to-customs and/or trade.", kb) == [
        "Memorandum of Understanding on customs-to-customs and/or trade"
    ]
    assert names("The RCS signed a Memorandum of Understanding (a very long aside here) on trade.", kb) == [
        "Memorandum of Understanding"
    ]


def test_a_name_never_ends_on_a_small_word(kb: Knowledge) -> None:
    assert names("The RCS signed a Memorandum of Understanding on Trade and\nthe FRA agreed.", kb) == [
        "Memorandum of Understanding on Trade"
    ]


def test_bare_labels_and_names_that_say_more() -> None:
    rules = agreements._rules(_kb())
    assert agreements._is_bare_label("the MoU", rules)
    assert agreements._is_bare_label("Memorandum of Understanding", rules)
    assert agreements._is_bare_label("AEO MRA", rules)
    assert not agreements._is_bare_label("MoU on Trade", rules)
    assert not agreements._is_bare_label("Border Trade Memorandum Pact", rules)


def test_mechanisms_alike_by_their_first_words() -> None:
    rules = agreements._rules(_kb())
    known = Agreement(kind="other", name="direct hotline between units")
    mechanism = agreements._AgreementMention("other", True, [], 0, 0)
    label = agreements._AgreementMention("mou", False, [], 0, 0)
    assert agreements._same_agreement(known, "Direct Hotline Between Units", label, rules)
    assert agreements._same_agreement(known, "direct hotline", mechanism, rules)
    assert not agreements._same_agreement(known, "direct hotline", label, rules)
    assert not agreements._same_agreement(known, "a the contact point", mechanism, rules)
    other = Agreement(kind="mou", name="direct hotline MoU")
    assert not agreements._same_agreement(other, "direct hotline", mechanism, rules)


def test_the_date_nearest_the_agreement_and_else_the_release_date(kb: Knowledge) -> None:
    text = "On 3 May 2021 the RCS held talks and signed a Memorandum of Understanding on 4 May 2021."
    (mou,) = facts(text, kb).agreements
    assert mou.date == "2021-05-04"
    (mou,) = facts("The RCS signed a Memorandum of Understanding with the FRA.", kb).agreements
    assert mou.date == "2023-11-01"
    assert mou.topics == []
    (mou,) = facts("The RCS signed a Memorandum of Understanding on heroin smuggling.", kb).agreements
    assert mou.topics == ["drug-trafficking"]


def test_a_lower_case_label_after_a_preposition_is_the_subject(kb: Knowledge) -> None:
    text = "The RCS signed a MoU with the FRA for mutual administrative assistance."
    assert [(a.kind, a.name) for a in facts(text, kb).agreements] == [
        ("mou", "MoU for mutual administrative assistance")  # the counterpart stands aside
    ]


def test_one_agreement_told_twice_and_dated_later(kb: Knowledge) -> None:
    text = (
        "The RCS and the FRA signed a Memorandum of Understanding on customs data. The RCS and the "
        "FRA said the memorandum of understanding on controls would help. The MoU was signed on 3 May 2021."
    )
    (mou,) = facts(text, kb).agreements
    assert (mou.name, mou.date) == ("Memorandum of Understanding on customs data", "2021-05-03")


def test_a_name_skips_its_date_and_stops_at_a_place(kb: Knowledge) -> None:
    assert names("The RCS signed a Memorandum of Understanding on 4 May 2021 on border control.", kb) == [
        "Memorandum of Understanding on border control"
    ]
    assert names("The RCS signed a Memorandum of Understanding on border control in Vienna.", kb) == [
        "Memorandum of Understanding on border control"
    ]


def test_plural_instruments_one_per_named_counterpart(kb: Knowledge) -> None:
    text = "The RCS has signed co-operative arrangements with the FRA and the Freedonia Police Force."
    assert [(a.name, a.parties) for a in facts(text, kb).agreements] == [
        ("co-operative arrangement", ["Ruritania Customs Service", "Freedonia Revenue Administration"]),
        ("co-operative arrangement", ["Ruritania Customs Service", "Freedonia Police Force"]),
    ]
    assert facts("The RCS has signed co-operative arrangements with 18 counterparts.", kb).agreements == []


def test_a_plan_without_parties_and_a_name_with_and(kb: Knowledge) -> None:
    assert facts("The country adopted a National Action Plan in 2014.", kb).agreements == []
    text = "The RCS and the FRA signed the Co-operative and Mutual Assistance Arrangement (CMA)."
    assert names(text, kb) == ["Co-operative and Mutual Assistance Arrangement (CMA)"]


def test_the_label_with_its_own_complement_is_another_agreement(kb: Knowledge) -> None:
    text = (
        "The RCS signed the MoU on Data with the FRA. The MoU came into force. The RCS also signed the MoU "
        "on Training with the Freedonia Police Force."
    )
    assert names(text, kb) == ["MoU on Data", "MoU on Training"]


def test_a_headline_agreement_without_parties_is_the_one_the_body_names(kb: Knowledge) -> None:
    text = (
        "Anti-Smuggling Memorandum of Understanding signed\n\nThe RCS and the FRA signed a Memorandum of "
        "Understanding on border data on 3 May 2021."
    )
    (mou,) = facts(text, kb).agreements
    assert (mou.name, mou.date, mou.parties) == (
        "Memorandum of Understanding on border data",
        "2021-05-03",
        ["Ruritania Customs Service", "Freedonia Revenue Administration"],
    )


def test_a_name_skips_a_day_with_no_year(kb: Knowledge) -> None:
    text = "The RCS signed a Memorandum of Understanding on 4 May for border data with the FRA."  # no year
    assert names(text, kb) == ["Memorandum of Understanding for border data"]
