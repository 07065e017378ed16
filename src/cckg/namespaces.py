"""Every namespace cckg writes or reads, the one prefix table, and the one ontology loader.

The cckg namespaces (``cckg:`` for the ontology, ``id:`` for instances, the concept schemes) and
the W3C and schema.org vocabularies the graph reuses are defined here and nowhere else; so is
:data:`PREFIXES`, the prefixes used wherever cckg writes IRIs for people or tools (dumps, query
tables, validation reports, ``show``).  :func:`ontology` parses ``ontology/*.ttl`` once per process.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import BNode, Node

from cckg import resources

__all__ = [
    "AGENCY_KIND",
    "AGREEMENT_KIND",
    "CCKG",
    "CCKGSH",
    "CRIME",
    "DCTERMS",
    "GEONAMES",
    "GRAPH",
    "ID",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "VOCABULARY_GRAPH",
    "WIKIDATA",
    "XSD",
    "compact",
    "ontology",
    "sparql_prefixes",
]

# --- cckg's own namespaces ---------------------------------------------------------------------

CCKG = Namespace("https://w3id.org/cckg/ns#")  # the ontology: classes and properties
ID = Namespace("https://w3id.org/cckg/id/")  # instances: releases, agencies, people, facts
CRIME = Namespace("https://w3id.org/cckg/crime-type/")  # the crime type scheme
AGREEMENT_KIND = Namespace("https://w3id.org/cckg/agreement-kind/")  # the agreement kind scheme
AGENCY_KIND = Namespace("https://w3id.org/cckg/agency-kind/")  # the agency kind scheme
CCKGSH = Namespace("https://w3id.org/cckg/shapes#")  # the SHACL shapes
GRAPH = Namespace("https://w3id.org/cckg/graph/")  # named graphs that are not releases
CCKG_BASE = "https://w3id.org/cckg/"  # every IRI cckg mints starts so (graphs included)

#: The named graph holding the ontology and its concept schemes.
VOCABULARY_GRAPH = GRAPH["vocabulary"]

# --- vocabularies the graph reuses (the W3C ones not in rdflib.namespace, and schema.org) -------

SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")  # SPARQL 1.1 Service Description
VOID = Namespace("http://rdfs.org/ns/void#")  # VoID dataset descriptions
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # the W3C's names of RDF and results formats
GEONAMES = Namespace("https://sws.geonames.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

#: The prefixes of IRIs in dumps, query tables, validation reports and cards, in the order
#: :func:`compact` tries them.
PREFIXES: Mapping[str, Namespace] = {
    "id": ID,
    "cckg": CCKG,
    "crime": CRIME,
    "agreementkind": AGREEMENT_KIND,
    "agencykind": AGENCY_KIND,
    "org": ORG,
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "oa": OA,
    "dcterms": Namespace(str(DCTERMS)),
    "schema": SCHEMA,
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "cckgsh": CCKGSH,
}


def sparql_prefixes(names: tuple[str, ...] | None = None) -> str:
    """``PREFIX name: <iri>`` lines for :data:`PREFIXES` (or only ``names``), to start a query."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())


def compact(term: Node | None) -> str:
    """A short human form of ``term``: prefixed IRIs, plain literal values."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace):]}"
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def ontology() -> Graph:
    """The ontology and its concept schemes (``ontology/*.ttl``) as one graph.

    Parsed once per process while the files are unchanged, and shared: do not modify it.
    """
    return resources.turtle_graph(resources.ontology_files())

