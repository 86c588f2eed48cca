"""Incidents as flat attribute columns (CSV, GeoJSON properties, GeoPackage/FlatGeobuf/GeoParquet
fields, KML ExtendedData), and flat columns back to canonical records.

Every field of the record is in exactly one visible column, so what a person edits in a
spreadsheet or QGIS is what mapper reads next: nested lists (``claims``, ``sources``) are JSON
text, multi-valued fields are `` | ``-joined (a JSON list when a value contains ``|``). A few
columns are *views* computed from others for GIS convenience (``claimed_by``, ``denied_by``,
``source_urls``, ``fatalities``, ACLED's codes): an edit to ``claimed_by``, ``denied_by`` or
``source_urls`` is applied to the claims or sources it views (with a warning saying so); an
edit to a code that cannot be applied (``fatalities``, ``event_type``...) is a warning naming
the column to edit instead.

Readers accept our column names and ACLED's (``event_id_cnty``, ``event_date``, ``location``,
``latitude``, ``longitude``, ``notes``...), the values GIS tools write back (ISO datetimes,
integers as floats, nulls for empty cells) and columns in any order; unknown columns are
ignored with one warning naming them. The ``record`` column of older exports (the whole record
as JSON) is read as the starting point; a visible column that disagrees with it wins, with a
warning naming the field.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from mapper.errors import DataError
from mapper.incidents.files import Entry, Locator, Note
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
    "claimed_by", "denied_by", "source_urls", "source_outlets", "fatalities", "time_precision",
    "acled_geo_precision", "year", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "source",
)
"""Columns computed from others (see the module docstring)."""

GIS_COLUMNS: tuple[str, ...] = (
    "id", "status", "date", "date_end", "date_precision", "time_precision", "place", "place_id",
    "place_kind", "geo_precision", "acled_geo_precision", "country_code", "admin1", "resolution",
    "lat", "lon", "category", "summary", "actors", "claimed_by", "denied_by", "fatalities",
    "claims", "verification", "verified_by", "verification_note", "source_urls",
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
    "status", "date_end", "date_precision", "category", "place_id", "place_kind",
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
# ACLED sub_event_type -> category, for files that come from ACLED (no `category` column)
_ACLED_CATEGORY = {"Armed clash": "clash", "Shelling/artillery/missile attack": "shelling",
                   "Air/drone strike": "air-strike", "Looting/property destruction": "destruction",
                   "Remote explosive/landmine/IED": "explosion", "Suicide bomb": "explosion",
                   "Grenade": "explosion", "Attack": "clash"}
_ACLED_GEO = {1: "settlement", 2: "admin2", 3: "admin1"}
_ACLED_TIME = {1: "day", 2: "approximate", 3: "month"}

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
    return None if value is None else round(float(value), COORD_DECIMALS)


def fatalities(inc: Incident) -> int | None:
    """ACLED-style conservative count: the lowest "killed" figure any asserting claim gives."""
    counts = [c.figures["killed"] for c in inc.claims
              if c.stance == "asserts" and "killed" in c.figures]
    return min(counts) if counts else None


def flat_properties(inc: Incident) -> dict[str, Any]:
    """The GIS attribute columns of one incident (:data:`GIS_COLUMNS`; None for empty).

    ``lat``/``lon`` are always filled here; writers whose geometry is the point drop them.
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
        "place": p.name, "place_id": p.place_id, "place_kind": p.kind,
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


def acled_row(inc: Incident, country_names: dict[str, str]) -> dict[str, Any]:
    """One incident as the CSV's cells (:data:`CSV_COLUMNS`; ACLED names first)."""
    flat = flat_properties(inc)
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


def derived_value(column: str, inc: Incident, country_names: dict[str, str] | None = None,
                  ) -> Any:
    """What view ``column`` holds for ``inc`` (to tell an edited view from a stale one)."""
    if column in ("year",):
        return inc.date.year if inc.date else None
    if column in ("event_type", "sub_event_type"):
        pair = ACLED_EVENT_TYPES.get(inc.category, ("", ""))
        return pair[0 if column == "event_type" else 1] or None
    if column == "actor1":
        return inc.actors[0] if inc.actors else None
    if column == "actor2":
        return inc.actors[1] if len(inc.actors) > 1 else None
    if column == "source":
        column = "source_outlets"
    if column == "country":
        return None  # a country name from the gazetteer: not checked
    return flat_properties(inc).get(column)


