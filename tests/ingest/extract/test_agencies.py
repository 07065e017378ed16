"""Agency mentions (cckg.ingest.extract.agencies) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge, agencies
from cckg.model import ReleaseFacts

from .conftest import facts


def named(found: ReleaseFacts) -> dict[str, tuple[str | None, str, list[str]]]:
    return {a.name: (a.country, a.kind, a.acronyms) for a in found.agencies}


def test_gazetteer_names_aliases_and_acronyms(kb: Knowledge) -> None:
    found = facts("Ruritanian Customs met the FRA and the Freedonia Police Force.", kb)
    assert named(found) == {
        "Ruritania Customs Service": ("XR", "customs", ["RCS"]),
        "Freedonia Revenue Administration": ("XF", "customs", ["FRA"]),
        "Freedonia Police Force": ("XF", "police", ["FPF"]),
    }
    by_name = {a.name: a for a in found.agencies}
    assert [(r[0], r[1]) for r in by_name["Ruritania Customs Service"].resolutions] == [
        ("Ruritanian Customs", "gazetteer alias")
    ]
    assert [(r[0], r[1]) for r in by_name["Freedonia Revenue Administration"].resolutions] == [
        ("FRA", "gazetteer acronym")
    ]
    assert by_name["Freedonia Police Force"].resolutions == []
    assert all(a.confidence == kb.confidence.known_agency for a in found.agencies)


def test_an_acronym_defined_right_after_a_name(kb: Knowledge) -> None:
    text = "The Freedonia Police Force (FPS) met officers today."
    (police,) = facts(text, kb).agencies
    assert police.name == "Freedonia Police Force" and police.acronyms == ["FPF", "FPS"]
    assert [(r[0], r[1], r[2].start) for r in police.resolutions] == [
        ("FPS", "acronym defined in the text", text.index("FPS"))
    ]


def test_later_uses_of_a_defined_acronym_are_mentions_of_the_agency(kb: Knowledge) -> None:
    text = "The Freedonia Police Force (FPS) met the RCS today. The RCS worked together with the FPS."
    found = facts(text, kb)
    assert [c.agencies for c in found.cooperation] == [
        ("Freedonia Police Force", "Ruritania Customs Service")
    ]
    text = "The Freedonia Police Force (FPS) met today. FPS Director Mr Ivo Kral met the RCS."
    assert [(o.name, o.agency) for o in facts(text, kb).officials] == [("Ivo Kral", "Freedonia Police Force")]


def test_an_acronym_after_an_unknown_name(kb: Knowledge) -> None:
    found = facts("The Marine Safety Bureau (MSB) met the RCS. The MSB thanked it.", kb)
    assert named(found)["Marine Safety Bureau"] == (None, "other", ["MSB"])
    unknown = next(a for a in found.agencies if a.name == "Marine Safety Bureau")
    assert unknown.key == "marine-safety-bureau" and unknown.confidence == kb.confidence.unknown_agency


def test_one_letter_and_lower_case_brackets_are_not_acronyms(kb: Knowledge) -> None:
    found = facts("The Freedonia Police Force (F) and the Freedonia Police Force (Fp) met.", kb)
    assert [a.acronyms for a in found.agencies] == [["FPF"]]


def test_compound_mentions(kb: Knowledge) -> None:
    found = facts("The Ruritania and Freedonia Customs met in Zenda.", kb)
    assert sorted(a.name for a in found.agencies) == [
        "Freedonia Revenue Administration",
        "Ruritania Customs Service",
    ]
    assert all(r[1] == "compound mention" for a in found.agencies for r in a.resolutions)
    found = facts("The Korea, Ruritania and Strelsau Province Police met.", kb)
    assert named(found) == {
        "Korea Police": ("KR", "police", []),
        "Ruritania Police": ("XR", "police", []),
        "Strelsau Province Police": ("XR", "police", []),
    }
    found = facts("The Korea and Strelsau Province Customs met.", kb)
    assert sorted(a.name for a in found.agencies) == ["Korea Customs", "Strelsau Province Customs"]


def test_unknown_agencies_by_country_or_named_twice(kb: Knowledge) -> None:
    found = facts("Our Ruritanian Marine Department met the Fair Play Commission. Then it left.", kb)
    assert named(found) == {"Ruritanian Marine Department": ("XR", "other", [])}
    found = facts("The Fair Play Commission met. The Fair Play Commission left.", kb)
    assert named(found) == {"Fair Play Commission": (None, "other", [])}
    found = facts("The Director of the Ruritanian Harbour Authority of Strelsau Province spoke.", kb)
    (authority,) = found.agencies
    assert authority.name == "Ruritanian Harbour Authority of Strelsau Province"
    assert authority.aliases == ["Ruritanian Harbour Authority"]


def test_a_known_name_joined_to_led(kb: Knowledge) -> None:
    found = facts("An RLO-coordinated operation ran in May 2021.", kb)
    assert [(a.name, a.kind, a.country) for a in found.agencies] == [
        ("Regional Liaison Office", "intergovernmental", None)
    ]


def test_references_back_to_the_last_agency_with_that_noun(kb: Knowledge) -> None:
    found = facts("The Anti-Graft Bureau of Ruritania met the RCS. The Bureau thanked the Service.", kb)
    reasons = {a.name: [(r[0], r[1]) for r in a.resolutions] for a in found.agencies}
    assert reasons["Anti-Graft Bureau of Ruritania"] == [("the bureau", "reference back")]
    assert ("the service", "reference back") in reasons["Ruritania Customs Service"]
    found = facts("The Department thanked us.", kb)
    assert found.agencies == []


def test_a_body_named_before_its_own_unit_is_part_of_its_name(kb: Knowledge) -> None:
    found = facts("The Regional Liaison Office Freedonia Police Force met.", kb)
    assert [a.name for a in found.agencies] == ["Freedonia Police Force"]


def test_kinds_and_countries_of_names_the_gazetteer_does_not_know(kb: Knowledge) -> None:
    assert agencies._kind_for("Strelsau Customs Service", kb) == "customs"  # the longest head
    assert agencies._kind_for("Harbour Police Bureau", kb) == "police"  # police is longer than bureau
    assert agencies._kind_for("Harbour Bureau", kb) == "other"
    assert agencies._kind_for("Harbour Watch", kb) == "other"
    assert agencies._place_code("Royal Ruritanian Harbour Bureau", kb) == "XR"
    assert agencies._place_code("Strelsau Province Harbour Bureau", kb) == "XR"
    assert agencies._place_code("Korea Harbour Bureau", kb) == "KR"
    assert agencies._place_code("Harbour Bureau", kb) is None
    assert agencies._place_code("Koreas Harbour Bureau", kb) is None  # whole words only
    assert agencies._gazetteer_reason("RCS", kb.agencies["xr-rcs"]) == "gazetteer acronym"
    assert agencies._gazetteer_reason("Ruritanian Customs", kb.agencies["xr-rcs"]) == "gazetteer alias"
    assert agencies._gazetteer_reason("Harbour Bureau", None) == "agency-name pattern"


def test_each_part_of_a_compound_is_an_agency(kb: Knowledge) -> None:
    assert agencies._compound_part("Ruritania", "Customs", kb) == "xr-rcs"  # that country's customs
    assert agencies._compound_part("Ruritanian", "Customs", kb) == "xr-rcs"  # a gazetteer alias
    assert agencies._compound_part("Strelsau Province", "Customs", kb) == "strelsau-province-customs"
    assert agencies._compound_part("Ruritania", "Police", kb) == "ruritania-police"
    assert agencies._compound_part("Atlantis", "Customs", kb) == "atlantis-customs"


def test_a_name_spelled_out_before_its_acronym(kb: Knowledge) -> None:
    found = facts("The Board of Harbour Pilots (BHP) met the RCS. The BHP thanked it.", kb)
    assert named(found)["Board of Harbour Pilots"] == (None, "other", ["BHP"])
    # Connectors and the words of a long name: "on", and several letters from one word.
    text = "It met the Commission on Reef Protection (CORP) and the Narcotics Control Board (NACOB)."
    found = facts(text, kb)
    assert {a.name: a.acronyms for a in found.agencies} == {
        "Commission on Reef Protection": ["CORP"],
        "Narcotics Control Board": ["NACOB"],
    }


def test_a_spelled_out_name_must_name_an_organisation(kb: Knowledge) -> None:
    found = facts("The Coastal Safety Programme (CSP) and the Blue River Union Plan (BRUP) began.", kb)
    assert found.agencies == []
    # The initials must give the acronym: only the words that do are the name.
    found = facts("Officers of the new Grain Union (GU) met.", kb)
    assert named(found) == {"Grain Union": (None, "other", ["GU"])}


def test_an_acronym_defined_in_the_text_wins_over_the_gazetteer(kb: Knowledge) -> None:
    text = "The Fisheries Regulation Agency (FRA) met the RCS. The FRA signed."
    found = facts(text, kb)
    names = sorted(a.name for a in found.agencies)
    assert names == ["Fisheries Regulation Agency", "Ruritania Customs Service"]
    # Spelled out as the gazetteer's body written a little otherwise: still that body.
    found = facts("The Anti-Graft Bureaus (AGB) met. The AGB signed.", kb)
    assert [a.name for a in found.agencies] == ["Anti-Graft Bureau of Ruritania"]


def test_a_possessive_place_is_not_part_of_an_unknown_name(kb: Knowledge) -> None:
    found = facts("Officers of Freedonia's Harbour Bureau met the RCS. The Harbour Bureau thanked them.", kb)
    assert "Harbour Bureau" in named(found)


def test_an_unknown_name_with_a_for_tail(kb: Knowledge) -> None:
    found = facts("The Liaison Bureau for Ruritania met. The Liaison Bureau for Ruritania signed.", kb)
    assert named(found)["Liaison Bureau for Ruritania"] == ("XR", "other", [])


def test_the_country_of_an_unknown_agency_from_its_context(kb: Knowledge) -> None:
    found = facts("The Harbour Board (HB) of Freedonia met the RCS.", kb)
    assert named(found)["Harbour Board"][0] == "XF"
    # Else the first place of its sentence, else the country the release names most.
    found = facts("In Ruritania the Grain Union (GU) met. The Coast Board (CB) signed.", kb)
    assert named(found)["Grain Union"][0] == "XR" and named(found)["Coast Board"][0] == "XR"


def test_a_bare_head_refers_back_to_the_agency_named_with_it(kb: Knowledge) -> None:
    found = facts("The Ruritania Customs Service met the FRA. The Customs Service thanked it.", kb)
    assert sorted(a.name for a in found.agencies) == [
        "Freedonia Revenue Administration",
        "Ruritania Customs Service",
    ]


def test_an_unknown_name_ends_on_a_whole_head_word(kb: Knowledge) -> None:
    found = facts("Ruritania Bureau Commissioner Ivo Kral met Freedonia Departmental staff.", kb)
    assert found.agencies == []


def test_a_body_that_also_names_a_region_only_where_it_acts(kb: Knowledge) -> None:
    # The test knowledge lists the Union of the Two Realms among the names that are also regions.
    found = facts("Goods bound for UTR ports came into the UTR. The UTR's budget grew. The RCS acted.", kb)
    assert [a.name for a in found.agencies] == ["Ruritania Customs Service"]
    found = facts("The RCS met with the support of the UTR through its fund.", kb)
    assert sorted(a.name for a in found.agencies) == ["Ruritania Customs Service", "Union of the Two Realms"]


def test_a_post_is_not_an_unknown_agency(kb: Knowledge) -> None:
    found = facts("The Ruritania Director of Customs met the FRA.", kb)
    assert [a.name for a in found.agencies] == ["Freedonia Revenue Administration"]
