"""cckg show: finding an entity by name, acronym or IRI, its card, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from cckg.store import OxigraphStore
from cckg.views import show
from conftest import load_three_releases, run_cli

ID = "https://w3id.org/cckg/id/"
R2023, R2004, R2024 = "000_d93ee451fa80120b", "001_c98b5c3fca22d16e", "002_5e1f0c2a9b7d4e31"
CED, KCS, MCS = "Customs and Excise Department", "Korea Customs Service", "Macao Customs Service"

# Two officials called Chan Tai-man, of two agencies (the data model keeps them apart), one of whom
# signed an agreement.
TWO_CHANS = f"""
@prefix cckg: <https://w3id.org/cckg/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <http://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ID}person/hk-ced/chan-tai-man> a schema:Person ; schema:name "Chan Tai-man" ;
    org:memberOf <{ID}agency/hk-ced> .
<{ID}person/mo-customs/chan-tai-man> a schema:Person ; schema:name "Chan Tai-man" ;
    org:memberOf <{ID}agency/mo-customs> .
<{ID}agreement/test> a cckg:Agreement ; schema:name "Harbour Shield arrangement" ;
    dcterms:date "2024-06-20"^^xsd:date ; cckg:party <{ID}agency/hk-ced>, <{ID}agency/mo-customs> ;
    cckg:signatory <{ID}person/mo-customs/chan-tai-man> ;
    cckg:evidence <{ID}evidence/test/0-10> ; cckg:confidence 0.9 .
