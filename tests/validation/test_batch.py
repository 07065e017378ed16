"""The indexed engine and batch validation give exactly pySHACL's results.

Each comparison is of whole reports: the same results (focus node, path, value, component,
severity, source shape, message, label and evidence), the same verdict, and W3C report graphs
that are isomorphic.  The data: every example of tests/shapes/, the fixture releases, the seed
and development releases as the real pipeline maps them, copies of those under other release
ids (a store of many releases), mutated copies (values removed, retyped, duplicated, wrong
classes, blank nodes, ...), and batches in which a few releases are broken.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.compare import isomorphic

from cckg import validation as v
from cckg.namespaces import ontology
from cckg.store import OxigraphStore, Store
from cckg.validation import context as context_module
from conftest import RELEASE_FIXTURES, REPO, TEST_SHAPES, VOCABULARY, fixture_graphs

CASES = REPO / "tests" / "shapes"
EXAMPLES = [(p.name, [p]) for p in sorted((CASES / "valid").glob("*.ttl"))] + [
    (p.name, [CASES / "base.ttl", p]) for p in sorted((CASES / "invalid").glob("*.ttl"))
]
CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SCHEMA = rdflib.Namespace("http://schema.org/")
ID = "https://w3id.org/cckg/id/"


def same_report(a: v.ValidationReport, b: v.ValidationReport) -> bool:
    return a.results == b.results and a.conforms == b.conforms and isomorphic(a.graph, b.graph)


def difference(a: v.ValidationReport, b: v.ValidationReport) -> str:
    only_a = sorted(set(map(repr, a.results)) - set(map(repr, b.results)))
    only_b = sorted(set(map(repr, b.results)) - set(map(repr, a.results)))
    return f"conforms {a.conforms} / {b.conforms}\nindexed only: {only_a[:3]}\npyshacl only: {only_b[:3]}"


def load(*paths: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path)
    return graph


def test_the_project_shapes_run_on_the_indexed_engine() -> None:
    """No fallback hides behind the comparisons below: the project's shapes compile."""
    engine = v.batch_engine(v.default_shapes(), ontology())
    assert engine is not None
    assert len(engine.constraints) == len(list(v.default_shapes().subject_objects(rdflib.SH.sparql)))
    assert engine.groups, "the SPARQL constraints run on batch datasets"


