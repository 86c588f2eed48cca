"""Shared by the GDAL formats (GeoPackage, FlatGeobuf): typed attribute arrays and the reader.

Attribute types are what GIS tools expect: dates are DATE fields (FlatGeobuf has only
DateTime: midnight), counts are integers with null for unknown (never -1), coordinates and
confidence are reals, the rest text; empty values are null. CRS: EPSG:4326.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from mapper.errors import DataError, MapperError, WriteError
from mapper.incidents.columns import (
    DATE_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    canonical_column,
    header_notes,
)
from mapper.incidents.files import Entry, FileEntries, check_readable, fixed_locator
from mapper.incidents.geometry import CRS
from mapper.incidents.unflatten import flat_entry, is_empty

FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"  # GeoPackage last_change; a real clock breaks reruns


def field_arrays(columns: Sequence[str], rows: list[dict[str, Any]],
                 ) -> tuple[list[Any], list[Any]]:
    """Typed numpy arrays (and null masks) of ``columns`` over flat property ``rows``."""
    import numpy as np

    arrays, masks = [], []
    for col in columns:
        vals = [row.get(col) for row in rows]
        mask = None
        if col in DATE_COLUMNS:
            arr = np.array(["NaT" if v is None else v for v in vals], dtype="datetime64[D]")
        elif col in INTEGER_COLUMNS:
            mask = np.array([v is None for v in vals], dtype=bool)
            ints = [0 if v is None else v for v in vals]
            # 64-bit only when a figure needs it (above 2^31), so usual files keep their schema
            if any(not -2**63 <= v < 2**63 for v in ints):
                raise MapperError(f"a {col} figure is beyond 64-bit integers; check the data")
            wide = any(not -2**31 <= v < 2**31 for v in ints)
            arr = np.array(ints, dtype="i8" if wide else "i4")
        elif col in NUMBER_COLUMNS:
            arr = np.array([np.nan if v is None else v for v in vals], dtype="f8")
        else:
            arr = np.array([None if v is None else str(v) for v in vals], dtype=object)
        arrays.append(arr)
        masks.append(mask)
    return arrays, masks


def write_layer(path: Path, driver: str, layer: str, geometry_type: str, wkb: list[Any],
                columns: Sequence[str], rows: list[dict[str, Any]], *, append: bool = False,
                **options: Any) -> None:
    """Write one layer with pyogrio; GDAL errors become one-line MapperErrors."""
    import numpy as np
    import pyogrio

    arrays, masks = field_arrays(columns, rows)
    config = {"OGR_CURRENT_DATE": FIXED_TIMESTAMP}
    old = {k: os.environ.get(k) for k in config}
    os.environ.update(config)  # GDAL reads it per call; restored below
    try:
        pyogrio.set_gdal_config_options(config)
        pyogrio.raw.write(str(path), np.array(wkb, dtype=object), arrays, list(columns),
                          field_mask=masks, layer=layer, driver=driver,
                          geometry_type=geometry_type, crs=CRS, encoding="UTF-8", append=append,
                          **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FeatureError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError) as exc:
        raise MapperError(f"{driver} writer (GDAL) failed: {str(exc).splitlines()[0]}") from None
    finally:
        pyogrio.set_gdal_config_options({k: None for k in config})
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def point_wkb(rows: list[dict[str, Any]]) -> list[bytes | None]:
    """Each row's point as WKB (None for an unresolved place), from its lat/lon."""
    import shapely

    xy = [(r["lon"], r["lat"]) for r in rows if r["lat"] is not None and r["lon"] is not None]
    blobs = iter(shapely.to_wkb(shapely.points(xy), output_dimension=2)) if xy else iter(())
    return [next(blobs) if r["lat"] is not None and r["lon"] is not None else None
            for r in rows]


def verify(path: Path, expected: int, target: Path, layer: str | int = 0) -> None:
    """Read the finished file back: GDAL can report success on a truncated file."""
    import pyogrio

    try:
        found = int(pyogrio.read_info(str(path), layer=layer)["features"])
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        # GDAL cannot open what it wrote: a damaged file
        found, reason = -1, (str(exc).splitlines() or [type(exc).__name__])[0]
        reason = reason.replace(str(path), str(target))
    else:
        reason = f"{found} of {expected} features"
    if found != expected:
        raise WriteError(f"{target}: cannot write: the file GDAL wrote is incomplete "
                         f"({reason}); is the disk full? The previous file is unchanged")


# ---------------------------------------------------------------------------------- reading
def read_layer(path: Path, *, in_folder: bool, layer: str | None = None,
               skip_layers: frozenset[str] = frozenset()) -> FileEntries | None:
    """Decode a GDAL dataset's incident layer (``layer``, or the first not in ``skip_layers``)."""
    import pyogrio

    check_readable(path)
    p = str(path)
    try:
        layers = [str(name) for name, _type in pyogrio.list_layers(p)]
    except pyogrio.errors.DataSourceError as exc:
        raise DataError(f"cannot open: {str(exc).splitlines()[0]}", path=p) from None
    names = [n for n in layers if n not in skip_layers]
    chosen = layer if layer in layers else (names[0] if names else None)
    if chosen is None:
        raise DataError("no layer with incidents", path=p)
    try:
        df = pyogrio.read_dataframe(p, layer=chosen)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"cannot read layer {chosen}: {str(exc).splitlines()[0]}",
                        path=p) from None
    return frame_entries(p, df, in_folder=in_folder)


def frame_entries(path: str, df: Any, *, in_folder: bool) -> FileEntries | None:
    """The entries of a (Geo)DataFrame read from ``path``: one per row, ``feature N``."""
    columns = [str(c) for c in df.columns if c != getattr(df, "_geometry_column_name", None)]
    if not any(canonical_column(c) in ("id", "record") for c in columns):
        if in_folder:
            return None
        raise DataError("no `id` column; an incident layer needs id, date, place, ... columns",
                        path=path)
    notes = header_notes(columns, None)
    return FileEntries(path, _rows(path, df, columns), [], notes)


def frame_rows(path: str, frames: Iterator[Any], columns: list[str]) -> Iterator[Entry]:
    """The entries of (Geo)DataFrames read one chunk after another, numbered across chunks."""
    start = 0
    for df in frames:
        yield from _rows(path, df, columns, start)
        start += len(df)


def _rows(path: str, df: Any, columns: list[str], start: int = 0) -> Iterator[Entry]:
    import shapely.geometry

    geoms = df.geometry if hasattr(df, "geometry") else [None] * len(df)
    values = [df[c].tolist() for c in columns]
    for i, geom in enumerate(geoms):
        where = f"feature {start + i}"
        cells = {c: _plain(v[i]) for c, v in zip(columns, values, strict=True)}
        geometry = None if geom is None or getattr(geom, "is_empty", True) \
            else shapely.geometry.mapping(geom)
        yield flat_entry(path, where, cells, fixed_locator(where),
                         geometry=_lists(geometry) if geometry else None)


def _plain(value: Any) -> Any:
    """pandas/numpy cell values as plain Python (NaN, NaT and None as None)."""
    if is_empty(value):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    if isinstance(value, dt.date):
        return value
    return value


def _lists(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _lists(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_lists(v) for v in obj]
    return obj
