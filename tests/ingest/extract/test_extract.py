"""Extraction rules, each on a small text written for the test."""

from __future__ import annotations

import pytest

from cckg.ingest.extract import extract
from cckg.ingest.extract.dates import find_dates
from cckg.ingest.extract.knowledge import knowledge
from cckg.ingest.read import parse_release
from cckg.model import ReleaseFacts


def facts_of(text: str, published: str | None = "2023-11-01") -> ReleaseFacts:
    if published:
        text = f"{text}\n\nEnds/{published}\n"
    return extract(parse_release(text, "t", "t.txt"))


@pytest.mark.parametrize(
    ("phrase", "value", "end_value"),
    [
        ("today (November 1)", "2023-11-01", None),
        ("yesterday (June 28, Brussels time)", "2023-06-28", None),
        ("in February this year", "2023-02", None),
        ("in March next year", "2024-03", None),
        ("on December 1 last year", "2022-12-01", None),
        ("between December 16 and 17", "2023-12-16", "2023-12-17"),
        ("from May 3 to 5", "2023-05-03", "2023-05-05"),
        ("on November 5 and 6", "2023-11-05", "2023-11-06"),
        ("in March 2003", "2003-03", None),
        ("last November", "2022-11", None),
        ("on 14 May 2019", "2019-05-14", None),
    ],
)
def test_dates_resolve_against_publication(phrase: str, value: str, end_value: str | None) -> None:
    found = find_dates(f"The meeting was held {phrase} in Seoul.", "2023-11-01", knowledge())
    assert [(d.value, d.end_value) for d in found] == [(value, end_value)]


def test_relative_date_without_publication_is_left_out() -> None:
    assert find_dates("The meeting was held today (November 1).", None, knowledge()) == []
    assert [d.value for d in find_dates("It was held on 3 March 2021.", None, knowledge())] == ["2021-03-03"]


def test_agency_aliases_acronyms_and_compounds() -> None:
    facts = facts_of(
        "The Mainland, Hong Kong and Macao Customs held a meeting today (November 1). "
        "The Ruritania Customs Service (RCS) also attended. The RCS thanked the Department."
    )
    names = {a.name: a for a in facts.agencies}
    assert "Customs and Excise Department" in names
    assert "Macao Customs Service" in names
    assert any(a.country == "CN" and a.kind == "customs" for a in facts.agencies)
    assert names["Ruritania Customs Service"].acronyms == ["RCS"]
    assert names["Customs and Excise Department"].country == "HK"


def test_officials_titles_and_short_references() -> None:
    facts = facts_of(
        "The Commissioner of Customs and Excise, Ms Louise Ho, met the Commissioner of Korea Customs "
        "Service (KCS), Mr Ko Kwang hyo, today (November 1). Ms Ho thanked Mr Ko. Commissioner Ho said so."
    )
    officials = {o.name: o for o in facts.officials}
    assert set(officials) == {"Louise Ho", "Ko Kwang hyo"}
    assert officials["Louise Ho"].title == "Commissioner of Customs and Excise"
    assert officials["Louise Ho"].agency == "Customs and Excise Department"
    assert officials["Ko Kwang hyo"].title == "Commissioner of Korea Customs Service"
    assert officials["Ko Kwang hyo"].agency == "Korea Customs Service"
    assert officials["Louise Ho"].honorific == "Ms"


def test_events_ordinals_planned_and_places() -> None:
    facts = facts_of(
        "Korea Customs Service and Japan Customs held the 20th Heads of Customs Meeting in Busan today "
        "(November 1). The 21st meeting will be held in Tokyo next year."
    )
    held, planned = facts.events
    assert (held.ordinal, held.start, held.city, held.country, held.status) == (
        20,
        "2023-11-01",
        "Busan",
        "KR",
        "held",
    )
    assert held.series == "Heads of Customs Meeting"
    assert (planned.ordinal, planned.start, planned.city, planned.status) == (21, "2024", "Tokyo", "planned")
    assert sorted(held.participants) == ["Japan Customs", "Korea Customs Service"]


