"""Incidents as flat attribute columns (CSV, GeoJSON properties, GeoPackage/FlatGeobuf/GeoParquet
fields, KML ExtendedData): the column tables and the writing half (reading back:
:mod:`mapper.incidents.unflatten`).

Every field of the record is in exactly one visible column, so what a person edits in a
spreadsheet or QGIS is what mapper reads next: nested lists (``claims``, ``sources``) are JSON
text, multi-valued fields are `` | ``-joined (a JSON list when a value contains ``|``). A few
columns are *views* computed from others for GIS convenience (``claimed_by``, ``denied_by``,
``source_urls``, ``fatalities``, ACLED's codes, ``place_en``): an edit to ``claimed_by``,
``denied_by`` or ``source_urls`` is applied to the claims or sources it views (with a warning
saying so); an edit to a code that cannot be applied (``fatalities``, ``event_type``...) is a
warning naming the column to edit instead. ``place_en`` is the gazetteer's English name of
``place_id`` ("Shebekino" beside "Шебекине" as written), filled when the writer has a gazetteer;
reading checks it against the gazetteer and warns when it was edited (edit ``place`` or
``place_id`` instead).

Readers accept our column names and ACLED's (``event_id_cnty``, ``event_date``, ``location``,
``latitude``, ``longitude``, ``notes``...), the values GIS tools write back (ISO datetimes,
integers as floats, nulls for empty cells) and columns in any order; unknown columns are
ignored with one warning naming them. The ``record`` column of older exports (the whole record
as JSON) is read as the starting point; a visible column that disagrees with it wins, with a
warning naming the field.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from mapper.geo import rounded
from mapper.incidents.files import Note
from mapper.incidents.model import Incident

MULTI_SEP = " | "
"""Separator of multi-valued columns (actors, tags, verified_by, claimed_by, source_urls)."""

COORD_DECIMALS = 6

# column -> (record field path, kind); kinds: text, date, number, multi, json
FIELD_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("id", "text"), "status": ("status", "text"),
    "date": ("date", "date"), "date_end": ("date_end", "date"),
    "date_precision": ("date_precision", "text"),
    "place": ("place.name", "text"), "place_id": ("place.place_id", "text"),
    "place_kind": ("place.kind", "text"), "geo_precision": ("place.geo_precision", "text"),
    "country_code": ("place.country_code", "text"), "admin1": ("place.admin1", "text"),
    "resolution": ("place.resolution", "text"),
    "lat": ("place.lat", "number"), "lon": ("place.lon", "number"),
    "category": ("category", "text"), "summary": ("summary", "text"),
    "actors": ("actors", "multi"), "claims": ("claims", "json"),
    "verification": ("verification.status", "text"),
    "verified_by": ("verification.by", "multi"),
    "verification_note": ("verification.note", "text"),
    "sources": ("sources", "json"), "tags": ("tags", "multi"),
    "confidence": ("confidence", "number"), "evidence": ("evidence", "text"),
    "reviewed_by": ("reviewed_by", "text"), "reviewed_at": ("reviewed_at", "text"),
}
"""The columns that hold a record field, with mapper's names."""

ACLED_ALIASES: dict[str, str] = {
    "event_id_cnty": "id", "event_date": "date", "location": "place", "latitude": "lat",
    "longitude": "lon", "notes": "summary", "place_precision": "geo_precision",
}
"""ACLED (and mapper's CSV) names of field columns -> mapper's name."""

VIEW_COLUMNS: tuple[str, ...] = (
    "place_en", "claimed_by", "denied_by", "source_urls", "source_outlets", "fatalities",
    "time_precision", "acled_geo_precision", "year", "event_type", "sub_event_type", "actor1",
    "actor2", "country", "source",
)
"""Columns computed from others (see the module docstring)."""

GIS_COLUMNS: tuple[str, ...] = (
    "id", "status", "date", "date_end", "date_precision", "time_precision", "place", "place_en",
    "place_id", "place_kind", "geo_precision", "acled_geo_precision", "country_code", "admin1",
    "resolution", "lat", "lon", "category", "summary", "actors", "claimed_by", "denied_by",
    "fatalities", "claims", "verification", "verified_by", "verification_note", "source_urls",
    "source_outlets", "sources", "tags", "confidence", "evidence", "reviewed_by", "reviewed_at",
)
"""Attribute columns of the GIS formats, in order. ``lat``/``lon`` hold the incident's point
where the geometry is not that point (an area polygon, or no geometry)."""

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities", "tags",
)
"""ACLED's column names, first in the CSV (``geo_precision``/``time_precision`` are ACLED's 1-3)."""

