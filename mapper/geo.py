"""Geodesy shared by every part of mapper: one Earth radius, one great-circle distance, one
way to round coordinates.

>>> round(haversine_km(50.6, 36.6, 51.7, 36.2), 1)  # Belgorod to Kursk
125.5
>>> round_coords([[36.18457123, 51.72689456], [36.2, -0.0000001]], 3)
[[36.185, 51.727], [36.2, 0.0]]
"""
from __future__ import annotations

import math
from typing import Any

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the one every distance in mapper uses."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given as lat, lon (degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def rounded(value: float, nd: int = 5) -> float:
    """``value`` rounded to ``nd`` decimals, with -0.0 written as 0.0 (stable output)."""
    out = round(float(value), nd)
    return 0.0 if out == 0 else out


def round_coords(coords: Any, nd: int) -> Any:
    """GeoJSON coordinates (any nesting) rounded to ``nd`` decimals, x/y only, as lists."""
    if isinstance(coords, (int, float)):
        return rounded(coords, nd)
    if coords and isinstance(coords[0], (int, float)):
        return [rounded(c, nd) for c in coords[:2]]
    return [round_coords(c, nd) for c in coords]


#: boundaries with more vertices are thinned first (:func:`thinned`)
LARGE_GEOMETRY = 100_000


def thinned(geoms: Any, tolerance: float) -> Any:
    """Geometries (one, or an array) with more than :data:`LARGE_GEOMETRY` vertices thinned by
    plain Douglas-Peucker at a quarter of ``tolerance``, others as they are.

    Topology-preserving simplification of an imported 10^6-vertex boundary takes minutes and
    ran once per output; thinned first, a following ``simplify(tolerance,
    preserve_topology=True)`` takes a fraction of a second and differs by less than a quarter
    of the tolerance. Ordinary outlines (Natural Earth: thousands of vertices) are unchanged.
    """
    import numpy as np
    import shapely

    counts = shapely.get_num_coordinates(geoms)
    if np.ndim(counts) == 0:
        if int(counts) <= LARGE_GEOMETRY:
            return geoms
        return shapely.simplify(geoms, tolerance / 4, preserve_topology=False)
    big = np.asarray(counts) > LARGE_GEOMETRY
    if not big.any():
        return geoms
    out = np.array(geoms, dtype=object)
    out[big] = shapely.simplify(out[big], tolerance / 4, preserve_topology=False)
    return out
