"""Shared by the GDAL formats (GeoPackage, FlatGeobuf): the read-back check and the reader.

The writers' typed attribute columns (DATE fields, FlatGeobuf's DateTime at midnight, integer
counts with null for unknown, never -1) are :mod:`mapper.incidents.formats.ogrstream`'s.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError, WriteError
from mapper.incidents.columns import canonical_column, header_notes
from mapper.incidents.files import Entry, FileEntries, check_readable, fixed_locator
from mapper.incidents.unflatten import flat_entry, is_empty


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
