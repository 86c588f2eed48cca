"""Geometry for the page: shapes simplified (coordinates rounded by :mod:`mapper.geo`) so the
map stays light.

Shared by the data blob (:mod:`mapper.render.data`) and the basemap
(:mod:`mapper.render.basemap`), which both draw gazetteer geometry.
"""
from __future__ import annotations

from typing import Any

from mapper.geo import round_coords, thinned


def simplified_geojson(geom: Any, *, max_points: int = 1500, nd: int = 4) -> dict | None:
    """A shapely geometry as a small GeoJSON geometry: simplified until it has at most
    ``max_points`` vertices, coordinates rounded. Keeps areas light in the page.
    """
    from shapely.geometry import mapping

    if geom is None or geom.is_empty:
        return None
    w, s, e, n = geom.bounds
    tol = max(e - w, n - s) / 1500 or 1e-4
    source = thinned(geom, tol)  # a 10^6-vertex import: seconds, not minutes
    out = geom
    for _ in range(12):
        out = source.simplify(tol, preserve_topology=True)
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
