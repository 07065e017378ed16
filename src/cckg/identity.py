"""Entity identity: the stable IRIs of agencies, people, posts, places, events and facts.

The same agency, person, post, place, crime type or event series gets the same IRI across
releases and runs (docs/data-model.md, "Identity").  Agencies are identified by their gazetteer id
(so "Hong Kong Customs" and "Customs and Excise Department (C&ED)" are one agency); a person by
name *and* agency (two "Mr Chan"s of two agencies stay two); an event in a numbered series by the
series and its ordinal.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from cckg.namespaces import GEONAMES, ID, WIKIDATA


def slug(text: str) -> str:
    """A lower-case ASCII slug: "Customs & Excise (C&ED)" -> "customs-excise-c-ed"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: object) -> str:
    """A short stable hash of the identifying fields of a fact."""
    joined = "\x1f".join("" if p is None else str(p).strip().lower() for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def release_iri(release_id: str) -> URIRef:
    return ID[f"release/{slug(release_id)}"]


def agency_iri(key: str) -> URIRef:
    return ID[f"agency/{slug(key)}"]


def person_iri(name: str, agency_key: str | None) -> URIRef:
    return ID[f"person/{slug(agency_key or 'unknown-agency')}/{slug(name)}"]


def post_iri(agency_key: str | None, title: str) -> URIRef:
    return ID[f"post/{slug(agency_key or 'unknown-agency')}/{slug(title)}"]


def series_slug(name: str, participant_keys: list[str]) -> str:
    """A series by its name and its members: "customs-cooperation-conference--hk-ced--kr-kcs"."""
    return "--".join([slug(name), *sorted({slug(k) for k in participant_keys})])


def series_iri(name: str, participant_keys: list[str]) -> URIRef:
    return ID[f"series/{series_slug(name, participant_keys)}"]


def event_iri(
    kind: str,
    name: str | None,
    ordinal: int | None,
    series: str | None,
    start: str | None,
    participant_keys: list[str],
) -> URIRef:
    """An event in a numbered series by series and ordinal; any other by its identifying fields."""
    if series is not None and ordinal is not None:
        return ID[f"event/{series_slug(series, participant_keys)}/{ordinal}"]
    return ID[f"event/{digest(kind, name, start, *sorted(participant_keys))}"]


def city_iri(geonameid: int) -> URIRef:
    return GEONAMES[f"{geonameid}/"]


def wikidata_iri(qid: str) -> URIRef:
    return WIKIDATA[qid]


def country_iri(code: str) -> URIRef:
    return ID[f"country/{code.upper()}"]


def fact_iri(kind: str, *parts: object) -> URIRef:
    return ID[f"{kind}/{digest(*parts)}"]


def evidence_iri(release_id: str, start: int, end: int) -> URIRef:
    return ID[f"evidence/{slug(release_id)}/{start}-{end}"]
