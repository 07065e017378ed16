"""The release generator: determinism, the shape of its gold facts, a consistent world, variety."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SKOS

from cckg import synth
from cckg.synth.release import GeneratedRelease

REPO = Path(__file__).resolve().parents[2]
AGENCY_KINDS = {"customs", "police", "anti-corruption", "intergovernmental", "ministry", "other"}
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
SEED = 11
TOP_KEYS = {"id", "source", "url", "title", "published", "agencies", "officials", "events", "agreements",
            "operations", "seizures", "crime_types", "cooperation"}  # fmt: skip


@cache
def corpus(n: int = 2000, seed: int = SEED) -> tuple[GeneratedRelease, ...]:
    return tuple(synth.generate(n, seed))


@cache
def crime_slugs() -> set[str]:
    graph = rdflib.Graph().parse(REPO / "ontology" / "crime-types.ttl", format="turtle")
    return {str(n) for c, n in graph.subject_objects(SKOS.notation) if "/crime-type/" in str(c)}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- determinism --------------------------------------------------------------------------------


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    synth.write(tmp_path / "a", 40, seed=3)
    synth.write(tmp_path / "b", 40, seed=3)
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert len(first) == 80 and first == second


def test_another_seed_writes_other_releases() -> None:
    one = [r.text for r in synth.generate(40, seed=3)]
    other = [r.text for r in synth.generate(40, seed=4)]
    assert sum(a != b for a, b in zip(one, other, strict=True)) >= 38


def test_release_i_depends_on_the_seed_and_i_only() -> None:
    run = list(synth.generate(300, seed=5))
    assert next(synth.generate(1, seed=5, start=7)) == run[7]
    assert list(synth.generate(10, seed=5))[7] == run[7]
    assert list(synth.generate(5, seed=5, start=295)) == run[295:]
    far = next(synth.generate(1, seed=5, start=99_999))
    assert far.id == "synth-0099999" and far == next(synth.generate(1, seed=5, start=99_999))


def test_the_year_range_bounds_the_dates() -> None:
    releases = list(synth.generate(200, seed=6, start_year=2010, end_year=2012))
    assert {r.gold["published"][:4] for r in releases} <= {"2010", "2011", "2012"}
    with pytest.raises(ValueError, match="after"):
        synth.world(6, 2013, 2012)
    with pytest.raises(ValueError, match="between 1900 and 2098"):
        synth.world(6, 2013, 2099)


# --- the gold facts ----------------------------------------------------------------------------


def agency_names_used(gold: dict) -> set[str]:
    names = {o["agency"] for o in gold["officials"] if o["agency"]}
    for event in gold["events"]:
        names |= {*event["participants"], *event["organizers"]}
    for agreement in gold["agreements"]:
        names |= set(agreement["parties"])
    for operation in gold["operations"]:
        names |= {*operation["led_by"], *operation["participants"]}
    return names | {name for pair in gold["cooperation"] for name in pair}


@pytest.mark.parametrize("release", corpus(300), ids=lambda r: r.id)
def test_the_gold_has_the_release_json_shape(release: GeneratedRelease) -> None:
    gold = release.gold
    assert set(gold) >= TOP_KEYS and gold["id"] == release.id
    assert gold["source"] == f"releases/{release.id}.txt" and gold["title"] == release.text.split("\n")[0]
    assert ISO_DATE.match(gold["published"])
    agencies = {a["name"] for a in gold["agencies"]}
    assert agency_names_used(gold) <= agencies
    for agency in gold["agencies"]:
        assert agency["kind"] in AGENCY_KINDS
        assert agency["country"] is None or re.fullmatch(r"[A-Z]{2}", agency["country"])
    people = {o["name"] for o in gold["officials"]}
    for event in gold["events"]:
        assert event["kind"] in {"conference", "meeting", "visit", "signing", "forum", "workshop", "other"}
        assert all(ISO_DATE.match(d) for d in (event["start"], event["end"]) if d)
        assert set(event["delegation_heads"]) <= people and len(event["participants"]) >= 2
    for agreement in gold["agreements"]:
        assert ISO_DATE.match(agreement["date"]) and set(agreement["signatories"]) <= people
        assert set(agreement["topics"]) <= crime_slugs()
    for operation in gold["operations"]:
        assert ISO_DATE.match(operation["start"]) and set(operation["crime_types"]) <= crime_slugs()
    for seizure in gold["seizures"]:
        assert seizure["quantity"] > 0 and seizure["unit"] in {"kg", "t", "l", "items", "sticks"}
        assert seizure["qualifier"] in (None, "over", "about") and ISO_DATE.match(seizure["date"])
        assert set(seizure["crime_types"]) <= crime_slugs()
    assert set(gold["crime_types"]) <= crime_slugs()
    assert all(len(pair) == 2 and pair[0] != pair[1] for pair in gold["cooperation"])


def test_every_release_names_what_its_gold_says() -> None:
    for release in corpus(300):
        text = release.text
        for agency in release.gold["agencies"]:
            assert any(n in text for n in (agency["name"], *agency["acronyms"], *agency["aliases"])), agency
        for official in release.gold["officials"]:
            assert official["name"] in text and (official["title"] is None or official["title"] in text)


def test_the_written_files_hold_the_gold(tmp_path: Path) -> None:
    report = synth.write(tmp_path, 12, seed=2, first=100)
    assert report.releases == 12 and sum(report.genres.values()) == 12
    made = list(synth.generate(12, seed=2, start=100))
    for release in made:
        text = (tmp_path / "releases" / f"{release.id}.txt").read_text(encoding="utf-8")
        gold = json.loads((tmp_path / "gold" / f"{release.id}.json").read_text(encoding="utf-8"))
        assert text == release.text and gold == release.gold


# --- a consistent world ------------------------------------------------------------------------


def test_officials_move_up_their_ladder_as_the_years_pass() -> None:
    world = synth.world(SEED)
    seen: dict[str, list[tuple[str, str, int]]] = defaultdict(list)  # person -> (date, agency, rank)
    for release in corpus():
        keys = {a["name"]: a["key"] for a in release.gold["agencies"]}
        for official in release.gold["officials"]:
            key = keys[official["agency"]]
            posts = [post.split(" of ")[0] for post in world.agencies[key].ladder]
            rank = posts.index(official["post"])
            year = int(release.gold["published"][:4])
            assert world.holder(key, rank, year).person.name == official["name"]
            seen[official["name"]].append((release.gold["published"], key, rank))
    moved = 0
    for observations in seen.values():
        observations.sort()
        agencies = [key for _, key, _ in observations]
        assert agencies == sorted(agencies, key=agencies.index), observations  # no going back
        for (_, a, rank), (_, b, later) in pairwise(observations):
            assert a != b or later <= rank, observations  # the top post is rank 0
        moved += len({(key, rank) for _, key, rank in observations}) > 1
    assert moved >= 20


def test_some_heads_go_on_to_lead_an_intergovernmental_body() -> None:
    careers = synth.world(SEED).careers()
    kinds = synth.world(SEED).agencies
    movers = [terms for terms in careers.values() if len({t.agency for t in terms}) > 1]
    assert movers
    for terms in movers:
        assert kinds[terms[-1].agency].kind == "intergovernmental" and terms[-2].rank == 0
        assert all(a.end < b.start for a, b in pairwise(terms))


def test_series_ordinals_grow_by_one_a_year() -> None:
    by_series: dict[tuple, set[tuple[int, int]]] = defaultdict(set)
    for release in corpus():
        for event in release.gold["events"]:
            if event["ordinal"]:
                key = (event["series"], tuple(sorted(event["participants"])))
                by_series[key].add((int(event["start"][:4]), event["ordinal"]))
    repeated = 0
    for seen in by_series.values():
        assert len({ordinal - year for year, ordinal in seen}) == 1, seen
        repeated += len(seen) > 1
    assert repeated >= 10


def test_releases_about_one_conference_agree_on_it() -> None:
    """Two releases about the 26th conference of a series give it the same dates, place and
    agreement: they are facts of the world, not of the release."""
    events: dict[tuple, tuple] = {}
    agreements: dict[tuple, tuple] = {}
    repeated = 0
    for release in corpus():
        for event in release.gold["events"]:
            if not event["ordinal"] or event["status"] != "held":
                continue
            key = (event["series"], tuple(sorted(event["participants"])), event["ordinal"])
            facts = (event["start"], event["end"], event["city"], event["country"])
            repeated += key in events
            assert events.setdefault(key, facts) == facts, key
            for agreement in release.gold["agreements"]:
                signed = (agreement["kind"], agreement["name"], tuple(sorted(agreement["topics"])))
                assert agreements.setdefault((*key, agreement["date"]), signed) == signed, key
    assert repeated >= 5


# --- variety -----------------------------------------------------------------------------------


def test_300_releases_use_every_genre_and_most_templates() -> None:
    releases = corpus(300)
    genres = {r.genre for r in releases}
    templates = {r.template for r in releases}
    assert len(genres) == 6
    assert len(templates) >= 18
    assert len({r.gold["agencies"][0]["key"] for r in releases}) >= 150
    kinds = {a["kind"] for r in releases for a in r.gold["agencies"]}
    assert {"customs", "police", "anti-corruption", "intergovernmental"} <= kinds
