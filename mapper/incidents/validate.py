"""The incident linter behind ``mapper validate`` (and the schema check every reader runs).

:func:`validate_files` returns every :class:`Problem` in the files: schema (required fields,
types, vocabularies; unknown fields are errors, unknown categories warnings), dates (real
calendar dates, not in the future, end not before start), coordinates (range, likely swapped
lat/lon, a point outside the admin unit or far from the settlement it names), URLs (http and
https only), duplicate ids (across files too), unresolvable places, sources without a date,
claims without a source or a quote.

Each problem prints as one line: ``error: file:line: field: message`` (GeoJSON:
``file:feature N: ...``, features counted from 0).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import gc
import math
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.io import Entry, FileEntries, _short, expand_paths, load_entries
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
from mapper.incidents.resolve import safe_search
from mapper.urls import url_problem

MAX_TEXT = 100_000
"""Longest text value accepted (characters); a longer one is almost always a broken file."""

FUTURE_GRACE_DAYS = 1  # a date "tomorrow" in UTC may be today somewhere east of Greenwich
FAR_FROM_SETTLEMENT_KM = 50.0
SWAP_MATCH_KM = 15.0

_INCIDENT_FIELDS = [f.name for f in fields(Incident)]
_PLACE_FIELDS = [f.name for f in fields(Location)]
_CLAIM_FIELDS = [f.name for f in fields(Claim)]
_SOURCE_FIELDS = [f.name for f in fields(Source)]
_VERIFICATION_FIELDS = [f.name for f in fields(Verification)]
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
        suffix = (f" (and {more} more error{'s' if more > 1 else ''}; see `mapper validate "
                  f"{self.path}`)" if more else "")
        return DataError(self.message + suffix, path=self.path, line=self.where,
                         field=self.field)


# ---------------------------------------------------------------------------------- entry points
def validate_files(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
                   gazetteer: Any = None, resolve: bool = True) -> list[Problem]:
    """Every problem in the files (syntax errors included, as one problem for their file)."""
    files = expand_paths(paths)
    if not files:
        return [Problem("error", str(paths if isinstance(paths, (str, os.PathLike)) else
                                     ", ".join(map(str, paths))), None, None,
                        "no incident files (.yaml .yml .csv .geojson .json) found")]
    # the linter only reports: the incidents are not kept (half the peak memory)
    _, problems = check_files(files, gazetteer=gazetteer, resolve=resolve, keep=False)
    return problems


def check_files(files: list[tuple[Path, bool]] | list[Path], *, gazetteer: Any = None, resolve: bool = True,
                gazetteer_checks: bool = True, stop_on_error: bool = False, keep: bool = True,
                ) -> tuple[list[Incident], list[Problem]]:
    """Decode, check, build and (optionally) resolve; returns incidents and problems.

    ``files``: paths, or (path, found in a folder) pairs from :func:`expand_paths`.

    ``gazetteer_checks`` adds the coordinate-versus-gazetteer checks (point outside the named
    area, swapped coordinates, point far from the named settlement). With ``stop_on_error`` a
    syntax error raises :class:`DataError` and checking stops after the first bad record.
    With ``keep=False`` the incidents are checked but not returned (the list is empty).
    """
    from mapper.incidents.resolve import Resolver

    run = _Run(Resolver(gazetteer) if resolve else None, gazetteer_checks, stop_on_error, keep)
    with paused_gc():
        for item in files:
            path, in_folder = item if isinstance(item, tuple) else (item, False)
            try:
                decoded = load_entries(path, in_folder=in_folder)
                if decoded is not None and not run.file(decoded):
                    break
            except DataError as exc:
                if stop_on_error:
                    raise
                run.problems.append(_from_error(exc, str(path)))
    return run.incidents, run.problems


def check_incidents(incidents: Iterable[Incident], path: str, *, gazetteer: Any = None,
                    ) -> tuple[list[Incident], list[Problem]]:
    """Check incidents made in memory (extraction drafts) as if ``path`` held their records.

    Returns the incidents that pass (rebuilt from their records) and every problem, each
    located as ``path:incident ID``.
    """
    from mapper.incidents.resolve import Resolver

    entries = [Entry(inc.to_dict(), path, f"incident {inc.id}",
                     lambda f, _w=f"incident {inc.id}": _w) for inc in incidents]
    run = _Run(Resolver(gazetteer), True, False)
    run.file(FileEntries(path, entries))
    return run.incidents, run.problems


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive
    (it would rescan them again and again: half the time of reading 100,000 incidents).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _age_survivors()
            gc.enable()


def _age_survivors() -> None:
    """Move the objects made while the collector was paused to the oldest generation.

    Otherwise the first allocation after ``gc.enable()`` runs a young collection over every one
    of them (all 100,000 incidents: 0.5-0.8 s per pipeline). Freeze then unfreeze is two list
    splices and resets the young counter; the oldest generation is still collected as usual.
    Skipped when the caller froze objects of its own (unfreezing would release them).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _from_error(exc: DataError, path: str) -> Problem:
    message = str(exc)
    prefix = f"{exc.path}:{exc.line}" if exc.line is not None else str(exc.path)
    if exc.path is not None and message.startswith(prefix + ": "):
        message = message[len(prefix) + 2:]
    if exc.field and message.startswith(exc.field + ": "):
        message = message[len(exc.field) + 2:]
    return Problem("error", exc.path or path, exc.line, exc.field, message)


