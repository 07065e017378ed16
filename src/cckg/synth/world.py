"""The world the generated releases describe, a function of the seed and the year range only.

- Officials: every agency has a post ladder (Commissioner, Deputy Commissioner, Assistant
  Commissioner); its history is cut into terms of three to six years, and in each term the
  person one rung lower moves up: the Assistant Commissioner of 2005-2009 is the Deputy of
  2010-2013 and the Commissioner of 2014-2018.  Some heads of national agencies go on to lead an
  intergovernmental body.
- Conference series: fixed pairs of agencies meet once a year, so the ordinal of a series grows
  by one a year ("the 26th Customs Cooperation Conference"), the host alternating.
- Partnerships: fixed pairs of agencies that visit each other, sign agreements and work together.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate

from cckg.synth.data import AgencyRecord, SynthData, synth_data


def rng_for(*parts: object) -> random.Random:
    """A random generator that depends on ``parts`` only (strings seed through SHA-512)."""
    return random.Random(":".join(map(str, parts)))


@dataclass(frozen=True)
class Person:
    name: str
    short: str  # the name after the first mention: "Kim" in "Mr Kim"
    honorific: str
    gender: str


@dataclass(frozen=True)
class Term:
    person: Person
    agency: str
    rank: int  # 0 is the top post
    start: int  # first year
    end: int  # last year


@dataclass(frozen=True)
class Series:
    """A yearly bilateral meeting of two agencies, numbered from its first year."""

    key: int
    name: str
    kind: str
    first: str  # agency keys
    second: str
    first_year: int
    month: int
    slugs: tuple[str, ...] = ()  # crime types the name names

    def ordinal(self, year: int) -> int:
        return year - self.first_year + 1

    def host(self, year: int) -> str:
        return self.first if (year - self.first_year) % 2 == 0 else self.second


@dataclass
class World:
    seed: str
    start_year: int
    end_year: int
    data: SynthData
    terms: dict[tuple[str, int], list[Term]] = field(default_factory=dict)  # (agency, rank) -> terms
    series: list[Series] = field(default_factory=list)
    partners: list[tuple[str, str]] = field(default_factory=list)

    _index: dict[object, list] = field(default_factory=dict, repr=False)  # type: ignore[type-arg]

    @property
    def agencies(self) -> dict[str, AgencyRecord]:
        return self.data.agencies

    def regions_of(self, key: str) -> tuple[str, ...]:
        """The name regions of an agency's country: the part of the world it belongs to."""
        country = self.agencies[key].country
        if country is None:
            return ()
        return self.data.region_of_country.get(country, (self.data.default_region,))

    def neighbours(self, key: str, keys: list[str], weight: float = 4.0) -> list[float]:
        """Cumulative weights over ``keys``: hubs, and agencies of ``key``'s part of the world, count more."""
        cached = self._index.get(("neighbours", key, id(keys)))
        if cached is not None:
            return cached
        hubs = self.data.world["hubs"]
        home = set(self.regions_of(key))
        found = list(
            accumulate(
                float(hubs.get(k, 1)) * (weight if home & set(self.regions_of(k)) else 1.0) for k in keys
            )
        )
        self._index[("neighbours", key, id(keys))] = found
        return found

    def keys_of(self, kind: str, role: str | None = None) -> list[str]:
        """Agencies of a kind (with a country, or with ``role`` for intergovernmental bodies)."""
        found = self._index.get((kind, role))
        if found is None:
            found = sorted(
                k
                for k, r in self.agencies.items()
                if r.kind == kind and (r.country if role is None else role in r.roles)
            )
            self._index[(kind, role)] = found
        return found

    def hosts(self) -> tuple[list[str], list[float]]:
        """Who hosts multilateral meetings, with cumulative weights (hubs host more often)."""
        found = self._index.get("hosts")
        if found is None:
            keys = sorted(
                k for k, r in self.agencies.items() if r.kind != "intergovernmental" or "host" in r.roles
            )
            hubs = self.data.world["hubs"]
            weights = list(accumulate(float(hubs.get(k, 1)) for k in keys))
            found = [keys, weights]
            self._index["hosts"] = found
        return found[0], found[1]

    def partners_of(self, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        found = self._index.get(kinds)
        if found is None:
            found = [p for p in self.partners if self.agencies[p[0]].kind in kinds]
            self._index[kinds] = found
        return found

    def holder(self, agency: str, rank: int, year: int) -> Term:
        """Who holds post ``rank`` of ``agency`` in ``year``."""
        terms = self.terms[(agency, rank)]
        i = bisect_right(terms, year, key=lambda t: t.start) - 1
        return terms[max(i, 0)]

    def series_date(self, series: Series, year: int) -> date:
        day = rng_for(self.seed, "series-day", series.key, year).randint(1, 28)
        return date(year, series.month, day)

    def careers(self) -> dict[str, list[Term]]:
        """Every person's terms, earliest first (what the post-holder queries should find)."""
        found: dict[str, list[Term]] = {}
        for terms in self.terms.values():
            for term in terms:
                found.setdefault(term.person.name, []).append(term)
        return {name: sorted(terms, key=lambda t: t.start) for name, terms in found.items()}


class _NameDrawer:
    """Unique full names drawn from the regional pools."""

    def __init__(self, data: SynthData, rng: random.Random) -> None:
        self.data, self.rng, self.used = data, rng, set[str]()

    def region_for(self, agency: AgencyRecord) -> str:
        if agency.country is None:
            return self.rng.choice(sorted(self.data.regions))
        regions = self.data.region_of_country.get(agency.country, (self.data.default_region,))
        return regions[0] if len(regions) == 1 else self.rng.choice(regions)

    def draw(self, region_key: str) -> Person:
        region = self.data.regions[region_key]
        for _ in range(200):
            gender = "f" if self.rng.random() < 0.3 else "m"
            given = self.rng.choice(region.given[gender])
            family = self.rng.choice(region.family)
            values = {"given": given, "family": family, "father": family, "link": region.link.get(gender, "")}
            name = region.full.format(**values)
            if name not in self.used:
                self.used.add(name)
                honorific = "Dr" if self.rng.random() < 0.08 else ("Mr" if gender == "m" else "Ms")
                return Person(name, region.short.format(**values), honorific, gender)
        raise RuntimeError(f"the name pool of region {region_key} is too small for this world")


def _periods(rng: random.Random, start: int, end: int) -> list[tuple[int, int]]:
    """Terms of three to six years covering ``start - 12`` to ``end``."""
    year = start - 12 + rng.randint(0, 4)
    periods = []
    while year <= end:
        length = rng.randint(3, 6)
        periods.append((year, year + length - 1))
        year += length
    return periods


def _agency_terms(world: World, agency: AgencyRecord, names: _NameDrawer, rng: random.Random) -> None:
    """Person k holds the lowest post in term k and moves up one rung a term."""
    periods = _periods(rng, world.start_year, world.end_year)
    ranks = len(agency.ladder)
    people = [names.draw(names.region_for(agency)) for _ in range(len(periods) + ranks - 1)]
    for rank in range(ranks):
        lowest = ranks - 1
        world.terms[(agency.key, rank)] = [
            Term(people[k + lowest - rank], agency.key, rank, first, last)
            for k, (first, last) in enumerate(periods)
        ]


def _move_heads(world: World, rng: random.Random) -> None:
    """Give some intergovernmental top posts to heads of national agencies whose term just ended."""
    national = [t for (key, rank), terms in world.terms.items() if rank == 0 for t in terms]
    national = [t for t in national if world.agencies[t.agency].kind != "intergovernmental"]
    moved: set[str] = set()
    for agency in world.agencies.values():
        if agency.kind != "intergovernmental":
            continue
        terms = world.terms[(agency.key, 0)]
        for i, term in enumerate(terms):
            ended = [
                t
                for t in national
                if term.start - 2 <= t.end + 1 <= term.start and t.person.name not in moved
            ]
            if ended and rng.random() < 0.5:
                pick = rng.choice(sorted(ended, key=lambda t: t.person.name))
                moved.add(pick.person.name)
                terms[i] = Term(pick.person, agency.key, 0, term.start, term.end)


def _pairs_of_kind(world: World, rng: random.Random, kind: str, count: int) -> list[tuple[str, str]]:
    """``count`` pairs of agencies of one kind in different countries, hubs drawn more often."""
    keys = sorted(k for k, a in world.agencies.items() if a.kind == kind and a.country)
    hubs = world.data.world["hubs"]
    weights = [float(hubs.get(k, 1)) for k in keys]
    pairs: set[tuple[str, str]] = set()
    for _ in range(count * 20):
        if len(pairs) >= count:
            break
        a = rng.choices(keys, weights)[0]
        b = rng.choices(keys, cum_weights=world.neighbours(a, keys))[0]
        if world.agencies[a].country != world.agencies[b].country:
            pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _build_series(world: World, rng: random.Random) -> None:
    spec = world.data.world["series"]
    taken: set[tuple[str, str]] = set()
    for kind, count in spec["count_by_kind"].items():
        for a, b in _pairs_of_kind(world, rng, kind, int(count)):
            if (a, b) in taken:
                continue
            taken.add((a, b))
            first, second = (a, b) if rng.random() < 0.5 else (b, a)
            entry = rng.choice(spec["names"][kind])
            world.series.append(
                Series(
                    key=len(world.series),
                    name=str(entry["name"]),
                    kind=str(entry["kind"]),
                    first=first,
                    second=second,
                    first_year=world.start_year - rng.randint(-8, 30),
                    month=rng.randint(1, 12),
                    slugs=tuple(entry.get("slugs") or ()),
                )
            )


@cache
def build_world(seed: str, start_year: int, end_year: int) -> World:
    data = synth_data()
    world = World(seed=seed, start_year=start_year, end_year=end_year, data=data)
    names = _NameDrawer(data, rng_for(seed, "names"))
    for key in sorted(data.agencies):
        _agency_terms(world, data.agencies[key], names, rng_for(seed, "terms", key))
    _move_heads(world, rng_for(seed, "moves"))
    _build_series(world, rng_for(seed, "series"))
    partners = data.world["partners"]["count_by_kind"]
    rng = rng_for(seed, "partners")
    for kind in sorted(partners):
        world.partners += _pairs_of_kind(world, rng, kind, int(partners[kind]))
    return world
