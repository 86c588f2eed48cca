"""`mapper geocode`, `mapper reverse` and `mapper gazetteer` as a user runs them (subprocesses
on the real gazetteer)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "mapper", *args], capture_output=True,
                          text=True, env=full_env, timeout=120)


@pytest.fixture(scope="module", autouse=True)
def built(gazetteer):
    """Make sure the database exists before the CLI runs (built once per session)."""
    return gazetteer


def test_must_show_tyotkino_json():
    r = run("geocode", "Tyotkino", "Tetkino", "Тёткино", "Теткино", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["query"] for o in out] == ["Tyotkino", "Tetkino", "Тёткино", "Теткино"]
    for item in out:
        top = item["results"][0]
        assert top["geonameid"] == 483166 and top["country_code"] == "RU"
        assert abs(top["lat"] - 51.281) < 0.01 and abs(top["lon"] - 34.294) < 0.01
        assert top["admin1"] and "Kursk" in top["admin1"]
        for key in ("name", "kind", "lat", "lon", "country_code", "admin1", "geonameid",
                    "population", "score", "reason"):
            assert key in top
    assert r.stderr == ""


def test_json_areas_carry_geonameid_and_centre():
    # issue 11: areas have their GeoNames id and GeoNames' point near the middle
    r = run("geocode", "Kursk Oblast", "Russia", "--json", "--limit", "1")
    oblast, russia = (q["results"][0] for q in json.loads(r.stdout))
    assert oblast["kind"] == "admin1" and oblast["id"] == "adm1:RU-KRS"
    assert oblast["geonameid"] == 538555
    assert abs(oblast["lat"] - 51.66) < 0.2 and abs(oblast["lon"] - 36.49) < 0.2
    # Russia's point is the centre of its main landmass (the Factbook point 60 N 100 E is 670 km
    # from it; see gazetteer/make_centres.py), near its geographic centre at Lake Vivi
    assert russia["geonameid"] == 2017370
    assert abs(russia["lat"] - 66.4) < 1.5 and abs(russia["lon"] - 94.3) < 2.5


def test_text_table():
    r = run("geocode", "Kursk", "--limit", "3")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == "Kursk:"
    assert "gn:538560" in r.stdout and "settlement" in r.stdout


def test_unresolved_name_warns_and_exit_status():
    r = run("geocode", "Kursk", "Qqxzzqq Vvwx", "--json", "--no-fuzzy")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert out[1] == {"query": "Qqxzzqq Vvwx", "results": []}
    assert "Qqxzzqq Vvwx" in r.stderr and "Warning" in r.stderr
    r = run("geocode", "Qqxzzqq Vvwx", "--json")
    assert r.returncode == 1 and json.loads(r.stdout)[0]["results"] == []


def test_empty_name_is_usage_error():
    r = run("geocode", "")
    assert r.returncode == 2
    assert r.stderr.strip().startswith("Error:") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["--near", "51.7"], ["--bbox", "1,2,3"], ["--near", "a,b"]])
def test_bad_filter_values_are_usage_errors(args):
    r = run("geocode", "Kursk", *args)
    assert r.returncode == 2 and args[0] in r.stderr and "Traceback" not in r.stderr


def test_filters_on_the_command_line():
    r = run("geocode", "Moscow", "--country", "US", "--json", "--limit", "20")
    assert {c["country_code"] for c in json.loads(r.stdout)[0]["results"]} == {"US"}
    r = run("geocode", "Moscow", "--near", "46.7,-117.0", "--json")
    assert json.loads(r.stdout)[0]["results"][0]["geonameid"] == 5601538
    r = run("geocode", "Belgorod", "--kind", "admin1", "--json")
    assert all(c["kind"] == "admin1" for c in json.loads(r.stdout)[0]["results"])


def test_corrupt_database_is_one_line(tmp_path):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"\x00garbage" * 512)
    r = run("geocode", "Kursk", env={"MAPPER_GAZETTEER": str(bad)})
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert str(bad) in lines[0] and "mapper gazetteer build --path" in lines[0]


def test_online_needs_user_agent():
    env = {k: v for k, v in os.environ.items() if k != "MAPPER_USER_AGENT"}
    r = subprocess.run([sys.executable, "-m", "mapper", "geocode", "Kursk", "--online"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 2 and "user agent" in r.stderr and "Traceback" not in r.stderr


def test_reverse_cli():
    r = run("reverse", "51.2813", "34.2938", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["settlement"]["geonameid"] == 483166
    assert res["country"]["country_code"] == "RU"
    assert any(z["id"].startswith("zone:border:RU-UA") for z in res["zones"])
    r = run("reverse", "-33.87", "151.21")
    assert r.returncode == 0 and "AU" in r.stdout
    r = run("reverse", "north", "34")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_gazetteer_info():
    r = run("gazetteer", "info")
    assert r.returncode == 0, r.stderr
    assert "CC BY 4.0" in r.stdout and "public domain" in r.stdout
    assert "settlement" in r.stdout and "schema_version" in r.stdout
    info = json.loads(run("gazetteer", "info", "--json").stdout)
    assert info["counts"]["settlement"] > 230_000


def test_gazetteer_info_missing_file(tmp_path):
    r = run("gazetteer", "info", "--path", str(tmp_path / "none.sqlite"))
    assert r.returncode == 1 and "mapper gazetteer build --path" in r.stderr


def test_build_rejects_bad_zone_width(tmp_path):
    target = tmp_path / "g.sqlite"
    r = run("gazetteer", "build", "--zone-width", "0", "--path", str(target))
    assert r.returncode == 2 and "--zone-width" in r.stderr and not target.exists()