class _Run:
    """State across the files of one check: incidents, problems, ids seen, caches."""

    def __init__(self, resolver: Any, gazetteer_checks: bool, stop_on_error: bool,
                 keep: bool = True) -> None:
        self.resolver, self.stop, self.keep = resolver, stop_on_error, keep
        self.geo = _GeoChecker(resolver) if (resolver and gazetteer_checks) else None
        self.problems: list[Problem] = []
        self.incidents: list[Incident] = []
        self.seen_ids: dict[str, str] = {}
        self.today = dt.datetime.now(dt.UTC).date()

    def file(self, decoded: FileEntries) -> bool:
        """Check one decoded file; False when checking should stop (first error, stop mode)."""
        problems = self.problems
        problems.extend(Problem(s, decoded.path, w, f, m) for s, w, f, m in decoded.notes)
        for shared in decoded.shared_sources:
            _RecordChecker(shared, self.today, problems).shared_source()
        for entry in decoded.entries:
            checker = _RecordChecker(entry, self.today, problems)
            inc = checker.incident()
            if inc is None:
                if self.stop:
                    return False
                continue
            if inc.id in self.seen_ids:
                checker.err("id", f"duplicate id {inc.id!r} (first used at "
                            f"{self.seen_ids[inc.id]}); every incident needs its own id")
                if self.stop:
                    return False
                continue
            self.seen_ids[inc.id] = f"{entry.path}:{entry.where}"
            explicit = inc.place.resolved
            if self.resolver is not None:
                outcome = self.resolver.resolve(inc.place)
                inc.place = outcome.location
                if outcome.message:
                    checker.add(outcome.severity or "warning", outcome.field, outcome.message)
            if self.geo is not None and explicit:
                self.geo.check(inc, checker)
            if checker.errors and self.stop:
                return False
            if self.keep:
                self.incidents.append(inc)
        return True