# ---------------------------------------------------------------------------------- reading
def column_label(field_path: str) -> str:
    """A record field path as the column that holds it (``place.lat`` -> ``lat``)."""
    return _FIELD_TO_COLUMN.get(field_path, field_path)


_FIELD_TO_COLUMN = {path: col for col, (path, _kind) in FIELD_COLUMNS.items()}


def canonical_column(name: str) -> str | None:
    """Mapper's name of a column (ACLED aliases resolved); None for an unknown column."""
    if name in FIELD_COLUMNS or name in VIEW_COLUMNS or name == "record":
        return name
    return ACLED_ALIASES.get(name)


def unknown_columns(names: Iterable[str]) -> list[str]:
    """The column names that are neither fields, views, ACLED names nor ``record``."""
    return [n for n in names if n and n not in KNOWN_COLUMNS]


def is_empty(value: Any) -> bool:
    """Whether a cell is empty: None, blank text, NaN/NaT (GIS tools write nulls)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return True
    try:  # numpy NaN and NaT
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def flat_entry(path: str, where: int | str, cells: dict[str, Any], locate: Locator,
               label: Callable[[str], str] = column_label,
               geometry: Any = None) -> Entry:
    """Build a raw record from flat cells (a CSV row, GeoJSON properties, OGR fields).

    Empty cells are absent values. Two columns for one field (``date`` and ``event_date``) that
    disagree are an error; views are applied or checked (see the module docstring).
    """
    notes: list[tuple[str, str, str]] = []  # (severity, field, message) for the checker
    values: dict[str, tuple[str, Any]] = {}  # mapper column -> (column as written, cell)
    views: dict[str, Any] = {}
    base: Any = None
    for name, raw in cells.items():
        col = canonical_column(name)
        if col is None or is_empty(raw):
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        if col == "record":
            base = _record_cell(value, path, where)
            continue
        if col == "geo_precision" and _is_acled_code(value):
            views["acled_geo_precision"] = value  # ACLED's 1-3 under ACLED's name
            continue
        if col in VIEW_COLUMNS:
            views[col] = value
            continue
        if col in values and _differ(values[col][1], value):
            first = values[col][0]
            raise DataError(f"`{first}` and `{name}` give different values "
                            f"({_brief(values[col][1])} and {_brief(value)}); keep one of the "
                            "two columns", path=path,
                            line=where, field=name)
        values[col] = (name, value)
    rec: dict[str, Any] = {}
    for col, (name, value) in values.items():
        field_path, kind = FIELD_COLUMNS[col]
        _put(rec, field_path, _typed(kind, value, path, where, name))
    _apply_views(rec, views, values, notes)
    entry = Entry(rec, path, where, locate, label)
    if base is not None:
        place = base.get("place") if isinstance(base, dict) else None
        if isinstance(place, dict) and place.get("lat") is not None:
            entry.extra["base_point"] = (place.get("lat"), place.get("lon"))
        entry.record = _merge_base(base, rec, set(values), notes)
    entry.extra["notes"] = notes
    entry.extra["views"] = {k: v for k, v in views.items() if k not in _CONSUMED}
    if geometry is not None:
        entry.extra["geometry"] = geometry
    return entry


_CONSUMED = frozenset({"claimed_by", "denied_by", "source_urls"})


def _record_cell(value: Any, path: str, where: int | str) -> Any:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"not valid JSON ({exc}); leave it empty or fix it", path=path,
                        line=where, field="record") from None


def _is_acled_code(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and value.strip().rstrip("0").rstrip(".") in ("1", "2", "3")


def _differ(a: Any, b: Any) -> bool:
    return _norm(a) != _norm(b)


def _norm(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return iso_date(value)
    if isinstance(value, str):
        return iso_date(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _brief(value: Any) -> str:
    text = str(_norm(value))
    return repr(text if len(text) <= 40 else text[:40] + "...")


_MIDNIGHT = re.compile(r"(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?")


def iso_date(value: Any) -> Any:
    """A date cell as ``YYYY-MM-DD`` text: date and datetime objects, pandas Timestamps and the
    ISO datetimes GIS tools write (``2024-03-16T00:00:00``, ``2024/03/16 00:00:00``) at midnight.
    Anything else is returned as it is (the checks report it).
    """
    if isinstance(value, dt.datetime) or hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 10 and text[4] in "-/" and text[7] in "-/":
            if _MIDNIGHT.fullmatch(text[10:]):
                return text[:10].replace("/", "-")
        return text
    return value


def _typed(kind: str, value: Any, path: str, where: int | str, col: str) -> Any:
    if kind == "text":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # an id or code a GIS tool turned into a number
        return value
    if kind == "date":
        return iso_date(value)
    if kind == "number":
        return number_cell(value)
    if kind == "multi":
        return split_multi(value)
    if kind == "json":
        return json_cell(value, path, where, col)
    raise AssertionError(kind)


def _put(rec: dict[str, Any], field_path: str, value: Any) -> None:
    head, _, tail = field_path.partition(".")
    if tail:
        rec.setdefault(head, {})[tail] = value
    else:
        rec[head] = value


def split_multi(value: Any) -> Any:
    """A `` | ``-joined cell as a list; a cell holding a JSON list (written when a value itself
    contains ``|``) is read as that list.
    """
    if isinstance(value, str):
        if "|" not in value and not value.startswith("["):  # one value: most cells
            value = value.strip()
            return [value] if value else []
        if value.startswith("["):
            try:
                items = json.loads(value)
            except ValueError:
                items = None
            if isinstance(items, list) and all(isinstance(i, str) for i in items):
                return items
        return [v.strip() for v in value.split("|") if v.strip()]
    return value


def number_cell(value: Any) -> Any:
    """A number from a cell (``51,5`` with a decimal comma too); other text is kept for the
    checks to report.
    """
    if isinstance(value, str):
        try:
            return float(value.replace(",", ".")) if value.count(",") == 1 and "." not in value \
                else float(value)
        except ValueError:
            return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def json_cell(value: Any, path: str, where: int | str, col: str) -> Any:
    """A JSON list cell (claims, sources) decoded; bad JSON is a one-line DataError."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as exc:
        raise DataError(f"not valid JSON ({exc}); write a JSON list such as "
                        f'[{{"by": "..."}}] or leave it empty', path=path, line=where,
                        field=col) from None


