"""Incident geometry for the GIS formats: the point, or the area polygon of an admin unit or zone.

The point for exact and settlement precision (and for any place without an area); the area
polygon (``gazetteer.geometry(place_id)``) for admin, zone and country precision unless
``points=True``; unresolved places get no geometry and are kept. Coordinates are rounded to 6
decimals, polygon rings counter-clockwise outside (RFC 7946 section 3.1.6). CRS: WGS 84
(EPSG:4326) lon/lat everywhere.
"""
from __future__ import annotations

from typing import Any

from mapper.geo import round_coords, thinned
from mapper.incidents.columns import COORD_DECIMALS, round_coord
from mapper.incidents.model import AREA_PRECISIONS, Incident

CRS = "EPSG:4326"
MAX_AREA_VERTICES = 10_000
"""Areas with more vertices (an imported boundary of 10^6 points) are simplified to this budget
for the GIS formats, topology kept: every feature of the place carries the polygon, so 1,000
incidents would otherwise write it 1,000 times (16 GB). The gazetteer keeps the full one."""


class Geometries:
    """Incident -> area geometry (shapely) or GeoJSON geometry, with areas cached per place id."""

    def __init__(self, gazetteer: Any, points: bool) -> None:
        self.gazetteer, self.points = gazetteer, points
        self._areas: dict[str, Any] = {}
        self._area_json: dict[str, dict] = {}  # place id -> rounded GeoJSON of its area

    def area(self, inc: Incident) -> Any:
        """The area polygon to draw for ``inc``, or None (draw its point)."""
        p = inc.place
        if self.points or self.gazetteer is None or not p.place_id \
                or p.geo_precision not in AREA_PRECISIONS or not p.resolved:
            return None
        if p.place_id not in self._areas:
            geom = self.gazetteer.geometry(p.place_id)
            if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
                import shapely

                geom = simplified(geom, MAX_AREA_VERTICES, p.place_id)
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
        """The GeoJSON geometry of ``inc`` (features of one area share one dict)."""
        if not inc.place.resolved:
            return None
        area = self.area(inc)
        if area is not None:
            # once per area, not once per incident: an oblast's rings hold thousands of points
            # (20,000 incidents in one oblast took 6 s of rounding alone); features share it
            place_id = inc.place.place_id
            assert place_id is not None
            if place_id not in self._area_json:
                shape = _mapping(area)
                self._area_json[place_id] = {
                    "type": shape["type"],
                    "coordinates": round_coords(shape["coordinates"], COORD_DECIMALS)}
            return self._area_json[place_id]
        return {"type": "Point",
                "coordinates": [round_coord(inc.place.lon), round_coord(inc.place.lat)]}


def simplified(geom: Any, budget: int, name: str = "area") -> Any:
    """``geom`` with at most ``budget`` vertices (Douglas-Peucker, topology kept): the tolerance
    starts at the bounding box over the budget and doubles until the shape fits. Logs a warning
    when it simplifies, so the output never passes for the full boundary silently.
    """
    import logging

    import shapely

    count = int(shapely.get_num_coordinates(geom))
    if count <= budget:
        return geom
    west, south, east, north = geom.bounds
    tolerance = max(east - west, north - south) / budget
    source = thinned(geom, tolerance)  # a 10^6-vertex import: seconds, not minutes
    out = geom
    while int(shapely.get_num_coordinates(out)) > budget:
        out = shapely.simplify(source, tolerance, preserve_topology=True)
        tolerance *= 2
    logging.getLogger("mapper").warning(
        "%s: area simplified from %s to %s vertices for this output (tolerance %.2g deg)",
        name, f"{count:,}", f"{int(shapely.get_num_coordinates(out)):,}", tolerance / 2)
    return out


def _orient(geom: Any) -> Any:
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient

    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return MultiPolygon([orient(g, 1.0) for g in geom.geoms])


def _mapping(geom: Any) -> dict:
    import shapely.geometry

    mapping: dict = shapely.geometry.mapping(geom)
    return mapping