CSV_EXTRA_COLUMNS: tuple[str, ...] = (
    "status", "date_end", "date_precision", "category", "place_en", "place_id", "place_kind",
    "place_precision", "country_code", "resolution", "actors", "claimed_by", "denied_by",
    "claims", "verification", "verified_by", "verification_note", "source_urls", "sources",
    "confidence", "evidence", "reviewed_by", "reviewed_at",
)
"""mapper's CSV columns after the ACLED ones (``place_precision`` is mapper's geo_precision)."""

CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + CSV_EXTRA_COLUMNS
"""Columns of the CSV mapper writes, in order."""

INTEGER_COLUMNS = frozenset({"fatalities", "time_precision", "acled_geo_precision", "year"})
DATE_COLUMNS = frozenset({"date", "date_end"})
NUMBER_COLUMNS = frozenset({"lat", "lon", "confidence"})

# mapper category -> (ACLED event_type, sub_event_type); only where the match is clear.
ACLED_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "raid": ("Battles", "Armed clash"),
    "clash": ("Battles", "Armed clash"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "air-strike": ("Explosions/Remote violence", "Air/drone strike"),
    "drone-strike": ("Explosions/Remote violence", "Air/drone strike"),
    "explosion": ("Explosions/Remote violence", ""),
    "destruction": ("Strategic developments", "Looting/property destruction"),
    "sabotage": ("Strategic developments", "Other"),
    "evacuation": ("Strategic developments", "Other"),
    "statement": ("Strategic developments", "Other"),
}
ACLED_CATEGORIES: dict[str, str] = {
    "Armed clash": "clash", "Shelling/artillery/missile attack": "shelling",
    "Air/drone strike": "air-strike", "Looting/property destruction": "destruction",
    "Remote explosive/landmine/IED": "explosion", "Suicide bomb": "explosion",
    "Grenade": "explosion", "Attack": "clash",
}
"""ACLED sub_event_type -> category, for files that come from ACLED (no ``category`` column)."""
ACLED_GEO_CODES = {1: "settlement", 2: "admin2", 3: "admin1"}
"""ACLED geo_precision -> geo_precision, for files that come from ACLED."""
ACLED_TIME_CODES = {1: "day", 2: "approximate", 3: "month"}
"""ACLED time_precision -> date_precision, for files that come from ACLED."""

KNOWN_COLUMNS = frozenset(FIELD_COLUMNS) | frozenset(ACLED_ALIASES) | frozenset(VIEW_COLUMNS) \
    | {"record"}


# ---------------------------------------------------------------------------------- writing
def join_multi(values: Iterable[str]) -> str:
    """Cell text of a multi-valued column: `` | ``-joined, or a JSON list when a value contains
    ``|`` or starts with ``[`` (so every value survives the round trip).
    """
    values = list(values)
    if any("|" in v or v.startswith("[") for v in values):
        return json.dumps(values, ensure_ascii=False)
    return MULTI_SEP.join(values)


_JSON_CELL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode


def round_coord(value: float | None) -> float | None:
    """A coordinate rounded to 6 decimals (about 0.1 m), or None."""
    return None if value is None else rounded(value, COORD_DECIMALS)


def fatalities(inc: Incident) -> int | None:
    """ACLED-style conservative count: the lowest "killed" figure any asserting claim gives."""
    counts = [c.figures["killed"] for c in inc.claims
              if c.stance == "asserts" and "killed" in c.figures]
    return min(counts) if counts else None


def english_name(place_id: str | None, gazetteer: Any) -> str | None:
    """The gazetteer's (English or Latin) name of ``place_id``, None without a gazetteer or an
    id it knows: what the ``place_en`` column shows beside the name as written.
    """
    if gazetteer is None or not place_id:
        return None
    place = gazetteer.get(place_id)
    return place.name if place is not None else None


def flat_properties(inc: Incident, gazetteer: Any = None) -> dict[str, Any]:
    """The GIS attribute columns of one incident (:data:`GIS_COLUMNS`; None for empty).

    ``lat``/``lon`` are always filled here; writers whose geometry is the point drop them.
    ``gazetteer`` fills ``place_en`` (empty without one).
    """
    rec = inc.to_dict()
    p = inc.place
    asserted: dict[str, None] = {}  # ordered sets: first mention wins
    denied: dict[str, None] = {}
    for c in inc.claims:
        (asserted if c.stance == "asserts" else denied)[c.by] = None
    claims, sources = rec.get("claims"), rec.get("sources")
    return {
        "id": inc.id, "status": inc.status,
        "date": rec.get("date"), "date_end": rec.get("date_end"),
        "date_precision": inc.date_precision, "time_precision": inc.acled_time_precision,
        "place": p.name, "place_en": english_name(p.place_id, gazetteer),
        "place_id": p.place_id, "place_kind": p.kind,
        "geo_precision": p.geo_precision, "acled_geo_precision": inc.acled_geo_precision,
        "country_code": p.country_code, "admin1": p.admin1, "resolution": p.resolution,
        "lat": round_coord(p.lat), "lon": round_coord(p.lon),
        "category": inc.category, "summary": inc.summary or None,
        "actors": join_multi(inc.actors) or None,
        "claimed_by": join_multi(asserted) or None, "denied_by": join_multi(denied) or None,
        "fatalities": fatalities(inc),
        "claims": _JSON_CELL(claims) if claims else None,
        "verification": inc.verification.status,
        "verified_by": join_multi(inc.verification.by) or None,
        "verification_note": inc.verification.note,
        "source_urls": join_multi(s.url for s in inc.sources if s.url) or None,
        "source_outlets": join_multi(dict.fromkeys(s.outlet for s in inc.sources if s.outlet))
        or None,
        "sources": _JSON_CELL(sources) if sources else None,
        "tags": join_multi(inc.tags) or None,
        "confidence": inc.confidence, "evidence": inc.evidence,
        "reviewed_by": inc.reviewed_by, "reviewed_at": rec.get("reviewed_at"),
    }


