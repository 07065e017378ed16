"""What the mapping and the shapes use is defined: by the ontology, or by a vocabulary it reuses.

- Every class and property that the RDF mapping writes for the seed and development releases, and
  every one that the shapes name (paths, classes, datatypes, targets, and the prefixed names in
  their SPARQL), is declared in ontology/*.ttl or belongs to a reused vocabulary.  RDF, RDFS, OWL,
  XSD, SKOS, Dublin Core terms and OWL-Time are checked against rdflib's definitions of them;
  schema.org, W3C ORG, PROV-O and Web Annotation terms against the allow-list below (they are
  not in our Turtle, and the allow-list says which of their terms the project reuses).
- Every cckg: term of the ontology is labelled and commented in English.
- The mapped seed and development releases conform to the shapes (Info results allowed).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH, SKOS, TIME, XSD, DefinedNamespaceMeta
from rdflib.term import Node

from cckg import namespaces, validation
from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from cckg.pipeline import map_facts

REPO = Path(__file__).resolve().parent.parent
RELEASES = find_releases([REPO / "data" / "releases", REPO / "data" / "devset" / "releases"])
CCKG_NAMESPACES = (
    "https://w3id.org/cckg/ns#",
    "https://w3id.org/cckg/crime-type/",
    "https://w3id.org/cckg/agreement-kind/",
    "https://w3id.org/cckg/agency-kind/",
    "https://w3id.org/cckg/unit/",
    "https://w3id.org/cckg/iccs/",
)
DEFINED: tuple[DefinedNamespaceMeta, ...] = (RDF, RDFS, OWL, XSD, SKOS, DCTERMS, TIME)  # type: ignore[assignment]

SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
#: The terms of schema.org, W3C ORG, PROV-O and Web Annotation that the project reuses.
REUSED = {
    SCHEMA: """NewsArticle Event EventSeries Person Place City Country name honorificPrefix addressCountry
        url mentions location startDate endDate superEvent organizer attendee softwareVersion
        domainIncludes rangeIncludes""",
    ORG: "FormalOrganization Post Membership holds memberOf postIn member organization",
    PROV: "Entity Activity SoftwareAgent used wasAssociatedWith endedAtTime wasGeneratedBy wasDerivedFrom",
    OA: """SpecificResource TextQuoteSelector TextPositionSelector hasSource hasSelector exact start end
        prefix suffix""",
}
ALLOWED = {URIRef(namespace + name) for namespace, names in REUSED.items() for name in names.split()}


@cache
def ontology() -> Graph:
    return namespaces.ontology()


@cache
def shapes() -> Graph:
    return validation.default_shapes()


@cache
def mapped() -> dict[str, Graph]:
    """The RDF of each seed and development release, as ingest maps it."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return {path.name: map_facts(extract(read_release(path)), when) for path in RELEASES}


def declared() -> set[Node]:
    return set(ontology().subjects(RDF.type, None))


def undefined(terms: set[URIRef]) -> set[URIRef]:
    """The terms that neither the ontology nor a reused vocabulary defines."""
    known = declared()
    return {
        term
        for term in terms
        if term not in known and term not in ALLOWED and not any(term in ns for ns in DEFINED)
    }


def is_cckg(term: URIRef) -> bool:
    return term.startswith(CCKG_NAMESPACES)


