"""Border lines between countries and the buffer zones on each side (and per admin1).

A zone is what reporting calls "the border area(s)": the land within ``width_km`` of the
international border, on one side ("zone:border:RU-UA:RU", the Russian side) and its part in one
first-level division ("zone:border:RU-UA:RU-BEL", the border areas of Belgorod Oblast).

The border line is the full-resolution shared boundary of the two Natural Earth 1:10m country
polygons, committed in ``gazetteer/derived/borders.geojson.gz`` (falls back to the shared edge of
the simplified polygons given). Buffers are computed in metres, not degrees: the line is cut into
pieces of at most ~250 km, each buffered in an azimuthal equidistant projection centred on it
(distance error < 0.1 % at 30 km), and the pieces are joined in lon/lat. Each side is then clipped
to its country polygon (simplified at 0.005 deg, so sides are exact to ~0.5 km near the line).

Zone records have the area-record shape of ``mapper.gazetteer.areas`` with ``kind`` "zone", plus
``width_km`` and ``border`` ("RU-UA"). ``country_code`` is the side's country; a per-admin1 zone
carries that division's ``admin1``, ``admin1_code`` and ``gn_admin1``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from mapper.errors import UsageError
from mapper.gazetteer.areas import load_features
from mapper.gazetteer.naming import demonym_words
from mapper.geo import haversine_km

DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (("RU", "UA"),)
DEFAULT_WIDTH_KM = 30.0
SOURCES = {"zones": "computed by mapper.gazetteer.zones: buffer of the Natural Earth 1:10m shared "
                    "border "
                    "line (geodesic, per side, clipped to each country and admin1)"}
_CHUNK_KM = 250.0
_TOUCH_DEG = 0.02  # an admin1 within ~2 km of the line "touches" the border (simplified polygons)


def _pair_key(a: str, b: str) -> str:
    return "-".join(sorted((a.upper(), b.upper())))


@lru_cache(maxsize=1)
def _committed_borders() -> dict[str, Any]:
    """Pair key ("RU-UA") -> full-resolution line from gazetteer/derived/borders.geojson.gz."""
    from shapely.geometry import shape

    feats = load_features("borders.geojson.gz")  # committed: missing is a broken install
    return {_pair_key(f["properties"]["a"], f["properties"]["b"]): shape(f["geometry"])
            for f in feats}


def border_line(a: str, b: str, countries: dict[str, Any] | None = None):
    """The land border between countries ``a`` and ``b`` (ISO alpha-2) as a (Multi)LineString.

    Uses the committed full-resolution line; else the shared edge of ``countries[a]`` and
    ``countries[b]`` (tolerant of simplification). Raises UsageError when they share no border.
    """
    import shapely

    key = _pair_key(a, b)
    line = _committed_borders().get(key)
    if line is None and countries and a.upper() in countries and b.upper() in countries:
        ga, gb = countries[a.upper()], countries[b.upper()]
        # Simplified polygons do not share vertices: take A's outline where B is within 0.01 deg.
        line = shapely.line_merge(shapely.intersection(ga.boundary, gb.buffer(0.01)))
        parts = [p for p in shapely.get_parts(line) if p.geom_type == "LineString" and p.length]
        line = shapely.line_merge(shapely.union_all(parts)) if parts else None
    if line is None or line.is_empty:
        raise UsageError(f"no land border between {a.upper()} and {b.upper()} in the area data; "
                         f"give two neighbouring countries (ISO alpha-2), e.g. RU-UA")
    return line



def _chunks(line) -> Iterator[list[tuple[float, float]]]:
    """Vertex runs of at most ~_CHUNK_KM each (consecutive runs share an end vertex)."""
    import shapely

    for part in shapely.get_parts(line):
        coords = list(part.coords)
        run, km = [coords[0]], 0.0
        for prev, cur in zip(coords, coords[1:], strict=False):
            km += haversine_km(prev[1], prev[0], cur[1], cur[0])  # vertices are (lon, lat)
            run.append(cur)
            if km >= _CHUNK_KM:
                yield run
                run, km = [cur], 0.0
        if len(run) > 1:
            yield run


def _aeqd(lon: float, lat: float):
    from pyproj import CRS, Transformer

    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


def _reproject(geom, transformer):
    import shapely

    def fn(xy):
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        import numpy as np

        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def geodesic_buffer(line, width_km: float):
    """Polygon of all points within ``width_km`` of ``line`` (lon/lat in and out)."""
    import shapely
    from shapely.geometry import LineString

    if width_km <= 0:
        raise UsageError(f"zone width must be positive, got {width_km} km")
    pieces = []
    for run in _chunks(line):
        mid = run[len(run) // 2]
        fwd, inv = _aeqd(*mid)
        local = _reproject(LineString(run), fwd)
        pieces.append(_reproject(local.buffer(width_km * 1000.0, quad_segs=16), inv))
    return shapely.make_valid(shapely.union_all(pieces))


@lru_cache(maxsize=16)
def _segments(line_wkb: bytes):
    """(start, end) vertex arrays (lon, lat) of every segment of a (Multi)LineString."""
    import numpy as np
    import shapely

    starts, ends = [], []
    for part in shapely.get_parts(shapely.from_wkb(line_wkb)):
        c = shapely.get_coordinates(part)
        starts.append(c[:-1])
        ends.append(c[1:])
    return np.concatenate(starts), np.concatenate(ends)


def distance_to_border_km(lat: float, lon: float, a: str = "RU", b: str = "UA",
                          countries: dict[str, Any] | None = None) -> float:
    """Geodesic distance (km) from a point to the a-b border line.

    The nearest point is found in a local equirectangular frame centred on the point (vectorised,
    ~1 ms), then measured on the WGS84 ellipsoid; the result is within ~0.5 % for points up to a
    few hundred km from the border.
    """
    import numpy as np
    from pyproj import Geod

    s, e = _segments(border_line(a, b, countries).wkb)
    k = math.cos(math.radians(lat))
    # local frame in degrees of latitude: x scaled by cos(lat)
    p0 = np.column_stack([(s[:, 0] - lon) * k, s[:, 1] - lat])
    p1 = np.column_stack([(e[:, 0] - lon) * k, e[:, 1] - lat])
    d = p1 - p0
    len2 = (d ** 2).sum(axis=1)
    t = np.where(len2 > 0, -(p0 * d).sum(axis=1) / np.where(len2 > 0, len2, 1), 0.0).clip(0, 1)
    near = p0 + d * t[:, None]
    i = int(np.argmin((near ** 2).sum(axis=1)))
    nlon, nlat = lon + near[i, 0] / k, lat + near[i, 1]
    _, _, metres = Geod(ellps="WGS84").inv(lon, lat, nlon, nlat)
    return float(metres) / 1000.0


def _polygonal(geom):
    import shapely

    geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _clip(area, zone):
    import shapely

    box = shapely.clip_by_rect(area, *zone.bounds)
    return _polygonal(shapely.intersection(box, zone))


def _round(geom, decimals: int = 5):
    import shapely

    return _polygonal(shapely.set_precision(geom, 10.0 ** -decimals))


@lru_cache(maxsize=1)
def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO -> English country name, ISO -> adjective) from the area data and aliases.yaml."""
    names = {f["properties"]["country_code"]: f["properties"]["name"]
             for f in load_features("countries.geojson.gz")}
    adjectives = {cc: words[0] for cc, words in demonym_words().items()}
    return names, adjectives


