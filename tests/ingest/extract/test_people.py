"""Officials (cckg.ingest.extract.people) on the small test knowledge."""

from __future__ import annotations

from cckg.ingest.extract import Knowledge, people
from cckg.ingest.extract.agencies import AgencyFinding

from .conftest import context, facts


def officials(text: str, kb: Knowledge) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
    return {o.name: (o.honorific, o.title, o.post, o.agency) for o in facts(text, kb).officials}


def test_honorific_and_title_before_the_name(kb: Knowledge) -> None:
    found = officials(
        "The Commissioner of Ruritanian Customs, Ms Anna Berg, met Dr. Ivo Kral of the FRA.", kb
    )
    assert found == {
        "Anna Berg": (
            "Ms",
            "Commissioner of Ruritanian Customs",
            "Commissioner",
            "Ruritania Customs Service",
        ),
        "Ivo Kral": ("Dr", None, None, "Freedonia Revenue Administration"),
    }


def test_title_after_the_name_and_its_of_tail(kb: Knowledge) -> None:
    found = officials("Mr Piet van Dam, Director General of the Freedonia Police Force, spoke.", kb)
    assert found == {
        "Piet van Dam": (
            "Mr",
            "Director General of the Freedonia Police Force",
            "Director General",
            "Freedonia Police Force",
        )
    }


def test_an_agency_right_before_the_honorific(kb: Knowledge) -> None:
    found = officials("The FRA and RCS Commissioner Mr Jan Wolf met. FRA Mr Ola Lind spoke.", kb)
    assert found["Jan Wolf"][1:] == ("Commissioner", "Commissioner", None) or found["Jan Wolf"][3] is not None
    assert found["Ola Lind"][3] == "Freedonia Revenue Administration"


def test_a_title_with_no_honorific(kb: Knowledge) -> None:
    found = officials("The Director of the RCS, Ivo Kral, met Secretary General Ana Kos.", kb)
    assert found["Ivo Kral"][1] == "Director of the RCS"
    assert found["Ivo Kral"][3] == "Ruritania Customs Service"
    assert found["Ana Kos"][:2] == (None, "Secretary General")
    assert officials("The Director Kral spoke.", kb) == {}  # one word and no honorific: too weak


def test_short_references_are_the_same_person(kb: Knowledge) -> None:
    found = facts(
        "Ms Anna Berg of the RCS met Mr Ivo Kral. Ms Berg thanked Mr Kral. Commissioner Berg spoke.", kb
    )
    assert [o.name for o in found.officials] == ["Anna Berg", "Ivo Kral"]
    assert all(o.confidence == kb.confidence.official for o in found.officials)
    assert found.officials[0].evidence[0].quote.startswith("Ms Anna Berg")


def test_names_end_before_verbs_titles_and_agencies(kb: Knowledge) -> None:
    assert list(officials("Mr Ivo Kral said it worked.", kb)) == ["Ivo Kral"]
    assert list(officials("Mr Ivo Kral and Ms Ana Kos met.", kb)) == ["Ivo Kral", "Ana Kos"]
    assert list(officials("Mr Ahmad bin Ismail met.", kb)) == ["Ahmad bin Ismail"]
    assert list(officials("Mr Ivo Kral's team met.", kb)) == ["Ivo Kral"]
    assert list(officials("Dr Ko Kwang hyo, the Director, spoke.", kb)) == ["Ko Kwang hyo"]


def test_an_agency_named_by_a_post_alone(kb: Knowledge) -> None:
    found = facts("The Chief Revenue Guard, Mr Tom Rye, spoke.", kb)
    assert [a.name for a in found.agencies] == ["Freedonia Revenue Administration"]
    assert [e.quote for e in found.agencies[0].evidence] == ["Chief Revenue Guard"]
    assert [(o.name, o.agency) for o in found.officials] == [("Tom Rye", "Freedonia Revenue Administration")]


def test_the_agency_of_the_sentence_or_of_the_release(kb: Knowledge) -> None:
    found = officials("The RCS hosted it. Later, the FRA met Ms Ana Kos in Zenda.", kb)
    assert found["Ana Kos"][3] == "Freedonia Revenue Administration"
    found = officials("The RCS hosted it. Later, Ms Ana Kos spoke in Zenda.", kb)
    assert found["Ana Kos"][3] == "Ruritania Customs Service"


def test_an_agency_by_its_post_a_tail_or_the_one_gazetteer_post(kb: Knowledge) -> None:
    found = AgencyFinding()
    assert people._agency_by_post("Chief Revenue Guard", found, kb) == "xf-fra"  # the one post of that name
    assert people._agency_by_post("Chief Revenue Guard of Zenda", found, kb) == "xf-fra"
    assert people._agency_by_post("Director", found, kb) is None
    found = _ctx("The Freedonia Police Force met.", kb).agencies
    assert people._agency_by_post("Director of the Freedonia Police", found, kb) == "xf-police"
    assert people._agency_by_post("Director of Freedonia", found, kb) is None  # one word: too vague
    assert people._agency_by_post("Director of the Ruritania Police", found, kb) is None


