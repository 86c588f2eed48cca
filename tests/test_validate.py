"""`mapper validate`: the seeds are clean; each check fires on the problem it names, with the
right severity, file, line and field."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.incidents.gcpause import paused_gc
from mapper.incidents.validate import check_files, validate_files
from mapper.dates import parse_date
from mapper.urls import url_problem


def _needs_areas(gazetteer) -> None:
    if gazetteer.get("adm1:RU-KRS") is None or gazetteer.get("zone:border:RU-UA:RU") is None:
        pytest.skip("this gazetteer build has no admin1 areas or border zones yet")


def test_seeds_validate_clean_with_the_real_gazetteer(seeds_dir, repo_root, gazetteer):
    _needs_areas(gazetteer)
    res = subprocess.run([sys.executable, "-m", "mapper", "validate", "seeds/incidents.yaml"],
                         cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout == ""
    assert res.stderr.strip().startswith("OK: 0 errors, 0 warnings")


def test_seeds_validate_clean_without_gazetteer(seeds_dir):
    assert validate_files(seeds_dir / "incidents.yaml", resolve=False) == []


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MANY = """incidents:
  - id: one
    date: 2024-03-14
    place: {name: Sudzha, lat: 51.19, lon: 35.27}
    category: artillery
    claims:
      - by: Somebody
    sources:
      - url: https://example.org/1
  - id: two
    date: {future}
    date_end: 2024-01-01
    place: Sudzha
    category: shelling
    sources:
      - url: ftp://example.org/2
        published: 2024-13-01
"""


def test_every_problem_is_listed_with_line_and_field(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = _write(tmp_path, "many.yaml", MANY.replace("{future}", future))
    got = {(p.severity, p.where, p.field) for p in validate_files(path, resolve=False)}
    assert ("warning", 5, "category") in got            # unknown category: a warning
    assert ("warning", 7, "claims[0]") in got           # claim without source / quote
    assert ("warning", 9, "sources[0].published") in got  # source without a date
    assert ("error", 11, "date") in got                 # in the future
    assert ("error", 12, "date_end") in got             # end before start
    assert ("error", 16, "sources[0].url") in got       # only http(s)
    assert ("error", 17, "sources[0].published") in got  # month 13


def test_cli_output_exit_codes_and_strict(tmp_path):
    clean = _write(tmp_path, "clean.yaml", """incidents:
  - id: c1
    date: 2024-03-14
    place: {name: Sudzha, lat: 51.19, lon: 35.27}
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
""")
    runner = CliRunner()
    res = runner.invoke(cli, ["validate", "--no-resolve", str(clean)])
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr.strip() == "OK: 0 errors, 0 warnings in 1 input"
    warn = _write(tmp_path, "warn.yaml", clean.read_text().replace("shelling", "artillery"))
    res = runner.invoke(cli, ["validate", "--no-resolve", str(warn)])
    assert res.exit_code == 0
    assert res.stdout.startswith(f"warning: {warn}:5: category: 'artillery' is not a documented")
    res = runner.invoke(cli, ["validate", "--no-resolve", "--strict", str(warn)])
    assert res.exit_code == 1 and "FAILED" in res.stderr


def test_duplicate_ids_across_files(tmp_path):
    text = """incidents:
  - id: same
    date: 2024-03-14
    place: {name: Sudzha, lat: 51.19, lon: 35.27}
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
    category: shelling
"""
    a, b = _write(tmp_path, "a.yaml", text), _write(tmp_path, "b.yaml", text)
    problems = [p for p in validate_files([a, b], resolve=False) if p.severity == "error"]
    assert len(problems) == 1
    assert str(problems[0]) == (f"error: {b}:2: id: duplicate id 'same' (first used at {a}:2); "
                                "every incident needs its own id")


def test_swapped_coordinates_against_a_settlement(tmp_path, gazetteer):
    path = _write(tmp_path, "s.yaml", """incidents:
  - id: s1
    date: 2024-03-14
    place: {name: Sudzha, lat: 35.27, lon: 51.19}
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
  - id: s2
    date: 2024-03-14
    place: {name: Sudzha, lat: 50.0, lon: 30.0}
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
""")
    got = {(p.severity, p.where, p.field): p.message for p in validate_files(path, gazetteer)}
    assert "swapped" in got[("error", 4, "place.lat")]
    far = got[("warning", 9, "place")]
    assert "km from Sudzha" in far


def test_point_outside_the_admin_unit_it_names(tmp_path, gazetteer):
    _needs_areas(gazetteer)
    path = _write(tmp_path, "a.yaml", """incidents:
  - id: k1
    date: 2024-03-14
    place: {name: "a farm, Kursk Oblast", lat: 49.99, lon: 36.23}
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
  - id: k2
    date: 2024-03-14
    place: {name: "Belgorod Oblast", place_id: "adm1:RU-BEL", lat: 36.6, lon: 50.6}
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
""")
    got = {(p.severity, p.where, p.field): p.message for p in validate_files(path, gazetteer)}
    assert "outside" in got[("warning", 4, "place")] and "Kursk" in got[("warning", 4, "place")]
    assert "swapped" in got[("error", 9, "place.lat")]


def test_unresolvable_place_is_a_warning(tmp_path, gazetteer):
    path = _write(tmp_path, "u.yaml", """incidents:
  - id: u1
    date: 2024-03-14
    place: Qxzwvy Nonexistentovka
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
""")
    [problem] = validate_files(path, gazetteer)
    assert (problem.severity, problem.where, problem.field) == ("warning", 4, "place")
    assert "could not resolve" in problem.message
    assert validate_files(path, resolve=False) == []  # --no-resolve skips the gazetteer


def test_helpers():
    assert parse_date("2024-02-29") == (dt.date(2024, 2, 29), None)
    assert parse_date("2024") == (dt.date(2024, 1, 1), "year")
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2023-02-29")
    assert url_problem("https://kyivindependent.com/a-b/") is None
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                "file:///etc/passwd", "vbscript:x", "www.example.org", "https://", "http://a b"):
        assert url_problem(bad), bad


def test_linter_keeps_no_incidents_but_finds_the_same_problems(seeds_dir):
    kept, problems = check_files([seeds_dir / "incidents.yaml"], resolve=False)
    dropped, same = check_files([seeds_dir / "incidents.yaml"], resolve=False, keep=False)
    assert kept and dropped == [] and same == problems


def test_paused_gc_restores_the_collector():
    import gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        junk = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0 and len(junk) == 1000