def _side_names(a: str, b: str, side: str) -> tuple[str, list[str]]:
    names, adj = _labels()
    na, nb, ns = names.get(a, a), names.get(b, b), names.get(side, side)
    other = b if side == a else a
    aj, ao = adj.get(side, ns), adj.get(other, names.get(other, other))
    display = f"{ns}–{names.get(other, other)} border zone ({aj} side)"
    forms = [display, f"{na}–{nb} border zone", f"{na}-{nb} border zone", f"{nb}–{na} border zone",
             f"{na}-{nb} border", f"{aj}–{ao} border", f"{aj}-{ao} border",
             f"{aj} border areas", f"{aj} border regions", f"{aj} border region",
             f"{aj} border zone", f"border areas of {ns}", f"border regions of {ns}",
             f"{ns}'s border regions", f"{ns}'s border areas", f"{ns} border areas",
             f"{ns}'s border with {names.get(other, other)}",
             "border zone", "the border zone", "border regions", "border areas", "border area"]
    return display, forms


def _admin1_names(display: str, names: Iterable[str]) -> tuple[str, list[str]]:
    from mapper.gazetteer.areas import _short

    short = _short(display) or display
    title = f"Border areas of {display}"
    forms = [title, f"border areas of {display}", f"{display} border areas",
             f"{display} border area", f"border districts of {display}",
             f"{short} border area", f"{short} border areas", f"{short} border region",
             f"{short} border regions", f"{short} border districts", f"border areas of {short}",
             f"border regions of {short}", f"border areas of the {short} region",
             f"{short} region border areas", f"{short} frontier"]
    return title, list(dict.fromkeys(forms))


