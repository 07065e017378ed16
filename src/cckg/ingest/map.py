"""Map the facts of one release to RDF: the triples of the release's named graph.

The model is documented in docs/data-model.md.  No blank nodes are produced, so mapping the same
facts twice gives the same triples (ingest is idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from cckg import __version__
from cckg.identity import (
    agency_iri,
    agency_kind_iri,
    agreement_kind_iri,
    checked_iri,
    city_iri,
    country_iri,
    crime_type_iri,
    event_iri,
    evidence_iri,
    fact_iri,
    person_iri,
    place_iri,
    position_selector_iri,
    post_iri,
    quote_selector_iri,
    release_iri,
    resolution_iri,
    run_iri,
    series_iri,
    slug,
    software_iri,
    wikidata_iri,
)
from cckg.model import Evidence, Places, ReleaseFacts
from cckg.namespaces import (
    CCKG,
    DCTERMS,
    OA,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)

SOFTWARE = software_iri(__version__)

EVENT_CLASSES = {
    "conference": CCKG.Conference,
    "meeting": CCKG.Meeting,
    "visit": CCKG.Visit,
    "signing": CCKG.Signing,
    "forum": CCKG.Forum,
    "workshop": CCKG.Workshop,
}


def date_literal(value: str) -> Literal:
    """A date keeping its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.string)
    return Literal(value, datatype=datatype)


@dataclass
class _Mapping:
    """What the per-fact-type functions share while one release is mapped: the graph being filled,
    the release and its extraction run, and the nodes of the names already mapped."""

    facts: ReleaseFacts
    places: Places
    graph: Graph
    release: URIRef
    run: URIRef
    agency_keys: dict[str, str] = field(default_factory=dict)
    person_nodes: dict[str, URIRef] = field(default_factory=dict)

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        self.graph.add(triple)

    def agency_node(self, name: str) -> URIRef:
        return agency_iri(self.agency_keys.get(name) or slug(name))

    def person_node(self, name: str) -> URIRef:
        return self.person_nodes.get(name) or person_iri(name, None)