def acled_row(inc: Incident, country_names: Any, gazetteer: Any = None) -> dict[str, Any]:
    """One incident as the CSV's cells (:data:`CSV_COLUMNS`; ACLED names first)."""
    flat = flat_properties(inc, gazetteer)
    event_type, sub_type = ACLED_EVENT_TYPES.get(inc.category, ("", ""))
    cc = inc.place.country_code or ""
    row = {
        "event_id_cnty": inc.id, "event_date": flat["date"],
        "year": inc.date.year if inc.date else None,
        "event_type": event_type, "sub_event_type": sub_type,
        "actor1": inc.actors[0] if inc.actors else None,
        "actor2": inc.actors[1] if len(inc.actors) > 1 else None,
        "country": country_names.get(cc, cc), "location": inc.place.name,
        # ACLED writes six decimals
        "latitude": None if flat["lat"] is None else f"{flat['lat']:.6f}",
        "longitude": None if flat["lon"] is None else f"{flat['lon']:.6f}",
        "geo_precision": flat["acled_geo_precision"], "source": flat["source_outlets"],
        "notes": flat["summary"], "place_precision": flat["geo_precision"],
    }
    for col in CSV_COLUMNS:
        if col not in row:
            row[col] = flat[col]
    return {col: "" if row[col] is None else _cell_text(row[col]) for col in CSV_COLUMNS}


def _cell_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def view_values(inc: Incident) -> dict[str, Any]:
    """What each checked view column holds for ``inc`` (:data:`VIEW_COLUMNS` but the ones an
    edit is applied from and ``country``, a gazetteer name): to tell an edited view from a
    stale one. Computed directly, not through :func:`flat_properties` (one call per row read).
    """
    event_type, sub_type = ACLED_EVENT_TYPES.get(inc.category, ("", ""))
    outlets = join_multi(dict.fromkeys(s.outlet for s in inc.sources if s.outlet)) or None
    return {
        "fatalities": fatalities(inc), "time_precision": inc.acled_time_precision,
        "acled_geo_precision": inc.acled_geo_precision, "source_outlets": outlets,
        "source": outlets, "year": inc.date.year if inc.date else None,
        "event_type": event_type or None, "sub_event_type": sub_type or None,
        "actor1": inc.actors[0] if inc.actors else None,
        "actor2": inc.actors[1] if len(inc.actors) > 1 else None,
    }


# ---------------------------------------------------------------------------------- reading
def column_label(field_path: str) -> str:
    """A record field path as the column that holds it (``place.lat`` -> ``lat``)."""
    return _FIELD_TO_COLUMN.get(field_path, field_path)


_FIELD_TO_COLUMN = {path: col for col, (path, _kind) in FIELD_COLUMNS.items()}


def file_label(header: Iterable[str]) -> Callable[[str], str]:
    """A field path -> the column that holds it as this file names it (``date`` is
    ``event_date`` in an ACLED-named file), for messages.
    """
    written = {canonical_column(h): h for h in header if h}

    def label(field_path: str) -> str:
        col = column_label(field_path)
        return written.get(col) or col

    return label


def canonical_column(name: str) -> str | None:
    """Mapper's name of a column (ACLED aliases resolved); None for an unknown column."""
    if name in FIELD_COLUMNS or name in VIEW_COLUMNS or name == "record":
        return name
    return ACLED_ALIASES.get(name)


def unknown_columns(names: Iterable[str]) -> list[str]:
    """The column names that are neither fields, views, ACLED names nor ``record``."""
    return [n for n in names if n and n not in KNOWN_COLUMNS]


def header_notes(columns: Iterable[str], where: int | str | None) -> list[Note]:
    """A warning naming each column that is not an incident column (its values are ignored)."""
    return [("warning", where, col, "not an incident column; its values are ignored")
            for col in unknown_columns(columns)]
