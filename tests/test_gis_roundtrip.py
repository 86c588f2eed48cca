"""Nothing lost between mapper and GIS tools: every format mapper writes it reads back, edits
made with geopandas/pandas are honoured, GIS types are right (issue 10, items 1-3)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mapper.errors import DataError
from mapper.incidents.formats import format_names, formats, formats_table
from mapper.incidents.io import read_incidents, write_incidents
from mapper.incidents.model import Incident

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = {f.name: f.suffixes[0] for f in formats()}


@pytest.fixture(scope="module")
def seeds(seeds_dir, gazetteer) -> list[Incident]:
    return read_incidents(seeds_dir, gazetteer=gazetteer)


def _by_id(incidents: list[Incident]) -> dict[str, Incident]:
    return {i.id: i for i in incidents}


@pytest.mark.parametrize("fmt", format_names())
def test_export_read_export_is_lossless_and_identical(fmt, seeds, gazetteer, tmp_path):
    first = write_incidents(seeds, tmp_path / f"a{SUFFIX[fmt]}", gazetteer=gazetteer)
    problems: list = []
    again = read_incidents(first, gazetteer=gazetteer, on_problem=problems.append)
    assert again == seeds  # claims, quotes, sources, verification, precisions, tags, status
    assert not [p for p in problems if "column" in p.message or "moved" in p.message]
    second = write_incidents(again, tmp_path / f"b{SUFFIX[fmt]}", gazetteer=gazetteer)
    assert first.read_bytes() == second.read_bytes()


def test_drafts_keep_their_status_in_every_format(seeds, tmp_path):
    draft = Incident(**{**seeds[0].__dict__, "id": "d1", "status": "draft", "confidence": 0.4,
                        "evidence": "A sentence."})
    for fmt in format_names():
        path = write_incidents([draft], tmp_path / f"d{SUFFIX[fmt]}")
        [back] = read_incidents(path, resolve=False)
        assert (back.status, back.confidence, back.evidence) == ("draft", 0.4, "A sentence."), fmt


def _edit_frame(frame, row: int, date_col: str, summary_col: str):
    frame.loc[row, date_col] = "2024-03-13" if frame[date_col].dtype == object \
        else frame[date_col].iloc[row].__class__("2024-03-13")
    frame.loc[row, summary_col] = "Edited in a GIS."
    return frame


def test_geojson_edit_with_geopandas_is_honoured(seeds, gazetteer, tmp_path):
    import geopandas

    path = write_incidents(seeds, tmp_path / "s.geojson", gazetteer=gazetteer)
    frame = geopandas.read_file(path)
    frame = _edit_frame(frame, 1, "date", "summary")
    edited = tmp_path / "edited.geojson"
    frame.to_file(edited, driver="GeoJSON")
    back = _by_id(read_incidents(edited, gazetteer=gazetteer))
    target = back[seeds[1].id]
    assert target.date == dt.date(2024, 3, 13) and target.summary == "Edited in a GIS."
    assert _by_id(seeds)[seeds[2].id] == back[seeds[2].id]  # the rest unchanged


def test_gpkg_edit_with_geopandas_is_honoured_dates_come_back_as_datetimes(seeds, gazetteer,
                                                                          tmp_path):
    import geopandas
    import pandas as pd

    path = write_incidents(seeds, tmp_path / "s.gpkg", gazetteer=gazetteer)
    frame = geopandas.read_file(path, layer="incidents")
    assert str(frame["date"].dtype).startswith("datetime64")
    frame.loc[1, "date"] = pd.Timestamp("2024-03-13")
    frame.loc[1, "summary"] = "Edited in a GIS."
    frame = frame[list(reversed(frame.columns))]  # GIS tools reorder columns
    frame["analyst_note"] = "checked"  # ... and add their own
    edited = tmp_path / "edited.gpkg"
    frame.to_file(edited, layer="incidents", driver="GPKG")  # dates become DateTime here
    problems: list = []
    back = _by_id(read_incidents(edited, gazetteer=gazetteer, on_problem=problems.append))
    assert back[seeds[1].id].date == dt.date(2024, 3, 13)
    assert back[seeds[1].id].summary == "Edited in a GIS."
    assert [p.field for p in problems if "not an incident column" in p.message] == \
        ["analyst_note"]


def test_csv_edit_with_pandas_is_honoured_ints_as_floats_and_empty_cells(seeds, tmp_path):
    import pandas as pd

    path = write_incidents(seeds, tmp_path / "s.csv")
    frame = pd.read_csv(path)  # fatalities with blanks become floats (3.0), blanks NaN
    assert frame["fatalities"].dtype == float
    frame.loc[1, "event_date"] = "2024-03-13T00:00:00"
    frame.loc[1, "notes"] = "Edited in a spreadsheet."
    edited = tmp_path / "edited.csv"
    frame.to_csv(edited, index=False)
    back = _by_id(read_incidents(edited, resolve=False))
    assert back[seeds[1].id].date == dt.date(2024, 3, 13)
    assert back[seeds[1].id].summary == "Edited in a spreadsheet."
    unchanged = read_incidents(path, resolve=False)
    assert back[seeds[0].id] == unchanged[0]


def test_moving_a_point_keeps_the_move_and_says_so(seeds, gazetteer, tmp_path):
    import geopandas
    import shapely

    point_rows = [i for i, inc in enumerate(seeds) if inc.place.geo_precision == "settlement"]
    assert point_rows, "the seeds have a settlement incident"
    row = point_rows[0]
    path = write_incidents(seeds, tmp_path / "s.geojson", gazetteer=gazetteer)
    frame = geopandas.read_file(path)
    old = frame.geometry.iloc[row]
    frame.loc[row, "geometry"] = shapely.Point(old.x + 0.01, old.y + 0.005)
    edited = tmp_path / "moved.geojson"
    frame.to_file(edited, driver="GeoJSON")
    moved = read_incidents(edited, gazetteer=gazetteer)[row]
    assert (moved.place.lon, moved.place.lat) == pytest.approx((old.x + 0.01, old.y + 0.005))
    assert moved.place.resolution.startswith("moved by hand from the gazetteer point")
    # and the move survives the next round trip unchanged
    again = write_incidents([moved], tmp_path / "again.geojson", gazetteer=gazetteer)
    assert read_incidents(again, gazetteer=gazetteer) == [moved]


def test_point_and_lat_lon_changed_inconsistently_is_one_line_error(tmp_path):
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [35.0, 51.0]},
        "properties": {"id": "x", "date": "2024-03-12", "place": "Sudzha", "lat": 50.0,
                       "lon": 34.0}}]}
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps(fc))
    with pytest.raises(DataError) as err:
        read_incidents(path, resolve=False)
    assert "\n" not in str(err.value) and "feature 0: geometry" in str(err.value)


def test_an_older_record_column_loses_to_an_edited_column_with_a_warning(seeds, tmp_path):
    rec = seeds[1].to_dict()
    props = {"id": rec["id"], "date": "2024-03-13", "record": json.dumps(rec)}
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": props}]}
    path = tmp_path / "old.geojson"
    path.write_text(json.dumps(fc))
    problems: list = []
    [back] = read_incidents(path, resolve=False, on_problem=problems.append)
    assert back.date == dt.date(2024, 3, 13) and back.claims == seeds[1].claims
    assert any(p.field == "date" and "`record`" in p.message for p in problems)


def test_claimed_by_edit_adds_a_claim_and_fatalities_edit_says_where_to_edit(seeds, tmp_path):
    import pandas as pd

    path = write_incidents(seeds, tmp_path / "s.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "claimed_by"] = frame.loc[0, "claimed_by"] + " | New Party"
    frame.loc[0, "fatalities"] = "99"
    frame.to_csv(tmp_path / "e.csv", index=False)
    problems: list = []
    back = read_incidents(tmp_path / "e.csv", resolve=False, on_problem=problems.append)[0]
    assert "New Party" in back.claimed_by and len(back.claims) == len(seeds[0].claims) + 1
    notes = {p.field: p.message for p in problems}
    assert "claims" in notes["claimed_by"] and "claims" in notes["fatalities"]


def test_unknown_fatalities_stay_empty_in_every_format(seeds, gazetteer, tmp_path):
    import geopandas
    import pyogrio

    unknown = [i for i, inc in enumerate(seeds)
               if not any("killed" in c.figures for c in inc.claims)]
    assert unknown
    for fmt in ("gpkg", "fgb", "geoparquet", "geojson"):
        path = write_incidents(seeds, tmp_path / f"f{SUFFIX[fmt]}", gazetteer=gazetteer)
        frame = geopandas.read_parquet(path) if fmt == "geoparquet" else \
            pyogrio.read_dataframe(path)
        assert frame["fatalities"].isna().iloc[unknown].all(), fmt
        assert not (frame["fatalities"].dropna() < 0).any(), fmt
    csv_path = write_incidents(seeds, tmp_path / "f.csv")
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    import csv

    cells = list(csv.DictReader(rows))
    assert all(cells[i]["fatalities"] == "" for i in unknown) and "fatalities" in header


def test_gpkg_types_layers_and_crs(seeds, gazetteer, tmp_path):
    import pyogrio

    path = write_incidents(seeds, tmp_path / "s.gpkg", gazetteer=gazetteer)
    layers = {str(name): str(kind) for name, kind in pyogrio.list_layers(path)}
    assert layers == {"incidents": "Point", "incident_areas": "MultiPolygon"}
    for layer in layers:
        info = pyogrio.read_info(path, layer=layer)
        assert info["crs"] == "EPSG:4326"
        dtypes = dict(zip(info["fields"], info["dtypes"], strict=True))
        assert dtypes["date"] == "datetime64[D]" and dtypes["date_end"] == "datetime64[D]"
    fields = pyogrio.read_info(path, layer="incidents")
    assert dict(zip(fields["fields"], fields["dtypes"], strict=True))["fatalities"] == "int32"
    areas = pyogrio.read_dataframe(path, layer="incident_areas")
    assert set(areas["id"]) <= {i.id for i in seeds} and len(areas) > 0


def test_fgb_and_geoparquet_crs_and_types(seeds, tmp_path):
    import geopandas
    import pyarrow.parquet as pq
    import pyogrio

    fgb = write_incidents(seeds, tmp_path / "s.fgb")
    assert pyogrio.read_info(fgb)["crs"] == "EPSG:4326"
    assert pyogrio.read_info(fgb)["geometry_type"] == "Point"
    parquet = write_incidents(seeds, tmp_path / "s.parquet")
    meta = json.loads(pq.read_schema(parquet).metadata[b"geo"])
    assert meta["version"] == "1.1.0" and meta["columns"]["geometry"]["encoding"] == "WKB"
    assert str(pq.read_schema(parquet).field("date").type) == "date32[day]"
    assert geopandas.read_parquet(parquet).crs.to_epsg() == 4326


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
def test_system_gdal_opens_the_geopackage_without_warnings(seeds, gazetteer, tmp_path):
    path = write_incidents(seeds, tmp_path / "s.gpkg", gazetteer=gazetteer)
    result = subprocess.run(["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Warning" not in result.stdout + result.stderr, result.stderr
    assert "ERROR" not in result.stdout + result.stderr
    assert "Geometry: Point" in result.stdout and "Geometry: Multi Polygon" in result.stdout
    assert "date: Date" in result.stdout


def test_kml_has_time_elements_and_styled_placemarks(seeds, gazetteer, tmp_path):
    path = write_incidents(seeds, tmp_path / "s.kml", gazetteer=gazetteer)
    root = ET.parse(path).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == len(seeds)
    for mark, inc in zip(marks, seeds, strict=True):
        span, stamp = mark.find("k:TimeSpan", ns), mark.find("k:TimeStamp", ns)
        if inc.date_end and inc.date_end != inc.date:
            assert span.findtext("k:begin", namespaces=ns) == inc.date.isoformat()
            assert span.findtext("k:end", namespaces=ns) == inc.date_end.isoformat()
        else:
            assert stamp.findtext("k:when", namespaces=ns) == inc.date.isoformat()
        style = mark.findtext("k:styleUrl", namespaces=ns)
        assert root.find(f".//k:Style[@id='{style[1:]}']", ns) is not None


def test_plain_acled_csv_is_read(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,"
        "geo_precision,time_precision,source,notes,fatalities\n"
        "UKR1,2024-03-12,Explosions/Remote violence,Shelling/artillery/missile attack,"
        "Military Forces of Russia,Sumy,50.9077,34.7981,1,1,Ukrainska Pravda,Shelling.,2\n",
        encoding="utf-8")
    [inc] = read_incidents(path, resolve=False)
    assert (inc.id, inc.date, inc.category, inc.summary) == \
        ("UKR1", dt.date(2024, 3, 12), "shelling", "Shelling.")
    assert inc.place.geo_precision == "settlement" and inc.actors == ["Military Forces of Russia"]
    assert inc.claims[0].figures == {"killed": 2} and inc.sources[0].outlet == "Ukrainska Pravda"


def test_to_geodataframe(seeds, gazetteer):
    import mapper

    frame = mapper.to_geodataframe(seeds, gazetteer)
    assert list(frame["id"]) == [i.id for i in seeds] and frame.crs.to_epsg() == 4326
    assert str(frame["date"].dtype).startswith("datetime64")
    assert set(frame.geom_type) <= {"Point", "Polygon", "MultiPolygon"}


def test_readme_lists_the_registry_formats_and_the_cli_offers_them():
    from mapper.cli.export import FORMATS

    assert formats_table() in (ROOT / "README.md").read_text(encoding="utf-8")
    assert tuple(FORMATS) == format_names()


def test_renaming_a_settlement_moves_the_point_to_the_new_name(seeds, gazetteer, tmp_path):
    import pandas as pd

    row = next(i for i, inc in enumerate(seeds) if (inc.place.place_id or "").startswith("gn:"))
    path = write_incidents(seeds, tmp_path / "s.csv", gazetteer=gazetteer)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, "location"] = "Sudzha"  # a spreadsheet edit: only the name
    frame.to_csv(tmp_path / "renamed.csv", index=False)
    problems: list = []
    back = read_incidents(tmp_path / "renamed.csv", gazetteer=gazetteer,
                          on_problem=problems.append)[row]
    sudzha = gazetteer.search("Sudzha", kinds=("settlement",), country="RU", limit=1)[0].place
    assert back.place.name == "Sudzha" and back.place.place_id == sudzha.id
    assert (back.place.lat, back.place.lon) == pytest.approx((sudzha.lat, sudzha.lon))
    assert any(p.field == "location" and "renamed from" in p.message for p in problems)


def test_a_plugin_format_from_the_entry_point_group_is_used(seeds, tmp_path, monkeypatch):
    import importlib.metadata

    from mapper.incidents import formats as registry

    plugin = registry.Format("geojsonl", (".gjl",), "a plugin's format",
                             "mapper.incidents.formats.geojson")

    class EntryPoint:
        name, value = "geojsonl", "plugin:FORMAT"

        def load(self):
            return plugin

    def entry_points(group=None):
        return [EntryPoint()] if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry.formats.cache_clear()
    try:
        assert format_names()[-1] == "geojsonl" and ".gjl" in registry.incident_suffixes()
        path = write_incidents(seeds, tmp_path / "p.gjl")
        assert read_incidents(path, resolve=False)[0].id == seeds[0].id
    finally:
        registry.formats.cache_clear()
