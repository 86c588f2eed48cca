"""GeoParquet 1.1 (via geopandas and pyarrow): one Point per incident (areas at their point),
every column, dates as Parquet DATE (date32), counts as nullable integers, WKB geometry with
the CRS (EPSG:4326) in the ``geo`` metadata.

Big tables go through in chunks of :data:`CHUNK_ROWS`: the writer converts and writes one row
group at a time (pyarrow's ``ParquetWriter``), and the reader decodes one record batch at a
time (:data:`READ_ROWS`) and hands out its entries lazily, so neither holds a whole Arrow
table. A partitioned dataset (a folder of ``part-*.parquet`` files, as :func:`write_dataset` or
Spark/Dask write them) is read as the folder of files it is.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.columns import DATE_COLUMNS, INTEGER_COLUMNS, NUMBER_COLUMNS, flat_properties
from mapper.incidents.files import FileEntries, check_readable
from mapper.incidents.formats.gpkg import POINT_COLUMNS
from mapper.incidents.formats.ogr import frame_entries, frame_rows
from mapper.incidents.formats.ogrstream import chunks
from mapper.incidents.geometry import CRS
from mapper.incidents.model import Incident

#: rows per row group when writing
CHUNK_ROWS = 65_536
#: rows per record batch when reading: a batch becomes pandas columns and then Python values
#: (65,536 rows of them held 600 MB; 8,192 hold a tenth)
READ_ROWS = 8_192
#: incidents turned into Arrow columns at a time (a row group is built of several)
CONVERT_ROWS = 8_192
#: rows per file of a partitioned dataset (:func:`write_dataset`)
PART_ROWS = 1_000_000


def arrow_schema() -> Any:
    """The Arrow schema of an incident GeoParquet file, with its GeoParquet 1.1 metadata."""
    import pyarrow as pa
    import pyproj

    fields = []
    for col in POINT_COLUMNS:
        if col in DATE_COLUMNS:
            typ = pa.date32()
        elif col in INTEGER_COLUMNS:
            typ = pa.int32()
        elif col in NUMBER_COLUMNS:
            typ = pa.float64()
        else:
            typ = pa.string()
        fields.append(pa.field(col, typ))
    fields.append(pa.field("geometry", pa.binary()))
    geo = {"version": "1.1.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"],
                                    "crs": pyproj.CRS(CRS).to_json_dict()}}}
    return pa.schema(fields, metadata={b"geo": json.dumps(geo, sort_keys=True).encode()})


def to_table(incidents: list[Incident], schema: Any, gazetteer: Any = None) -> Any:
    """One chunk of incidents as an Arrow table of ``schema`` (see :func:`arrow_schema`);
    ``gazetteer`` fills ``place_en``.
    """
    import pyarrow as pa
    import shapely

    rows = [flat_properties(inc, gazetteer) for inc in incidents]
    arrays = []
    for f in schema:
        if f.name == "geometry":
            points = [None if r["lat"] is None or r["lon"] is None
                      else shapely.Point(r["lon"], r["lat"]) for r in rows]
            arrays.append(pa.array(shapely.to_wkb(points), type=pa.binary()))
            continue
        vals = [row[f.name] for row in rows]
        if f.type == pa.date32():
            vals = [None if v is None else dt.date.fromisoformat(v) for v in vals]
        elif f.type == pa.float64():
            vals = [None if v is None else float(v) for v in vals]
        elif f.type == pa.string():
            vals = [None if v is None else str(v) for v in vals]
        arrays.append(pa.array(vals, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_chunks(incidents: Iterable[Incident], path: Path, gazetteer: Any = None) -> int:
    """Write a GeoParquet 1.1 file one row group of :data:`CHUNK_ROWS` at a time (the
    incidents may come from a generator); return the number of rows written.

    Incidents become Arrow columns :data:`CONVERT_ROWS` at a time, so memory holds one row
    group as columns, never 65,536 incident objects.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    n = 0
    parts: list[Any] = []
    rows = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for chunk in chunks(incidents, CONVERT_ROWS):
            parts.append(to_table(chunk, schema, gazetteer))
            rows += len(chunk)
            n += len(chunk)
            if rows >= CHUNK_ROWS:  # one full row group; the rest starts the next one
                # contiguous columns: the writer cuts pages as for a table built at once
                table = pa.concat_tables(parts).combine_chunks()
                writer.write_table(table.slice(0, CHUNK_ROWS), row_group_size=CHUNK_ROWS)
                rest = table.slice(CHUNK_ROWS)
                parts, rows = ([rest], len(rest)) if len(rest) else ([], 0)
        if parts:
            writer.write_table(pa.concat_tables(parts).combine_chunks(),
                               row_group_size=CHUNK_ROWS)
    return n


def write_dataset(incidents: Iterable[Incident], folder: str | Path,
                  part_rows: int = PART_ROWS, gazetteer: Any = None) -> list[Path]:
    """Write a partitioned dataset: ``folder/part-00000.parquet``, ... of ``part_rows`` rows
    each (for tables past a million rows; `mapper validate`/`map`/`export` read the folder).
    Each part is written (streamed) to a temporary name and renamed when complete.
    """
    import itertools
    import os

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    parts = []
    stream = iter(incidents)
    for k in itertools.count():
        first = next(stream, None)
        if first is None:
            break
        target = out / f"part-{k:05d}.parquet"
        tmp = out / f".{target.name}.tmp"
        write_chunks(itertools.chain([first], itertools.islice(stream, part_rows - 1)), tmp,
                     gazetteer)
        os.replace(tmp, target)
        parts.append(target)
    return parts


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write a GeoParquet 1.1 file (in row groups of :data:`CHUNK_ROWS`)."""
    write_chunks(incidents, path, getattr(options, "gazetteer", None))


def read(path: Path, *, in_folder: bool = False) -> FileEntries | None:
    """Decode a GeoParquet (or plain Parquet with id/date/place columns) file, one record batch
    of :data:`READ_ROWS` at a time.
    """
    import pyarrow
    import pyarrow.parquet as pq

    check_readable(path)
    try:
        parquet = pq.ParquetFile(str(path))
    except (ValueError, OSError, pyarrow.ArrowException) as exc:
        if in_folder:
            return None
        raise DataError(f"cannot read as GeoParquet: {str(exc).splitlines()[0]}",
                        path=str(path)) from None
    meta = parquet.schema_arrow.metadata or {}
    geo = json.loads(meta[b"geo"]) if b"geo" in meta else None
    geom_col = geo.get("primary_column") if geo else None
    columns = [n for n in parquet.schema_arrow.names if n != geom_col]
    head = frame_entries(str(path), _empty_frame(columns), in_folder=in_folder)
    if head is None:
        return None

    def frames() -> Iterator[Any]:
        import pandas as pd
        import shapely

        for batch in parquet.iter_batches(batch_size=READ_ROWS):
            frame = batch.to_pandas(date_as_object=True)
            if geom_col is None:
                yield frame
                continue
            import geopandas

            geoms = shapely.from_wkb(frame.pop(geom_col).to_numpy())
            yield geopandas.GeoDataFrame(pd.DataFrame(frame), geometry=geoms, crs=CRS)

    head.entries = frame_rows(str(path), frames(), columns)
    return head


def _empty_frame(columns: list[str]) -> Any:
    import pandas as pd

    return pd.DataFrame({c: [] for c in columns})
