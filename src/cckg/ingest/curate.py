"""Curation: people's judgements on the extracted facts, applied on every ingest.

Curators write YAML files (``data/curation/*.yaml``, format in docs/curation.md) with five kinds of
entries, each with a ``reason``:

- ``same_agency``: a name a release uses is that gazetteer agency (the mention's agency node is
  merged into ``id:agency/{id}``, with the IRIs derived from it: people, posts, event series);
- ``same_person``: these people are one (the others are merged into the first);
- ``different_person``: these two people are not one (recorded; a merge of them is refused);
- ``reject``: remove this fact (by IRI) from every release, or from one;
- ``add``: add facts, in the release JSON shape, to a release, each with a quote as evidence.

:func:`load` reads and validates the files (one-line errors naming the file and the entry).
:func:`apply` is a pure function: a release graph and the entries that apply to it in, the curated
graph out.  Every decision applied to a graph leaves a record there (``cckg:Curation``: the kind,
the reason, the file and entry, and ``cckg:mergedFrom``/``cckg:mergedInto``, ``prov:invalidated`` or
``prov:generated``), and the release's extraction run gets ``cckg:curationDigest`` so that ingest
re-applies curation when the entries for a release change.  IRIs are stable across extractor
versions, so judgements survive re-ingestion and upgrades.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cckg import model, resources
from cckg.errors import CurationError, IdentityError
from cckg.identity import (
    agency_iri,
    agency_kind_iri,
    curation_iri,
    instance_iri,
    notation_of,
    parse_iri,
    person_iri,
    rekeyed,
    same_release,
    slug,
    wikidata_iri,
)
from cckg.namespaces import CCKG, DCTERMS, ID, OA, OWL, PROV, RDF, SCHEMA, SKOS

SECTIONS = ("same_agency", "same_person", "different_person", "reject", "add")
FACT_LISTS: dict[str, type] = {
    "agencies": model.Agency,
    "officials": model.Official,
    "events": model.Event,
    "agreements": model.Agreement,
    "operations": model.Operation,
    "seizures": model.Seizure,
    "cooperation": model.Cooperation,
}
_ENTRY_KEYS = {
    "same_agency": {"mention", "agency", "reason", "release"},
    "same_person": {"people", "reason"},
    "different_person": {"people", "reason"},
    "reject": {"fact", "reason", "release"},
    "add": {"release", "facts", "reason"},
}



@dataclass(frozen=True)
class Entry:
    """One validated judgement.  ``where`` names it: ``people.yaml: same_person[0]``."""

    kind: str
    where: str
    reason: str
    release: str | None = None  # only for this release (always set for ``add``)
    mention: str | None = None  # same_agency
    agency: str | None = None  # same_agency: a gazetteer id
    people: tuple[URIRef, ...] = ()  # same_person (first kept) and different_person
    names: tuple[str | None, ...] = ()  # the names given for ``people`` (None for an IRI)
    fact: URIRef | None = None  # reject
    facts: Mapping[str, Any] = field(default_factory=dict)  # add: the release JSON lists

    def canonical(self) -> str:
        """The entry as canonical JSON (its identity; ``where`` is left out so moving it changes nothing)."""
        data = {
            "kind": self.kind, "reason": self.reason, "release": self.release, "mention": self.mention,
            "agency": self.agency, "people": [str(p) for p in self.people], "fact": self.fact,
            "facts": self.facts,
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)

    @property
    def iri(self) -> URIRef:
        return curation_iri(self.canonical())


@dataclass(frozen=True)
class Curation:
    """All curation entries, in file order."""

    entries: tuple[Entry, ...] = ()

    def for_release(self, release_id: str) -> tuple[Entry, ...]:
        """The entries that apply to a release: those for every release and those naming it."""
        return tuple(e for e in self.entries if e.release is None or same_release(e.release, release_id))

    def digest(self, release_id: str) -> str | None:
        """A fingerprint of the entries for a release (None when there are none)."""
        entries = self.for_release(release_id)
        if not entries:
            return None
        text = "\n".join(sorted(e.canonical() for e in entries))
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the gazetteer (for same_agency and for people named with their agency) ------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    name: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    kind: str = "other"
    wikidata: str | None = None


@cache
def gazetteer() -> dict[str, GazetteerEntry]:
    """The agency gazetteer (``data/gazetteer/agencies.yaml``) by id."""
    agencies = {}
    for item in resources.load_yaml("data", "gazetteer", "agencies.yaml") or []:
        entry = GazetteerEntry(
            key=str(item["id"]),
            name=str(item["name"]),
            acronyms=tuple(str(a) for a in item.get("acronyms") or ()),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            country=item.get("country"),
            kind=str(item.get("kind") or "other"),
            wikidata=item.get("wikidata"),
        )
        agencies[entry.key] = entry
    return agencies


def agency_key(name_or_id: str) -> str:
    """A gazetteer id for an id, a name, an alias or an acronym; else the slug of the name."""
    known = gazetteer()
    if name_or_id in known:
        return name_or_id
    folded = name_or_id.casefold()
    for entry in known.values():
        if folded in {n.casefold() for n in (entry.name, *entry.aliases, *entry.acronyms)}:
            return entry.key
    return slug(name_or_id)


# --- loading and validating ------------------------------------------------------------------------


def default_folder() -> Path:
    return resources.path("data", "curation")


def load(folder: Path | None = None) -> Curation:
    """Read and validate every ``*.yaml`` file of ``folder`` (default ``data/curation``)."""
    folder = default_folder() if folder is None else folder
    if not folder.exists():
        return Curation()
    if not folder.is_dir():
        raise CurationError(f"{folder}: not a folder of curation files")
    entries: list[Entry] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        entries.extend(load_file(path))
    _check_conflicts(entries)
    return Curation(tuple(entries))


def load_file(path: Path) -> list[Entry]:
    """The validated entries of one curation file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=resources._DataLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise CurationError(f"{path}: cannot read ({error})") from None
    except yaml.YAMLError as error:
        raise CurationError(f"{path}: not valid YAML ({' '.join(str(error).split())})") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise CurationError(f"{path}: want a mapping of sections ({', '.join(SECTIONS)})")
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise CurationError(f"{path}: unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})")
    entries = []
    for section in SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            raise CurationError(f"{path}: {section}: want a list of entries")
        for index, item in enumerate(items):
            where = f"{path.name}: {section}[{index}]"
            entries.append(_entry(section, item, where, f"{path}: {section}[{index}]"))
    return entries