<{ID}evidence/test/0-10> oa:hasSource <{ID}release/test> ; oa:hasSelector <{ID}evidence/test/0-10/q> .
<{ID}evidence/test/0-10/q> oa:exact "signed by Mr Chan" .
"""


def with_two_chans(store: OxigraphStore) -> OxigraphStore:
    load_three_releases(store)
    store.replace_graph(rdflib.URIRef(f"{ID}release/test"), rdflib.Graph().parse(data=TWO_CHANS))
    return store


def section(card: show.Card, title: str) -> list[show.Fact]:
    [found] = [s for s in card.sections if s.title == title]
    return found.facts




# --- finding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Customs and Excise Department", "customs and excise department", "C&ED", "c&ed", "Hong Kong Customs",
     f"{ID}agency/hk-ced", "id:agency/hk-ced", "  C&ED  "],
)  # fmt: skip
def test_find_by_name_alias_acronym_or_iri(kg3: OxigraphStore, name: str) -> None:
    assert show.find(kg3, name) == [show.Candidate(f"{ID}agency/hk-ced", "agency", CED)]


def test_find_people_events_and_places(kg3: OxigraphStore) -> None:
    louise = show.Candidate(f"{ID}person/hk-ced/louise-ho", "person", "Louise Ho", CED)
    assert show.find(kg3, "LOUISE HO") == [louise]
    [event] = show.find(kg3, "25th customs cooperation conference")
    assert (event.kind, event.context) == ("event", "2004-12-16")
    macao = show.Candidate("https://sws.geonames.org/1821274/", "place", "Macao", "MO")
    assert show.find(kg3, "Macao") == [macao]
    assert show.find(kg3, "Interpol") == []
    assert show.find(kg3, '"} } DROP ALL #') == []
    assert show.find(kg3, "id:agency/no such") == show.find(kg3, "Note: C&ED") == []


def test_an_ambiguous_name_lists_the_candidates() -> None:
    with OxigraphStore() as store:
        with_two_chans(store)
        with pytest.raises(show.AmbiguousEntity) as error:
            show.show(store, "chan tai-man")
        assert error.value.candidates == [
            show.Candidate(f"{ID}person/hk-ced/chan-tai-man", "person", "Chan Tai-man", CED),
            show.Candidate(f"{ID}person/mo-customs/chan-tai-man", "person", "Chan Tai-man", MCS),
        ]
        assert str(error.value) == "'chan tai-man' matches 2 entities; give one of these IRIs"
        chan = show.show(store, f"{ID}person/mo-customs/chan-tai-man")  # the IRI picks one
        assert [(f.date, f.text) for f in section(chan, "Agreements signed")] == [
            ("2024-06-20", f"Harbour Shield arrangement; participants: {CED}, {MCS}")
        ]


def test_an_unknown_name(kg3: OxigraphStore) -> None:
    with pytest.raises(show.EntityNotFound, match="no entity called 'Interpol'"):
        show.show(kg3, "Interpol")


# --- cards -------------------------------------------------------------------------------------------


def test_agency_card(kg3: OxigraphStore) -> None:
    card = show.show(kg3, "C&ED")
    assert (card.kind, card.name, card.aliases) == ("agency", CED, ["C&ED", "Hong Kong Customs"])
    assert card.details == [("country", "HK"), ("kind", "customs")]
    assert [s.title for s in card.sections] == [
        "Posts and holders", "Events", "Agreements", "Joint operations", "Partners",
    ]  # fmt: skip
    assert [(f.date, f.text) for f in section(card, "Posts and holders")] == [
        ("2004-12-17", "Commissioner: Mr Timothy Tong"),
        ("2023-11-01", "Commissioner: Ms Louise Ho"),
        ("2024-06-20", "Commissioner: Ms Louise Ho"),
    ]
    events = section(card, "Events")
    assert [f.date for f in events] == ["2004-12-16", "2023-02", "2023-11-01", "2024-03", "2024-06-20"]
    assert events[2].text == (
        "34th Customs Cooperation Conference (conference, held, Seoul); with Korea Customs Service; "
        "heads: Mr Ko Kwang hyo (Korea Customs Service); Ms Louise Ho (Customs and Excise Department)"
    )
    assert [(e.release, e.start, e.end) for e in events[2].evidence] == [(R2023, 337, 481)]
    assert [f.text for f in section(card, "Agreements")][2] == (
        "Memorandum of Understanding of co-operation and assistance (mou); with Korea Customs Service; "
        "topics: drug-trafficking, financial-crime"
    )
    assert [(f.text, f.confidence) for f in section(card, "Joint operations")] == [
        ("Project Crocodile; led by Customs and Excise Department; with Korea Customs Service; "
         "topics: tobacco-smuggling", 0.75),
        ("Operation Harbour Shield; led by Customs and Excise Department; with Macao Customs Service; "
         "topics: tobacco-smuggling", 0.6),
    ]  # fmt: skip
    partners = section(card, "Partners")
    assert [(f.date, f.text) for f in partners] == [
        ("2004", "Korea Customs Service (KR): 2004-2023; 2 events, 3 agreements, 1 joint operation, "
                 "2 cooperation statements"),
        ("2024", "Macao Customs Service (MO): 2024; 1 event, 1 joint operation, 1 cooperation statement"),
    ]  # fmt: skip
    assert [e.quote for e in partners[1].evidence] == [
        "the C&ED would keep working with Macao Customs to combat drug trafficking and money laundering"
    ]


def test_person_card(kg3: OxigraphStore) -> None:
    card = show.show(kg3, "Louise Ho")
    assert (card.kind, card.details) == ("person", [("honorific", "Ms"), ("agency", CED)])
    assert [(f.date, f.text, [e.release for e in f.evidence]) for f in section(card, "Posts held")] == [
        ("2023-11-01", f"Commissioner, {CED}", [R2023]),
        ("2024-06-20", f"Commissioner, {CED}", [R2024]),
    ]
    events = section(card, "Events (head of delegation)")
    assert [(f.date, f.text.split(" (")[0]) for f in events] == [
        ("2023-11-01", "34th Customs Cooperation Conference"),
        ("2024-06-20", "Hong Kong-Macao customs meeting"),
    ]
    assert events[1].evidence == [
        show.Evidence(R2024, "Ms Louise Ho, met the Director-General of the Macao Customs Service, "
                      "Mr Vong Man Chong, in Macao today (June 20)", 126, 238),
        show.Evidence(R2024, "Both sides reviewed Operation Harbour Shield", 241, 285),
    ]  # fmt: skip
    assert section(card, "Agreements signed") == []


def test_event_card(kg3: OxigraphStore) -> None:
    card = show.show(kg3, "25th Customs Cooperation Conference")
    assert card.details == [
        ("type", "conference"),
        ("date", "2004-12-16 to 2004-12-17"),
        ("place", "Hong Kong"),
        ("status", "held"),
        ("series", "Customs Cooperation Conference"),
        ("ordinal", "25"),
        ("participants", f"{CED}; {KCS}"),
        ("heads of delegation", f"Mr Kim Yong-Duk ({KCS}); Mr Timothy Tong ({CED})"),
        ("confidence", "0.95"),
    ]
    [evidence] = section(card, "Evidence")
    assert [(e.release, e.start) for e in evidence.evidence] == [(R2004, 390)]


def test_other_cards_list_properties_evidence_and_referring_facts(kg3: OxigraphStore) -> None:
    series = show.show(kg3, "Customs Cooperation Conference")
    assert series.kind == "event series"
    assert [f.text.split(" (")[0] for f in section(series, "Referred to by")] == [
        "25th Customs Cooperation Conference", "34th Customs Cooperation Conference",
    ]  # fmt: skip
    operation = show.show(kg3, "operation harbour shield")
    assert ("ledBy", CED) in operation.details and ("startDate", "2024-03") in operation.details
    [fact] = section(operation, "Evidence")
    assert (fact.confidence, fact.evidence[0].start) == (0.6, 261)


def test_text_card(kg3: OxigraphStore) -> None:
    text = show.render_text(show.show(kg3, "Hong Kong-Macao customs meeting"))
    assert text == (
        "Hong Kong-Macao customs meeting\n"
        f"  event  {ID}event/5a0c3e9d7b214f68\n"
        "  type: meeting\n"
        "  date: 2024-06-20\n"
        "  place: Macao\n"
        "  status: held\n"
        "  participants: Customs and Excise Department; Macao Customs Service\n"
        "  heads of delegation: Ms Louise Ho (Customs and Excise Department); Mr Vong Man Chong (Macao\n"
        "      Customs Service)\n"
        "  confidence: 0.9\n"
        "\n"
        "Evidence\n"
        "  2024-06-20  Hong Kong-Macao customs meeting\n"
        '              "Ms Louise Ho, met the Director-General of the Macao Customs Service, Mr Vong Man\n'
        '               Chong, in Macao today (June 20)" (release 002_5e1f0c2a9b7d4e31, chars 126-238)\n'
        '              "Both sides reviewed Operation Harbour Shield" (release 002_5e1f0c2a9b7d4e31, chars\n'
        "               241-285)\n"
    )
    agency = show.render_text(show.show(kg3, "Macao Customs Service"))
    assert "\nJoint operations\n  2024-03     Operation Harbour Shield; led by Customs and Excise" in agency
    assert "tobacco-smuggling [low confidence: 0.6]\n" in agency
    assert "\nAgreements\n  (none)\n" in agency
    assert max(len(line) for line in agency.splitlines()) <= show.WIDTH


# --- the command line ----------------------------------------------------------------------------------


def test_cli_show_text_and_json(kg3_path: Path, tmp_path: Path) -> None:
    result = run_cli("--store", kg3_path, "show", "Louise Ho")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Louise Ho\n  person  {ID}person/hk-ced/louise-ho\n")
    assert "\nEvents (head of delegation)\n  2023-11-01  34th Customs Cooperation Conference" in result.stdout
    out = tmp_path / "ced.json"
    result = run_cli("--store", kg3_path, "show", "c&ed", "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text())
    assert (data["kind"], data["name"]) == ("agency", CED)
    assert data["details"][0] == {"name": "country", "value": "HK"}
    assert data["sections"][0]["facts"][0]["evidence"][0] == {
        "release": R2004, "quote": "the Commissioner of Hong Kong Customs, Mr Timothy Tong",
        "start": 328, "end": 382,
    }  # fmt: skip


def test_cli_show_ambiguous_and_unknown(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        with_two_chans(store)
    result = run_cli("--store", path, "show", "Chan Tai-man")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "cckg: error: 'Chan Tai-man' matches 2 entities; give one of these IRIs:",
        f"  {ID}person/hk-ced/chan-tai-man  person  Chan Tai-man ({CED})",
        f"  {ID}person/mo-customs/chan-tai-man  person  Chan Tai-man ({MCS})",
    ]
    assert run_cli("--store", path, "show", f"{ID}person/hk-ced/chan-tai-man").exit_code == 0
    unknown = run_cli("--store", path, "show", "Interpol")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "cckg: error: no entity called 'Interpol' (names, aliases, acronyms and IRIs are searched)\n"
    )
    missing = run_cli("--store", tmp_path / "nowhere", "show", "C&ED")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


# --- on the seeds, really ingested ----------------------------------------------------------------------


def test_show_on_the_ingested_seeds(seed_store_path: Path) -> None:
    with OxigraphStore(seed_store_path, read_only=True) as store:
        louise = show.show(store, "Louise Ho")
        ced = show.show(store, "C&ED")
    posts = [(f.date, f.text) for f in section(louise, "Posts held")]
    assert posts == [("2023-11-01", f"Commissioner, {CED}")]
    conference = [f for f in section(louise, "Events (head of delegation)") if f.date == "2023-11-01"]
    assert conference[0].text.startswith("34th Customs Cooperation Conference (conference, held, Seoul)")
    assert any("Ms Louise Ho" in e.quote and e.start == 213 for e in conference[0].evidence)
    holders = [f.text for f in section(ced, "Posts and holders")]
    assert holders == ["Commissioner: Mr Timothy Tong", "Commissioner: Ms Louise Ho"]
    events = {f.text.split(" (")[0]: f.date for f in section(ced, "Events")}
    assert events["25th Customs Cooperation Conference"] == "2004-12-16"
    assert events["34th Customs Cooperation Conference"] == "2023-11-01"
    [partner] = section(ced, "Partners")
    assert partner.text.startswith("Korea Customs Service (KR): 2004-")
    assert all(e.release in (R2004, R2023) and e.quote for f in ced.sections[0].facts for e in f.evidence)