# ---------------------------------------------------------------------------------- record checks
class _RecordChecker:
    """Checks one raw record and builds the Incident; problems go to the shared list."""

    def __init__(self, entry: Entry, today: dt.date, problems: list[Problem]) -> None:
        self.entry, self.today, self.problems = entry, today, problems
        self.errors = 0

    # -- reporting
    def add(self, severity: str, field: str, message: str) -> None:
        e = self.entry
        where = e.locate(field) if field else e.where
        self.problems.append(Problem(severity, e.path, where, e.label(field) if field else None,
                                     message))
        if severity == "error":
            self.errors += 1

    def err(self, field: str, message: str) -> None:
        self.add("error", field, message)

    def warn(self, field: str, message: str) -> None:
        self.add("warning", field, message)

    # -- typed getters (None when absent; an error and None when wrong)
    def text(self, data: dict, key: str, field: str, *, required: bool = False) -> str | None:
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
            return dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.err(key, f"{_short(str(value))} is not a date and time; write it as "
                     "YYYY-MM-DDTHH:MM:SS+00:00")
            return None

    def mapping(self, value: Any, field: str, allowed: list[str], what: str) -> dict | None:
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
        rec = self.mapping(self.entry.record, "", _INCIDENT_FIELDS, "an incident")
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
        if value is None or value == "":
            self.err("place", "missing; give the place as written (`place: Tyotkino`) or a "
                     "mapping with name and optional lat/lon")
            return None
        if isinstance(value, str):
            value = {"name": value}
        data = self.mapping(value, "place", _PLACE_FIELDS, "a place")
        if data is None:
            return None
        name = self.text(data, "name", "place.name", required=True)
        lat = self.coordinate(data, "lat", 90.0)
        lon = self.coordinate(data, "lon", 180.0)
        geometry = self.entry.extra.get("geometry")
        if geometry is not None:
            glat, glon = self.geometry(geometry, need_point=lat is None and lon is None)
            if lat is None and lon is None and glat is not None:
                lat, lon = glat, glon
                if geometry.get("type") != "Point" and not data.get("geo_precision"):
                    data = {**data, "geo_precision": "zone"}  # a drawn area, not a known point
            elif glat is not None and lat is not None and geometry.get("type") == "Point" \
                    and (abs(glat - lat) > 1e-5 or abs(glon - lon) > 1e-5):
                self.warn("geometry", "the Point differs from the record's lat/lon; the record "
                          "wins (edit place.lat/lon, or drop the record property)")
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

    def coordinate(self, data: dict, key: str, limit: float) -> float | None:
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
                    if key == "lat" and _is_number(other) and abs(value) <= 180
                    and abs(other) <= 90 else "")
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
            try:
                import shapely.geometry

                point = shapely.geometry.shape(geom).representative_point()
                return point.y, point.x
            except Exception:  # noqa: BLE001 - any malformed geometry is the user's to fix
                self.err("geometry", f"malformed {geom['type']} coordinates")
                return None, None
        self.err("geometry", f"unknown geometry type {_short(geom['type'])}")
        return None, None

    def sources(self, value: Any, date: dt.date | None) -> list[Source]:
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
        data = self.mapping(item, field, _SOURCE_FIELDS, "a source")
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
        self.source(self.entry.record, "", None)

    def url(self, data: dict, key: str, field: str) -> str | None:
        value = self.text(data, key, field)
        if value is None:
            return None
        problem = url_problem(value)
        if problem:
            self.err(field, problem)
            return None
        return value

    def claims(self, value: Any, sources: list[Source]) -> list[Claim]:
        if value is None or value == []:
            return []
        if not isinstance(value, list):
            self.err("claims", f"expected a list of claims, found {_kind(value)}")
            return []
        urls = {s.url for s in sources if s.url}
        out = []
        for i, item in enumerate(value):
            field = f"claims[{i}]"
            data = self.mapping(item, field, _CLAIM_FIELDS, "a claim")
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
        if value is None or value == "":
            return Verification()
        if isinstance(value, str):
            value = {"status": value}
        data = self.mapping(value, "verification", _VERIFICATION_FIELDS, "a verification")
        if data is None:
            return Verification()
        status = self.text(data, "status", "verification.status") or "unverified"
        if status not in VERIFICATION_STATUSES:
            self.err("verification.status", f"unknown status {_short(status)}; use one of "
                     f"{', '.join(VERIFICATION_STATUSES)}")
        return Verification(status=status, by=self.text_list(data, "by", "verification.by"),
                            note=self.text(data, "note", "verification.note"))


