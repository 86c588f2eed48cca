"""Readers and writers: YAML, CSV and GeoJSON round trips, shared sources, folders, place
resolution through the real gazetteer, line numbers in errors."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from synthetic import varied_incidents

from mapper.errors import DataError
from mapper.incidents.export import export
from mapper.incidents.io import read_incidents, write_incidents
from mapper.incidents.model import Claim, Incident, Location, Source

ROOT = Path(__file__).resolve().parent.parent


def _synthetic(n: int) -> list[Incident]:
    return varied_incidents(n)


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> list[Incident]:
    return read_incidents(seeds_dir / "incidents.yaml", resolve=False)


def test_seed_yaml_reads_with_shared_sources(seeds):
    assert len(seeds) >= 6
    first = seeds[0]
    src = first.sources[0]
    # the item gives url + quote; outlet, title, author and date come from the top-level list
    assert src.outlet == "The Kyiv Independent" and src.published == dt.date(2024, 3, 16)
    assert src.author and src.title and src.quote and "March 12" in src.quote
    assert first.place.place_id == "adm1:RU-KRS"
    assert any(c.stance == "denies" for c in first.claims)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "geojson"])
def test_seed_round_trip(seeds, fmt, tmp_path):
    path = write_incidents(seeds, tmp_path / f"seeds.{fmt}")
    again = read_incidents(path, resolve=False)
    assert again == seeds
    first = path.read_bytes()
    write_incidents(again, path)
    assert path.read_bytes() == first  # a rerun gives the same bytes


@pytest.mark.parametrize("fmt", ["yaml", "csv", "geojson"])
def test_synthetic_round_trip(fmt, tmp_path):
    incidents = _synthetic(400)
    # values that stress the CSV: a pipe inside an actor, a JSON-looking tag, newlines, unicode
    incidents[0].actors = ["Border guards | FSB", "Тёткино militia"]
    incidents[1].tags = ["[not json", "ok"]
    incidents[2].summary = 'Line one\nline "two", with ; and , and \t tab'
    incidents[3].confidence = 0.25
    incidents[3].evidence = "The sentence it came from."
    incidents[4].place = Location(name="Nowhere", lat=None, lon=None)
    path = write_incidents(incidents, tmp_path / f"syn.{fmt}")
    assert read_incidents(path, resolve=False) == incidents


def test_yaml_to_exported_geojson_and_csv_and_back(seeds, tmp_path):
    for fmt in ("geojson", "csv"):
        out = export(seeds, tmp_path / f"out.{fmt}")
        assert read_incidents(out, resolve=False) == seeds


def _needs_areas(gazetteer) -> None:
    if gazetteer.get("adm1:RU-KRS") is None or gazetteer.get("zone:border:RU-UA:RU") is None:
        pytest.skip("this gazetteer build has no admin1 areas or border zones yet")


def test_resolved_seeds_round_trip(seeds_dir, gazetteer, tmp_path):
    _needs_areas(gazetteer)
    resolved = read_incidents(seeds_dir / "incidents.yaml", gazetteer=gazetteer)
    tyotkino = next(i for i in resolved if "Tyotkino" in i.place.name)
    assert tyotkino.place.kind == "settlement" and tyotkino.place.geo_precision == "settlement"
    assert tyotkino.place.country_code == "RU" and tyotkino.place.place_id.startswith("gn:")
    assert 51.0 < tyotkino.place.lat < 51.5 and 34.0 < tyotkino.place.lon < 34.6
    assert tyotkino.place.resolution.startswith("gazetteer:")
    for fmt in ("yaml", "csv", "geojson"):
        path = write_incidents(resolved, tmp_path / f"r.{fmt}", gazetteer=gazetteer)
        assert read_incidents(path, gazetteer=gazetteer) == resolved


def test_explicit_coordinates_win_and_unresolved_places_are_kept(gazetteer, tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text("""incidents:
  - id: a
    date: 2024-03-14
    place: {name: Tyotkino, lat: 51.3, lon: 34.3}
    category: shelling
    sources: [{url: "https://example.org/a", published: 2024-03-15}]
  - id: b
    date: 2024-03-14
    place: Qxzwvy Nonexistentovka
    category: shelling
    sources: [{url: "https://example.org/b", published: 2024-03-15}]
  - id: c
    date: 2024-03-14
    place: Tyotkino
    category: shelling
    sources: [{url: "https://example.org/c", published: 2024-03-15}]
