"""GeoParquet in chunks: row groups on write, record batches on read, partitioned datasets."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from synthetic import synthetic_incidents

from mapper.incidents.formats import geoparquet
from mapper.incidents.io import read_incidents, write_incidents


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(geoparquet, "CHUNK_ROWS", 64)
    monkeypatch.setattr(geoparquet, "READ_ROWS", 64)


def _same(a, b):
    assert [i.id for i in a] == [i.id for i in b]
    for x, y in zip(a, b, strict=True):
        assert x.to_dict() == y.to_dict()


def test_chunked_file_reads_back_like_one_chunk(small_chunks, tmp_path):
    incidents = synthetic_incidents(300)
    path = write_incidents(incidents, tmp_path / "t.parquet")
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 300 and meta.num_row_groups == 5  # 4 x 64 + 44
    back = read_incidents([path], resolve=False)
    _same(back, read_incidents([write_incidents(back, tmp_path / "u.parquet")], resolve=False))
    assert {i.id for i in back} == {i.id for i in incidents}


def test_partitioned_dataset_is_read_as_its_folder(small_chunks, tmp_path):
    incidents = synthetic_incidents(250)
    parts = geoparquet.write_dataset(iter(incidents), tmp_path / "big.parquet", part_rows=100)
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet",
                                       "part-00002.parquet"]
    assert [pq.ParquetFile(p).metadata.num_rows for p in parts] == [100, 100, 50]
    one = write_incidents(incidents, tmp_path / "one.parquet")
    _same(read_incidents([tmp_path / "big.parquet"], resolve=False),
          read_incidents([one], resolve=False))


def test_a_bad_value_in_a_later_batch_names_its_row(small_chunks, tmp_path):
    import pyarrow as pa

    from mapper.errors import DataError

    incidents = synthetic_incidents(150)
    path = write_incidents(incidents, tmp_path / "t.parquet")
    table = pq.read_table(path)
    cats = table.column("category").to_pylist()
    cats[130] = ""  # an incident without a category, in the third batch
    table = table.set_column(table.schema.get_field_index("category"), "category",
                             pa.array(cats, type=pa.string()))
    pq.write_table(table, path)
    problems: list = []
    try:
        read_incidents([path], resolve=False, on_problem=problems.append)
    except DataError as exc:
        problems.append(exc)
    assert any("feature 130" in str(p) for p in problems), problems
