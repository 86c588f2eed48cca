"""GIS export: GeoJSON (RFC 7946), GeoPackage, FlatGeobuf, KML and ACLED-style CSV.

Every format carries the same flat attribute columns (:data:`FLAT_COLUMNS`; multi-valued ones
joined with `` | ``) plus ``record``, the full nested record as a JSON string, because GIS tools
choke on nested objects. Geometry: the point for exact and settlement precision (and for any place
without an area), the area polygon (``gazetteer.geometry(place_id)``) for admin, zone and country
precision unless ``points=True``; unresolved places get a null geometry and are kept.

:func:`to_feature_collection` is the stable library entry the map renderer embeds: a dict
``{"type": "FeatureCollection", "features": [...]}``, one feature per incident in input order,
``id`` = incident id, ``properties`` = the flat columns + ``record``; coordinates rounded to 6
decimals, polygon rings counter-clockwise outside (RFC 7946 section 3.1.6).

Writes are atomic; reruns give byte-identical files (GeoPackage included: its timestamp is
pinned through ``OGR_CURRENT_DATE``).
"""
from __future__ import annotations

import csv
import html
import io
import json
import operator
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mapper import atomic
from mapper.errors import MapperError, UsageError, WriteError
from mapper.incidents.model import Incident

FORMATS: dict[str, str] = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "kml": ".kml",
                           "fgb": ".fgb"}
SEP = " | "
COORD_DECIMALS = 6
FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"  # GeoPackage last_change; a real clock breaks reruns

FLAT_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_end", "date_precision", "time_precision", "place", "place_id",
    "place_kind", "geo_precision", "acled_geo_precision", "country_code", "admin1", "lat", "lon",
    "category", "actors", "claimed_by", "denied_by", "fatalities", "verification", "verified_by",
    "source_urls", "source_outlets", "summary", "tags", "confidence", "status", "record",
)
"""Attribute columns of every GIS export, in order (``record`` is the nested record as JSON)."""

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities", "tags",
)
"""ACLED names used by the CSV export (``geo_precision``/``time_precision`` are ACLED's 1-3)."""

CSV_EXTRA_COLUMNS: tuple[str, ...] = (
    "id", "date_end", "date_precision", "category", "place_id", "place_kind", "place_precision",
    "country_code", "claimed_by", "denied_by", "verification", "verified_by", "source_urls",
    "record",
)
"""mapper's own CSV export columns after the ACLED ones (``place_precision`` is mapper's word)."""

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

AREA_PRECISIONS = frozenset({"admin1", "admin2", "country", "zone"})


# ---------------------------------------------------------------------------------- flat rows
def fatalities(inc: Incident) -> int | None:
    """ACLED-style conservative count: the lowest "killed" figure any asserting claim gives."""
    counts = [c.figures["killed"] for c in inc.claims
              if c.stance == "asserts" and "killed" in c.figures]
    return min(counts) if counts else None


def _claim_columns(inc: Incident) -> tuple[str, str, int | None]:
    """claimed_by, denied_by and :func:`fatalities` in one pass over the claims, not three."""
    asserted: dict[str, None] = {}  # an ordered set: first mention wins
    denied: dict[str, None] = {}
    killed = None
    for c in inc.claims:
        if c.stance == "asserts":
            asserted[c.by] = None
            if "killed" in c.figures:
                count = c.figures["killed"]
                killed = count if killed is None else min(killed, count)
        elif c.stance == "denies":
            denied[c.by] = None
    return SEP.join(asserted), SEP.join(denied), killed