# ---------------------------------------------------------------------------------- geo checks
class _GeoChecker:
    """Explicit coordinates against the gazetteer: named area, swapped lat/lon, distance."""

    def __init__(self, resolver: Any) -> None:
        from mapper.geo import haversine_km

        self.resolver = resolver
        self._haversine_km = haversine_km  # imported once here, not once per incident
        self._geoms: dict[str, Any] = {}
        self._areas: dict[tuple, Any] = {}

    def _inside(self, place_id: str, lat: float, lon: float) -> bool | None:
        if place_id not in self._geoms:
            self._geoms[place_id] = self.resolver.gazetteer.geometry(place_id)
        geom = self._geoms[place_id]
        if geom is None or geom.geom_type == "Point":
            return None
        import shapely

        return bool(shapely.intersects_xy(geom, lon, lat))

    def _named_area(self, loc: Location) -> Any:
        """The admin1/country/zone the place names (place_id, ", Oblast" part, admin1 hint);
        cached per place, as files repeat a few hundred places across 100,000 rows.
        """
        key = ("area", loc.place_id, loc.name, loc.admin1, loc.country_code)
        if key not in self._areas:
            self._areas[key] = self._find_named_area(loc)
        return self._areas[key]

    def _find_named_area(self, loc: Location) -> Any:
        if loc.place_id and not loc.place_id.startswith("gn:"):
            return self.resolver.place(loc.place_id)
        parts = [p.strip() for p in loc.name.split(",")[1:] if p.strip()]
        if loc.admin1:
            parts.append(loc.admin1)
        for part in parts:
            key = (part, loc.country_code)
            if key not in self._areas:
                cands = safe_search(self.resolver.gazetteer, part,
                                    kinds=("admin1", "country"), country=loc.country_code,
                                    limit=1, fuzzy=False)
                self._areas[key] = cands[0].place if cands else None
            if self._areas[key] is not None:
                return self._areas[key]
        if loc.country_code:
            return self.resolver.place(f"adm0:{loc.country_code.upper()}")
        return None

    def _settlement_named(self, loc: Location) -> Any:
        """The settlement the place's name resolves to without doubt (cached by name)."""
        key = ("settlement", loc.name, loc.country_code, loc.admin1)
        if key not in self._areas:
            probe = Location(name=loc.name, country_code=loc.country_code, admin1=loc.admin1)
            outcome = self.resolver.resolve(probe)
            named = None
            if outcome.location.resolved and outcome.location.kind == "settlement" \
                    and outcome.severity is None:
                named = self.resolver.place(outcome.location.place_id)
            self._areas[key] = named
        return self._areas[key]

    def check(self, inc: Incident, checker: _RecordChecker) -> None:
        loc = inc.place
        lat, lon = loc.lat, loc.lon
        if lat is None or lon is None:
            return
        area = self._named_area(loc)
        if area is not None:
            inside = self._inside(area.id, lat, lon)
            if inside is False:
                swapped = abs(lon) <= 90 and self._inside(area.id, lon, lat)
                if swapped:
                    checker.err("place.lat", f"lat/lon look swapped: ({lat:g}, {lon:g}) is "
                                f"outside {area.name} but ({lon:g}, {lat:g}) is inside; swap them")
                else:
                    checker.warn("place", f"the point ({lat:g}, {lon:g}) is outside "
                                 f"{area.name} ({area.id}), which the place names")
            return
        if loc.place_id and loc.place_id.startswith("gn:"):
            named = self.resolver.place(loc.place_id)
        else:
            named = self._settlement_named(loc)
        if named is None or named.kind != "settlement":
            return
        haversine_km = self._haversine_km
        dist = haversine_km(lat, lon, named.lat, named.lon)
        if dist <= FAR_FROM_SETTLEMENT_KM:
            return
        if abs(lon) <= 90 and haversine_km(lon, lat, named.lat, named.lon) <= SWAP_MATCH_KM:
            checker.err("place.lat", f"lat/lon look swapped: ({lat:g}, {lon:g}) is {dist:,.0f} "
                        f"km from {named.name} but ({lon:g}, {lat:g}) is at it; swap them")
        else:
            checker.warn("place", f"the point is {dist:,.0f} km from {named.name} "
                         f"({named.id}); check the coordinates or the name")


# ---------------------------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=4)
def _latest_date(today: dt.date) -> dt.date:
    """The latest date not "in the future" (computed once, not once per date checked)."""
    return today + dt.timedelta(days=FUTURE_GRACE_DAYS)


_PLACE_ID_RE = re.compile(r"^(gn|adm0|adm1|adm2|zone):\S+$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")


def parse_date(value: Any) -> tuple[dt.date, str | None]:
    """A date from YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year); raises a clear ValueError.

    Returns the date and the precision the form implies (None for a full date).
    """
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            pass  # the slow path below explains what is wrong
    if isinstance(value, bool) or not isinstance(value, (str, int, dt.date)):
        raise ValueError(f"expected a date as YYYY-MM-DD, found {_kind(value)}")
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"{_short(text)} is not a date; write YYYY-MM-DD (e.g. 2024-03-12)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return dt.date(year, int(month), int(day)), None
        if month is not None:
            return dt.date(year, int(month), 1), "month"
        return dt.date(year, 1, 1), "year"
    except ValueError as exc:
        raise ValueError(f"{text} is not a real date ({exc}); check day and month") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if value is None:
        return "nothing"
    return f"the number {_short(value)}" if _is_number(value) else type(value).__name__
