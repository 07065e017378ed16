"""Curation files: validated with one-line errors, applied to release graphs, kept across re-ingest."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS

from cckg import pipeline
from cckg.identity import agency_iri, person_iri, release_iri
from cckg.ingest import curate
from cckg.ingest.curate import Curation, CurationError
from cckg.model import Agency, Agreement, Cooperation, Event, Evidence, Official, ReleaseFacts
from cckg.namespaces import CCKG, ID, SCHEMA
from cckg.pipeline import map_facts
from cckg.store import OxigraphStore
from conftest import RELEASE_2023, REPO, fake_stages

TEXT = (
    "Customs met the Korean Customs Service (KCS) in Seoul. "
    "The Commissioner, Mr Kim Min, signed a memorandum on drugs. "
    "Both sides will exchange intelligence on cigarette smuggling."
)
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
AGREEMENT_2023 = ID["agreement/bd0658dffddff4ab"]  # in tests/fixtures/release-000.ttl


def evidence(quote: str) -> list[Evidence]:
    start = TEXT.index(quote)
    return [Evidence(quote, start, start + len(quote))]


def release_facts() -> ReleaseFacts:
    ced = "Customs and Excise Department"
    korean = "Korean Customs Service"
    return ReleaseFacts(
        id="r-1",
        source="r-1.txt",
        title="Customs meet",
        published="2024-01-02",
        content_hash="sha256:0123456789abcdef",
        agencies=[
            Agency(ced, acronyms=["C&ED"], country="HK", kind="customs", key="hk-ced"),
            Agency(korean, acronyms=["KCS"], kind="other"),
        ],
        officials=[
            Official("Kim Min", "Mr", "Commissioner", korean, "Commissioner", evidence("Mr Kim Min")),
        ],
        events=[
            Event("meeting", "5th Joint Meeting", 5, "2024-01-02", participants=[ced, korean],
                  series="Joint Meeting", evidence=evidence("Customs met the Korean Customs Service")),
        ],
        agreements=[
            Agreement("mou", "memorandum on drugs", parties=[ced, korean], topics=["drug-trafficking"],
                      evidence=evidence("signed a memorandum on drugs")),
        ],
        cooperation=[Cooperation((ced, korean), evidence("Both sides will exchange intelligence"))],
    )


@pytest.fixture
def graph() -> Graph:
    return map_facts(release_facts(), generated_at=WHEN)


RELEASE = release_iri("r-1")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def entries(tmp_path: Path, text: str) -> tuple[curate.Entry, ...]:
    return curate.load(write(tmp_path / "curation", "judgements.yaml", text).parent).entries


def nodes(graph: Graph) -> set[URIRef]:
    """The IRIs the graph uses, outside the curation records (which name the merged IRIs)."""
    records = set(graph.subjects(RDF.type, CCKG.Curation))
    kept = [triple for triple in graph if triple[0] not in records]
    return {term for triple in kept for term in triple if isinstance(term, URIRef)}


# --- files ----------------------------------------------------------------------------------------


def test_the_example_file_is_valid_and_empty() -> None:
    assert curate.load_file(REPO / "data" / "curation" / "example.yaml") == []
    assert (REPO / "docs" / "curation.md").is_file()


def test_a_missing_folder_is_no_curation(tmp_path: Path) -> None:
    assert curate.load(tmp_path / "none") == Curation()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("reject: [{fact: 'https://w3id.org/cckg/id/agreement/1'}]", "reject[0]: needs a reason"),
        ("reject: [{fact: 'http://example.org/x', reason: r}]", "reject[0]: fact must be the IRI of a fact"),
        ("same_agency: [{mention: KCS, agency: nowhere, reason: r}]", "same_agency[0]: agency 'nowhere'"),
        ("same_person: [{people: [{name: A}], reason: r}]", "same_person[0]: people must list two or more"),
        ("same_person: [{people: [{name: A}, {name: A}], reason: r}]", "same_person[0]: the same person"),
        ("different_person: [{people: [{name: A}, 7], reason: r}]", "different_person[0]: 7 is not a person"),
        ("add: [{facts: {agreements: [{}]}, reason: r}]", "add[0]: needs the release"),
        ("add: [{release: x, facts: {treaties: [{}]}, reason: r}]", "add[0]: unknown fact list 'treaties'"),
        ("add: [{release: x, facts: {agreements: [{kind: mou, name: M}]}, reason: r}]",
         "add[0]: agreements[0]: needs a quote"),
        ("add: [{release: x, facts: {agreements: [{kind: mou, name: M, colour: red, quote: q}]}, reason: r}]",
         "add[0]: agreements[0]: unknown field 'colour'"),
        ("reject: [{fact: 'https://w3id.org/cckg/id/x', reason: r, why: w}]", "reject[0]: unknown key 'why'"),
        ("rejects: []", "unknown section 'rejects'"),
        ("[1, 2]", "want a mapping of sections"),
        ("reject: {fact: x}", "reject: want a list of entries"),
        ("reject: [{fact: 'x'", "not valid YAML"),
    ],
)
def test_errors_are_one_line_naming_the_file_and_entry(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path / "curation", "bad.yaml", text)
    with pytest.raises(CurationError) as error:
        curate.load(path.parent)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message


def test_people_said_to_be_different_cannot_be_merged(tmp_path: Path) -> None:
    text = """
