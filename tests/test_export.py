"""`mapper export`: RFC 7946 GeoJSON that GIS tools read with every attribute, the same rows in
GeoPackage, FlatGeobuf, KML and ACLED-style CSV, areas as polygons, byte-identical reruns."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.incidents.export import (
    ACLED_COLUMNS,
    GIS_COLUMNS,
    export,
    fatalities,
    geojson_text,
    to_feature_collection,
)
from mapper.incidents.io import read_incidents
from mapper.incidents.model import Claim, Incident, Location, Source

FORMATS = ("geojson", "gpkg", "csv", "kml", "fgb")


def _incidents() -> list[Incident]:
    src = [Source(outlet="Example", url="https://example.org/x", published=dt.date(2024, 3, 15))]
    return [
        Incident(id="p1", date=dt.date(2024, 3, 14), category="shelling", sources=src,
                 place=Location(name="Sudzha", lat=51.1918001234, lon=35.2713, kind="settlement",
                                geo_precision="settlement", country_code="RU"),
                 actors=["A", "B"],
                 claims=[Claim(by="A", figures={"killed": 7}), Claim(by="C", figures={"killed": 3}),
                         Claim(by="D", stance="denies", figures={"killed": 0})]),
        Incident(id="p2", date=dt.date(2024, 3, 15), category="raid", sources=src,
                 place=Location(name="Nowhere at all")),
    ]


def test_feature_collection_contract():
    fc = to_feature_collection(_incidents())
    assert set(fc) == {"type", "features"} and "crs" not in fc
    f1, f2 = fc["features"]
    assert f1["id"] == "p1" and f1["geometry"] == {"type": "Point",
                                                   "coordinates": [35.2713, 51.1918]}
    assert list(f1["properties"]) == list(GIS_COLUMNS)
    rec = _incidents()[0].to_dict()
    assert json.loads(f1["properties"]["claims"]) == rec["claims"]
    assert json.loads(f1["properties"]["sources"]) == rec["sources"]
    assert "record" not in f1["properties"]  # every field in its own visible column
    assert f1["properties"]["lat"] is None  # the Point is the point: one place to edit it
    assert f1["properties"]["claimed_by"] == "A | C" and f1["properties"]["denied_by"] == "D"
    assert f1["properties"]["acled_geo_precision"] == 1 and f1["properties"]["fatalities"] == 3
    assert f2["geometry"] is None and f2["properties"]["place"] == "Nowhere at all"


def test_geojson_text_is_sorted_rounded_and_parses():
    text = geojson_text(to_feature_collection(_incidents()))
    data = json.loads(text)
    assert json.dumps(data, sort_keys=True) == json.dumps(data)  # keys already in sorted order
    for number in re.findall(r"\d+\.(\d+)", text.split('"claims"')[0]):
        assert len(number) <= 6


def test_fatalities_is_the_lowest_asserted_figure():
    assert fatalities(_incidents()[0]) == 3 and fatalities(_incidents()[1]) is None


def test_shared_area_geometry_is_written_as_json_dumps_would(seeds_dir, gazetteer):
    # the writer splices a shared area geometry in from its cached text; the bytes must be
    # those of encoding each whole feature
    seeds = read_incidents(seeds_dir / "incidents.yaml", gazetteer=gazetteer)
    fc = to_feature_collection(seeds + seeds, gazetteer)
    square = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}
    fc["features"] += [{"type": "Feature", "id": f"sq{i}", "geometry": square,
                        "properties": {"b": 1, "a": "ё"}} for i in range(3)]
    lines = [json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
             for f in fc["features"]]
    expected = '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'
    assert geojson_text(fc) == expected


def test_claim_columns_match_the_claims():
    props = to_feature_collection(_incidents())["features"][0]["properties"]
    assert (props["claimed_by"], props["denied_by"], props["fatalities"]) == ("A | C", "D", 3)


def test_seed_export_reads_back_in_gis_tools(seeds_dir, tmp_path):
    import geopandas
    import pyogrio

    seeds = read_incidents(seeds_dir / "incidents.yaml", resolve=False)
    ids = [i.id for i in seeds]
    paths = {fmt: tmp_path / f"incidents.{fmt}" for fmt in FORMATS}
    runner = CliRunner()
    for fmt, path in paths.items():
        res = runner.invoke(cli, ["export", str(seeds_dir / "incidents.yaml"), "--no-resolve",
                                  "--format", fmt, "-o", str(path)])
        assert res.exit_code == 0, res.output
    gj = geopandas.read_file(paths["geojson"])
    assert list(gj["id"]) == ids and set(GIS_COLUMNS) <= set(gj.columns)
    for fmt in ("gpkg", "fgb"):
        df = pyogrio.read_dataframe(paths[fmt])
        # the geometry is the point: no lat/lon columns to disagree with it
        assert list(df["id"]) == ids and set(GIS_COLUMNS) - {"lat", "lon"} <= set(df.columns)
        assert list(df["claims"]) == list(gj["claims"]), fmt
        assert str(df["date"].dtype).startswith("datetime64"), fmt
        assert df.crs.to_epsg() == 4326
    assert len(pyogrio.read_dataframe(paths["kml"])) == len(ids)
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8"))))
    assert [r["event_id_cnty"] for r in rows] == ids
    assert list(rows[0])[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert rows[0]["event_date"] == "2024-03-12" and rows[0]["notes"] == seeds[0].summary
    notes: list = []
    assert read_incidents(paths["csv"], resolve=False, on_problem=notes.append) == seeds
    assert notes == []  # the ACLED columns are fields or views, not unknown columns
    assert read_incidents(paths["geojson"], resolve=False) == seeds


def test_reruns_are_byte_identical(tmp_path):
    for fmt in FORMATS:
        a = export(_incidents(), tmp_path / f"a.{fmt}")
        first = a.read_bytes()
        export(_incidents(), a)
        assert a.read_bytes() == first, fmt
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"a.{f}" for f in FORMATS)


def test_areas_are_polygons_unless_points(seeds_dir, gazetteer, tmp_path):
    if gazetteer.get("adm1:RU-KRS") is None or \
            gazetteer.geometry("adm1:RU-KRS").geom_type == "Point":
        pytest.skip("this gazetteer build has no admin1 polygons yet")
    seeds = read_incidents(seeds_dir / "incidents.yaml", gazetteer=gazetteer)
    fc = to_feature_collection(seeds, gazetteer)
    kinds = {f["properties"]["geo_precision"]: f["geometry"]["type"] for f in fc["features"]}
    assert kinds["settlement"] == "Point"
    assert kinds["admin1"] in ("Polygon", "MultiPolygon")
    assert kinds["zone"] in ("Polygon", "MultiPolygon")
    from shapely.geometry import LinearRing, shape

    for feature in fc["features"]:
        geom = feature["geometry"]
        if geom["type"] in ("Polygon", "MultiPolygon"):
            polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            assert all(LinearRing(p[0]).is_ccw for p in polys)  # RFC 7946 right-hand rule
            assert all(not LinearRing(h).is_ccw for p in polys for h in p[1:])
            assert shape(geom).is_valid
    points = to_feature_collection(seeds, gazetteer, points=True)
    assert {f["geometry"]["type"] for f in points["features"]} == {"Point"}
    path = export(seeds, tmp_path / "areas.gpkg", gazetteer=gazetteer)
    import pyogrio

    assert len(pyogrio.read_dataframe(path)) == len(seeds)


def test_unknown_format_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(cli, ["export", "x.yaml", "-o", str(tmp_path / "out.shp")])
    assert res.exit_code == 2 and not (tmp_path / "out.shp").exists()
