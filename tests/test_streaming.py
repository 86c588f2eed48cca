"""Bounded memory: streamed reading, checking and writing give what the whole-table path gives.

Files are written by mapper's writers and read back; the sizes are small here (the large ones
are in bench/bench_memory.py). The last test runs `mapper validate` and `mapper export` on two
table sizes in fresh processes and checks that peak memory hardly grows with the rows.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import varied_incidents

from mapper.errors import DataError
from mapper.incidents import idset
from mapper.incidents.formats import csv as csv_format
from mapper.incidents.formats import write_file
from mapper.incidents.io import iter_incidents, read_incidents, write_incidents
from mapper.incidents.spool import Spool
from mapper.incidents.validate import iter_problems, validate_files


def _records(entries) -> list:
    return [(e.record, e.where) for e in entries]


def test_streamed_csv_lines_equal_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write_incidents(varied_incidents(300), path)
    whole = csv_format.load_csv(str(path), path.read_text(encoding="utf-8"))
    streamed = csv_format.load_csv_lines(str(path), csv_format.file_lines(path))
    assert streamed.notes == whole.notes
    assert _records(streamed.entries) == _records(whole.entries)


def test_a_large_csv_is_streamed_and_reads_the_same(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.csv"
    write_incidents(varied_incidents(200), path)
    expected = read_incidents(path, resolve=False)
    monkeypatch.setattr(csv_format, "STREAM_ABOVE_BYTES", 0)  # every file streams
    assert read_incidents(path, resolve=False) == expected
    assert list(iter_incidents(path, resolve=False)) == expected


def test_streamed_csv_names_the_line_of_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write_incidents(varied_incidents(5), path)
    data = path.read_bytes().split(b"\n")
    data[3] = b"\xe9" + data[3]  # a Latin-1 byte on line 4
    path.write_bytes(b"\n".join(data))
    entries = csv_format.load_csv_lines(str(path), csv_format.file_lines(path)).entries
    with pytest.raises(DataError) as err:
        list(entries)
    assert err.value.line == 4 and "not valid UTF-8" in str(err.value)


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".parquet"])
def test_streamed_export_is_byte_identical(tmp_path: Path, suffix: str) -> None:
    incidents = varied_incidents(250)
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    write_file(incidents, a)
    write_file(iter(incidents), b)  # a generator: the writer sees each incident once
    assert a.read_bytes() == b.read_bytes()
    assert read_incidents(b, resolve=False) == read_incidents(a, resolve=False)


def test_iter_problems_equal_validate_files(tmp_path: Path) -> None:
    incidents = varied_incidents(40)
    incidents[30].id = incidents[4].id  # a duplicate, reported with where the first one is
    incidents[12].sources[0].published = None
    path = tmp_path / "x.csv"
    write_incidents(incidents, path)
    listed = validate_files(path, resolve=False)
    assert [str(p) for p in iter_problems(path, resolve=False)] == [str(p) for p in listed]
    assert any("duplicate id" in str(p) and f"{path}:6" in str(p) for p in listed)


def test_seen_ids_across_packed_batches(monkeypatch) -> None:
    monkeypatch.setattr(idset, "BATCH", 7)
    seen = idset.SeenIds()
    for k in range(100):
        assert seen.first(f"id-{k}") is None
        seen.add(f"id-{k}", "a.geojson" if k % 2 else "b.csv", f"feature {k}" if k % 2 else k)
    assert len(seen) == 100
    assert seen.first("id-3") == "a.geojson:feature 3"
    assert seen.first("id-64") == "b.csv:64"
    assert seen.first("id-100") is None


def test_spool_gives_back_what_went_in(tmp_path: Path) -> None:
    incidents = varied_incidents(50)
    with Spool(tmp_path) as spool:
        for inc in incidents:
            spool.append(inc)
        assert len(spool) == 50
        assert spool[49] == incidents[49] and spool[0] == incidents[0]
        assert list(spool) == incidents
    assert not [p for p in tmp_path.iterdir()]  # an anonymous file: nothing left behind


def _peak_mb(argv: list[str], env: dict[str, str]) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "mapper", *argv], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) in (0, 1), proc.stderr.read() if proc.stderr else ""
    return usage.ru_maxrss / 1024


@pytest.mark.slow
def test_validate_and_export_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    """8,000 vs 48,000 rows: a table held in memory would add ~200 MB; streamed, the peak
    grows by the duplicate-id check (24 bytes a row) and allocator noise only."""
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    rows = varied_incidents(8_000)
    write_incidents(rows, small)
    with open(large, "w", encoding="utf-8", newline="") as handle:
        for k in range(6):  # six copies, ids made unique
            for inc in rows:
                inc.id = f"{inc.id.split('~')[0]}~{k}"
            csv_format.write_csv(rows, handle)
    # the copies' header rows: keep only the first
    lines = large.read_text(encoding="utf-8").split("\n")
    header = lines[0]
    large.write_text("\n".join([header] + [x for x in lines[1:] if x != header]),
                     encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    t0 = time.monotonic()
    for argv in (["validate", "--no-resolve"], ["export", "--no-resolve", "-o"]):
        peaks = []
        for path in (small, large):
            args = [*argv, str(tmp_path / f"out-{path.stem}.csv"), str(path)] \
                if argv[0] == "export" else [*argv, str(path)]
            peaks.append(_peak_mb(args, env))
        assert peaks[1] - peaks[0] < 60, (argv[0], peaks, time.monotonic() - t0)


def test_row_groups_built_from_smaller_conversions_are_the_same(tmp_path: Path,
                                                               monkeypatch) -> None:
    from mapper.incidents.formats import geoparquet

    incidents = varied_incidents(230)
    monkeypatch.setattr(geoparquet, "CHUNK_ROWS", 100)  # three row groups: 100, 100, 30
    monkeypatch.setattr(geoparquet, "CONVERT_ROWS", 100)  # one conversion per row group
    geoparquet.write_chunks(incidents, tmp_path / "a.parquet")
    monkeypatch.setattr(geoparquet, "CONVERT_ROWS", 32)  # four conversions per row group
    geoparquet.write_chunks(iter(incidents), tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    import pyarrow.parquet as pq

    assert [pq.ParquetFile(tmp_path / "b.parquet").metadata.row_group(k).num_rows
            for k in range(3)] == [100, 100, 30]
