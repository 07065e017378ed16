"""The ontology and vocabularies (ontology/*.ttl): documented, consistent, and in line with the release JSON.

- every Turtle file of the project parses;
- every cckg: class and property has an English rdfs:label and rdfs:comment, every SKOS concept and
  concept scheme an English skos:prefLabel and skos:definition;
- every cckg: term and every controlled-vocabulary IRI used by the shapes and by the valid examples
  is declared in the ontology;
- the crime types are exactly the twelve slugs of the release JSON (docs/release-json.md), as are
  the agreement and agency kinds;
- the labels of the crime types, which the extractor matches in release text, find exactly the gold
  crime types of the seed releases when matched whole-word and longest-first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

REPO = Path(__file__).resolve().parent.parent
GOLD = sorted((REPO / "data" / "seed-gold").glob("*.json"))

CCKG = Namespace("https://w3id.org/cckg/ns#")
ONTOLOGY = URIRef("https://w3id.org/cckg/ns")
CONCEPT_NAMESPACES = {
    CCKG.CrimeTypeScheme: "https://w3id.org/cckg/crime-type/",
    CCKG.AgreementKindScheme: "https://w3id.org/cckg/agreement-kind/",
    CCKG.AgencyKindScheme: "https://w3id.org/cckg/agency-kind/",
    CCKG.UnitScheme: "https://w3id.org/cckg/unit/",
    CCKG.IccsScheme: "https://w3id.org/cckg/iccs/",
}
# Schemes whose notations are the slugs of the release JSON (or the values of cckg:unit).
SLUG_SCHEMES = (
    CCKG.CrimeTypeScheme,
    CCKG.AgreementKindScheme,
    CCKG.AgencyKindScheme,
    CCKG.UnitScheme,
    CCKG.EventStatusScheme,
)
VOCABULARY_PREFIXES = ("https://w3id.org/cckg/ns#", *CONCEPT_NAMESPACES.values())

CRIME_TYPES = {
    "drug-trafficking",
    "money-laundering",
    "ipr-infringement",
    "tobacco-smuggling",
    "smuggling",
    "cybercrime",
    "financial-crime",
    "terrorism",
    "wildlife-trafficking",
    "revenue-fraud",
    "strategic-commodities",
    "other",
}
# Labels that deliberately name two crime types at once.
SHARED_CRIME_LABELS = {"counterfeit cigarettes"}

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
SKOS_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


def turtle_files() -> list[Path]:
    folders = [REPO / "ontology", REPO / "shapes", REPO / "tests" / "shapes"]
    return sorted(path for folder in folders for path in folder.rglob("*.ttl"))


def load_turtle(*paths: Path) -> Graph:
    """Parse Turtle files into one graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology() -> Graph:
    """All ontology/*.ttl files in one graph."""
    return load_turtle(*sorted((REPO / "ontology").glob("*.ttl")))


def english(graph: Graph, node: Node, predicate: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language == "en"]


def concepts(scheme: URIRef) -> set[Node]:
    return set(ontology().subjects(SKOS.inScheme, scheme))


def notations(scheme: URIRef) -> set[str]:
    return {str(ontology().value(concept, SKOS.notation)) for concept in concepts(scheme)}


def labels(concept: Node) -> list[str]:
    return [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in ontology().objects(concept, p)]


# ------------------------------------------------------------------------------------------------
# Files and header


