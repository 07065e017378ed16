"""What each view should hold, worked out from the gold facts of generated releases (no store).

Facts are told apart by what identifies them in docs/data-model.md: an event by its series, its
members and its ordinal (else kind, name, start and participants), an agreement by kind, name,
date and parties, an operation by name and start, a cooperation statement by its release and pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from cckg.identity import agency_iri, person_iri, post_iri

CRIME = "https://w3id.org/cckg/crime-type/"


def year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def keys(gold: dict) -> dict[str, str]:
    """Agency name (and aliases, acronyms) -> agency IRI, for one release."""
    names = {}
    for agency in gold["agencies"]:
        for name in (agency["name"], *agency.get("aliases", []), *agency.get("acronyms", [])):
            names[name] = str(agency_iri(agency["key"]))
    return names


@dataclass
class Fact:
    kind: str
    agencies: set[str]
    year: int | None
    crimes: set[str] = field(default_factory=set)


def facts(golds: Iterable[dict]) -> dict[tuple, Fact]:
    """Every fact that links agencies, by identity."""
    found: dict[tuple, Fact] = {}
    for gold in golds:
        names = keys(gold)
        for event in gold["events"]:
            who = frozenset(names[p] for p in event["participants"])
            numbered = event.get("series") and event["ordinal"] is not None
            ident = ("event", event["series"], event["ordinal"], who) if numbered else (
                "event", event["kind"], event["name"], event["start"], who)  # fmt: skip
            found.setdefault(ident, Fact("event", set(who), year(event["start"])))
        for agreement in gold["agreements"]:
            who = frozenset(names[p] for p in agreement["parties"])
            ident = ("agreement", agreement["kind"], agreement["name"], agreement["date"], who)
            fact = found.setdefault(ident, Fact("agreement", set(who), year(agreement["date"])))
            fact.crimes.update(agreement["topics"])
        for operation in gold["operations"]:
            who = {names[p] for p in operation["led_by"] + operation["participants"]}
            fact = found.setdefault(("operation", operation["name"], operation["start"]),
                                    Fact("operation", set(), year(operation["start"])))  # fmt: skip
            fact.agencies |= who
            fact.crimes.update(operation["crime_types"])
        for pair in gold["cooperation"]:
            who = {names[p] for p in pair}
            ident = ("cooperation", gold["id"], frozenset(who))
            found[ident] = Fact("cooperation", who, year(gold["published"]), set(gold["crime_types"]))
    return found


def agency_edges(golds: list[dict], start: int | None = None, end: int | None = None,
                 crime: str | None = None) -> dict[tuple[str, str], Counter]:  # fmt: skip
    """(agency, agency) -> facts per kind, for the facts the filters keep."""
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for fact in facts(golds).values():
        if (start is not None or end is not None) and fact.year is None:
            continue
        if (start is not None and fact.year < start) or (end is not None and fact.year > end):
            continue
        if crime is not None and (fact.kind == "event" or crime not in fact.crimes):
            continue
        for pair in combinations(sorted(fact.agencies), 2):
            edges[pair][fact.kind] += 1
    return dict(edges)


def agency_years(golds: list[dict]) -> dict[tuple[str, str], set[int]]:
    years: dict[tuple[str, str], set[int]] = defaultdict(set)
    for fact in facts(golds).values():
        for pair in combinations(sorted(fact.agencies), 2):
            if fact.year is not None:
                years[pair].add(fact.year)
    return dict(years)


def agency_crime_edges(golds: list[dict]) -> dict[tuple[str, str], Counter]:
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for fact in facts(golds).values():
        if fact.kind in ("agreement", "operation"):
            for agency in fact.agencies:
                for crime in fact.crimes:
                    edges[agency, CRIME + crime][fact.kind] += 1
    for gold in golds:
        for agency in {str(agency_iri(a["key"])) for a in gold["agencies"]}:
            for crime in set(gold["crime_types"]):
                edges[agency, CRIME + crime]["release"] += 1
    return dict(edges)


def agencies(golds: list[dict]) -> set[str]:
    return {str(agency_iri(a["key"])) for gold in golds for a in gold["agencies"]}


def people_edges(golds: list[dict]) -> dict[tuple[str, str], Counter]:
    """Undirected edges (sorted pair) of the people view -> count per relation."""
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    met: dict[tuple, set[str]] = {}
    for gold in golds:
        names = keys(gold)
        key_of = {a["name"]: a["key"] for a in gold["agencies"]}
        people = {}
        for official in gold["officials"]:
            agency_key = key_of.get(official["agency"])
            person = str(person_iri(official["name"], agency_key))
            people[official["name"]] = person
            if agency_key:
                edges[tuple(sorted((person, names[official["agency"]])))]["member"] += 1
            if official.get("title"):
                post = str(post_iri(agency_key, official.get("post") or official["title"]))
                edges[tuple(sorted((person, post)))]["holds"] += 1
                if agency_key:
                    edges[tuple(sorted((post, names[official["agency"]])))]["post-in"] += 1
        for event in gold["events"]:
            heads = {people[h] for h in event["delegation_heads"]}
            met.setdefault(("event", event.get("series"), event["ordinal"], event["name"], event["start"]),
                           set()).update(heads)  # fmt: skip
        for agreement in gold["agreements"]:
            signers = {people[s] for s in agreement["signatories"]}
            met.setdefault(("agreement", agreement["name"], agreement["date"]), set()).update(signers)
    for heads in met.values():
        for pair in combinations(sorted(heads), 2):
            edges[pair]["met"] += 1
    return dict(edges)


def operation_edges(golds: list[dict]) -> set[tuple[str, str, str]]:
    """(operation name, agency IRI or crime IRI, relation) for every operation edge."""
    found = set()
    for gold in golds:
        names = keys(gold)
        for operation in gold["operations"]:
            leaders = {names[p] for p in operation["led_by"]}
            for agency in leaders:
                found.add((operation["name"], agency, "led-by"))
            for agency in {names[p] for p in operation["participants"]} - leaders:
                found.add((operation["name"], agency, "participant"))
            for crime in operation["crime_types"]:
                found.add((operation["name"], CRIME + crime, "crime-type"))
    return found


def seizure_crimes(golds: list[dict]) -> Counter:
    """(goods, crime IRI) -> how many seizures."""
    seizures = [s for gold in golds for s in gold["seizures"]]
    return Counter((s["goods"], CRIME + c) for s in seizures for c in s["crime_types"])