def flat_properties(inc: Incident) -> dict[str, Any]:
    """The flat attribute columns of one incident (see :data:`FLAT_COLUMNS`)."""
    p = inc.place
    claimed_by, denied_by, killed = _claim_columns(inc)
    return {
        "id": inc.id,
        "date": inc.date.isoformat() if inc.date else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision,
        "time_precision": inc.acled_time_precision,
        "place": p.name, "place_id": p.place_id, "place_kind": p.kind,
        "geo_precision": p.geo_precision, "acled_geo_precision": inc.acled_geo_precision,
        "country_code": p.country_code, "admin1": p.admin1,
        "lat": _round(p.lat), "lon": _round(p.lon),
        "category": inc.category,
        "actors": SEP.join(inc.actors),
        "claimed_by": claimed_by,
        "denied_by": denied_by,
        "fatalities": killed,
        "verification": inc.verification.status,
        "verified_by": SEP.join(inc.verification.by),
        "source_urls": SEP.join(s.url for s in inc.sources if s.url),
        "source_outlets": SEP.join(dict.fromkeys(s.outlet for s in inc.sources if s.outlet)),
        "summary": inc.summary,
        "tags": SEP.join(inc.tags),
        "confidence": inc.confidence,
        "status": inc.status,
        "record": _RECORD_JSON(inc.to_dict()),
    }


# One encoder each, built once: json.dumps with options builds a new encoder per call, and
# these run once per incident. Same options as before, so the same bytes.
_RECORD_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_FEATURE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                                 allow_nan=False).encode


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), COORD_DECIMALS)


# ---------------------------------------------------------------------------------- geometry
class _Geometries:
    """Incident -> shapely geometry, with area polygons cached per place id."""

    def __init__(self, gazetteer: Any, points: bool) -> None:
        self.gazetteer, self.points = gazetteer, points
        self._areas: dict[str, Any] = {}
        self._area_json: dict[str, dict] = {}  # place id -> rounded GeoJSON of its area

    def area(self, inc: Incident) -> Any:
        p = inc.place
        if self.points or self.gazetteer is None or not p.place_id \
                or p.geo_precision not in AREA_PRECISIONS:
            return None
        if p.place_id not in self._areas:
            geom = self.gazetteer.geometry(p.place_id)
            if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
                import shapely

                # snap first: set_precision rebuilds rings clockwise; RFC 7946 wants the
                # exterior counter-clockwise, so orient last
                geom = shapely.set_precision(geom, 10 ** -COORD_DECIMALS)
                geom = shapely.orient_polygons(geom) if hasattr(shapely, "orient_polygons") \
                    else _orient(geom)
            else:
                geom = None
            self._areas[p.place_id] = geom
        return self._areas[p.place_id]

    def geojson(self, inc: Incident) -> dict | None:
        if not inc.place.resolved:
            return None
        area = self.area(inc)
        if area is not None:
            # once per area, not once per incident: an oblast's rings hold thousands of points
            # (20,000 incidents in one oblast took 6 s of rounding alone); features share it
            place_id = inc.place.place_id or ""  # an area always comes from a place id
            if place_id not in self._area_json:
                self._area_json[place_id] = _round_coords(_mapping(area))
            return self._area_json[place_id]
        return {"type": "Point", "coordinates": [_round(inc.place.lon), _round(inc.place.lat)]}


def _orient(geom: Any) -> Any:
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient

    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return MultiPolygon([orient(g, 1.0) for g in geom.geoms])


def _mapping(geom: Any) -> dict:
    import shapely.geometry

    return shapely.geometry.mapping(geom)


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _round_coords(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), COORD_DECIMALS) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


# ---------------------------------------------------------------------------------- GeoJSON
def iter_features(incidents: Iterable[Incident], gazetteer: Any = None, *,
                  points: bool = False) -> Iterator[dict]:
    """The GeoJSON Feature of each incident, lazily (see :func:`to_feature_collection`).

    Features of one area share its geometry dict (copy it before changing it in place).
    """
    geoms = _Geometries(gazetteer, points)
    for inc in incidents:
        yield {"type": "Feature", "id": inc.id, "geometry": geoms.geojson(inc),
               "properties": flat_properties(inc)}


def to_feature_collection(incidents: Iterable[Incident], gazetteer: Any = None, *,
                          points: bool = False) -> dict:
    """RFC 7946 FeatureCollection of the incidents (stable contract; see the module docstring).

    Without a gazetteer every resolved place is a Point (the map renderer passes one to get
    area polygons for admin/zone/country precision).
    """
    return {"type": "FeatureCollection",
            "features": list(iter_features(incidents, gazetteer, points=points))}


_WRITE_BATCH = 256  # features per write: a few large writes cost less than two per feature


