"""Geometry for the page: coordinates rounded and shapes simplified so the map stays light.

Shared by the data blob (:mod:`mapper.render.data`) and the basemap
(:mod:`mapper.render.basemap`), which both draw gazetteer geometry.

>>> round_coords([[36.18457123, 51.72689456], [36.2, -0.0000001]], 3)
[[36.185, 51.727], [36.2, 0.0]]
"""
from __future__ import annotations

from typing import Any


def rounded(value: float, nd: int = 5) -> float:
    """``value`` rounded to ``nd`` decimals, with -0.0 written as 0.0 (stable output)."""
    out = round(float(value), nd)
    return 0.0 if out == 0 else out


def round_coords(coords: Any, nd: int) -> Any:
    """GeoJSON coordinates (any nesting) rounded to ``nd`` decimals, x/y only."""
    if isinstance(coords, (int, float)):
        return rounded(coords, nd)
    if coords and isinstance(coords[0], (int, float)):
        return [rounded(c, nd) for c in coords[:2]]
    return [round_coords(c, nd) for c in coords]


def simplified_geojson(geom: Any, *, max_points: int = 1500, nd: int = 4) -> dict | None:
    """A shapely geometry as a small GeoJSON geometry: simplified until it has at most
    ``max_points`` vertices, coordinates rounded. Keeps areas light in the page.
    """
    from shapely.geometry import mapping

    if geom is None or geom.is_empty:
        return None
    w, s, e, n = geom.bounds
    tol = max(e - w, n - s) / 1500 or 1e-4
    out = geom
    for _ in range(12):
        out = geom.simplify(tol, preserve_topology=True)
        if _count_points(out) <= max_points:
            break
        tol *= 2
    if out.is_empty:
        return None
    data = mapping(out)
    return {"type": data["type"], "coordinates": round_coords(data["coordinates"], nd)}


def _count_points(geom: Any) -> int:
    import shapely

    return int(shapely.get_num_coordinates(geom))
