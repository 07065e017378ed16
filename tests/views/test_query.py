"""Named queries: header parsing, parameter binding (safe), exact rows on the fixtures, formats."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cckg.sparql import SelectResult, read_results
from cckg.store import (
    OxigraphStore,
)
from cckg.views import query
from conftest import EXTRA_TEXT, RELEASE_2004, REPO, run_cli

AGENCIES = "Customs and Excise Department; Korea Customs Service"
CED = "Customs and Excise Department"
KCS = "Korea Customs Service"
MCS = "Macao Customs Service"
R2023, R2004, R2024 = "000_d93ee451fa80120b", "001_c98b5c3fca22d16e", "002_5e1f0c2a9b7d4e31"
ID = "https://w3id.org/cckg/id/"
EVENTS = f"{ID}event/customs-cooperation-conference-hk-ced-kr-kcs"


def rows(store: OxigraphStore, name: str, **params: str) -> list[tuple[str | None, ...]]:
    result = query.run(store, query.named_queries()[name], params)
    assert isinstance(result, SelectResult)
    return [tuple(None if term is None else str(term) for term in row) for row in result.tuples()]


def columns(store: OxigraphStore, name: str, **params: str) -> list[str]:
    result = query.run(store, query.named_queries()[name], params)
    assert isinstance(result, SelectResult)
    return result.variables


# --- the query files --------------------------------------------------------------------------

REQUIRED = {
    "partners", "event-timeline", "post-holders", "agreements", "crime-types-by-pair", "evidence",
    "network", "series", "delegation-heads", "operations", "seizure-totals", "crime-types", "mentions",
    "linked-through-events", "new-partners", "officials-met", "low-confidence", "evidence-of-attendance",
}  # fmt: skip
#: A value for each required parameter, for the test that every query runs.
SAMPLE_VALUES = {"agency": CED, "entity": CED, "person": "Louise Ho"}


def test_the_required_named_queries_exist() -> None:
    assert set(query.named_queries()) >= REQUIRED
    assert len(query.named_queries()) >= 15


@pytest.mark.parametrize("name", sorted(query.named_queries()))
def test_every_named_query_is_documented_and_runs(name: str, kg3: OxigraphStore) -> None:
    named = query.named_queries()[name]
    assert named.title and named.description
    assert all(p.description for p in named.params)
    if named.params:
        assert query.PARAMS_MARKER.search(named.text), "parameters need a '#@params' line"
    values = {p.name: SAMPLE_VALUES[p.name] for p in named.params if p.required}
    result = query.run(kg3, named, values)
    assert isinstance(result, SelectResult) and result.rows


# --- one test per named query: its exact rows on the fixtures ---------------------------------


def test_partners(kg: OxigraphStore) -> None:
    assert columns(kg, "partners", agency="C&ED") == [
        "partner", "country", "firstYear", "lastYear", "events", "agreements", "operations", "cooperations",
        "crimeTypes",
    ]  # fmt: skip
    crimes = "cybercrime, drug-trafficking, financial-crime, ipr-infringement, money-laundering, "
    crimes += "tobacco-smuggling"
    expected_kcs = [(KCS, "KR", "2004", "2023", "2", "3", "1", "2", crimes)]
    assert rows(kg, "partners", agency="Customs and Excise Department") == expected_kcs
    assert rows(kg, "partners", agency="hong kong customs") == expected_kcs  # alias, any case
    assert rows(kg, "partners", agency="c&ed") == expected_kcs  # acronym
    assert rows(kg, "partners", agency="KCS") == [(CED, "HK", "2004", "2023", "2", "3", "1", "2", crimes)]
    assert rows(kg, "partners", agency="Interpol") == []


def test_partners_counts_are_integers(kg: OxigraphStore) -> None:
    result = query.run(kg, query.named_queries()["partners"], {"agency": "KCS"})
    assert isinstance(result, SelectResult)
    assert result.rows[0]["events"] == rdflib.Literal(2)
    assert result.rows[0]["firstYear"] == rdflib.Literal(2004)


def test_event_timeline(kg: OxigraphStore) -> None:
    assert columns(kg, "event-timeline") == [
        "start", "end", "event", "kind", "status", "place", "participants", "releases",
    ]  # fmt: skip
    assert rows(kg, "event-timeline") == [
        ("2004-08", None, "Project Crocodile", "operation", None, None, AGENCIES, R2004),
        ("2004-12-16", "2004-12-17", "25th Customs Cooperation Conference", "conference", "held", "Hong Kong",
         AGENCIES, R2004),
        ("2023-02", None, "Regional Customs High-level Drug Enforcement Forum", "forum", "held", None, CED,
         R2023),
        ("2023-11-01", None, "34th Customs Cooperation Conference", "conference", "held", "Seoul", AGENCIES,
         R2023),
        ("2024-03", None, "intellectual property rights protection forum", "forum", "planned", None, CED,
         R2023),
    ]  # fmt: skip


def test_event_timeline_filters(kg: OxigraphStore) -> None:
    assert [r[2] for r in rows(kg, "event-timeline", agency="KCS", **{"from": "2005"})] == [
        "34th Customs Cooperation Conference"
    ]
    assert [r[0] for r in rows(kg, "event-timeline", to="2004")] == ["2004-08", "2004-12-16"]


def test_post_holders(kg: OxigraphStore) -> None:
    assert columns(kg, "post-holders") == [
        "agencyLabel", "postTitle", "holder", "honorific", "firstAttested", "lastAttested", "releases",
    ]  # fmt: skip
    assert rows(kg, "post-holders") == [
        (CED, "Commissioner", "Timothy Tong", "Mr", "2004-12-17", "2004-12-17", "1"),
        (CED, "Commissioner", "Louise Ho", "Ms", "2023-11-01", "2023-11-01", "1"),
        (KCS, "Commissioner", "Kim Yong-Duk", "Mr", "2004-12-17", "2004-12-17", "1"),
        (KCS, "Commissioner", "Ko Kwang hyo", "Mr", "2023-11-01", "2023-11-01", "1"),
    ]
    assert [r[2] for r in rows(kg, "post-holders", agency="Korea Customs Service")] == [
        "Kim Yong-Duk", "Ko Kwang hyo",
    ]  # fmt: skip
    assert rows(kg, "post-holders", post="deputy") == []


def test_agreements(kg: OxigraphStore) -> None:
    assert columns(kg, "agreements") == ["date", "agreement", "kind", "parties", "topics", "releases"]
    mou = ("2023-11-01", "Memorandum of Understanding of co-operation and assistance", "mou", AGENCIES,
           "drug-trafficking, financial-crime", R2023)  # fmt: skip
    assert rows(kg, "agreements") == [
        ("2004-12-17", "Immediate Notification System", "other", AGENCIES,
         "drug-trafficking, money-laundering", R2004),
        ("2004-12-17", "contact points for cyber crime on intellectual property rights", "other", AGENCIES,
         "cybercrime, ipr-infringement", R2004),
        mou,
    ]  # fmt: skip
    assert rows(kg, "agreements", kind="MOU") == [mou]
    laundering = rows(kg, "agreements", crime="money-laundering")
    assert [r[1] for r in laundering] == ["Immediate Notification System"]
    assert rows(kg, "agreements", agency="Interpol") == []


def test_crime_types_by_pair(kg: OxigraphStore) -> None:
    assert columns(kg, "crime-types-by-pair") == [
        "agency1", "agency2", "crimeType", "facts", "firstYear", "lastYear",
    ]  # fmt: skip
    assert rows(kg, "crime-types-by-pair") == [
        (CED, KCS, "drug-trafficking", "4", "2004", "2023"),
        (CED, KCS, "ipr-infringement", "3", "2004", "2023"),
        (CED, KCS, "money-laundering", "3", "2004", "2023"),
        (CED, KCS, "cybercrime", "2", "2004", "2004"),
        (CED, KCS, "financial-crime", "2", "2023", "2023"),
        (CED, KCS, "tobacco-smuggling", "2", "2004", "2004"),
    ]
    assert rows(kg, "crime-types-by-pair", agency="kcs", crime="Cybercrime") == [
        (CED, KCS, "cybercrime", "2", "2004", "2004")
    ]


def test_evidence(kg: OxigraphStore) -> None:
    assert columns(kg, "evidence", entity="x") == ["release", "start", "end", "type", "fact", "name", "quote"]
    assert rows(kg, "evidence", entity="timothy tong") == [
        (R2004, "328", "382", "Membership", f"{ID}membership/f3d2b2b12c7279cb", None,
         "the Commissioner of Hong Kong Customs, Mr Timothy Tong"),
        (R2004, "390", "553", "Conference", f"{EVENTS}/25", "25th Customs Cooperation Conference",
         "Commissioner Tong headed a delegation to attend the 25th Customs Cooperation Conference with the "
         "Korea Customs Service held in Hong Kong between December 16 and 17"),
    ]  # fmt: skip
    crocodile = rows(kg, "evidence", entity="Project Crocodile")
    assert [(r[0], r[3], r[5]) for r in crocodile] == [(R2004, "JointOperation", "Project Crocodile")]


def test_evidence_quotes_point_into_the_release_text(kg: OxigraphStore) -> None:
    releases = REPO / "data" / "releases"
    for row in rows(kg, "evidence", entity="KCS"):
        text = (releases / f"{row[0]}.txt").read_text(encoding="utf-8")
        assert text[int(row[1]) : int(row[2])] == row[6]


def test_seizures(kg: OxigraphStore) -> None:
    assert rows(kg, "seizures") == [
        (None, "cigarettes", "3580000", "sticks", "about", None, "tobacco-smuggling", R2004),
        ("2003-04", "counterfeit cigarettes", "8000000", "sticks", "over", "Italy",
         "ipr-infringement, tobacco-smuggling", R2004),
    ]  # fmt: skip
    assert [r[1] for r in rows(kg, "seizures", crime="ipr-infringement")] == ["counterfeit cigarettes"]


def test_releases(kg: OxigraphStore) -> None:
    assert rows(kg, "releases") == [
        (R2004, "2004-12-17",
         "Hong Kong Customs and Korea Customs pledge to further enhance mutual cooperation",
         f"data/releases/{R2004}.txt", "2", "2", "9"),
        (R2023, "2023-11-01",
         "Hong Kong Customs and Korea Customs Service hold 34th Customs Cooperation Conference (with photos)",
         f"data/releases/{R2023}.txt", "2", "2", "7"),
    ]  # fmt: skip
    assert [r[0] for r in rows(kg, "releases", **{"from": "2010"})] == [R2023]


def test_agencies(kg: OxigraphStore) -> None:
    assert rows(kg, "agencies") == [
        (CED, "C&ED", "HK", "customs", "2", "1", f"{ID}agency/hk-ced"),
        (KCS, "KCS", "KR", "customs", "2", "1", f"{ID}agency/kr-kcs"),
    ]
    assert [r[0] for r in rows(kg, "agencies", country="kr")] == [KCS]
    assert rows(kg, "agencies", kind="police") == []


def test_operations(kg: OxigraphStore) -> None:
    assert columns(kg, "operations") == [
        "start", "end", "operation", "ledBy", "participants", "crimeTypes", "results", "releases",
    ]  # fmt: skip
    # The counterfeit cigarettes were seized in 2003, before Project Crocodile: not one of its results.
    assert rows(kg, "operations") == [
        ("2004-08", None, "Project Crocodile", CED, AGENCIES, "tobacco-smuggling",
         "about 3580000 sticks of cigarettes", R2004),
    ]  # fmt: skip
    assert rows(kg, "operations", crime="drug-trafficking") == []


def test_operations_with_their_results(kg3: OxigraphStore) -> None:
    harbour_shield = (
        "2024-03", "2024-05", "Operation Harbour Shield", CED, f"{CED}; {MCS}", "tobacco-smuggling",
        "about 1200000 sticks of cigarettes (2024-03); 300000 sticks of cigarettes (2024-05)", R2024,
    )  # fmt: skip
    assert rows(kg3, "operations", agency="macao customs") == [harbour_shield]  # not the cocaine


def test_cooperation_links(kg: OxigraphStore) -> None:
    a, b = f"{ID}agency/hk-ced", f"{ID}agency/kr-kcs"
    assert rows(kg, "cooperation-links") == [
        (a, b, "agreement", f"{ID}agreement/57e3bd1b46a67c9c", "Immediate Notification System", "2004",
         "drug-trafficking,money-laundering"),
        (a, b, "agreement", f"{ID}agreement/650e637f26e28575",
         "contact points for cyber crime on intellectual property rights", "2004",
         "cybercrime,ipr-infringement"),
        (a, b, "agreement", f"{ID}agreement/bd0658dffddff4ab",
         "Memorandum of Understanding of co-operation and assistance", "2023",
         "drug-trafficking,financial-crime"),
        (a, b, "cooperation", f"{ID}cooperation/c057f67ad8515f5a", None, "2004",
         "cybercrime,drug-trafficking,ipr-infringement,money-laundering,tobacco-smuggling"),
        (a, b, "cooperation", f"{ID}cooperation/0ea12c47eccf7adc", None, "2023",
         "drug-trafficking,financial-crime,ipr-infringement,money-laundering"),
        (a, b, "event", f"{EVENTS}/25", "25th Customs Cooperation Conference", "2004", ""),
        (a, b, "event", f"{EVENTS}/34", "34th Customs Cooperation Conference", "2023", ""),
        (a, b, "operation", f"{ID}operation/f11c17a37618ad9c", "Project Crocodile", "2004",
         "tobacco-smuggling"),
    ]  # fmt: skip


# --- the queries added for the analysts: exact rows on the three fixture releases (kg3) -------------

CONFERENCES = "25th Customs Cooperation Conference; 34th Customs Cooperation Conference"
MEETING = "Hong Kong-Macao customs meeting"
CCC25, CCC34 = "25th Customs Cooperation Conference", "34th Customs Cooperation Conference"
MEETING_QUOTE = (
    "Ms Louise Ho, met the Director-General of the Macao Customs Service, Mr Vong Man Chong, in Macao "
    "today (June 20)"
)
SENTENCE_34 = (
    "The Commissioner of Customs and Excise, Ms Louise Ho, and the Commissioner of Korea Customs Service "
    "(KCS), Mr Ko Kwang hyo, attended the 34th Customs Cooperation Conference between the Customs and "
    "Excise Department (C&ED) and the KCS today (November 1) in Seoul, Korea."
)


def test_network(kg3: OxigraphStore) -> None:
    assert columns(kg3, "network") == [
        "agency1", "agency2", "weight", "events", "agreements", "operations", "cooperations", "firstYear",
        "lastYear", "crimeTypes",
    ]  # fmt: skip
    macao_crimes = "drug-trafficking, money-laundering, tobacco-smuggling"
    macao = (CED, MCS, "3", "1", "0", "1", "1", "2024", "2024", macao_crimes)
    assert rows(kg3, "network") == [
        (CED, KCS, "8", "2", "3", "1", "2", "2004", "2023",
         "cybercrime, drug-trafficking, financial-crime, ipr-infringement, money-laundering, "
         "tobacco-smuggling"),
        macao,
    ]  # fmt: skip
    assert rows(kg3, "network", **{"from": "2005"}) == [
        (CED, KCS, "3", "1", "1", "0", "1", "2023", "2023",
         "drug-trafficking, financial-crime, ipr-infringement, money-laundering"),
        macao,
    ]  # fmt: skip
    assert rows(kg3, "network", **{"from": "2024", "to": "2024"}) == [macao]
    assert [r[1] for r in rows(kg3, "network", agency="KCS", to="2004")] == [KCS]


def test_series(kg3: OxigraphStore) -> None:
    assert columns(kg3, "series") == [
        "seriesTitle", "ordinal", "event", "start", "end", "place", "status", "participants", "releases",
    ]  # fmt: skip
    assert rows(kg3, "series") == [
        ("Customs Cooperation Conference", "25", CCC25, "2004-12-16", "2004-12-17",
         "Hong Kong", "held", AGENCIES, R2004),
        ("Customs Cooperation Conference", "34", CCC34, "2023-11-01", None,
         "Seoul", "held", AGENCIES, R2023),
    ]  # fmt: skip
    assert len(rows(kg3, "series", series="customs cooperation", agency="korea customs")) == 2
    assert rows(kg3, "series", agency=MCS) == []


def test_delegation_heads(kg3: OxigraphStore) -> None:
    assert columns(kg3, "delegation-heads") == [
        "start", "eventTitle", "agencyLabel", "head", "honorific", "post", "releases",
    ]  # fmt: skip
    assert rows(kg3, "delegation-heads") == [
        ("2004-12-16", CCC25, CED, "Timothy Tong", "Mr", "Commissioner", R2004),
        ("2004-12-16", CCC25, KCS, "Kim Yong-Duk", "Mr", "Commissioner", R2004),
        ("2023-11-01", CCC34, CED, "Louise Ho", "Ms", "Commissioner", R2023),
        ("2023-11-01", CCC34, KCS, "Ko Kwang hyo", "Mr", "Commissioner", R2023),
        ("2024-06-20", MEETING, CED, "Louise Ho", "Ms", "Commissioner", R2024),
        ("2024-06-20", MEETING, MCS, "Vong Man Chong", "Mr", "Director-General", R2024),
    ]  # fmt: skip
    assert [r[3] for r in rows(kg3, "delegation-heads", agency="C&ED", **{"from": "2005"})] == [
        "Louise Ho", "Louise Ho",
    ]  # fmt: skip
    heads_2004 = rows(kg3, "delegation-heads", event="25th", to="2004")
    assert [r[3] for r in heads_2004] == ["Timothy Tong", "Kim Yong-Duk"]


def test_post_holders_over_time(kg3: OxigraphStore) -> None:
    assert rows(kg3, "post-holders", agency="c&ed") == [
        (CED, "Commissioner", "Timothy Tong", "Mr", "2004-12-17", "2004-12-17", "1"),
        (CED, "Commissioner", "Louise Ho", "Ms", "2023-11-01", "2024-06-20", "2"),
    ]
    assert rows(kg3, "post-holders", post="director") == [
        (MCS, "Director-General", "Vong Man Chong", "Mr", "2024-06-20", "2024-06-20", "1"),
    ]


def test_agreements_by_date(kg: OxigraphStore) -> None:
    in_2004 = rows(kg, "agreements", **{"from": "2004-01-01", "to": "2004-12-31"})
    assert [r[1] for r in in_2004] == [
        "Immediate Notification System", "contact points for cyber crime on intellectual property rights",
    ]  # fmt: skip
    assert [r[1] for r in rows(kg, "agreements", **{"from": "2004-12-18"})] == [
        "Memorandum of Understanding of co-operation and assistance"
    ]
    assert rows(kg, "agreements", to="2004-12-16") == []
    assert [r[1] for r in rows(kg, "agreements", agency="KCS", kind="other", crime="cybercrime")] == [
        "contact points for cyber crime on intellectual property rights"
    ]


def test_seizure_totals(kg3: OxigraphStore) -> None:
    assert columns(kg3, "seizure-totals") == [
        "goodsName", "unit", "year", "place", "seizures", "total", "releases",
    ]  # fmt: skip
    assert rows(kg3, "seizure-totals") == [
        ("cigarettes", "sticks", "2004", None, "1", "3580000", R2004),  # undated: the release's year
        ("cigarettes", "sticks", "2024", "Hong Kong", "2", "1500000", R2024),  # 1200000 + 300000
        ("counterfeit cigarettes", "sticks", "2003", "Italy", "1", "8000000", R2004),
        ("suspected cocaine", "kg", "2024", "Macao", "1", "25", R2024),
    ]
    assert rows(kg3, "seizure-totals", crime="tobacco-smuggling", goods="CIGARETTES", **{"from": "2024"}) == [
        ("cigarettes", "sticks", "2024", "Hong Kong", "2", "1500000", R2024),
    ]


def test_crime_types_per_agency_and_year(kg3: OxigraphStore) -> None:
    assert columns(kg3, "crime-types") == ["agencyLabel", "year", "crimeType", "facts", "releases"]
    assert rows(kg3, "crime-types", agency="Macao Customs") == [
        (MCS, "2024", "tobacco-smuggling", "2", "1"),  # the operation and the cooperation statement
        (MCS, "2024", "drug-trafficking", "1", "1"),
        (MCS, "2024", "money-laundering", "1", "1"),
    ]
    assert rows(kg3, "crime-types", agency="C&ED", crime="drug-trafficking") == [
        (CED, "2004", "drug-trafficking", "2", "1"),
        (CED, "2023", "drug-trafficking", "2", "1"),
        (CED, "2024", "drug-trafficking", "1", "1"),
    ]
    cyber = rows(kg3, "crime-types", crime="cybercrime", **{"from": "2004", "to": "2004"})
    assert [(r[0], r[1]) for r in cyber] == [(CED, "2004"), (KCS, "2004")]


def test_evidence_for_a_fact_by_iri_and_for_every_fact(kg3: OxigraphStore) -> None:
    seizure = f"{ID}seizure/ae7259f768525f4c"
    assert rows(kg3, "evidence", iri=seizure) == [
        (R2004, "1000", "1085", "Seizure", seizure, None,
         "two containers containing over eight million counterfeit cigarettes of a German brand"),
        (R2004, "1257", "1316", "Seizure", seizure, None,
         "the shipment was successfully seized in Italy in April 2003"),
    ]  # fmt: skip
    everything = rows(kg3, "evidence")
    # 24 facts (7 + 9 + 8 in the three releases); a meeting and a seizure have two quotes each.
    assert len(everything) == 26 and len({r[4] for r in everything}) == 24
    assert {r[0] for r in everything} == {R2004, R2023, R2024}


def test_mentions(kg3: OxigraphStore) -> None:
    assert columns(kg3, "mentions", entity="x") == [
        "release", "issued", "title", "entityLabel", "facts", "iri",
    ]  # fmt: skip
    louise = f"{ID}person/hk-ced/louise-ho"
    assert rows(kg3, "mentions", entity="louise ho") == [
        (R2023, "2023-11-01",
         "Hong Kong Customs and Korea Customs Service hold 34th Customs Cooperation Conference (with photos)",
         "Louise Ho", "2", louise),  # her membership and the 34th conference
        (R2024, "2024-06-20", "Hong Kong and Macao Customs step up joint enforcement against smuggling",
         "Louise Ho", "2", louise),  # her membership and the meeting
    ]  # fmt: skip
    by_release = [(r[0], r[4]) for r in rows(kg3, "mentions", entity="C&ED")]
    assert by_release == [(R2004, "6"), (R2023, "6"), (R2024, "4")]
    assert [r[0] for r in rows(kg3, "mentions", entity="Project Crocodile")] == [R2004]
    assert rows(kg3, "mentions", entity="Interpol") == []


def test_linked_through_events(kg: OxigraphStore, kg3: OxigraphStore) -> None:
    assert columns(kg3, "linked-through-events") == [
        "agencyLabel", "via", "reaches", "firstHopEvents", "secondHopEvents",
    ]  # fmt: skip
    assert rows(kg3, "linked-through-events") == [
        (KCS, CED, MCS, CONFERENCES, MEETING),
        (MCS, CED, KCS, MEETING, CONFERENCES),
    ]
    assert rows(kg3, "linked-through-events", agency="kcs") == [(KCS, CED, MCS, CONFERENCES, MEETING)]
    assert rows(kg3, "linked-through-events", agency="C&ED") == []  # C&ED shares events with both
    assert rows(kg, "linked-through-events") == []  # two agencies only: no third to reach


def test_new_partners_per_year(kg3: OxigraphStore) -> None:
    assert columns(kg3, "new-partners") == ["year", "agencyLabel", "newPartners", "partners"]
    assert rows(kg3, "new-partners") == [
        ("2004", CED, "1", KCS),
        ("2004", KCS, "1", CED),
        ("2024", CED, "1", MCS),
        ("2024", MCS, "1", CED),
    ]
    later = rows(kg3, "new-partners", agency="Hong Kong Customs", **{"from": "2005"})
    assert later == [("2024", CED, "1", MCS)]


def test_officials_met(kg3: OxigraphStore) -> None:
    assert columns(kg3, "officials-met", person="x") == [
        "date", "occasion", "official", "honorific", "agencyLabel", "post", "releases",
    ]  # fmt: skip
    assert rows(kg3, "officials-met", person="louise ho") == [
        ("2023-11-01", CCC34, "Ko Kwang hyo", "Mr", KCS, "Commissioner", R2023),
        ("2024-06-20", MEETING, "Vong Man Chong", "Mr", MCS, "Director-General", R2024),
    ]
    assert rows(kg3, "officials-met", person="Timothy Tong") == [
        ("2004-12-16", CCC25, "Kim Yong-Duk", "Mr", KCS, "Commissioner", R2004),
    ]
    assert rows(kg3, "officials-met", person="Nobody") == []


def test_low_confidence(kg3: OxigraphStore) -> None:
    assert columns(kg3, "low-confidence") == [
        "confidence", "type", "fact", "name", "release", "start", "quote",
    ]  # fmt: skip
    assert rows(kg3, "low-confidence") == [
        ("0.5", "Seizure", f"{ID}seizure/e81f5c3a7d9b2046", "suspected cocaine", R2024, "594",
         "Officers also seized 25 kilograms of suspected cocaine in Macao in April 2024"),
        ("0.6", "JointOperation", f"{ID}operation/9e4b2c7a5d1f3086", "Operation Harbour Shield", R2024, "261",
         "Operation Harbour Shield, a joint operation against cigarette smuggling led by the Customs and "
         "Excise Department (C&ED) with the Macao Customs Service from March to May 2024"),
    ]  # fmt: skip
    assert [r[0] for r in rows(kg3, "low-confidence", below="0.75")] == ["0.5", "0.6", "0.7", "0.7"]
    assert rows(kg3, "low-confidence", below="0") == []


def test_evidence_of_attendance(kg3: OxigraphStore) -> None:
    assert columns(kg3, "evidence-of-attendance", person="x") == [
        "official", "eventTitle", "date", "release", "start", "end", "quote",
    ]  # fmt: skip
    # Of the two quotes of the meeting, the one that names her (and him).
    named = ("2024-06-20", R2024, "126", "238", MEETING_QUOTE)
    assert rows(kg3, "evidence-of-attendance", person="Louise Ho", event="macao customs meeting") == [
        ("Louise Ho", MEETING, *named),
    ]
    vong = rows(kg3, "evidence-of-attendance", person="vong man chong")
    assert vong == [("Vong Man Chong", MEETING, *named)]
    # The fixture's one quote of the 34th conference does not name her: all the event's quotes.
    assert rows(kg3, "evidence-of-attendance", person="louise ho") == [
        ("Louise Ho", CCC34, "2023-11-01", R2023, "337", "481",
         "attended the 34th Customs Cooperation Conference between the Customs and Excise Department (C&ED) "
         "and the KCS today (November 1) in Seoul, Korea"),
        ("Louise Ho", MEETING, *named),
    ]  # fmt: skip
    # "Commissioner Tong" names Timothy Tong; no quote names Kim Yong-Duk, so all the event's quotes.
    tong = rows(kg3, "evidence-of-attendance", person="Timothy Tong")
    kim = rows(kg3, "evidence-of-attendance", person="Kim Yong-Duk")
    assert [r[4] for r in tong] == [r[4] for r in kim] == ["390"]


def test_new_quotes_point_into_the_release_texts(kg3: OxigraphStore) -> None:
    texts = {R2024: EXTRA_TEXT} | {r: REPO / "data" / "releases" / f"{r}.txt" for r in (R2004, R2023)}
    for row in rows(kg3, "evidence"):
        assert texts[row[0]].read_text(encoding="utf-8")[int(row[1]) : int(row[2])] == row[6]


def test_evidence_of_attendance_on_the_ingested_seeds(seed_store_path: Path) -> None:
    """The provenance question on the real extraction: which sentence says Louise Ho attended the 34th?"""
    with OxigraphStore(seed_store_path, read_only=True) as store:
        found = rows(store, "evidence-of-attendance", person="Louise Ho", event="34th Customs Cooperation")
    assert found == [
        ("Louise Ho", CCC34, "2023-11-01", R2023, "213", "482", SENTENCE_34),
    ]


def test_named_queries_on_the_ingested_seeds(seed_store_path: Path) -> None:
    with OxigraphStore(seed_store_path, read_only=True) as store:
        assert [r[2] for r in rows(store, "post-holders", agency="C&ED")] == ["Timothy Tong", "Louise Ho"]
        assert [(r[1], r[3]) for r in rows(store, "series")] == [("25", "2004-12-16"), ("34", "2023-11-01")]
        assert [r[2] for r in rows(store, "officials-met", person="Timothy Tong")] == ["Kim Yong-Duk"]


# --- headers and parameters -----------------------------------------------------------------

HEADER = """# title: A test query
# description: First line,
#   continued here.
# param: agency string required - the agency
# param: year integer none - a year
# param: label string "two words" - a default with spaces
# param: day date 2023-11-01 - a date
SELECT ?agency ?year ?label ?day WHERE {
  #@params
}
"""


def test_parse_header() -> None:
    named = query.parse_query(HEADER, "test")
    assert named.title == "A test query"
    assert named.description == "First line, continued here."
    assert named.params == (
        query.Param("agency", "string", None, True, "the agency"),
        query.Param("year", "integer", None, False, "a year"),
        query.Param("label", "string", "two words", False, "a default with spaces"),
        query.Param("day", "date", "2023-11-01", False, "a date"),
    )


def test_bad_param_line_is_reported() -> None:
    with pytest.raises(query.QueryError, match="bad '# param:' line"):
        query.parse_query("# param: x colour red - no such type\nSELECT * {}", "bad")


def test_bind_types_defaults_and_undef(kg: OxigraphStore) -> None:
    named = query.parse_query(HEADER, "test")
    result = query.run(kg, named, {"agency": "KCS", "year": "2004"})
    assert isinstance(result, SelectResult)
    assert result.rows == [
        {
            "agency": rdflib.Literal("KCS"),
            "year": rdflib.Literal(2004),
            "label": rdflib.Literal("two words"),
            "day": rdflib.Literal("2023-11-01", datatype=rdflib.XSD.date),
        }
    ]
    unset = query.run(kg, named, {"agency": "KCS"})
    assert isinstance(unset, SelectResult) and "year" not in unset.rows[0]


def test_required_and_unknown_parameters(kg: OxigraphStore) -> None:
    named = query.parse_query(HEADER, "test")
    with pytest.raises(query.QueryError, match="parameter agency is required"):
        query.run(kg, named, {})
    with pytest.raises(query.QueryError, match="unknown parameter 'colour'"):
        query.run(kg, named, {"agency": "x", "colour": "red"})


@pytest.mark.parametrize(
    ("name", "value"),
    [("year", "2004; DROP ALL"), ("year", "1e3"), ("day", "2023-13-01"), ("day", '2023"} DROP ALL')],
)
def test_typed_parameters_reject_bad_values(kg: OxigraphStore, name: str, value: str) -> None:
    with pytest.raises(query.QueryError, match=f"parameter {name}"):
        query.run(kg, query.parse_query(HEADER, "test"), {"agency": "x", name: value})


MALICIOUS = [
    '"} ; DROP ALL #',
    "x\" } } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #",
    "} UNION { ?s ?p ?o }",
    "'\"\"\"' ; CLEAR DEFAULT",
    "\\\" } DROP ALL #",
    "\\u0022 } DROP ALL #",
    "new\nline # comment } DROP ALL",
    "\\\\\\",
    "$1 \\1 \\g<0>",  # regular-expression replacement syntax
]


@pytest.mark.parametrize("value", MALICIOUS)
def test_a_parameter_value_cannot_change_the_query(kg: OxigraphStore, value: str) -> None:
    echo = query.parse_query("# param: v string required - v\nSELECT ?v WHERE {\n#@params\n}\n", "echo")
    result = query.run(kg, echo, {"v": value})
    assert isinstance(result, SelectResult)
    assert result.rows == [{"v": rdflib.Literal(value)}]  # the value came back as one literal, intact
    before = len(kg)
    assert rows(kg, "partners", agency=value) == []
    assert rows(kg, "evidence", entity=value) == []
    assert len(kg) == before


def test_iri_parameters_are_checked(kg: OxigraphStore) -> None:
    named = query.parse_query("# param: g iri required - g\nSELECT ?g WHERE {\n#@params\n}\n", "iri")
    result = query.run(kg, named, {"g": str(RELEASE_2004)})
    assert isinstance(result, SelectResult) and result.rows == [{"g": RELEASE_2004}]
    for bad in ["no-scheme", "http://x> } DROP ALL #", "http://a b", "http://x>y", "http://x<y", 'http://x"y']:
        with pytest.raises(query.QueryError, match="parameter g"):
            query.run(kg, named, {"g": bad})


def test_params_without_a_marker_are_an_error(kg: OxigraphStore) -> None:
    named = query.parse_query("# param: v string required - v\nSELECT ?v WHERE { }\n", "nomarker")
    with pytest.raises(query.QueryError, match="no '#@params' line"):
        query.run(kg, named, {"v": "x"})


# --- what runs and what is refused --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "DROP ALL",
        "CLEAR DEFAULT",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_updates_are_refused(kg: OxigraphStore, text: str) -> None:
    before = len(kg)
    with pytest.raises(query.QueryError, match="updates are refused"):
        query.run(kg, query.parse_query(text, "-"))
    assert len(kg) == before


def test_syntax_errors_are_one_line(kg: OxigraphStore) -> None:
    with pytest.raises(query.QueryError) as error:
        query.run(kg, query.parse_query("SELECT * WHERE {\n  ?s ?p\n}", "broken.rq"))
    message = str(error.value)
    assert message.startswith("query broken.rq: SPARQL syntax error") and "\n" not in message


def test_empty_query(kg: OxigraphStore) -> None:
    with pytest.raises(query.QueryError, match="empty query"):
        query.run(kg, query.parse_query("# only a comment\n", "-"))


def test_load_query_by_name_file_and_stdin(tmp_path: Path) -> None:
    assert query.load_query("partners").path == query.queries_dir() / "partners.rq"
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nSELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    assert query.load_query(str(path)).title == "Mine"
    assert query.load_query("-", "ASK {}").text == "ASK {}"
    with pytest.raises(query.QueryError, match="no such file"):
        query.load_query(str(tmp_path / "missing.rq"))
    with pytest.raises(query.QueryError, match="unknown query 'nope'"):
        query.load_query("nope")


def test_list_names_every_query_and_parameter() -> None:
    text = query.describe_queries(query.named_queries())
    for name, named in query.named_queries().items():
        assert f"{name}: {named.title}" in text
        for param in named.params:
            assert f"--param {param.name}=<{param.type}>" in text


# --- formats ------------------------------------------------------------------------------------


def _agencies(kg: OxigraphStore) -> SelectResult:
    result = query.run(kg, query.named_queries()["agencies"])
    assert isinstance(result, SelectResult)
    return result


def test_table_is_aligned(kg: OxigraphStore) -> None:
    lines = query.render(_agencies(kg), "table").splitlines()
    assert lines[0].split() == ["agency", "acronyms", "country", "kind", "releases", "partners", "iri"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith(f"{CED}  C&ED ")
    assert lines[2].index("C&ED") == lines[0].index("acronyms") == lines[3].index("KCS")
    assert lines[2].endswith("id:agency/hk-ced")  # IRIs shortened
    assert lines[-1] == "(2 rows)"


def test_csv_follows_sparql_results_csv(kg: OxigraphStore) -> None:
    text = query.render(_agencies(kg), "csv")
    assert "\r\n" in text
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == ["agency", "acronyms", "country", "kind", "releases", "partners", "iri"]
    assert records[1] == [CED, "C&ED", "HK", "customs", "2", "1", f"{ID}agency/hk-ced"]


def test_tsv_writes_rdf_terms(kg: OxigraphStore) -> None:
    lines = query.render(_agencies(kg), "tsv").splitlines()
    assert lines[0] == "?agency\t?acronyms\t?country\t?kind\t?releases\t?partners\t?iri"
    assert lines[1].split("\t") == [
        f'"{CED}"', '"C&ED"', '"HK"', '"customs"',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
        f"<{ID}agency/hk-ced>",
    ]  # fmt: skip


def test_every_results_format_reads_back_as_the_rows(kg: OxigraphStore) -> None:
    rows = _agencies(kg)
    for fmt in ("json", "xml", "tsv"):
        assert read_results(query.render(rows, fmt), fmt) == rows
    assert read_results(query.render(True, "xml"), "xml") is True
    construct = query.run(kg, query.parse_query("CONSTRUCT { ?a a ?c } WHERE { ?a a ?c }", "q"))
    assert isinstance(construct, rdflib.Graph)
    assert isomorphic(rdflib.Graph().parse(data=query.render(construct, "xml"), format="xml"), construct)


def test_json_follows_sparql_results_json(kg: OxigraphStore) -> None:
    data = json.loads(query.render(_agencies(kg), "json"))
    assert data["head"]["vars"][0] == "agency"
    first = data["results"]["bindings"][0]
    assert first["agency"] == {"type": "literal", "value": CED}
    assert first["releases"] == {
        "type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }  # fmt: skip
    assert first["iri"] == {"type": "uri", "value": f"{ID}agency/hk-ced"}
    timeline = query.run(kg, query.named_queries()["event-timeline"])
    assert "end" not in json.loads(query.render(timeline, "json"))["results"]["bindings"][0]  # unbound


def test_markdown_escapes_pipes() -> None:
    result = SelectResult(["a", "b"], [{"a": rdflib.Literal("x | y"), "b": rdflib.Literal("z")}])
    assert query.render(result, "markdown") == "| a | b |\n|---|---|\n| x \\| y | z |\n"


def test_ask_and_construct_results(kg: OxigraphStore) -> None:
    assert json.loads(query.render(True, "json")) == {"head": {}, "boolean": True}
    assert query.render(False, "table").splitlines()[2] == "false"
    graph = kg.query("CONSTRUCT { ?a a ?c } WHERE { ?a a ?c } LIMIT 2")
    assert isinstance(graph, rdflib.Graph)
    parsed = rdflib.Graph().parse(data=query.render(graph, "table"), format="turtle")
    assert len(parsed) == 2


# --- year parameters, syntax errors, timeouts, graph formats, the command line -----------------------


@pytest.mark.parametrize("value", ["04", "2004.5", "20045", "MMIV", "2004-01-01"])
def test_year_parameters_are_four_digit_years(kg: OxigraphStore, value: str) -> None:
    with pytest.raises(query.QueryError, match=rf"parameter from: '{value}' is not a year \(YYYY\)"):
        rows(kg, "network", **{"from": value})


def test_year_parameters_are_bound_as_integers(kg: OxigraphStore) -> None:
    named = query.parse_query("# param: y year required - y\nSELECT ?y WHERE {\n#@params\n}\n", "year")
    result = query.run(kg, named, {"y": "2004"})
    assert isinstance(result, SelectResult) and result.rows == [{"y": rdflib.Literal(2004)}]


def test_syntax_errors_give_line_and_column(kg: OxigraphStore) -> None:
    broken = query.parse_query("PREFIX x: <http://x/>\nSELECT * WHERE {\n  ?s ?p\n}", "broken.rq")
    where = r"^query broken\.rq: SPARQL syntax error at line 4, column \d+: "
    with pytest.raises(query.QueryError, match=where):
        query.run(kg, broken)


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^11 rows


def test_timeout_stops_a_slow_query(kg3_path: Path) -> None:
    with OxigraphStore(kg3_path, read_only=True) as store:
        started = time.monotonic()
        with pytest.raises(query.QueryError, match=r"^query timed out after 1 s$"):
            query.run(store, query.parse_query(SLOW, "-"), timeout=1)
        assert time.monotonic() - started < 30
        named = query.named_queries()["partners"]
        fast = query.run(store, named, {"agency": "KCS"}, timeout=60)
        assert fast == query.run(store, named, {"agency": "KCS"})
        construct = query.parse_query("CONSTRUCT { ?a a ?c } WHERE { ?a a ?c }", "-")
        graph = query.run(store, construct, timeout=60)
        assert isinstance(graph, rdflib.Graph) and len(graph) > 0
        with pytest.raises(query.QueryError, match="SPARQL syntax error at line 1"):
            query.run(store, query.parse_query("SELECT * WHERE { ?s }", "-"), timeout=60)
        with pytest.raises(query.QueryError, match="updates are refused"):
            query.run(store, query.parse_query("DROP ALL", "-"), timeout=60)


def test_timeout_needs_a_store_on_disk(kg: OxigraphStore) -> None:
    with pytest.raises(query.QueryError, match="needs a store on disk"):
        query.run(kg, query.named_queries()["agencies"], timeout=5)


def test_graph_results_as_turtle_and_json_ld(kg: OxigraphStore) -> None:
    graph = kg.query("CONSTRUCT { ?a a ?c } WHERE { ?a a ?c } LIMIT 3")
    assert isinstance(graph, rdflib.Graph)
    turtle = rdflib.Graph().parse(data=query.render(graph, "turtle"), format="turtle")
    jsonld = rdflib.Graph().parse(data=query.render(graph, "jsonld"), format="json-ld")
    assert len(turtle) == len(jsonld) == 3
    with pytest.raises(query.QueryError, match="format turtle is for CONSTRUCT and DESCRIBE results"):
        query.render(_agencies(kg), "turtle")
    with pytest.raises(query.QueryError, match="an ASK query gives rows"):
        query.render(True, "jsonld")




def test_cli_query_a_named_query_with_parameters(kg3_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "attended.csv"
    result = run_cli(
        "--store", kg3_path, "query", "evidence-of-attendance", "-p", "person=Louise Ho",
        "--param", "event=meeting", "--format", "csv", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    records = list(csv.reader(io.StringIO(out.read_text())))
    assert [r[-1] for r in records[1:]] == [MEETING_QUOTE]


def test_cli_query_timeout(kg3_path: Path) -> None:
    result = run_cli("--store", kg3_path, "query", "-", "--timeout", "1", input=SLOW)
    assert result.exit_code == 2
    assert result.stderr == "cckg: error: query timed out after 1 s\n"
    assert run_cli("--store", kg3_path, "query", "agencies", "--timeout", "0").exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["network", "-p", "from=last year"], "parameter from: 'last year' is not a year (YYYY)"),
        (["low-confidence", "-p", "below=low"], "parameter below: 'low' is not a decimal number"),
        (["agreements", "-p", "from=2004-02-30"], "parameter from: '2004-02-30' is not a date (YYYY-MM-DD)"),
        (["evidence", "-p", "iri=not an iri"], "parameter iri: 'not an iri' is not an absolute IRI"),
        (["agencies", "--format", "turtle"], "format turtle is for CONSTRUCT and DESCRIBE results"),
    ],
)
def test_cli_query_bad_values_are_one_line(store_path: Path, args: list[str], message: str) -> None:
    result = run_cli("--store", store_path, "query", *args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"cckg: error: {message}")


def test_cli_query_graph_and_boolean_results(store_path: Path) -> None:
    construct = "CONSTRUCT { ?a a ?c } WHERE { ?a a ?c FILTER(?c = <https://w3id.org/cckg/ns#Agency>) }"
    turtle = run_cli("--store", store_path, "query", "-", "--format", "turtle", input=construct)
    assert turtle.exit_code == 0 and len(rdflib.Graph().parse(data=turtle.stdout, format="turtle")) == 2
    describe = f"DESCRIBE <{ID}agency/kr-kcs>"
    jsonld = run_cli("--store", store_path, "query", "-", "--format", "jsonld", input=describe)
    assert jsonld.exit_code == 0 and len(rdflib.Graph().parse(data=jsonld.stdout, format="json-ld")) > 5
    ask = run_cli("--store", store_path, "query", "-", "--format", "json", input="ASK { ?s ?p ?o }")
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    table = run_cli("--store", store_path, "query", "-", input="ASK { ?s a <https://example.org/Nothing> }")
    assert table.stdout.splitlines()[:3] == ["result", "------", "false"]


def test_the_readme_shows_every_named_query() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    named = readme.split("\n## Named queries\n", 1)[1].split("\n## ", 1)[0]
    for name, query_ in query.named_queries().items():
        assert f"### `{name}`: {query_.title}\n" in named, f"README.md: no sample of query {name}"
        assert f"$ cckg --store out/store query {name}" in named