@pytest.mark.parametrize("path", turtle_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_turtle_file_parses(path: Path) -> None:
    assert len(load_turtle(path)) > 0


def test_ontology_header() -> None:
    graph = ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/cckg/ns/0.1.0")
    assert graph.value(ONTOLOGY, OWL.versionInfo) is not None
    assert english(graph, ONTOLOGY, DCTERMS.title) and english(graph, ONTOLOGY, DCTERMS.description)
    assert graph.value(ONTOLOGY, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    created = graph.value(ONTOLOGY, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype is not None
    assert not list(graph.objects(None, OWL.imports)), "owl:imports would stop the ontology loading offline"


# ------------------------------------------------------------------------------------------------
# Documentation of terms


def declared_terms() -> set[Node]:
    graph = ontology()
    return {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(str(CCKG))}


def test_there_are_terms() -> None:
    assert CCKG.Release in declared_terms() and CCKG.cooperatesWith in declared_terms()


@pytest.mark.parametrize("term", sorted(declared_terms()), ids=lambda t: str(t).split("#")[-1])
def test_term_has_label_and_comment(term: URIRef) -> None:
    graph = ontology()
    assert len(english(graph, term, RDFS.label)) == 1, "one English rdfs:label"
    assert len(english(graph, term, RDFS.comment)) == 1, "one English rdfs:comment"
    assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY


def test_properties_are_typed_and_cooperation_is_symmetric() -> None:
    graph = ontology()
    assert (CCKG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in graph
    assert (CCKG.acronym, RDFS.subPropertyOf, SKOS.altLabel) in graph
    assert (CCKG.evidence, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in graph
    for event_class in (CCKG.Conference, CCKG.Meeting, CCKG.Visit, CCKG.Signing, CCKG.Forum, CCKG.Workshop):
        assert (event_class, RDFS.subClassOf, CCKG.Event) in graph


def skos_resources() -> set[Node]:
    graph = ontology()
    return set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(RDF.type, SKOS.ConceptScheme))


@pytest.mark.parametrize("node", sorted(skos_resources()), ids=lambda n: str(n).rsplit("/", 1)[-1])
def test_concept_has_label_and_definition(node: URIRef) -> None:
    graph = ontology()
    assert len(english(graph, node, SKOS.prefLabel)) == 1, "one English skos:prefLabel"
    assert len(english(graph, node, SKOS.definition)) == 1, "one English skos:definition"
    if (node, RDF.type, SKOS.Concept) in graph:
        scheme = graph.value(node, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph, "a concept is in a declared scheme"


@pytest.mark.parametrize("scheme", SLUG_SCHEMES, ids=lambda s: str(s).split("#")[-1])
def test_slug_scheme_concepts(scheme: URIRef) -> None:
    """Notation, top concept (both directions), and for namespaced schemes IRI = namespace + notation."""
    graph = ontology()
    members = concepts(scheme)
    assert members
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == members
    for concept in members:
        notation = graph.value(concept, SKOS.notation)
        assert isinstance(notation, Literal) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(notation))
        assert graph.value(concept, SKOS.topConceptOf) == scheme
        if scheme in CONCEPT_NAMESPACES:
            assert str(concept) == CONCEPT_NAMESPACES[scheme] + str(notation)
    assert len(notations(scheme)) == len(members), "notations are unique in a scheme"


def test_labels_are_clean_and_unambiguous_within_a_scheme() -> None:
    graph = ontology()
    for scheme in {*SLUG_SCHEMES, CCKG.IccsScheme}:
        pref_labels: dict[str, Node] = {}
        for concept in concepts(scheme):
            pref = {str(o).casefold() for o in graph.objects(concept, SKOS.prefLabel)}
            alt = {str(o).casefold() for o in graph.objects(concept, SKOS.altLabel)}
            assert not pref & alt, f"{concept}: a label is both preferred and alternative"
            for label in labels(concept):
                assert label == label.strip() and label and "  " not in label, f"{concept}: {label!r}"
            for label in pref:
                assert label not in pref_labels, f"{concept} and {pref_labels[label]} share {label!r}"
                pref_labels[label] = concept


def test_crime_labels_name_one_crime_type_unless_deliberately_shared() -> None:
    owners: dict[str, set[Node]] = defaultdict(set)
    for concept in concepts(CCKG.CrimeTypeScheme):
        for label in labels(concept):
            owners[label.casefold()].add(concept)
    shared = {label for label, concepts_ in owners.items() if len(concepts_) > 1}
    assert shared == SHARED_CRIME_LABELS


# ------------------------------------------------------------------------------------------------
# Everything used is declared


def vocabulary_iris(graph: Graph) -> set[URIRef]:
    """The IRIs of a graph under the cckg vocabulary namespaces (not instances under /id/)."""
    iris = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(VOCABULARY_PREFIXES):
                iris.add(term)
    return iris


def used_graphs() -> list[Path]:
    return [
        *sorted((REPO / "shapes").glob("*.ttl")),
        *sorted((REPO / "tests" / "shapes" / "valid").glob("*.ttl")),
        REPO / "tests" / "shapes" / "base.ttl",
    ]


@pytest.mark.parametrize("path", [*used_graphs(), None], ids=lambda p: "ontology" if p is None else p.name)
def test_used_vocabulary_is_declared(path: Path | None) -> None:
    graph = ontology() if path is None else load_turtle(path)
    declared = {s for s in ontology().subjects(RDF.type, None)}
    undeclared = vocabulary_iris(graph) - declared
    assert not undeclared, f"used but not declared in ontology/*.ttl: {sorted(undeclared)}"


# ------------------------------------------------------------------------------------------------
# Agreement with the release JSON as documented in docs/release-json.md


def release_json_doc() -> str:
    return (REPO / "docs" / "release-json.md").read_text(encoding="utf-8")


def test_crime_types_are_the_twelve_slugs() -> None:
    assert notations(CCKG.CrimeTypeScheme) == CRIME_TYPES


def test_crime_types_match_the_documented_vocabulary() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", release_json_doc(), flags=re.MULTILINE))
    assert documented >= CRIME_TYPES


@pytest.mark.parametrize(
    ("row", "scheme"),
    [("agreement `kind`", CCKG.AgreementKindScheme), ("agency `kind`", CCKG.AgencyKindScheme)],
)
def test_kinds_match_the_documented_values(row: str, scheme: URIRef) -> None:
    line = next(line for line in release_json_doc().splitlines() if line.startswith(f"| {row} |"))
    assert set(re.findall(r"`([a-z-]+)`", line.split("|")[2])) == notations(scheme)


def test_crime_types_map_to_iccs() -> None:
    graph = ontology()
    iccs = concepts(CCKG.IccsScheme)
    for concept in concepts(CCKG.CrimeTypeScheme):
        codes = {str(code) for code in graph.objects(concept, CCKG.iccsCode)}
        targets = {o for p in SKOS_MAPPINGS for o in graph.objects(concept, p)}
        assert targets <= iccs
        assert codes == {str(graph.value(t, SKOS.notation)) for t in targets}
        assert all(re.fullmatch(r"\d{2,6}", code) for code in codes)
        if graph.value(concept, SKOS.notation) != Literal("other"):
            assert targets, f"{concept} has no ICCS mapping"
            assert graph.value(concept, SKOS.scopeNote) is not None


# ------------------------------------------------------------------------------------------------
# The labels find the gold crime types of the seed releases


@cache
def crime_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for concept in concepts(CCKG.CrimeTypeScheme):
        slug = str(ontology().value(concept, SKOS.notation))
        for label in labels(concept):
            patterns.append((re.compile(rf"(?<!\w){re.escape(label)}(?!\w)", re.IGNORECASE), slug))
    return patterns


def match_crime_types(text: str) -> set[str]:
    """Whole-word, case-insensitive matching; a match inside a longer match of another label is dropped."""
    found = [(m.start(), m.end(), slug) for pattern, slug in crime_patterns() for m in pattern.finditer(text)]
    found.sort(key=lambda hit: hit[0] - hit[1])  # longest first
    kept: list[tuple[int, int, str]] = []
    for start, end, slug in found:
        inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in kept)
        if not inside:
            kept.append((start, end, slug))
    return {slug for _, _, slug in kept}


def test_matching_is_whole_word_and_longest_first() -> None:
    assert match_crime_types("a cross-boundary cigarette smuggling case") == {"tobacco-smuggling"}
    assert match_crime_types("commercial fraud and telephone deception") == {
        "revenue-fraud",
        "financial-crime",
    }
    assert match_crime_types("pharmaceutical drugs; Ivory Coast; Mr Tong cites an example") == set()
    assert match_crime_types("two containers of counterfeit cigarettes") == {
        "tobacco-smuggling",
        "ipr-infringement",
    }


@pytest.mark.parametrize("gold", GOLD, ids=[p.stem for p in GOLD])
def test_labels_find_the_gold_crime_types(gold: Path) -> None:
    data = json.loads(gold.read_text(encoding="utf-8"))
    source = REPO / "data" / "releases" / Path(data["source"]).name
    text = source.read_text(encoding="utf-8")
    assert match_crime_types(text) == set(data["crime_types"])
