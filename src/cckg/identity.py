"""Identity: the one module that builds and parses the ids and IRIs of cckg.

The same agency, person, post, place, crime type or event series gets the same IRI across
releases and runs (docs/data-model.md, "Identity").  Agencies are identified by their gazetteer id
(so "Hong Kong Customs" and "Customs and Excise Department (C&ED)" are one agency); a person by
name *and* agency (two "Mr Chan"s of two agencies stay two); an event in a numbered series by the
series and its ordinal; other facts by a digest of their identifying fields.

Two rules make names into ids:

- :func:`release_id`: a release file's name -> its release id: the stem, lower-cased, each run of
  characters other than letters (of any script), digits, ``.``, ``_`` and ``-`` made one ``-``
  ("Press Release 12.txt" -> ``press-release-12``, ``香港.txt`` -> ``香港``).  A name with no
  letter or digit gets ``release-`` and a digest of the name, so two such files stay apart.
- :func:`slug`: a name -> an IRI path segment: lower-cased, accents dropped, each run of characters
  other than letters and digits made one ``-`` ("Customs & Excise (C&ED)" -> ``customs-excise-c-ed``,
  "Zoll 香港" -> ``zoll-香港``).

A release's graph is ``id:release/{slug(release id)}``, so release ids that differ only in
punctuation (``report_1``, ``report-1``, ``report.1``) name one graph: :func:`release_collisions`
finds them, and ingest refuses the second rather than let it replace the first.

:func:`parse_iri` reads any IRI this module builds back into its kind and path segments
(:class:`IriParts`); :func:`checked_iri` is the one check of an IRI given from outside.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from cckg.errors import IdentityError
from cckg.namespaces import AGENCY_KIND, AGREEMENT_KIND, CRIME, GEONAMES, ID, WIKIDATA

#: Characters that may not appear anywhere in an IRI (RFC 3987): controls, space, and
#: ``<>"{}|\\^``` (which also keeps an IRI from breaking out of SPARQL or N-Triples), the C1
#: controls, surrogates, private use characters and non-characters.
IRI_FORBIDDEN = re.compile(
    '[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufffe\uffff'
    "\U000f0000-\U0010ffff]"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
UNKNOWN_AGENCY = "unknown-agency"

#: The kinds of fact identified by a digest of their fields (``id:{kind}/{digest}``).
FACT_KINDS = ("membership", "agreement", "operation", "seizure", "cooperation")


# --- names -> ids --------------------------------------------------------------------------------


def _runs_to_hyphens(text: str, keep: str = "") -> str:
    """``text`` with each run of characters other than letters and digits of any script (with the
    marks on them, like a Devanagari vowel sign) and ``keep`` made one "-"."""
    out: list[str] = []
    for char in text:
        mark = unicodedata.category(char).startswith("M")
        if char.isalnum() or char in keep or (mark and out and out[-1] != "-"):
            out.append(char)
        elif not out or out[-1] != "-":
            out.append("-")
    return "".join(out)


def _latin_folded(text: str) -> str:
    """``text`` lower-cased with accents dropped from Latin letters ("Gómez" -> "gomez"); letters
    of other scripts are kept as they are ("Zoll 香港" -> "zoll 香港")."""
    folded: list[str] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base and base.isascii():
            folded.append(base)  # a Latin letter with accents, a ligature, a full-width form
        elif not (unicodedata.combining(char) and folded and folded[-1][-1:].isascii()):
            folded.append(char)  # (a mark left on a Latin letter is dropped)
    return "".join(folded).lower()


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """An IRI path segment for a name: "Customs & Excise (C&ED)" -> "customs-excise-c-ed"."""
    if text.isascii():  # the same as below, the common case at a fraction of the cost
        return _NOT_ASCII_ALNUM.sub("-", text.lower()).strip("-") or "x"
    return _runs_to_hyphens(_latin_folded(text)).strip("-") or "x"


def digest(*parts: object) -> str:
    """A short stable hash of the identifying fields of a fact."""
    joined = "\x1f".join("" if p is None else str(p).strip().lower() for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def release_id(file_name: str) -> str:
    """The release id of a release file named ``file_name`` (a name or a path; see the module docs)."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    readable = _runs_to_hyphens(unicodedata.normalize("NFC", stem), keep="._-").strip("-").lower()
    if any(c.isalnum() for c in readable):
        return readable
    return f"release-{hashlib.sha256(stem.encode('utf-8')).hexdigest()[:8]}"


