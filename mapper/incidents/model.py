"""The incident model: what happened, where, when, who claims it, who verified it, who reported it.

Plain dataclasses with no heavy imports, so every reader, writer, the validator, the map and the
extractor share one shape. ``Incident.to_dict()`` gives the canonical nested record (what the
YAML holds); :func:`mapper.incidents.checks.incident_from_record` is the one way back, with every
check.

Vocabularies are documented tuples; categories are extensible (an unknown category is a warning,
not an error, so a newsroom can add its own).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "approximate")
"""How precise ``date`` is: a known day, a month, a year, or an approximate date/range."""

GEO_PRECISIONS: tuple[str, ...] = ("exact", "settlement", "admin2", "admin1", "country", "zone",
                                   "feature")
"""How precise the place is: exact coordinates, a settlement point, a district, an oblast or
province, a country, a zone (such as a border strip), or a lake, sea or mountain range (a point
near its middle: the feature has no outline here)."""
AREA_PRECISIONS = frozenset({"admin2", "admin1", "country", "zone"})
"""The geo precisions of a place that is an area (drawn and exported as its polygon)."""

# ACLED geo_precision: 1 = exact place, 2 = near / part of a region, 3 = only a larger region.
ACLED_GEO_PRECISION: dict[str, int] = {
    "exact": 1, "settlement": 1, "admin2": 2, "zone": 2, "admin1": 3, "country": 3,
    "feature": 3,
}
# ACLED time_precision: 1 = day, 2 = week or a few days, 3 = month or longer.
ACLED_TIME_PRECISION: dict[str, int] = {"day": 1, "approximate": 2, "month": 3, "year": 3}

CATEGORIES: dict[str, str] = {
    "raid": "Cross-border raid or incursion by ground forces",
    "shelling": "Artillery, mortar or rocket fire",
    "air-strike": "Strike by aircraft, missile or guided bomb",
    "drone-strike": "Strike or attack by drone",
    "capture": "Capture of people, equipment or territory",
    "clash": "Armed clash between forces",
    "explosion": "Explosion or blast without a clearer cause",
    "destruction": "Destruction of buildings, depots, vehicles or equipment",
    "sabotage": "Sabotage of infrastructure or equipment",
    "evacuation": "Evacuation of civilians",
    "casualties": "Deaths or injuries reported without a clearer event",
    "statement": "A public statement, press event or presentation tied to a place",
    "other": "Anything else worth mapping",
}
"""Documented categories. Extensible: other values are kept and flagged as warnings."""

VERIFICATION_STATUSES: tuple[str, ...] = ("unverified", "disputed", "confirmed")
REVIEW_STATUSES: tuple[str, ...] = ("draft", "reviewed")
"""Review status: ``draft`` (machine-extracted, not yet checked by a person) or ``reviewed``.
A record without the field is ``reviewed`` (hand-written), unless it carries an extraction
``confidence`` (then it is a ``draft``)."""
STANCES: tuple[str, ...] = ("asserts", "denies")
FIGURE_KINDS: tuple[str, ...] = (
    "killed", "wounded", "captured", "missing", "destroyed", "evacuated", "fighters", "other",
)


@dataclass
class Source:
    """Where the incident was reported, with the quote it rests on."""

    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: dt.date | None = None
    quote: str | None = None
    archive_url: str | None = None


@dataclass
class Claim:
    """One party's statement about the incident: who says it, what, with which figures."""

    by: str
    statement: str | None = None
    stance: str = "asserts"
    figures: dict[str, int] = field(default_factory=dict)
    quote: str | None = None
    source_url: str | None = None


@dataclass
class Verification:
    """Whether anyone independently verified the incident, and who says so."""

    status: str = "unverified"
    by: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class Location:
    """The place: as written in the source, and as resolved through the gazetteer.

    ``lat``/``lon`` is the point to show (a settlement point, or an area's label point);
    ``place_id`` names the gazetteer entry whose geometry (a polygon for admin areas and zones)
    the map and the GIS export draw. Explicit coordinates in an input file win over the gazetteer.
    """

    name: str
    place_id: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    resolution: str | None = None  # how it was resolved: "gazetteer: exact name, admin1 ..."

    @property
    def resolved(self) -> bool:
        """Whether the place has coordinates."""
        return self.lat is not None and self.lon is not None


