"""Typed facts extracted from one release.

The field names follow the release JSON format (docs/release-json.md); every fact also carries
its evidence (quote and character offsets into ``Release.text``) and a confidence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Evidence:
    """A quote from the release and its character offsets ``[start, end)`` in the release text."""

    quote: str
    start: int
    end: int


@dataclass
class Agency:
    name: str
    acronyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    kind: str = "other"
    key: str | None = None  # gazetteer id when known; stable identity across releases
    wikidata: str | None = None
    # How the release's other names for it were tied to it: (name, reason, evidence).
    resolutions: list[tuple[str, str, Evidence]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Official:
    name: str
    honorific: str | None = None
    title: str | None = None  # as written: "Commissioner of Customs and Excise"
    agency: str | None = None
    post: str | None = None  # the post without its agency: "Commissioner"
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Event:
    kind: str
    name: str | None = None
    ordinal: int | None = None
    start: str | None = None
    end: str | None = None
    city: str | None = None
    country: str | None = None
    participants: list[str] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)
    delegation_heads: list[str] = field(default_factory=list)
    status: str = "held"  # held | planned
    series: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Agreement:
    kind: str
    name: str
    date: str | None = None
    parties: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Operation:
    name: str | None  # None: an operation the text reports without a name
    start: str | None = None
    end: str | None = None
    led_by: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    crime_types: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Seizure:
    goods: str
    quantity: float
    unit: str
    qualifier: str | None = None
    date: str | None = None
    city: str | None = None
    country: str | None = None
    crime_types: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Cooperation:
    agencies: tuple[str, str]
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0


class Places(Protocol):
    """What the RDF mapping needs to know about places, handed to it as data by the pipeline."""

    def city(self, name: str) -> tuple[int, str] | None:
        """The GeoNames id and ISO 3166 country code of a city GeoNames knows, else None."""

    def country_name(self, code: str) -> str:
        """The common name of a country by its ISO 3166 code."""


@dataclass
class ReleaseFacts:
    """Everything extracted from one release."""

    id: str
    source: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    language: str = "en"
    content_hash: str | None = None
    agencies: list[Agency] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    seizures: list[Seizure] = field(default_factory=list)
    crime_types: list[str] = field(default_factory=list)
    crime_type_evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    cooperation: list[Cooperation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The release JSON object (docs/release-json.md), evidence included."""
        data = asdict(self)
        data["cooperation"] = [list(c.agencies) for c in self.cooperation]
        data["cooperation_evidence"] = [[asdict(e) for e in c.evidence] for c in self.cooperation]
        return data
