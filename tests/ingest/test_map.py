"""Mapping facts to RDF: stable identity across releases, the seeds' facts, no blank nodes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, RDF, SKOS, XSD

from cckg.identity import agency_iri, release_iri
from cckg.ingest.extract import extract
from cckg.ingest.read import read_release
from cckg.namespaces import CCKG, ID, SCHEMA
from cckg.pipeline import map_facts
from conftest import REPO

SEEDS = sorted((REPO / "data" / "releases").glob("*.txt"))
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def seed_graphs() -> list[Graph]:
    return [map_facts(extract(read_release(path)), generated_at=WHEN) for path in SEEDS]


def test_mapping_is_deterministic_and_has_no_blank_nodes(seed_graphs: list[Graph]) -> None:
    again = map_facts(extract(read_release(SEEDS[0])), generated_at=WHEN)
    assert isomorphic(again, seed_graphs[0])
    assert set(again) == set(seed_graphs[0])
    for graph in seed_graphs:
        assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_one_agency_across_the_seeds(seed_graphs: list[Graph]) -> None:
    ced = agency_iri("hk-ced")
    recent, older = seed_graphs
    assert (ced, RDF.type, CCKG.Agency) in recent and (ced, RDF.type, CCKG.Agency) in older
    assert (ced, SKOS.prefLabel, Literal("Customs and Excise Department")) in older
    assert (ced, SKOS.altLabel, Literal("Hong Kong Customs")) in recent
    assert (ced, CCKG.acronym, Literal("C&ED")) in recent
    assert (release_iri("001_c98b5c3fca22d16e"), SCHEMA.mentions, ced) in older


def test_commissioners_hold_the_post_at_their_dates(seed_graphs: list[Graph]) -> None:
    union = seed_graphs[0] + seed_graphs[1]
    holders = {}
    for membership in union.subjects(RDF.type, ORG.Membership):
        person = union.value(membership, ORG.member)
        holders[str(union.value(person, SCHEMA.name))] = (
            union.value(membership, CCKG.attestedOn),
            union.value(membership, ORG.organization),
        )
    assert holders["Louise Ho"] == (Literal("2023-11-01", datatype=XSD.date), agency_iri("hk-ced"))
    assert holders["Timothy Tong"] == (Literal("2004-12-17", datatype=XSD.date), agency_iri("hk-ced"))


def test_conferences_form_one_series(seed_graphs: list[Graph]) -> None:
    union = seed_graphs[0] + seed_graphs[1]
    conferences = sorted(union.subjects(RDF.type, CCKG.Conference))
    assert len(conferences) == 2
    series = {union.value(c, SCHEMA.superEvent) for c in conferences}
    assert len(series) == 1 and next(iter(series)).startswith(str(ID["series/"]))
    ordinals = {int(union.value(c, CCKG.ordinal)): union.value(c, SCHEMA.startDate) for c in conferences}
    assert ordinals == {
        25: Literal("2004-12-16", datatype=XSD.date),
        34: Literal("2023-11-01", datatype=XSD.date),
    }


def test_planned_forum_is_planned(seed_graphs: list[Graph]) -> None:
    recent = seed_graphs[0]
    statuses = {
        str(recent.value(event, SCHEMA.name)): recent.value(event, CCKG.status)
        for event in recent.subjects(RDF.type, CCKG.Forum)
    }
    assert statuses["intellectual property rights protection forum"] == CCKG.Planned
    assert statuses["Regional Customs High-level Drug Enforcement Forum"] == CCKG.Held


def test_evidence_uses_web_annotation_selectors(seed_graphs: list[Graph]) -> None:
    OA = "http://www.w3.org/ns/oa#"
    recent = seed_graphs[0]
    release = read_release(SEEDS[0])
    checked = 0
    for evidence in set(recent.objects(None, CCKG.evidence)):
        assert recent.value(evidence, URIRef(OA + "hasSource")) == release_iri(release.id)
        selectors = list(recent.objects(evidence, URIRef(OA + "hasSelector")))
        exact = next(
            str(recent.value(s, URIRef(OA + "exact")))
            for s in selectors
            if (s, RDF.type, URIRef(OA + "TextQuoteSelector")) in recent
        )
        position = next(s for s in selectors if (s, RDF.type, URIRef(OA + "TextPositionSelector")) in recent)
        start, end = (
            int(recent.value(position, URIRef(OA + "start"))),
            int(recent.value(position, URIRef(OA + "end"))),
        )
        assert release.text[start:end] == exact
        checked += 1
    assert checked >= 5


def test_name_resolutions_record_why_names_mean_an_agency(seed_graphs: list[Graph]) -> None:
    older = seed_graphs[1]
    resolutions = {
        str(older.value(node, CCKG.surfaceForm)): (
            older.value(node, CCKG.resolvedTo),
            str(older.value(node, CCKG.reason)),
        )
        for node in older.subjects(RDF.type, CCKG.NameResolution)
    }
    assert resolutions["Hong Kong Customs"] == (agency_iri("hk-ced"), "gazetteer alias")
    assert resolutions["Korea Customs"] == (agency_iri("kr-kcs"), "gazetteer alias")


def test_an_operation_without_a_name_is_known_by_its_release(tmp_path) -> None:
    from cckg.validation import validate_graph

    text = (
        "Hong Kong Customs mounted a joint operation with Korea Customs Service from 3 to 9 May 2021.\n"
        "During the operation, officers seized 12 kg of heroin.\n"
    )
    path = tmp_path / "unnamed.txt"
    path.write_text(text, encoding="utf-8")
    facts = extract(read_release(path))
    (operation,) = facts.operations
    assert operation.name is None
    graph = map_facts(facts, generated_at=WHEN)
    (node,) = graph.subjects(RDF.type, CCKG.JointOperation)
    assert graph.value(node, SCHEMA.name) is None
    assert graph.value(node, SCHEMA.startDate) == Literal("2021-05-03", datatype=XSD.date)
    report = validate_graph(graph, engine="pyshacl", focus=[node])
    assert [r for r in report.results if r.severity == "Violation"] == []