@dataclass
class Incident:
    """A dated, placed event with attributed claims, verification and sources."""

    id: str
    date: dt.date | None
    place: Location
    category: str
    summary: str = ""
    date_end: dt.date | None = None
    date_precision: str = "day"
    actors: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    verification: Verification = field(default_factory=Verification)
    sources: list[Source] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    confidence: float | None = None  # drafts from `mapper extract`; None for curated records
    evidence: str | None = None  # the sentence a draft was extracted from
    status: str = "reviewed"  # "draft" for machine drafts (REVIEW_STATUSES)
    reviewed_by: str | None = None  # who accepted the draft (`mapper review`)
    reviewed_at: dt.datetime | None = None  # when it was accepted (UTC)

    @property
    def is_draft(self) -> bool:
        """Whether the incident is a machine draft nobody has reviewed yet."""
        return self.status == "draft"

    # -- derived views -------------------------------------------------------------------------
    @property
    def claimed_by(self) -> list[str]:
        """Parties that assert (not deny) the incident, in order, without repeats."""
        return list(dict.fromkeys(c.by for c in self.claims if c.stance == "asserts"))

    @property
    def acled_geo_precision(self) -> int | None:
        """ACLED's geo_precision code (1 exact, 2 near, 3 region), or None."""
        return ACLED_GEO_PRECISION.get(self.place.geo_precision or "")

    @property
    def acled_time_precision(self) -> int:
        """ACLED's time_precision code (1 day, 2 days or a week, 3 month or more)."""
        if self.date_end and self.date_end != self.date and self.date_precision == "day":
            return 2
        return ACLED_TIME_PRECISION.get(self.date_precision, 3)

    # -- canonical record ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The canonical nested record: JSON-able, dates as ISO strings, empty values dropped.

        Same result as pruning ``asdict(self)`` of empty values with dates as text, built in one
        pass (asdict deep-copies and was most of the cost of exporting 100,000 incidents).
        """
        return _record(self)


def default_status(record: dict[str, Any]) -> str:
    """The status of a record that does not state one: a draft when it carries an extraction
    ``confidence``, else reviewed (a hand-written file).
    """
    return "draft" if record.get("confidence") is not None else "reviewed"


def stable_id(*parts: object) -> str:
    """A short id derived from content, so reruns and re-imports give the same id."""
    digest = hashlib.sha1(json.dumps([str(p) for p in parts]).encode("utf-8")).hexdigest()
    return f"inc-{digest[:10]}"







_FIELD_GETTERS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple]]] = {}


_PLAIN = frozenset({str, int, float, bool, type(None)})
_EMPTY_IF_FALSY = frozenset({str, list, dict})


def _record(value: Any) -> Any:
    """Dataclasses to dicts, dates to ISO strings; None, "", [] and {} dropped from mappings."""
    t = type(value)
    getter = _FIELD_GETTERS.get(t)
    if getter is not None:  # a model dataclass seen before: the common case, tested first
        pairs: Any = zip(getter[0], getter[1](value), strict=True)
    elif t in _PLAIN:
        return value
    elif t is list:
        return [v if type(v) in _PLAIN else _record(v) for v in value]
    elif isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    elif t is dict:
        pairs = value.items()
    elif isinstance(value, tuple):
        return tuple(_record(v) for v in value)
    elif isinstance(value, (list, dict)):  # subclasses: rare, keep the generic path
        return _record(list(value) if isinstance(value, list) else dict(value))
    else:  # a dataclass (fields() raises TypeError for anything else, as asdict did)
        names, get = _FIELD_GETTERS[t] = _field_getter(t)
        pairs = zip(names, get(value), strict=True)
    out = {}
    for k, v in pairs:
        if v is None:
            continue
        tv = type(v)
        # the common cases inline (a call per value was most of the cost): text and lists are
        # kept unless empty, dates become ISO text
        if tv is str:
            if v:
                out[k] = v
            continue
        if tv is list:
            if v:
                out[k] = [x if type(x) in _PLAIN else _record(x) for x in v]
            continue
        if tv is dt.date:
            out[k] = v.isoformat()
            continue
        if tv not in _PLAIN:
            v = _record(v)
            tv = type(v)
        if not v and tv in _EMPTY_IF_FALSY:
            continue
        out[k] = v
    return out


def _field_getter(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """A dataclass's field names and a C-level getter of all their values as one tuple
    (one call per record instead of a getattr per field).
    """
    names = tuple(f.name for f in fields(cls))
    get = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name returns the value, not a 1-tuple
        return names, lambda obj, _get=get: (_get(obj),)
    return names, get
