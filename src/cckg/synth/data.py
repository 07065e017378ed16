"""The knowledge the generator draws on, read once from the project's data files.

- ``data/gazetteer/agencies.yaml``: the agencies (names, acronyms, aliases, country, kind);
- ``data/synth/agencies.yaml``: post ladders, short forms, seats and roles of those agencies;
- ``data/synth/names.yaml``: name pools of officials by region;
- ``data/synth/places.yaml``: country names and cities;
- ``data/synth/world.yaml``: topics, goods, series, event and operation names;
- ``data/synth/templates/*.yaml``: the release templates, grouped by genre.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import yaml

from cckg import resources

SYNTH = ("data", "synth")

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML 1.2 booleans (only true/false: "NO" is Norway), parsed by libyaml when it is there."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(*parts: str) -> Any:
    """A data file of the project, read as cckg.resources.load_yaml reads it, only faster."""
    with resources.path(*parts).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


@dataclass(frozen=True)
class AgencyRecord:
    """One gazetteer agency, with what the generator adds to it."""

    key: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    ladder: tuple[str, ...]
    short: str
    article: bool
    seat: tuple[str, str] | None = None
    roles: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()  # gazetteer posts that name the agency on their own
    title_name: str | None = None  # the form a post title writes after "of" (see title_safe)
    acronym: str | None = None  # the one the text uses: the first without a slash ("RILO AP")
    bare: bool = False  # the acronym is written without "the" ("INTERPOL")
    zone: tuple[str, ...] = ()  # name regions whose agencies join the operations it coordinates
    member_kind: str = "customs"  # the kind of agency that joins them
    ends_in_place: bool = False  # "... of the Slovak Republic" (see Scene.joinable)
    starts_with_place: bool = False  # "Cyprus Department of ..."


@dataclass(frozen=True)
class NameRegion:
    full: str
    short: str
    given: dict[str, tuple[str, ...]]  # gender ("m", "f") -> given names
    family: tuple[str, ...]
    link: dict[str, str] = field(default_factory=dict)  # gender -> "bin" / "binti"


@dataclass(frozen=True)
class Template:
    """One release template: its genre, layout, options and text parts (see templates/README)."""

    id: str
    genre: str
    layout: str
    headline: tuple[str, ...]
    body: tuple[Any, ...]
    options: dict[str, float]
    weight: float = 1.0


@dataclass(frozen=True)
class SynthData:
    agencies: dict[str, AgencyRecord]
    regions: dict[str, NameRegion]
    region_of_country: dict[str, tuple[str, ...]]  # code -> the regions its names come from
    default_region: str
    countries: dict[str, tuple[str, tuple[str, ...]]]  # code -> (name, cities)
    country_articles: frozenset[str]  # country names written with "the"
    places: tuple[str, ...]  # names of countries, regions and peoples, longest first
    world: dict[str, Any]
    qualifiers: dict[str, str]  # written form -> qualifier of the gold ("more than" -> "over")
    templates: tuple[Template, ...]


def _load(*parts: str) -> Any:
    return load_yaml(*SYNTH, *parts)


_TITLE_WORD = r"(?:&|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w&'’/-]*)"
_TITLE_SAFE = re.compile(rf"{_TITLE_WORD}(?:\s+(?:{_TITLE_WORD}|and|of|for|the))*")


def title_safe(name: str) -> bool:
    """Whether a post title can end in this name: capitalised words joined by "of", "and", "for"
    and "the" only.  A title stops at any other lower-case word or a comma, so "Director of the
    Customs Service under the Government of ..." would lose the end of the agency's name."""
    return bool(_TITLE_SAFE.fullmatch(name))


def _title_name(name: str, aliases: tuple[str, ...], acronyms: tuple[str, ...]) -> str | None:
    for form in (name, *aliases, *acronyms):
        if title_safe(form) and "/" not in form:
            return form
    return None


def _default_article(name: str) -> bool:
    """ "the Korea Customs Service", but "Japan Customs" and "Europol"."""
    words = name.split()
    return not (len(words) == 1 or (words[-1] == "Customs" and len(words) <= 3 and "of" not in words))


def _ladder_for(entry: dict[str, Any], extra: dict[str, Any], spec: dict[str, Any]) -> tuple[str, ...]:
    ladders = spec["ladders"]
    name = extra.get("ladder")
    if name is None:
        choices = spec["ladder_by_kind"][entry["kind"]]
        name = choices[sum(map(ord, str(entry["id"]))) % len(choices)]  # stable, spread over kinds
    return tuple(ladders[name])


