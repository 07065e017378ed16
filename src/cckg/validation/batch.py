"""The ``indexed`` engine: many data graphs validated at once, each exactly as pySHACL would alone.

Each data graph of a batch (a release graph with its store context) is validated on its own, as
pySHACL validates it mixed with the ontology; nothing of one graph is visible to another.

- Core constraints: :class:`cckg.validation.core.CoreProgram`, pySHACL's own constraint
  components over an index of the graph, with the ontology as a shared second layer.
- SPARQL-based constraints: one Oxigraph dataset per batch holds each graph in a named graph of
  its own, and each constraint runs once for the whole batch, inside ``GRAPH ?g { ... }`` (its
  targets and its own pattern; :mod:`cckg.validation.bulk_sparql` says why running it once for all
  focus nodes gives pySHACL's results).  A named graph holds only the triples the queries can
  match: those whose predicate is one the queries name (a query with a variable predicate gets
  every triple), of the graph and of the ontology, which is therefore copied into each.
- Results are pySHACL's result tuples (built by its components' ``make_v_result``), turned into the
  W3C report graph by pySHACL's own ``create_validation_report``.

A data graph the batch cannot handle exactly is left to pySHACL (:meth:`BatchEngine.run` returns
None for it): a term Oxigraph would not give back unchanged (a literal it writes in another
lexical form, a blank node label it cannot hold).  Shapes the engine does not handle make
:class:`BatchEngine` raise :class:`~cckg.validation.core.Unsupported`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
import rdflib
from pyshacl.validator import Validator
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from cckg.store import from_ox
from cckg.validation import bulk_sparql
from cckg.validation import core as core_module
from cckg.validation.core import CoreProgram, Index, IndexedGraph, Result, Unsupported, _focus_nodes

_GRAPH_VARIABLE = "cckgBatchGraph"
_GRAPH_PREFIX = "urn:cckg:batch:"
_SPARQL_RESERVED = frozenset({"failure", "path", "value", "this"})


@dataclass
class Outcome:
    """pySHACL's verdict and results for one data graph."""

    conforms: bool
    results: list[Result]


