"""GeoJSON incident files (RFC 7946 FeatureCollection, WGS 84 lon/lat, no ``crs`` member).

One feature per incident, in input order: ``id`` is the incident id, ``properties`` the flat
columns of :mod:`mapper.incidents.columns`, ``geometry`` the point, the area polygon (admin,
zone and country precision, when a gazetteer is given; ``lat``/``lon`` then hold the incident's
point) or null (unresolved). Reading: a Point geometry is the incident's point (move it in QGIS
and the move is kept); lat/lon properties that disagree with it are an error. A ``.json`` file
holding ``{"incidents": [...]}`` is read like YAML.

The writer streams one feature per line with sorted keys and coordinates rounded to 6 decimals,
so reruns are byte-identical and a 175 MB file is read back line by line.
"""
from __future__ import annotations

import io
import json
import operator
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mapper.errors import DataError
from mapper.incidents.columns import flat_properties, header_notes
from mapper.incidents.files import Entry, FileEntries, decode, fixed_locator, read_text
from mapper.incidents.geometry import Geometries
from mapper.incidents.model import Incident
from mapper.incidents.unflatten import flat_entry

# ---------------------------------------------------------------------------------- writing
#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write the incidents as a FeatureCollection (see the module docstring)."""
    gazetteer = getattr(options, "gazetteer", None)
    points = bool(getattr(options, "points", False))
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        write_geojson(iter_features(incidents, gazetteer, points=points), handle)


def iter_features(incidents: Iterable[Incident], gazetteer: Any = None, *,
                  points: bool = False) -> Iterator[dict]:
    """The GeoJSON Feature of each incident, lazily (see :func:`to_feature_collection`).

    Features of one area share its geometry dict (copy it before changing it in place).
    """
    geoms = Geometries(gazetteer, points)
    for inc in incidents:
        geometry = geoms.geojson(inc)
        props = flat_properties(inc, gazetteer)
        if geometry is not None and geometry["type"] == "Point":
            props["lat"] = props["lon"] = None  # the geometry is the point: one place to edit
        yield {"type": "Feature", "id": inc.id, "geometry": geometry, "properties": props}


def to_feature_collection(incidents: Iterable[Incident], gazetteer: Any = None, *,
                          points: bool = False) -> dict:
    """RFC 7946 FeatureCollection of the incidents (the stable contract the map embeds).

    Without a gazetteer every resolved place is a Point (the map renderer passes one to get
    area polygons for admin/zone/country precision).
    """
    return {"type": "FeatureCollection",
            "features": list(iter_features(incidents, gazetteer, points=points))}


# One encoder, built once: json.dumps with options builds a new encoder per call.
_FEATURE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                                 allow_nan=False).encode
_WRITE_BATCH = 256  # features per write: a few large writes cost less than two per feature


class _GeometryText:
    """The JSON text of area geometries, encoded once per geometry object, not per feature.

    Keyed by identity (the features of one area share its dict); the dict is kept with its
    text so its id cannot be reused. Bounded, so features that each carry their own polygon
    cannot grow it without limit.
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


# ---------------------------------------------------------------------------------- reading
def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode a GeoJSON FeatureCollection (or a ``{"incidents": [...]}`` JSON file)."""
    if _own_layout(path):
        # mapper's own one-feature-per-line GeoJSON: stream it line by line, so a 175 MB file
        # is never held whole (as text, or as the dicts of every feature at once)
        return FileEntries(str(path), feature_entries(str(path), _stream_features(path)), [], [])
    return load_json(str(path), read_text(path, allow_empty=False), in_folder=in_folder)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; use null")


_FC_HEAD = b'{"features":[\n'
_FC_TAIL = b'\n],"type":"FeatureCollection"}\n'


