"""Checks shared by the property tests and the fuzz target: the release JSON has the shape of
docs/release-json.md (the evaluation kit's SCHEMA.md, with cckg's additions), every evidence quotes
the release text exactly, and the RDF of a release parses back as the same graph with valid IRIs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.term import Literal, URIRef

from cckg.identity import IRI_FORBIDDEN
from cckg.store import OxigraphStore

DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
CRIME_TYPES = {
    "drug-trafficking", "money-laundering", "ipr-infringement", "tobacco-smuggling", "smuggling",
    "cybercrime", "financial-crime", "terrorism", "wildlife-trafficking", "revenue-fraud",
    "strategic-commodities", "other",
}  # fmt: skip
AGENCY_KINDS = {"customs", "police", "anti-corruption", "intergovernmental", "ministry", "other"}
EVENT_KINDS = {"conference", "meeting", "visit", "signing", "forum", "workshop", "operation", "other"}
OPTIONAL_STR, STR, LIST, NUMBER, OPTIONAL_INT = "str?", "str", "list", "number", "int?"
#: Each object's fields and their types ("date?" a date or null, "names" a list of strings).
FIELDS: dict[str, dict[str, str]] = {
    "release": {
        "id": STR, "source": STR, "title": OPTIONAL_STR, "published": "date?", "url": OPTIONAL_STR,
        "language": STR, "content_hash": STR, "agencies": LIST, "officials": LIST, "events": LIST,
        "agreements": LIST, "operations": LIST, "seizures": LIST, "crime_types": "crimes",
        "crime_type_evidence": "object", "cooperation": LIST, "cooperation_evidence": LIST,
    },
    "agency": {
        "name": STR, "acronyms": "names", "aliases": "names", "country": OPTIONAL_STR, "kind": STR,
        "key": OPTIONAL_STR, "wikidata": OPTIONAL_STR, "resolutions": LIST, "evidence": LIST,
        "confidence": NUMBER,
    },
    "official": {
        "name": STR, "honorific": OPTIONAL_STR, "title": OPTIONAL_STR, "agency": OPTIONAL_STR,
        "post": OPTIONAL_STR, "evidence": LIST, "confidence": NUMBER,
    },
    "event": {
        "kind": STR, "name": OPTIONAL_STR, "ordinal": OPTIONAL_INT, "start": "date?", "end": "date?",
        "city": OPTIONAL_STR, "country": OPTIONAL_STR, "participants": "names", "organizers": "names",
        "delegation_heads": "names", "status": STR, "series": OPTIONAL_STR, "evidence": LIST,
        "confidence": NUMBER,
    },
    "agreement": {
        "kind": STR, "name": STR, "date": "date?", "parties": "names", "signatories": "names",
        "topics": "crimes", "evidence": LIST, "confidence": NUMBER,
    },
    "operation": {
        "name": STR, "start": "date?", "end": "date?", "led_by": "names", "participants": "names",
        "crime_types": "crimes", "evidence": LIST, "confidence": NUMBER,
    },
    "seizure": {
        "goods": STR, "quantity": NUMBER, "unit": STR, "qualifier": OPTIONAL_STR, "date": "date?",
        "city": OPTIONAL_STR, "country": OPTIONAL_STR, "crime_types": "crimes", "evidence": LIST,
        "confidence": NUMBER,
    },
}  # fmt: skip
LISTS = {"agencies": "agency", "officials": "official", "events": "event", "agreements": "agreement",
         "operations": "operation", "seizures": "seizure"}  # fmt: skip


def _typed(value: Any, kind: str) -> bool:
    if kind.endswith("?") and value is None:
        return True
    kind = kind.rstrip("?")
    checks = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v == v,
        "list": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
        "date": lambda v: isinstance(v, str) and DATE.match(v) is not None,
        "names": lambda v: isinstance(v, list) and all(isinstance(n, str) and n for n in v),
        "crimes": lambda v: isinstance(v, list) and set(v) <= CRIME_TYPES,
    }
    return bool(checks[kind](value))


def check_object(obj: Any, kind: str) -> None:
    assert isinstance(obj, dict), f"{kind}: not an object: {obj!r}"
    fields = FIELDS[kind]
    assert set(obj) == set(fields), f"{kind}: fields {sorted(set(obj) ^ set(fields))} differ"
    for name, field_type in fields.items():
        assert _typed(obj[name], field_type), f"{kind}.{name}: {obj[name]!r} is not {field_type}"
    if "confidence" in fields:
        assert 0 <= obj["confidence"] <= 1, f"{kind}.confidence: {obj['confidence']}"


def check_evidence(evidence: Any, text: str) -> None:
    assert isinstance(evidence, dict) and set(evidence) == {"quote", "start", "end"}, evidence
    start, end = evidence["start"], evidence["end"]
    assert isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text), evidence
    assert text[start:end] == evidence["quote"], f"evidence {evidence!r} does not quote the text"


def check_release_json(data: Any, text: str) -> None:
    """``data`` has the release JSON shape, and each evidence quotes ``text`` at its offsets."""
    check_object(data, "release")
    for key, kind in LISTS.items():
        for fact in data[key]:
            check_object(fact, kind)
            assert fact["evidence"], f"{kind} without evidence: {fact!r}"
            for evidence in fact["evidence"]:
                check_evidence(evidence, text)
    for agency in data["agencies"]:
        assert agency["kind"] in AGENCY_KINDS, agency["kind"]
    for event in data["events"]:
        assert event["kind"] in EVENT_KINDS and event["status"] in ("held", "planned"), event
    assert set(data["crime_type_evidence"]) == set(data["crime_types"])
    for found in data["crime_type_evidence"].values():
        for evidence in found:
            check_evidence(evidence, text)
    names = {agency["name"] for agency in data["agencies"]}
    for pair in data["cooperation"]:
        assert isinstance(pair, list) and len(pair) == 2 and set(pair) <= names and pair[0] != pair[1], pair
    assert len(data["cooperation_evidence"]) == len(data["cooperation"])


def check_iris(graph: rdflib.Graph) -> None:
    """Every IRI of ``graph`` is an absolute IRI with none of the characters IRIs may not hold."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                assert re.match(r"^[a-z][a-z0-9+.-]*:", term), f"not an absolute IRI: {term!r}"
                assert not IRI_FORBIDDEN.search(term), f"not a valid IRI: {term!r}"
            elif isinstance(term, Literal) and term.datatype is not None:
                assert not IRI_FORBIDDEN.search(term.datatype), term.datatype