def test_short_references_and_name_cuts(kb: Knowledge) -> None:
    found = people.PeopleFinding()
    found.officials = {"Anna Berg": None, "Ivo Kral": None, "Anna-Lena Berg": None}  # type: ignore[dict-item]
    assert people._resolve_short(["Berg"], found) == "Anna-Lena Berg"  # the last one named
    assert people._resolve_short(["Kral"], found) == "Ivo Kral"
    assert people._resolve_short(["Ivo", "Kral"], found) is None  # not shorter than a known name
    assert people._resolve_short(["Lena"], found) == "Anna-Lena Berg"
    assert people._clean_name("Ivo Kral Commissioner", [(9, 21)], 0, kb) == "Ivo Kral"
    assert people._clean_name("Ivo Kral said", [], 0, kb) == "Ivo Kral"
    assert people._clean_name("Ivo Kral", [(100, 120)], 0, kb) == "Ivo Kral"
    assert people._gap_is_acronym(" (RCS), ") and people._gap_is_acronym(",")
    assert not people._gap_is_acronym(" (the RCS) ")


def _ctx(text: str, kb: Knowledge):
    return context(text, kb)[1]


def test_a_name_then_its_title_after_a_comma_in_any_case(kb: Knowledge) -> None:
    found = officials("Ana Roe, deputy commissioner of the Freedonia Police Force, met the RCS.", kb)
    assert found == {
        "Ana Roe": (
            None,
            "deputy commissioner of the Freedonia Police Force",
            "deputy commissioner",
            "Freedonia Police Force",
        )
    }
    # An acronym and a word before the title are part of it; "said" ends it.
    found = officials("The boat was stopped. Ivo Kral, RCS Director said it was a record.", kb)
    assert found == {"Ivo Kral": (None, "RCS Director", "RCS Director", "Ruritania Customs Service")}


def test_a_title_after_a_name_ends_before_a_new_clause(kb: Knowledge) -> None:
    found = officials("Signing for the RCS was Jan Rook, Director while the FRA sent no one.", kb)
    assert found["Jan Rook"][1] == "Director"


def test_words_that_begin_a_sentence_are_not_a_name_before_a_title(kb: Knowledge) -> None:
    found = officials("In July, Director Ivo Kral of the RCS met the FRA.", kb)
    assert list(found) == ["Ivo Kral"]


def test_initials_inside_a_name_and_honorifics_in_a_row(kb: Knowledge) -> None:
    found = officials("Mr Juno R. Vale of the RCS met Ms. Dr. Ana Roe of the FRA.", kb)
    assert {name: found[name][0] for name in found} == {"Juno R. Vale": "Mr", "Ana Roe": "Ms Dr"}
    found = officials("Mr Ali bin Hj. Omar of the RCS met Ms Ana Au. The FRA sent no one.", kb)
    assert set(found) == {"Ali bin Hj. Omar", "Ana Au"}


def test_a_title_written_out_after_an_honorific_name_is_kept_whole(kb: Knowledge) -> None:
    found = officials("Ms. Ana Roe, RCS Regional Director for Zenda, met the FRA.", kb)
    assert found["Ana Roe"][1] == "RCS Regional Director for Zenda"
    # A rank before the name gives way to the post written out after it ...
    found = officials("Director Ivo Kral, Secretary General of the FRA, met the RCS.", kb)
    assert found["Ivo Kral"][1] == "Secretary General of the FRA"
    # ... but not to the title of the next person in a list.
    found = officials("Director Ivo Kral, Deputy Commissioner Mr Jan Rook and the RCS met.", kb)
    assert found["Ivo Kral"][1] == "Director"


def test_a_title_tail_to_a_place_and_a_title_across_a_line_break(kb: Knowledge) -> None:
    found = officials("They met the Director to Zenda, Mr Ivo Kral; the FRA agreed.", kb)
    assert found["Ivo Kral"][1] == "Director to Zenda"
    found = officials("A speech by Mr Jan Rook, Secretary General\n\nDr. Ana Roe of the RCS spoke.", kb)
    assert found["Ana Roe"][1] is None


def test_a_name_right_after_the_agency_of_a_title_with_no_honorific(kb: Knowledge) -> None:
    found = officials("It signed with Director of the Freedonia Police Force Ivo Kral today.", kb)
    assert found["Ivo Kral"][1:] == (
        "Director of the Freedonia Police Force",
        "Director",
        "Freedonia Police Force",
    )
    # The agency's acronym and country may stand between them.
    found = officials("It met Director of the Harbour Board (HB) of Freedonia Ana Roe.", kb)
    assert found["Ana Roe"][1] == "Director of the Harbour Board"


def test_a_post_in_lower_case_right_before_a_name(kb: Knowledge) -> None:
    found = officials("The RCS said so. RCS director Ivo Kral said the case was closed.", kb)
    assert found == {"Ivo Kral": (None, "director", "director", "Ruritania Customs Service")}
    found = officials("The FRA met the RCS and the director to Zenda, Ana Roe.", kb)
    assert found["Ana Roe"][1] == "director to Zenda"


def test_a_name_after_a_closing_quote_then_its_title(kb: Knowledge) -> None:
    found = officials("“We act,” Ana Roe, deputy commissioner of the RCS, said.", kb)
    assert found["Ana Roe"][1] == "deputy commissioner of the RCS"
