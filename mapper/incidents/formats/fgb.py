"""FlatGeobuf: one Point per incident (areas at their point; GeoPackage, GeoJSON and KML also
draw the area polygons), every column, DateTime fields for dates (FlatGeobuf has no DATE type;
midnight), EPSG:4326.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.incidents.columns import flat_properties
from mapper.incidents.files import FileEntries
from mapper.incidents.formats.gpkg import POINT_COLUMNS
from mapper.incidents.formats.ogr import read_layer, verify
from mapper.incidents.formats.ogrstream import RowSpool, chunks, point_wkb, write_layer
from mapper.incidents.model import Incident

__all__ = ["read", "verify", "write"]


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write one Point layer ``incidents``, streamed (rows set aside on disk first, see
    :mod:`mapper.incidents.formats.ogrstream`).
    """
    gazetteer = getattr(options, "gazetteer", None)
    with RowSpool(POINT_COLUMNS, path.parent) as spool:
        for chunk in chunks(incidents):
            rows = [flat_properties(inc, gazetteer) for inc in chunk]
            spool.add(rows, point_wkb(rows))
        # no spatial index: it sorts the features along a Hilbert curve (the input order is
        # lost) and cannot hold features without geometry (unresolved places)
        write_layer(path, "FlatGeobuf", "incidents", "Point", spool.batches(POINT_COLUMNS),
                    layer_options={"SPATIAL_INDEX": "NO"})


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode the file's layer."""
    return read_layer(path, in_folder=in_folder)