# ---- views
def _apply_views(rec: dict[str, Any], views: dict[str, Any], values: dict[str, Any],
                 notes: list[tuple[str, str, str]]) -> None:
    """Apply edited views to the fields they show; fill fields of ACLED files from ACLED codes."""
    for col, stance in (("claimed_by", "asserts"), ("denied_by", "denies")):
        if col in views:
            _reconcile_claims(rec, split_multi(views[col]), stance, col, notes)
    if "source_urls" in views:
        _reconcile_sources(rec, split_multi(views["source_urls"]), notes)
    # an ACLED file: the codes are all there is
    if "category" not in values and (views.get("sub_event_type") or views.get("event_type")):
        sub = str(views.get("sub_event_type") or "")
        rec["category"] = _ACLED_CATEGORY.get(sub, "other")
        views.pop("sub_event_type", None)
        views.pop("event_type", None)
    if "actors" not in values and (views.get("actor1") or views.get("actor2")):
        rec["actors"] = [str(views.pop(k)) for k in ("actor1", "actor2") if views.get(k)]
    code = _int(views.get("acled_geo_precision"))
    if "geo_precision" not in values and code in _ACLED_GEO:
        rec.setdefault("place", {})["geo_precision"] = _ACLED_GEO[code]
        views.pop("acled_geo_precision", None)
    code = _int(views.get("time_precision"))
    if "date_precision" not in values and code in _ACLED_TIME:
        rec["date_precision"] = _ACLED_TIME[code]
        views.pop("time_precision", None)
    if "sources" not in values and "source_urls" not in views and views.get("source"):
        rec["sources"] = [{"outlet": o.strip()} for o in str(views.pop("source")).split(";")
                          if o.strip()]
    killed = _int(views.get("fatalities"))
    if "claims" not in values and "claimed_by" not in views and killed is not None:
        by = (rec.get("sources") or [{}])[0].get("outlet") or "ACLED"
        rec["claims"] = [{"by": by, "figures": {"killed": killed}}]
        views.pop("fatalities")


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _reconcile_claims(rec: dict[str, Any], names: list[str], stance: str, col: str,
                      notes: list[tuple[str, str, str]]) -> None:
    claims = rec.get("claims")
    if claims is None:
        rec["claims"] = [{"by": n} if stance == "asserts" else {"by": n, "stance": stance}
                         for n in names]
        return
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        return  # the checks report the claims column
    have = [c.get("by") for c in claims if (c.get("stance") or "asserts") == stance]
    if list(dict.fromkeys(have)) == names:
        return
    wanted = set(names)
    kept = [c for c in claims if (c.get("stance") or "asserts") != stance or c.get("by") in wanted]
    added = [n for n in names if n not in set(have)]
    removed = sorted(set(have) - wanted, key=str)
    kept += [{"by": n} if stance == "asserts" else {"by": n, "stance": stance} for n in added]
    rec["claims"] = kept
    change = "; ".join(filter(None, [f"added a claim by {', '.join(added)}" if added else "",
                                     f"removed the claims by {', '.join(map(str, removed))}"
                                     if removed else ""]))
    notes.append(("warning", col, f"edited: {change} (the claims column holds the details)"))