def facts_to_graph(facts: ReleaseFacts, generated_at: datetime | None = None, *, places: Places) -> Graph:
    """All triples of the named graph of ``facts``' release; ``places`` tells which cities GeoNames
    knows and the names of countries (the pipeline passes the extractor's gazetteer)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    mapping = _Mapping(
        facts, places, graph, release_iri(facts.id), run_iri(facts.id, facts.content_hash, __version__)
    )
    _map_release(mapping, generated_at or datetime.now(UTC))
    _map_agencies(mapping)
    _map_officials(mapping)
    _map_events(mapping)
    _map_agreements(mapping)
    _map_operations(mapping)
    _map_seizures(mapping)
    _map_cooperation(mapping)
    return graph


def _map_release(m: _Mapping, generated_at: datetime) -> None:
    """The release, the extraction run that read it and the software that ran."""
    facts, release, run, add = m.facts, m.release, m.run, m.add
    add((release, RDF.type, CCKG.Release))
    add((release, DCTERMS.identifier, Literal(facts.id)))
    add((release, DCTERMS.source, Literal(facts.source)))
    add((release, DCTERMS.language, Literal(facts.language)))
    if facts.title:
        add((release, DCTERMS.title, Literal(facts.title)))
    if facts.published:
        add((release, DCTERMS.issued, date_literal(facts.published)))
    if facts.url:
        add((release, SCHEMA.url, checked_iri(facts.url)))
    if facts.content_hash:
        add((release, CCKG.contentHash, Literal(facts.content_hash)))
    for notation in facts.crime_types:
        add((release, DCTERMS.subject, crime_type_iri(notation)))
    add((run, RDF.type, CCKG.ExtractionRun))
    add((run, PROV.used, release))
    add((run, PROV.wasAssociatedWith, SOFTWARE))
    add((run, PROV.endedAtTime, Literal(generated_at.replace(microsecond=0))))
    add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    add((SOFTWARE, RDFS.label, Literal(f"cckg {__version__}")))
    add((SOFTWARE, SCHEMA.softwareVersion, Literal(__version__)))


def _map_evidence(m: _Mapping, node: URIRef, items: list[Evidence], confidence: float) -> None:
    """The quotes ``node`` rests on (Web Annotation selectors), its confidence and its run."""
    add, release_id = m.add, m.facts.id
    for item in items:
        target = evidence_iri(release_id, item.start, item.end)
        quote = quote_selector_iri(release_id, item.start, item.end)
        position = position_selector_iri(release_id, item.start, item.end)
        add((node, CCKG.evidence, target))
        add((target, RDF.type, OA.SpecificResource))
        add((target, OA.hasSource, m.release))
        add((target, OA.hasSelector, quote))
        add((target, OA.hasSelector, position))
        add((quote, RDF.type, OA.TextQuoteSelector))
        add((quote, OA.exact, Literal(item.quote)))
        add((position, RDF.type, OA.TextPositionSelector))
        add((position, OA.start, Literal(item.start)))
        add((position, OA.end, Literal(item.end)))
    add((node, CCKG.confidence, Literal(str(round(confidence, 2)), datatype=XSD.decimal)))
    add((node, PROV.wasGeneratedBy, m.run))


def _map_agencies(m: _Mapping) -> None:
    """Agencies, their names, and each other name the release uses for them and why."""
    add = m.add
    for agency in m.facts.agencies:
        key = agency.key or slug(agency.name)
        for name in (agency.name, *agency.aliases, *agency.acronyms):
            m.agency_keys.setdefault(name, key)
        node = agency_iri(key)
        add((node, RDF.type, CCKG.Agency))
        add((node, SKOS.prefLabel, Literal(agency.name)))
        for alias in agency.aliases:
            add((node, SKOS.altLabel, Literal(alias)))
        for acronym in agency.acronyms:
            add((node, CCKG.acronym, Literal(acronym)))
        if agency.country:
            add((node, SCHEMA.addressCountry, Literal(agency.country)))
        add((node, CCKG.agencyKind, agency_kind_iri(agency.kind)))
        if agency.wikidata:
            add((node, OWL.sameAs, wikidata_iri(agency.wikidata)))
        add((m.release, SCHEMA.mentions, node))
        for surface, reason, where in agency.resolutions:
            # Identity is decided, not assumed: each other name the release uses, and why.
            resolution = resolution_iri(m.facts.id, key, surface)
            add((resolution, RDF.type, CCKG.NameResolution))
            add((resolution, CCKG.surfaceForm, Literal(surface)))
            add((resolution, CCKG.resolvedTo, node))
            add((resolution, CCKG.reason, Literal(reason)))
            _map_evidence(m, resolution, [where], agency.confidence)


def _map_officials(m: _Mapping) -> None:
    """People, and the posts they hold at the release date (memberships)."""
    add, published = m.add, m.facts.published
    for official in m.facts.officials:
        agency_key = m.agency_keys.get(official.agency or "")
        person = person_iri(official.name, agency_key)
        m.person_nodes[official.name] = person
        add((person, RDF.type, SCHEMA.Person))
        add((person, SCHEMA.name, Literal(official.name)))
        if official.honorific:
            add((person, SCHEMA.honorificPrefix, Literal(official.honorific)))
        add((m.release, SCHEMA.mentions, person))
        if agency_key:
            add((person, ORG.memberOf, agency_iri(agency_key)))
        if not official.title:
            continue
        title = official.post or official.title
        post = post_iri(agency_key, title)
        add((post, RDF.type, ORG.Post))
        add((post, RDFS.label, Literal(title)))
        if agency_key:
            add((post, ORG.postIn, agency_iri(agency_key)))
        add((person, ORG.holds, post))
        membership = fact_iri("membership", person, post, published)
        add((membership, RDF.type, ORG.Membership))
        add((membership, ORG.member, person))
        if agency_key:
            add((membership, ORG.organization, agency_iri(agency_key)))
        add((membership, CCKG.post, post))
        add((membership, RDFS.label, Literal(f"{official.name}, {official.title}")))
        if published:
            add((membership, CCKG.attestedOn, date_literal(published)))
        _map_evidence(m, membership, official.evidence, official.confidence)


def _map_place(m: _Mapping, node: URIRef, city: str | None, country: str | None) -> None:
    """Where ``node`` happened: a city (a GeoNames IRI when the gazetteer knows it), else a country."""
    add = m.add
    if city:
        known = m.places.city(city)
        place_node = city_iri(known[0]) if known else place_iri(city, country)
        add((place_node, RDF.type, SCHEMA.City))
        add((place_node, SCHEMA.name, Literal(city)))
        if country or known:
            add((place_node, SCHEMA.addressCountry, Literal(country or known[1])))  # type: ignore[index]
    elif country:
        place_node = country_iri(country)
        add((place_node, RDF.type, SCHEMA.Country))
        add((place_node, SCHEMA.name, Literal(m.places.country_name(country))))
        add((place_node, SCHEMA.addressCountry, Literal(country)))
    else:
        return
    add((node, SCHEMA.location, place_node))


def _map_events(m: _Mapping) -> None:
    """Events, their participants and heads of delegation, and the series they belong to."""
    add = m.add
    for event in m.facts.events:
        keys = [m.agency_keys.get(p) or slug(p) for p in event.participants]
        series = series_iri(event.series, keys) if event.series and event.ordinal is not None else None
        node = event_iri(
            event.kind, event.name, event.ordinal, event.series if series else None, event.start, keys
        )
        add((node, RDF.type, EVENT_CLASSES.get(event.kind, CCKG.Event)))
        if event.name:
            add((node, SCHEMA.name, Literal(event.name)))
        if event.ordinal is not None:
            add((node, CCKG.ordinal, Literal(event.ordinal)))
        if event.start:
            add((node, SCHEMA.startDate, date_literal(event.start)))
        if event.end:
            add((node, SCHEMA.endDate, date_literal(event.end)))
        add((node, CCKG.status, CCKG.Planned if event.status == "planned" else CCKG.Held))
        _map_place(m, node, event.city, event.country)
        for participant in event.participants:
            add((node, CCKG.participant, m.agency_node(participant)))
        for organizer in event.organizers:
            add((node, SCHEMA.organizer, m.agency_node(organizer)))
        for head in event.delegation_heads:
            add((node, CCKG.delegationHead, m.person_node(head)))
        if series is not None:
            add((node, SCHEMA.superEvent, series))
            add((series, RDF.type, CCKG.EventSeries))
            add((series, SCHEMA.name, Literal(event.series)))
            for participant in event.participants:
                add((series, CCKG.participant, m.agency_node(participant)))
        _map_evidence(m, node, event.evidence, event.confidence)


def _map_agreements(m: _Mapping) -> None:
    """Agreements, their parties, signatories and topics."""
    add = m.add
    for agreement in m.facts.agreements:
        parties = sorted(m.agency_keys.get(p, p) for p in agreement.parties)
        node = fact_iri("agreement", agreement.kind, agreement.name, agreement.date, *parties)
        add((node, RDF.type, CCKG.Agreement))
        add((node, SCHEMA.name, Literal(agreement.name)))
        add((node, CCKG.agreementKind, agreement_kind_iri(agreement.kind)))
        if agreement.date:
            add((node, DCTERMS.date, date_literal(agreement.date)))
        for party in agreement.parties:
            add((node, CCKG.party, m.agency_node(party)))
        for signatory in agreement.signatories:
            add((node, CCKG.signatory, m.person_node(signatory)))
        for topic in agreement.topics:
            add((node, DCTERMS.subject, crime_type_iri(topic)))
        _map_evidence(m, node, agreement.evidence, agreement.confidence)


def _map_operations(m: _Mapping) -> None:
    """Joint operations, who led and who joined them, and their crime types."""
    add = m.add
    for operation in m.facts.operations:
        if operation.name:
            node = fact_iri("operation", operation.name, operation.start)
        else:  # an operation without a name is known by its release and its first sentence
            first = operation.evidence[0].start if operation.evidence else 0
            node = fact_iri("operation", m.facts.id, operation.start, first)
        add((node, RDF.type, CCKG.JointOperation))
        if operation.name:
            add((node, SCHEMA.name, Literal(operation.name)))
        if operation.start:
            add((node, SCHEMA.startDate, date_literal(operation.start)))
        if operation.end:
            add((node, SCHEMA.endDate, date_literal(operation.end)))
        for lead in operation.led_by:
            add((node, CCKG.ledBy, m.agency_node(lead)))
        for participant in operation.participants:
            add((node, CCKG.participant, m.agency_node(participant)))
        for crime in operation.crime_types:
            add((node, DCTERMS.subject, crime_type_iri(crime)))
        _map_evidence(m, node, operation.evidence, operation.confidence)


def _map_seizures(m: _Mapping) -> None:
    """Seizures: goods, quantity and unit, date, place and crime types."""
    add = m.add
    for seizure in m.facts.seizures:
        first = seizure.evidence[0].start if seizure.evidence else 0
        node = fact_iri("seizure", m.facts.id, seizure.goods, seizure.quantity, seizure.unit, first)
        quantity = str(seizure.quantity).removesuffix(".0")
        add((node, RDF.type, CCKG.Seizure))
        add((node, CCKG.goods, Literal(seizure.goods)))
        add((node, CCKG.quantity, Literal(quantity, datatype=XSD.decimal)))
        add((node, CCKG.unit, Literal(seizure.unit)))
        if seizure.qualifier:
            add((node, CCKG.qualifier, Literal(seizure.qualifier)))
        if seizure.date:
            add((node, DCTERMS.date, date_literal(seizure.date)))
        _map_place(m, node, seizure.city, seizure.country)
        for crime in seizure.crime_types:
            add((node, DCTERMS.subject, crime_type_iri(crime)))
        _map_evidence(m, node, seizure.evidence, seizure.confidence)


def _map_cooperation(m: _Mapping) -> None:
    """Statements that two agencies cooperate (and the symmetric cckg:cooperatesWith link)."""
    add = m.add
    for link in m.facts.cooperation:
        a, b = (m.agency_node(name) for name in link.agencies)
        node = fact_iri("cooperation", m.facts.id, *sorted((a, b)))
        add((node, RDF.type, CCKG.Cooperation))
        add((node, CCKG.partner, a))
        add((node, CCKG.partner, b))
        add((a, CCKG.cooperatesWith, b))
        add((b, CCKG.cooperatesWith, a))
        _map_evidence(m, node, link.evidence, link.confidence)
