"""Streamed writes of the GDAL formats (GeoPackage, FlatGeobuf): flat rows as Arrow batches.

Incidents become typed Arrow columns :data:`CONVERT_ROWS` at a time (dates as DATE, counts as
integers with null for unknown, coordinates and confidence as reals, the rest text; empty values
are null) and are set aside in an anonymous temporary Arrow IPC file (:class:`RowSpool`); each
GDAL layer is then written from it one batch at a time through pyogrio's Arrow writer, so memory
holds one batch whatever the number of rows. Set aside because a layer's field types are fixed
when it is created: a count is a 32-bit field unless some row needs 64 bits (usual files keep
their schema), and only the last row may tell.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mapper.errors import MapperError
from mapper.incidents.columns import DATE_COLUMNS, INTEGER_COLUMNS, NUMBER_COLUMNS
from mapper.incidents.geometry import CRS
from mapper.incidents.model import Incident

#: incidents turned into Arrow columns at a time (one batch of the spool and of each layer)
CONVERT_ROWS = 8_192
FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"  # GeoPackage last_change; a real clock breaks reruns
GEOMETRY = "geometry"
KEY = "key"  # the spool's extra text column (the GeoPackage's area of each row, or null)
_INT32 = (-2**31, 2**31 - 1)


def chunks(incidents: Iterable[Incident], size: int | None = None) -> Iterator[list[Incident]]:
    """``incidents`` in lists of ``size`` (default :data:`CONVERT_ROWS`; the last one shorter)."""
    size = size or CONVERT_ROWS
    chunk: list[Incident] = []
    for inc in incidents:
        chunk.append(inc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def point_wkb(rows: list[dict[str, Any]]) -> list[bytes | None]:
    """Each row's point as WKB (None for an unresolved place), from its lat/lon."""
    import shapely

    xy = [(r["lon"], r["lat"]) for r in rows if r["lat"] is not None and r["lon"] is not None]
    blobs = iter(shapely.to_wkb(shapely.points(xy), output_dimension=2)) if xy else iter(())
    return [next(blobs) if r["lat"] is not None and r["lon"] is not None else None
            for r in rows]


def _column(col: str, vals: list[Any]) -> Any:
    """One column of flat values as an Arrow array (integers 64-bit; narrowed when written)."""
    import pyarrow as pa

    if col in DATE_COLUMNS:
        return pa.array([None if v is None else dt.date.fromisoformat(v) for v in vals],
                        pa.date32())
    if col in INTEGER_COLUMNS:
        try:
            return pa.array(vals, pa.int64())
        except OverflowError:
            raise MapperError(f"a {col} figure is beyond 64-bit integers; check the data") \
                from None
    if col in NUMBER_COLUMNS:
        return pa.array([None if v is None else float(v) for v in vals], pa.float64())
    return pa.array([None if v is None else str(v) for v in vals], pa.string())


class RowSpool:
    """Flat rows, their geometry and an optional key, in a temporary Arrow IPC file (lz4),
    read back as the batches of a layer with its final field types.

    Parameters
    ----------
    columns
        The attribute columns, in layer order.
    folder
        Where the anonymous file lives (the output's folder: its disk is the one written).
    """

    def __init__(self, columns: Sequence[str], folder: str | os.PathLike[str] | None) -> None:
        import pyarrow as pa

        self.columns = tuple(columns)
        self.rows = 0
        self.wide: set[str] = set()  # integer columns with a value past 32 bits
        self.keyed = 0  # rows with a key
        self.schema = pa.schema([pa.field(c, _column(c, []).type) for c in self.columns]
                                + [pa.field(GEOMETRY, pa.binary()), pa.field(KEY, pa.string())])
        self._file = tempfile.TemporaryFile(prefix=".mapper-spool-", dir=folder)
        self._writer: Any = pa.ipc.new_stream(
            self._file, self.schema, options=pa.ipc.IpcWriteOptions(compression="lz4"))

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Delete the file."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._file.close()

    def add(self, rows: list[dict[str, Any]], geometry: list[bytes | None],
            keys: list[str | None] | None = None) -> None:
        """Append rows (flat properties), each one's geometry (WKB or None) and key."""
        import pyarrow as pa
        import pyarrow.compute as pc

        arrays = [_column(c, [r.get(c) for r in rows]) for c in self.columns]
        for col, arr in zip(self.columns, arrays, strict=True):
            if col in INTEGER_COLUMNS and col not in self.wide and arr.null_count < len(arr):
                span = pc.min_max(arr)
                low, high = span["min"], span["max"]
                if low.as_py() < _INT32[0] or high.as_py() > _INT32[1]:
                    self.wide.add(col)
        key_array = pa.array(keys or [None] * len(rows), pa.string())
        self.keyed += len(key_array) - key_array.null_count
        arrays += [pa.array(geometry, pa.binary()), key_array]
        self._writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self.rows += len(rows)

    def layer_schema(self, columns: Sequence[str]) -> Any:
        """The Arrow schema of a layer of ``columns``: 32-bit counts unless a row needs 64."""
        import pyarrow as pa

        fields = []
        for col in columns:
            typ = self.schema.field(col).type
            if col in INTEGER_COLUMNS and col not in self.wide:
                typ = pa.int32()
            fields.append(pa.field(col, typ))
        return pa.schema([*fields, pa.field(GEOMETRY, pa.binary())])

    def batches(self, columns: Sequence[str], *,
                geometry: Callable[[list[str]], list[bytes]] | None = None) -> Any:
        """A ``RecordBatchReader`` over the spooled rows as a layer of ``columns``.

        With ``geometry``, only the rows with a key, each with the geometry ``geometry`` gives
        for the keys of a batch; else every row with its own geometry.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._file.seek(0)
        schema = self.layer_schema(columns)

        def read() -> Iterator[Any]:
            for batch in pa.ipc.open_stream(self._file):
                if geometry is not None:
                    batch = batch.filter(pc.is_valid(batch.column(KEY)))
                    if not len(batch):
                        continue
                    geoms = pa.array(geometry(batch.column(KEY).to_pylist()), pa.binary())
                else:
                    geoms = batch.column(GEOMETRY)
                arrays = [batch.column(c).cast(schema.field(c).type) for c in columns]
                yield pa.RecordBatch.from_arrays([*arrays, geoms], schema=schema)

        return pa.RecordBatchReader.from_batches(schema, read())


def write_layer(path: Path, driver: str, layer: str, geometry_type: str, batches: Any, *,
                append: bool = False, **options: Any) -> None:
    """Write one layer from a stream of Arrow batches with pyogrio; GDAL errors become one-line
    MapperErrors.
    """
    import pyogrio

    config = {"OGR_CURRENT_DATE": FIXED_TIMESTAMP}
    old = {k: os.environ.get(k) for k in config}
    os.environ.update(config)  # GDAL reads it per call; restored below
    try:
        pyogrio.set_gdal_config_options(config)
        pyogrio.write_arrow(batches, str(path), layer=layer, driver=driver,
                            geometry_name=GEOMETRY, geometry_type=geometry_type, crs=CRS,
                            encoding="UTF-8", append=append, **options)
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
