"""What the store knows about new data: the context new data is validated with, and the labels and
evidence a report shows, read with queries whose cost follows the new data, not the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pyoxigraph as ox
import rdflib
from rdflib.term import Node, URIRef

from cckg.namespaces import CCKG, DCTERMS, OA, ORG, OWL, RDF, RDFS, SCHEMA, SKOS
from cckg.sparql import SelectResult, sparql_term
from cckg.store import OxigraphStore, Store, from_ox
from cckg.validation.report import LABELS

#: What :func:`store_context` loads about each IRI the new data mentions: its types (for sh:class),
#: its labels and identifiers (for the report), and what the shapes' SPARQL rules read about
#: other nodes (owl:sameAs and skos:prefLabel of cooperation partners, org:postIn of a post,
#: dcterms:issued of a release that evidence quotes).
CONTEXT_PREDICATES = (
    RDF.type,
    SKOS.prefLabel,
    SKOS.altLabel,
    CCKG.acronym,
    SCHEMA.name,
    RDFS.label,
    DCTERMS.title,
    DCTERMS.identifier,
    DCTERMS.source,
    DCTERMS.issued,
    OWL.sameAs,
    ORG.postIn,
)
#: ... and, for each event series the new data mentions, the ordinal and start date of its events
#: (cckgsh:SeriesOrdinalOrder compares the events of a series).
SERIES_PREDICATES = (SCHEMA.superEvent, CCKG.ordinal, SCHEMA.startDate)
_BATCH = 200  # IRIs per context query


def _not_in(variable: str, graphs: Sequence[URIRef]) -> str:
    if not graphs:
        return ""
    return f"FILTER ({variable} NOT IN ({', '.join(sparql_term(g) for g in graphs)}))"


def load_store(store: Store, skip: Sequence[URIRef] = ()) -> rdflib.Graph:
    """The union of the store's named graphs, except ``skip`` (the vocabulary graph)."""
    skip = _with_merged(store, skip)
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_not_in('?g', skip)} }}"
    result = store.query(sparql)
    assert isinstance(result, rdflib.Graph)
    return result


def _with_merged(store: Store, skip: Sequence[URIRef]) -> Sequence[URIRef]:
    """``skip`` and the store's merged graph when it is a named graph (it is no release's)."""
    return skip if store.merged_graph is None else [*skip, store.merged_graph]


def mentioned_iris(data: rdflib.Graph) -> set[URIRef]:
    """The IRIs ``data`` uses as subjects or objects."""
    return {t for s, _, o in data for t in (s, o) if isinstance(t, URIRef)}


def release_iris(data: rdflib.Graph) -> set[URIRef]:
    """The releases described in ``data``; each names the graph it would replace in the store."""
    return {s for s in data.subjects(RDF.type, CCKG.Release) if isinstance(s, URIRef)}


def store_context(store: Store, data: rdflib.Graph, skip: Sequence[URIRef] = ()) -> rdflib.Graph:
    """What the store knows that the shapes need about the IRIs ``data`` mentions.

    Each mentioned IRI is read as one release graph that types it describes it (the mapping writes
    an agency, a person, a post or a place the same way in every release that mentions it): the
    values of :data:`CONTEXT_PREDICATES` there.  Each event series mentioned brings the
    :data:`SERIES_PREDICATES` of its events.  Graphs in ``skip`` are left out (the vocabulary
    graph, and the graph that ``data`` would replace).  Every pattern starts from a constant IRI
    and a node's graph is found with ``LIMIT 1``, so the queries read a few index entries per IRI,
    however many releases the store holds and however many of them mention the IRI.
    """
    context = rdflib.Graph()
    for triple in store_contexts(store, [data], skip)[0]:
        context.add(triple)
    return context


Triple = tuple[Node, Node, Node]