same_person:
  - {people: [{name: A, agency: hk-ced}, {name: B, agency: hk-ced}], reason: one}
  - {people: [{name: B, agency: hk-ced}, {name: C, agency: C&ED}], reason: one}
different_person:
  - {people: [{name: A, agency: hk-ced}, {name: C, agency: Hong Kong Customs}], reason: two}
"""
    problem = r"judgements.yaml: different_person\[0\]: .* also said to be the same person"
    with pytest.raises(CurationError, match=problem):
        entries(tmp_path, text)


def test_digest_covers_the_entries_of_a_release(tmp_path: Path) -> None:
    text = """
reject:
  - {fact: 'https://w3id.org/cckg/id/agreement/1', reason: wrong, release: r-1}
  - {fact: 'https://w3id.org/cckg/id/agreement/2', reason: wrong, release: r-2}
"""
    curation = Curation(entries(tmp_path, text))
    assert [e.fact for e in curation.for_release("R-1")] == [ID["agreement/1"]]
    assert curation.digest("r-1") != curation.digest("r-2")
    assert curation.digest("r-3") is None
    moved = Curation(tuple(reversed(curation.entries)))
    assert moved.digest("r-1") == curation.digest("r-1")


# --- applying -------------------------------------------------------------------------------------


def test_same_agency_merges_the_mention_and_the_iris_built_from_it(tmp_path: Path, graph: Graph) -> None:
    old = agency_iri("korean-customs-service")
    assert (old, RDF.type, CCKG.Agency) in graph
    text = "same_agency: [{mention: korean customs service, agency: kr-kcs, reason: A misspelling.}]"
    curated = curate.apply(graph, entries(tmp_path, text), RELEASE, digest="sha256:x")
    kcs = agency_iri("kr-kcs")
    assert old not in nodes(curated)
    assert not [n for n in nodes(curated) if "korean-customs-service" in n]
    assert (kcs, SKOS.prefLabel, Literal("Korea Customs Service")) in curated
    assert (kcs, SKOS.altLabel, Literal("Korean Customs Service")) in curated
    assert len(list(curated.objects(kcs, SKOS.prefLabel))) == 1
    assert (person_iri("Kim Min", "kr-kcs"), SCHEMA.name, Literal("Kim Min")) in curated
    assert ID["series/joint-meeting--hk-ced--kr-kcs"] in nodes(curated)
    assert ID["event/joint-meeting--hk-ced--kr-kcs/5"] in nodes(curated)
    record = next(curated.subjects(CCKG.mergedFrom, old))
    assert (record, CCKG.mergedInto, kcs) in curated
    assert (record, CCKG.reason, Literal("A misspelling.")) in curated
    assert isinstance(next(curated.objects(None, CCKG.curationDigest)), Literal)
    assert len(graph) == len(map_facts(release_facts(), generated_at=WHEN)), "the input is unchanged"


def test_same_person_merges_into_the_first_with_its_name(tmp_path: Path, graph: Graph) -> None:
    old = person_iri("Kim Min", "korean-customs-service")
    text = f"""
same_person:
  - people: [{{name: Min Kim, agency: Korean Customs Service}}, '{old}']
    reason: Family name first.
"""
    curated = curate.apply(graph, entries(tmp_path, text), RELEASE)
    kept = person_iri("Min Kim", "kr-kcs")  # the gazetteer knows "Korean Customs Service"
    assert old not in nodes(curated)
    assert (kept, SCHEMA.name, Literal("Min Kim")) in curated
    assert (kept, SCHEMA.alternateName, Literal("Kim Min")) in curated
    assert (RELEASE, SCHEMA.mentions, kept) in curated
    record = next(curated.subjects(CCKG.mergedInto, kept))
    assert (record, CCKG.mergedFrom, old) in curated
    assert (record, CCKG.curationKind, Literal("same-person")) in curated


def test_different_person_is_recorded_where_one_is_mentioned(tmp_path: Path, graph: Graph) -> None:
    kim = person_iri("Kim Min", "korean-customs-service")
    text = f"different_person: [{{people: ['{kim}', {{name: Kim Min, agency: kr-kcs}}], reason: Namesakes.}}]"
    curated = curate.apply(graph, entries(tmp_path, text), RELEASE)
    assert (kim, OWL.differentFrom, person_iri("Kim Min", "kr-kcs")) in curated
    elsewhere = curate.apply(Graph(), entries(tmp_path, text), RELEASE)
    assert len(elsewhere) == 0


def test_reject_removes_the_fact_its_evidence_and_unsupported_links(tmp_path: Path, graph: Graph) -> None:
    cooperation = next(graph.subjects(RDF.type, CCKG.Cooperation))
    agreement = next(graph.subjects(RDF.type, CCKG.Agreement))
    text = f"""
