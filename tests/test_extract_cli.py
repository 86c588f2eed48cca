"""`mapper extract` on the command line: formats, metadata, stdin, jobs, errors, determinism."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from mapper.cli.main import cli

KI = "000_e6726240562de5a9.txt"
MT = "003_32400a268fe11300.txt"
JSONL_KEYS = {"document", "source", "mentions", "incidents"}
MENTION_KEYS = {"start", "end", "text", "name", "kind", "feature_class", "lat", "lon",
                "geonameid", "country_code", "role", "score"}
INCIDENT_KEYS = {"date", "date_end", "date_precision", "place", "lat", "lon", "category",
                 "claimed_by", "summary", "quote", "confidence"}


@pytest.fixture(scope="module")
def runner(gazetteer):  # the gazetteer fixture builds the database the CLI opens
    return CliRunner()


def _run(runner, args, input=None):
    result = runner.invoke(cli, args, input=input, catch_exceptions=False)
    return result


def test_jsonl_one_line_per_document_with_offsets(runner, seeds_dir, tmp_path):
    out = tmp_path / "drafts.jsonl"
    r = _run(runner, ["extract", str(seeds_dir / KI), str(seeds_dir / MT), "--format", "jsonl",
                      "-o", str(out)])
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line, name in zip(lines, (KI, MT)):
        record = json.loads(line)
        assert set(record) == JSONL_KEYS  # no "text" for .txt: offsets index the file itself
        raw = (seeds_dir / name).read_text(encoding="utf-8")
        assert record["source"]["url"].startswith("https://")
        for m in record["mentions"]:
            assert set(m) == MENTION_KEYS
            assert raw[m["start"]:m["end"]] == m["text"]
            assert m["role"] in ("incident", "context", "not-a-place")
        for inc in record["incidents"]:
            assert set(inc) == INCIDENT_KEYS
            assert inc["quote"] and " ".join(inc["quote"].split()) in " ".join(raw.split())
    ki = json.loads(lines[0])
    tyotkino = [i for i in ki["incidents"] if i["place"] == "Tyotkino"]
    assert tyotkino and tyotkino[0]["date"] == "2024-03-14"
    assert "Freedom of Russia Legion" in tyotkino[0]["claimed_by"]


def test_yaml_drafts_are_incident_records(runner, seeds_dir, tmp_path):
    from mapper.incidents.checks import incident_from_record

    out = tmp_path / "drafts.yaml"
    r = _run(runner, ["extract", str(seeds_dir / KI), "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    incidents = [incident_from_record(d) for d in data["incidents"]]
    assert incidents and all(0 < i.confidence <= 1 and i.evidence for i in incidents)
    assert all(i.sources[0].outlet == "The Kyiv Independent" for i in incidents)


def test_geojson_features_have_points(runner, seeds_dir, tmp_path):
    out = tmp_path / "drafts.geojson"
    r = _run(runner, ["extract", str(seeds_dir / MT), "--format", "geojson", "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"]
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert 30 < lon < 45 and 45 < lat < 55  # the Belgorod area


def test_reruns_are_byte_identical_and_jobs_do_not_change_output(runner, seeds_dir, tmp_path):
    args = ["extract", str(seeds_dir / KI), str(seeds_dir / MT), "--format", "jsonl", "-o"]
    outs = []
    for i, extra in enumerate(([], [], ["--jobs", "2"])):
        path = tmp_path / f"run{i}.jsonl"
        r = _run(runner, args + [str(path)] + extra)
        assert r.exit_code == 0, r.output
        outs.append(path.read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_stdin_with_published_and_options(runner, seeds_dir):
    text = (seeds_dir / MT).read_text(encoding="utf-8")
    r = _run(runner, ["extract", "-", "--published", "2023-05-24", "--outlet", "The Moscow Times",
                      "--url", "https://example.org/a", "--format", "jsonl"], input=text)
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout.splitlines()[0])
    assert record["document"] == "-"
    assert record["source"] == {"outlet": "The Moscow Times", "url": "https://example.org/a",
                                "published": "2023-05-24", "title": None, "author": None}
    dates = [i["date"] for i in record["incidents"]]
    assert dates and all(d.startswith("2023-05") for d in dates)


def test_meta_sidecar_and_relative_dates(runner, tmp_path):
    art = tmp_path / "note.txt"
    art.write_text("Shelling destroyed a school in Kharkiv on Tuesday, the governor said.\n",
                   encoding="utf-8")
    meta = tmp_path / "meta.yaml"
    meta.write_text("note.txt:\n  outlet: Test Wire\n  published: 2024-05-16\n", encoding="utf-8")
    r = _run(runner, ["extract", str(art), "--meta", str(meta), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout.splitlines()[0])
    [inc] = record["incidents"]
    assert inc["place"] == "Kharkiv" and inc["date"] == "2024-05-14"  # the Tuesday before
    assert inc["category"] in ("destruction", "shelling")


def test_html_record_includes_extracted_text(runner, tmp_path):
    para = ("Shelling destroyed a warehouse in Kharkiv on Monday, regional officials said, "
            "and firefighters worked through the night to contain the blaze.")
    html = (f"<html><head><title>Warehouse hit</title><meta property='article:published_time' "
            f"content='2024-05-16'></head><body><article><p>{para}</p><p>{para}</p>"
            f"</article></body></html>")
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    r = _run(runner, ["extract", str(page), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout.splitlines()[0])
    text = record["text"]
    assert "Kharkiv" in text
    for m in record["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]


def test_folder_argument_and_errors(runner, seeds_dir, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(seeds_dir / KI, folder / KI)
    shutil.copy(seeds_dir / "sources.yaml", folder / "sources.yaml")
    r = _run(runner, ["extract", str(folder), "--format", "jsonl"])
    assert r.exit_code == 0
    assert len(r.stdout.splitlines()) == 1

    missing = _run(runner, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    assert missing.stderr.strip().startswith("Error:") and "nope.txt" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1

    bad_date = _run(runner, ["extract", str(folder / KI), "--published", "someday soonish"])
    assert bad_date.exit_code == 2  # a bad option value is bad usage, named with its fix
    assert "--published: 'someday soonish' is not a date; write YYYY-MM-DD" in bad_date.stderr

    out = tmp_path / "kept.yaml"
    out.write_text("unchanged\n", encoding="utf-8")
    failed = _run(runner, ["extract", str(folder / KI), str(tmp_path / "x.pdf"), "-o", str(out)])
    assert failed.exit_code == 2 and out.read_text(encoding="utf-8") == "unchanged\n"


def test_subprocess_progress_goes_to_stderr(seeds_dir, tmp_path):
    out = tmp_path / "o.jsonl"
    proc = subprocess.run([sys.executable, "-m", "mapper", "extract", str(seeds_dir / KI),
                           str(seeds_dir / MT), "--format", "jsonl", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "2 article(s)" in proc.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
