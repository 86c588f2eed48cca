"""The malformed-input corpus: every bad file gives a one-line error naming where the problem
is, from `mapper validate` and `mapper export` alike; exit 1; no traceback; no output left behind.

The corpus lives in tests/malformed/ (one file per case, named after the problem); cases that
cannot be committed sensibly (10 MB lines, folders) are generated here.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli

CORPUS = Path(__file__).resolve().parent / "malformed"

# file -> "LOCATION: FIELD" (or "LOCATION:" when the problem is the file or record as a whole)
EXPECT: dict[str, str] = {
    "csv_bad_claims_json.csv": ":2: claims:",
    "csv_duplicate_column.csv": ":1: date:",
    "csv_duplicate_ids.csv": ":3: id:",
    "csv_header_only.csv": ":1:",
    "csv_impossible_date.csv": ":2: date:",
    "csv_javascript_url.csv": ":2: sources[0].url:",
    "csv_lat_95.csv": ":2: lat:",
    "csv_no_id_column.csv": ":1:",
    "csv_ragged_row.csv": ":3:",
    "csv_unclosed_quote.csv": ":3:",
    "csv_utf16.csv": ":1:",
    "empty.csv": ".csv: empty file",
    "empty.yaml": ".yaml: empty file",
    "geojson_bad_record.geojson": ":feature 0: record:",
    "geojson_broken_feature_line.geojson": ":3: JSON syntax",
    "geojson_feature_without_properties.geojson": ":feature 1: properties:",
    "geojson_feature_wrong_type.geojson": ":feature 0:",
    "geojson_features_not_list.geojson": ":1: features:",
    "geojson_impossible_date.geojson": ":feature 1: date:",
    "geojson_nan.geojson": ".geojson: JSON: NaN",
    "geojson_not_featurecollection.geojson": ":1: expected a GeoJSON FeatureCollection",
    "geojson_point_out_of_world.geojson": ":feature 1: geometry:",
    "geojson_syntax.geojson": ":18: JSON syntax",
    "geojson_top_level_list.geojson": ":1: expected a GeoJSON FeatureCollection",
    "yaml_alias_bomb.yaml": ":1: YAML aliases",
    "yaml_bad_date_precision.yaml": ":4: date_precision:",
    "yaml_bad_stance.yaml": ":16: claims[0].stance:",
    "yaml_bad_verification.yaml": ":14: verification.status:",
    "yaml_bom_middle.yaml": ":14: byte order mark",
    "yaml_broken_syntax.yaml": ":4: YAML syntax",
    "yaml_cp1251.yaml": ":9: not valid UTF-8",
    "yaml_data_url.yaml": ":11: sources[0].url: data:",
    "yaml_duplicate_ids.yaml": ":14: id: duplicate id",
    "yaml_duplicate_key.yaml": ":9: category:",
    "yaml_end_before_start.yaml": ":4: date_end:",
    "yaml_file_url_in_claim.yaml": ":17: claims[0].source_url: file:",
    "yaml_future_date.yaml": ":3: date:",
    "yaml_impossible_date.yaml": ":3: date: 2024-02-30 is not a real date",
    "yaml_incidents_not_a_list.yaml": ":2: incidents:",
    "yaml_item_not_mapping.yaml": ":2: expected an incident",
    "yaml_javascript_url.yaml": ":11: sources[0].url: javascript:",
    "yaml_lat_95.yaml": ":6: place.lat: latitude 95",
    "yaml_lat_out_of_range_swapped.yaml": ":6: place.lat:",
    "yaml_lat_text.yaml": ":6: place.lat:",
    "yaml_lon_200.yaml": ":7: place.lon:",
    "yaml_missing_date.yaml": ":2: date: missing",
    "yaml_missing_id.yaml": ":2: id: missing",
    "yaml_missing_place.yaml": ":2: place: missing",
    "yaml_negative_figure.yaml": ":16: claims[0].figures.killed:",
    "yaml_no_incidents_key.yaml": ":1: no `incidents:`",
    "yaml_not_a_date.yaml": ":3: date:",
    "yaml_only_comments.yaml": ".yaml: empty file",
    "yaml_only_lat.yaml": ":4: place.lon:",
    "yaml_swapped_coordinates.yaml": ":6: place.lat: lat/lon look swapped",
    "yaml_tab_indent.yaml": ":2: YAML syntax",
    "yaml_top_level_text.yaml": ":1: expected a mapping",
    "yaml_unclosed_quote.yaml": ":4: YAML syntax",
    "yaml_unknown_field.yaml": ":9: summery: unknown field",
    "yaml_bad_place_id.yaml": ":6: place.place_id: 'Kursk Oblast' is not a gazetteer id",
    "yaml_wrong_type_claims.yaml": ":14: claims:",
    "yaml_wrong_type_date.yaml": ":3: date:",
}

BASE = """incidents:
  - id: gen-1
    date: 2024-03-14
    place: {name: Tyotkino, lat: 51.27, lon: 34.29}
    category: shelling
    summary: SUMMARY
    sources: [{url: "https://example.org/r", published: 2024-03-15}]
