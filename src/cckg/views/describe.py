"""What ``cckg serve`` says about itself: a SPARQL 1.1 Service Description and a VoID description.

A GET of the endpoint with no query answers one RDF document (Turtle unless the Accept header
asks for another RDF format) holding both: the ``sd:Service`` (endpoint, language, result
formats, ``sd:UnionDefaultGraph``: the default graph is the merged graph, each triple of the
named graphs once) and its ``sd:defaultDataset``, which is also the
``void:Dataset`` with its statistics (triples, entities, distinct subjects and objects, classes
and properties with their counts, one ``sd:namedGraph`` per graph up to :data:`MAX_GRAPHS`, each
with its triple count).  The counts come from a few aggregate queries, run once per server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef

from cckg.namespaces import DCTERMS, FORMATS, PREFIXES, SD, VOID
from cckg.sparql import QueryResult, SelectResult

MAX_GRAPHS = 1000
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")  # fmt: skip
VOCABULARIES = ("cckg", "org", "prov", "oa", "skos", "dcterms", "schema")

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CLASS_COUNTS = (
    "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class"
)
PROPERTY_COUNTS = """SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
GROUP BY ?p ORDER BY ?p"""
TOTALS = f"""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
       (COUNT(DISTINCT ?entity) AS ?entities)
WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o }} }}
  BIND(IF(isIRI(?s) && STRSTARTS(STR(?s), "{PREFIXES["id"]}"), ?s, ?unbound) AS ?entity)
}}"""


@dataclass
class Statistics:
    triples: int = 0
    subjects: int = 0
    objects: int = 0
    entities: int = 0
    graphs: list[tuple[str, int]] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)


def _pairs(result: QueryResult, key: str) -> list[tuple[str, int]]:
    assert isinstance(result, SelectResult)
    return [(str(row[key]), int(row["n"])) for row in result.rows if key in row]  # type: ignore[call-overload]


def statistics(run: Callable[[str], QueryResult]) -> Statistics:
    """The dataset's statistics, from the aggregate queries above run by ``run``."""
    totals = run(TOTALS)
    assert isinstance(totals, SelectResult)
    row = totals.rows[0] if totals.rows else {}
    number = lambda key: int(row[key]) if key in row else 0  # type: ignore[call-overload]  # noqa: E731
    return Statistics(
        number("triples"), number("subjects"), number("objects"), number("entities"),
        _pairs(run(GRAPH_COUNTS), "g"), _pairs(run(CLASS_COUNTS), "class"), _pairs(run(PROPERTY_COUNTS), "p"),
    )  # fmt: skip


def _dataset(graph: rdflib.Graph, dataset: URIRef, endpoint: str, stats: Statistics) -> None:
    add = graph.add
    add((dataset, RDF.type, SD.Dataset))
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal("cckg knowledge graph")))
    add((dataset, DCTERMS.description, Literal(
        "Cross-border law-enforcement cooperation read from press releases: agencies, officials, events, "
        "agreements, joint operations, seizures and crime types, each fact with its evidence.")))  # fmt: skip
    add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    add((dataset, VOID.uriSpace, Literal(str(PREFIXES["id"]))))
    for prefix in VOCABULARIES:
        add((dataset, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))
    for name, value in (("triples", stats.triples), ("entities", stats.entities),
                        ("distinctSubjects", stats.subjects), ("distinctObjects", stats.objects),
                        ("classes", len(stats.classes)), ("properties", len(stats.properties))):  # fmt: skip
        add((dataset, VOID[name], Literal(value, datatype=XSD.integer)))
    for kind, pairs, count in (
        ("class", stats.classes, "entities"),
        ("property", stats.properties, "triples"),
    ):
        for iri, n in pairs:
            part = BNode()
            add((dataset, VOID[f"{kind}Partition"], part))
            add((part, VOID[kind], URIRef(iri)))
            add((part, VOID[count], Literal(n, datatype=XSD.integer)))


def _graphs(graph: rdflib.Graph, dataset: URIRef, stats: Statistics) -> None:
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    for name, n in stats.graphs[:MAX_GRAPHS]:
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(n, datatype=XSD.integer)))


def describe(endpoint: str, stats: Statistics) -> rdflib.Graph:
    """The service description and VoID description of the endpoint at ``endpoint``."""
    graph = rdflib.Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("formats", FORMATS), ("dcterms", DCTERMS)):
        graph.bind(prefix, namespace)
    service, dataset = URIRef(f"{endpoint}#service"), URIRef(f"{endpoint}#dataset")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    _dataset(graph, dataset, endpoint, stats)
    _graphs(graph, dataset, stats)
    return graph