class _GeometryText:
    """The JSON text of area geometries, encoded once per geometry object, not per feature.

    Keyed by identity (the features of one area share its dict, see :class:`_Geometries`);
    the dict is kept with its text so its id cannot be reused. Bounded, so features that
    each carry their own polygon cannot grow it without limit.
    """

    LIMIT = 1024

    def __init__(self) -> None:
        self._texts: dict[int, tuple[dict, str]] = {}

    def __call__(self, geom: dict) -> str:
        hit = self._texts.get(id(geom))
        if hit is not None and hit[0] is geom:
            return hit[1]
        if len(self._texts) >= self.LIMIT:
            self._texts.clear()
        text = _FEATURE_JSON(geom)
        self._texts[id(geom)] = (geom, text)
        return text


def _feature_line(feature: dict, geometry_text: _GeometryText | None = None) -> str:
    """One feature as compact JSON with sorted keys. With ``geometry_text``, an area geometry
    is spliced in from its cached text: the same bytes as encoding the whole feature.
    """
    geom = feature.get("geometry")
    if geometry_text is None or type(geom) is not dict or geom.get("type") == "Point" \
            or not all(type(k) is str for k in feature):
        return _FEATURE_JSON(feature)
    parts = [_FEATURE_JSON(k) + ":" + (geometry_text(v) if k == "geometry" else _FEATURE_JSON(v))
             for k, v in sorted(feature.items(), key=operator.itemgetter(0))]
    return "{" + ",".join(parts) + "}"


def write_geojson(features: Iterable[dict], handle: IO[str]) -> None:
    """Stream a FeatureCollection: sorted keys, one feature per line, final newline."""
    handle.write('{"features":[')
    sep = "\n"
    geometry_text = _GeometryText()
    batch: list[str] = []
    for feature in features:
        batch.append(_feature_line(feature, geometry_text))
        if len(batch) == _WRITE_BATCH:
            handle.write(sep + ",\n".join(batch))
            sep = ",\n"
            batch.clear()
    if batch:
        handle.write(sep + ",\n".join(batch))
        sep = ",\n"
    handle.write("\n" if sep != "\n" else "")
    handle.write('],"type":"FeatureCollection"}\n')


def geojson_text(fc: dict) -> str:
    """The FeatureCollection as text (the same bytes :func:`write_geojson` writes)."""
    buf = io.StringIO()
    write_geojson(fc["features"], buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------- CSV (ACLED)
def acled_row(inc: Incident, country_names: dict[str, str]) -> dict[str, Any]:
    """One incident as ACLED-named cells plus mapper's own columns."""
    flat = flat_properties(inc)
    event_type, sub_type = ACLED_EVENT_TYPES.get(inc.category, ("", ""))
    cc = inc.place.country_code or ""
    return {
        "event_id_cnty": inc.id,
        "event_date": flat["date"] or "",
        "year": inc.date.year if inc.date else "",
        "time_precision": inc.acled_time_precision,
        "event_type": event_type, "sub_event_type": sub_type,
        "actor1": inc.actors[0] if inc.actors else "",
        "actor2": inc.actors[1] if len(inc.actors) > 1 else "",
        "country": country_names.get(cc, cc), "admin1": inc.place.admin1 or "",
        "location": inc.place.name,
        "latitude": "" if flat["lat"] is None else f"{flat['lat']:.6f}",
        "longitude": "" if flat["lon"] is None else f"{flat['lon']:.6f}",
        "geo_precision": inc.acled_geo_precision or "",
        "source": "; ".join(dict.fromkeys(s.outlet for s in inc.sources if s.outlet)),
        "notes": inc.summary,
        "fatalities": "" if flat["fatalities"] is None else flat["fatalities"],
        "tags": "; ".join(inc.tags),
        "id": inc.id, "date_end": flat["date_end"] or "", "date_precision": inc.date_precision,
        "category": inc.category, "place_id": inc.place.place_id or "",
        "place_kind": inc.place.kind or "", "place_precision": inc.place.geo_precision or "",
        "country_code": cc, "claimed_by": flat["claimed_by"], "denied_by": flat["denied_by"],
        "verification": flat["verification"], "verified_by": flat["verified_by"],
        "source_urls": flat["source_urls"], "record": flat["record"],
    }


def write_acled_csv(incidents: list[Incident], handle: IO[str], gazetteer: Any = None, *,
                    raw: bool = False) -> None:
    """Stream the ACLED-named CSV (header + one row per incident) to ``handle``.

    Cells a spreadsheet would run as formulas are neutralised
    (:func:`mapper.guards.neutralise_cell`) unless ``raw``; the ``record`` column keeps the
    incident exactly as it is either way.
    """
    from mapper.guards import neutralise_cell

    names: dict[str, str] = {}
    if gazetteer is not None:
        for cc in sorted({i.place.country_code for i in incidents if i.place.country_code}):
            place = gazetteer.get(f"adm0:{cc.upper()}")
            if place is not None:
                names[cc] = place.name
    writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS + CSV_EXTRA_COLUMNS),
                            lineterminator="\n")
    writer.writeheader()
    for inc in incidents:
        row = acled_row(inc, names)
        writer.writerow(row if raw else {k: neutralise_cell(v) for k, v in row.items()})