def _entry(section: str, item: Any, where: str, location: str) -> Entry:
    def fail(problem: str) -> CurationError:
        return CurationError(f"{location}: {problem}")

    if not isinstance(item, dict):
        raise fail("want a mapping")
    unknown = sorted(set(item) - _ENTRY_KEYS[section])
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (keys: {', '.join(sorted(_ENTRY_KEYS[section]))})")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise fail("needs a reason (a sentence saying why)")
    release = item.get("release")
    if release is not None and (not isinstance(release, str) or not release.strip()):
        raise fail("release must be a release id")
    common = {"kind": section, "where": where, "reason": reason.strip(), "release": release}
    if section == "same_agency":
        return _same_agency(item, common, fail)
    if section in ("same_person", "different_person"):
        return _people(section, item, common, fail)
    if section == "reject":
        fact = item.get("fact")
        try:
            return Entry(**common, fact=instance_iri(fact if isinstance(fact, str) else ""))
        except IdentityError:
            raise fail(f"fact must be the IRI of a fact ({ID}...)") from None
    return _add(item, common, fail)


Fail = Callable[[str], Exception]


def _same_agency(item: dict[str, Any], common: dict[str, Any], fail: Fail) -> Entry:
    mention, agency = item.get("mention"), item.get("agency")
    if not isinstance(mention, str) or not mention.strip():
        raise fail("needs the mention: the agency name as a release writes it")
    if not isinstance(agency, str) or agency not in gazetteer():
        raise fail(f"agency {agency!r} is not a gazetteer id (data/gazetteer/agencies.yaml)")
    return Entry(**common, mention=mention.strip(), agency=agency)