def store_contexts(
    store: Store, datas: Sequence[rdflib.Graph | Sequence[Triple]], skip: Sequence[URIRef] = ()
) -> list[list[Triple]]:
    """:func:`store_context` of each of ``datas`` (graphs, or lists of their triples), read with
    one set of lookups.

    The context of a graph is made of one piece per IRI it mentions (and per event series it
    refers to), and each piece depends only on that IRI and ``skip``: the pieces are read once for
    the whole batch and each graph gets the union of its own pieces.
    """
    mentioned: list[set[URIRef]] = []
    series: list[set[URIRef]] = []
    super_event = SCHEMA.superEvent
    for data in datas:
        nodes: set[URIRef] = set()
        refers: set[URIRef] = set()
        for s, p, o in data:
            if isinstance(s, URIRef):
                nodes.add(s)
            if isinstance(o, URIRef):
                nodes.add(o)
                if p == super_event:
                    refers.add(o)
        mentioned.append(nodes)
        series.append(refers)
    all_mentioned = sorted(set().union(*mentioned), key=str)
    all_series = sorted(set().union(*series), key=str)
    if isinstance(store, OxigraphStore):
        described, events = _read_indexes(store.oxigraph, all_mentioned, all_series, skip)
    else:
        described, events = _read_by_queries(store, all_mentioned, all_series, _with_merged(store, skip))
    contexts = []
    for nodes, refers in zip(mentioned, series, strict=True):
        triples = [t for node in nodes for t in described.get(node, ())]
        triples += [t for node in refers for t in events.get(node, ())]
        contexts.append(triples)
    return contexts


def _read_by_queries(
    store: Store, mentioned: list[URIRef], series: list[URIRef], skip: Sequence[URIRef]
) -> tuple[dict[Node, list[Triple]], dict[Node, list[Triple]]]:
    """The pieces of the contexts, read with SPARQL (any store)."""
    described: dict[Node, list[Triple]] = {}
    for batch in _batches(mentioned):
        for row in _select(store, _describe_query(batch, skip)):
            described.setdefault(row["s"], []).append((row["s"], row["p"], row["o"]))
    events: dict[Node, list[Triple]] = {}
    super_event, ordinal, start = SERIES_PREDICATES
    for batch in _batches(series):
        for row in _select(store, _series_query(batch, skip)):
            event = row["s"]
            found = [(super_event, row["series"]), (ordinal, row["ordinal"]), (start, row["start"])]
            events.setdefault(row["series"], []).extend((event, p, o) for p, o in found)
    return described, events