def check_round_trip(graph: rdflib.Graph) -> None:
    """``graph`` written as N-Triples, and stored and dumped as Turtle and N-Quads (as ``cckg dump``
    writes it), parses back as the same graph.  (rdflib's own Turtle writer is left out: it
    rewrites ``"8000000"^^xsd:decimal`` as ``8000000.0``, the same number in another lexical form.)"""
    again = rdflib.Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert isomorphic(graph, again), "the N-Triples of the graph do not parse back the same"
    graph = _numbers_by_value(graph)
    name = URIRef("https://w3id.org/cckg/id/release/fuzz")
    with OxigraphStore() as store:
        store.replace_graph(name, graph)
        for fmt, parser in (("turtle", "turtle"), ("nquads", "nquads")):
            dataset = rdflib.Dataset()
            dataset.parse(data=store.dump(fmt, name if fmt == "turtle" else None), format=parser)
            triples = rdflib.Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                triples.add((s, p, o))
            triples = _numbers_by_value(triples)
            assert isomorphic(graph, triples), f"the stored graph dumped as {fmt} parses back otherwise"


NUMBERS = {XSD.decimal, XSD.integer, XSD.double, XSD.float}


def _numbers_by_value(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` with each number in one lexical form (Turtle writes ``1.0`` for ``"1"^^xsd:decimal``
    and parsers read it back as either): RDF graphs compared as the numbers they hold."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in NUMBERS:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        out.add((s, p, o))
    return out