def _reconcile_sources(rec: dict[str, Any], urls: list[str],
                       notes: list[tuple[str, str, str]]) -> None:
    sources = rec.get("sources")
    if sources is None:
        rec["sources"] = [{"url": u} for u in urls]
        return
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        return
    have = [s.get("url") for s in sources if s.get("url")]
    if have == urls or list(dict.fromkeys(have)) == urls:
        return
    wanted = set(urls)
    kept = [s for s in sources if not s.get("url") or s.get("url") in wanted]
    added = [u for u in urls if u not in set(have)]
    rec["sources"] = kept + [{"url": u} for u in added]
    removed = [u for u in have if u not in wanted]
    change = "; ".join(filter(None, [f"added {', '.join(added)}" if added else "",
                                     f"removed {', '.join(map(str, removed))}" if removed
                                     else ""]))
    notes.append(("warning", "source_urls",
                  f"edited: {change} (the sources column holds the details)"))


def check_views(inc: Incident, views: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for each view whose cell no longer matches what it shows."""
    out = []
    for col, cell in views.items():
        expected = derived_value(col, inc)
        if col == "country" or _norm(number_cell(cell) if col in INTEGER_COLUMNS else cell) \
                == _norm(expected):
            continue
        source = {"fatalities": "the killed figures in claims", "year": "date",
                  "time_precision": "date_precision", "acled_geo_precision": "geo_precision",
                  "geo_precision": "place_precision", "event_type": "category",
                  "sub_event_type": "category", "actor1": "actors", "actor2": "actors",
                  "source": "sources", "source_outlets": "sources"}.get(col, "the record")
        out.append((col, f"{_brief(cell)} is not read: this column is computed from {source} "
                         f"({_brief(expected) if expected is not None else 'empty'}); edit "
                         f"{source} instead"))
    return out


def _merge_base(base: Any, rec: dict[str, Any], given: set[str],
                notes: list[tuple[str, str, str]]) -> Any:
    """An older export's ``record`` JSON with the visible columns applied on top."""
    if not isinstance(base, dict):
        return base  # the checks report it
    merged = json.loads(json.dumps(base))
    for col in sorted(given):
        field_path, _kind = FIELD_COLUMNS[col]
        head, _, tail = field_path.partition(".")
        new = rec.get(head, {}).get(tail) if tail else rec.get(head)
        container = merged.get(head) if tail else merged
        if tail and isinstance(container, str):
            container = merged[head] = {"name": container}
        if tail and not isinstance(container, dict):
            container = merged[head] = {}
        key = tail or head
        old = container.get(key)
        if _norm_record(old) != _norm_record(new):
            container[key] = new
            notes.append(("warning", field_path, f"differs from the `record` column "
                          f"({_brief(old)}); the `{col}` column wins"))
    for col in ("claims", "sources"):
        if col in rec and col not in given:
            merged[col] = rec[col]
    return merged


def _norm_record(value: Any) -> Any:
    if isinstance(value, list):
        return [_norm_record(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm_record(v) for k, v in value.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), COORD_DECIMALS)
    return _norm(value)


def note_list(entry: Entry) -> list[tuple[str, str, str]]:
    """The (severity, field, message) notes the reader left on an entry."""
    notes: list[tuple[str, str, str]] = entry.extra.get("notes", [])
    return notes


def header_notes(columns: Iterable[str], where: int | str | None) -> list[Note]:
    """A warning naming each column that is not an incident column (its values are ignored)."""
    return [("warning", where, col, "not an incident column; its values are ignored")
            for col in unknown_columns(columns)]
