"""FlatGeobuf: one Point per incident (areas at their point; GeoPackage, GeoJSON and KML also
draw the area polygons), every column, DateTime fields for dates (FlatGeobuf has no DATE type;
midnight), EPSG:4326.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mapper.incidents.columns import flat_properties
from mapper.incidents.files import FileEntries
from mapper.incidents.formats.gpkg import POINT_COLUMNS
from mapper.incidents.formats.ogr import point_wkb, read_layer, verify, write_layer
from mapper.incidents.model import Incident

__all__ = ["read", "verify", "write"]


def write(incidents: list[Incident], path: Path, options: Any = None) -> None:
    """Write one Point layer ``incidents``."""
    gazetteer = getattr(options, "gazetteer", None)
    rows = [flat_properties(inc, gazetteer) for inc in incidents]
    # no spatial index: it sorts the features along a Hilbert curve (the input order is lost)
    # and cannot hold features without geometry (unresolved places)
    write_layer(path, "FlatGeobuf", "incidents", "Point", point_wkb(rows), POINT_COLUMNS, rows,
                layer_options={"SPATIAL_INDEX": "NO"})


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode the file's layer."""
    return read_layer(path, in_folder=in_folder)
