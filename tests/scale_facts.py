"""The facts of many generated releases merged as docs/data-model.md says the store merges them, in
plain Python: no RDF mapping, no store, no SPARQL.  tests/test_scale_exact.py checks every named
query against what this module computes.

Facts are told apart by their identity in docs/data-model.md ("Identity"): an agency by its key, a
person by name and agency, a post by agency and title, a numbered event by its series, members and
ordinal (any other event by kind, name, start and participants), an agreement by kind, name, date
and parties, an operation by name and start, a cooperation statement by its release and pair, a
seizure by its release and what was seized.  The IRIs come from :mod:`cckg.identity`, the written
form of that identity; only the rows of a query that print an IRI need them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cckg.identity import agency_iri, event_iri, person_iri, post_iri, series_iri, slug


def year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


@dataclass
class Agency:
    iri: str
    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    releases: set[str] = field(default_factory=set)  # releases that mention it
    partners: set[str] = field(default_factory=set)  # agencies it cooperates with (cooperation pairs)

    @property
    def label(self) -> str:
        return min(self.labels)

    def named(self, name: str) -> bool:
        return name.lower() in {n.lower() for n in self.labels | self.aliases | self.acronyms}


@dataclass
class Person:
    iri: str
    names: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)  # org:memberOf
    releases: set[str] = field(default_factory=set)


@dataclass
class Membership:
    """A person in a post as one release shows it (org:Membership)."""

    person: str
    post: str  # post IRI
    post_label: str
    agency: str | None  # agency IRI (org:postIn), None when the post is in no named agency
    published: str | None
    release: str


@dataclass
class Fact:
    """An event, agreement, joint operation or cooperation statement, merged over its releases."""

    kind: str  # event, agreement, operation, cooperation
    ident: tuple
    event_kind: str | None = None  # conference, meeting ... for events
    names: set[str] = field(default_factory=set)
    dates: set[str] = field(
        default_factory=set
    )  # start (events, operations), date (agreements), issued (cooperation)
    ends: set[str] = field(default_factory=set)
    participants: set[str] = field(
        default_factory=set
    )  # agency IRIs (cckg:participant, cckg:party, cckg:partner)
    leaders: set[str] = field(default_factory=set)  # cckg:ledBy
    organizers: set[str] = field(default_factory=set)  # schema:organizer (events)
    crimes: set[str] = field(
        default_factory=set
    )  # dcterms:subject (agreements, operations); release's (cooperation)
    releases: set[str] = field(default_factory=set)  # releases that report it (its evidence)
    heads: set[str] = field(default_factory=set)  # person IRIs: delegation heads, signatories
    statuses: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    ordinals: set[int] = field(default_factory=set)
    series: str | None = None  # series IRI
    series_names: set[str] = field(default_factory=set)
    iri: str | None = None  # events only (needed where a query prints an event without a name)

    @property
    def agencies(self) -> set[str]:
        return self.participants | self.leaders

    @property
    def years(self) -> set[int]:
        return {int(d[:4]) for d in self.dates}

    @property
    def year(self) -> int | None:
        return min(self.years) if self.dates else None


@dataclass
class Seizure:
    release: str
    goods: str
    quantity: float
    unit: str
    qualifier: str | None
    date: str | None
    place: str | None
    crimes: set[str]
    published: str | None


@dataclass
class World:
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    facts: dict[tuple, Fact] = field(default_factory=dict)
    seizures: list[Seizure] = field(default_factory=list)
    releases: dict[str, dict] = field(default_factory=dict)  # release id -> its gold

    def of_kind(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts.values() if f.kind in kinds]

    def label(self, agency: str) -> str:
        return self.agencies[agency].label

    def agency_named(self, name: str) -> str:
        (found,) = [a.iri for a in self.agencies.values() if a.named(name)]
        return found


def place_name(city: str | None, country: str | None, country_name) -> str | None:
    if city:
        return city
    return country_name(country) if country else None


def merge(golds: Iterable[dict], country_name) -> World:
    """The store's facts, from the gold facts of each release; ``country_name`` names a country
    code as the gazetteer does (the name of a place known only by its country)."""
    world = World()
    for gold in golds:
        rid = gold["id"]
        world.releases[rid] = gold
        keys: dict[str, str] = {}
        for a in gold["agencies"]:
            key = a.get("key") or slug(a["name"])
            for name in (a["name"], *a.get("aliases", []), *a.get("acronyms", [])):
                keys.setdefault(name, key)
            agency = world.agencies.setdefault(str(agency_iri(key)), Agency(str(agency_iri(key))))
            agency.labels.add(a["name"])
            agency.aliases.update(a.get("aliases", []))
            agency.acronyms.update(a.get("acronyms", []))
            if a["country"]:
                agency.countries.add(a["country"])
            agency.kinds.add(a["kind"])
            agency.releases.add(rid)

        def node(name: str, keys: dict[str, str] = keys) -> str:
            return str(agency_iri(keys.get(name) or slug(name)))

        people: dict[str, str] = {}
        for o in gold["officials"]:
            key = keys.get(o["agency"] or "")
            iri = str(person_iri(o["name"], key))
            people[o["name"]] = iri
            person = world.people.setdefault(iri, Person(iri))
            person.names.add(o["name"])
            person.releases.add(rid)
            if o["honorific"]:
                person.honorifics.add(o["honorific"])
            if key:
                person.agencies.add(str(agency_iri(key)))
            if o["title"]:
                label = o.get("post") or o["title"]
                world.memberships.append(
                    Membership(
                        iri,
                        str(post_iri(key, label)),
                        label,
                        str(agency_iri(key)) if key else None,
                        gold["published"],
                        rid,
                    )
                )

        def person(name: str, people: dict[str, str] = people) -> str:
            return people.get(name) or str(person_iri(name, None))

        for e in gold["events"]:
            member_keys = [keys.get(p) or slug(p) for p in e["participants"]]
            numbered = bool(e.get("series")) and e["ordinal"] is not None
            iri = str(
                event_iri(
                    e["kind"],
                    e["name"],
                    e["ordinal"],
                    e.get("series") if numbered else None,
                    e["start"],
                    member_keys,
                )
            )
            fact = world.facts.setdefault(("event", iri), Fact("event", ("event", iri), iri=iri))
            fact.event_kind = e["kind"]
            fact.names.update([e["name"]] if e["name"] else [])
            fact.dates.update([e["start"]] if e["start"] else [])
            fact.ends.update([e["end"]] if e["end"] else [])
            fact.participants.update(map(node, e["participants"]))
            fact.organizers.update(map(node, e.get("organizers", [])))
            fact.heads.update(map(person, e["delegation_heads"]))
            fact.statuses.add(e.get("status") or "held")
            if e["ordinal"] is not None:
                fact.ordinals.add(e["ordinal"])
            where = place_name(e["city"], e["country"], country_name)
            fact.places.update([where] if where else [])
            if numbered:
                fact.series = str(series_iri(e["series"], member_keys))
                fact.series_names.add(e["series"])
            fact.releases.add(rid)
        for ag in gold["agreements"]:
            parties = sorted(keys.get(p, p) for p in ag["parties"])
            ident = ("agreement", ag["kind"], ag["name"], ag["date"], *parties)
            fact = world.facts.setdefault(ident, Fact("agreement", ident))
            fact.event_kind = ag["kind"]
            fact.names.add(ag["name"])
            fact.dates.update([ag["date"]] if ag["date"] else [])
            fact.participants.update(map(node, ag["parties"]))
            fact.heads.update(map(person, ag["signatories"]))
            fact.crimes.update(ag["topics"])
            fact.releases.add(rid)
        for op in gold["operations"]:
            ident = ("operation", op["name"], op["start"])
            fact = world.facts.setdefault(ident, Fact("operation", ident))
            fact.names.add(op["name"])
            fact.dates.update([op["start"]] if op["start"] else [])
            fact.ends.update([op["end"]] if op["end"] else [])
            fact.leaders.update(map(node, op["led_by"]))
            fact.participants.update(map(node, op["participants"]))
            fact.crimes.update(op["crime_types"])
            fact.releases.add(rid)
        for pair in gold["cooperation"]:
            a, b = sorted(map(node, pair))
            ident = ("cooperation", rid, a, b)
            fact = world.facts.setdefault(ident, Fact("cooperation", ident))
            fact.dates.update([gold["published"]] if gold["published"] else [])
            fact.participants.update((a, b))
            fact.crimes.update(gold["crime_types"])
            fact.releases.add(rid)
            world.agencies[a].partners.add(b)
            world.agencies[b].partners.add(a)
        for s in gold["seizures"]:
            world.seizures.append(
                Seizure(
                    rid,
                    s["goods"],
                    float(s["quantity"]),
                    s["unit"],
                    s["qualifier"],
                    s["date"],
                    place_name(s["city"], s["country"], country_name),
                    set(s["crime_types"]),
                    gold["published"],
                )
            )
    return world


def pairs(agencies: set[str]) -> list[tuple[str, str]]:
    """The ordered pairs (a1, a2) of a fact's agencies with STR(a1) < STR(a2)."""
    ordered = sorted(agencies)
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def by_pair(facts: Iterable[Fact]) -> dict[tuple[str, str], list[Fact]]:
    found: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        for pair in pairs(fact.agencies):
            found[pair].append(fact)
    return found