def release_collisions(release_ids: Iterable[str]) -> dict[URIRef, list[str]]:
    """The release ids that would share one graph: graph IRI -> the ids, for every graph that two or
    more different ids map to."""
    by_graph: dict[URIRef, list[str]] = {}
    for rid in dict.fromkeys(release_ids):
        by_graph.setdefault(release_iri(rid), []).append(rid)
    return {graph: ids for graph, ids in by_graph.items() if len(ids) > 1}


def same_release(first: str, second: str) -> bool:
    """Whether two release ids name the same release graph."""
    return release_iri(first) == release_iri(second)


# --- ids -> IRIs ---------------------------------------------------------------------------------


def release_iri(release: str) -> URIRef:
    return ID[f"release/{slug(release)}"]


def agency_iri(key: str) -> URIRef:
    return ID[f"agency/{slug(key)}"]


def person_iri(name: str, agency_key: str | None) -> URIRef:
    return ID[f"person/{slug(agency_key or UNKNOWN_AGENCY)}/{slug(name)}"]


def post_iri(agency_key: str | None, title: str) -> URIRef:
    return ID[f"post/{slug(agency_key or UNKNOWN_AGENCY)}/{slug(title)}"]


def series_slug(name: str, participant_keys: Iterable[str]) -> str:
    """A series by its name and its members: "customs-cooperation-conference--hk-ced--kr-kcs"."""
    return "--".join([slug(name), *sorted({slug(k) for k in participant_keys})])


def series_iri(name: str, participant_keys: Iterable[str]) -> URIRef:
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


def fact_iri(kind: str, *parts: object) -> URIRef:
    """A fact of one of :data:`FACT_KINDS` by a digest of its identifying fields."""
    if kind not in FACT_KINDS:
        raise ValueError(f"unknown kind of fact {kind!r} (one of {', '.join(FACT_KINDS)})")
    return ID[f"{kind}/{digest(*parts)}"]


def evidence_iri(release: str, start: int, end: int) -> URIRef:
    """The quote of a release at characters ``[start, end)``."""
    return ID[f"evidence/{slug(release)}/{int(start)}-{int(end)}"]


def quote_selector_iri(release: str, start: int, end: int) -> URIRef:
    return URIRef(f"{evidence_iri(release, start, end)}/quote")


def position_selector_iri(release: str, start: int, end: int) -> URIRef:
    return URIRef(f"{evidence_iri(release, start, end)}/position")


def resolution_iri(release: str, agency_key: str, surface: str) -> URIRef:
    """A release's decision that the name ``surface`` means the agency ``agency_key``."""
    return ID[f"resolution/{slug(release)}/{slug(agency_key)}/{slug(surface)}"]


def run_iri(release: str, content_hash: str | None, version: str) -> URIRef:
    """One extraction of a release: its content (the first 12 hex digits of its hash) and version."""
    content = (content_hash or "").removeprefix("sha256:")[:12]
    return ID[f"run/{slug(release)}/{content}-{_version(version)}"]


def software_iri(version: str) -> URIRef:
    return ID[f"software/cckg/{_version(version)}"]


def _version(version: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z.+-]+", version):
        raise IdentityError(f"not a version: {version!r}")
    return version


def curation_iri(canonical: str) -> URIRef:
    """A curation entry by its canonical text."""
    return ID[f"curation/{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:16]}"]


def country_iri(code: str) -> URIRef:
    return ID[f"country/{slug(code).upper()}"]


def place_iri(city: str, country: str | None) -> URIRef:
    """A city that GeoNames does not know, by country and name."""
    return ID[f"place/{slug(country or 'xx')}/{slug(city)}"]


def city_iri(geonameid: int) -> URIRef:
    return GEONAMES[f"{int(geonameid)}/"]


