"""The ``place_en`` export column: the gazetteer's English name beside the name as written
("Шебекине" / "Shebekino"), in every flat format, read back and checked, never silently
ignored when edited (issue 14, item 6)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from mapper.incidents.formats import format_for_path, format_names, formats
from mapper.incidents.io import read_incidents, write_incidents
from mapper.incidents.model import Incident, Location

SUFFIX = {f.name: f.suffixes[0] for f in formats()}
FLAT = [f for f in format_names() if f != "yaml"]  # YAML holds the record itself


@pytest.fixture(scope="module")
def incidents(gazetteer) -> list[Incident]:
    base = dict(date=dt.date(2026, 3, 2), category="shelling", summary="Written for the test.")
    made = [Incident(id="t-1", place=Location(name="Шебекине", place_id="gn:495112"), **base),
            Incident(id="t-2", place=Location(name="Рыльском районе", place_id="gn:499888"),
                     **base),
            Incident(id="t-3", place=Location(name="Kursk"), **base)]
    return read_incidents_from(made, gazetteer)


def read_incidents_from(made: list[Incident], gazetteer) -> list[Incident]:
    """The incidents as resolved by the gazetteer (what `mapper map` would hold)."""
    from mapper.incidents.resolve import Resolver

    resolver = Resolver(gazetteer)
    return [dataclasses.replace(i, place=resolver.resolve(i.place).location) for i in made]


def _views(path: Path) -> dict[str, object]:
    decoded = format_for_path(path).read(path)
    return {e.record["id"]: e.extra["views"].get("place_en") for e in decoded.entries}


@pytest.mark.parametrize("fmt", format_names())
def test_place_en_round_trips_in_every_format(fmt, incidents, gazetteer, tmp_path):
    first = write_incidents(incidents, tmp_path / f"a{SUFFIX[fmt]}", gazetteer=gazetteer)
    problems: list = []
    back = read_incidents(first, gazetteer=gazetteer, on_problem=problems.append)
    assert back == incidents
    assert not [p for p in problems if p.field == "place_en"]
    second = write_incidents(back, tmp_path / f"b{SUFFIX[fmt]}", gazetteer=gazetteer)
    assert first.read_bytes() == second.read_bytes()
    if fmt != "yaml":
        assert _views(first) == {"t-1": "Shebekino", "t-2": "Rylsky District", "t-3": "Kursk"}


@pytest.mark.parametrize("fmt", FLAT)
def test_without_a_gazetteer_place_en_is_empty(fmt, incidents, tmp_path):
    path = write_incidents(incidents, tmp_path / f"a{SUFFIX[fmt]}")
    assert not any(_views(path).values())


def _edit(path: Path, fmt: str) -> Path:
    """Change t-1's place_en as a person would, with the tool of each format."""
    out = path.with_name("edited" + path.suffix)
    if fmt in ("csv", "geojson", "kml"):
        out.write_text(path.read_text(encoding="utf-8").replace("Shebekino", "Belgorod"),
                       encoding="utf-8")
        return out
    import geopandas

    frame = geopandas.read_parquet(path) if fmt == "geoparquet" else \
        geopandas.read_file(path, layer="incidents" if fmt == "gpkg" else None)
    frame.loc[frame["id"] == "t-1", "place_en"] = "Belgorod"
    if fmt == "geoparquet":
        frame.to_parquet(out)
    else:
        frame.to_file(out, driver={"gpkg": "GPKG", "fgb": "FlatGeobuf"}[fmt])
    return out


@pytest.mark.parametrize("fmt", FLAT)
def test_an_edited_place_en_is_reported_not_read(fmt, incidents, gazetteer, tmp_path):
    path = write_incidents(incidents, tmp_path / f"a{SUFFIX[fmt]}", gazetteer=gazetteer)
    edited = _edit(path, fmt)
    problems: list = []
    back = {i.id: i for i in read_incidents(edited, gazetteer=gazetteer,
                                            on_problem=problems.append)}
    assert back["t-1"].place.place_id == "gn:495112"  # the edit did not move the place
    warned = [p for p in problems if p.field == "place_en"]
    assert len(warned) == 1 and "'Belgorod' is not read" in warned[0].message
    assert "'Shebekino'" in warned[0].message and "edit place or place_id" in \
        warned[0].message
