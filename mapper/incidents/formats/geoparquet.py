"""GeoParquet 1.1 (via geopandas and pyarrow): one Point per incident (areas at their point),
every column, dates as Parquet DATE (date32), counts as nullable integers, WKB geometry with
the CRS (EPSG:4326) in the ``geo`` metadata.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.columns import DATE_COLUMNS, INTEGER_COLUMNS, NUMBER_COLUMNS, flat_properties
from mapper.incidents.files import FileEntries, check_readable
from mapper.incidents.formats.gpkg import POINT_COLUMNS
from mapper.incidents.formats.ogr import frame_entries
from mapper.incidents.geometry import CRS
from mapper.incidents.model import Incident


def to_frame(incidents: list[Incident]) -> Any:
    """The incidents as a GeoDataFrame with typed columns (what :func:`write` stores)."""
    import geopandas
    import pandas as pd
    import shapely

    rows = [flat_properties(inc) for inc in incidents]
    data: dict[str, Any] = {}
    for col in POINT_COLUMNS:
        vals = [row[col] for row in rows]
        if col in DATE_COLUMNS:
            data[col] = pd.Series([None if v is None else dt.date.fromisoformat(v)
                                   for v in vals], dtype=object)
        elif col in INTEGER_COLUMNS:
            data[col] = pd.array(vals, dtype="Int32")
        elif col in NUMBER_COLUMNS:
            data[col] = pd.array([None if v is None else float(v) for v in vals],
                                 dtype="Float64")
        else:
            data[col] = pd.Series([None if v is None else str(v) for v in vals], dtype=object)
    points = [None if r["lat"] is None or r["lon"] is None else shapely.Point(r["lon"], r["lat"])
              for r in rows]
    return geopandas.GeoDataFrame(data, geometry=points, crs=CRS)


def write(incidents: list[Incident], path: Path, options: Any = None) -> None:
    """Write a GeoParquet 1.1 file."""
    # dates as Parquet DATE: pandas object columns of datetime.date become date32
    to_frame(incidents).to_parquet(str(path), index=False, compression="zstd",
                                   schema_version="1.1.0", geometry_encoding="WKB")


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode a GeoParquet (or plain Parquet with id/date/place columns) file."""
    import geopandas
    import pyarrow

    check_readable(path)
    try:
        frame = geopandas.read_parquet(str(path))
    except (ValueError, OSError, pyarrow.ArrowException) as exc:
        if in_folder:
            return None
        raise DataError(f"cannot read as GeoParquet: {str(exc).splitlines()[0]}",
                        path=str(path)) from None
    return frame_entries(str(path), frame, in_folder=in_folder)