def data_terms(graph: Graph) -> set[URIRef]:
    """The predicates and classes of a data graph, and the cckg vocabulary IRIs it uses."""
    terms = {p for p in graph.predicates() if isinstance(p, URIRef)}
    terms |= {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    terms |= {t for t in (s for triple in graph for s in triple) if isinstance(t, URIRef) and is_cckg(t)}
    return terms


def path_terms(graph: Graph, path: Node) -> set[URIRef]:
    """The properties of a SHACL property path."""
    if isinstance(path, URIRef):
        return {path}
    found: set[URIRef] = set()
    wrappers = (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, SH.alternativePath)
    for predicate in wrappers:
        if (inner := graph.value(path, predicate)) is not None:
            found |= path_terms(graph, inner)
    if (path, RDF.first, None) in graph:
        for item in Collection(graph, path):
            found |= path_terms(graph, item)
    return found


SPARQL_NAME = re.compile(r"(?<![\w:<])([a-z]+):([A-Za-z_][\w-]*)")


def sparql_terms(graph: Graph) -> set[URIRef]:
    """The prefixed names in the shapes' SPARQL, expanded with their sh:declare prefixes."""
    declared = graph.objects(None, SH.declare)
    prefixes = {str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace)) for d in declared}
    terms = set()
    for text in (*graph.objects(None, SH.select), *graph.objects(None, SH.ask)):
        for prefix, name in SPARQL_NAME.findall(str(text)):
            assert prefix in prefixes, f"undeclared prefix {prefix}: in a SPARQL constraint"
            terms.add(URIRef(prefixes[prefix] + name))
    return terms


def shape_terms(graph: Graph) -> set[URIRef]:
    terms: set[URIRef] = set()
    for path in graph.objects(None, SH.path):
        terms |= path_terms(graph, path)
    for predicate in (SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.datatype):
        terms |= {o for o in graph.objects(None, predicate) if isinstance(o, URIRef)}
    for head in graph.objects(None, SH["in"]):
        terms |= {o for o in Collection(graph, head) if isinstance(o, URIRef)}
    return terms | sparql_terms(graph)


# ------------------------------------------------------------------------------------------------


def test_there_are_releases_to_map() -> None:
    assert len(RELEASES) >= 30


@pytest.mark.parametrize("name", [p.name for p in RELEASES])
def test_the_mapping_uses_defined_terms(name: str) -> None:
    assert not undefined(data_terms(mapped()[name]))


def test_the_shapes_use_defined_terms() -> None:
    terms = shape_terms(shapes())
    assert SCHEMA.superEvent in terms and URIRef(CCKG_NAMESPACES[0] + "Cooperation") in terms
    assert not undefined(terms)


def test_the_allow_list_is_what_is_reused() -> None:
    """Every allow-listed term is used by the mapping, the shapes or the ontology."""
    used = shape_terms(shapes()) | {t for triple in ontology() for t in triple if isinstance(t, URIRef)}
    for graph in mapped().values():
        used |= data_terms(graph)
    assert not ALLOWED - used, f"allow-listed but unused: {sorted(ALLOWED - used)}"


def test_undefined_terms_are_found() -> None:
    typos = {SCHEMA.nmae, ORG.holdz, URIRef(f"{SKOS}prefLable"), URIRef(CCKG_NAMESPACES[0] + "Agnecy")}
    assert undefined(typos | {SCHEMA.name, SKOS.prefLabel}) == typos


@pytest.mark.parametrize(
    "term",
    sorted(
        s
        for s in set(ontology().subjects())
        if isinstance(s, URIRef)
        and s.startswith(CCKG_NAMESPACES[0])
        and (s, RDF.type, SKOS.Concept) not in ontology()
        and (s, RDF.type, SKOS.ConceptScheme) not in ontology()
    ),
    ids=lambda t: str(t).rsplit("#", 1)[-1],
)
def test_every_cckg_term_is_labelled_and_commented(term: URIRef) -> None:
    """Whatever its type (class, property of any kind); SKOS concepts have test_ontology's checks."""
    for predicate in (RDFS.label, RDFS.comment):
        values = [o for o in ontology().objects(term, predicate) if isinstance(o, Literal)]
        assert [o.language for o in values] == ["en"], f"{term}: one English {predicate}"


@pytest.mark.parametrize("name", [p.name for p in RELEASES])
def test_the_mapped_release_conforms(name: str) -> None:
    report = validation.validate_graph(mapped()[name])
    assert report.ok(), validation.render_text(report)