def _own_layout(path: Path) -> bool:
    """Whether the file is laid out as :func:`write_geojson` writes it."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_FC_HEAD)) != _FC_HEAD:
                return False
            size = handle.seek(0, os.SEEK_END)
            if size < len(_FC_HEAD) + len(_FC_TAIL):
                return False
            handle.seek(size - len(_FC_TAIL))
            return handle.read() == _FC_TAIL
    except OSError:
        return False  # read_text reports it


def _stream_features(path: Path) -> Iterator[Any]:
    """The features of a one-feature-per-line FeatureCollection, decoded one line at a time."""
    p = str(path)
    last = _FC_TAIL[1:]
    decoder = json.JSONDecoder(parse_constant=_reject_constant).decode  # one, not one per line
    with open(path, "rb", buffering=1 << 20) as handle:
        handle.readline()
        for line_no, raw in enumerate(handle, start=2):
            if raw == last:
                rest = handle.read(1 << 16)
                if rest.strip():  # two files joined: the second one's features would be lost
                    raise DataError("more data after the end of the FeatureCollection (two "
                                    "files joined, as by `cat a.geojson b.geojson`?); give the "
                                    "files separately or merge them with `mapper export a b "
                                    "-o merged.geojson`", path=p, line=line_no + 1)
                return
            chunk = decode(raw, p, line_no).rstrip("\n")
            if chunk.endswith(","):
                chunk = chunk[:-1]
            try:
                yield decoder(chunk)  # what json.loads does (a BOM was refused by decode)
            except json.JSONDecodeError as exc:
                raise DataError(f"JSON syntax: {exc.msg} (column {exc.colno})", path=p,
                                line=line_no) from None
            except (ValueError, RecursionError) as exc:
                raise DataError(f"JSON: {str(exc)[:200]}", path=p, line=line_no) from None


def load_json(path: str, text: str, *, in_folder: bool) -> FileEntries | None:
    """The entries of JSON ``text`` read from ``path``."""
    from mapper.guards import load_json as guarded_load

    # one document only (`cat a.geojson b.geojson` is an error), no NaN, nesting bounded
    data = guarded_load(text, path=path)
    if isinstance(data, dict) and "incidents" in data and data.get("type") != "FeatureCollection":
        return _canonical_json(path, data)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        if in_folder and isinstance(data, dict) and "type" not in data:
            return None
        found = (f'a GeoJSON {data.get("type")}' if isinstance(data, dict) and "type" in data
                 else f"a JSON {type(data).__name__.replace('dict', 'object')}")
        raise DataError(f"expected a GeoJSON FeatureCollection, found {found}; wrap features "
                        f'in {{"type": "FeatureCollection", "features": [...]}}', path=path,
                        line=1)
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError('a FeatureCollection needs a "features" list', path=path, line=1,
                        field="features")
    notes: list = []
    if "crs" in data:
        notes.append(("warning", 1, "crs", "RFC 7946 GeoJSON has no crs member; coordinates "
                      "are read as WGS 84 lon/lat"))
    names = dict.fromkeys(k for f in features if isinstance(f, dict)
                          and isinstance(f.get("properties"), dict) for k in f["properties"])
    notes += header_notes(names, None)
    return FileEntries(path, feature_entries(path, iter(features)), [], notes)


def feature_entries(path: str, features: Iterator[Any]) -> Iterator[Entry]:
    """The entry of each GeoJSON feature (``where`` is ``"feature N"``, counted from 0)."""
    for i, feat in enumerate(features):
        where = f"feature {i}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise DataError('not a GeoJSON Feature (needs "type": "Feature")', path=path,
                            line=where)
        props = feat.get("properties")
        if not isinstance(props, dict):
            raise DataError('the feature has no "properties" object; each incident feature '
                            "needs its fields there", path=path, line=where, field="properties")
        yield flat_entry(path, where, props, fixed_locator(where),
                         geometry=feat.get("geometry"))


def _canonical_json(path: str, data: dict) -> FileEntries:
    items = data.get("incidents")
    if not isinstance(items, list):
        raise DataError("`incidents` must be a list", path=path, line=1, field="incidents")
    shared_entries = []
    shared: dict[str, dict] = {}
    for i, rec in enumerate(data.get("sources") or []):
        where = f"sources[{i}]"
        shared_entries.append(Entry(rec, path, where, fixed_locator(where), extra={"index": i}))
        if isinstance(rec, dict) and isinstance(rec.get("url"), str):
            shared[rec["url"]] = rec
    entries = [Entry(rec, path, f"incident {i}", fixed_locator(f"incident {i}"), shared=shared)
               for i, rec in enumerate(items)]
    return FileEntries(path, entries, shared_entries, [])