def _read_indexes(
    store: ox.Store, mentioned: list[URIRef], series: list[URIRef], skip: Sequence[URIRef]
) -> tuple[dict[Node, list[Triple]], dict[Node, list[Triple]]]:
    """The pieces of the contexts, read from Oxigraph's indexes: what the queries of
    :func:`_read_by_queries` ask for, without parsing and planning a query per batch of IRIs.

    A node's graph is the first named graph (not in ``skip``) in which the index has the node
    typed, as for the query's ``LIMIT 1``; each lookup starts from a constant IRI.
    """
    skipped = {ox.NamedNode(str(g)) for g in skip}
    typed, super_event = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.superEvent))
    wanted = {ox.NamedNode(str(p)): p for p in CONTEXT_PREDICATES}
    described: dict[Node, list[Triple]] = {}
    for node in mentioned:
        subject = ox.NamedNode(str(node))
        graph = next(
            (
                q.graph_name
                for q in store.quads_for_pattern(subject, typed, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name not in skipped
            ),
            None,
        )
        if graph is None:
            continue
        described[node] = [
            (node, wanted[q.predicate], from_ox(q.object))
            for q in store.quads_for_pattern(subject, None, None, graph)
            if q.predicate in wanted
        ]
    ordinal, start = (ox.NamedNode(str(p)) for p in SERIES_PREDICATES[1:])
    events: dict[Node, list[Triple]] = {}
    for node in series:
        found: dict[Triple, None] = {}
        for quad in store.quads_for_pattern(None, super_event, ox.NamedNode(str(node))):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or graph in skipped:
                continue
            event_node = quad.subject
            ordinals = [q.object for q in store.quads_for_pattern(event_node, ordinal, None, graph)]
            starts = [q.object for q in store.quads_for_pattern(event_node, start, None, graph)]
            event = from_ox(quad.subject)
            for o in ordinals:
                for d in starts:
                    found[(event, SCHEMA.superEvent, node)] = None
                    found[(event, SERIES_PREDICATES[1], from_ox(o))] = None
                    found[(event, SERIES_PREDICATES[2], from_ox(d))] = None
        if found:
            events[node] = list(found)
    return described, events


def _batches(items: list[URIRef]) -> Iterator[list[URIRef]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _union(nodes: Sequence[URIRef], branch: Callable[[str], str]) -> str:
    """One UNION branch per node, the node written in as a constant (with VALUES instead, the
    query planner may read a pattern over the whole store and join afterwards)."""
    return " UNION ".join(f"{{ {branch(sparql_term(node))} }}" for node in nodes)


def _describe_query(nodes: Sequence[URIRef], skip: Sequence[URIRef]) -> str:
    """The :data:`CONTEXT_PREDICATES` of ``nodes``, each in one graph (not in ``skip``) typing it."""

    typed = sparql_term(RDF.type)

    def branch(node: str) -> str:
        graph = f"SELECT ?g WHERE {{ GRAPH ?g {{ {node} {typed} ?type }} {_not_in('?g', skip)} }} LIMIT 1"
        return f"{{ {graph} }} GRAPH ?g {{ {node} ?p ?o }} BIND ({node} AS ?s)"

    predicates = " ".join(sparql_term(p) for p in CONTEXT_PREDICATES)
    return f"SELECT ?s ?p ?o WHERE {{ {_union(nodes, branch)} VALUES ?p {{ {predicates} }} }}"


def _series_query(series: Sequence[URIRef], skip: Sequence[URIRef]) -> str:
    """The events of the series ``series`` (graphs in ``skip`` left out), ordinals and start dates."""
    super_event, ordinal, start = (sparql_term(p) for p in SERIES_PREDICATES)

    def branch(node: str) -> str:
        pattern = f"?s {super_event} {node} ; {ordinal} ?ordinal ; {start} ?start"
        return f"GRAPH ?g {{ {pattern} }} {_not_in('?g', skip)} BIND ({node} AS ?series)"

    return f"SELECT DISTINCT ?series ?s ?ordinal ?start WHERE {{ {_union(series, branch)} }}"


def _select(store: Store, sparql: str) -> list[dict[str, Node]]:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    return result.rows


def _construct(store: Store, sparql: str) -> rdflib.Graph:
    result = store.query(sparql)
    assert isinstance(result, rdflib.Graph)
    return result


def _report_lookup(store: Store, nodes: set[Node], ontology: rdflib.Graph) -> rdflib.Graph:
    """The labels and evidence of ``nodes``, from the store (what the report shows about them)."""
    graph = rdflib.Graph()
    graph += ontology
    evidence_of = sparql_term(CCKG.evidence)
    steps: tuple[tuple[str | None, Sequence[URIRef] | None], ...] = (
        (None, [*LABELS, CCKG.evidence]),  # the nodes' labels and evidence
        (evidence_of, None),  # the evidence resources
        (f"{evidence_of}/{sparql_term(OA.hasSelector)}", None),  # their selectors
        (f"{evidence_of}/{sparql_term(OA.hasSource)}", [DCTERMS.identifier, DCTERMS.source]),  # releases
    )
    for batch in _batches(sorted(n for n in nodes if isinstance(n, URIRef))):
        for path, predicates in steps:
            graph += _construct(store, _reached_query(batch, path, predicates))
    return graph


def _reached_query(nodes: Sequence[URIRef], path: str | None, predicates: Sequence[URIRef] | None) -> str:
    """The triples of the nodes that ``path`` reaches from ``nodes`` (``nodes`` themselves without
    a path), only with ``predicates`` when given."""

    def branch(node: str) -> str:
        return f"{node} {path} ?s . ?s ?p ?o ." if path else f"{node} ?p ?o . BIND ({node} AS ?s)"

    only = f"VALUES ?p {{ {' '.join(sparql_term(p) for p in predicates)} }}" if predicates else ""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_union(nodes, branch)} {only} }}"