class BatchEngine:
    """Shapes and ontology compiled once, for :meth:`run` on batches of data graphs."""

    def __init__(self, shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
        self.core = CoreProgram(shapes)
        self._intern: dict[str, URIRef] = {
            str(t): t for t in (core_module._RDF_TYPE, core_module._SUBCLASS_OF)
        }
        for graph in (shapes, ontology):
            for triple in graph:
                for term in triple:
                    if type(term) is URIRef:
                        self._intern.setdefault(str(term), term)
        self.ontology = Index(ontology, self._intern)
        self._closures: dict[Any, frozenset[Node]] = {}
        self._canonical: dict[Literal, bool] = {}
        self._empty_report: rdflib.Graph | None = None
        self._nt_cache: dict[str, str | None] = {}
        self.constraints = self._sparql_constraints(shapes)
        ontology_predicates = frozenset(self.ontology.predicates)
        for planned in self.constraints:
            own = planned.predicates
            planned.reads_ontology = own is None or bool(own & ontology_predicates)
        # the constraints that read the ontology run on a dataset of their own: only its graphs
        # need a copy of the ontology
        # the constraints that read the ontology run each on a dataset of its own, whose graphs
        # hold a copy of the ontology triples it can match (only graphs it has focus nodes in)
        plain = [p for p in self.constraints if not p.reads_ontology]
        self.groups = [self._group(plain, ontology, with_ontology=False)] if plain else []
        self.groups += [
            self._group([p], ontology, with_ontology=True) for p in self.constraints if p.reads_ontology
        ]
        loads = [g.load for g in self.groups]
        self.loadable = None if any(k is None for k in loads) else frozenset().union(*loads)  # type: ignore[arg-type]
        if not self._canonical_literals(Index(ontology), None):
            raise Unsupported("ontology literals that Oxigraph writes in another form")

    def _group(self, constraints: list[_Planned], ontology: rdflib.Graph, with_ontology: bool) -> _Group:
        load: set[URIRef] | None = {RDF.type}
        for planned in constraints:
            whole = bulk_sparql.predicates(planned.constraint.query)  # its own pattern and its targets
            if whole is None or planned.predicates is None or load is None:
                load = None
            else:
                load |= whole | planned.predicates
        keep = frozenset(load) if load is not None else None

        def lines(triples: Iterable[tuple[Node, Node, Node]]) -> str:
            written = [self._line(t) for t in triples if keep is None or t[1] in keep]
            if any(line is None for line in written):
                raise Unsupported("ontology terms that N-Triples cannot write")
            return "".join(f"{line} {_MARK} .\n" for line in written)

        own: set[URIRef] | None = set()
        for planned in constraints:
            if planned.predicates is None or own is None:
                own = None
            else:
                own |= planned.predicates
        copied = lines(t for t in ontology if own is None or t[1] in own) if with_ontology else ""
        return _Group(constraints, keep, copied, lines(ontology))

    def _sparql_constraints(self, shapes: rdflib.Graph) -> list[_Planned]:
        """Each SPARQL constraint with pySHACL's component and query helper for it."""
        wanted = self.core.sparql_shapes()
        if not wanted:
            return []
        planned = bulk_sparql.plan(shapes, subclasses=self._subclasses)
        if planned is None:
            raise Unsupported("SPARQL constraints beyond what runs once per batch")
        by_key = {(c.shape, c.node): c for c in planned[1]}
        constraints = []
        for compiled, targets in wanted:
            component = compiled.sparql
            assert component is not None
            for helper in component.sparql_constraints:
                if helper.deactivated:
                    continue
                constraint = by_key.get((compiled.node, helper.node))
                if constraint is None:
                    raise Unsupported(f"the SPARQL constraint {helper.node} of {compiled.node}")
                own = bulk_sparql.predicates(constraint.own_query)
                constraints.append(_Planned(constraint, component, helper, targets, own))
        return constraints

    def _subclasses(self, cls: Node) -> Iterable[Node]:
        """A class and its subclasses in the ontology (pySHACL's class targets)."""
        graph = IndexedGraph([self.ontology], self._closures)
        return list(graph.transitive_subjects(RDFS.subClassOf, cls))

    # -- running

    def graphs(self, datas: Sequence[Iterable[tuple[Node, Node, Node]]]) -> list[IndexedGraph]:
        """Each data graph indexed, with the ontology as its second layer."""
        return [self.graph_of(Index(data, self._intern)) for data in datas]

    def graph_of(self, index: Index) -> IndexedGraph:
        return IndexedGraph([index, self.ontology], self._closures)

    def run(self, graphs: Sequence[IndexedGraph], focus: Sequence[set[Node] | None]) -> list[Outcome | None]:
        """pySHACL's verdict and results for each graph of :meth:`graphs`, keeping the results
        whose focus node is in that graph's ``focus`` (all with None); None where pySHACL must run."""
        outcomes: list[Outcome | None] = []
        for graph, wanted in zip(graphs, focus, strict=True):
            conforms, results = self.core.evaluate(graph, wanted)
            if wanted is not None:
                results = [r for r in results if _focus_of(r) in wanted]
            outcomes.append(Outcome(conforms, results))
        if self.constraints:
            self._run_sparql(graphs, focus, outcomes)
        return outcomes

    def run_whole(self, graph: IndexedGraph, dataset: ox.Store) -> Outcome | None:
        """pySHACL's verdict and results for one whole graph (a store's union, every focus node
        wanted), whose triples and the ontology's are also in ``dataset``'s default graph, where
        the SPARQL constraints run; None where pySHACL must run."""
        if graph.has_predicate_in_data(RDFS.subClassOf):
            return None  # the class targets were written for the ontology's classes
        conforms, results = self.core.evaluate(graph, None)
        outcome = Outcome(conforms, results)
        known: set[Node] | None = None
        for planned in self.constraints:
            solutions = dataset.query(planned.constraint.query)
            assert isinstance(solutions, ox.QuerySolutions)
            names = [v.value for v in solutions.variables]
            rows: dict[Node, list[dict[str, Node]]] = {}
            for solution in solutions:
                row = {n: from_ox(t) for n, t in zip(names, solution, strict=True) if t is not None}
                if "this" not in row:
                    continue
                if known is None:
                    known = _literals(graph)
                if any(isinstance(t, Literal) and t not in known for t in row.values()):
                    return None
                this = row["this"] if planned.constraint.projects_this else row.pop("this")
                rows.setdefault(this, []).append(row)
            for this, found in rows.items():
                reports = _sparql_results(planned.component, planned.helper, graph, this, found)
                if reports:
                    outcome.conforms = False
                    outcome.results.extend(reports)
        return outcome

    def report_graph(self, outcome: Outcome) -> rdflib.Graph:
        """The W3C validation report of ``outcome``, as pySHACL builds it."""
        graph, _ = Validator.create_validation_report(self.core.sg, outcome.conforms, outcome.results)
        return graph

    def empty_report_graph(self) -> rdflib.Graph:
        """A report without results (``sh:conforms true``), with pySHACL's namespace bindings."""
        if self._empty_report is None:
            self._empty_report, _ = Validator.create_validation_report(self.core.sg, True, [])
        graph = rdflib.Graph(bind_namespaces="none")
        for prefix, namespace in self._empty_report.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph += self._empty_report
        return graph

    def _run_sparql(
        self,
        graphs: Sequence[IndexedGraph],
        focus: Sequence[set[Node] | None],
        outcomes: list[Outcome | None],
    ) -> None:
        for index, graph in enumerate(graphs):
            if graph.has_predicate_in_data(RDFS.subClassOf):
                outcomes[index] = None  # the class targets were written for the ontology's classes
        literals: dict[int, set[Node]] = {}
        found_focus: dict[tuple[int, Any], set[Node]] = {}
        written: dict[int, Any] = {}
        for group in self.groups:
            # the graphs each constraint has focus nodes in (pySHACL runs a constraint on those only)
            targeted: list[dict[int, set[Node]]] = []
            for planned in group.constraints:
                by_graph = {}
                for index, (graph, wanted) in enumerate(zip(graphs, focus, strict=True)):
                    if outcomes[index] is None:
                        continue
                    key = (index, planned.targets)
                    nodes = found_focus.get(key)
                    if nodes is None:
                        nodes = found_focus[key] = _focus_nodes(graph, planned.targets)
                    if wanted is not None:
                        nodes = nodes & wanted
                    if nodes:
                        by_graph[index] = nodes
                targeted.append(by_graph)
            needed = sorted({i for by_graph in targeted for i in by_graph})
            if not needed:
                continue
            dataset = self._dataset(group, graphs, needed, focus, outcomes, written)
            for planned, by_graph in zip(group.constraints, targeted, strict=True):
                if any(outcomes[i] is not None for i in by_graph):
                    self._run_constraint(planned, by_graph, dataset, graphs, outcomes, literals)

    def _dataset(
        self,
        group: _Group,
        graphs: Sequence[IndexedGraph],
        needed: list[int],
        focus: Sequence[set[Node] | None],
        outcomes: list[Outcome | None],
        written: dict[int, Any],
    ) -> ox.Store:
        dataset = ox.Store()
        try:
            dataset.load(
                self._nquads(group, graphs, needed, focus, outcomes, written), format=ox.RdfFormat.N_QUADS
            )
        except (SyntaxError, ValueError, OSError):  # a term the checks let through: find its graph
            dataset = ox.Store()
            for index in needed:
                if outcomes[index] is None:
                    continue
                try:
                    dataset.load(
                        self._nquads(group, graphs, [index], focus, outcomes), format=ox.RdfFormat.N_QUADS
                    )
                except (SyntaxError, ValueError, OSError):
                    outcomes[index] = None
        return dataset

    def _run_constraint(
        self,
        planned: _Planned,
        by_graph: dict[int, set[Node]],
        dataset: ox.Store,
        graphs: Sequence[IndexedGraph],
        outcomes: list[Outcome | None],
        literals: dict[int, set[Node]],
    ) -> None:
        constraint, component, helper = planned.constraint, planned.component, planned.helper
        solutions = dataset.query(constraint.graph_query(_GRAPH_VARIABLE))
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        rows: dict[tuple[int, Node], list[dict[str, Node]]] = {}
        for solution in solutions:
            row = {n: from_ox(t) for n, t in zip(names, solution, strict=True) if t is not None}
            index = int(str(row.pop(_GRAPH_VARIABLE))[len(_GRAPH_PREFIX) :])
            if outcomes[index] is None or row.get("this") not in by_graph.get(index, ()):
                continue
            known = literals.get(index)
            if known is None:
                known = literals[index] = _literals(graphs[index])
            if any(isinstance(t, Literal) and t not in known for t in row.values()):
                outcomes[index] = None  # Oxigraph gave a literal back in another form
                continue
            this = row["this"] if constraint.projects_this else row.pop("this")
            rows.setdefault((index, this), []).append(row)
        for (index, this), found in rows.items():
            outcome = outcomes[index]
            if outcome is None:
                continue
            reports = _sparql_results(component, helper, graphs[index], this, found)
            if reports:
                outcome.conforms = False
                outcome.results.extend(reports)

    def _nquads(
        self,
        group: _Group,
        graphs: Sequence[IndexedGraph],
        indexes: Sequence[int],
        focus: Sequence[set[Node] | None],
        outcomes: list[Outcome | None],
        written: dict[int, dict[Node, list[str]] | None] | None = None,
    ) -> str:
        """A group's dataset as N-Quads: for each graph, its triples the group's queries can
        match, the ontology's triples about its subjects (a node both describe), and the
        ontology's triples the constraints' own patterns can match, where they read the ontology
        (with every focus node wanted, the ontology's own nodes may be focus nodes: all of its
        triples the queries can match).  A graph with a term that N-Triples cannot write, or that
        Oxigraph would store in another lexical form, is left to pySHACL.  ``written`` keeps each
        graph's lines by predicate, for the next group."""
        parts: list[str] = []
        keep = group.load
        written = {} if written is None else written
        for index in indexes:
            if outcomes[index] is None:
                continue
            layer = graphs[index].layers[0]
            lines = written.get(index, _MISSING)
            if lines is _MISSING:
                lines = written[index] = self._lines(layer)
            if lines is None or not self._canonical_literals(layer, keep):
                outcomes[index] = None
                continue
            name = f" <{_GRAPH_PREFIX}{index}> .\n"
            for p, texts in lines.items():  # type: ignore[union-attr]
                if keep is None or p in keep:
                    parts.extend(text + name for text in texts)
            mark = f"<{_GRAPH_PREFIX}{index}>"
            if focus[index] is None:
                parts.append(group.whole_ontology.replace(_MARK, mark))
                continue
            if group.ontology_copy:
                parts.append(group.ontology_copy.replace(_MARK, mark))
            for s in layer.spo.keys() & self.ontology.spo.keys():
                for p, objects in self.ontology.spo[s].items():
                    if keep is None or p in keep:
                        parts.extend(f"{self._line((s, p, o))}{name}" for o in objects)
        return "".join(parts)

    def _lines(self, layer: Index) -> dict[Node, list[str]] | None:
        """The triples of ``layer`` the datasets can hold, in N-Triples without the final dot, by
        predicate; None when a term cannot be written."""
        keep = self.loadable
        nt = self._nt
        lines: dict[Node, list[str]] = {}
        for s, by_p in layer.spo.items():
            subject = nt(s)
            if subject is None:
                return None
            for p, objects in by_p.items():
                if keep is not None and p not in keep:
                    continue
                predicate = nt(p)
                if predicate is None:
                    return None
                head = f"{subject} {predicate} "
                found = lines.setdefault(p, [])
                for o in objects:
                    obj = nt(o)
                    if obj is None:
                        return None
                    found.append(head + obj)
        return lines

    def _line(self, triple: tuple[Node, Node, Node]) -> str | None:
        terms = [self._nt(t) for t in triple]
        return None if None in terms else " ".join(terms)  # type: ignore[arg-type]

    def _nt(self, term: Node) -> str | None:
        """``term`` in N-Triples, or None when N-Triples (as Oxigraph reads it) cannot hold it."""
        if isinstance(term, URIRef):
            text = str(term)  # the cache is by text: comparing plain strings is done in C
            found = self._nt_cache.get(text, _MISSING)
            if found is _MISSING:
                if len(self._nt_cache) > 500_000:
                    self._nt_cache.clear()
                found = self._nt_cache[text] = f"<{text}>" if _IRI.match(text) else None
            return found  # type: ignore[return-value]
        if isinstance(term, Literal):
            lexical = '"' + str(term).translate(_ESCAPES) + '"'
            if term.language:
                return lexical + "@" + term.language if _LANGUAGE.match(term.language) else None
            if term.datatype is not None:
                datatype = self._nt(term.datatype)
                return None if datatype is None else f"{lexical}^^{datatype}"
            return lexical
        if isinstance(term, BNode):
            return f"_:{term}" if _BLANK.match(str(term)) else None
        return None

    def _canonical_literals(self, layer: Index, keep: frozenset[URIRef] | None) -> bool:
        """Whether Oxigraph keeps every loaded typed or tagged literal of ``layer`` as it is
        (it writes some in canonical form: "1.0"^^xsd:decimal as "1"); checked once per literal."""
        fresh: list[Literal] = []
        known = self._canonical
        loaded = [
            o
            for by_p in layer.spo.values()
            for p, objects in by_p.items()
            if keep is None or p in keep
            for o in objects
            if type(o) is Literal and (o.datatype is not None or o.language)
        ]
        for o in loaded:
            if o not in known:
                fresh.append(o)
        if fresh:
            self._check_canonical(fresh)
        return all(known.get(o, False) for o in loaded)

    def _check_canonical(self, literals: list[Literal]) -> None:
        scratch = ox.Store()
        lines = []
        for k, literal in enumerate(literals):
            written = self._nt(literal)
            if written is None or literal.datatype == XSD.string:
                self._canonical[literal] = False
                continue
            lines.append(f"<{_GRAPH_PREFIX}literal> <{_GRAPH_PREFIX}{k}> {written} .\n")
        try:
            scratch.bulk_load("".join(lines), format=ox.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError, OSError):
            for literal in literals:
                self._canonical.setdefault(literal, False)
            return
        for quad in scratch:
            literal = literals[int(quad.predicate.value[len(_GRAPH_PREFIX) :])]
            back = quad.object
            same = back.value == str(literal) and (back.language or None) == (literal.language or None)
            self._canonical[literal] = same
        for literal in literals:
            self._canonical.setdefault(literal, False)
        if len(self._canonical) > 500_000:
            self._canonical.clear()


@dataclass
class _Group:
    """SPARQL constraints run on one dataset: the predicates it holds (None: all), the ontology's
    triples copied into each graph, and all the ontology's triples it would hold."""

    constraints: list[_Planned]
    load: frozenset[URIRef] | None
    ontology_copy: str
    whole_ontology: str


@dataclass
class _Planned:
    """A SPARQL constraint, pySHACL's component and query helper for it, its shape's targets and
    the predicates its own pattern reads (None: any)."""

    constraint: bulk_sparql.Constraint
    component: Any
    helper: Any
    targets: Any
    predicates: frozenset[URIRef] | None
    reads_ontology: bool = False


_ANY = URIRef("urn:cckg:any-predicate")
_MARK = "\x00GRAPH\x00"
_MISSING = object()
_IRI = re.compile(r'^[^\x00-\x20<>"{}|^`\\]*$')
_BLANK = re.compile(r"^[A-Za-z0-9_]+$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def union_index(store: ox.Store, skip: Iterable[URIRef]) -> Index:
    """The union of the named graphs of ``store`` (but ``skip``), as rdflib terms, each term
    converted once (so equal terms are one object)."""
    skipped = {ox.NamedNode(str(g)) for g in skip}
    terms: dict[Any, Node] = {}

    def term(value: Any) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = from_ox(value)
        return found

    def triples() -> Iterable[tuple[Node, Node, Node]]:
        for quad in store.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            if isinstance(graph, ox.DefaultGraph) or graph in skipped:
                continue
            yield term(quad.subject), term(quad.predicate), term(quad.object)

    return Index(triples())


def _literals(graph: IndexedGraph) -> set[Node]:
    return {o for layer in graph.layers for o in layer.literals()}


def _focus_of(result: Result) -> Node | None:
    _, node, triples = result
    for s, p, o in triples:
        if s == node and p == _FOCUS:
            return o[1] if isinstance(o, tuple) else o
    return None


_FOCUS = rdflib.SH.focusNode


def _sparql_results(
    component: Any, helper: Any, graph: IndexedGraph, focus: Node, rows: list[dict[str, Node]]
) -> list[Result]:
    """pySHACL's results of a SPARQL constraint for one focus node from the solutions of its
    query (``SPARQLBasedConstraint._validate_sparql_query`` and ``_evaluate_sparql_constraint``)."""
    violations: list[Any] = []
    failed = False
    for row in rows:
        bound = dict(row)
        if bound.pop("failure", None) is not None:
            if failed:
                continue
            violations.append((True, bound))
            failed = True
            continue
        path, value, this = bound.pop("path", None), bound.pop("value", None), bound.pop("this", None)
        if path is not None or value is not None or this is not None:
            if (this, path, value, bound) in violations:
                continue
            violations.append((this, path, value, bound))
    result_value = focus if not component.shape.is_property_shape else None
    kwargs = {"source_constraint": helper.node, "extra_messages": helper.messages or None}
    reports = []
    for violation in violations:
        if violation[0] is True:
            reports.append(
                component.make_v_result(
                    graph, focus, value_node=result_value, bound_vars=violation[1], **kwargs
                )
            )
            continue
        this, path, value, bound = violation
        if value is None:
            value = result_value
        reports.append(
            component.make_v_result(
                graph,
                this or focus,
                value_node=value,
                result_path=path,
                bound_vars=(this, path, value, bound),
                **kwargs,
            )
        )
    return reports
