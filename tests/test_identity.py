"""The identity module: every id and IRI built by one set of rules, read back, and always valid."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from cckg import identity, pipeline
from cckg.errors import IdentityError, QueryError
from cckg.identity import (
    IriParts,
    checked_iri,
    parse_iri,
    rekeyed,
    release_collisions,
    release_id,
    release_iri,
    slug,
)
from cckg.ingest import curate
from cckg.namespaces import AGENCY_KIND, CRIME, ID
from cckg.sparql import sparql_term
from cckg.store import (
    OxigraphStore,
)
from cckg.views import query
from conftest import RELEASE_2004, RELEASE_2023, fake_stages

HOSTILE = [
    "Customs & Excise (C&ED)",
    "a>b",
    '<script>"x"</script>',
    "line\nbreak\ttab",
    "{braces} | pipes ^ `ticks` \\ back",
    "香港海關",
    "Таможня",
    "الجمارك",
    "हिन्दी",
    "🚀 rocket",
    "\x00\x7f\x85\u200b\ue000\ufffe",
    "",
    "---",
]


def is_valid_iri(iri: str) -> bool:
    """What a strict RDF library accepts as an IRI."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return checked_iri(iri) == URIRef(iri)


# --- release ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_d93ee451fa80120b.txt", "000_d93ee451fa80120b"),  # the seeds keep their ids
        ("001_c98b5c3fca22d16e.txt", "001_c98b5c3fca22d16e"),
        ("data/releases/Press Release 12.HTML", "press-release-12"),
        ("香港.txt", "香港"),
        ("Таможня России.md", "таможня-россии"),
        ("Café Olé.html", "café-olé"),
        ("report.1.txt", "report.1"),
        (".hidden", ".hidden"),
    ],
)
def test_release_ids_are_readable(name: str, expected: str) -> None:
    assert release_id(name) == expected


def test_the_seed_graphs_keep_their_iris() -> None:
    assert release_iri(release_id("000_d93ee451fa80120b.txt")) == RELEASE_2023
    assert release_iri(release_id("001_c98b5c3fca22d16e.txt")) == RELEASE_2004
    assert release_iri("香港") == ID["release/香港"]


def test_names_without_letters_stay_apart() -> None:
    ids = {release_id(name) for name in ("!!!.txt", "???.txt", "---.txt", "@.md")}
    assert len(ids) == 4 and all(i.startswith("release-") for i in ids)
    assert release_id("!!!.txt") == release_id("!!!.txt")


def test_release_ids_that_name_one_graph_are_found() -> None:
    ids = [release_id(n) for n in ("report_1.txt", "report-1.txt", "report.1.txt", "report 2.txt")]
    assert len(set(ids)) == 4  # four files, four ids ...
    assert release_collisions(ids) == {  # ... but three of them would share a graph
        ID["release/report-1"]: ["report_1", "report-1", "report.1"]
    }
    assert release_collisions(["a", "b", "a"]) == {}
    assert identity.same_release("report_1", "report.1") and not identity.same_release("a", "b")


def test_ingest_refuses_a_second_file_for_one_graph(release_dir: Path) -> None:
    twin = release_dir / "000-d93ee451fa80120b.txt"  # its id differs, its graph does not
    twin.write_text("another file\n")
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=fake_stages())
        assert report.ingested == ["000-d93ee451fa80120b", "001_c98b5c3fca22d16e"]
        [error] = report.errors
        assert str(release_dir / "000_d93ee451fa80120b.txt") in error and "same graph" in error
        assert str(release_dir / "000-d93ee451fa80120b.txt") in error


def test_ingest_refuses_a_file_whose_graph_holds_another_stored_release(
    release_dir: Path, tmp_path: Path
) -> None:
    later = tmp_path / "later"
    later.mkdir()
    (later / "000-d93ee451fa80120b.txt").write_text("not the stored release\n")
    with OxigraphStore() as store:
        assert pipeline.ingest(store, [release_dir], stages=fake_stages()).ok
        stored = set(store.oxigraph)
        report = pipeline.ingest(store, [later], stages=fake_stages())
        assert report.ingested == [] and len(report.errors) == 1
        assert "stored release '000_d93ee451fa80120b'" in report.errors[0]
        assert set(store.oxigraph) == stored


