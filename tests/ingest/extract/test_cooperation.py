"""Which agencies cooperate (cckg.ingest.extract.cooperation) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge

from .conftest import facts

RCS, FRA, FPF, RLO, AGB = (
    "Ruritania Customs Service",
    "Freedonia Revenue Administration",
    "Freedonia Police Force",
    "Regional Liaison Office",
    "Anti-Graft Bureau of Ruritania",
)


def pairs(text: str, kb: Knowledge) -> dict[tuple[str, str], float]:
    return {c.agencies: c.confidence for c in facts(text, kb).cooperation}


def test_a_small_event_pairs_everyone(kb: Knowledge) -> None:
    found = pairs("The RCS, the FRA and the FPF held the Border Forum today (November 1).", kb)
    assert found == {
        (FRA, RCS): kb.confidence.event_cooperation,
        (FPF, RCS): kb.confidence.event_cooperation,
        (FPF, FRA): kb.confidence.event_cooperation,
    }


def test_a_large_event_pairs_its_organiser_with_each_guest(kb: Knowledge) -> None:
    text = (
        "The Border Forum, hosted by the RLO, was attended by the RCS, the FRA, the FPF and the AGB "
        "today (November 1)."
    )
    assert set(pairs(text, kb)) == {tuple(sorted((RLO, x))) for x in (RCS, FRA, FPF, AGB)}


def test_several_events_pair_their_host_with_each_guest(kb: Knowledge) -> None:
    text = "The RCS held two Border meetings with the FRA and the FPF today (November 1)."
    assert set(pairs(text, kb)) == {(FRA, RCS), (FPF, RCS)}


def test_a_planned_event_pairs_its_sides(kb: Knowledge) -> None:
    found = pairs("The RCS will visit the FRA in Zenda tomorrow.", kb)
    assert found == {(FRA, RCS): kb.confidence.event_cooperation}


def test_an_intergovernmental_body_at_its_own_council_session(kb: Knowledge) -> None:
    text = "The RLO held its Council Session with the RCS and the FRA today (November 1)."
    assert set(pairs(text, kb)) == {(FRA, RCS)}


def test_agreement_parties_and_operation_partners(kb: Knowledge) -> None:
    found = pairs("The RCS signed a Memorandum of Understanding with the FRA today (November 1).", kb)
    assert found == {(FRA, RCS): kb.confidence.agreement_cooperation}
    found = pairs("Operation Sandglass was led by the RCS with the FRA in May 2021.", kb)
    assert found == {(FRA, RCS): kb.confidence.operation_cooperation}


def test_sentences_that_say_so(kb: Knowledge) -> None:
    found = pairs("The RCS seized heroin acting on intelligence from the FRA.", kb)
    assert found == {(FRA, RCS): kb.confidence.stated_cooperation}
    found = pairs("Officers welcomed the close ties between the FPF and the FRA.", kb)
    assert found == {(FPF, FRA): kb.confidence.stated_cooperation}
    found = pairs("The RCS issued a notice. Officers worked together with the FRA.", kb)
    assert found == {(FRA, RCS): kb.confidence.stated_cooperation}  # the publisher is the partner
    assert pairs("The RCS seized heroin acting on a tip.", kb) == {}


def test_only_an_intergovernmental_body_at_its_governing_session_is_left_out(kb: Knowledge) -> None:
    text = "The RCS held its Council Session with the FRA and the FPF today (November 1)."
    assert set(pairs(text, kb)) == {(FRA, RCS), (FPF, RCS), (FPF, FRA)}  # the RCS is no such body
    text = "The RLO held the Border Forum with the RCS and the FRA today (November 1)."
    assert set(pairs(text, kb)) == {(RLO, RCS), (FRA, RLO), (FRA, RCS)}


def test_agencies_listed_together_in_a_sentence_that_says_they_act_jointly(kb: Knowledge) -> None:
    found = pairs("The RCS, the FRA and the FPF conducted a joint patrol at sea.", kb)
    assert found == {
        (FRA, RCS): kb.confidence.stated_cooperation,
        (FPF, RCS): kb.confidence.stated_cooperation,
        (FPF, FRA): kb.confidence.stated_cooperation,
    }
    # Only the agencies of one list: the FPF is named apart.
    assert set(pairs("The RCS and the FRA jointly seized a boat; the FPF was told.", kb)) == {(FRA, RCS)}
    assert pairs("The RCS and the FRA each issued a notice.", kb) == {}


def test_a_team_up_and_a_case_handed_over(kb: Knowledge) -> None:
    assert set(pairs("The RCS teams up with the FRA against fraud.", kb)) == {(FRA, RCS)}
    assert set(pairs("The RCS seized a boat. The case was handed over to the FPF.", kb)) == {(FPF, RCS)}


def test_agencies_listed_as_the_subject_of_an_enforcement_verb(kb: Knowledge) -> None:
    assert set(pairs("The RCS and the FRA seized 40 kg of heroin at sea.", kb)) == {(FRA, RCS)}


def test_an_agreement_of_many_parties_pairs_the_first_with_each_other(kb: Knowledge) -> None:
    text = "The RLO signed a Memorandum of Understanding with the RCS, the FRA, the FPF and the AGB."
    found = set(pairs(text, kb))
    assert found == {tuple(sorted((RLO, x))) for x in (RCS, FRA, FPF, AGB)}


def test_an_agency_is_not_paired_with_its_own_unit(kb: Knowledge) -> None:
    # The test gazetteer's id of the Marine Bureau extends the id of the RCS.
    text = "The RCS, the FRA and the RMB conducted a joint patrol."
    assert set(pairs(text, kb)) == {(FRA, RCS), (FRA, "Ruritania Customs Marine Bureau")}


def test_a_cooperation_noun_then_with_a_few_words_later(kb: Knowledge) -> None:
    assert set(pairs("The RCS has ties of long standing with the FPF.", kb)) == {(FPF, RCS)}
