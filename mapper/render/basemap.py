"""Offline vector basemap and reference overlays for the map, drawn from the gazetteer.

The basemap is coarse world country outlines plus finer country and admin1 outlines around the
data, so the page shows where things are with no tile server. Overlays are the admin1 areas the
incidents involve, the border zones they name and the border lines between the countries.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.gazetteer.protocol import Gazetteer
from mapper.geo import round_coords, thinned
from mapper.render.labels import place_labels
from mapper.render.shapes import simplified_geojson


def _rows(gazetteer: Gazetteer, prefix: str) -> list[tuple]:
    """``(id, west, south, east, north)`` for every place id starting with ``prefix`` (bbox
    values None for a point); the gazetteer caches the scan per instance.
    """
    return [(pid, *(bbox or (None,) * 4)) for pid, bbox in gazetteer.bboxes(prefix)]


def _ids(gazetteer: Gazetteer, prefix: str) -> list[str]:
    """Every place id with ``prefix`` in the gazetteer."""
    return gazetteer.ids(prefix)


def _geom(gazetteer: Any, place_id: str) -> Any:
    geom = gazetteer.geometry(place_id)  # None for an unknown id
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon",
                                                                 "LineString", "MultiLineString"):
        return None
    return geom


def _feature(place_id: str, geom: Any, max_points: int, nd: int) -> dict | None:
    data = simplified_geojson(geom, max_points=max_points, nd=nd)
    if data is None:
        return None
    return {"type": "Feature", "properties": {"id": place_id}, "geometry": data}


def _fc(features: Iterable[dict | None]) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def _region(bounds: list[float] | None, margin: float) -> tuple[float, float, float, float] | None:
    if not bounds:
        return None
    w, s, e, n = bounds
    pad = max(margin, (e - w) * 0.5, (n - s) * 0.5)
    return (w - pad, s - pad, e + pad, n + pad)


WORLD_VERSION = 2          # bump when the coarse world layer's recipe changes
WORLD_TOLERANCE = 0.3     # degrees: plenty for a world view (~8,000 vertices in all)
WORLD_MIN_PART = 1.0      # square degrees: smaller islands are left out of the world layer
_WORLD: dict[Any, dict] = {}


def world_layer(gazetteer: Any) -> dict:
    """Coarse outlines of every country, as a FeatureCollection.

    Simplifying ~280,000 vertices takes ~0.3 s, so the result is kept in memory and in a cache
    file beside the gazetteer database (like the name automaton), keyed by the database's size
    and modification time; deleting it is always safe.
    """
    path = getattr(gazetteer, "path", None)
    stamp = None
    if path is not None:
        try:
            st = os.stat(path)
            stamp = (str(path), st.st_size, st.st_mtime_ns, WORLD_VERSION)
        except OSError:
            stamp = None
    key = stamp or (id(gazetteer), WORLD_VERSION)
    if key in _WORLD:
        return _WORLD[key]
    cache = Path(f"{path}.basemap-v{WORLD_VERSION}.json") if stamp else None
    stamp_list = list(stamp[1:]) if stamp else None
    if cache is not None and cache.exists():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp_list:
                _WORLD[key] = data["layer"]
                return data["layer"]
        except (OSError, ValueError, KeyError):
            pass  # a stale or broken cache is rebuilt below
    layer = _build_world(gazetteer)
    _WORLD[key] = layer
    if cache is not None:
        try:
            from mapper.atomic import write_text

            write_text(cache, json.dumps({"stamp": stamp_list, "layer": layer},
                                         separators=(",", ":"), sort_keys=True))
        except OSError:
            pass  # a read-only cache folder only costs time
    return layer


def _build_world(gazetteer: Any) -> dict:
    import shapely
    from shapely.geometry import mapping


    ids, geoms = [], []
    for pid in _ids(gazetteer, "adm0:"):
        geom = _geom(gazetteer, pid)
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            ids.append(pid)
            geoms.append(_drop_small(geom, WORLD_MIN_PART))
    if not geoms:
        return _fc([])
    simple = shapely.simplify(geoms, WORLD_TOLERANCE, preserve_topology=True)
    feats = []
    for pid, g in zip(ids, simple, strict=True):
        if g.is_empty:
            continue
        data = mapping(g)
        feats.append({"type": "Feature", "properties": {"id": pid},
                      "geometry": {"type": data["type"],
                                   "coordinates": round_coords(data["coordinates"], 1)}})
    return _fc(feats)


def basemap(gazetteer: Any, bounds: list[float] | None) -> dict[str, Any]:
    """Country outlines (coarse world, finer near the data), admin1 outlines and place labels
    near the data.

    Near the data, outlines are clipped to a box around it and simplified to a tolerance that
    suits that box, so a country the size of Russia costs no more than a small one.
    """
    if gazetteer is None:
        return {}
    world = world_layer(gazetteer)
    admin1_ids = _ids(gazetteer, "adm1:")
    country_ids = _ids(gazetteer, "adm0:")
    near, close = _region(bounds, 8.0), _region(bounds, 4.0)
    fine = _clipped(gazetteer, country_ids, near)
    fine_ids = {f["properties"]["id"] for f in fine}
    countries = _seamless(world["features"], fine, near)
    admin1 = _clipped(gazetteer, admin1_ids, close)
    labels = place_labels(gazetteer, bounds, sorted(f["properties"]["id"] for f in admin1),
                          sorted(fine_ids))
    out: dict[str, Any] = {}
    water = lakes_in(close)
    if water:
        out["lakes"] = _fc(water)
    return {**out, "countries": _fc(countries), "admin1": _fc(admin1), "labels": labels,
            "box": [_r3(v) for v in near] if near and fine_ids else None,
            "admin1Box": [_r3(v) for v in close] if close and admin1 else None}


LAKES_FILE = "lakes.txt.gz"  # gazetteer/derived/, written by gazetteer/make_lakes.py
_LAKES: list[tuple[tuple[float, float, float, float], str]] = []
LAKE_MIN_CELLS = 9  # a lake's box spans at least 3 x 3 squares of the simplification tolerance


def lakes_in(box: tuple[float, float, float, float] | None) -> list[dict]:
    """Lakes and reservoirs reaching into ``box``, clipped to it and simplified to suit its size
    (like the admin1 outlines; lakes too small to show at that detail are left out), as GeoJSON
    features.

    From ``gazetteer/derived/lakes.txt.gz`` (OpenStreetMap water polygons at 1 km resolution
    via npm @geo-maps/earth-lakes-1km, ODbL; see gazetteer/SOURCES.md): one polygon a line
    after its bounding box, so only the lines whose box meets ``box`` are parsed. Empty when
    the file is missing (an install without the derived data).
    """
    if box is None:
        return []
    if not _LAKES:
        import gzip

        from mapper.gazetteer.areas import data_dir

        path = data_dir() / "derived" / LAKES_FILE
        if not path.exists():
            return []
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            head, _, coords = line.partition("\t")
            w, s, e, n = (float(v) for v in head.split(","))
            _LAKES.append(((w, s, e, n), coords))
    import shapely

    tol = max(box[2] - box[0], box[3] - box[1]) / 1000
    polys = [shapely.Polygon(rings[0], rings[1:]) for (w, s, e, n), coords in _LAKES
             if (e - w) * (n - s) >= LAKE_MIN_CELLS * tol * tol
             and not (e < box[0] or w > box[2] or n < box[1] or s > box[3])
             for rings in (json.loads(coords),)]
    if not polys:
        return []
    feats = []
    for geom in shapely.simplify(shapely.clip_by_rect(polys, *box), tol, preserve_topology=True):
        data = _polygonal(geom)
        if data is not None:
            feats.append({"type": "Feature", "properties": {},
                          "geometry": {"type": data["type"],
                                       "coordinates": round_coords(data["coordinates"], 3)}})
    return feats


def _r3(value: float) -> float:
    return round(float(value), 3)


def _seamless(world: list[dict], fine: list[dict],
              box: tuple[float, float, float, float] | None) -> list[dict]:
    """Country fills with no seam where the fine outlines near the data meet the coarse world.

    Countries that reach into ``box`` are drawn as their coarse shape outside the box plus their
    fine shape inside it, both marked ``edge: False``: the page strokes their outlines itself,
    leaving out the segments that lie on the box's sides, so neither the box nor a gap shows.
    Other countries keep their coarse outline.
    """
    if box is None or not fine:
        return world
    import shapely
    from shapely.geometry import shape


    fine_ids = {f["properties"]["id"] for f in fine}
    frame = shapely.box(*box)
    fills = []
    for f in world:
        pid = f["properties"]["id"]
        if pid not in fine_ids:
            fills.append(f)
            continue
        data = _polygonal(shapely.make_valid(shape(f["geometry"])).difference(frame))
        if data is not None:  # 3 decimals: the hole's sides must meet the fine shapes' sides
            fills.append({"type": "Feature", "properties": {"id": pid, "edge": False},
                          "geometry": {"type": data["type"],
                                       "coordinates": round_coords(data["coordinates"], 3)}})
    fills += [{**f, "properties": {**f["properties"], "edge": False}} for f in fine]
    return fills


def _polygonal(geom: Any) -> dict | None:
    from shapely.geometry import MultiPolygon, mapping

    if geom.is_empty:
        return None
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon",
                                                                          "MultiPolygon")]
    flat = [p for g in parts for p in getattr(g, "geoms", [g])]
    if not flat:
        return None
    return dict(mapping(flat[0] if len(flat) == 1 else MultiPolygon(flat)))


def _clipped(gazetteer: Any, ids: list[str], box: tuple[float, float, float, float] | None
             ) -> list[dict]:
    """Features for the areas among ``ids`` that reach into ``box``, clipped to it."""
    if box is None:
        return []
    import shapely
    from shapely.geometry import mapping


    keep, geoms = [], []
    for pid in _near_ids(gazetteer, ids, box):
        geom = _geom(gazetteer, pid)
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            keep.append(pid)
            geoms.append(geom)
    if not geoms:
        return []
    tol = max(box[2] - box[0], box[3] - box[1]) / 1000
    clipped = shapely.clip_by_rect(geoms, *box)
    simple = shapely.simplify(thinned(clipped, tol), tol, preserve_topology=True)
    feats = []
    for pid, g in zip(keep, simple, strict=True):
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        data = mapping(g)
        feats.append({"type": "Feature", "properties": {"id": pid},
                      "geometry": {"type": data["type"],
                                   "coordinates": round_coords(data["coordinates"], 3)}})
    return feats


def _near_ids(gazetteer: Any, ids: list[str], box: tuple[float, float, float, float]) -> list[str]:
    """The ids whose stored bbox reaches into ``box`` (most outlines are then never loaded);
    an id without a stored bbox is kept (its geometry decides later).
    """
    if not ids:
        return []
    wanted = set(ids)
    prefix = ids[0].split(":", 1)[0] + ":"
    return [r[0] for r in _rows(gazetteer, prefix) if r[0] in wanted and (
        r[1] is None or not (r[3] < box[0] or r[1] > box[2] or r[4] < box[1] or r[2] > box[3]))]


def _drop_small(geom: Any, min_area: float) -> Any:
    if geom.geom_type == "MultiPolygon":
        parts = [p for p in geom.geoms if p.area >= min_area]
        if not parts:
            parts = [max(geom.geoms, key=lambda p: p.area)]
        from shapely.geometry import MultiPolygon

        return MultiPolygon(parts)
    return geom


def admin1_containing(gazetteer: Any, points: list[tuple[float, float]]) -> set[str]:
    """Ids of the admin1 areas that contain any of ``points`` ((lon, lat) pairs), for incidents
    given by coordinates alone: one spatial-index query for all of them.
    """
    if gazetteer is None or not points:
        return set()
    import shapely

    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    ids = _near_ids(gazetteer, _ids(gazetteer, "adm1:"), (min(xs), min(ys), max(xs), max(ys)))
    keep, geoms = [], []
    for pid in ids:
        geom = _geom(gazetteer, pid)
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            keep.append(pid)
            geoms.append(geom)
    if not geoms:
        return set()
    tree = shapely.STRtree(geoms)
    hits = tree.query(shapely.points(xs, ys), predicate="within")
    return {keep[j] for j in set(hits[1].tolist())}


def overlays(gazetteer: Any, admin1_ids: list[str], zone_pairs: list[str],
             countries: list[str], points: list[tuple[float, float]] | None = None,
             bounds: list[float] | None = None) -> dict[str, Any]:
    """Outlines of the admin1 areas involved (named by the incidents, or containing the points of
    those given by coordinates), and the border lines and border zones near the data: between
    the countries involved and their neighbours reaching into the data's region, plus any
    border zone an incident names.
    """
    if gazetteer is None:
        return {}
    involved = sorted(set(admin1_ids) | admin1_containing(gazetteer, points or []))
    admin = [_feature(pid, g, 800, 4) for pid in involved
             if (g := _geom(gazetteer, pid)) is not None]
    # border lines only close to the data: its bounds plus half a degree, no proportional pad
    box = None if not bounds else (bounds[0] - 0.5, bounds[1] - 0.5, bounds[2] + 0.5,
                                   bounds[3] + 0.5)
    nearby = set(countries)
    if box is not None:
        nearby |= {pid[5:] for pid in _near_ids(gazetteer, _ids(gazetteer, "adm0:"), box)}
    pairs = {p for p in zone_pairs if len(p.split("-")) == 2}
    ordered = sorted(nearby)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if a in countries or b in countries:
                pairs.add(f"{a}-{b}")
    zones, lines = [], []
    for pair in sorted(pairs):
        a, b = pair.split("-")
        line = _border_line(gazetteer, a, b, box)
        if line is None and pair not in zone_pairs:
            continue  # no common border near the data
        if line is not None:
            lines.append(_line_feature(f"border:{pair}", line))
        for name in (pair, f"{b}-{a}"):
            found = [pid for pid in (f"zone:border:{name}:{a}", f"zone:border:{name}:{b}")
                     if _geom(gazetteer, pid) is not None]
            for pid in found:
                zones.append(_feature(pid, _geom(gazetteer, pid), 1500, 4))
            if found:
                break
    return {"admin": _fc(admin), "borderZone": _fc(zones), "borderLine": _fc(lines)}


def _border_line(gazetteer: Any, a: str, b: str,
                 box: tuple[float, float, float, float] | None = None) -> Any:
    """The shared boundary of two countries (within ``box`` when given): the gazetteer's border
    line when it has one (``border:A-B``), else A's outline where it touches B.
    """
    import shapely

    line = None
    for pid in (f"border:{a}-{b}", f"border:{b}-{a}"):
        geom = _geom(gazetteer, pid)
        if geom is not None and geom.geom_type in ("LineString", "MultiLineString"):
            line = geom
            break
    if line is None:
        ga, gb = _geom(gazetteer, f"adm0:{a}"), _geom(gazetteer, f"adm0:{b}")
        if ga is None or gb is None:
            return None
        if box is not None:  # clip first: a country the size of Russia costs nothing then
            ga, gb = shapely.clip_by_rect(ga, *box), shapely.clip_by_rect(gb, *box)
        if ga.is_empty or gb.is_empty or not ga.buffer(0.05).intersects(gb):
            return None
        line = ga.boundary.intersection(gb.buffer(0.02))
        if box is not None:  # the clip box's own edges are no border
            line = line.difference(shapely.box(*box).exterior.buffer(0.03))
    elif box is not None:
        line = shapely.clip_by_rect(line, *box)
    if line is None or line.is_empty:
        return None
    return shapely.line_merge(line)  # takes any geometry (lines are merged, the rest dropped)


def _line_feature(fid: str, geom: Any) -> dict | None:
    from shapely.geometry import mapping


    simple = geom.simplify(0.002, preserve_topology=False)
    if simple.is_empty:
        return None
    data = mapping(simple)
    if data["type"] not in ("LineString", "MultiLineString"):
        parts = [g for g in getattr(simple, "geoms", []) if g.geom_type == "LineString"]
        if not parts:
            return None
        from shapely.geometry import MultiLineString

        data = mapping(MultiLineString(parts))
    return {"type": "Feature", "properties": {"id": fid},
            "geometry": {"type": data["type"], "coordinates": round_coords(data["coordinates"], 4)}}