"""


def _generated(tmp: Path) -> dict[Path, str]:
    """Cases that are built, not committed: 10 MB lines, folders, binary bytes."""
    big = "A" * 10_000_000
    tmp.mkdir(parents=True, exist_ok=True)
    cases: dict[Path, str] = {}
    p = tmp / "ten_mb_summary.yaml"
    p.write_text(BASE.replace("SUMMARY", big), encoding="utf-8")
    cases[p] = ":6: summary: text of 10,000,000 characters"
    p = tmp / "ten_mb_line.yaml"
    p.write_text(big + "\n", encoding="utf-8")
    cases[p] = ":1: expected a mapping"
    p = tmp / "ten_mb_cell.csv"
    p.write_text(f"id,date,place,summary\nx,2024-03-14,Tyotkino,{big}\n", encoding="utf-8")
    cases[p] = ":2: CSV syntax"
    p = tmp / "ten_mb_property.geojson"
    p.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
                 '"properties":{"id":"x","date":"2024-03-14","place":"Tyotkino","summary":"'
                 + big + '"}}]}', encoding="utf-8")
    cases[p] = ":feature 0: summary: text of 10,000,000 characters"
    folder = tmp / "no_incident_files"
    folder.mkdir()
    (folder / "article.txt").write_text("Just an article.\n", encoding="utf-8")
    cases[folder] = "no incident files"
    feature = ('{"geometry":null,"properties":{"date":"2024-03-14","id":"ID","place":"PLACE"},'
               '"type":"Feature"}')
    p = tmp / "own_layout_cp1251.geojson"  # mapper's line-per-feature layout, streamed
    p.write_bytes(b'{"features":[\n' + feature.replace("PLACE", "x").encode() + b",\n"
                  + feature.replace("ID", "2").replace("PLACE", "Суджа").encode("cp1251")
                  + b'\n],"type":"FeatureCollection"}\n')
    cases[p] = ":3: not valid UTF-8"
    p = tmp / "own_layout_ten_mb.geojson"
    p.write_text('{"features":[\n' + feature.replace("PLACE", big) +
                 '\n],"type":"FeatureCollection"}\n', encoding="utf-8")
    cases[p] = ":feature 0: place: text of 10,000,000 characters"
    p = tmp / "binary.yaml"
    p.write_bytes(b"incidents:\n  - id: a\x00\x01\x02\n")
    cases[p] = ":2: NUL byte"
    return cases


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def _check_validate(path: Path, expect: str) -> None:
    result = CliRunner().invoke(cli, ["validate", str(path)])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("error:")]
    assert lines, result.output
    assert any(path.name + expect in ln or (expect in ln and str(path) in ln) for ln in lines), \
        f"{expect!r} not in {lines}"


def _check_export(path: Path, expect: str, out_dir: Path, fmt: str = "geojson") -> None:
    out = out_dir / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["export", str(path), "--format", fmt, "-o", str(out)])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and expect in errors[0], result.stderr
    assert len(errors[0]) < 400  # one readable line, never the 10 MB value
    assert not out.exists()
    assert list(out_dir.iterdir()) == [], "temporary files left behind"


def test_corpus_has_at_least_30_cases():
    files = sorted(p.name for p in CORPUS.iterdir() if p.is_file())
    assert len(files) >= 30
    assert sorted(EXPECT) == files, "every corpus file needs an expected location"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_validate_names_the_place_of_the_problem(name, gazetteer):
    _check_validate(CORPUS / name, EXPECT[name])


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_export_fails_with_one_line_and_leaves_nothing(name, gazetteer, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    _check_export(CORPUS / name, EXPECT[name], out_dir)


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "fgb", "kml"])
def test_export_other_formats_leave_nothing(fmt, gazetteer, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    _check_export(CORPUS / "yaml_impossible_date.yaml", EXPECT["yaml_impossible_date.yaml"],
                  out_dir, fmt)


def test_generated_cases(gazetteer, tmp_path):
    cases = _generated(tmp_path / "in")
    for path, expect in cases.items():
        _check_validate(path, expect)
        out_dir = tmp_path / f"out-{path.name}"
        out_dir.mkdir()
        _check_export(path, expect, out_dir)


def test_leading_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + BASE.replace("SUMMARY", "With a BOM.").encode("utf-8"))
    result = CliRunner().invoke(cli, ["validate", "--no-resolve", str(p)])
    assert result.exit_code == 0, result.output
    csv_path = tmp_path / "bom.csv"
    csv_path.write_bytes(b"\xef\xbb\xbfid,date,place,lat,lon,source_urls\n"
                         b"b1,2024-03-14,Tyotkino,51.27,34.29,https://example.org/r\n")
    from mapper.incidents.io import read_incidents

    [inc] = read_incidents(csv_path, resolve=False)
    assert inc.id == "b1" and inc.place.lat == 51.27