reject:
  - {{fact: '{cooperation}', reason: Exchanging intelligence is only planned.}}
  - {{fact: '{agreement}', reason: Wrong release., release: r-2}}
"""
    curated = curate.apply(graph, Curation(entries(tmp_path, text)).for_release("r-1"), RELEASE)
    assert (cooperation, None, None) not in curated
    assert (None, CCKG.cooperatesWith, None) not in curated
    cited = set(graph.objects(cooperation, CCKG.evidence))
    assert cited and not any((e, None, None) in curated for e in cited)
    assert (agreement, RDF.type, CCKG.Agreement) in curated, "the entry for r-2 does not apply"
    record = next(curated.subjects(PROV.invalidated, cooperation))
    assert (record, CCKG.reason, Literal("Exchanging intelligence is only planned.")) in curated


def test_add_facts_with_their_quotes_as_evidence(tmp_path: Path, graph: Graph) -> None:
    text = """
add:
  - release: r-1
    reason: The extractor misses the exchange on smuggling.
    facts:
      operations:
        - name: Intelligence exchange on cigarette smuggling
          participants: [C&ED, Korea Customs Service]
          crime_types: [tobacco-smuggling]
          quote: exchange intelligence on cigarette smuggling
"""
    curated = curate.apply(graph, entries(tmp_path, text), RELEASE, text=TEXT, to_graph=map_facts)
    operation = next(curated.subjects(RDF.type, CCKG.JointOperation))
    run = next(curated.subjects(RDF.type, CCKG.ExtractionRun))
    assert (operation, PROV.wasGeneratedBy, run) in curated
    assert len(list(curated.subjects(RDF.type, CCKG.ExtractionRun))) == 1
    start = TEXT.index("exchange intelligence")
    assert (operation, CCKG.evidence, ID[f"evidence/r-1/{start}-{start + 44}"]) in curated
    assert (operation, CCKG.participant, agency_iri("hk-ced")) in curated
    assert (operation, CCKG.participant, agency_iri("kr-kcs")) in curated, "found in the gazetteer"
    assert (agency_iri("kr-kcs"), SKOS.prefLabel, Literal("Korea Customs Service")) in curated
    assert (RELEASE, SCHEMA.mentions, agency_iri("kr-kcs")) in curated
    assert len(list(curated.objects(agency_iri("hk-ced"), SKOS.prefLabel))) == 1
    assert (next(curated.subjects(PROV.generated, operation)), CCKG.curationKind, Literal("add")) in curated
    bad = text.replace("quote: exchange", "quote: never said")
    with pytest.raises(CurationError, match=r"add\[0\]: operations\[0\]: quote 'never said"):
        curate.apply(graph, entries(tmp_path, bad), RELEASE, text=TEXT, to_graph=map_facts)


# --- on every ingest ----------------------------------------------------------------------------------


def test_a_rejection_survives_reingest_with_force(tmp_path: Path, release_dir: Path) -> None:
    reject = f"reject: [{{fact: '{AGREEMENT_2023}', reason: Not an agreement.}}]"
    folder = write(tmp_path / "curation", "facts.yaml", reject).parent
    with OxigraphStore() as store:
        first = pipeline.ingest(store, [release_dir], stages=fake_stages(), curation=curate.load(folder))
        assert first.ok and len(first.ingested) == 2
        assert (AGREEMENT_2023, None, None) not in store.graph(RELEASE_2023)
        digest = store.graph_metadata(RELEASE_2023).curation_digest
        assert digest and digest.startswith("sha256:")

        again = pipeline.ingest(store, [release_dir], stages=fake_stages(), curation=curate.load(folder))
        assert again.ingested == [] and len(again.unchanged) == 2
        forced = pipeline.ingest(
            store, [release_dir], stages=fake_stages(), curation=curate.load(folder), force=True
        )
        assert len(forced.ingested) == 2
        assert (AGREEMENT_2023, None, None) not in store.graph(RELEASE_2023)

        (folder / "facts.yaml").write_text("reject: []\n")
        undone = pipeline.ingest(store, [release_dir], stages=fake_stages(), curation=curate.load(folder))
        assert len(undone.ingested) == 2, "changed curation redoes the releases it applies to"
        assert (AGREEMENT_2023, RDF.type, CCKG.Agreement) in store.graph(RELEASE_2023)
        assert store.graph_metadata(RELEASE_2023).curation_digest is None
