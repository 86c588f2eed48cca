"""GeoNames dump and boundary-file readers on small files written in the real formats."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from shapely.geometry import Point, box, mapping

from mapper.gazetteer import imports as gi
from mapper.errors import DataError


def geonames_line(gid, name, ascii_, alt, lat, lon, fclass, fcode, cc, a1, a2="", pop="0",
                  extra_cols=()):
    cols = [str(gid), name, ascii_, alt, str(lat), str(lon), fclass, fcode, cc, "", a1, a2, "",
            "", str(pop), "", "150", "Europe/Moscow", "2024-01-15", *extra_cols]
    return "\t".join(cols)


# Our own fixture rows in the GeoNames layout (values resemble real places, written by hand).
ROWS = [
    geonames_line(900001, "Glotovo", "Glotovo", "Глотово,Glotovo", 51.2901, 34.9601, "P", "PPL",
                  "RU", "41", "1234", 312),
    geonames_line(900002, "Kurskaya Oblast'", "Kurskaya Oblast'", "Kursk Oblast", 51.75, 36.2,
                  "A", "ADM1", "RU", "41", "", 1082458),
    geonames_line(900003, "Sudzhanskiy Rayon", "Sudzhanskiy Rayon", "", 51.2, 35.27, "A", "ADM2",
                  "RU", "41", "1234", 0),
    geonames_line(900004, "Seym", "Seym", "", 51.5, 35.1, "H", "STM", "RU", "41"),
    geonames_line(900005, "Yunakivka", "Yunakivka", "Юнаківка", 51.03, 35.02, "P", "PPL", "UA",
                  "21", "", 2100),
]


@pytest.fixture()
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "RU.txt"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def test_settlements_only_by_default(dump):
    recs = list(gi.read_geonames(dump))
    assert [r["id"] for r in recs] == ["gn:900001", "gn:900005"]
    glotovo = recs[0]
    assert glotovo == {
        "id": "gn:900001", "kind": "settlement", "geonameid": 900001, "name": "Glotovo",
        "names": ["Glotovo", "Глотово"], "lat": 51.2901, "lon": 34.9601, "country_code": "RU",
        "admin1": None, "admin1_code": None, "gn_admin1": "RU.41", "gn_admin2": "RU.41.1234",
        "population": 312, "feature_class": "P", "feature_code": "PPL",
        "source": "GeoNames RU.txt"}
    assert "geometry" not in glotovo


def test_admin_features_and_country_filter(dump):
    recs = list(gi.read_geonames(dump, include_admin=True, countries=["ru"]))
    assert [(r["id"], r["kind"]) for r in recs] == [
        ("gn:900001", "settlement"), ("gn:900002", "admin1"), ("gn:900003", "admin2")]
    assert recs[2]["population"] is None  # 0 means unknown in GeoNames


def test_zip_download_is_read_like_the_txt(dump, tmp_path):
    zpath = tmp_path / "RU.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("readme.txt", "GeoNames readme\n")
        zf.write(dump, "RU.txt")
    assert list(gi.read_geonames(zpath)) == [
        {**r, "source": "GeoNames RU.zip"} for r in gi.read_geonames(dump)]


def test_streaming_does_not_read_ahead(tmp_path):
    path = tmp_path / "allCountries.txt"
    path.write_text(ROWS[0] + "\n" + "broken line\n", encoding="utf-8")
    it = gi.read_geonames(path)
    assert next(it)["name"] == "Glotovo"  # the first record comes before the bad line is read
    with pytest.raises(DataError):
        next(it)


@pytest.mark.parametrize("row, message", [
    ("900001\tGlotovo\tGlotovo", "allCountries.txt:2: expected 19 tab-separated columns, found 3"),
    (geonames_line(900001, "X", "X", "", "fifty", 34.9, "P", "PPL", "RU", "41"),
     "allCountries.txt:2: latitude: 'fifty' is not a number"),
    (geonames_line(900001, "X", "X", "", 95.5, 34.9, "P", "PPL", "RU", "41"),
     "allCountries.txt:2: latitude: 95.5 out of range [-90, 90]"),
    (geonames_line(900001, "X", "X", "", 50.1, 181, "P", "PPL", "RU", "41"),
     "allCountries.txt:2: longitude: 181 out of range [-180, 180]"),
    (geonames_line("abc", "X", "X", "", 50.1, 34.0, "P", "PPL", "RU", "41"),
     "allCountries.txt:2: geonameid: 'abc' is not an integer"),
    (geonames_line(900001, "X", "X", "", 50.1, 34.0, "P", "PPL", "RU", "41", pop="many"),
     "allCountries.txt:2: population: 'many' is not an integer"),
])
def test_malformed_lines_name_file_line_and_field(tmp_path, row, message):
    path = tmp_path / "allCountries.txt"
    path.write_text(ROWS[0] + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        list(gi.read_geonames(path))
    text = str(err.value)
    assert text.startswith(f"{path}:2: ") and "\n" not in text
    assert message.split(": ", 1)[1] in text


def test_non_utf8_is_reported_with_line(tmp_path):
    path = tmp_path / "UA.txt"
    path.write_bytes(ROWS[4].encode("utf-8") + b"\n" + ROWS[0].encode("cp1251") + b"\xff\n")
    with pytest.raises(DataError, match=r"UA.txt:2: not UTF-8"):
        list(gi.read_geonames(path))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="RU.txt: file not found"):
        list(gi.read_geonames(tmp_path / "RU.txt"))


def test_alternate_names_v2(tmp_path):
    path = tmp_path / "alternateNamesV2.txt"
    path.write_text("\n".join([
        "1\t900001\tru\tГлотово\t1\t\t\t\t\t",
        "2\t900001\tlink\thttps://en.wikipedia.org/wiki/Glotovo\t\t\t\t\t\t",
        "3\t900001\tiata\tGLT\t\t\t\t\t\t",
        "4\t900001\t\tGlotovo village\t\t\t1\t\t\t",
        "5\t900005\tuk\tЮнаківка\t1\t1\t\t\t\t",
        "6\t900005\tru\tЮнаковка\t\t\t\t1\t1920\t2016",
        "7\t999999\ten\tElsewhere\t\t\t\t\t\t",
    ]) + "\n", encoding="utf-8")
    recs = list(gi.read_alternate_names(path))
    assert [(r["geonameid"], r["name"], r["lang"]) for r in recs] == [
        (900001, "Глотово", "ru"), (900001, "Glotovo village", ""), (900005, "Юнаківка", "uk"),
        (900005, "Юнаковка", "ru"), (999999, "Elsewhere", "en")]
    assert recs[0]["preferred"] and recs[1]["colloquial"] and recs[3]["historic"]
    assert (recs[3]["from"], recs[3]["to"]) == ("1920", "2016")
    only = list(gi.read_alternate_names(path, geonameids={900005}, languages={"uk"}))
    assert [r["name"] for r in only] == ["Юнаківка"]


def test_alternate_names_errors(tmp_path):
    path = tmp_path / "alternateNamesV2.txt"
    path.write_text("1\t900001\tru\tГлотово\t1\t\t\t\t\t\n2\t9x\tru\tX\t\t\t\t\t\t\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"alternateNamesV2.txt:2: geonameid: '9x' is not an "):
        list(gi.read_alternate_names(path))
    path.write_text("1\t900001\tru\tГлотово\t1\t\n", encoding="utf-8")
    with pytest.raises(DataError, match=r":1: expected 8 or 10 tab-separated columns, found 6"):
        list(gi.read_alternate_names(path))
    path.write_text("1\t900001\tru\tГлотово\tyes\t\t\t\t\t\n", encoding="utf-8")
    with pytest.raises(DataError, match=r":1: isPreferredName: 'yes' is not 1 or empty"):
        list(gi.read_alternate_names(path))


def test_admin1_codes(tmp_path):
    path = tmp_path / "admin1CodesASCII.txt"
    path.write_text("RU.41\tKursk\tKursk\t538555\nUA.21\tSumy\tSumy\t692196\n", encoding="utf-8")
    recs = list(gi.read_admin1_codes(path))
    assert recs[0] == {"gn_admin1": "RU.41", "name": "Kursk", "names": ["Kursk"],
                       "geonameid": 538555, "country_code": "RU"}
    path.write_text("RU.41\tKursk\tKursk\t538555\nKursk\tKursk\tKursk\t1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"admin1CodesASCII.txt:2: code: 'Kursk' is not a code"):
        list(gi.read_admin1_codes(path))


def _write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def test_boundaries_geoboundaries_style_admin1(tmp_path):
    # geoBoundaries fields: shapeName, shapeISO, shapeID, shapeGroup (ISO alpha-3)
    sumy = box(33.2, 50.1, 35.6, 52.4)
    path = _write_geojson(tmp_path / "geoBoundaries-UKR-ADM1.geojson", [
        {"type": "Feature", "geometry": mapping(sumy),
         "properties": {"shapeName": "Sumy Oblast", "shapeISO": "UA-59", "shapeID": "X1",
                        "shapeGroup": "UKR"}},
        {"type": "Feature", "geometry": mapping(box(29, 49, 30, 50)),
         "properties": {"shapeName": "Test Area", "shapeISO": "", "shapeID": "X2",
                        "shapeGroup": "UKR"}},
    ])
    recs = list(gi.read_boundaries(path))
    assert recs[0]["id"] == "adm1:UA-59" and recs[0]["country_code"] == "UA"
    assert recs[0]["admin1_code"] == "UA-59" and recs[0]["gn_admin1"] == "UA.21"
    assert recs[0]["geometry"].equals(sumy) and recs[0]["kind"] == "admin1"
    assert recs[0]["geometry"].contains(Point(recs[0]["lon"], recs[0]["lat"]))
    assert recs[1]["id"] == "adm1:geoboundaries-ukr-adm1:X2" and recs[1]["country_code"] == "UA"


def test_boundaries_ocha_style_admin2_gets_its_admin1(tmp_path):
    # OCHA COD-AB fields: ADM2_EN, ADM2_UA, ADM2_RU, ADM2_PCODE, ADM1_EN, ADM0_PCODE
    raion = box(34.9, 51.1, 35.4, 51.4)  # lies in Kursk Oblast (embedded polygons)
    path = _write_geojson(tmp_path / "rus_adm2.geojson", [
        {"type": "Feature", "geometry": mapping(raion),
         "properties": {"ADM2_EN": "Sudzhansky", "ADM2_RU": "Суджанский район",
                        "ADM2_PCODE": "RU4123", "ADM0_PCODE": "RU"}}])
    (rec,) = gi.read_boundaries(path, kind="admin2")
    assert rec["id"] == "adm2:rus-adm2:RU4123" and rec["kind"] == "admin2"
    assert rec["names"] == ["Sudzhansky", "Суджанский район"]
    assert (rec["admin1"], rec["admin1_code"], rec["gn_admin1"]) == ("Kursk Oblast", "RU-KRS",
                                                                     "RU.41")
    assert rec["country_code"] == "RU"


def test_boundaries_gpkg_options_and_reprojection(tmp_path):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame({"NAZWA": ["Alpha"], "KOD": ["A1"], "ALT": ["Alfa|Alpha region"]},
                           geometry=[box(500000, 5600000, 520000, 5620000)], crs=32636)
    path = tmp_path / "units.gpkg"
    gdf.to_file(path, driver="GPKG")
    (rec,) = gi.read_boundaries(path, name_field="NAZWA,ALT", code_field="KOD", country="UA")
    assert rec["id"] == "adm1:units:A1" and rec["country_code"] == "UA"
    assert rec["names"] == ["Alpha", "Alfa", "Alpha region"]
    west, south, east, north = rec["geometry"].bounds
    assert 32.9 < west < 33.1 and 50.5 < south < 50.7  # UTM 36N metres -> lon/lat
    with pytest.raises(DataError, match=r"units.gpkg: NOPE: no field 'NOPE'; fields are: NAZWA"):
        list(gi.read_boundaries(path, name_field="NOPE"))


def test_boundaries_errors(tmp_path):
    pts = _write_geojson(tmp_path / "points.geojson", [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]},
         "properties": {"name": "Somewhere"}}])
    with pytest.raises(DataError, match=r"points.geojson: feature 1 \(Somewhere\): Point is not a "
                                        r"polygon"):
        list(gi.read_boundaries(pts))
    noname = _write_geojson(tmp_path / "noname.geojson", [
        {"type": "Feature", "geometry": mapping(box(0, 0, 1, 1)), "properties": {"foo": "x"}}])
    with pytest.raises(DataError, match="no name field found"):
        list(gi.read_boundaries(noname))
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.geojson: GDAL cannot read it"):
        list(gi.read_boundaries(bad))
    with pytest.raises(DataError, match="kind 'admin3' unknown"):
        list(gi.read_boundaries(noname, kind="admin3"))
