"""Flat columns back to canonical records: the reading half of :mod:`mapper.incidents.columns`.

:func:`flat_entry` turns one row's cells (a CSV row, GeoJSON properties, OGR fields, KML
ExtendedData) into a raw record for the checks: empty cells are absent values; ISO datetimes,
integers as floats and pandas/numpy values (what GIS tools write back) become plain values; two
columns for one field that disagree are an error; edited views (``claimed_by``, ``denied_by``,
``source_urls``) are applied to the claims or sources they show, and the other views are
checked against the incident once it is built (:func:`check_views`). An older export's
``record`` column is the starting point; a visible column that disagrees with it wins, with a
warning naming the field.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

from mapper.errors import DataError
from mapper.incidents.columns import (
    ACLED_CATEGORIES,
    ACLED_GEO_CODES,
    ACLED_TIME_CODES,
    COORD_DECIMALS,
    FIELD_COLUMNS,
    INTEGER_COLUMNS,
    KNOWN_COLUMNS,
    VIEW_COLUMNS,
    canonical_column,
    column_label,
    view_values,
)
from mapper.incidents.files import Entry, Locator
from mapper.incidents.model import Incident


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
    rec: dict[str, Any] = {}
    base: Any = None
    plan = _PLAN
    for name, raw in cells.items():
        step = plan.get(name)
        if step is None:
            continue  # not an incident column (the reader warned once, at the header)
        if type(raw) is str:  # the common case first: a CSV cell, a GeoJSON text property
            value: Any = raw.strip()
            if not value:
                continue
        elif is_empty(raw):
            continue
        else:
            value = raw
        col, head, tail, kind = step
        if kind == "view":
            views[col] = value
            continue
        if kind == "record":
            base = _record_cell(value, path, where)
            continue
        if col == "geo_precision" and _is_acled_code(value):
            views["acled_geo_precision"] = value  # ACLED's 1-3 under ACLED's name
            continue
        if col in values:
            if _differ(values[col][1], value):
                first = values[col][0]
                raise DataError(f"`{first}` and `{name}` give different values "
                                f"({_brief(values[col][1])} and {_brief(value)}); keep one of "
                                "the two columns", path=path, line=where, field=name)
            continue
        values[col] = (name, value)
        if kind != "text" or type(value) is not str:
            value = _typed(kind, value, path, where, name)
        if tail:
            nested = rec.get(head)
            if nested is None:
                nested = rec[head] = {}
            nested[tail] = value
        else:
            rec[head] = value
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


def _plan() -> dict[str, tuple[str, str, str, str]]:
    """Column name -> (mapper's column, record key, nested key or "", kind), built once."""
    plan = {}
    for name in KNOWN_COLUMNS:
        col = canonical_column(name)
        if col is None:
            continue
        if col == "record" or col in VIEW_COLUMNS:
            plan[name] = (col, "", "", "record" if col == "record" else "view")
            continue
        field_path, kind = FIELD_COLUMNS[col]
        head, _, tail = field_path.partition(".")
        plan[name] = (col, head, tail, kind)
    return plan


_PLAN = _plan()


def _record_cell(value: Any, path: str, where: int | str) -> Any:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"not valid JSON ({exc}); leave it empty or fix it", path=path,
                        line=where, field="record") from None
    except RecursionError:
        raise DataError("JSON nested too deeply; flatten it", path=path, line=where,
                        field="record") from None


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
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return text  # YYYY-MM-DD already: most cells
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
            except (ValueError, RecursionError):  # not a JSON list: read as text
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
    except RecursionError:
        raise DataError("JSON nested too deeply; write a flat JSON list such as "
                        '[{"by": "..."}] or leave it empty', path=path, line=where,
                        field=col) from None
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
        rec["category"] = ACLED_CATEGORIES.get(sub, "other")
        views.pop("sub_event_type", None)
        views.pop("event_type", None)
    if "actors" not in values and (views.get("actor1") or views.get("actor2")):
        rec["actors"] = [str(views.pop(k)) for k in ("actor1", "actor2") if views.get(k)]
    code = _int(views.get("acled_geo_precision"))
    if "geo_precision" not in values and code in ACLED_GEO_CODES:
        rec.setdefault("place", {})["geo_precision"] = ACLED_GEO_CODES[code]
        views.pop("acled_geo_precision", None)
    code = _int(views.get("time_precision"))
    if "date_precision" not in values and code in ACLED_TIME_CODES:
        rec["date_precision"] = ACLED_TIME_CODES[code]
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


VIEW_CHECKED = frozenset({"fatalities", "time_precision", "acled_geo_precision", "source_outlets",
                          "source", "year", "event_type", "sub_event_type", "actor1", "actor2"})
"""Views whose edits cannot be applied: a changed cell is reported (the others are applied
or, like ``country``, not checked)."""


def check_views(inc: Incident, views: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for each view whose cell no longer matches what it shows."""
    out: list[tuple[str, str]] = []
    checked = {col: cell for col, cell in views.items() if col in VIEW_CHECKED}
    if not checked:
        return out
    values = view_values(inc)
    for col, cell in checked.items():
        expected = values[col]
        if cell == expected or _norm(number_cell(cell) if col in INTEGER_COLUMNS else cell) \
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


def check_place_en(inc: Incident, cell: Any, place: Any) -> str | None:
    """The warning for an edited ``place_en`` cell (the gazetteer's English name of
    ``place_id``, which is not read back), or None when it still shows that name or is empty.

    ``place``: the gazetteer's place for ``inc.place.place_id`` (None when it has none).
    """
    text = "" if cell is None else str(cell).strip()
    if not text:
        return None
    expected = place.name if place is not None else None
    if text == expected:
        return None
    shown = repr(expected) if expected else "empty: the gazetteer has no such place_id"
    return (f"{_brief(text)} is not read: this column shows the gazetteer's English name of "
            f"place_id {inc.place.place_id or '(none)'} ({shown}); edit place or place_id "
            f"instead")


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