def acled_csv_text(incidents: Iterable[Incident], gazetteer: Any = None) -> str:
    """The ACLED-named CSV as text."""
    buf = io.StringIO()
    write_acled_csv(list(incidents), buf, gazetteer)
    return buf.getvalue()


# ---------------------------------------------------------------------------------- OGR formats
def _write_ogr(incidents: list[Incident], path: Path, driver: str, gazetteer: Any,
               points: bool) -> None:
    import numpy as np
    import pyogrio
    import shapely

    geoms = _Geometries(gazetteer, points)
    columns = list(FLAT_COLUMNS)
    cells = operator.itemgetter(*columns)  # a row dict -> its cells as a tuple, in C
    rows: list[tuple] = []  # tuples, so no per-row dicts stay alive
    wkb_list: list[bytes | None] = []
    kinds: set[str] = set()
    area_wkb: dict[str, bytes] = {}
    point_rows: list[int] = []
    point_xy: list[tuple[float, float]] = []
    for n, inc in enumerate(incidents):
        row = flat_properties(inc)
        rows.append(cells(row))
        wkb_list.append(None)
        if not inc.place.resolved:
            continue
        area = geoms.area(inc)
        if area is None:  # points are encoded below in one vectorised call
            point_rows.append(n)
            point_xy.append((row["lon"], row["lat"]))
            continue
        kinds.add(area.geom_type)
        key = inc.place.place_id or ""
        if key not in area_wkb:
            area_wkb[key] = shapely.to_wkb(area, output_dimension=2)
        wkb_list[n] = area_wkb[key]
    if point_rows:
        kinds.add("Point")
        for n, blob in zip(point_rows, shapely.to_wkb(shapely.points(point_xy),
                                                       output_dimension=2), strict=True):
            wkb_list[n] = blob
    field_data = [_field_array(col, vals)
                  for col, vals in zip(columns, _transpose(rows, len(columns)), strict=True)]
    del rows
    wkb = np.array(wkb_list, dtype=object)
    shapes = wkb_list
    geometry_type = kinds.pop() if len(kinds) == 1 else "Unknown"
    options: dict[str, Any] = {}
    if driver == "GPKG":
        options["layer_options"] = {"FID": "fid", "SPATIAL_INDEX": "YES"}
    if driver == "FlatGeobuf":
        # FlatGeobuf's spatial index cannot hold features without geometry (unresolved places)
        options["layer_options"] = {"SPATIAL_INDEX": "NO" if None in shapes else "YES"}
    if driver == "KML":
        options["dataset_options"] = {"NameField": "id", "DescriptionField": "summary"}
        # Google Earth shows descriptions and data values as HTML: escape every text field so
        # a summary such as "<img onerror=...>" is shown, never run
        field_data = [np.array([html.escape(v) for v in a], dtype=object)
                      if a.dtype == object else a for a in field_data]
    config = {"OGR_CURRENT_DATE": FIXED_TIMESTAMP}
    old = {k: os.environ.get(k) for k in config}
    os.environ.update(config)  # GDAL reads it per call; restored below
    try:
        pyogrio.set_gdal_config_options(config)
        pyogrio.raw.write(str(path), wkb, field_data, columns, layer="incidents",
                          driver=driver, geometry_type=geometry_type, crs="EPSG:4326",
                          encoding="UTF-8", **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FeatureError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError) as exc:
        raise MapperError(f"{driver} writer (GDAL) failed: {str(exc).splitlines()[0]}") from None
    finally:
        pyogrio.set_gdal_config_options({k: None for k in config})
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _transpose(rows: list[tuple], width: int) -> Iterator[tuple]:
    """The ``width`` columns of ``rows``, one at a time (zip(*rows) would build them all at
    once: more peak memory).
    """
    for i in range(width):
        yield tuple(map(operator.itemgetter(i), rows))


