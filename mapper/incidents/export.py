"""GIS export: every registered format (:mod:`mapper.incidents.formats`), from the Python API.

Every format carries the same flat attribute columns (:data:`~mapper.incidents.columns.GIS_COLUMNS`;
claims and sources as JSON text, multi-valued fields `` | ``-joined), so a GIS user can see and
edit every field and mapper reads the edits back. Writes are atomic; reruns give byte-identical
files (GeoPackage included: its timestamp is pinned through ``OGR_CURRENT_DATE``).

:func:`to_feature_collection` is the stable contract the map renderer embeds;
:func:`to_geodataframe` gives the incidents to geopandas.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.incidents.columns import ACLED_COLUMNS, GIS_COLUMNS, fatalities, flat_properties
from mapper.incidents.formats import WriteOptions, write_file
from mapper.incidents.formats.geojson import (
    geojson_text,
    iter_features,
    to_feature_collection,
    write_geojson,
)
from mapper.incidents.model import Incident

__all__ = ["ACLED_COLUMNS", "GIS_COLUMNS", "export", "fatalities", "flat_properties",
           "geojson_text", "iter_features", "to_feature_collection", "to_geodataframe",
           "write_geojson"]


def export(incidents: Iterable[Incident], path: str | os.PathLike[str], format: str | None = None,
           *, gazetteer: Any = None, points: bool = False, raw_csv: bool = False) -> Path:
    """Write ``incidents`` to ``path`` atomically in ``format`` (or the one its suffix names).

    CSV cells that a spreadsheet would evaluate are neutralised unless ``raw_csv`` (mapper
    reads both back); KML text is HTML-escaped (viewers show it as HTML). Every built-in format
    takes ``incidents`` as a stream (bounded memory; GeoPackage and FlatGeobuf set the rows
    aside in a temporary file beside ``path`` first, KML its Placemarks).
    """
    return write_file(incidents, path, format, WriteOptions(gazetteer, points, raw_csv))


def to_geodataframe(incidents: Iterable[Incident], gazetteer: Any = None, *,
                    points: bool = False) -> Any:
    """The incidents as a geopandas GeoDataFrame (EPSG:4326), one row per incident.

    Columns are :data:`~mapper.incidents.columns.GIS_COLUMNS` with typed values (dates as
    ``datetime64``, unknown counts as null); the geometry is the point, or the area polygon for
    admin, zone and country precision when a gazetteer is given (unless ``points``).
    """
    import geopandas
    import pandas as pd

    from mapper.incidents.geometry import CRS, Geometries

    geoms = Geometries(gazetteer, points)
    rows, shapes = [], []
    for inc in incidents:
        rows.append(flat_properties(inc, gazetteer))
        shapes.append(geoms.geojson(inc))
    frame = geopandas.GeoDataFrame(
        pd.DataFrame(rows, columns=list(GIS_COLUMNS)),
        geometry=geopandas.GeoSeries.from_wkt([None] * len(rows)) if not rows else
        [None if g is None else _shape(g) for g in shapes], crs=CRS)
    for col in ("date", "date_end"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("fatalities", "time_precision", "acled_geo_precision"):
        frame[col] = frame[col].astype("Int32")
    return frame


def _shape(geometry: dict) -> Any:
    import shapely.geometry

    return shapely.geometry.shape(geometry)
