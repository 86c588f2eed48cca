"""What the gazetteer returns: places, candidates with their structured match, reverse results.

Also the numeric name types and kinds the builder writes and the search reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Name types (lower is stronger). The builder writes them; ranking reads them.
NAME, ALIAS, STEM, ALT, FORM = 0, 1, 2, 3, 4
NAME_TYPE_LABELS = {NAME: "name", ALIAS: "alias", STEM: "area name without its type",
                    ALT: "alternate name", FORM: "inflected form"}
NAME_TYPE_KEYS = {NAME: "name", ALIAS: "alias", STEM: "stem", ALT: "alternate", FORM: "form"}
"""Name type number -> :attr:`Match.name_type`."""
KINDS = ("settlement", "admin1", "admin2", "country", "region", "zone", "feature")
"""Kinds of place. ``region``: a continent, a nation of the UK or a well-known region
("Middle East", "Donbas"), see ``mapper.gazetteer.regions``; ``feature``: a river, lake, sea or
mountain, see ``mapper.gazetteer.features``."""
AREA_KINDS = ("admin1", "admin2", "country", "region", "zone")
FLAG_CAPITAL, FLAG_ADMIN_SEAT = 1, 2


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer: a settlement point or an area with its label point."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    geonameid: int | None = None
    population: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (coordinates rounded to 5 decimals, about 1 m)."""
        return {"id": self.id, "name": self.name, "kind": self.kind,
                "lat": round(self.lat, 5), "lon": round(self.lon, 5),
                "country_code": self.country_code, "admin1": self.admin1,
                "admin1_code": self.admin1_code, "geonameid": self.geonameid,
                "population": self.population,
                "bbox": list(self.bbox) if self.bbox else None}


@dataclass(frozen=True)
class Match:
    """How a query matched a place, structured (the English ``Candidate.reason`` is for people).

    Attributes
    ----------
    name_type
        The kind of name that matched: ``"name"`` (the place's own name), ``"alias"`` (a curated
        alias or another official form), ``"stem"`` (an area's name without its type: "Kursk"
        for Kursk Oblast), ``"alternate"`` (a GeoNames alternate name or spelling), ``"form"``
        (a case form of a Russian or Ukrainian name: "Шебекине", see ``inflect``),
        ``"abbreviation"`` (a postal abbreviation in capitals: "TX").
    key
        The normalised key that matched (the query's, a variant's or a fuzzy neighbour's).
    admin_form
        The administrative term the query carried ("oblast", "district", "regional name") when
        it was read as an area, else None.
    full_area_name
        True when the whole query ("Kursk Oblast") is the area's name, not stem plus term.
    variant
        The spelling variant of the query that matched (Arabic article, saint/st, no spaces,
        transliteration), else None.
    fuzzy_ratio
        Similarity in percent of a typo-tolerant match, else None.
    fallback_term
        Set when the query named an area type that the gazetteer lacks ("Sudzha district") and
        the answer is the place the area is named after: the missing term.
    zone
        For border zones: ``"name"`` (by the zone's name), ``"area"`` (the zone of the named
        area), ``"pair"`` (between two named countries) or ``"unspecified"`` ("the border zone").
    """

    name_type: str
    key: str
    admin_form: str | None = None
    full_area_name: bool = False
    variant: str | None = None
    fuzzy_ratio: float | None = None
    fallback_term: str | None = None
    zone: str | None = None

    @property
    def fuzzy(self) -> bool:
        """Whether this is a typo-tolerant match."""
        return self.fuzzy_ratio is not None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict, None-valued fields left out."""
        out: dict[str, Any] = {"name_type": self.name_type, "key": self.key}
        for k in ("admin_form", "variant", "fuzzy_ratio", "fallback_term", "zone"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        if self.full_area_name:
            out["full_area_name"] = True
        return out


@dataclass(frozen=True)
class Candidate:
    """One ranked answer to a query."""

    place: Place
    score: float
    reason: str
    """How it matched and why it ranks, in words for people (not to be parsed: read ``match``)."""
    matched: str
    fuzzy: bool = False
    match: Match | None = None
    """How the query matched this place, as fields (None only for hand-made candidates)."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: the place's fields, score, reason, fuzzy flag and ``match``."""
        p = self.place
        return {"id": p.id, "name": p.name, "kind": p.kind, "lat": round(p.lat, 5),
                "lon": round(p.lon, 5), "country_code": p.country_code, "admin1": p.admin1,
                "admin1_code": p.admin1_code, "geonameid": p.geonameid,
                "population": p.population, "score": round(self.score, 3),
                "reason": self.reason, "fuzzy": self.fuzzy,
                "match": self.match.to_json() if self.match else None}


@dataclass(frozen=True)
class ReverseResult:
    """What lies at a point: nearest settlement, admin1, country and the zones containing it."""

    lat: float
    lon: float
    settlement: Place | None
    distance_km: float | None
    admin1: Place | None
    country: Place | None
    zones: list[Place] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (places as :meth:`Place.to_json`)."""
        return {"lat": self.lat, "lon": self.lon,
                "settlement": self.settlement.to_json() if self.settlement else None,
                "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
                "admin1": self.admin1.to_json() if self.admin1 else None,
                "country": self.country.to_json() if self.country else None,
                "zones": [z.to_json() for z in self.zones]}