def _people(section: str, item: dict[str, Any], common: dict[str, Any], fail: Fail) -> Entry:
    people = item.get("people")
    pair = section == "different_person"
    if not isinstance(people, list) or len(people) < 2 or (pair and len(people) != 2):
        raise fail("people must list " + ("two people" if pair else "two or more people"))
    iris: list[URIRef] = []
    names: list[str | None] = []
    for person in people:
        if isinstance(person, str) and (iri := _person(person)) is not None:
            iris.append(iri)
            names.append(None)
        elif _is_named_person(person):
            agency = person.get("agency")
            iris.append(person_iri(person["name"], agency_key(agency) if isinstance(agency, str) else None))
            names.append(person["name"])
        else:
            want = f"an IRI ({ID}person/...) or {{name: ..., agency: ...}}"
            raise fail(f"{person!r} is not a person: give {want}")
    if len(set(iris)) != len(iris):
        raise fail("the same person is listed twice")
    return Entry(**common, people=tuple(iris), names=tuple(names))


def _person(text: str) -> URIRef | None:
    try:
        return instance_iri(text, "person")
    except IdentityError:
        return None


def _is_named_person(person: Any) -> bool:
    if not isinstance(person, dict) or not set(person) <= {"name", "agency"}:
        return False
    return isinstance(person.get("name"), str)


def _add(item: dict[str, Any], common: dict[str, Any], fail: Fail) -> Entry:
    if common["release"] is None:
        raise fail("needs the release the facts are added to")
    facts = item.get("facts")
    if not isinstance(facts, dict) or not facts:
        raise fail(f"facts must map fact lists ({', '.join(FACT_LISTS)}) to facts")
    for name, values in facts.items():
        if name not in FACT_LISTS:
            raise fail(f"unknown fact list {name!r} (one of {', '.join(FACT_LISTS)})")
        if not isinstance(values, list) or not values:
            raise fail(f"{name}: want a list of facts")
        for index, value in enumerate(values):
            try:
                _fact(name, value, None)
            except (TypeError, ValueError, KeyError) as error:
                raise fail(f"{name}[{index}]: {' '.join(str(error).split())}") from None
    return Entry(**common, facts=facts)


def _fact(name: str, value: Any, text: str | None) -> Any:
    """A model fact from its release JSON object; its evidence from ``quote`` (found in ``text``)."""
    if not isinstance(value, dict):
        raise ValueError("want a mapping of fields")
    cls = FACT_LISTS[name]
    allowed = {f.name for f in fields(cls)} | {"quote"}
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    data = {k: v for k, v in value.items() if k not in ("quote", "evidence")}
    quote = value.get("quote")
    if name != "agencies":
        if not isinstance(quote, str) or not quote.strip():
            raise ValueError("needs a quote: the sentence of the release that states the fact")
        data["evidence"] = [] if text is None else [_evidence(quote, text)]
    if name == "cooperation":
        agencies = data.get("agencies")
        if not isinstance(agencies, list) or len(agencies) != 2:
            raise ValueError("agencies must be a pair of agency names")
        data["agencies"] = tuple(agencies)
    fact = cls(**data)
    for required in ("name", "goods", "kind"):
        if required in data and not isinstance(data[required], str):
            raise ValueError(f"{required} must be text")
    return fact


def _evidence(quote: str, text: str) -> model.Evidence:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"quote {quote[:60]!r} is not in the release text")
    return model.Evidence(quote, start, start + len(quote))


