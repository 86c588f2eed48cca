"""Property-based fuzzing of every reader (issue 15): whatever the bytes, a reader returns or
raises mapper's own one-line error (:class:`~mapper.errors.MapperError`), never anything else.

Inputs are the seed files (and their exports) with random byte edits, and random JSON-like
documents written as YAML, JSON, GeoJSON and CSV. Bounded example counts keep CI fast.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import MapperError

ROOT = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_ONE_INCIDENT = """incidents:
  - id: k1
    date: 2024-03-12
    date_end: 2024-03-14
    place: {name: Kursk, lat: 51.73, lon: 36.19}
    category: raid
    summary: Shelling "hit" Kursk; 3 killed.
    claims: [{by: A, stance: asserts, statement: s, figures: {killed: 3}, quote: q}]
    sources: [{url: "https://example.org/a", outlet: X, published: 2024-03-13}]
"""


def _seed_files() -> dict[str, bytes]:
    from mapper.incidents.io import read_incidents, write_incidents

    with tempfile.TemporaryDirectory() as t:
        src = Path(t) / "one.yaml"
        src.write_text(_ONE_INCIDENT, encoding="utf-8")
        incs = read_incidents([src], resolve=False)
        out = {"yaml": _ONE_INCIDENT.encode()}
        for fmt in ("csv", "geojson"):
            path = Path(t) / f"one.{fmt}"
            write_incidents(incs, path, format=fmt)
            out[fmt] = path.read_bytes()
    out["json"] = json.dumps(yaml.safe_load(_ONE_INCIDENT), default=str).encode()
    return out


SEEDS = _seed_files()
SUFFIX = {"yaml": ".yaml", "csv": ".csv", "geojson": ".geojson", "json": ".json"}


def _read(data: bytes, suffix: str) -> None:
    """Every way mapper reads an incident file: the reader and the linter."""
    from mapper.incidents.io import read_incidents
    from mapper.incidents.validate import validate_files

    with tempfile.TemporaryDirectory() as t:
        path = Path(t) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            read_incidents([path], resolve=False)
        except MapperError:
            pass
        for problem in validate_files([path], resolve=False):
            assert str(problem)


edits = st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(["set", "insert", "delete"]),
                           st.sampled_from(list(b"\x00\n\r\t :-,{}[]\"'&*!|>#%@\\\xff\xc3") +
                                           list(range(256)))), max_size=8)


def _mutate(data: bytes, ops: list[tuple[int, str, int]]) -> bytes:
    buf = bytearray(data)
    for pos, op, byte in ops:
        i = pos % (len(buf) + 1)
        if op == "insert" or not buf:
            buf[i:i] = bytes([byte])
        elif op == "set":
            buf[min(i, len(buf) - 1)] = byte
        else:
            del buf[min(i, len(buf) - 1)]
    return bytes(buf)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@FUZZ
@given(ops=edits)
def test_incident_readers_survive_byte_edits(fmt: str, ops) -> None:
    _read(_mutate(SEEDS[fmt], ops), SUFFIX[fmt])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["2024-03-12", "2023-02-30", "k1", "raid", "Kursk", "0x1F", "=1+1"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "date", "place", "name", "lat", "lon", "category",
                                       "summary", "claims", "sources", "url", "figures",
                                       "incidents", "type", "features", "properties",
                                       "geometry", "coordinates", "record", "x"]),
                      children, max_size=6),
    max_leaves=25)


@FUZZ
@given(doc=json_values, fmt=st.sampled_from(["yaml", "json", "geojson"]))
def test_incident_readers_survive_random_documents(doc, fmt: str) -> None:
    if fmt == "yaml":
        data = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")
    else:
        data = json.dumps(doc).encode()
    _read(data, SUFFIX[fmt])


@FUZZ
@given(header=st.lists(st.sampled_from(["id", "date", "place", "category", "summary", "lat",
                                        "lon", "claims", "record", "x", ""]), max_size=7),
       rows=st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=4))
def test_csv_reader_survives_random_tables(header, rows) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    _read(buf.getvalue().encode("utf-8", "surrogatepass"), ".csv")


@FUZZ
@given(text=st.text(max_size=200) | st.builds(lambda v: yaml.safe_dump(v), json_values))
def test_sidecar_and_front_matter_readers(text: str) -> None:
    from mapper.extract.text import front_matter, load_sidecar

    data = text.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as t:
        path = Path(t) / "sources.yaml"
        path.write_bytes(data)
        try:
            load_sidecar(path)
        except MapperError:
            pass
    try:
        front_matter("---\n" + text + "\n---\nbody\n", where="a.md")
    except MapperError:
        pass


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_article_reader_survives_any_bytes(data: bytes, suffix: str) -> None:
    from mapper.extract.text import read_document

    with tempfile.TemporaryDirectory() as t:
        path = Path(t) / f"a{suffix}"
        path.write_bytes(data)
        try:
            read_document(path)
        except MapperError:
            pass