def _agencies() -> dict[str, AgencyRecord]:
    spec = _load("agencies.yaml")
    kinds = set(spec["kinds"])
    extras = spec.get("agencies") or {}
    found: dict[str, AgencyRecord] = {}
    for entry in load_yaml("data", "gazetteer", "agencies.yaml") or []:
        extra = extras.get(entry["id"]) or {}
        if entry.get("kind") not in kinds or extra.get("skip"):
            continue
        acronyms = tuple(str(a) for a in entry.get("acronyms") or ())
        name = str(entry["name"])
        seat = extra.get("seat")
        found[str(entry["id"])] = AgencyRecord(
            key=str(entry["id"]),
            name=name,
            acronyms=acronyms,
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            country=entry.get("country"),
            kind=str(entry["kind"]),
            ladder=_ladder_for(entry, extra, spec),
            short=str(extra.get("short") or (acronyms[0] if acronyms else name)),
            article=bool(extra.get("article", _default_article(name))),
            seat=(str(seat[0]), str(seat[1])) if seat else None,
            roles=tuple(extra.get("roles") or ()),
            posts=tuple(str(p) for p in entry.get("posts") or ()),
            title_name=_title_name(name, tuple(str(a) for a in entry.get("aliases") or ()), acronyms),
            acronym=next((a for a in acronyms if "/" not in a), None),
            bare=bool(extra.get("bare", False)),
            zone=tuple(extra.get("zone") or ()),
            member_kind=str(extra.get("member_kind", "customs")),
        )
    return found


def _regions(spec: dict[str, Any]) -> dict[str, NameRegion]:
    return {
        key: NameRegion(
            full=str(region["full"]),
            short=str(region["short"]),
            given={"m": tuple(region["given_m"]), "f": tuple(region["given_f"])},
            family=tuple(region["family"]),
            link=dict(region.get("link") or {}),
        )
        for key, region in spec["regions"].items()
    }


def _regions_by_country(countries: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for region, codes in countries.items():
        for code in codes:
            found[str(code)] = (*found.get(str(code), ()), str(region))
    return found


def _place_names(places: dict[str, Any]) -> tuple[str, ...]:
    """Country names (ours and the place gazetteer's), regions, cities and demonyms: the words
    that make "A of X and Y Customs" read as one mention of two agencies."""
    gazetteer = load_yaml("data", "gazetteer", "places.yaml")
    names = {str(v["name"]) for v in places["countries"].values()}
    names |= {str(c) for v in places["countries"].values() for c in v["cities"]}
    for key in ("country_aliases", "demonyms", "regions"):
        names |= {str(k) for k in gazetteer.get(key) or {}}
    return tuple(sorted(names, key=len, reverse=True))


def _templates() -> tuple[Template, ...]:
    found = []
    for path in sorted(resources.path(*SYNTH, "templates").glob("*.yaml")):
        for entry in load_yaml(*SYNTH, "templates", path.name) or []:
            found.append(
                Template(
                    id=str(entry["id"]),
                    genre=str(entry["genre"]),
                    layout=str(entry.get("layout", "ends")),
                    headline=tuple(entry["headline"]),
                    body=tuple(entry["body"]),
                    options={str(k): float(v) for k, v in (entry.get("options") or {}).items()},
                    weight=float(entry.get("weight", 1.0)),
                )
            )
    return tuple(found)


_OF_TAIL = re.compile(r"\bof (?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*$")


def _with_places(record: AgencyRecord, places: tuple[str, ...]) -> AgencyRecord:
    """Whether a form of the name (its name or its short form) ends or starts with a place."""
    forms = (record.name, record.short)
    starts = tuple(f"{p} " for p in places)
    return replace(
        record,
        ends_in_place=any(bool(_OF_TAIL.search(f)) or f.endswith(places) for f in forms),
        starts_with_place=any(f.startswith(starts) for f in forms),
    )


@cache
def synth_data() -> SynthData:
    names = _load("names.yaml")
    places = _load("places.yaml")
    world = _load("world.yaml")
    place_names = _place_names(places)
    return SynthData(
        agencies={key: _with_places(record, place_names) for key, record in _agencies().items()},
        regions=_regions(names),
        region_of_country=_regions_by_country(names["countries"]),
        default_region=str(names["default"]),
        countries={
            str(code): (str(v["name"]), tuple(v["cities"])) for code, v in places["countries"].items()
        },
        country_articles=frozenset(places["with_article"]),
        places=place_names,
        world=world,
        qualifiers={str(k): str(v) for k, v in world["qualifiers"].items()},
        templates=_templates(),
    )