# --- slugs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Customs & Excise (C&ED)", "customs-excise-c-ed"),
        ("Gómez", "gomez"),
        ("İstanbul", "istanbul"),
        ("ﬁnance ２０２４", "finance-2024"),
        ("Zoll 香港", "zoll-香港"),
        ("Straße", "straße"),
        ("hk_ced", "hk-ced"),
        ("", "x"),
        ("!!!", "x"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_is_idempotent_and_valid_for_every_character() -> None:
    for code in itertools.chain(range(0x0, 0xD800), range(0xE000, 0x30000, 7)):
        char = chr(code)
        once = slug(f"a{char}b")
        assert slug(once) == once, hex(code)
        assert "-" not in (once[0], once[-1])
    assert unicodedata.is_normalized("NFC", slug("Ærø København"))


# --- every IRI the module builds: valid, and read back ------------------------------------------------


def built(name: str) -> list[tuple[URIRef, str, tuple[str, ...]]]:
    """Every kind of IRI built from ``name``, with the kind and segments it must read back as."""
    s = slug(name)
    return [
        (identity.release_iri(name), "release", (s,)),
        (identity.agency_iri(name), "agency", (s,)),
        (identity.person_iri(name, "hk-ced"), "person", ("hk-ced", s)),
        (identity.person_iri(name, None), "person", ("unknown-agency", s)),
        (identity.post_iri(name, "Commissioner"), "post", (slug(name or "unknown-agency"), "commissioner")),
        (identity.series_iri(name, ["kr-kcs", "hk-ced"]), "series", (f"{s}--hk-ced--kr-kcs",)),
        (identity.event_iri("conference", None, 5, name, None, ["hk-ced"]), "event", (f"{s}--hk-ced", "5")),
        (identity.evidence_iri(name, 3, 40), "evidence", (s, "3-40")),
        (identity.quote_selector_iri(name, 3, 40), "evidence", (s, "3-40", "quote")),
        (identity.position_selector_iri(name, 3, 40), "evidence", (s, "3-40", "position")),
        (identity.resolution_iri(name, "hk-ced", "C&ED"), "resolution", (s, "hk-ced", "c-ed")),
        (identity.run_iri(name, "sha256:054f3174519ed8c7", "0.1.0"), "run", (s, "054f3174519e-0.1.0")),
        (identity.place_iri(name, "HK"), "place", ("hk", s)),
        (identity.country_iri("hk"), "country", ("HK",)),
        (identity.software_iri("0.1.0"), "software", ("cckg", "0.1.0")),
    ]


@pytest.mark.parametrize("name", HOSTILE)
def test_every_built_iri_is_valid_and_reads_back(name: str) -> None:
    for iri, kind, segments in built(name):
        assert is_valid_iri(iri), iri
        parts = parse_iri(iri)
        assert parts == IriParts(kind, segments), iri
        assert parts.iri() == iri


@pytest.mark.parametrize("name", HOSTILE)
def test_digest_iris_are_valid_and_read_back(name: str) -> None:
    for iri in (
        identity.event_iri("meeting", name, None, None, "2024-05-03", ["hk-ced"]),
        identity.fact_iri("agreement", "mou", name, None),
        identity.curation_iri(name),
    ):
        assert is_valid_iri(iri)
        parts = parse_iri(iri)
        assert len(parts.segments) == 1 and len(parts.segments[0]) == 16
        assert parts.iri() == iri
    assert identity.fact_iri("seizure", name, 3.0) == identity.fact_iri("seizure", name, 3.0)
    with pytest.raises(ValueError, match="unknown kind of fact"):
        identity.fact_iri("gossip", name)


def test_concept_and_outside_iris() -> None:
    assert identity.crime_type_iri("drug-trafficking") == CRIME["drug-trafficking"]
    assert identity.notation_of(identity.agency_kind_iri("customs")) == "customs"
    assert identity.notation_of(AGENCY_KIND) is None and identity.notation_of(ID["agency/x"]) is None
    assert identity.city_iri(1819729) == URIRef("https://sws.geonames.org/1819729/")
    assert identity.wikidata_iri("Q1146085") == URIRef("http://www.wikidata.org/entity/Q1146085")
    for bad in ("Q1>", "1146085", "Q"):
        with pytest.raises(IdentityError):
            identity.wikidata_iri(bad)
    with pytest.raises(IdentityError):
        identity.software_iri("0.1.0 <beta>")


def test_series_and_agency_keys_read_back() -> None:
    parts = parse_iri(identity.event_iri("conference", None, 5, "Customs Conference", None, ["b", "a"]))
    assert parts.series == ("customs-conference", ("a", "b"))
    assert parse_iri(identity.person_iri("Mr Chan", "hk-ced")).agency_key == "hk-ced"
    assert parse_iri(identity.fact_iri("agreement", "mou", "x")).series is None
    assert parse_iri(identity.fact_iri("agreement", "mou", "x")).agency_key is None


def test_rekeyed_follows_the_agency_into_derived_iris() -> None:
    old, new = "nanning-customs", "cn-nanning-customs"
    assert rekeyed(identity.agency_iri(old), old, new) == identity.agency_iri(new)
    assert rekeyed(identity.person_iri("Li Wei", old), old, new) == identity.person_iri("Li Wei", new)
    assert rekeyed(identity.post_iri(old, "Director"), old, new) == identity.post_iri(new, "Director")
    series = identity.series_iri("Border Meeting", [old, "hk-ced"])
    assert rekeyed(series, old, new) == identity.series_iri("Border Meeting", [new, "hk-ced"])
    event = identity.event_iri("meeting", None, 2, "Border Meeting", None, [old, "hk-ced"])
    moved = identity.event_iri("meeting", None, 2, "Border Meeting", None, [new, "hk-ced"])
    assert rekeyed(event, old, new) == moved
    assert rekeyed(identity.agency_iri("other"), old, new) is None
    assert rekeyed("https://example.org/x", old, new) is None


# --- IRIs accepted from outside: one check, a ">" never passes -------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "https://example.org/a>b", "https://example.org/a b", 'https://x/"', "https://x/{y}", "no-scheme", "",
        "https://x/\ue000", "https://x/\x85y",
    ],
)  # fmt: skip
def test_checked_iri_refuses_what_is_not_an_iri(bad: str) -> None:
    with pytest.raises(IdentityError):
        checked_iri(bad)