""", encoding="utf-8")
    problems = []
    a, b, c = read_incidents(path, gazetteer=gazetteer, on_problem=problems.append)
    assert (a.place.lat, a.place.lon, a.place.geo_precision) == (51.3, 34.3, "exact")
    assert a.place.resolution == "explicit coordinates" and a.place.place_id is None
    assert b.place.lat is None and b.place.name == "Qxzwvy Nonexistentovka"
    assert [p.where for p in problems if "could not resolve" in p.message] == [9]
    assert c.place.geo_precision == "settlement" and abs(c.place.lat - 51.27) < 0.1


def test_admin1_in_the_place_string_narrows_the_search(gazetteer):
    _needs_areas(gazetteer)
    from mapper.incidents.resolve import Resolver

    out = Resolver(gazetteer).resolve(Location(name="Tyotkino, Kursk Oblast"))
    assert out.location.admin1 and "Kursk" in out.location.admin1
    assert "within" in out.location.resolution
    area = Resolver(gazetteer).resolve(Location(name="Kursk Oblast", place_id="adm1:RU-KRS"))
    assert area.location.geo_precision == "admin1" and area.location.kind == "admin1"


def test_folder_reads_incident_files_sorted_and_skips_articles(seeds_dir, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "b.csv").write_text("id,date,place,lat,lon,source_urls\n"
                                  "csv-1,2024-03-14,Sudzha,51.19,35.27,https://example.org/x\n",
                                  encoding="utf-8")
    (folder / "a.yaml").write_text((seeds_dir / "incidents.yaml").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (folder / "sources.yaml").write_text((seeds_dir / "sources.yaml").read_text("utf-8"),
                                         encoding="utf-8")
    (folder / "article.txt").write_text("An article, for extraction.\n", encoding="utf-8")
    incidents = read_incidents(folder, resolve=False)
    assert incidents[-1].id == "csv-1" and len(incidents) == 7
    with pytest.raises(DataError, match="no incident files"):
        empty = tmp_path / "empty"
        empty.mkdir()
        read_incidents(empty, resolve=False)


def test_spreadsheet_csv_with_flat_columns(tmp_path):
    path = tmp_path / "sheet.csv"
    # semicolon-separated, as a spreadsheet in many locales saves it; comma decimal marks
    path.write_text("id;date;place;lat;lon;category;actors;claimed_by;source_urls;verified_by\n"
                    "s1;2024-03;Sudzha;51,19;35,27;raid;A | B;A;https://example.org/1 | "
                    "https://example.org/2;Outlet X\n", encoding="utf-8")
    [inc] = read_incidents(path, resolve=False)
    assert inc.date == dt.date(2024, 3, 1) and inc.date_precision == "month"
    assert (inc.place.lat, inc.place.lon) == (51.19, 35.27)
    assert inc.actors == ["A", "B"] and [c.by for c in inc.claims] == ["A"]
    assert [s.url for s in inc.sources] == ["https://example.org/1", "https://example.org/2"]
    assert inc.verification.by == ["Outlet X"]


def test_errors_name_file_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("""incidents:
  - id: ok
    date: 2024-03-14
    place: Sudzha
    claims:
      - by: Somebody
        quote: fine
      - by: Another
        figures:
          killed: many
""", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_incidents(path, resolve=False)
    assert str(info.value).startswith(f"{path}:10: claims[1].figures.killed: expected a whole")


def test_windows_1251_error_names_the_line(tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes("id,date,place\nx,2024-03-14,Sudzha\ny,2024-03-14,Суджа\n".encode("cp1251"))
    with pytest.raises(DataError, match=r"cp\.csv:3: not valid UTF-8.*Windows-1251"):
        read_incidents(path, resolve=False)


def test_geojson_without_record_reads_flat_properties_and_point(tmp_path):
    path = tmp_path / "qgis.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.27, 51.19]},
         "properties": {"id": "q1", "date": "2024-03-14", "place": "Sudzha", "fid": 7,
                        "category": "shelling", "actors": "A | B"}}]}), encoding="utf-8")
    [inc] = read_incidents(path, resolve=False)
    assert (inc.place.lat, inc.place.lon) == (51.19, 35.27) and inc.actors == ["A", "B"]


def test_written_yaml_is_hand_editable(tmp_path):
    inc = Incident(id="h1", date=dt.date(2024, 3, 14), place=Location(name="Sudzha"),
                   category="raid", claims=[Claim(by="X", figures={"killed": 2})],
                   sources=[Source(url="https://example.org/h", published=dt.date(2024, 3, 15))])
    text = write_incidents([inc], tmp_path / "h.yaml").read_text(encoding="utf-8")
    assert "date: 2024-03-14\n" in text and "'2024" not in text  # dates unquoted
    again = read_incidents(tmp_path / "h.yaml", resolve=False)
    assert again == [dataclasses.replace(inc)]


def test_unknown_place_id_falls_back_to_the_name_with_a_warning(gazetteer, tmp_path):
    path = tmp_path / "id.yaml"
    path.write_text("""incidents:
  - id: a
    date: 2024-03-14
    place: {name: Tyotkino, place_id: "gn:999999999999"}
    category: shelling
    sources: [{url: "https://example.org/a", published: 2024-03-15}]
""", encoding="utf-8")
    problems = []
    [inc] = read_incidents(path, gazetteer=gazetteer, on_problem=problems.append)
    assert inc.place.place_id.startswith("gn:") and inc.place.place_id != "gn:999999999999"
    assert inc.place.geo_precision == "settlement"
    [problem] = problems
    assert (problem.where, problem.field) == (4, "place.place_id")
    assert "resolved by name" in problem.message