def wikidata_iri(qid: str) -> URIRef:
    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise IdentityError(f"not a Wikidata item id: {qid!r}")
    return WIKIDATA[qid]


def crime_type_iri(notation: str) -> URIRef:
    return CRIME[slug(notation)]


def agreement_kind_iri(kind: str) -> URIRef:
    return AGREEMENT_KIND[slug(kind)]


def agency_kind_iri(kind: str) -> URIRef:
    return AGENCY_KIND[slug(kind)]


# --- IRIs -> ids ---------------------------------------------------------------------------------

#: How many path segments each kind of ``id:`` IRI has (several counts for some kinds).
SEGMENTS: dict[str, tuple[int, ...]] = {
    "release": (1,), "agency": (1,), "person": (2,), "post": (2,), "series": (1,), "event": (1, 2),
    "evidence": (2, 3), "resolution": (3,), "run": (2,), "software": (2,), "curation": (1,),
    "country": (1,), "place": (2,), **{kind: (1,) for kind in FACT_KINDS},
}  # fmt: skip


@dataclass(frozen=True)
class IriParts:
    """An ``id:`` IRI read back: its kind and the path segments after it."""

    kind: str
    segments: tuple[str, ...]

    def iri(self) -> URIRef:
        return ID["/".join((self.kind, *self.segments))]

    @property
    def agency_key(self) -> str | None:
        """The agency an agency, person or post IRI is derived from."""
        return self.segments[0] if self.kind in ("agency", "person", "post") else None

    @property
    def series(self) -> tuple[str, tuple[str, ...]] | None:
        """A series IRI, or the IRI of an event in a series: (series name, member agency keys)."""
        if self.kind not in ("series", "event") or "--" not in self.segments[0]:
            return None
        name, *keys = self.segments[0].split("--")
        return name, tuple(keys)


def notation_of(concept: str) -> str | None:
    """The notation of a crime type, agreement kind or agency kind IRI (None for another IRI)."""
    for scheme in (CRIME, AGREEMENT_KIND, AGENCY_KIND):
        if str(concept).startswith(scheme) and len(concept) > len(scheme):
            return str(concept)[len(scheme) :]
    return None


def checked_iri(text: str) -> URIRef:
    """``text`` as an absolute IRI, or :class:`IdentityError` when it is not one."""
    value = text.strip()
    if not _SCHEME.match(value) or IRI_FORBIDDEN.search(value):
        raise IdentityError(f"not a valid IRI: {text!r}")
    return URIRef(value)


def parse_iri(iri: str) -> IriParts:
    """The kind and segments of an ``id:`` IRI built by this module; :class:`IdentityError` else."""
    local = str(checked_iri(iri)).removeprefix(str(ID))
    kind, _, rest = local.partition("/")
    segments = tuple(rest.split("/")) if rest else ()
    if local == str(iri) or kind not in SEGMENTS or len(segments) not in SEGMENTS[kind] or "" in segments:
        raise IdentityError(f"not a cckg IRI: {str(iri)!r}")
    return IriParts(kind, segments)


def instance_iri(text: str, kind: str | None = None) -> URIRef:
    """``text`` as the IRI of a cckg instance (of ``kind`` when given); :class:`IdentityError` else."""
    parts = parse_iri(text)
    if kind is not None and parts.kind != kind:
        raise IdentityError(f"not the IRI of a {kind}: {text!r}")
    return parts.iri()


def rekeyed(iri: str, old: str, new: str) -> URIRef | None:
    """``iri`` with the agency key ``old`` replaced by ``new`` when the IRI is derived from it
    (an agency, its people and posts, the series and events of series it is a member of)."""
    try:
        parts = parse_iri(iri)
    except IdentityError:
        return None
    if parts.agency_key == old:
        return IriParts(parts.kind, (slug(new), *parts.segments[1:])).iri()
    if parts.series is not None and old in parts.series[1]:
        name, keys = parts.series
        head = "--".join([name, *sorted({slug(new) if k == old else k for k in keys})])
        return IriParts(parts.kind, (head, *parts.segments[1:])).iri()
    return None
