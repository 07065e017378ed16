"""One generated release: a template filled from a genre's facts, laid out as an agency writes
it, and the gold facts of exactly what its text says."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from functools import cache
from itertools import combinations
from typing import Any

from cckg.model import Agreement, Event, Operation, Seizure
from cckg.synth.data import Template
from cckg.synth.genres import GENRES
from cckg.synth.scene import Draft, Scene
from cckg.synth.text import long_date, month_day_year, short_date
from cckg.synth.views import Mentions
from cckg.synth.world import World, rng_for

_DROP = ("evidence", "confidence")


@dataclass(frozen=True)
class GeneratedRelease:
    """A release text and its gold facts (the release JSON shape of docs/release-json.md)."""

    index: int
    id: str
    text: str
    gold: dict[str, Any]
    genre: str
    template: str


def release_id(index: int) -> str:
    """The id of release ``index``: fixed width, so that ids sort in generation order."""
    return f"synth-{index:07d}"


def _choose_template(world: World, rng: random.Random) -> Template:
    weights = world.data.world["genres"]
    genre = rng.choices(sorted(weights), [float(weights[g]) for g in sorted(weights)])[0]
    templates = [t for t in world.data.templates if t.genre == genre]
    return rng.choices(templates, [t.weight for t in templates])[0]


def _paragraphs(template: Template, options: set[str], rng: random.Random) -> list[str]:
    """The body's paragraphs for these options: an item is a string, a choice among strings, or
    either of those under ``if`` (an option, or a list of options, that must be on) or ``unless``
    (one that must be off)."""
    chosen = []
    for item in template.body:
        if isinstance(item, dict):
            needed = item.get("if", [])
            if not options.issuperset([needed] if isinstance(needed, str) else needed):
                continue
            if "unless" in item and item["unless"] in options:
                continue
            item = item.get("text") or item["choose"][rng.randrange(len(item["choose"]))]
        chosen.append(str(item))
    return chosen


def _fill(text: str, slots: dict[str, Any], where: str) -> str:
    try:
        return text.format(**slots)
    except (KeyError, AttributeError, IndexError) as error:
        raise ValueError(f"template {where}: cannot fill {text!r}: {error}") from None


def _layout(layout: str, headline: str, body: list[str], draft: Draft) -> str:
    day = draft.published
    if layout == "dateline" and draft.dateline:
        body = [f"{draft.dateline.upper()}, {month_day_year(day)} - {body[0]}", *body[1:]]
        return f"{headline}\n\n" + "\n\n".join(body) + "\n"
    if layout == "dated":
        return f"{headline}\n\n{short_date(day)}\n\n" + "\n\n".join(body) + "\n"
    return f"{headline}\n\n" + "\n\n".join(body) + f"\n\nEnds/{long_date(day)}\n"


def generate_release(world: World, index: int) -> GeneratedRelease:
    """Release ``index`` of the world: a function of the world's seed and ``index`` only."""
    rng = rng_for(world.seed, "release", index)
    template = _choose_template(world, rng)
    options = {name for name, chance in sorted(template.options.items()) if rng.random() < chance}
    scene = Scene(world, rng, options)
    draft = GENRES[template.genre](scene)
    draft.slots["quote"] = scene.pick(world.data.world["quotes"])
    headline = _fill(template.headline[rng.randrange(len(template.headline))], draft.slots, template.id)
    body = [_fill(p, draft.slots, template.id) for p in _paragraphs(template, options, rng)]
    text = _layout(template.layout, headline, body, draft)
    rid = release_id(index)
    gold = gold_facts(rid, headline, draft, scene.mentions)
    gold["generator"] = {"seed": world.seed, "index": index, "genre": template.genre, "template": template.id}
    return GeneratedRelease(index, rid, text, gold, template.genre, template.id)


# --- gold ---------------------------------------------------------------------------------------


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.name not in _DROP)


def _fact_json(fact: Any) -> dict[str, Any]:
    """A fact as the release JSON writes it, without evidence or confidence."""
    return {
        name: list(value) if isinstance(value := getattr(fact, name), list) else value
        for name in _field_names(type(fact))
    }


def _officials(mentions: Mentions) -> list[dict[str, Any]]:
    found = []
    for name, official in mentions.officials.items():
        titles = official.titles
        found.append(
            {
                "name": name,
                "honorific": official.person.honorific if official.honorific else None,
                "title": max(titles, key=len) if titles else None,
                "agency": mentions.agencies[official.agency].name
                if official.agency in mentions.agencies
                else None,
                "post": official.post,
            }
        )
    return found


def _pairs(names: list[str]) -> list[tuple[str, str]]:
    return [(a, b) if a < b else (b, a) for a, b in combinations(dict.fromkeys(names), 2)]


def cooperation(mentions: Mentions, facts: list[Any]) -> list[list[str]]:
    """The agency pairs the release shows cooperating (GUIDELINES section 10): the sides of a
    bilateral event or agreement, the co-leaders of an operation, a multilateral host or
    coordinator with each participant, and the links the text states."""
    pairs: dict[tuple[str, str], None] = {}
    for fact in facts:
        if isinstance(fact, Event) and fact.status == "held":
            leads = fact.organizers if len(fact.participants) > 3 else []
            found = (
                [p for lead in leads for p in _pairs([lead, *fact.participants]) if lead in p]
                if leads
                else _pairs(fact.participants)
            )
        elif isinstance(fact, Agreement):
            found = _pairs(fact.parties)
        elif isinstance(fact, Operation):
            found = _pairs(fact.led_by) + [
                p for lead in fact.led_by for p in _pairs([lead, *fact.participants]) if lead in p
            ]
        else:
            continue
        pairs.update(dict.fromkeys(found))
    names = {key: record.name for key, record in mentions.agencies.items()}
    pairs.update(dict.fromkeys(tuple(sorted((names[a], names[b]))) for a, b in mentions.links))  # type: ignore[misc]
    return [list(pair) for pair in pairs]


def gold_facts(rid: str, headline: str, draft: Draft, mentions: Mentions) -> dict[str, Any]:
    facts = list(mentions.facts.values())
    crimes = dict(mentions.crimes)
    for fact in facts:
        for slug in getattr(fact, "crime_types", None) or getattr(fact, "topics", None) or []:
            crimes.setdefault(slug, None)
    return {
        "id": rid,
        "source": f"releases/{rid}.txt",
        "url": None,
        "title": headline,
        "published": draft.published.isoformat(),
        "agencies": [
            {
                "name": r.name,
                "acronyms": list(r.acronyms),
                "aliases": list(r.aliases),
                "country": r.country,
                "kind": r.kind,
                "key": r.key,
            }
            for r in mentions.agencies.values()
        ],
        "officials": _officials(mentions),
        "events": [_fact_json(f) for f in facts if isinstance(f, Event)],
        "agreements": [_fact_json(f) for f in facts if isinstance(f, Agreement)],
        "operations": [_fact_json(f) for f in facts if isinstance(f, Operation)],
        "seizures": [_fact_json(f) for f in facts if isinstance(f, Seizure)],
        "crime_types": list(crimes),
        "cooperation": cooperation(mentions, facts),
    }
