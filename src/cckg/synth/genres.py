"""The genres of release: each builds the facts of one release and the slots its templates fill.

Slots (see data/synth/templates/README.md): agencies ``a``, ``b``, ``host``, ``guests``; officials
``ha``, ``hb``, ``hh`` ...; facts ``ev`` (event), ``nx`` (the next event of a series), ``agr``
(agreement), ``op`` (operation), ``s1``..``s3`` (seizures); ``topics`` and ``intel`` (the partner
whose intelligence led to a seizure).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from cckg.model import Agreement, Event, Operation
from cckg.synth.scene import Draft, Place, Scene
from cckg.synth.text import MONTHS, day_range, month_day, ordinal
from cckg.synth.views import AgencyView, FactView, Group, Into, Link, PersonView, Topics
from cckg.synth.world import Series


def _place_words(place: Place | None) -> dict[str, str]:
    return {"place": place.text if place else "", "in_place": f" in {place.text}" if place else ""}


def _event(
    scene: Scene,
    event: Event,
    words: dict[str, Any],
    host: AgencyView | None = None,
    slugs: tuple[str, ...] = (),
) -> FactView:
    if host is not None:
        words["host"] = Into(event.organizers, [(host.record.name, host)])
    return FactView(scene.mentions, event, words, slugs)


def _agreement(
    scene: Scene,
    parties: list[AgencyView],
    signers: list[PersonView],
    day: date,
    rng: random.Random | None = None,
) -> FactView:
    """An agreement of ``parties`` signed by ``signers``; ``rng`` draws its kind, name and topics
    (the release's draws unless the world fixes them)."""
    rng = rng or scene.rng
    world = scene.world.data.world
    kinds_key = parties[0].record.kind if parties[0].record.kind in world["agreement_kinds"] else "customs"
    kinds = world["agreement_kinds"][kinds_key]
    kind = kinds[0] if rng.random() < 0.4 else rng.choice(kinds)
    entry = rng.choice(world["agreements"][kind])
    name = str(entry["name"])
    agreement = Agreement(
        kind=kind, name=name, date=day.isoformat(), parties=[p.record.name for p in parties], topics=[]
    )
    topics = scene.topics(kinds_key, rng.randint(1, 2), "agreement_topics", rng)
    article = "an" if name[0] in "AEIOU" else "a"
    words = {
        "name": name,
        "a_name": f"{article} {name}",
        "signers": Into(agreement.signatories, [(p.person.name, p) for p in signers]),
        "topics": Topics(scene.mentions, topics, agreement.topics),
    }
    return FactView(scene.mentions, agreement, words, tuple(entry["slugs"]))


def _series_year(scene: Scene, series: Series) -> int:
    world = scene.world
    return scene.rng.randint(min(max(world.start_year, series.first_year), world.end_year), world.end_year)


def _series_meeting(scene: Scene) -> tuple[Series, int]:
    """A series and a year; with option ``one_day``, one whose meeting lasted one day."""
    for _ in range(50):
        series = scene.pick(scene.world.series)
        year = _series_year(scene, series)
        if not scene.on("one_day") or scene.world.series_days(series, year) == 1:
            break
    return series, year


def series_conference(scene: Scene) -> Draft:
    """The n-th yearly conference of a fixed pair, written by one side.  Its date, length, place
    and agreement are the world's, the same in every release about it."""
    world = scene.world
    series, year = _series_meeting(scene)
    start = world.series_date(series, year)
    end = start + timedelta(days=1) if world.series_days(series, year) == 2 else None
    sides = [series.first, series.second] if scene.rng.random() < 0.5 else [series.second, series.first]
    a, b = scene.pair(scene.agency(sides[0]), scene.agency(sides[1]))
    ha, hb = scene.official(a, 0, year), scene.official(b, 0, year)
    host = a if series.host(year) == a.key else b
    place = _series_place(scene, series, year)
    published = end or start
    number = series.ordinal(year)
    event = Event(
        kind=series.kind,
        name=f"{ordinal(number)} {series.name}",
        ordinal=number,
        start=start.isoformat(),
        end=(end or start).isoformat(),  # a one-day event ends the day it starts
        city=place.city if place else None,
        country=place.country if place else None,
        participants=[a.record.name, b.record.name],
        delegation_heads=[ha.person.name, hb.person.name],
        series=series.name,
    )
    words = {
        "name": event.name,
        "series": series.name,
        "when": scene.when(start, end, published),
        **_place_words(place),
    }
    slots: dict[str, Any] = {
        "a": a,
        "b": b,
        "ha": ha,
        "hb": hb,
        "ev": _event(scene, event, words, host, series.slugs),
        "topics": scene.topics(a.record.kind, scene.rng.randint(2, 3)),
    }
    signed = world.series_agreement(series, year)
    if signed is None:
        scene.options.discard("agreement")
    if scene.on("agreement"):
        slots["agr"] = _agreement(scene, [a, b], [ha, hb], published, signed)
    if year == world.end_year:
        scene.options.discard("next")  # the world ends with this year
    if scene.on("next"):
        slots["nx"] = _next_event(scene, series, year + 1, a, b)
    if scene.on("recall") and scene.leaders(a, b) is None:
        scene.options.discard("recall")
    if scene.on("recall"):
        slots.update(_recalled_operation(scene, [a, b], published))
    return Draft(published, slots, dateline=_city_of(scene, a))


def _series_place(scene: Scene, series: Series, year: int) -> Place | None:
    host = scene.world.agencies[series.host(year)]
    if host.country is None:
        return None
    return scene.place_at(scene.world.series_city(series, year), host.country)


def _next_event(scene: Scene, series: Series, year: int, a: AgencyView, b: AgencyView) -> FactView:
    host = a if series.host(year) == a.key else b
    place = _series_place(scene, series, year)
    number = series.ordinal(year)
    month = scene.world.series_date(series, year).month if scene.rng.random() < 0.5 else None
    event = Event(
        kind=series.kind,
        name=f"{ordinal(number)} {series.name}",
        ordinal=number,
        start=f"{year}-{month:02d}" if month else str(year),
        city=place.city if place else None,
        country=place.country if place else None,
        participants=[a.record.name, b.record.name],
        status="planned",
        series=series.name,
    )
    when = f"in {MONTHS[month - 1]} next year" if month else "next year"
    words = {"name": event.name, "when": when, **_place_words(place)}
    return _event(scene, event, words, host, series.slugs)


def _city_of(scene: Scene, agency: AgencyView) -> str | None:
    record = agency.record
    if record.seat:
        return record.seat[0]
    cities = scene.world.data.countries.get(record.country or "", ("", ()))[1]
    return cities[0] if cities else None


def _partners(scene: Scene, kinds: tuple[str, ...]) -> tuple[AgencyView, AgencyView]:
    first, second = scene.pick(scene.world.partners_of(kinds))
    if scene.rng.random() < 0.5:
        first, second = second, first
    return scene.pair(scene.agency(first), scene.agency(second))


def _igo_visit(scene: Scene) -> tuple[AgencyView, AgencyView]:
    """An intergovernmental body and a member agency it calls on."""
    world = scene.world
    bodies = sorted(
        {*world.keys_of("intergovernmental", "host"), *world.keys_of("intergovernmental", "coordinate")}
    )
    body = scene.agency(scene.pick(bodies))
    members = world.members_of(body.key)
    return scene.agency(scene.rng.choices(members, cum_weights=world.neighbours(body.key, members))[0]), body


def visit(scene: Scene) -> Draft:
    """The head (or deputy) of one agency calls on a partner (option ``igo``: the head of an
    intergovernmental body calls on a member)."""
    if scene.on("igo"):
        host, visitor = _igo_visit(scene)
        a, b = visitor, host
    else:
        a, b = _partners(scene, ("customs", "police", "anti-corruption"))
        host, visitor = b, a
    year = scene.year()
    day = scene.day_in(year)
    leader = scene.official(visitor, 0 if scene.rng.random() < 0.7 else 1, year)
    received_by = scene.official(host, 0 if scene.rng.random() < 0.6 else 1, year)
    place = scene.place_of(host.key)
    noun = scene.pick(["courtesy call", "courtesy visit", "study visit", "working visit"])
    published = day + timedelta(days=1) if scene.on("next_day") else day
    event = Event(
        kind="visit",
        name=noun,
        start=day.isoformat(),
        end=day.isoformat(),
        city=place.city if place else None,
        country=place.country if place else None,
        participants=[visitor.record.name, host.record.name],
        delegation_heads=[leader.person.name],
    )
    words = {"name": noun, "when": scene.when(day, None, published), **_place_words(place)}
    slots: dict[str, Any] = {
        "a": a,
        "b": b,
        "visitor": visitor,
        "host": host,
        "lead": leader,
        "rec": received_by,
        "ev": _event(scene, event, words),
        "topics": scene.topics(host.record.kind, scene.rng.randint(2, 3)),
    }
    if scene.on("agreement"):
        slots["agr"] = _agreement(scene, [visitor, host], [leader, received_by], day)
    return Draft(published, slots, dateline=_city_of(scene, a))


def signing(scene: Scene) -> Draft:
    """Two partners sign an instrument; the signing is an agreement, not an event."""
    a, b = _partners(scene, ("customs", "police", "anti-corruption"))
    year = scene.year()
    day = scene.day_in(year)
    rank = 0 if scene.rng.random() < 0.8 else 1
    ha, hb = scene.official(a, rank, year), scene.official(b, rank, year)
    place = scene.place_of(scene.pick([a.key, b.key]))
    published = day
    slots: dict[str, Any] = {
        "a": a,
        "b": b,
        "ha": ha,
        "hb": hb,
        "agr": _agreement(scene, [a, b], [ha, hb], day),
        "when": scene.when(day, None, published),
        **_place_words(place),
        "topics": scene.topics(a.record.kind, scene.rng.randint(1, 2)),
    }
    return Draft(published, slots, dateline=_city_of(scene, a))


def _multilateral_guests(scene: Scene, host: AgencyView, kind: str) -> list[AgencyView]:
    world = scene.world
    same = world.members_of(host.key) if host.record.kind == "intergovernmental" else world.keys_of(kind)
    igos = world.keys_of("intergovernmental", "host")
    count = scene.rng.randint(3, 5)
    keys = list(
        dict.fromkeys(scene.rng.choices(same, cum_weights=world.neighbours(host.key, same), k=count + 3))
    )
    keys = [k for k in keys if k != host.key][:count]
    if kind in ("customs", "police") and host.record.kind != "intergovernmental" and scene.rng.random() < 0.4:
        keys[-1] = scene.pick([k for k in igos if k != host.key])
    countries = {world.agencies[k].country for k in keys if world.agencies[k].country}
    if (
        len(countries) < len([k for k in keys if world.agencies[k].country])
        or host.record.country in countries
    ):
        keys = [k for k in keys if world.agencies[k].country != host.record.country]
    return scene.listed([scene.agency(k) for k in dict.fromkeys(keys)][:count])


def multilateral(scene: Scene) -> Draft:
    """A forum, workshop or meeting one agency hosts for several others (a star of pairs)."""
    world = scene.world
    hosts, weights = world.hosts()
    host = scene.agency(scene.rng.choices(hosts, cum_weights=weights)[0])
    kind = host.record.kind if host.record.kind != "intergovernmental" else "customs"
    guests = _multilateral_guests(scene, host, kind)
    while len(guests) < 3:
        guests = _multilateral_guests(scene, host, kind)
    year = scene.year()
    start = scene.day_in(year, days_left=2)
    end = start + timedelta(days=scene.rng.randint(1, 2))
    entry = scene.pick(world.data.world["multilateral"][host.record.kind])
    place = scene.place_of(host.key)
    chair = scene.official(host, 0 if scene.rng.random() < 0.6 else 1, year)
    event = Event(
        kind=str(entry["kind"]),
        name=str(entry["name"]),
        start=start.isoformat(),
        end=end.isoformat(),
        city=place.city if place else None,
        country=place.country if place else None,
        participants=[host.record.name] + [g.record.name for g in guests],
        delegation_heads=[chair.person.name],
    )
    words = {
        "name": event.name,
        "range": day_range(start, end),
        "when": scene.when(start, end, end),
        **_place_words(place),
    }
    slots: dict[str, Any] = {
        "host": host,
        "guests": Group(guests),
        "hh": chair,
        "ev": FactView(
            scene.mentions,
            event,
            {**words, "host": Into(event.organizers, [(host.record.name, host)])},
            tuple(entry["slugs"]),
        ),
        "topics": scene.topics(host.record.kind, scene.rng.randint(2, 3)),
    }
    return Draft(end, slots, dateline=_city_of(scene, host))


def _codename(scene: Scene) -> str:
    names = scene.world.data.world["codenames"]
    return f"{scene.pick(names['first'])} {scene.pick(names['second'])}"


def _target(scene: Scene) -> dict[str, Any]:
    return dict(scene.pick(scene.world.data.world["targets"]))


def _goods_for(scene: Scene, target: dict[str, Any]) -> dict[str, Any]:
    world = scene.world.data.world
    names = world["goods_for_target"].get(target["slugs"][0]) if target["slugs"] else None
    pool = [g for g in world["goods"] if not names or g["goods"] in names]
    return dict(scene.pick(pool))


def _operation_seizures(
    scene: Scene, op: Operation, span: tuple[date, date], places: list[Place | None], target: dict[str, Any]
) -> dict[str, FactView]:
    """Seizures made during the operation.  The first is written in a sentence that names the
    operation ("During Operation Ocean Gate, officers seized ..."), so its goods are among the
    operation's crime types when ``op.name`` is written there (co-led operations)."""
    first, last = span
    seizures = {}
    for i in range(_seizure_count(scene)):
        day = first + timedelta(days=scene.rng.randrange((last - first).days + 1))
        goods = _goods_for(scene, target)
        seizures[f"s{i + 1}"] = scene.seizure(goods, day, False, scene.pick(places))
        if i == 0 and op.participants == []:
            op.crime_types += [s for s in goods["slugs"] if s not in op.crime_types]
    return seizures


def _seizure_count(scene: Scene) -> int:
    """One seizure, a second with option ``second``, a third with ``third`` too."""
    return 1 + scene.on("second") + (scene.on("second") and scene.on("third"))


def _op_period(scene: Scene, year: int) -> tuple[date, date, str, str]:
    """First and last day, the period as written and the start as the gold gives it."""
    month = scene.rng.randint(1, 11)
    first = date(year, month, 1)
    if scene.rng.random() < 0.5:
        last = date(year, month + 1, 1) - timedelta(days=1)
        return first, last, f"in {MONTHS[month - 1]} {year}", first.isoformat()[:7]
    first = first + timedelta(days=scene.rng.randint(0, 10))
    last = first + timedelta(days=scene.rng.randint(7, 40))
    return (
        first,
        last,
        f"from {month_day(first)} to {month_day(last)}, {year}"
        if last.year == year
        else (f"from {month_day(first)}, {year} to {month_day(last)}, {last.year}"),
        first.isoformat(),
    )


def operation(scene: Scene) -> Draft:
    """A named joint operation: co-led by two partners, or coordinated by an intergovernmental body."""
    if scene.on("coordinated"):
        return _coordinated_operation(scene)
    a, b = _partners(scene, ("customs", "police"))
    while scene.leaders(a, b) is None:
        a, b = _partners(scene, ("customs", "police"))
    year = scene.year()
    first, last, period, start = _op_period(scene, year)
    target = _target(scene)
    op = Operation(
        name=f"{'Project' if scene.on('project') else 'Operation'} {_codename(scene)}",
        start=start,
        led_by=[a.record.name, b.record.name],
        crime_types=list(target["slugs"]),
    )
    places = [scene.place_of(a.key), scene.place_of(b.key)]
    seizures = _operation_seizures(scene, op, (first, last), places, target)
    published = min(last + timedelta(days=scene.rng.randint(3, 30)), date(year, 12, 31))
    ha = scene.official(a, scene.rng.randint(0, 1), published.year)
    words = {
        "name": op.name,
        "code": op.name.split(" ", 1)[1],
        "period": period,
        "target": target["text"],
        "leaders": Group(scene.leaders(a, b) or [a, b]),
    }
    slots: dict[str, Any] = {
        "a": a,
        "b": b,
        "ha": ha,
        "op": FactView(scene.mentions, op, words, tuple(target["slugs"])),
        **seizures,
    }
    return Draft(published, slots, dateline=_city_of(scene, a))


def _coordinated_operation(scene: Scene) -> Draft:
    world = scene.world
    coordinators = world.keys_of("intergovernmental", "coordinate")
    coordinator = scene.agency(scene.pick(coordinators))
    members = world.members_of(coordinator.key)
    by_country: dict[str, str] = {}
    for key in scene.rng.sample(members, min(12, len(members))):
        by_country.setdefault(str(world.agencies[key].country), key)
    guests = scene.listed([scene.agency(k) for k in list(by_country.values())[: scene.rng.randint(3, 5)]])
    year = scene.year()
    first, last, period, start = _op_period(scene, year)
    target = _target(scene)
    op = Operation(
        name=f"Operation {_codename(scene)}",
        start=start,
        led_by=[coordinator.record.name],
        participants=[g.record.name for g in guests],
        crime_types=list(target["slugs"]),
    )
    seizures = _operation_seizures(scene, op, (first, last), [None], target)
    published = min(last + timedelta(days=scene.rng.randint(3, 30)), date(year, 12, 31))
    words = {
        "name": op.name,
        "code": op.name.split(" ", 1)[1],
        "period": period,
        "target": target["text"],
        "guests": Group(guests),
    }
    slots: dict[str, Any] = {
        "coord": coordinator,
        "guests": Group(guests),
        "hc": scene.official(coordinator, 0, published.year),
        "op": FactView(scene.mentions, op, words, tuple(target["slugs"])),
        **seizures,
    }
    return Draft(published, slots, dateline=_city_of(scene, coordinator))


def _recalled_operation(scene: Scene, leaders: list[AgencyView], published: date) -> dict[str, Any]:
    """A joint operation of the pair earlier in the year, and one of its seizures."""
    month = scene.rng.randint(1, max(1, published.month - 1))
    target = _target(scene)
    op = Operation(
        name=f"Operation {_codename(scene)}",
        start=f"{published.year}-{month:02d}",
        led_by=[p.record.name for p in leaders],
        crime_types=list(target["slugs"]),
    )
    goods = _goods_for(scene, target)
    day = date(published.year, month, scene.rng.randint(1, 28))
    seizure = scene.seizure(goods, day, True, None)
    words = {
        "name": op.name,
        "when": f"in {MONTHS[month - 1]} this year",
        "target": target["text"],
        "leaders": Group(scene.leaders(*leaders) or leaders),
    }
    return {"rop": FactView(scene.mentions, op, words, tuple(target["slugs"])), "rs": seizure}


def seizure(scene: Scene) -> Draft:
    """An agency reports seizures, perhaps on a partner's intelligence."""
    a, b = _partners(scene, ("customs", "police"))
    year = scene.year()
    published = scene.day_in(year)
    place = scene.place_of(a.key)
    seizures = {}
    days = sorted(
        max(published - timedelta(days=scene.rng.randint(1, 20)), date(year, 1, 1))
        for _ in range(_seizure_count(scene))
    )
    for i, day in enumerate(days):
        seizures[f"s{i + 1}"] = scene.seizure(
            dict(scene.pick(scene.world.data.world["goods"])), day, False, place
        )
    slots: dict[str, Any] = {
        "a": a,
        "b": b,
        "intel": Link(scene.mentions, a, b),
        **seizures,
        "ha": scene.official(a, scene.rng.randint(0, 2), year),
    }
    return Draft(published, slots, dateline=_city_of(scene, a))


GENRES: dict[str, Callable[[Scene], Draft]] = {
    "series-conference": series_conference,
    "visit": visit,
    "signing": signing,
    "multilateral": multilateral,
    "operation": operation,
    "seizure": seizure,
}