def _check_conflicts(entries: Iterable[Entry]) -> None:
    """A pair of people said to be different must not be merged (directly or through a chain)."""
    group: dict[URIRef, URIRef] = {}

    def root(node: URIRef) -> URIRef:
        while group.get(node, node) != node:
            node = group[node]
        return node

    entries = list(entries)
    for entry in entries:
        if entry.kind == "same_person":
            for person in entry.people[1:]:
                group[root(person)] = root(entry.people[0])
    for entry in entries:
        if entry.kind == "different_person" and root(entry.people[0]) == root(entry.people[1]):
            raise CurationError(
                f"{entry.where}: {entry.people[0]} and {entry.people[1]} are also said to be the same person"
            )


# --- applying ----------------------------------------------------------------------------------------


def apply(
    graph: Graph,
    entries: Iterable[Entry],
    release: URIRef,
    *,
    text: str | None = None,
    digest: str | None = None,
    to_graph: Callable[[model.ReleaseFacts], Graph] | None = None,
) -> Graph:
    """The curated copy of the release graph ``graph`` (named ``release``).

    ``text`` is the release text (where the quotes of added facts are found); ``digest`` is recorded
    on the extraction run; ``to_graph`` maps added facts (:func:`cckg.ingest.map.facts_to_graph`:
    the pipeline passes it, since curation comes before the mapping in the layers).
    Entries are applied in order: additions, agency merges, person merges, rejections, differences.
    """
    curated = Graph()
    for prefix, namespace in graph.namespaces():
        curated.bind(prefix, namespace)
    curated += graph
    order = {"add": 0, "same_agency": 1, "same_person": 2, "reject": 3, "different_person": 4}
    for entry in sorted(entries, key=lambda e: order[e.kind]):
        if entry.kind == "add":
            _apply_add(curated, entry, release, text, to_graph)
        elif entry.kind == "same_agency":
            _apply_same_agency(curated, entry)
        elif entry.kind == "same_person":
            _apply_same_person(curated, entry)
        elif entry.kind == "reject":
            _apply_reject(curated, entry)
        else:
            _apply_different_person(curated, entry)
    if digest is not None:
        for run in _runs(curated, release):
            curated.set((run, CCKG.curationDigest, Literal(digest)))
    return curated


def _runs(graph: Graph, release: URIRef) -> list[Node]:
    return [run for run in graph.subjects(PROV.used, release) if (run, RDF.type, CCKG.ExtractionRun) in graph]


def _record(graph: Graph, entry: Entry) -> URIRef:
    node = entry.iri
    graph.add((node, RDF.type, CCKG.Curation))
    graph.add((node, CCKG.curationKind, Literal(entry.kind.replace("_", "-"))))
    graph.add((node, CCKG.reason, Literal(entry.reason)))
    graph.add((node, DCTERMS.source, Literal(entry.where)))
    return node


def _rename(graph: Graph, renames: Mapping[Node, Node]) -> None:
    """Replace IRIs in every position."""
    if not renames:
        return
    triples = list(graph)
    for triple in triples:
        renamed = tuple(renames.get(term, term) for term in triple)
        if renamed != triple:
            graph.remove(triple)
            graph.add(renamed)  # type: ignore[arg-type]


# -- same agency --

def _apply_same_agency(graph: Graph, entry: Entry) -> None:
    assert entry.mention is not None and entry.agency is not None
    target = agency_iri(entry.agency)
    folded = entry.mention.casefold()
    label_properties = (SKOS.prefLabel, SKOS.altLabel, CCKG.acronym)
    merged = [
        node
        for node in set(graph.subjects(RDF.type, CCKG.Agency))
        if node != target
        and isinstance(node, URIRef)
        and any(str(label).casefold() == folded for p in label_properties for label in graph.objects(node, p))
    ]
    for node in sorted(merged):
        old = parse_iri(node).agency_key or ""
        renames: dict[Node, Node] = {}
        for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
            new = rekeyed(term, old, entry.agency)
            if new is not None and new != term:
                renames[term] = new
        labels = {str(label) for p in label_properties for label in graph.objects(node, p)}
        _rename(graph, renames)
        _describe_agency(graph, target, gazetteer()[entry.agency], labels)
        record = _record(graph, entry)
        graph.add((record, CCKG.mergedFrom, node))
        graph.add((record, CCKG.mergedInto, target))