def _field_array(col: str, vals: tuple) -> Any:
    """One attribute column as the numpy array pyogrio writes."""
    import numpy as np

    if col in ("lat", "lon", "confidence"):
        return np.array([np.nan if v is None else v for v in vals], dtype="f8")
    if col in ("time_precision", "acled_geo_precision", "fatalities"):
        # integer columns; -1 stands for "none" (OGR integer fields have no null in arrays);
        # 64-bit only when a figure needs it (above 2^31), so usual files keep their schema
        ints = [-1 if v is None else v for v in vals]
        wide = any(not -2**31 <= v < 2**31 for v in ints)
        if any(not -2**63 <= v < 2**63 for v in ints):
            raise MapperError(f"a {col} figure is beyond 64-bit integers; check the data")
        return np.array(ints, dtype="i8" if wide else "i4")
    if set(map(type, vals)) <= {str}:  # all text already (most columns): no per-value work
        return np.fromiter(vals, dtype=object, count=len(vals))  # np.array(): 3x slower here
    return np.array([v if type(v) is str else "" if v is None else str(v) for v in vals],
                    dtype=object)


def _check_ogr(path: Path, driver: str, expected: int, target: Path) -> None:
    """Read the finished file back: GDAL can report success on a truncated file."""
    import pyogrio

    try:
        found = int(pyogrio.read_info(str(path), layer=0)["features"])
    except Exception as exc:  # noqa: BLE001 - any failure to read back means a damaged file
        found, reason = -1, (str(exc).splitlines() or [type(exc).__name__])[0]
        reason = reason.replace(str(path), str(target))
    else:
        reason = f"{found} of {expected} features"
    if found != expected:
        raise WriteError(f"{target}: cannot write: the {driver} file GDAL wrote is incomplete "
                         f"({reason}); is the disk full? The previous file is unchanged")


# ---------------------------------------------------------------------------------- entry point
def export(incidents: Iterable[Incident], path: str | os.PathLike[str], format: str | None = None,
           *, gazetteer: Any = None, points: bool = False, raw_csv: bool = False) -> Path:
    """Write ``incidents`` to ``path`` atomically in ``format`` (or the one its suffix names).

    CSV cells that a spreadsheet would evaluate are neutralised unless ``raw_csv``; KML text is
    HTML-escaped (viewers show it as HTML).
    """
    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt == "json":
        fmt = "geojson"
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    from mapper.incidents.validate import paused_gc

    incidents = list(incidents)
    with paused_gc():
        if fmt == "geojson":
            with atomic.atomic_open(target) as handle:
                write_geojson(iter_features(incidents, gazetteer, points=points), handle)
        elif fmt == "csv":
            with atomic.atomic_open(target) as handle:
                write_acled_csv(incidents, handle, gazetteer, raw=raw_csv)
        else:
            driver = {"gpkg": "GPKG", "fgb": "FlatGeobuf", "kml": "KML"}[fmt]
            def verify(tmp: Path) -> None:  # GDAL ignores some write errors (KML, full disk)
                _check_ogr(tmp, driver, len(incidents), target)

            with atomic.atomic_path(target, verify=verify) as tmp:
                _write_ogr(incidents, tmp, driver, gazetteer, points)
    return target