def _label_point(geom) -> tuple[float, float]:
    pt = geom.representative_point()
    return round(pt.y, 5), round(pt.x, 5)


def iter_border_zones(countries: dict[str, Any], admin1: Iterable[dict],
                      width_km: float = DEFAULT_WIDTH_KM,
                      pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS) -> Iterator[dict]:
    """Zone records for each side of each border in ``pairs``, and per touching admin1.

    ``countries``: {ISO alpha-2: shapely (Multi)Polygon}; ``admin1``: admin1 area records (as
    from ``mapper.gazetteer.areas.iter_admin1``). Yields records sorted by id within each pair.
    """
    import shapely

    admin1 = list(admin1)
    for a, b in pairs:
        a, b = sorted((a.upper(), b.upper()))
        for cc in (a, b):
            if cc not in countries:
                raise UsageError(f"border zone {a}-{b}: no polygon for country {cc}; "
                                 f"give ISO alpha-2 codes of countries in the area data")
        line = border_line(a, b, countries)
        buf = geodesic_buffer(line, width_km)
        near_line = line.buffer(_TOUCH_DEG)
        pair = f"{a}-{b}"
        src = (f"{SOURCES['zones']}; {width_km:g} km each side of the {pair} border")
        out: list[dict] = []
        for side in (a, b):
            zone = _round(_clip(countries[side], buf))
            if zone.is_empty:
                continue
            lat, lon = _label_point(zone)
            display, forms = _side_names(a, b, side)
            out.append({"id": f"zone:border:{pair}:{side}", "kind": "zone", "name": display,
                        "names": forms, "country_code": side, "admin1": None,
                        "admin1_code": None, "gn_admin1": None, "lat": lat, "lon": lon,
                        "population": None, "geometry": zone, "source": src,
                        "width_km": width_km, "border": pair})
            for rec in admin1:
                geom = rec.get("geometry")
                if rec.get("country_code") != side or geom is None or geom.is_empty:
                    continue
                if not shapely.intersects(geom, near_line):
                    continue
                part = _round(_clip(geom, zone))
                if part.is_empty or part.area < 1e-4:  # < ~1 km2: sliver from simplification
                    continue
                code = rec.get("admin1_code") or rec["id"].split(":", 1)[1]
                title, names = _admin1_names(rec["name"], rec.get("names") or [])
                plat, plon = _label_point(part)
                out.append({"id": f"zone:border:{pair}:{code}", "kind": "zone", "name": title,
                            "names": names, "country_code": side, "admin1": rec["name"],
                            "admin1_code": rec.get("admin1_code"),
                            "gn_admin1": rec.get("gn_admin1"), "lat": plat, "lon": plon,
                            "population": None, "geometry": part, "source": src,
                            "width_km": width_km, "border": pair})
        yield from sorted(out, key=lambda r: r["id"])