def _describe_agency(graph: Graph, node: URIRef, known: GazetteerEntry, mentions: set[str]) -> None:
    """The gazetteer's description of ``node``, the merged mentions kept as alternative labels."""
    for predicate in (SKOS.prefLabel, SKOS.altLabel, CCKG.acronym, SCHEMA.addressCountry, CCKG.agencyKind):
        graph.remove((node, predicate, None))
    graph.add((node, SKOS.prefLabel, Literal(known.name)))
    for acronym in known.acronyms:
        graph.add((node, CCKG.acronym, Literal(acronym)))
    for alias in sorted({*known.aliases, *mentions} - {known.name, *known.acronyms}):
        graph.add((node, SKOS.altLabel, Literal(alias)))
    if known.country:
        graph.add((node, SCHEMA.addressCountry, Literal(known.country)))
    graph.add((node, CCKG.agencyKind, agency_kind_iri(known.kind)))
    if known.wikidata:
        graph.add((node, OWL.sameAs, wikidata_iri(known.wikidata)))


# -- same person, different person --


def _apply_same_person(graph: Graph, entry: Entry) -> None:
    kept, *others = entry.people
    present = [person for person in others if (person, None, None) in graph or (None, None, person) in graph]
    if not present:
        return
    names = {str(n) for person in (kept, *present) for n in graph.objects(person, SCHEMA.name)}
    _rename(graph, dict.fromkeys(present, kept))
    name = entry.names[0] or next(iter(sorted(graph.objects(kept, SCHEMA.name))), None)
    if name is not None:
        graph.remove((kept, SCHEMA.name, None))
        graph.add((kept, SCHEMA.name, Literal(str(name))))
        for other in sorted(names - {str(name)}):
            graph.add((kept, SCHEMA.alternateName, Literal(other)))
    record = _record(graph, entry)
    graph.add((record, CCKG.mergedInto, kept))
    for person in present:
        graph.add((record, CCKG.mergedFrom, person))


def _apply_different_person(graph: Graph, entry: Entry) -> None:
    first, second = entry.people
    if not any((p, None, None) in graph or (None, None, p) in graph for p in (first, second)):
        return
    graph.add((first, OWL.differentFrom, second))
    record = _record(graph, entry)
    graph.add((record, PROV.used, first))
    graph.add((record, PROV.used, second))


# -- reject --


def _apply_reject(graph: Graph, entry: Entry) -> None:
    fact = entry.fact
    assert fact is not None
    if (fact, None, None) not in graph and (None, None, fact) not in graph:
        return
    is_cooperation = (fact, RDF.type, CCKG.Cooperation) in graph
    partners = sorted(graph.objects(fact, CCKG.partner)) if is_cooperation else []
    graph.remove((fact, None, None))
    graph.remove((None, None, fact))
    if len(partners) == 2:
        _drop_unsupported_cooperation(graph, partners[0], partners[1])
    _drop_orphan_evidence(graph)
    graph.add((_record(graph, entry), PROV.invalidated, fact))


def _drop_unsupported_cooperation(graph: Graph, a: Node, b: Node) -> None:
    """Remove ``a cckg:cooperatesWith b`` when no cooperation fact of the graph links them any more."""
    for cooperation in graph.subjects(RDF.type, CCKG.Cooperation):
        if {a, b} <= set(graph.objects(cooperation, CCKG.partner)):
            return
    graph.remove((a, CCKG.cooperatesWith, b))
    graph.remove((b, CCKG.cooperatesWith, a))


def _drop_orphan_evidence(graph: Graph) -> None:
    for evidence in list(graph.subjects(RDF.type, OA.SpecificResource)):
        if (None, CCKG.evidence, evidence) in graph:
            continue
        for selector in list(graph.objects(evidence, OA.hasSelector)):
            graph.remove((selector, None, None))
        graph.remove((evidence, None, None))


