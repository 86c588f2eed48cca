"""GeoPackage: layer ``incidents`` (one Point per incident, areas at their point; every column)
and layer ``incident_areas`` (one MultiPolygon per area incident: admin unit, zone, country).

Each layer has one geometry type, so QGIS shows each as it is. Mapper reads ``incidents``;
``incident_areas`` is a view drawn from the gazetteer (change an area with ``place_id``).
GeoPackage 1.3 (GDAL 3.6 opens it without a version warning), DATE fields, EPSG:4326.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.incidents.columns import GIS_COLUMNS, flat_properties
from mapper.incidents.files import FileEntries
from mapper.incidents.formats.ogr import read_layer, verify
from mapper.incidents.formats.ogrstream import RowSpool, chunks, point_wkb, write_layer
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


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write both layers (the areas layer only when there are areas to draw), streamed: the
    rows are set aside on disk (:class:`~mapper.incidents.formats.ogrstream.RowSpool`), then
    each layer is written from them; an area's polygon is made once and kept by place id.
    """
    import shapely

    gazetteer = getattr(options, "gazetteer", None)
    geoms = Geometries(gazetteer, bool(getattr(options, "points", False)))
    cache: dict[str, bytes] = {}
    with RowSpool(POINT_COLUMNS, path.parent) as spool:
        for chunk in chunks(incidents):
            rows = [flat_properties(inc, gazetteer) for inc in chunk]
            keys: list[str | None] = []
            for inc in chunk:
                area = geoms.area(inc)
                if area is None:
                    keys.append(None)
                    continue
                key = inc.place.place_id or ""
                if key not in cache:
                    cache[key] = shapely.to_wkb(shapely.multipolygons(shapely.get_parts(area))
                                                if area.geom_type == "Polygon" else area,
                                                output_dimension=2)
                keys.append(key)
            spool.add(rows, point_wkb(rows), keys)
        write_layer(path, "GPKG", POINT_LAYER, "Point", spool.batches(POINT_COLUMNS),
                    dataset_options=_DATASET_OPTIONS, layer_options=_LAYER_OPTIONS)
        if spool.keyed:
            write_layer(path, "GPKG", AREA_LAYER, "MultiPolygon",
                        spool.batches(AREA_COLUMNS, geometry=lambda ks: [cache[k] for k in ks]),
                        append=True, layer_options=_LAYER_OPTIONS)


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode the ``incidents`` layer (or the first layer that is not ``incident_areas``)."""
    return read_layer(path, in_folder=in_folder, layer=POINT_LAYER,
                      skip_layers=frozenset({AREA_LAYER}))
