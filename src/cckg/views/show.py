"""A readable card for one entity of the knowledge graph (``cckg show``).

:func:`find` matches a name case-insensitively against ``skos:prefLabel``, ``skos:altLabel``,
``cckg:acronym`` and ``schema:name``, or takes an IRI (full, or ``id:...``).  :func:`card` builds a
:class:`Card`: the entity's names and details, then sections of facts in date order, each fact with
the quotes (and release ids) that support it:

- an agency: posts and holders, events, agreements, joint operations, partners;
- a person: posts held, events where they headed a delegation, agreements signed;
- an event: date, place, status, series, participants and heads of delegation, and its evidence;
- anything else (agreement, operation, seizure, series, place, concept): its properties, its
  evidence and the facts that refer to it.

:func:`show` does both and raises :class:`EntityNotFound` or :class:`AmbiguousEntity` (with the
candidates) when a name matches no entity or several.  :func:`render_text` and :func:`to_json` write
a card.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib.term import Literal, URIRef

from cckg import escape
from cckg.errors import ShowError
from cckg.identity import IRI_FORBIDDEN
from cckg.namespaces import CCKG, DCTERMS, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, sparql_prefixes
from cckg.sparql import sparql_term
from cckg.store import (
    Store,
)

RDF_TYPE = str(RDF.type)
EVENT_CLASSES = tuple(
    f"{CCKG}{name}" for name in ("Event", "Conference", "Meeting", "Visit", "Signing", "Forum", "Workshop")
)
KINDS = {
    f"{CCKG}Agency": "agency",
    f"{SCHEMA}Person": "person",
    f"{CCKG}EventSeries": "event series",
    f"{CCKG}Agreement": "agreement",
    f"{CCKG}JointOperation": "joint operation",
    f"{CCKG}Seizure": "seizure",
    f"{CCKG}Cooperation": "cooperation statement",
    f"{ORG}Membership": "membership",
    f"{ORG}Post": "post",
    f"{SCHEMA}City": "place",
    f"{SCHEMA}Country": "place",
    f"{CCKG}Release": "release",
    f"{SKOS}Concept": "concept",
} | {iri: "event" for iri in EVENT_CLASSES}
#: Provenance properties: shown as the evidence of a fact, not as its details.
PROVENANCE = {f"{CCKG}evidence", f"{CCKG}confidence", str(PROV.wasGeneratedBy)}
REFERRED_TO_BY = "Referred to by"
WIDTH = 100  # text cards wrap at this column
LOW_CONFIDENCE = 0.7  # text cards flag facts below this confidence

PREFIX_LINES = sparql_prefixes()



class EntityNotFound(ShowError):
    pass


class AmbiguousEntity(ShowError):
    """A name that matches several entities: :attr:`candidates` lists them."""

    def __init__(self, name: str, candidates: list[Candidate]) -> None:
        super().__init__(f"{name!r} matches {len(candidates)} entities; give one of these IRIs")
        self.candidates = candidates


@dataclass(frozen=True)
class Candidate:
    iri: str
    kind: str
    name: str
    context: str = ""  # the agency of a person or post, the date of an event

    def line(self) -> str:
        context = f" ({self.context})" if self.context else ""
        return f"{self.iri}  {self.kind}  {self.name}{context}"


@dataclass(frozen=True)
class Evidence:
    release: str
    quote: str
    start: int | None = None
    end: int | None = None


@dataclass
class Fact:
    date: str | None
    text: str
    iri: str
    confidence: float | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Section:
    title: str
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Card:
    iri: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


# --- reading the store ---------------------------------------------------------------------------


@dataclass
class Node:
    """The properties of one node, each value as a readable label (sorted)."""

    iri: str
    values: dict[str, list[str]] = field(default_factory=dict)
    objects: dict[str, list[str]] = field(default_factory=dict)  # the IRIs behind values, same order

    def first(self, prop: str) -> str | None:
        found = self.values.get(prop)
        return found[0] if found else None

    def all(self, prop: str) -> list[str]:
        return self.values.get(prop, [])

    @property
    def types(self) -> list[str]:
        return self.objects.get(RDF_TYPE, [])


def _iris(iris: Iterable[str]) -> str:
    return " ".join(sparql_term(URIRef(iri)) for iri in sorted(set(iris)))


def _select(store: Store, sparql: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in store.select(PREFIX_LINES + sparql).rows]


def describe(store: Store, iris: Iterable[str]) -> dict[str, Node]:
    """The properties of the nodes ``iris``; IRI values get the label of the node they name."""
    wanted = set(iris)
    nodes = {iri: Node(iri) for iri in wanted}
    if not wanted:
        return nodes
    rows = _select(
        store,
        f"""SELECT ?s ?p ?o ?notation ?pref ?name ?label WHERE {{
          VALUES ?s {{ {_iris(wanted)} }}
          ?s ?p ?o .
          OPTIONAL {{ ?o skos:notation ?notation }}
          OPTIONAL {{ ?o skos:prefLabel ?pref }}
          OPTIONAL {{ ?o schema:name ?name }}
          OPTIONAL {{ ?o rdfs:label ?label }}
        }}""",
    )
    seen: set[tuple[str, str, str]] = set()
    for row in sorted(rows, key=lambda r: (r["s"], r["p"], r["o"])):
        key = (row["s"], row["p"], row["o"])
        if key in seen:
            continue
        seen.add(key)
        label = row.get("notation") or row.get("pref") or row.get("name") or row.get("label")
        if row["p"] == RDF_TYPE:
            label = _local(row["o"])
        elif label is None:  # a literal, or an IRI without a label (a concept when no vocabulary is loaded)
            label = row["o"] if not row["o"].startswith(("http://", "https://")) else _local(row["o"]).lower()
        node = nodes[row["s"]]
        node.values.setdefault(row["p"], []).append(label)
        node.objects.setdefault(row["p"], []).append(row["o"])
    for node in nodes.values():
        for prop, labels in node.values.items():
            pairs = sorted(zip(labels, node.objects[prop], strict=True))
            node.values[prop] = [label for label, _ in pairs]
            node.objects[prop] = [obj for _, obj in pairs]
    return nodes


def evidence_of(store: Store, facts: Iterable[str]) -> dict[str, list[Evidence]]:
    """The quotes that support each fact, by release and position."""
    wanted = set(facts)
    found: dict[str, list[Evidence]] = defaultdict(list)
    if not wanted:
        return found
    rows = _select(
        store,
        f"""SELECT DISTINCT ?f ?release ?source ?quote ?start ?end WHERE {{
          VALUES ?f {{ {_iris(wanted)} }}
          ?f cckg:evidence ?ev .
          ?ev oa:hasSelector ?quoteSelector .
          ?quoteSelector oa:exact ?quote .
          OPTIONAL {{ ?ev oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }}
          OPTIONAL {{ ?ev oa:hasSource ?source OPTIONAL {{ ?source dcterms:identifier ?release }} }}
        }}""",
    )
    for row in rows:
        start, end = row.get("start"), row.get("end")
        found[row["f"]].append(
            Evidence(
                release=row.get("release") or row.get("source", ""),
                quote=" ".join(row["quote"].split()),
                start=int(start) if start is not None else None,
                end=int(end) if end is not None else None,
            )
        )
    for quotes in found.values():
        quotes.sort(key=lambda e: (e.release, e.start if e.start is not None else -1, e.quote))
    return found


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _subjects(store: Store, pattern: str, iri: str) -> list[str]:
    """The nodes ?f that match ``pattern`` with ?x bound to ``iri``."""
    rows = _select(store, f"SELECT DISTINCT ?f WHERE {{ VALUES ?x {{ {_iris([iri])} }} {pattern} }}")
    return [row["f"] for row in rows]


# --- finding the entity ---------------------------------------------------------------------------


def find(store: Store, name: str) -> list[Candidate]:
    """The entities whose name, alias or acronym is ``name`` (any case), or whose IRI it is."""
    name = name.strip()
    iri = _as_iri(name)
    by_iri = f"UNION {{ VALUES ?x {{ {sparql_term(URIRef(iri))} }} ?x ?p ?o }}" if iri else ""
    rows = _select(
        store,
        f"""SELECT DISTINCT ?x WHERE {{
          {{ ?x skos:prefLabel|skos:altLabel|cckg:acronym|schema:name ?label .
             FILTER(isIRI(?x) && LCASE(STR(?label)) = LCASE({sparql_term(Literal(name))})) }}
          {by_iri}
        }}""",
    )
    nodes = describe(store, [row["x"] for row in rows])
    contexts = describe(store, {o for n in nodes.values() for o in n.objects.get(f"{ORG}memberOf", [])})
    candidates = [_candidate(node, contexts) for node in nodes.values()]
    return sorted(candidates, key=lambda c: (c.kind, c.name, c.context, c.iri))


def _as_iri(text: str) -> str | None:
    """``text`` as an IRI when it is one (``https://...``, or ``id:...`` with a known prefix)."""
    prefix, sep, rest = text.partition(":")
    if sep and rest.startswith("//"):
        iri = text
    elif sep and prefix in PREFIXES:
        iri = str(PREFIXES[prefix]) + rest
    else:
        return None
    return None if IRI_FORBIDDEN.search(iri) else iri


def _kind(node: Node) -> str:
    kinds = [KINDS[t] for t in node.types if t in KINDS]
    for preferred in ("agency", "person", "event", "joint operation", "agreement"):
        if preferred in kinds:
            return preferred
    return kinds[0] if kinds else "entity"


def _name(node: Node) -> str:
    for prop in (f"{SKOS}prefLabel", f"{SCHEMA}name", str(RDFS.label)):
        if node.first(prop):
            return str(node.first(prop))
    return node.first(f"{CCKG}goods") or _local(node.iri)


def _candidate(node: Node, agencies: dict[str, Node]) -> Candidate:
    kind = _kind(node)
    context = ""
    if kind == "person":
        context = ", ".join(
            _name(agencies[a]) for a in node.objects.get(f"{ORG}memberOf", []) if a in agencies
        )
    elif kind == "event":
        context = node.first(f"{SCHEMA}startDate") or ""
    elif kind == "place":
        context = node.first(f"{SCHEMA}addressCountry") or ""
    return Candidate(node.iri, kind, _name(node), context)


def show(store: Store, name: str) -> Card:
    """The card of the one entity called ``name`` (see :func:`find`)."""
    candidates = find(store, name)
    if not candidates:
        raise EntityNotFound(f"no entity called {name!r} (names, aliases, acronyms and IRIs are searched)")
    if len(candidates) > 1:
        raise AmbiguousEntity(name, candidates)
    return card(store, candidates[0].iri)


# --- building cards ---------------------------------------------------------------------------------


def card(store: Store, iri: str) -> Card:
    """The card of the entity ``iri``."""
    node = describe(store, [iri])[iri]
    kind = _kind(node)
    builders = {"agency": _agency_card, "person": _person_card, "event": _event_card}
    return builders.get(kind, _generic_card)(store, node, kind)


def _header(node: Node, kind: str) -> Card:
    name = _name(node)
    aliases = [a for prop in (f"{CCKG}acronym", f"{SKOS}altLabel") for a in node.all(prop) if a != name]
    return Card(iri=node.iri, kind=kind, name=name, aliases=list(dict.fromkeys(aliases)))


def _agency_card(store: Store, node: Node, kind: str) -> Card:
    result = _header(node, kind)
    result.details += _details(node, [("country", f"{SCHEMA}addressCountry"), ("kind", f"{CCKG}agencyKind")])
    posts = _subjects(store, "?f a org:Membership ; org:organization|cckg:post/org:postIn ?x .", node.iri)
    events = _subjects(store, _events_pattern("cckg:participant"), node.iri)
    agreements = _subjects(store, "?f a cckg:Agreement ; cckg:party ?x .", node.iri)
    operations = _subjects(store, "?f a cckg:JointOperation ; cckg:participant|cckg:ledBy ?x .", node.iri)
    cooperations = _subjects(store, "?f a cckg:Cooperation ; cckg:partner ?x .", node.iri)
    facts = _facts(store, posts + events + agreements + operations + cooperations, about=node.iri)
    result.sections = [
        Section("Posts and holders", [facts[f] for f in posts]),
        Section("Events", [facts[f] for f in events]),
        Section("Agreements", [facts[f] for f in agreements]),
        Section("Joint operations", [facts[f] for f in operations]),
        Section("Partners", _partners(store, node.iri, events, agreements, operations, cooperations, facts)),
    ]
    return _sorted(result)


def _person_card(store: Store, node: Node, kind: str) -> Card:
    result = _header(node, kind)
    result.details += _details(
        node, [("honorific", f"{SCHEMA}honorificPrefix"), ("agency", f"{ORG}memberOf")]
    )
    posts = _subjects(store, "?f a org:Membership ; org:member ?x .", node.iri)
    events = _subjects(store, "?f cckg:delegationHead ?x .", node.iri)
    agreements = _subjects(store, "?f a cckg:Agreement ; cckg:signatory ?x .", node.iri)
    facts = _facts(store, posts + events + agreements, about=node.iri)
    result.sections = [
        Section("Posts held", [facts[f] for f in posts]),
        Section("Events (head of delegation)", [facts[f] for f in events]),
        Section("Agreements signed", [facts[f] for f in agreements]),
    ]
    return _sorted(result)


def _event_card(store: Store, node: Node, kind: str) -> Card:
    result = _header(node, kind)
    heads = describe(store, node.objects.get(f"{CCKG}delegationHead", []))
    agencies = describe(store, {a for h in heads.values() for a in h.objects.get(f"{ORG}memberOf", [])})
    result.details += [("type", _event_type(node)), ("date", _period(node))]
    result.details += _details(
        node,
        [
            ("place", f"{SCHEMA}location"),
            ("status", f"{CCKG}status"),
            ("series", f"{SCHEMA}superEvent"),
            ("ordinal", f"{CCKG}ordinal"),
            ("participants", f"{CCKG}participant"),
        ],
    )
    head_names = [_person(heads[h], agencies) for h in node.objects.get(f"{CCKG}delegationHead", [])]
    if head_names:
        result.details.append(("heads of delegation", "; ".join(head_names)))
    result.details += _details(node, [("confidence", f"{CCKG}confidence")])
    result.sections = [Section("Evidence", [_own_evidence(store, node)]), _referring(store, node)]
    return _sorted(result)


def _generic_card(store: Store, node: Node, kind: str) -> Card:
    result = _header(node, kind)
    skip = PROVENANCE | {f"{SKOS}prefLabel", f"{SKOS}altLabel"}
    skip |= {f"{CCKG}acronym", f"{SCHEMA}name"}
    for prop in sorted(node.values, key=_local):
        if prop not in skip:
            result.details.append((_local(prop), "; ".join(node.all(prop))))
    result.details += _details(node, [("confidence", f"{CCKG}confidence")])
    if f"{CCKG}evidence" in node.values:
        result.sections.append(Section("Evidence", [_own_evidence(store, node)]))
    result.sections.append(_referring(store, node))
    return _sorted(result)


def _own_evidence(store: Store, node: Node) -> Fact:
    return Fact(
        _date(node), _name(node), node.iri, _confidence(node), evidence_of(store, [node.iri])[node.iri]
    )


def _referring(store: Store, node: Node) -> Section:
    """The facts (nodes with evidence) that point to ``node``."""
    facts = _subjects(store, "?f ?p ?x ; cckg:evidence ?ev .", node.iri)
    return Section(REFERRED_TO_BY, list(_facts(store, facts, about=node.iri).values()))


# --- facts as text -------------------------------------------------------------------------------------


def _events_pattern(link: str) -> str:
    classes = " ".join(sparql_term(URIRef(c)) for c in EVENT_CLASSES)
    return f"VALUES ?class {{ {classes} }} ?f a ?class ; {link} ?x ."


def _facts(store: Store, iris: list[str], about: str) -> dict[str, Fact]:
    """Each fact as one line of text about it (from the point of view of ``about``), with evidence."""
    nodes = describe(store, iris)
    linked = {
        o
        for n in nodes.values()
        for p in (f"{ORG}member", f"{CCKG}delegationHead", f"{CCKG}signatory", f"{CCKG}post")
        for o in n.objects.get(p, [])
    }
    people = describe(store, linked)
    agencies = describe(store, {a for p in people.values() for a in p.objects.get(f"{ORG}memberOf", [])})
    quotes = evidence_of(store, iris)
    issued = _release_dates(store, iris)
    facts = {}
    for iri, node in nodes.items():
        text = _fact_text(node, about, people, agencies)
        date = _date(node) or issued.get(iri)
        facts[iri] = Fact(date, text, iri, _confidence(node), quotes.get(iri, []))
    return facts


def _fact_text(node: Node, about: str, people: dict[str, Node], agencies: dict[str, Node]) -> str:
    kind = _kind(node)
    if kind == "membership":
        post = people.get(node.objects.get(f"{CCKG}post", [""])[0])
        title = _name(post) if post else "member"
        member = node.objects.get(f"{ORG}member", [])
        if about in member:
            return f"{title}, {_others(node, f'{ORG}organization', about) or 'agency unknown'}"
        return f"{title}: " + "; ".join(_person(people[m], {}) for m in member if m in people)
    topics = ("topics: ", ", ".join(node.all(f"{DCTERMS}subject")))
    if kind == "event":
        about_event = (_event_type(node), _label(node, "status"), _label(node, "location"))
        heads = [
            _person(people[h], agencies) for h in node.objects.get(f"{CCKG}delegationHead", []) if h != about
        ]
        return _join(_name(node), about_event, _with(node, f"{CCKG}participant", about), ("heads: ", heads))
    if kind == "agreement":
        return _join(
            _name(node), (_label(node, "agreementKind"),), _with(node, f"{CCKG}party", about), topics
        )
    if kind == "joint operation":
        led_by = ("led by ", ", ".join(node.all(f"{CCKG}ledBy")))
        return _join(_name(node), (), led_by, _with(node, f"{CCKG}participant", about), topics)
    if kind == "cooperation statement":
        return f"cooperates with {_others(node, f'{CCKG}partner', about)}"
    return _name(node)


def _join(name: str, brackets: Iterable[str], *extras: tuple[str, str | list[str]]) -> str:
    """``name (a, b); with X; topics: y, z``, leaving out what is empty."""
    inside = ", ".join(b for b in brackets if b)
    text = f"{name} ({inside})" if inside else name
    for label, value in extras:
        value = "; ".join(value) if isinstance(value, list) else value
        if value:
            text += f"; {label}{value}"
    return text


def _with(node: Node, prop: str, about: str) -> tuple[str, str]:
    """The other agencies of a fact: "with X" when ``about`` is one of them, else "participants: X"."""
    if about in node.objects.get(prop, []):
        return ("with ", _others(node, prop, about))
    return ("participants: ", ", ".join(node.all(prop)))


def _others(node: Node, prop: str, about: str) -> str:
    labels = node.all(prop)
    objects = node.objects.get(prop, [])
    return ", ".join(label for label, obj in zip(labels, objects, strict=True) if obj != about)


def _person(node: Node, agencies: dict[str, Node]) -> str:
    name = " ".join(p for p in (node.first(f"{SCHEMA}honorificPrefix"), _name(node)) if p)
    where = [_name(agencies[a]) for a in node.objects.get(f"{ORG}memberOf", []) if a in agencies]
    return f"{name} ({', '.join(where)})" if where else name


def _label(node: Node, local: str) -> str:
    for prop, values in node.values.items():
        if _local(prop) == local and values:
            return ", ".join(values)
    return ""


def _event_type(node: Node) -> str:
    """conference, meeting, ...: the most specific event class of ``node``."""
    specific = sorted(_local(t).lower() for t in node.types if t in EVENT_CLASSES[1:])
    return specific[0] if specific else ("event" if EVENT_CLASSES[0] in node.types else "")


def _date(node: Node) -> str | None:
    for prop in (f"{SCHEMA}startDate", f"{DCTERMS}date", f"{CCKG}attestedOn"):
        if node.first(prop):
            return node.first(prop)
    return None


def _period(node: Node) -> str:
    start, end = node.first(f"{SCHEMA}startDate"), node.first(f"{SCHEMA}endDate")
    return f"{start} to {end}" if start and end and start != end else start or end or "unknown"


def _confidence(node: Node) -> float | None:
    value = node.first(f"{CCKG}confidence")
    return float(value) if value is not None else None


def _release_dates(store: Store, facts: list[str]) -> dict[str, str]:
    """The date of the release that states each fact (the date of an undated cooperation statement)."""
    if not facts:
        return {}
    rows = _select(
        store,
        f"""SELECT ?f (MIN(STR(?issued)) AS ?date) WHERE {{
          VALUES ?f {{ {_iris(facts)} }}
          ?f cckg:evidence/oa:hasSource/dcterms:issued ?issued .
        }} GROUP BY ?f""",
    )
    return {row["f"]: row["date"] for row in rows if "date" in row}


def _details(node: Node, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(label, "; ".join(node.all(prop))) for label, prop in fields if node.all(prop)]


def _partners(
    store: Store,
    agency: str,
    events: list[str],
    agreements: list[str],
    operations: list[str],
    cooperations: list[str],
    facts: dict[str, Fact],
) -> list[Fact]:
    """One line per partner agency: the years and the number of facts shared, by kind."""
    links = {
        "event": (events, f"{CCKG}participant"),
        "agreement": (agreements, f"{CCKG}party"),
        "joint operation": (operations, f"{CCKG}participant"),
        "cooperation statement": (cooperations, f"{CCKG}partner"),
    }
    nodes = describe(store, events + agreements + operations + cooperations)
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for kind, (iris, prop) in links.items():
        for iri in iris:
            partners = set(nodes[iri].objects.get(prop, [])) | set(nodes[iri].objects.get(f"{CCKG}ledBy", []))
            for partner in partners - {agency}:
                shared[partner][kind].add(iri)
    labels = describe(store, shared)
    lines = []
    for partner, by_kind in shared.items():
        years = sorted({(facts[f].date or "")[:4] for fs in by_kind.values() for f in fs} - {""})
        counts = ", ".join(f"{len(fs)} {k}{'s' if len(fs) != 1 else ''}" for k, fs in by_kind.items())
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (years[0] if years else "undated")
        country = labels[partner].first(f"{SCHEMA}addressCountry")
        name = _name(labels[partner]) + (f" ({country})" if country else "")
        statements = [q for f in sorted(by_kind.get("cooperation statement", ())) for q in facts[f].evidence]
        lines.append(
            Fact(years[0] if years else None, f"{name}: {span}; {counts}", partner, None, statements)
        )
    return lines


def _sorted(result: Card) -> Card:
    for section in result.sections:
        section.facts.sort(key=lambda f: (f.date is None, f.date or "", f.text, f.iri))
    return result


# --- writing cards -----------------------------------------------------------------------------------


def to_json(result: Card) -> dict[str, Any]:
    data = asdict(result)
    data["details"] = [{"name": name, "value": value} for name, value in result.details]
    return data


def render_text(result: Card) -> str:
    """The card as plain text: a header, then each section's facts with their quotes (control
    characters of the release text escaped, so the card is safe to print on a terminal)."""
    lines = [result.name, f"  {result.kind}  {result.iri}"]
    details = [("also known as", ", ".join(result.aliases))] if result.aliases else []
    for name, value in details + result.details:
        lines += _wrap(f"{name}: {value}", "  ", "      ")
    for section in result.sections:
        if not section.facts and section.title == REFERRED_TO_BY:
            continue
        lines += ["", section.title]
        if not section.facts:
            lines.append("  (none)")
        for fact in section.facts:
            lines += _fact_lines(fact)
    return escape.terminal("\n".join(lines) + "\n")


def _fact_lines(fact: Fact) -> list[str]:
    """A fact: its date and text, then each quote with the release and characters it comes from."""
    text = fact.text
    if fact.confidence is not None and fact.confidence < LOW_CONFIDENCE:
        text += f" [low confidence: {fact.confidence:g}]"
    lines = _wrap(text, f"  {(fact.date or 'undated'):<10}  ", " " * 14)
    for quote in fact.evidence:
        where = f"release {quote.release}"
        if quote.start is not None:
            where += f", chars {quote.start}-{quote.end}"
        lines += _wrap(f'"{quote.quote}" ({where})', " " * 14, " " * 15)
    return lines


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )
