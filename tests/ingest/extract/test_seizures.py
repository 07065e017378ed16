"""Seizures (cckg.ingest.extract.seizures) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge

from .conftest import facts


def seized(text: str, kb: Knowledge) -> list[tuple[float, str, str, str | None]]:
    return [(s.quantity, s.unit, s.goods, s.qualifier) for s in facts(text, kb).seizures]


def test_numbers_in_digits_with_separators_and_scales(kb: Knowledge) -> None:
    assert seized("Officers seized 3,580,000 sticks of cigarettes.", kb) == [
        (3_580_000, "sticks", "cigarettes", None)
    ]
    assert seized("Officers seized 1.2 million cigarettes.", kb) == [
        (1_200_000, "sticks", "cigarettes", None)
    ]
    assert seized("Officers seized 2.5 thousand tablets.", kb) == [(2_500, "items", "tablets", None)]
    assert seized("Officers seized 12.5 kg of heroin.", kb) == [(12.5, "kg", "heroin", None)]
    assert seized("Officers seized 1,250.5 kg of heroin.", kb) == [(1_250.5, "kg", "heroin", None)]


def test_numbers_in_words(kb: Knowledge) -> None:
    assert seized("Officers seized two million cigarettes.", kb) == [
        (2_000_000, "sticks", "cigarettes", None)
    ]
    assert seized("Officers seized twenty-five kilograms of heroin.", kb) == [(25, "kg", "heroin", None)]
    assert seized("Officers seized one hundred and five tusks.", kb) == [(105, "items", "tusks", None)]


def test_qualifiers_units_and_goods(kb: Knowledge) -> None:
    text = "Officers seized over 20 kg of heroin, about 3 tonnes of cocaine and more than 40 tusks."
    assert seized(text, kb) == [
        (20, "kg", "heroin", "over"),
        (3, "t", "cocaine", "about"),
        (40, "items", "tusks", "over"),
    ]
    assert seized("Officers seized a total of 8 kg of heroin.", kb) == [(8, "kg", "heroin", None)]


def test_counts_without_a_unit_are_items(kb: Knowledge) -> None:
    assert seized("Officers seized 300 counterfeit handbags.", kb) == [
        (300, "items", "counterfeit handbags", None)
    ]
    assert seized("Officers seized 300 pirated and counterfeit handbags.", kb) == [
        (300, "items", "pirated and counterfeit handbags", None)
    ]
    assert seized("Officers seized 300 glass.", kb) == []  # not a plural: no count of items
    assert seized("Officers seized 300 grass.", kb) == []


def test_what_is_not_a_seizure(kb: Knowledge) -> None:
    assert seized("Officers seized goods in 14 cases and 3 suspects.", kb) == []
    assert seized("Officers seized goods worth 300 kg of gold.", kb) == []
    assert seized("Officers seized goods with a value of 300 kg of gold.", kb) == []
    assert seized("Officers seized goods at $300 kg.", kb) == []
    assert seized("After the arrest of 100 smugglers, officers seized nothing.", kb) == []
    assert seized("Officers seized 0 kg of heroin.", kb) == []
    assert seized("Officers counted 20 kg of heroin.", kb) == []  # no seizure cue in the sentence
    assert seized("Officers seized it on 3 May 2021 in 2021 kg.", kb) == []  # a date, not a quantity


def test_a_count_with_no_unit_needs_a_cue_nearby(kb: Knowledge) -> None:
    far = "Officers seized them. " + "It was a long day for all " * 8 + "and 300 handbags."
    assert seized(far.replace(". It", ", it"), kb) == []
    assert seized("Officers seized 300 handbags.", kb) == [(300, "items", "handbags", None)]


def test_packaging_is_dropped_when_the_goods_are_counted_otherwise(kb: Knowledge) -> None:
    text = "Officers seized 3 containers of cigarettes holding 9,000,000 cigarettes."
    assert seized(text, kb) == [(9_000_000, "sticks", "cigarettes", None)]
    assert seized("Officers seized 3 containers of rice.", kb) == [(3, "containers", "rice", None)]


def test_cash(kb: Knowledge) -> None:
    (cash,) = facts("Officers seized cash of about R$3 million.", kb).seizures
    assert (cash.goods, cash.quantity, cash.unit, cash.qualifier) == ("cash", 3_000_000, "xrd", "about")
    assert cash.confidence == kb.confidence.cash_seizure
    assert seized("Officers seized cash of F€2,500.", kb) == [(2_500, "xfe", "cash", None)]
    assert seized("Officers seized goods worth R$3 million.", kb) == []  # no cash word: a value
    assert seized("Officers seized cash, with a value of R$3 million.", kb) == []


def test_date_place_crime_and_evidence(kb: Knowledge) -> None:
    text = "Officers seized 20 kg of heroin in Singapore on 3 May 2021."
    (seizure,) = facts(text, kb).seizures
    assert (seizure.date, seizure.city, seizure.country) == ("2021-05-03", "Singapore", "SG")
    assert seizure.crime_types == ["drug-trafficking"]
    assert seizure.confidence == kb.confidence.seizure
    assert seizure.evidence[0].quote == text


def test_a_later_sentence_about_the_shipment_says_where_and_when(kb: Knowledge) -> None:
    text = "Officers found 20 kg of heroin. The shipment was seized in Singapore in May 2021."
    (seizure,) = facts(text, kb).seizures
    assert (seizure.date, seizure.country) == ("2021-05", "SG")
    assert len(seizure.evidence) == 2
    text = "Officers found 20 kg of heroin. The shipment came from Singapore in May 2021."
    (seizure,) = facts(text, kb).seizures
    assert (seizure.date, seizure.country) == (None, None)  # not said to be seized there


def test_a_seizure_during_an_operation_takes_its_month(kb: Knowledge) -> None:
    text = (
        "The RCS launched Operation Sandglass on 3 May 2021. During the operation, officers seized "
        "20 kg of heroin."
    )
    (seizure,) = facts(text, kb).seizures
    assert seizure.date == "2021-05"


def test_an_estimate_of_what_the_goods_make_is_no_seizure(kb: Knowledge) -> None:
    assert seized("Officers seized 12 kg of heroin, enough for 40,000 doses.", kb) == [
        (12, "kg", "heroin", None)
    ]


def test_number_forms_space_separators_attached_units_and_halves(kb: Knowledge) -> None:
    assert seized("Officers seized 8 300 kilograms of heroin.", kb) == [(8_300, "kg", "heroin", None)]
    assert seized("Officers seized 6kg of heroin.", kb) == [(6, "kg", "heroin", None)]
    assert seized("Officers seized half a million cigarettes.", kb) == [
        (500_000, "sticks", "cigarettes", None)
    ]


def test_counting_words_keep_their_plural_and_a_weight_is_the_seizure(kb: Knowledge) -> None:
    assert seized("Officers seized 12 bales of used clothes.", kb) == [(12, "bales", "used clothes", None)]
    assert seized("Officers seized 64 tusks weighing 210 kilograms.", kb) == [(210, "kg", "tusks", None)]
    assert seized("Officers seized 40 kg of heroin hidden in two trucks.", kb) == [(40, "kg", "heroin", None)]


def test_goods_named_before_repeats_and_following_weights(kb: Knowledge) -> None:
    text = (
        "Officers seized 30 kg of heroin. A total of 30 kg of heroin was seized. In all, 12 kg were seized."
    )
    assert seized(text, kb) == [(30, "kg", "heroin", None), (12, "kg", "heroin", None)]
    text = "Officers seized the parcels. Tests showed that they held 7 kg of heroin and 2 phones."
    assert seized(text, kb) == [(7, "kg", "heroin", None)]  # a weight after a seizure's sentence


def test_a_list_after_a_seizure_sentence(kb: Knowledge) -> None:
    text = "Among the seized goods were:\n- 5 kg of heroin\n- 300 counterfeit handbags\nThe case continues."
    assert seized(text, kb) == [(5, "kg", "heroin", None), (300, "items", "counterfeit handbags", None)]


def test_a_seizure_date_from_its_figure_or_the_text_before(kb: Knowledge) -> None:
    text = "Officers stopped a truck on 26 April 2021. After a search, officers found 4 kg of heroin."
    assert [s.date for s in facts(text, kb).seizures] == ["2021-04-26"]
    text = "Officers found 7 tonnes of heroin in 2022, and 3 tonnes of cocaine were seized in 2015."
    assert [s.date for s in facts(text, kb).seizures] == ["2022", "2015"]


def test_vehicles_are_seized_only_when_the_text_says_so(kb: Knowledge) -> None:
    assert seized("Officers found 5 kg of heroin and seized two trucks.", kb) == [
        (5, "kg", "heroin", None),
        (2, "vehicles", "trucks", None),
    ]
    assert seized("Officers detected two trucks carrying 5 kg of heroin.", kb) == [(5, "kg", "heroin", None)]


def test_a_short_form_of_the_goods_told_again_is_one_seizure(kb: Knowledge) -> None:
    text = "Officers seized 100 kg of meth. Tests found the 100 kg of methamphetamine was pure."
    assert seized(text, kb) == [(100, "kg", "meth", None)]
