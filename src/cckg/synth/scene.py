"""One release being written: its world, random draws, options and the views its slots hold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from cckg.model import Event, Seizure
from cckg.synth.text import MONTHS, decimal, join, month_day, number_words, with_commas
from cckg.synth.views import AgencyView, FactView, Mentions, PersonView, Phrase
from cckg.synth.world import Person, Term, World

CITY_STATES = ("Hong Kong", "Macao", "Singapore")


_LEAD_REACH = 48  # the longest first name of "led by A and B" that still lets B be seen


def _ref_length(agency: AgencyView) -> int:
    return len(agency.record.acronym or agency.record.name)


@cache
def _commission_words(post: str) -> str | None:
    """ "Deputy Commission" for "Deputy Commissioner of ...", None for "Commissioner"."""
    words = post.split()
    for i, word in enumerate(words[1:], 1):
        if word.startswith("Commission"):
            return f"{words[i - 1]} Commission"
    return None


@dataclass(frozen=True)
class Place:
    city: str | None
    country: str
    text: str  # "Seoul, Korea", "Hong Kong", "the Netherlands"


@dataclass
class Draft:
    """What a genre builds: the publication date and the slots its templates fill."""

    published: date
    slots: dict[str, Any]
    dateline: str | None = None  # the publisher's city, for a dateline layout


@dataclass
class Scene:
    world: World
    rng: random.Random
    options: set[str]
    mentions: Mentions = field(default_factory=Mentions)
    people: list[Person] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)

    def on(self, option: str) -> bool:
        return option in self.options

    def agency(self, key: str) -> AgencyView:
        return AgencyView(self.mentions, self.world.agencies[key])

    def official(self, agency: AgencyView, rank: int, year: int) -> PersonView:
        """The holder of post ``rank`` in ``year``; another rank when that post would repeat a
        "Deputy Commissioner" already in the release (the extractor reads a repeated "<Word>
        Commission..." as an agency of that name)."""
        ladder = self.world.agencies[agency.key].ladder
        if self.terms:
            agencies = self.world.agencies
            taken = {_commission_words(agencies[t.agency].ladder[t.rank]) for t in self.terms} - {None}
            for candidate in (rank, *range(len(ladder))):
                if _commission_words(ladder[candidate]) not in taken:
                    rank = candidate
                    break
        return self.person(self.world.holder(agency.key, rank, year), agency)

    def person(self, term: Term, agency: AgencyView) -> PersonView:
        self.people.append(term.person)
        self.terms.append(term)
        post = self.world.agencies[term.agency].ladder[term.rank]
        return PersonView(self.mentions, term, agency, post, self.people)

    def pick(self, items: list[Any] | tuple[Any, ...]) -> Any:
        return items[self.rng.randrange(len(items))]

    def day_in(self, year: int, days_left: int = 0) -> date:
        """A day of ``year`` that leaves ``days_left`` more days in the year (a date range that runs
        into the next year would take the release's year for both ends)."""
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365 - days_left))

    def year(self) -> int:
        return self.rng.randint(self.world.start_year, self.world.end_year)

    # --- order ----------------------------------------------------------------------------

    def joinable(self, first: AgencyView, then: AgencyView) -> bool:
        """Whether "A and B" reads as two agencies: not when A ends in a place written bare and
        B starts with one ("... of the Slovak Republic and the Cyprus Department of Customs"),
        which the extractor reads as one compound mention ("Slovak Republic and Cyprus
        Departments")."""
        return not (first.record.ends_in_place and then.record.starts_with_place)

    def pair(self, a: AgencyView, b: AgencyView) -> tuple[AgencyView, AgencyView]:
        return (b, a) if not self.joinable(a, b) and self.joinable(b, a) else (a, b)

    def leaders(self, a: AgencyView, b: AgencyView) -> list[AgencyView] | None:
        """Two agencies after "led by": the shorter first, as the extractor looks for the second
        within sixty characters of "led by"; None when no order reads right."""
        short, long = sorted((a, b), key=_ref_length)
        for order in ([short, long], [long, short]):
            if _ref_length(order[0]) <= _LEAD_REACH and self.joinable(*order):
                return order
        return None

    def listed(self, views: list[AgencyView]) -> list[AgencyView]:
        """The agencies in an order whose last "and" joins two of them safely."""
        for i in range(len(views) - 1, -1, -1):
            for j in range(len(views)):
                rest = [v for k, v in enumerate(views) if k not in (i, j)]
                if i != j and self.joinable(views[j], views[i]):
                    return [*rest, views[j], views[i]]
        return views

    # --- places ---------------------------------------------------------------------------

    def place_of(self, key: str) -> Place | None:
        """Where an agency holds an event or makes a seizure: its seat or a city of its country."""
        record = self.world.agencies[key]
        if record.seat:
            return self.place_at(record.seat[0], record.seat[1])
        if record.country is None or record.country not in self.world.data.countries:
            return None
        cities = self.world.data.countries[record.country][1]
        if not cities:
            return self.place_at(None, record.country)
        return self.place_at(cities[0] if self.rng.random() < 0.6 else self.pick(cities), record.country)

    def place_at(self, city: str | None, code: str) -> Place:
        country = self.world.data.countries[code][0]
        if country in self.world.data.country_articles:
            country = f"the {country}"
        if city is None:
            return Place(None, code, country)
        if city in CITY_STATES:
            return Place(city, code, city)
        return Place(city, code, f"{city}, {country.removeprefix('the ')}")

    # --- words ------------------------------------------------------------------------------

    def topics(self, kind: str, count: int, pool_name: str = "topics") -> Phrase:
        """``count`` areas of enforcement of a kind of agency, written as one list."""
        pool = self.world.data.world[pool_name][kind]
        chosen = self.rng.sample(range(len(pool)), min(count, len(pool)))
        items = [pool[i] for i in sorted(chosen)]
        slugs = [s for item in items for s in item["slugs"]]
        return Phrase(self.mentions, join([item["text"] for item in items]), slugs)

    def when(self, first: date, last: date | None, published: date) -> str:
        """The date of an event as the release gives it."""
        if last is not None and last != first:
            return (
                f"between {month_day(first)} and {last.day if last.month == first.month else month_day(last)}"
            )
        if first == published:
            return f"today ({month_day(first)})"
        if first == published - timedelta(days=1):
            return f"yesterday ({month_day(first)})"
        return f"on {month_day(first)}"

    def seizure(
        self, goods: dict[str, Any], day: date | None, month_only: bool, place: Place | None
    ) -> FactView:
        quantity, unit, amount = self._amount(goods)
        qualifier, written = self._qualifier()
        fact = Seizure(
            goods=str(goods["goods"]),
            quantity=quantity,
            unit=unit,
            qualifier=qualifier,
            date=(day.isoformat()[:7] if month_only else day.isoformat()) if day else None,
            city=place.city if place else None,
            country=place.country if place else None,
            crime_types=list(goods["slugs"]),
        )
        words = {
            "amount": f"{written}{amount}",
            "when": (f"in {MONTHS[day.month - 1]}" if month_only else f"on {month_day(day)}") if day else "",
            "where": f"in {place.text}" if place else "",
            "goods": fact.goods,
        }
        return FactView(self.mentions, fact, words, tuple(goods["slugs"]))

    def _qualifier(self) -> tuple[str | None, str]:
        roll = self.rng.random()
        if roll < 0.55:
            return None, ""
        words = self.world.data.qualifiers
        written = self.pick(sorted(words))
        return words[written], f"{written} "

    def _amount(self, goods: dict[str, Any]) -> tuple[float, str, str]:
        """A quantity of goods as written ("about 120 kilograms of heroin", "38 rhino horns")."""
        low, high = goods["range"]
        measure, name = goods["measure"], goods["goods"]
        if measure in ("weight", "tonnes"):
            value = round(self.rng.uniform(low, high), 1 if high < 100 else 0)
            unit, word = ("t", "tonnes") if measure == "tonnes" else ("kg", self.pick(["kilograms", "kg"]))
            return value, unit, f"{decimal(value)} {word} of {name}"
        if measure == "volume":
            value = round(self.rng.uniform(low, high), -1)
            return value, "l", f"{with_commas(int(value))} litres of {name}"
        count = self._count(int(low), int(high))
        unit = "sticks" if measure == "sticks" else "items"
        written = self._count_words(count)
        return (
            float(count),
            unit,
            f"{written} sticks of {name}" if measure == "sticks" else f"{written} {name}",
        )

    def _count(self, low: int, high: int) -> int:
        value = int(10 ** self.rng.uniform(len(str(low)) - 1, len(str(high)) - 1 + 0.99))
        value = max(low, min(high, value))
        if value >= 1_000_000 and self.rng.random() < 0.6:
            return round(value, -5)
        return value if value < 1000 else round(value, -1)

    def _count_words(self, count: int) -> str:
        spelled = number_words(count)
        if spelled and self.rng.random() < 0.5:
            return spelled
        if count >= 1_000_000 and count % 100_000 == 0:
            return f"{decimal(count / 1_000_000)} million"
        return with_commas(count)

    def event(self, **fields: Any) -> Event:
        return Event(**fields)