# -- add --


def _apply_add(
    graph: Graph,
    entry: Entry,
    release: URIRef,
    text: str | None,
    to_graph: Callable[[model.ReleaseFacts], Graph] | None,
) -> None:
    if to_graph is None:
        raise CurationError(f"{entry.where}: facts can only be added with the RDF mapping (to_graph)")
    if text is None:
        raise CurationError(f"{entry.where}: the release text is not known, so the quotes cannot be placed")
    facts = _release_facts(graph, release, entry.release or "")
    for name, values in entry.facts.items():
        for index, value in enumerate(values):
            try:
                getattr(facts, name).append(_fact(name, value, text))
            except (TypeError, ValueError) as error:
                problem = " ".join(str(error).split())
                raise CurationError(f"{entry.where}: {name}[{index}]: {problem}") from None
    _add_gazetteer_agencies(facts)
    added = to_graph(facts)
    known = {release, *graph.subjects(RDF.type, CCKG.Agency), *graph.subjects(RDF.type, CCKG.ExtractionRun)}
    known |= set(graph.objects(None, PROV.wasAssociatedWith))
    record = _record(graph, entry)
    for triple in added:
        if triple[0] in known:
            continue
        graph.add(triple)
        if triple[1] == PROV.wasGeneratedBy:
            graph.add((record, PROV.generated, triple[0]))
    for agency in added.subjects(RDF.type, CCKG.Agency):
        if agency not in known:
            graph.add((release, SCHEMA.mentions, agency))


def _release_facts(graph: Graph, release: URIRef, release_id: str) -> model.ReleaseFacts:
    """A :class:`~cckg.model.ReleaseFacts` with the release's fields and agencies as stored in ``graph``.

    Mapped, it gives the stored IRIs for the release, its extraction run and its agencies, so the
    facts added to it refer to the same nodes.
    """

    def value(subject: Node, predicate: URIRef) -> str | None:
        found = graph.value(subject, predicate)
        return None if found is None else str(found)

    agencies = []
    for node in sorted(graph.subjects(RDF.type, CCKG.Agency)):
        key = parse_iri(node).agency_key
        name = value(node, SKOS.prefLabel) or str(key)
        kind = notation_of(graph.value(node, CCKG.agencyKind) or "")
        agencies.append(model.Agency(
            name=name,
            acronyms=sorted(str(a) for a in graph.objects(node, CCKG.acronym)),
            aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
            country=value(node, SCHEMA.addressCountry),
            kind=kind or "other",
            key=key,
        ))
    return model.ReleaseFacts(
        id=value(release, DCTERMS.identifier) or release_id,
        source=value(release, DCTERMS.source) or "",
        title=value(release, DCTERMS.title),
        published=value(release, DCTERMS.issued),
        content_hash=value(release, CCKG.contentHash),
        agencies=agencies,
    )


def _add_gazetteer_agencies(facts: model.ReleaseFacts) -> None:
    """Agencies that added facts name but the release does not: from the gazetteer when it knows them."""
    known = {n.casefold() for a in facts.agencies for n in (a.name, *a.aliases, *a.acronyms)}
    named: list[str] = [o.agency for o in facts.officials if o.agency]
    for event in facts.events:
        named += [*event.participants, *event.organizers]
    for agreement in facts.agreements:
        named += agreement.parties
    for operation in facts.operations:
        named += [*operation.led_by, *operation.participants]
    for link in facts.cooperation:
        named += list(link.agencies)
    for name in dict.fromkeys(named):
        key = agency_key(name)
        if name.casefold() in known or key not in gazetteer():
            continue
        entry = gazetteer()[key]
        facts.agencies.append(model.Agency(
            name=entry.name, acronyms=list(entry.acronyms), aliases=list(entry.aliases),
            country=entry.country, kind=entry.kind, key=entry.key, wikidata=entry.wikidata,
        ))
        known |= {n.casefold() for n in (entry.name, *entry.aliases, *entry.acronyms)}
