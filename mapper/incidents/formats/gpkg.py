"""GeoPackage: layer ``incidents`` (one Point per incident, areas at their point; every column)
and layer ``incident_areas`` (one MultiPolygon per area incident: admin unit, zone, country).

Each layer has one geometry type, so QGIS shows each as it is. Mapper reads ``incidents``;
``incident_areas`` is a view drawn from the gazetteer (change an area with ``place_id``).
GeoPackage 1.3 (GDAL 3.6 opens it without a version warning), DATE fields, EPSG:4326.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mapper.incidents.columns import GIS_COLUMNS, flat_properties
from mapper.incidents.files import FileEntries
from mapper.incidents.formats.ogr import point_wkb, read_layer, verify, write_layer
from mapper.incidents.geometry import Geometries
from mapper.incidents.model import Incident

__all__ = ["read", "verify", "write"]

POINT_LAYER = "incidents"
AREA_LAYER = "incident_areas"
POINT_COLUMNS = tuple(c for c in GIS_COLUMNS if c not in ("lat", "lon"))
AREA_COLUMNS = ("id", "status", "date", "date_end", "place", "place_id", "geo_precision",
                "category", "summary")
_DATASET_OPTIONS = {"VERSION": "1.3"}  # GDAL 3.6 (Debian 12) warns on 1.4
_LAYER_OPTIONS = {"FID": "fid", "SPATIAL_INDEX": "YES"}


def write(incidents: list[Incident], path: Path, options: Any = None) -> None:
    """Write both layers (the areas layer only when there are areas to draw)."""
    import shapely

    rows = [flat_properties(inc, getattr(options, "gazetteer", None)) for inc in incidents]
    write_layer(path, "GPKG", POINT_LAYER, "Point", point_wkb(rows), POINT_COLUMNS, rows,
                dataset_options=_DATASET_OPTIONS, layer_options=_LAYER_OPTIONS)
    geoms = Geometries(getattr(options, "gazetteer", None),
                       bool(getattr(options, "points", False)))
    area_rows, area_wkb = [], []
    cache: dict[str, bytes] = {}
    for inc, row in zip(incidents, rows, strict=True):
        area = geoms.area(inc)
        if area is None:
            continue
        key = inc.place.place_id or ""
        if key not in cache:
            cache[key] = shapely.to_wkb(shapely.multipolygons(shapely.get_parts(area))
                                        if area.geom_type == "Polygon" else area,
                                        output_dimension=2)
        area_rows.append(row)
        area_wkb.append(cache[key])
    if area_rows:
        write_layer(path, "GPKG", AREA_LAYER, "MultiPolygon", area_wkb, AREA_COLUMNS,
                    area_rows, append=True, layer_options=_LAYER_OPTIONS)


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode the ``incidents`` layer (or the first layer that is not ``incident_areas``)."""
    return read_layer(path, in_folder=in_folder, layer=POINT_LAYER,
                      skip_layers=frozenset({AREA_LAYER}))