def test_agreements_kinds_names_and_references() -> None:
    facts = facts_of(
        "Japan Customs and Korea Customs Service today (November 1) signed a Memorandum of Understanding "
        "on Mutual Administrative Assistance in Customs Matters. The MoU covers drug trafficking. "
        "They also agreed to set up a direct hotline between their intelligence units."
    )
    kinds = {a.kind: a for a in facts.agreements}
    assert set(kinds) == {"mou", "other"}
    assert (
        kinds["mou"].name
        == "Memorandum of Understanding on Mutual Administrative Assistance in Customs Matters"
    )
    assert kinds["mou"].date == "2023-11-01"
    assert sorted(kinds["mou"].parties) == ["Japan Customs", "Korea Customs Service"]
    assert kinds["other"].name == "direct hotline between their intelligence units"


def test_seizures_words_units_and_distractors() -> None:
    facts = facts_of(
        "Acting on intelligence from Japan Customs, Korea Customs Service seized over eight million "
        "counterfeit cigarettes and about 1.2 tonnes of cocaine in Busan in March 2023, with a market "
        "value of HK$48 million. Two men were arrested and 14 cases detected."
    )
    seized = {(s.quantity, s.unit, s.goods, s.qualifier) for s in facts.seizures}
    assert seized == {
        (8_000_000, "sticks", "counterfeit cigarettes", "over"),
        (1.2, "t", "cocaine", "about"),
    }
    assert {s.date for s in facts.seizures} == {"2023-03"}
    assert ("Japan Customs", "Korea Customs Service") in [
        tuple(sorted(c.agencies)) for c in facts.cooperation
    ]


def test_scales_and_thousands_separators_with_the_project_knowledge() -> None:
    facts = facts_of(
        "Korea Customs Service seized 1.2 million cigarettes, 3,580,000 sticks of cigars and HK$2.5 million "
        "in cash in Busan."
    )
    assert sorted((s.quantity, s.unit) for s in facts.seizures) == [
        (1_200_000, "sticks"),
        (2_500_000, "hkd"),
        (3_580_000, "sticks"),
    ]


def test_operations_code_names_and_leads() -> None:
    facts = facts_of(
        "Hong Kong Customs launched Operation Thunder Gate in August 2023 with Macao Customs against "
        "cigarette smuggling."
    )
    (operation,) = facts.operations
    assert operation.name == "Operation Thunder Gate"
    assert operation.start == "2023-08"
    assert "tobacco-smuggling" in operation.crime_types
    assert "Customs and Excise Department" in [*operation.led_by, *operation.participants]


def test_crime_types_from_the_skos_labels() -> None:
    facts = facts_of(
        "Both sides exchanged views on anti-money laundering, the smuggling of endangered species and "
        "financial crimes involving virtual assets."
    )
    assert set(facts.crime_types) == {"money-laundering", "wildlife-trafficking", "financial-crime"}


@pytest.mark.parametrize(
    ("text", "crime_types"),
    [
        ("Its duties include revenue protection and anti-corruption work.", {"revenue-fraud", "other"}),
        ("They discussed customs frauds and visa fraud.", {"revenue-fraud", "other"}),
        (
            "Officers found 400 cigarettes, a handgun and two rifles.",
            {"tobacco-smuggling", "strategic-commodities"},
        ),
        ("The boat carried listed marine species.", {"wildlife-trafficking"}),
    ],
)
def test_crime_types_of_enforcement_areas_and_goods(text: str, crime_types: set[str]) -> None:
    assert set(facts_of(text).crime_types) == crime_types


