"""Every named query and every export view on a store of 300 generated releases, row for row.

The store is built by the real pipeline (``cckg.pipeline.ingest``, validation on) from releases of
``cckg.synth``.  The expectations are computed in plain Python (tests/scale_facts.py merges the
facts of all releases as docs/data-model.md says the store does), independently of the RDF
mapping, the store and SPARQL, from the extractor's facts for the same releases (the library call
behind ``cckg extract --format jsonl``), not from the gold files: the extractor reads generated
text exactly on everything tests/synth/test_synth_extraction.py compares, but the store also
depends on fields that test leaves out, and on two of them the gold and the extractor disagree
(the series of "11th Customs Consultation Meeting": gold "Customs Consultation Meeting", extractor
"Customs Consultation"; the end of an operation "from March 1 to April 5": gold none, extractor
April 5).  The gold files also lack what cckg adds (evidence, confidence, name resolutions), which
the releases, evidence, low-confidence, evidence-of-attendance and mentions queries print.

Rows are compared as multisets after normalising values: counts as integers, quantities as
numbers, each GROUP_CONCAT list as a set (its order is not part of a query's contract).  Every
query's rows are also checked to hold no duplicate.  Each query runs with a generous guard against
a hang (:data:`GUARD`); it is not a speed test.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

import scale_facts as sf
from cckg import synth
from cckg.ingest import read
from cckg.ingest.extract.knowledge import knowledge
from cckg.pipeline import extract_readable, ingest
from cckg.store import OxigraphStore
from cckg.views import catalog, export
from cckg.views import query as named
from cckg.views.graphs import Filters
from views import gold_views

COUNT, SEED = 300, 9
GUARD = 1800.0  # seconds: a query still running then has hung; no test measures speed
EVENT_CLASSES = {"conference", "meeting", "visit", "signing", "forum", "workshop"}

Row = dict[str, object]


@dataclass
class Built:
    store: Path
    world: sf.World
    extracted: dict[str, dict]  # release id -> the extractor's facts (docs/release-json.md)
    texts: dict[str, str]  # release id -> the release text as the reader reads it
    golds: dict[str, dict]  # release id -> the generator's gold facts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("scale")
    synth.write(folder, COUNT, SEED)
    with OxigraphStore(folder / "store") as store:
        report = ingest(store, [folder / "releases"])
    assert report.ok and len(report.ingested) == COUNT, report.errors
    extracted, texts = {}, {}
    for path in sorted((folder / "releases").glob("*.txt")):
        release = read.read_release(path)
        read_facts = extract_readable(release)
        facts = read_facts.to_json()
        facts["cooperation_confidence"] = [c.confidence for c in read_facts.cooperation]
        extracted[facts["id"]], texts[facts["id"]] = facts, release.text
    golds = {
        g["id"]: g for g in map(json.loads, map(Path.read_text, sorted((folder / "gold").glob("*.json"))))
    }
    assert set(golds) == set(extracted)
    return Built(
        folder / "store", sf.merge(extracted.values(), knowledge().country_name), extracted, texts, golds
    )


@pytest.fixture(scope="module")
def store(built: Built) -> Iterator[OxigraphStore]:
    with OxigraphStore(built.store, read_only=True) as opened:
        yield opened


# --- running a query and normalising its rows ----------------------------------------------------

LISTS = {  # GROUP_CONCAT columns and their separators
    "acronyms": ", ",
    "parties": "; ",
    "topics": ", ",
    "releases": " ",
    "crimeTypes": ", ",
    "participants": "; ",
    "ledBy": "; ",
    "results": "; ",
    "post": "; ",
    "partners": "; ",
    "firstHopEvents": "; ",
    "secondHopEvents": "; ",
}
INTEGERS = {
    "releases",
    "partners",
    "agencies",
    "people",
    "facts",
    "events",
    "agreements",
    "operations",
    "cooperations",
    "weight",
    "firstYear",
    "lastYear",
    "year",
    "ordinal",
    "newPartners",
    "seizures",
}
NUMBERS = {"quantity", "total", "confidence"}


def run(
    store: OxigraphStore,
    name: str,
    lists: dict[str, str] | None = None,
    counts: tuple[str, ...] = (),
    **params: str,
) -> list[Row]:
    """The rows of named query ``name``, each value normalised (None when unbound); ``counts`` are
    columns that count (``releases`` is a list in most queries, a count in a few)."""
    result = named.run(store, named.named_queries()[name], params, timeout=GUARD)
    lists = {c: s for c, s in (LISTS if lists is None else lists).items() if c not in counts}
    integers = INTEGERS | set(counts)
    rows = []
    for found in result.rows:
        row: Row = {}
        for variable in result.variables:
            term = found.get(variable)
            value = None if term is None else str(term)
            if value is not None and variable in lists:
                row[variable] = frozenset(value.split(lists[variable])) if value else frozenset()
            elif value is not None and variable in NUMBERS:
                row[variable] = float(value)
            elif value is not None and variable in integers and value.lstrip("-").isdigit():
                row[variable] = int(value)
            else:
                row[variable] = value
        rows.append(row)
    assert len({tuple(sorted(r.items())) for r in rows}) == len(rows), f"{name}: duplicate rows"
    return rows


def bag(rows: list[Row], *columns: str) -> Counter:
    return Counter(tuple(row[c] for c in columns) for row in rows)


def same(found: list[Row], expected: list[tuple], *columns: str) -> None:
    """The rows equal the expected rows as a multiset, with a readable difference when they do not."""
    got, want = bag(found, *columns), Counter(expected)
    missing, extra = want - got, got - want
    assert not missing and not extra, (
        f"{len(missing)} rows missing, {len(extra)} rows extra (of {sum(want.values())});"
        f"\nmissing: {list(missing)[:3]}\nextra: {list(extra)[:3]}"
    )


def year_span(years: set[int]) -> tuple[int | None, int | None]:
    return (min(years), max(years)) if years else (None, None)


def names(world: sf.World, agencies: set[str]) -> frozenset[str]:
    return frozenset(world.label(a) for a in agencies)


# --- the world's derived tables ----------------------------------------------------------------


def post_labels(world: sf.World) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = defaultdict(set)
    for m in world.memberships:
        labels[m.post].add(m.post_label)
    return labels


def posts_in(world: sf.World, person: str, releases: set[str]) -> frozenset[str]:
    """The labels of the posts a person holds in memberships that these releases attest."""
    labels = post_labels(world)
    return frozenset(
        label
        for m in world.memberships
        if m.person == person and m.release in releases
        for label in labels[m.post]
    )


def person_agency_label(world: sf.World, person: str) -> str | None:
    agencies = world.people[person].agencies if person in world.people else set()
    return min(world.label(a) for a in agencies) if agencies else None


def honorific(world: sf.World, person: str) -> str | None:
    found = world.people[person].honorifics if person in world.people else set()
    return min(found) if found else None


def person_name(world: sf.World, person: str) -> str:
    return min(world.people[person].names) if person in world.people else person


def fact_name(fact: sf.Fact) -> str | None:
    return min(fact.names) if fact.names else fact.iri


def event_kind(fact: sf.Fact) -> str:
    if fact.kind == "operation":
        return "operation"
    return fact.event_kind if fact.event_kind in EVENT_CLASSES else "event"


def hub(world: sf.World) -> str:
    """The agency with the most partners (the richest rows for a one-agency query)."""
    partners: dict[str, set[str]] = defaultdict(set)
    for fact in world.facts.values():
        for agency in fact.agencies:
            partners[agency] |= fact.agencies - {agency}
    return max(sorted(partners), key=lambda agency: len(partners[agency]))


def linking(world: sf.World) -> list[sf.Fact]:
    return world.of_kind("event", "agreement", "operation", "cooperation")


def crimes_of(fact: sf.Fact) -> set[str]:
    return set() if fact.kind == "event" else fact.crimes


# --- the queries ---------------------------------------------------------------------------------


def test_the_fixture_is_rich_enough(built: Built) -> None:
    world = built.world
    kinds = Counter(f.kind for f in world.facts.values())
    assert len(world.releases) == COUNT
    assert all(kinds[k] >= 20 for k in ("event", "agreement", "operation", "cooperation")), kinds
    assert len(world.seizures) >= 50 and len(world.memberships) >= 200
    assert any(len(f.releases) > 1 for f in world.facts.values()), "no fact is reported twice"
    assert any(f.series for f in world.facts.values())
    for facts in built.extracted.values():  # every fact rests on a quote of its release
        for kind in ("events", "agreements", "operations", "seizures"):
            assert all(f["evidence"] for f in facts[kind]), (facts["id"], kind)


def test_agencies(store: OxigraphStore, built: Built) -> None:
    world = built.world
    expected = [
        (
            a.label,
            frozenset(a.acronyms),
            min(a.countries) if a.countries else None,
            min(a.kinds),
            len(a.releases),
            len(a.partners),
            a.iri,
        )
        for a in world.agencies.values()
    ]
    same(
        run(store, "agencies", counts=("releases", "partners")),
        expected,
        "agency",
        "acronyms",
        "country",
        "kind",
        "releases",
        "partners",
        "iri",
    )
    country = Counter(c for a in world.agencies.values() for c in a.countries).most_common(1)[0][0]
    rows = run(store, "agencies", counts=("releases", "partners"), country=country.lower())
    assert {r["iri"] for r in rows} == {a.iri for a in world.agencies.values() if country in a.countries}


def _evidenced(built: Built) -> dict[tuple, dict]:
    """Every node that carries evidence, by identity: its type, names, confidences and quotes."""
    world = built.world
    found: dict[tuple, dict] = {}

    def add(
        ident: tuple,
        type_: str,
        name: str | None,
        confidence: float,
        release: str,
        items: list,
        label: str | None = None,
    ) -> None:
        """``name`` is the schema:name, ``label`` the schema:name, rdfs:label or goods."""
        if not items:
            return
        node = found.setdefault(
            ident, {"type": type_, "names": set(), "labels": set(), "confidence": set(), "quotes": set()}
        )
        if name is not None:
            node["names"].add(name)
        if (label or name) is not None:
            node["labels"].add(label or name)
        node["confidence"].add(round(confidence, 2))
        node["quotes"].update((release, e["start"], e["end"], e["quote"]) for e in items)

    for rid, facts in built.extracted.items():
        gold = world.releases[rid]
        keys = {n: a["key"] for a in facts["agencies"] for n in (a["name"], *a["aliases"], *a["acronyms"])}
        for agency in facts["agencies"]:
            for surface, _reason, where in agency["resolutions"]:
                add(
                    ("resolution", rid, agency["key"], surface),
                    "NameResolution",
                    None,
                    agency["confidence"],
                    rid,
                    [where],
                )
        for official in facts["officials"]:
            if official["title"]:
                key = keys.get(official["agency"] or "")
                label = official["post"] or official["title"]
                ident = (
                    "membership",
                    str(sf.person_iri(official["name"], key)),
                    str(sf.post_iri(key, label)),
                    gold["published"],
                )
                add(
                    ident,
                    "Membership",
                    None,
                    official["confidence"],
                    rid,
                    official["evidence"],
                    f"{official['name']}, {official['title']}",
                )
        by_event = {}  # the gold's events, in order, carry the identity the world gave them
        gold_events = [f for f in world.facts.values() if f.kind == "event" and rid in f.releases]
        for fact in gold_events:
            by_event[fact.iri] = fact
        for event in facts["events"]:
            member_keys = [keys.get(p) or sf.slug(p) for p in event["participants"]]
            numbered = bool(event["series"]) and event["ordinal"] is not None
            iri = str(
                sf.event_iri(
                    event["kind"],
                    event["name"],
                    event["ordinal"],
                    event["series"] if numbered else None,
                    event["start"],
                    member_keys,
                )
            )
            assert iri in by_event, (rid, event["name"])
            type_ = event["kind"].capitalize() if event["kind"] in EVENT_CLASSES else "Event"
            add(("event", iri), type_, event["name"], event["confidence"], rid, event["evidence"])
        for agreement in facts["agreements"]:
            parties = sorted(keys.get(p, p) for p in agreement["parties"])
            add(
                ("agreement", agreement["kind"], agreement["name"], agreement["date"], *parties),
                "Agreement",
                agreement["name"],
                agreement["confidence"],
                rid,
                agreement["evidence"],
            )
        for operation in facts["operations"]:
            add(
                ("operation", operation["name"], operation["start"]),
                "JointOperation",
                operation["name"],
                operation["confidence"],
                rid,
                operation["evidence"],
            )
        for seizure in facts["seizures"]:
            first = seizure["evidence"][0]["start"] if seizure["evidence"] else 0
            add(
                ("seizure", rid, seizure["goods"], seizure["quantity"], seizure["unit"], first),
                "Seizure",
                None,
                seizure["confidence"],
                rid,
                seizure["evidence"],
                seizure["goods"],
            )
        links = zip(
            facts["cooperation"], facts["cooperation_evidence"], facts["cooperation_confidence"], strict=True
        )
        for pair, items, confidence in links:
            a, b = sorted(str(sf.agency_iri(keys[n])) for n in pair)
            add(("cooperation", rid, a, b), "Cooperation", None, confidence, rid, items)
    return found


def test_releases(store: OxigraphStore, built: Built) -> None:
    world = built.world
    facts: Counter = Counter()
    for node in _evidenced(built).values():
        for release in {q[0] for q in node["quotes"]}:
            facts[release] += 1
    expected = []
    for rid, gold in world.releases.items():
        agencies = {a.iri for a in world.agencies.values() if rid in a.releases}
        people = {p.iri for p in world.people.values() if rid in p.releases}
        expected.append(
            (
                rid,
                gold["published"],
                gold["title"],
                built.extracted[rid]["source"],
                len(agencies),
                len(people),
                facts[rid],
            )
        )
    same(
        run(store, "releases"),
        expected,
        "release",
        "issued",
        "title",
        "source",
        "agencies",
        "people",
        "facts",
    )
    rows = run(store, "releases", **{"from": "2010", "to": "2012"})
    assert {r["release"] for r in rows} == {
        rid for rid, g in world.releases.items() if g["published"] and 2010 <= int(g["published"][:4]) <= 2012
    }


def test_partners_of_one_agency(store: OxigraphStore, built: Built) -> None:
    world = built.world
    agency = hub(world)
    shared: dict[str, list[sf.Fact]] = defaultdict(list)
    for fact in linking(world):
        if agency in fact.agencies:
            for partner in fact.agencies - {agency}:
                shared[partner].append(fact)
    expected = []
    for partner, facts in shared.items():
        kinds = Counter(f.kind for f in facts)
        first, last = year_span({y for f in facts for y in f.years})
        countries = world.agencies[partner].countries
        expected.append(
            (
                world.label(partner),
                min(countries) if countries else None,
                first,
                last,
                kinds["event"],
                kinds["agreement"],
                kinds["operation"],
                kinds["cooperation"],
                frozenset(c for f in facts for c in crimes_of(f)),
            )
        )
    assert len(expected) >= 5
    rows = run(store, "partners", agency=world.label(agency).upper())
    same(
        rows,
        expected,
        "partner",
        "country",
        "firstYear",
        "lastYear",
        "events",
        "agreements",
        "operations",
        "cooperations",
        "crimeTypes",
    )


def _network(world: sf.World, start: int | None = None, end: int | None = None) -> list[tuple]:
    expected = []
    for (a1, a2), facts in sf.by_pair(linking(world)).items():
        kept, years = [], set()
        for fact in facts:
            inside = {y for y in fact.years if (start is None or y >= start) and (end is None or y <= end)}
            if (start is not None or end is not None) and not inside:
                continue
            kept.append(fact)
            years |= inside
        if not kept:
            continue
        kinds = Counter(f.kind for f in kept)
        expected.append(
            (
                world.label(a1),
                world.label(a2),
                len(kept),
                kinds["event"],
                kinds["agreement"],
                kinds["operation"],
                kinds["cooperation"],
                *year_span(years),
                frozenset(c for f in kept for c in crimes_of(f)),
            )
        )
    return expected


NETWORK = (
    "agency1",
    "agency2",
    "weight",
    "events",
    "agreements",
    "operations",
    "cooperations",
    "firstYear",
    "lastYear",
    "crimeTypes",
)


def test_network(store: OxigraphStore, built: Built) -> None:
    same(run(store, "network"), _network(built.world), *NETWORK)


def test_network_in_a_year_range(store: OxigraphStore, built: Built) -> None:
    expected = _network(built.world, 2008, 2012)
    assert expected
    same(run(store, "network", **{"from": "2008", "to": "2012"}), expected, *NETWORK)


def test_cooperation_links(store: OxigraphStore, built: Built) -> None:
    world = built.world
    expected = [
        (a1, a2, fact.kind, min(fact.names) if fact.names else None, fact.year, frozenset(crimes_of(fact)))
        for fact in linking(world)
        for a1, a2 in sf.pairs(fact.agencies)
    ]
    rows = run(store, "cooperation-links", lists={"crimeTypes": ","})
    same(rows, expected, "agency1", "agency2", "kind", "name", "firstYear", "crimeTypes")
    assert len({(r["agency1"], r["agency2"], r["kind"], r["fact"]) for r in rows}) == len(rows)


def test_crime_types_by_pair(store: OxigraphStore, built: Built) -> None:
    world = built.world
    cells: dict[tuple, list[sf.Fact]] = defaultdict(list)
    for fact in world.of_kind("agreement", "operation", "cooperation"):
        for a1, a2 in sf.pairs(fact.agencies):
            for crime in fact.crimes:
                cells[a1, a2, crime].append(fact)
    expected = [
        (world.label(a1), world.label(a2), crime, len(facts), *year_span({y for f in facts for y in f.years}))
        for (a1, a2, crime), facts in cells.items()
    ]
    same(
        run(store, "crime-types-by-pair"),
        expected,
        "agency1",
        "agency2",
        "crimeType",
        "facts",
        "firstYear",
        "lastYear",
    )


def test_crime_types(store: OxigraphStore, built: Built) -> None:
    world = built.world
    cells: dict[tuple, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for fact in world.of_kind("agreement", "operation", "cooperation"):
        for agency in fact.agencies:
            for y in fact.years or {None}:
                for crime in fact.crimes:
                    facts, releases = cells[agency, y, crime]
                    facts.add(fact.ident)
                    releases.update(fact.releases)
    expected = [(world.label(a), y, c, len(f), len(r)) for (a, y, c), (f, r) in cells.items()]
    same(
        run(store, "crime-types", counts=("releases",)),
        expected,
        "agencyLabel",
        "year",
        "crimeType",
        "facts",
        "releases",
    )


def test_new_partners(store: OxigraphStore, built: Built) -> None:
    world = built.world
    first: dict[tuple[str, str], int] = {}
    for fact in linking(world):
        for a in fact.agencies:
            for p in fact.agencies - {a}:
                for y in fact.years:
                    first[a, p] = min(first.get((a, p), y), y)
    grouped: dict[tuple[str, int], set[str]] = defaultdict(set)
    for (a, p), y in first.items():
        grouped[a, y].add(p)
    expected = [(y, world.label(a), len(ps), names(world, ps)) for (a, y), ps in grouped.items()]
    same(run(store, "new-partners"), expected, "year", "agencyLabel", "newPartners", "partners")


def test_post_holders(store: OxigraphStore, built: Built) -> None:
    world = built.world
    labels = post_labels(world)
    held: dict[tuple[str, str], list[sf.Membership]] = defaultdict(list)
    for m in world.memberships:
        if m.agency:
            held[m.post, m.person].append(m)
    expected = []
    for (post, person), ms in held.items():
        dates = {m.published for m in ms if m.published}
        expected.append(
            (
                world.label(ms[0].agency),
                min(labels[post]),
                person_name(world, person),
                honorific(world, person),
                min(dates) if dates else None,
                max(dates) if dates else None,
                len({m.release for m in ms}),
            )
        )
    same(
        run(store, "post-holders", counts=("releases",)),
        expected,
        "agencyLabel",
        "postTitle",
        "holder",
        "honorific",
        "firstAttested",
        "lastAttested",
        "releases",
    )


def test_series(store: OxigraphStore, built: Built) -> None:
    world = built.world
    series_names: dict[str, set[str]] = defaultdict(set)
    for fact in world.of_kind("event"):
        if fact.series:
            series_names[fact.series] |= fact.series_names
    expected = [
        (
            min(series_names[f.series]),
            min(f.ordinals),
            fact_name(f),
            min(f.dates, default=None),
            min(f.ends, default=None),
            min(f.places, default=None),
            min(f.statuses),
            names(world, f.participants),
            frozenset(f.releases),
        )
        for f in world.of_kind("event")
        if f.series
    ]
    assert len(expected) >= 20
    same(
        run(store, "series"),
        expected,
        "seriesTitle",
        "ordinal",
        "event",
        "start",
        "end",
        "place",
        "status",
        "participants",
        "releases",
    )


def test_seizures(store: OxigraphStore, built: Built) -> None:
    expected = [
        (
            s.date,
            s.goods,
            s.quantity,
            s.unit,
            s.qualifier,
            s.place,
            frozenset(s.crimes),
            frozenset({s.release}),
        )
        for s in built.world.seizures
    ]
    rows = run(store, "seizures")
    same(rows, expected, "date", "goods", "quantity", "unit", "qualifier", "place", "crimeTypes", "releases")
    crime = Counter(c for s in built.world.seizures for c in s.crimes).most_common(1)[0][0]
    assert len(run(store, "seizures", crime=crime)) == sum(crime in s.crimes for s in built.world.seizures)


def test_seizure_totals(store: OxigraphStore, built: Built) -> None:
    cells: dict[tuple, list[sf.Seizure]] = defaultdict(list)
    for s in built.world.seizures:
        cells[s.goods, s.unit, sf.year(s.date or s.published), s.place].append(s)
    expected = [
        (
            *cell,
            len(found),
            pytest.approx(sum(s.quantity for s in found)),
            frozenset(s.release for s in found),
        )
        for cell, found in cells.items()
    ]
    rows = run(store, "seizure-totals")
    assert sum(r["seizures"] for r in rows) == len(built.world.seizures)
    found = {(r["goodsName"], r["unit"], r["year"], r["place"]): r for r in rows}
    assert len(found) == len(rows) == len(expected)
    for *cell, count, total, releases in expected:
        row = found[tuple(cell)]
        assert (row["seizures"], row["total"], row["releases"]) == (count, total, releases), cell


def test_agreements(store: OxigraphStore, built: Built) -> None:
    world = built.world
    facts = world.of_kind("agreement")
    expected = [
        (
            min(f.dates, default=None),
            min(f.names),
            f.event_kind,
            names(world, f.participants),
            frozenset(f.crimes),
            frozenset(f.releases),
        )
        for f in facts
    ]
    columns = ("date", "agreement", "kind", "parties", "topics", "releases")
    same(run(store, "agreements"), expected, *columns)
    agency = hub(world)
    same(
        run(store, "agreements", agency=world.label(agency)),
        [e for e, f in zip(expected, facts, strict=True) if agency in f.participants],
        *columns,
    )
    kind = Counter(f.event_kind for f in facts).most_common(1)[0][0]
    same(
        run(store, "agreements", kind=kind),
        [e for e, f in zip(expected, facts, strict=True) if f.event_kind == kind],
        *columns,
    )


def _quantity(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _results(world: sf.World, operation: sf.Fact) -> frozenset[str]:
    start = min(operation.dates, default=None)
    found = set()
    for s in world.seizures:
        if s.release not in operation.releases or not s.crimes:
            continue
        if operation.crimes and not (s.crimes & operation.crimes):
            continue
        if s.date and start and s.date[: len(start)] < start[: len(s.date)]:
            continue
        qualifier = f"{s.qualifier} " if s.qualifier else ""
        when = f" ({s.date})" if s.date else ""
        found.add(f"{qualifier}{_quantity(s.quantity)} {s.unit} of {s.goods}{when}")
    return frozenset(found)


def test_operations(store: OxigraphStore, built: Built) -> None:
    world = built.world
    expected = [
        (
            min(f.dates, default=None),
            min(f.ends, default=None),
            min(f.names),
            names(world, f.leaders),
            names(world, f.participants),
            frozenset(f.crimes),
            _results(world, f),
            frozenset(f.releases),
        )
        for f in world.of_kind("operation")
    ]
    assert any(e[6] for e in expected), "no operation has results"
    same(
        run(store, "operations"),
        expected,
        "start",
        "end",
        "operation",
        "ledBy",
        "participants",
        "crimeTypes",
        "results",
        "releases",
    )


def test_event_timeline(store: OxigraphStore, built: Built) -> None:
    world = built.world
    expected = [
        (
            min(f.dates, default=None),
            min(f.ends, default=None),
            fact_name(f),
            event_kind(f),
            min(f.statuses) if f.kind == "event" else None,
            min(f.places, default=None),
            names(world, f.agencies),
            frozenset(f.releases),
        )
        for f in world.of_kind("event", "operation")
    ]
    same(
        run(store, "event-timeline"),
        expected,
        "start",
        "end",
        "event",
        "kind",
        "status",
        "place",
        "participants",
        "releases",
    )


def test_delegation_heads(store: OxigraphStore, built: Built) -> None:
    world = built.world
    expected = [
        (
            min(f.dates, default=None),
            fact_name(f),
            person_agency_label(world, head),
            person_name(world, head),
            honorific(world, head),
            posts_in(world, head, f.releases),
            frozenset(f.releases),
        )
        for f in world.of_kind("event")
        for head in f.heads
    ]
    assert len(expected) >= 100
    same(
        run(store, "delegation-heads"),
        expected,
        "start",
        "eventTitle",
        "agencyLabel",
        "head",
        "honorific",
        "post",
        "releases",
    )


def test_officials_met(store: OxigraphStore, built: Built) -> None:
    world = built.world
    occasions = world.of_kind("event", "agreement")
    met = Counter(p for f in occasions if len(f.heads) > 1 for p in f.heads)
    person = person_name(world, max(sorted(met), key=met.__getitem__))
    me = {p.iri for p in world.people.values() if person.lower() in {n.lower() for n in p.names}}
    expected = [
        (
            min(f.dates, default=None),
            fact_name(f) if f.kind == "event" else min(f.names),
            person_name(world, other),
            honorific(world, other),
            person_agency_label(world, other),
            posts_in(world, other, f.releases),
            frozenset(f.releases),
        )
        for f in occasions
        for other in f.heads
        if (f.heads & me) - {other}
    ]
    assert expected
    same(
        run(store, "officials-met", person=person),
        expected,
        "date",
        "occasion",
        "official",
        "honorific",
        "agencyLabel",
        "post",
        "releases",
    )


def test_linked_through_events(store: OxigraphStore, built: Built) -> None:
    world = built.world
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in world.of_kind("event"):
        for a in fact.participants:
            for b in fact.participants - {a}:
                shared[a, b].add(fact_name(fact))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in shared:
        neighbours[a].add(b)
    expected = [
        (world.label(a), world.label(b), world.label(c), frozenset(shared[a, b]), frozenset(shared[b, c]))
        for a in neighbours
        for b in neighbours[a]
        for c in neighbours[b]
        if c != a and c not in neighbours[a]
    ]
    assert expected
    same(
        run(store, "linked-through-events"),
        expected,
        "agencyLabel",
        "via",
        "reaches",
        "firstHopEvents",
        "secondHopEvents",
    )


def test_evidence(store: OxigraphStore, built: Built) -> None:
    expected = [
        (release, start, end, node["type"], min(node["names"]) if node["names"] else None, quote)
        for node in _evidenced(built).values()
        for release, start, end, quote in node["quotes"]
    ]
    rows = run(store, "evidence", counts=("start", "end"))
    same(rows, expected, "release", "start", "end", "type", "name", "quote")
    for row in rows:
        assert built.texts[row["release"]][row["start"] : row["end"]] == row["quote"]


def test_low_confidence(store: OxigraphStore, built: Built) -> None:
    below = 0.9
    expected = [
        (confidence, node["type"], min(node["labels"]) if node["labels"] else None, release, start, quote)
        for node in _evidenced(built).values()
        for confidence in node["confidence"]
        if confidence < below
        for release, start, quote in {(r, s, q) for r, s, _, q in node["quotes"]}
    ]
    assert expected
    rows = run(store, "low-confidence", counts=("start",), below=str(below))
    same(rows, expected, "confidence", "type", "name", "release", "start", "quote")


def test_evidence_of_attendance(store: OxigraphStore, built: Built) -> None:
    """Exact invariants: each row is a quote of an event the person headed a delegation to, at its
    offsets in its release; every such event has rows; a quote that names the person is kept."""
    world = built.world
    evidence = _evidenced(built)
    heads = Counter(h for f in world.of_kind("event") for h in f.heads)
    person = max(sorted(heads), key=heads.__getitem__)
    name = person_name(world, person)
    events = [f for f in world.of_kind("event") if person in f.heads]
    rows = run(store, "evidence-of-attendance", counts=("start", "end"), person=name)
    quotes = {(fact_name(f), q) for f in events for q in evidence[("event", f.iri)]["quotes"]}
    found = {(r["eventTitle"], (r["release"], int(r["start"]), int(r["end"]), r["quote"])) for r in rows}
    assert found <= quotes
    assert {title for title, _ in found} == {fact_name(f) for f in events}
    for title, (release, start, end, quote) in quotes:
        if name in quote:
            assert (title, (release, start, end, quote)) in found
    for _, (release, start, end, quote) in found:
        assert built.texts[release][start:end] == quote


def test_mentions(store: OxigraphStore, built: Built) -> None:
    world = built.world
    agency = world.agencies[hub(world)]
    evidence = _evidenced(built)
    pointing = defaultdict(set)  # release -> the evidenced facts of that release that point to the agency
    for fact in world.facts.values():
        if agency.iri in fact.agencies | fact.organizers:
            ident = ("event", fact.iri) if fact.kind == "event" else fact.ident
            for release in {q[0] for q in evidence[ident]["quotes"]}:
                pointing[release].add(ident)
    for ident in evidence:
        if ident[0] == "resolution" and str(sf.agency_iri(ident[2])) == agency.iri:
            pointing[ident[1]].add(ident)
    memberships = {
        ("membership", m.person, m.post, m.published) for m in world.memberships if m.agency == agency.iri
    }
    for ident in memberships:
        for release in {q[0] for q in evidence[ident]["quotes"]}:
            pointing[release].add(ident)
    expected = [
        (
            rid,
            world.releases[rid]["published"],
            world.releases[rid]["title"],
            agency.label,
            len(pointing[rid]),
            agency.iri,
        )
        for rid in agency.releases | set(pointing)
    ]
    same(
        run(store, "mentions", entity=agency.label),
        expected,
        "release",
        "issued",
        "title",
        "entityLabel",
        "facts",
        "iri",
    )


def test_every_named_query_is_checked() -> None:
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    tested |= {"partners"}  # test_partners_of_one_agency
    assert set(named.named_queries()) <= tested


# --- the export views --------------------------------------------------------------------------


def exported(graph: nx.Graph) -> tuple[list[dict], list[dict]]:
    """The node and edge rows of the CSV export of a view, read back."""
    nodes, edges = export.to_csv(graph)
    return (
        list(csv.DictReader(io.StringIO(nodes.decode("utf-8")))),
        list(csv.DictReader(io.StringIO(edges.decode("utf-8")))),
    )


@pytest.fixture(scope="module")
def golds(built: Built) -> list[dict]:
    """The facts of each release in the shape of the gold files (tests/views/gold_views.py)."""
    return list(built.world.releases.values())


@pytest.mark.parametrize("view", list(catalog.VIEWS))
def test_export_has_no_duplicate_nodes_or_edges(store: OxigraphStore, view: str) -> None:
    graph = catalog.build(store, view)
    nodes, edges = exported(graph)
    assert nodes and edges
    assert len({n["id"] for n in nodes}) == len(nodes) == graph.number_of_nodes()
    ends = Counter((e["source"], e["target"], e.get("relation", "")) for e in edges)
    assert ends and max(ends.values()) == 1, ends.most_common(3)
    if not graph.is_directed():
        assert len({frozenset((e["source"], e["target"])) for e in edges}) == len(edges)
    assert len(edges) == graph.number_of_edges()


def _edges(graph: nx.Graph) -> dict[tuple[str, str], dict]:
    return {tuple(sorted((s, t))): d for s, t, d in graph.edges(data=True)}


def test_agencies_export(store: OxigraphStore, golds: list[dict], built: Built) -> None:
    graph = catalog.build(store, "agencies")
    expected = gold_views.agency_edges(golds)
    assert set(graph.nodes) == gold_views.agencies(golds)
    found = {
        pair: {k: d[f"{k}s"] for k in ("event", "agreement", "operation", "cooperation") if d[f"{k}s"]}
        for pair, d in _edges(graph).items()
    }
    assert found == {pair: dict(counts) for pair, counts in expected.items()}
    assert all(d["weight"] == sum(expected[pair].values()) for pair, d in _edges(graph).items())
    network = {(r[0], r[1]): r[2] for r in _network(built.world)}
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert {tuple(sorted((labels[a], labels[b]))): d["weight"] for (a, b), d in _edges(graph).items()} == {
        tuple(sorted(pair)): weight for pair, weight in network.items()
    }


def test_agency_crime_export(store: OxigraphStore, golds: list[dict]) -> None:
    graph = catalog.build(store, "agency-crime")
    found = {}
    for source, target, data in graph.edges(data=True):
        agency, crime = (source, target) if graph.nodes[source]["bipartite"] == 0 else (target, source)
        counts = {k: data.get(f"{k}s", 0) for k in ("agreement", "operation", "release")}
        found[agency, crime] = {k: n for k, n in counts.items() if n}
        assert data["weight"] == sum(counts.values())
    assert found == {edge: dict(counts) for edge, counts in gold_views.agency_crime_edges(golds).items()}


def test_people_export(store: OxigraphStore, golds: list[dict]) -> None:
    graph = catalog.build(store, "people")
    found = {pair: {d["relation"]: d["weight"]} for pair, d in _edges(graph).items()}
    assert found == {pair: dict(counts) for pair, counts in gold_views.people_edges(golds).items()}


def test_operations_export(store: OxigraphStore, golds: list[dict], built: Built) -> None:
    graph = catalog.build(store, "operations")
    found, seizures = set(), Counter()
    for source, target, data in graph.edges(data=True):
        a, b = (
            (source, target) if graph.nodes[source]["type"] in ("operation", "seizure") else (target, source)
        )
        if graph.nodes[a]["type"] == "operation" and data["relation"] != "result":
            found.add((graph.nodes[a]["label"], b, data["relation"]))
        elif graph.nodes[a]["type"] == "seizure" and data["relation"] == "crime-type":
            seizures[graph.nodes[a]["goods"], b] += 1
    assert found == gold_views.operation_edges(golds)
    assert seizures == gold_views.seizure_crimes(golds)
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    assert types["operation"] == len(built.world.of_kind("operation"))
    assert types["seizure"] == len(built.world.seizures)


def test_entities_export(store: OxigraphStore, built: Built) -> None:
    world = built.world
    graph = catalog.build(store, "entities")
    events, operations = world.of_kind("event"), world.of_kind("operation")
    agreements, cooperations = world.of_kind("agreement"), world.of_kind("cooperation")
    series: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.series:
            series[event.series] |= event.participants
    memberships = {(m.person, m.post, m.published): m for m in world.memberships}
    posts = {m.post: m.agency for m in world.memberships}
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    assert types == Counter(
        {
            "agency": len(world.agencies),
            "person": len(world.people),
            "event": len(events),
            "agreement": len(agreements),
            "operation": len(operations),
            "cooperation": len(cooperations),
            "seizure": len(world.seizures),
            "series": len(series),
            "membership": len(memberships),
            "post": len(posts),
            "place": types["place"],
            "crime-type": types["crime-type"],
        }
    )
    pairs = {f.ident[2:] for f in cooperations}
    relations = Counter(
        (graph.nodes[s]["type"], d["relation"], graph.nodes[t]["type"]) for s, t, d in graph.edges(data=True)
    )
    expected = {
        ("cooperation", "cckg:partner", "agency"): 2 * len(cooperations),
        ("agency", "cckg:cooperatesWith", "agency"): 2 * len(pairs),
        ("event", "cckg:participant", "agency"): sum(len(f.participants) for f in events),
        ("event", "schema:organizer", "agency"): sum(len(f.organizers) for f in events),
        ("event", "cckg:delegationHead", "person"): sum(len(f.heads) for f in events),
        ("event", "schema:superEvent", "series"): sum(bool(f.series) for f in events),
        ("series", "cckg:participant", "agency"): sum(map(len, series.values())),
        ("agreement", "cckg:party", "agency"): sum(len(f.participants) for f in agreements),
        ("agreement", "cckg:signatory", "person"): sum(len(f.heads) for f in agreements),
        ("agreement", "dcterms:subject", "crime-type"): sum(len(f.crimes) for f in agreements),
        ("operation", "cckg:ledBy", "agency"): sum(len(f.leaders) for f in operations),
        ("operation", "cckg:participant", "agency"): sum(len(f.participants) for f in operations),
        ("operation", "dcterms:subject", "crime-type"): sum(len(f.crimes) for f in operations),
        ("seizure", "dcterms:subject", "crime-type"): sum(len(s.crimes) for s in world.seizures),
        ("membership", "org:member", "person"): len(memberships),
        ("membership", "cckg:post", "post"): len(memberships),
        ("membership", "org:organization", "agency"): sum(bool(m.agency) for m in memberships.values()),
        ("person", "org:memberOf", "agency"): sum(len(p.agencies) for p in world.people.values()),
        ("person", "org:holds", "post"): len({(m.person, m.post) for m in world.memberships}),
        ("post", "org:postIn", "agency"): sum(bool(a) for a in posts.values()),
    }
    assert {edge: relations[edge] for edge in expected} == expected
    cooperating = {
        tuple(sorted((s, t))) for s, t, d in graph.edges(data=True) if d["relation"] == "cckg:cooperatesWith"
    }
    assert cooperating == pairs


def test_views_with_filters(store: OxigraphStore, golds: list[dict]) -> None:
    graph = catalog.build(store, "agencies", Filters(start=2008, end=2012))
    expected = gold_views.agency_edges(golds, start=2008, end=2012)
    assert expected and {pair: d["weight"] for pair, d in _edges(graph).items()} == {
        pair: sum(counts.values()) for pair, counts in expected.items()
    }