@pytest.mark.parametrize(("name", "paths"), EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_every_shape_example_gives_pyshacls_report(name: str, paths: list[Path]) -> None:
    data = load(*paths)
    reference = v.validate_graph(data, engine="pyshacl")
    indexed = v.validate_graph(data, engine="indexed")
    assert same_report(indexed, reference), difference(indexed, reference)


@pytest.mark.parametrize("shape_file", [TEST_SHAPES, None], ids=["test-shapes", "project-shapes"])
def test_the_fixture_releases_give_pyshacls_report(shape_file: Path | None) -> None:
    shapes = load(shape_file) if shape_file else None
    data = v.load_files(RELEASE_FIXTURES)
    reference = v.validate_graph(data, shapes, engine="pyshacl")
    indexed = v.validate_graph(data, shapes, engine="indexed")
    assert same_report(indexed, reference), difference(indexed, reference)
    if shape_file:
        assert not indexed.conforms and len(indexed.results) == 3


# --- releases as the pipeline maps them ----------------------------------------------------------


@pytest.fixture(scope="module")
def mapped() -> list[str]:
    """The seed and development releases, mapped by the real pipeline, as N-Triples templates in
    which each release-own IRI carries a marker (replaced to make copies under other ids)."""
    from cckg.ingest.extract import extract
    from cckg.ingest.read import find_releases, read_release
    from cckg.pipeline import map_facts

    own = re.compile(
        rf"<{re.escape(ID)}(release|run|evidence|resolution|event|series|agreement|operation|seizure"
        r"|cooperation|membership)/([^/>]+)"
    )
    templates = []
    for path in find_releases([REPO / "data" / "releases", REPO / "data" / "devset" / "releases"]):
        text = map_facts(extract(read_release(path))).serialize(format="nt", encoding="utf-8").decode()
        templates.append(own.sub(rf"<{ID}\1/\2@@K@@", text))
    assert len(templates) >= 30
    return templates


def copy(templates: list[str], k: int) -> rdflib.Graph:
    """Release copy ``k`` (its own IRIs suffixed ``-k``; agencies, people, posts and places kept)."""
    return rdflib.Graph().parse(data=templates[k % len(templates)].replace("@@K@@", f"-k{k}"), format="nt")


def release_of(graph: rdflib.Graph) -> URIRef:
    return next(s for s in graph.subjects(RDF.type, CCKG.Release) if isinstance(s, URIRef))


@pytest.fixture(scope="module")
def store(mapped: list[str]) -> Iterator[OxigraphStore]:
    """A store of 60 release copies and the vocabulary graph."""
    with OxigraphStore() as kg:
        kg.replace_graph(VOCABULARY, ontology())
        for k in range(1000, 1060):
            graph = copy(mapped, k)
            kg.replace_graph(release_of(graph), graph)
        yield kg


def compare_batch(graphs: list[rdflib.Graph], store: Store) -> list[v.ValidationReport]:
    """validate_batch, checked against pySHACL on each graph alone."""
    reports = v.validate_batch(graphs, store, skip=[VOCABULARY])
    skip = [VOCABULARY, *sorted(set().union(*(v.release_iris(g) for g in graphs)))]
    for graph, report in zip(graphs, reports, strict=True):
        reference = v.validate_with_store(graph, store, skip=skip, engine="pyshacl")
        assert same_report(report, reference), f"{release_of(graph)}\n{difference(report, reference)}"
    return reports


def test_the_seed_and_development_releases_give_pyshacls_reports(mapped: list[str]) -> None:
    with OxigraphStore() as empty:
        empty.replace_graph(VOCABULARY, ontology())
        reports = compare_batch([copy(mapped, k) for k in range(len(mapped))], empty)
    assert all(r.ok(allow_warnings=True) for r in reports)


def break_release(graph: rdflib.Graph) -> None:
    """Two Violations: a confidence above 1, and evidence quoting a release that is not one."""
    fact = sorted(graph.subjects(CCKG.confidence, None))[0]
    graph.set((fact, CCKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    evidence = sorted(graph.subjects(RDF.type, OA.SpecificResource))[0]
    graph.add((evidence, OA.hasSource, URIRef(f"{ID}release/nowhere")))


def test_in_a_batch_exactly_the_broken_releases_are_rejected(mapped: list[str], store: OxigraphStore) -> None:
    """A batch of 200 in which 3 releases are broken: exactly those 3 are rejected; their reports,
    and those of a sample of the others, are pySHACL's."""
    graphs = [copy(mapped, k) for k in range(200)]
    broken = {3, 117, 198}
    for k in broken:
        break_release(graphs[k])
    reports = v.validate_batch(graphs, store, skip=[VOCABULARY])
    assert {k for k, r in enumerate(reports) if not r.ok(allow_warnings=True)} == broken
    skip = [VOCABULARY, *sorted(set().union(*(v.release_iris(g) for g in graphs)))]
    for k in sorted(broken | set(range(0, 200, 25))):
        reference = v.validate_with_store(graphs[k], store, skip=skip, engine="pyshacl")
        assert same_report(reports[k], reference), f"release {k}\n{difference(reports[k], reference)}"


def test_a_new_release_of_a_stored_series_is_checked_against_the_stored_events(
    mapped: list[str], store: OxigraphStore
) -> None:
    """The store's context reaches the SPARQL constraints: a new event of a stored series, with
    a higher ordinal but an earlier date than the stored event, gets the series-order warning."""
    n = len(mapped)
    j = next(j for j, t in enumerate(mapped) if str(SCHEMA.superEvent) in t)
    stored = 1000 + (j - 1000) % n  # the stored copy made from the same template
    graph = copy(mapped, stored + 100 * n)  # the same release under a new id, not in the store
    event, series = next(iter(graph.subject_objects(SCHEMA.superEvent)))
    stored_series = URIRef(str(series).replace(f"-k{stored + 100 * n}", f"-k{stored}"))
    assert (None, SCHEMA.superEvent, stored_series) in copy(mapped, stored)
    for s, p, o in list(graph.triples((None, None, series))):
        graph.remove((s, p, o))
        graph.add((s, p, stored_series))
    graph.set((event, CCKG.ordinal, Literal(999)))
    graph.set((event, SCHEMA.startDate, Literal("1900-01-01", datatype=XSD.date)))
    [report] = compare_batch([graph], store)
    assert any("lower cckg:ordinal" in r.message for r in report.results if r.focus == event)


# --- mutations: the same results on data the mapping would never write --------------------------

Mutation = Callable[[rdflib.Graph, random.Random], None]


def drop_some(graph: rdflib.Graph, rng: random.Random) -> None:
    for triple in rng.sample(sorted(graph), 12):
        graph.remove(triple)


def retype_literals(graph: rdflib.Graph, rng: random.Random) -> None:
    literals = sorted((s, p, o) for s, p, o in graph if isinstance(o, Literal))
    for s, p, o in rng.sample(literals, min(8, len(literals))):
        graph.remove((s, p, o))
        choice = rng.choice(["lang", "integer", "string", "gYear", "decimal", "plain", "illtyped"])
        if choice == "lang":
            new = Literal(str(o), lang=rng.choice(["en", "fr", "EN"]))
        elif choice == "integer":
            new = Literal(rng.choice(["3", "-2", "0"]), datatype=XSD.integer)
        elif choice == "string":
            new = Literal(str(o), datatype=XSD.string)
        elif choice == "gYear":
            new = Literal("2004", datatype=XSD.gYear)
        elif choice == "decimal":
            new = Literal(Decimal(rng.choice(["0.5", "1.5", "-1", "2.0"])))
        elif choice == "illtyped":
            new = Literal("not a date", datatype=XSD.date)
        else:
            new = Literal(str(o))
        graph.add((s, p, new))


def duplicate_values(graph: rdflib.Graph, rng: random.Random) -> None:
    for s, p, o in rng.sample(sorted(graph), 10):
        if isinstance(o, Literal):
            graph.add((s, p, Literal(f"{o} (again)", lang=o.language)))
            graph.add((s, p, Literal(str(o), lang="en")))
        else:
            graph.add((s, p, URIRef(f"{o}-other")))


def wrong_classes(graph: rdflib.Graph, rng: random.Random) -> None:
    typed = sorted(graph.subject_objects(RDF.type))
    classes = sorted({o for _, o in typed})
    for s, o in rng.sample(typed, min(6, len(typed))):
        graph.remove((s, RDF.type, o))
        graph.add((s, RDF.type, rng.choice(classes)))


def blank_nodes(graph: rdflib.Graph, rng: random.Random) -> None:
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)})
    for node in rng.sample(subjects, min(3, len(subjects))):
        blank = BNode()
        for s, p, o in list(graph.triples((node, None, None))):
            graph.remove((s, p, o))
            graph.add((blank, p, o))
        for s, p, o in list(graph.triples((None, None, node))):
            graph.remove((s, p, o))
            graph.add((s, p, blank))