def test_every_fact_quotes_its_evidence_exactly() -> None:
    text = (
        "The Commissioner of Customs and Excise, Ms Louise Ho, attended the 34th Customs Cooperation "
        "Conference between the Customs and Excise Department (C&ED) and the Korea Customs Service "
        "today (November 1) in Seoul, Korea. A Memorandum of Understanding was signed on drug trafficking."
    )
    release = parse_release(text + "\n\nEnds/2023-11-01\n", "t", "t.txt")
    facts = extract(release)
    items = [*facts.agencies, *facts.officials, *facts.events, *facts.agreements, *facts.cooperation]
    assert len(items) >= 6
    for item in items:
        assert item.evidence and 0 < item.confidence <= 1
        for evidence in item.evidence:
            assert release.text[evidence.start : evidence.end] == evidence.quote
    for evidence in facts.crime_type_evidence["drug-trafficking"]:
        assert release.text[evidence.start : evidence.end].lower() == "drug trafficking"


def test_compound_mentions_with_regions_and_unknown_parts() -> None:
    facts = facts_of(
        'A joint operation codenamed "Skyfall 7" was mounted by the Hong Kong, Guangdong and Macau Police '
        "authorities between July 9 and August 8 against cigarette smuggling."
    )
    by_name = {a.name: a for a in facts.agencies}
    assert "Hong Kong Police Force" in by_name
    assert {a.country for a in facts.agencies} >= {"HK", "CN", "MO"}
    assert all(a.kind == "police" for a in facts.agencies)
    (operation,) = facts.operations
    assert operation.name == "Skyfall 7"  # a code name as written
    assert (operation.start, operation.end) == ("2023-07-09", "2023-08-08")
    assert len(facts.cooperation) == 3


def test_agreement_named_across_its_acronym_is_one() -> None:
    facts = facts_of(
        "Japan Customs and Korea Customs Service today (November 1) signed an Authorized Economic Operator "
        "(AEO) Mutual Recognition Arrangement (MRA) Action Plan. The plan paved the way for the AEO MRA."
    )
    (agreement,) = facts.agreements
    assert agreement.kind == "cooperation-plan"
    # the bracketed acronyms are part of the name, before the label as after it
    assert (
        agreement.name
        == "Authorized Economic Operator (AEO) Mutual Recognition Arrangement (MRA) Action Plan"
    )


def test_unknown_agencies_named_twice_or_by_country() -> None:
    facts = facts_of(
        "The ICAC signed an MoU with the President of the Integrity Authority of Ruritania and with the "
        "Fair Trade Commission today (November 1). The Fair Trade Commission thanked the ICAC."
    )
    names = {a.name: a for a in facts.agencies}
    assert names["Fair Trade Commission"].country is None
    assert "Independent Commission Against Corruption" in names
    (mou,) = facts.agreements
    assert "Fair Trade Commission" in mou.parties


def test_title_then_name_without_honorific() -> None:
    facts = facts_of(
        "The Commissioner Against Corruption, Chan Tai Man, received the Commissioner of the ICAC, "
        "Woo Ka-ming, today (November 1)."
    )
    assert {o.name for o in facts.officials} == {"Chan Tai Man", "Woo Ka-ming"}


def test_wire_dateline_gives_the_publication_date() -> None:
    release = parse_release("HONG KONG, Sept. 12, 2025 /PRNewswire/ -- The ICAC met today.\n", "w", "w.txt")
    assert release.published == "2025-09-12"


def test_ranges_across_two_dates_and_bare_relative_days() -> None:
    found = find_dates(
        "from November 25 to today (November 27); at today's meeting", "2014-11-27", knowledge()
    )
    assert [(d.value, d.end_value) for d in found] == [("2014-11-25", "2014-11-27"), ("2014-11-27", None)]


def test_links_to_other_stories_and_meeting_modes_are_no_events() -> None:
    facts = facts_of(
        "Korea Customs Service held the 5th Border Forum with Japan Customs today (November 1), "
        "via video conference.\n\nREAD MORE: Regional customs conference held in Seoul\n\n"
        ">> Japan Customs hosts anti-drug workshop\n\nThe 4-day Forum ended today."
    )
    assert [(e.kind, e.name) for e in facts.events] == [("forum", "5th Border Forum")]