def test_parse_iri_refuses_what_it_did_not_build() -> None:
    for bad in ("https://example.org/agency/x", ID["nothing/x"], ID["agency/"], ID["person/x"]):
        with pytest.raises(IdentityError):
            parse_iri(bad)


def test_an_iri_with_a_bracket_is_refused_everywhere_it_is_a_parameter(tmp_path: Path) -> None:
    evil = "https://w3id.org/cckg/id/agency/x> } ; DROP ALL ; #"
    with pytest.raises(IdentityError):
        sparql_term(URIRef(evil))
    with pytest.raises(IdentityError):
        pipeline.release_graph(evil)
    named = query.NamedQuery("q", "SELECT * WHERE { #@params\n}", params=(query.Param("iri", "iri"),))
    with pytest.raises(QueryError, match="is not a valid IRI"):
        query.bind(named, {"iri": evil})
    folder = tmp_path / "curation"
    folder.mkdir()
    (folder / "c.yaml").write_text(f"reject:\n  - fact: '{evil}'\n    reason: wrong\n")
    with pytest.raises(curate.CurationError, match="fact must be the IRI of a fact"):
        curate.load(folder)
    people = f"['{ID}person/a/b>', '{ID}person/a/c']"
    (folder / "c.yaml").write_text(f"same_person:\n  - people: {people}\n    reason: x\n")
    with pytest.raises(curate.CurationError, match="is not a person"):
        curate.load(folder)
