"""The record checks: one raw record -> an :class:`~mapper.incidents.model.Incident`, problems.

:class:`RecordChecker` is the one record -> ``Incident`` builder every reader's output goes
through: required fields, types and vocabularies (the friendly side of the JSON Schema in
:mod:`mapper.incidents.schema`; a test keeps the two in step), real calendar dates not in the
future, coordinates in range, http(s) URLs only, sources and claims.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from dataclasses import dataclass, fields
from typing import Any

from mapper.dates import parse_date, parse_timestamp
from mapper.errors import DataError
from mapper.guards import is_number as _is_number
from mapper.guards import kind as _kind
from mapper.guards import short as _short
from mapper.incidents.files import Entry, fixed_locator
from mapper.incidents.model import (
    CATEGORIES,
    DATE_PRECISIONS,
    FIGURE_KINDS,
    GEO_PRECISIONS,
    REVIEW_STATUSES,
    STANCES,
    VERIFICATION_STATUSES,
    Claim,
    Incident,
    Location,
    Source,
    Verification,
    default_status,
)
from mapper.urls import url_problem

MAX_TEXT = 100_000
"""Longest text value accepted (characters); a longer one is almost always a broken file."""

FUTURE_GRACE_DAYS = 1  # a date "tomorrow" in UTC may be today somewhere east of Greenwich

INCIDENT_FIELDS = [f.name for f in fields(Incident)]
PLACE_FIELDS = [f.name for f in fields(Location)]
CLAIM_FIELDS = [f.name for f in fields(Claim)]
SOURCE_FIELDS = [f.name for f in fields(Source)]
VERIFICATION_FIELDS = [f.name for f in fields(Verification)]
_KNOWN: dict[int, frozenset[str]] = {}  # id(field list) -> set, for fast membership

@dataclass(frozen=True)
class Problem:
    """One finding: severity ("error" | "warning"), where it is, and what to do."""

    severity: str
    path: str
    where: int | str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        loc = self.path if self.where is None else f"{self.path}:{self.where}"
        mid = f"{self.field}: " if self.field else ""
        return f"{self.severity}: {loc}: {mid}{self.message}"

    def to_error(self, more: int = 0) -> DataError:
        """The problem as the one-line error a reader raises."""
        suffix = (f" (and {more} more error{'s' if more > 1 else ''}; see `mapper validate "
                  f"{self.path}`)" if more else "")
        return DataError(self.message + suffix, path=self.path, line=self.where,
                         field=self.field)


class RecordChecker:
    """Checks one raw record and builds the Incident; problems go to the shared list."""

    def __init__(self, entry: Entry, today: dt.date, problems: list[Problem]) -> None:
        self.entry, self.today, self.problems = entry, today, problems
        self.errors = 0

    # -- reporting
    def add(self, severity: str, field: str, message: str) -> None:
        """Record a problem at ``field`` of this record."""
        e = self.entry
        where = e.locate(field) if field else e.where
        self.problems.append(Problem(severity, e.path, where, e.label(field) if field else None,
                                     message))
        if severity == "error":
            self.errors += 1

    def err(self, field: str, message: str) -> None:
        """Record an error at ``field``."""
        self.add("error", field, message)

    def warn(self, field: str, message: str) -> None:
        """Record a warning at ``field``."""
        self.add("warning", field, message)

    # -- typed getters (None when absent; an error and None when wrong)
    def text(self, data: dict, key: str, field: str, *, required: bool = False) -> str | None:
        """The text at ``key`` (stripped), None when absent; an error and None when not text."""
        value = data.get(key)
        if type(value) is str and len(value) <= MAX_TEXT:  # the common case, fast
            value = value.strip()
            if value:
                return value
        if value is None or value == "":
            if required:
                self.err(field, "missing; this field is required")
            return None
        if isinstance(value, bool):
            self.err(field, f"expected text, found {str(value).lower()} (YAML reads yes/no/"
                     "on/off as true/false; put the value in quotes)")
            return None
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            self.err(field, f"expected text, found {_kind(value)}")
            return None
        if len(value) > MAX_TEXT:
            self.err(field, f"text of {len(value):,} characters (the limit is {MAX_TEXT:,}); "
                     "is the file broken (a missing quote)?")
            return None
        return value.strip() or None

    def text_list(self, data: dict, key: str, field: str) -> list[str]:
        """A list of names at ``key`` (one text is a list of one)."""
        value = data.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.err(field, f"expected a list of names, found {_kind(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if type(item) is str and len(item) <= MAX_TEXT:  # plain text: what text() does
                item = item.strip()
            else:
                item = self.text({"v": item}, "v", f"{field}[{i}]")
            if item:
                out.append(item)
        return out

    def date(self, data: dict, key: str, field: str, *, required: bool = False,
             future_ok: bool = False) -> tuple[dt.date | None, str | None]:
        """The date at ``key`` and the precision its form implies; an error when not a date."""
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.err(field, "missing; give the date as YYYY-MM-DD")
            return None, None
        try:
            day, precision = parse_date(value)
        except ValueError as exc:
            self.err(field, str(exc))
            return None, None
        if not future_ok and day > _latest_date(self.today):
            self.err(field, f"{day.isoformat()} is in the future (today is "
                     f"{self.today.isoformat()}); check the year")
        return day, precision

    def timestamp(self, data: dict, key: str) -> dt.datetime | None:
        """An ISO 8601 date and time (``2024-03-16T14:05:00+00:00``), or None."""
        value = data.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            self.err(key, str(exc))
            return None

    def mapping(self, value: Any, field: str, allowed: list[str], what: str) -> dict | None:
        """``value`` as a mapping whose keys are all in ``allowed`` (unknown keys are errors)."""
        if not isinstance(value, dict):
            self.err(field, f"expected {what} (a mapping of fields), found {_kind(value)}")
            return None
        known = _KNOWN.get(id(allowed))
        if known is None:
            known = _KNOWN[id(allowed)] = frozenset(allowed)
        for key in value:
            if key not in known:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                fix = f"did you mean `{hint[0]}`?" if hint else \
                    f"known fields: {', '.join(allowed)}"
                self.err(f"{field}.{key}" if field else str(key),
                         f"unknown field `{_short(str(key))[1:-1]}`; {fix}")
        return value

    # -- the record
    def incident(self) -> Incident | None:
        """The Incident the record describes, or None when it has errors."""
        rec = self.mapping(self.entry.record, "", INCIDENT_FIELDS, "an incident")
        if rec is None:
            return None
        inc_id = self.text(rec, "id", "id", required=True)
        if inc_id is not None and ("\n" in inc_id or len(inc_id) > 200):
            self.err("id", "an id is one short line (letters, digits, dashes)")
        status = self.text(rec, "status", "status") or default_status(rec)
        if status not in REVIEW_STATUSES:
            self.err("status", f"unknown status {_short(status)}; use one of "
                     f"{', '.join(REVIEW_STATUSES)}")
        draft = status == "draft"
        # a draft may lack a date or a source (extraction found none): a warning, so the review
        # shows it; accepting it into a curated file needs both
        date, date_prec = self.date(rec, "date", "date", required=not draft)
        if draft and rec.get("date") in (None, ""):
            self.warn("date", "draft without a date; set one when you review it (`mapper review`)")
        date_end, _ = self.date(rec, "date_end", "date_end")
        if date and date_end and date_end < date:
            self.err("date_end", f"{date_end.isoformat()} is before the start date "
                     f"{date.isoformat()}; swap them or fix one")
        precision = self.text(rec, "date_precision", "date_precision") or date_prec or "day"
        if precision not in DATE_PRECISIONS:
            self.err("date_precision", f"unknown precision {_short(precision)}; use one of "
                     f"{', '.join(DATE_PRECISIONS)}")
        place = self.place(rec.get("place"))
        category = self.text(rec, "category", "category")
        if category is None:
            if "category" not in rec:
                self.warn("category", "missing; 'other' is assumed")
            category = "other"
        elif category not in CATEGORIES:
            hint = difflib.get_close_matches(category, list(CATEGORIES), n=1)
            self.warn("category", f"{_short(category)} is not a documented category"
                      + (f" (did you mean {hint[0]!r}?)" if hint else
                         f" ({', '.join(CATEGORIES)}); it is kept as is"))
        summary = self.text(rec, "summary", "summary") or ""
        actors = self.text_list(rec, "actors", "actors")
        tags = self.text_list(rec, "tags", "tags")
        sources = self.sources(rec.get("sources"), date)
        if draft and not rec.get("sources"):
            self.warn("sources", "draft without a source; check where it comes from before "
                      "accepting it")
        claims = self.claims(rec.get("claims"), sources)
        verification = self.verification(rec.get("verification"))
        confidence = rec.get("confidence")
        if confidence is not None and (not _is_number(confidence) or not 0 <= confidence <= 1):
            self.err("confidence", f"expected a number from 0 to 1, found {_short(confidence)}")
            confidence = None
        evidence = self.text(rec, "evidence", "evidence")
        reviewed_by = self.text(rec, "reviewed_by", "reviewed_by")
        reviewed_at = self.timestamp(rec, "reviewed_at")
        if self.errors or place is None or inc_id is None:
            return None
        return Incident(id=inc_id, date=date, date_end=date_end, date_precision=precision,
                        place=place, category=category, summary=summary, actors=actors,
                        claims=claims, verification=verification, sources=sources, tags=tags,
                        confidence=confidence, evidence=evidence, status=status,
                        reviewed_by=reviewed_by, reviewed_at=reviewed_at)

    def place(self, value: Any) -> Location | None:
        """The Location of the record (a name, or a mapping; the geometry gives lat/lon)."""
        if value is None or value == "":
            self.err("place", "missing; give the place as written (`place: Tyotkino`) or a "
                     "mapping with name and optional lat/lon")
            return None
        if isinstance(value, str):
            value = {"name": value}
        data = self.mapping(value, "place", PLACE_FIELDS, "a place")
        if data is None:
            return None
        name = self.text(data, "name", "place.name", required=True)
        lat = self.coordinate(data, "lat", 90.0)
        lon = self.coordinate(data, "lon", 180.0)
        geometry = self.entry.extra.get("geometry")
        if geometry is not None:
            glat, glon = self.geometry(geometry, need_point=lat is None and lon is None)
            is_point = geometry.get("type") == "Point"
            if lat is None and lon is None and glat is not None:
                lat, lon = glat, glon
                if is_point:
                    self.entry.extra["point_from_geometry"] = True
                elif not data.get("geo_precision"):
                    data = {**data, "geo_precision": "zone"}  # a drawn area, not a known point
            elif glat is not None and glon is not None and lat is not None and lon is not None \
                    and is_point and not _near((glat, glon), (lat, lon)):
                lat, lon = self._point_or_columns((glat, glon), (lat, lon))
        lat_given, lon_given = (data.get(k) not in (None, "") for k in ("lat", "lon"))
        if lat_given != lon_given:
            missing = "lat" if lon_given else "lon"
            self.err(f"place.{missing}", "lat and lon go together; give both or neither")
        geo_precision = self.text(data, "geo_precision", "place.geo_precision")
        if geo_precision and geo_precision not in GEO_PRECISIONS:
            self.err("place.geo_precision", f"unknown precision {_short(geo_precision)}; use "
                     f"one of {', '.join(GEO_PRECISIONS)}")
        place_id = self.text(data, "place_id", "place.place_id")
        if place_id and not _PLACE_ID_RE.match(place_id):
            self.err("place.place_id", f"{_short(place_id)} is not a gazetteer id (gn:NNN, "
                     "adm0:XX, adm1:XX-YYY, adm2:..., zone:...); see `mapper geocode NAME --json`")
        country = self.text(data, "country_code", "place.country_code")
        if country and not _COUNTRY_RE.match(country):
            self.err("place.country_code", f"{_short(country)} is not an ISO 3166 alpha-2 code "
                     "(such as UA, RU)")
        if name is None:
            return None
        return Location(name=name, place_id=place_id,
                        kind=self.text(data, "kind", "place.kind"), lat=lat, lon=lon,
                        geo_precision=geo_precision, country_code=country,
                        admin1=self.text(data, "admin1", "place.admin1"),
                        resolution=self.text(data, "resolution", "place.resolution"))

    def _point_or_columns(self, point: tuple[float, float], columns: tuple[float, float],
                          ) -> tuple[float | None, float | None]:
        """A Point geometry and lat/lon columns that disagree: with an older export's
        ``record`` to tell which one was edited, the edited one wins; else an error.
        """
        base = self.entry.extra.get("base_point")
        if base is not None and _near(base, columns):
            self.entry.extra["point_from_geometry"] = True
            self.warn("geometry", f"the point was moved from ({columns[0]:g}, {columns[1]:g}); "
                      "the move is kept")
            return point
        if base is not None and _near(base, point):
            self.warn("place.lat", "lat/lon were edited; they win over the Point geometry")
            return columns
        self.err("geometry", f"the Point ({point[0]:g}, {point[1]:g}) and the lat/lon columns "
                 f"({columns[0]:g}, {columns[1]:g}) disagree; move the point or edit lat/lon, "
                 "not both (empty lat/lon to keep the point)")
        return None, None

    def coordinate(self, data: dict, key: str, limit: float) -> float | None:
        """Latitude or longitude at ``key`` in range, or None."""
        value = data.get(key)
        field = f"place.{key}"
        if value is None or value == "":
            return None
        if not _is_number(value):
            self.err(field, f"expected a number in decimal degrees, found {_short(value)}")
            return None
        value = float(value)
        if not math.isfinite(value) or abs(value) > limit:
            other = data.get("lon" if key == "lat" else "lat")
            swap = (" (are lat and lon swapped? lat is north-south, -90..90)"
                    if key == "lat" and isinstance(other, (int, float)) and _is_number(other)
                    and abs(value) <= 180 and abs(other) <= 90 else "")
            name = "latitude" if key == "lat" else "longitude"
            self.err(field, f"{name} {_short(value)} is outside -{limit:g}..{limit:g}{swap}")
            return None
        return value

    def geometry(self, geom: Any, need_point: bool = True) -> tuple[float | None, float | None]:
        """Check a GeoJSON geometry; its point (a Point, or an area's label point if needed)."""
        if not isinstance(geom, dict) or "type" not in geom:
            self.err("geometry", "not a GeoJSON geometry object (or null)")
            return None, None
        coords = geom.get("coordinates")
        if geom["type"] == "Point":
            if not (isinstance(coords, list) and len(coords) >= 2 and _is_number(coords[0])
                    and _is_number(coords[1])):
                self.err("geometry", "a Point needs [lon, lat] numbers")
                return None, None
            lon, lat = float(coords[0]), float(coords[1])
            if abs(lat) > 90 or abs(lon) > 180:
                swap = " (looks like [lat, lon]; GeoJSON is [lon, lat])" \
                    if abs(lon) <= 90 < abs(lat) <= 180 else ""
                self.err("geometry", f"Point [{lon:g}, {lat:g}] is outside the world{swap}")
                return None, None
            return lat, lon
        if geom["type"] in ("Polygon", "MultiPolygon", "LineString", "MultiLineString",
                            "MultiPoint", "GeometryCollection"):
            if not need_point:  # the record has its point; an exported area is not re-parsed
                return None, None
            import shapely.geometry
            from shapely.errors import ShapelyError

            try:
                point = shapely.geometry.shape(geom).representative_point()
                return point.y, point.x
            except (ShapelyError, ValueError, TypeError, LookupError):  # malformed coordinates
                self.err("geometry", f"malformed {geom['type']} coordinates")
                return None, None
        self.err("geometry", f"unknown geometry type {_short(geom['type'])}")
        return None, None

    def sources(self, value: Any, date: dt.date | None) -> list[Source]:
        """The sources (shared sources filled in by url)."""
        if value is None or value == []:
            self.warn("sources", "no sources; add the report(s) the incident rests on")
            return []
        if not isinstance(value, list):
            self.err("sources", f"expected a list of sources, found {_kind(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            field = f"sources[{i}]"
            if isinstance(item, str):
                item = {"url": item}
            if isinstance(item, dict) and isinstance(item.get("url"), str) \
                    and item["url"] in self.entry.shared:
                item = {**self.entry.shared[item["url"]], **item}
            src = self.source(item, field, date)
            if src is not None:
                out.append(src)
        return out

    def source(self, item: Any, field: str, date: dt.date | None) -> Source | None:
        """One source record."""
        data = self.mapping(item, field, SOURCE_FIELDS, "a source")
        if data is None:
            return None
        src = Source(outlet=self.text(data, "outlet", f"{field}.outlet"),
                     title=self.text(data, "title", f"{field}.title"),
                     url=self.url(data, "url", f"{field}.url"),
                     author=self.text(data, "author", f"{field}.author"),
                     quote=self.text(data, "quote", f"{field}.quote"),
                     archive_url=self.url(data, "archive_url", f"{field}.archive_url"))
        src.published, _ = self.date(data, "published", f"{field}.published")
        if not (data.get("url") or src.outlet or src.title):
            self.err(field, "a source needs at least a url, an outlet or a title")
        if src.published is None and "published" not in data:
            self.warn(f"{field}.published", "source without a publication date; add "
                      "`published: YYYY-MM-DD`")
        elif src.published and date and src.published < date:
            self.warn(f"{field}.published", f"published {src.published.isoformat()}, before "
                      f"the incident date {date.isoformat()}; check both")
        return src

    def shared_source(self) -> None:
        """Check a top-level shared source record."""
        self.source(self.entry.record, "", None)

    def url(self, data: dict, key: str, field: str) -> str | None:
        """The http(s) URL at ``key``, or None (other schemes are errors)."""
        value = self.text(data, key, field)
        if value is None:
            return None
        problem = url_problem(value)
        if problem:
            self.err(field, problem)
            return None
        return value

    def claims(self, value: Any, sources: list[Source]) -> list[Claim]:
        """The claims, each with who, stance, figures, quote and source."""
        if value is None or value == []:
            return []
        if not isinstance(value, list):
            self.err("claims", f"expected a list of claims, found {_kind(value)}")
            return []
        urls = {s.url for s in sources if s.url}
        out = []
        for i, item in enumerate(value):
            field = f"claims[{i}]"
            data = self.mapping(item, field, CLAIM_FIELDS, "a claim")
            if data is None:
                continue
            by = self.text(data, "by", f"{field}.by", required=True)
            stance = self.text(data, "stance", f"{field}.stance") or "asserts"
            if stance not in STANCES:
                self.err(f"{field}.stance", f"unknown stance {_short(stance)}; use "
                         f"{' or '.join(STANCES)}")
            figures = self.figures(data.get("figures"), f"{field}.figures")
            source_url = self.url(data, "source_url", f"{field}.source_url")
            quote = self.text(data, "quote", f"{field}.quote")
            if not source_url and len(sources) != 1 and "source_url" not in data:
                self.warn(field, "claim without a source_url; say which report carries it")
            elif source_url and urls and source_url not in urls:
                self.warn(f"{field}.source_url", "not among the incident's sources; add the "
                          "source or fix the url")
            if not quote:
                self.warn(field, "claim without a quote; add the sentence it rests on")
            if by is not None:
                out.append(Claim(by=by, statement=self.text(data, "statement",
                                                            f"{field}.statement"),
                                 stance=stance, figures=figures, quote=quote,
                                 source_url=source_url))
        return out

    def figures(self, value: Any, field: str) -> dict[str, int]:
        """Whole-number figures by kind (killed, wounded, ...)."""
        if value is None or value == {}:
            return {}
        if not isinstance(value, dict):
            self.err(field, f"expected a mapping such as {{killed: 2, wounded: 5}}, found "
                     f"{_kind(value)}")
            return {}
        out = {}
        for kind, count in value.items():
            if kind not in FIGURE_KINDS:
                self.warn(f"{field}.{kind}", f"unknown figure kind; known: "
                          f"{', '.join(FIGURE_KINDS)}")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                self.err(f"{field}.{kind}", f"expected a whole number >= 0, found "
                         f"{_short(count)}")
                continue
            out[str(kind)] = count
        return out

    def verification(self, value: Any) -> Verification:
        """The verification status (text or a mapping)."""
        if value is None or value == "":
            return Verification()
        if isinstance(value, str):
            value = {"status": value}
        data = self.mapping(value, "verification", VERIFICATION_FIELDS, "a verification")
        if data is None:
            return Verification()
        status = self.text(data, "status", "verification.status") or "unverified"
        if status not in VERIFICATION_STATUSES:
            self.err("verification.status", f"unknown status {_short(status)}; use one of "
                     f"{', '.join(VERIFICATION_STATUSES)}")
        return Verification(status=status, by=self.text_list(data, "by", "verification.by"),
                            note=self.text(data, "note", "verification.note"))



# ---------------------------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=4)
def _latest_date(today: dt.date) -> dt.date:
    """The latest date not "in the future" (computed once, not once per date checked)."""
    return today + dt.timedelta(days=FUTURE_GRACE_DAYS)


_PLACE_ID_RE = re.compile(r"^(gn|adm0|adm1|adm2|zone):\S+$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
def _near(a: Any, b: Any) -> bool:
    """Whether two (lat, lon) pairs are the same point up to export rounding (6 decimals)."""
    try:
        return abs(float(a[0]) - float(b[0])) <= 2e-6 and abs(float(a[1]) - float(b[1])) <= 2e-6
    except (TypeError, ValueError, IndexError):
        return False


def incident_from_record(record: Any, *, path: str = "<record>") -> Incident:
    """The one record -> :class:`Incident` builder for a record held in memory (every reader's
    records go through the same :class:`RecordChecker`).

    Raises :class:`~mapper.errors.DataError` naming the first error (and how many more).

    >>> incident_from_record({"id": "a1", "date": "2024-03-12", "place": "Sudzha"}).status
    'reviewed'
    """
    problems: list[Problem] = []
    today = dt.datetime.now(dt.UTC).date()
    entry = Entry(record, path, None, fixed_locator(None))
    inc = RecordChecker(entry, today, problems).incident()
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise errors[0].to_error(len(errors) - 1)
    assert inc is not None  # no errors: the checker built it
    return inc