def swap_objects(graph: rdflib.Graph, rng: random.Random) -> None:
    triples = sorted(t for t in graph if t[1] != RDF.type)
    for (s, p, o), (_, _, other) in zip(rng.sample(triples, 6), rng.sample(triples, 6), strict=True):
        graph.remove((s, p, o))
        graph.add((s, p, other))


def odd_dates_and_offsets(graph: rdflib.Graph, rng: random.Random) -> None:
    for s, p, o in sorted(graph):
        if p in (SCHEMA.startDate, SCHEMA.endDate, OA.start, OA.end, CCKG.ordinal) and rng.random() < 0.5:
            graph.remove((s, p, o))
            if p in (OA.start, OA.end, CCKG.ordinal):
                graph.add((s, p, Literal(rng.choice([-1, 0, 5, 10_000]))))
            else:
                graph.add((s, p, Literal(rng.choice(["2030-01-01", "1999-12", "2004"]), datatype=XSD.date)))


MUTATIONS: list[Mutation] = [
    drop_some,
    retype_literals,
    duplicate_values,
    wrong_classes,
    blank_nodes,
    swap_objects,
    odd_dates_and_offsets,
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
def test_mutated_releases_give_pyshacls_reports(
    mapped: list[str], store: OxigraphStore, mutation: Mutation
) -> None:
    rng = random.Random(mutation.__name__)
    graphs = []
    for k in rng.sample(range(len(mapped)), 6):
        graph = copy(mapped, k)
        mutation(graph, rng)
        graphs.append(graph)
    reports = compare_batch(graphs, store)
    assert any(not r.ok() for r in reports), "the mutations break something"


# --- where the engine steps aside ----------------------------------------------------------------


def test_shapes_beyond_the_engine_are_validated_by_pyshacl() -> None:
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:N .
        ex:N a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    assert v.batch_engine(shapes, rdflib.Graph()) is None
    data = rdflib.Graph().parse(data="<https://example.org/x> a <https://example.org/C> .", format="turtle")
    indexed = v.validate_graph(data, shapes, rdflib.Graph(), engine="indexed")
    assert same_report(indexed, v.validate_graph(data, shapes, rdflib.Graph(), engine="pyshacl"))
    assert [r.component for r in indexed.results] == [rdflib.SH.NodeConstraintComponent]


def test_a_literal_oxigraph_would_rewrite_is_left_to_pyshacl(mapped: list[str], store: OxigraphStore) -> None:
    """Oxigraph writes "2.50"^^xsd:decimal as "2.5": a quantity the SPARQL constraints read in
    that form sends its release to pySHACL, with the same report."""
    graph = copy(mapped, 1)
    seizures = sorted(graph.subjects(RDF.type, CCKG.Seizure))
    assert seizures
    graph.set((seizures[0], CCKG.quantity, Literal("-2.50", datatype=XSD.decimal, normalize=False)))
    engine = v.batch_engine(v.default_shapes(), ontology())
    assert engine is not None
    [indexed] = engine.graphs([list(graph)])
    assert engine.run([indexed], [set(graph.subjects())]) == [None]
    [report] = compare_batch([graph], store)
    assert any(r.source_shape == URIRef("https://w3id.org/cckg/shapes#SeizureShape") for r in report.results)


def test_the_pyshacl_engine_gives_the_same_batch_reports(mapped: list[str], store: OxigraphStore) -> None:
    graphs = [copy(mapped, k) for k in range(4)]
    break_release(graphs[2])
    indexed = v.validate_batch(graphs, store, skip=[VOCABULARY])
    reference = v.validate_batch(graphs, store, skip=[VOCABULARY], engine="pyshacl")
    assert all(same_report(a, b) for a, b in zip(indexed, reference, strict=True))


# --- the store's context ---------------------------------------------------------------------------


class QueriedStore(Store):
    """A store read only through SPARQL (as a remote store is), over an Oxigraph store."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner

    def query(self, sparql: str):  # type: ignore[no-untyped-def]
        return self.inner.query(sparql)

    def update(self, sparql: str) -> None:
        self.inner.update(sparql)

    def dump(self, format: str = "nquads", graph: URIRef | None = None) -> bytes:
        return self.inner.dump(format, graph)


def test_the_context_is_the_same_from_the_indexes_and_from_sparql(
    mapped: list[str], store: OxigraphStore
) -> None:
    graphs = [copy(mapped, k) for k in (1000, 1001, 5, 6)]
    skip = [VOCABULARY, release_of(graphs[0])]
    from_indexes = v.store_contexts(store, graphs, skip)
    from_queries = v.store_contexts(QueriedStore(store), graphs, skip)
    assert [set(c) for c in from_indexes] == [set(c) for c in from_queries]
    assert all(from_indexes), "every release mentions agencies the store knows"
    assert all(s != release_of(graphs[0]) for s, _, _ in from_indexes[0]), "its own graph is left out"


class RecordingIndexes:
    """Oxigraph's quad lookups, recorded."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner, self.patterns = inner, []

    def quads_for_pattern(self, *pattern):  # type: ignore[no-untyped-def]
        self.patterns.append(pattern)
        return self.inner.quads_for_pattern(*pattern)


def test_the_context_is_read_from_the_mentioned_iris_only(mapped: list[str], store: OxigraphStore) -> None:
    """Every lookup starts from an IRI the new data mentions (or a node found from one), so the
    cost of a release does not follow the size of the store."""
    graph = copy(mapped, 7)
    recording = RecordingIndexes(store.oxigraph)
    mentioned = sorted(v.mentioned_iris(graph))
    series = sorted({o for o in graph.objects(None, SCHEMA.superEvent) if isinstance(o, URIRef)})
    context_module._read_indexes(recording, mentioned, series, [VOCABULARY])  # type: ignore[arg-type]
    assert recording.patterns
    assert all(s is not None or o is not None for s, _, o, *_ in recording.patterns), "a scan"


def test_store_context_is_the_batch_of_one(mapped: list[str], store: OxigraphStore) -> None:
    graph = copy(mapped, 3)
    [context] = v.store_contexts(store, [graph], [VOCABULARY])
    assert set(v.store_context(store, graph, [VOCABULARY])) == set(context)


def test_fixture_graphs_validated_in_a_batch(kg: OxigraphStore) -> None:
    """The hand-written fixtures, re-validated against the store that holds them."""
    graphs = list(fixture_graphs().values())
    reports = compare_batch(graphs, kg)
    assert all(r.ok(allow_warnings=True) for r in reports)


# --- the whole store -------------------------------------------------------------------------------


def test_the_whole_store_gives_pyshacls_report(mapped: list[str], store: OxigraphStore) -> None:
    indexed = v.validate_store(store, VOCABULARY, engine="indexed")
    reference = v.validate_store(store, VOCABULARY, engine="pyshacl")
    assert same_report(indexed, reference), difference(indexed, reference)
    assert v.render_text(indexed) == v.render_text(reference)


def test_the_whole_store_with_broken_releases(mapped: list[str]) -> None:
    """A broken release, and one agency given two English names by two releases."""
    with OxigraphStore() as kg:
        kg.replace_graph(VOCABULARY, ontology())
        graphs = [copy(mapped, k) for k in range(8)]
        break_release(graphs[1])
        agency = URIRef(f"{ID}agency/hk-ced")
        graphs[2].add((agency, rdflib.SKOS.prefLabel, Literal("Another name", lang="en")))
        graphs[3].add((agency, rdflib.SKOS.prefLabel, Literal("Yet another", lang="en")))
        for graph in graphs:
            kg.replace_graph(release_of(graph), graph)
        indexed = v.validate_store(kg, VOCABULARY, engine="indexed")
        reference = v.validate_store(kg, VOCABULARY, engine="pyshacl")
    assert same_report(indexed, reference), difference(indexed, reference)
    unique = rdflib.SH.UniqueLangConstraintComponent
    assert any(r.focus == agency and r.component == unique for r in indexed.results)
