"""Hostile and damaged input (issue 15): every reader's guards, safe exports, one-line errors."""
from __future__ import annotations

import csv
import re
import resource
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper import guards
from mapper.cli.main import cli
from mapper.errors import DataError, LimitError

INC = """incidents:
  - id: {id}
    date: 2024-03-12
    place: {{name: Kursk, lat: 51.73, lon: 36.19}}
    category: raid
    summary: {summary}
    sources: [{{url: "https://example.org/a", outlet: X, published: 2024-03-13}}]
"""
# 9 strings, each level 9 copies of the previous one: 9^9 (387 million) strings expanded
BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8))


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def error_lines(result) -> list[str]:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    return [ln for ln in result.output.splitlines() if ln.startswith("Error:")]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------------------ YAML guards
@pytest.mark.parametrize("where", ["sources", "front matter"])
def test_alias_bombs_fail_in_one_line_fast_and_small(tmp_path: Path, where: str) -> None:
    if where == "sources":
        (tmp_path / "sources.yaml").write_text(BOMB + "a.txt:\n  title: *i\n")
        article = tmp_path / "a.txt"
        article.write_text("Shelling hit Kursk.\n")
    else:
        article = tmp_path / "a.md"
        article.write_text("---\n" + BOMB + "title: *i\n---\nShelling hit Kursk.\n")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu0 = _cpu_seconds()
    result = run("extract", str(article))
    # CPU, not wall time, so a busy machine cannot fail it: an expanded bomb costs minutes of
    # CPU, refusing it (gazetteer opening included) about a second.
    assert _cpu_seconds() - cpu0 < 15
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 200_000  # KB
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and "aliases expand" in lines[0]
    assert result.output.strip().splitlines()[-1] == lines[0] or "incidents" in result.output


def test_recursive_alias_and_deep_nesting_are_errors() -> None:
    with pytest.raises(DataError, match="recursive alias"):
        guards.load_yaml("a: &a [*a]\n", path="x.yaml")
    with pytest.raises(LimitError, match="nested deeper"):
        guards.load_yaml("[" * 100 + "]" * 100, path="x.yaml")
    with pytest.raises(DataError, match="given twice"):
        guards.load_yaml("a: 1\na: 2\n", path="x.yaml")


def test_the_norway_problem_is_gone() -> None:
    data = guards.load_yaml("country_code: NO\nflag: no\non: on\n", path="x.yaml")
    assert data == {"country_code": "NO", "flag": "no", "on": "on"}


def test_yaml_1_2_core_scalars_and_ids_stay_as_written() -> None:
    data = guards.load_yaml("id: 2024_001\nplace_id: 0x1F\nname: 1.10\nsummary: yes\n"
                            "n: 0x1F\nf: 1.10\nb: yes\nt: true\nd: 2024-03-12\nz: ~\n"
                            "o: 0o17\nu: 1_000\n", path="x.yaml")
    assert data == {"id": "2024_001", "place_id": "0x1F", "name": "1.10", "summary": "yes",
                    "n": 31, "f": 1.1, "b": "yes", "t": True, "d": "2024-03-12", "z": None,
                    "o": 15, "u": "1_000"}


@pytest.mark.parametrize("where", ["front matter", "sources"])
def test_an_impossible_date_is_one_line(tmp_path: Path, where: str) -> None:
    if where == "sources":
        (tmp_path / "sources.yaml").write_text("a.txt:\n  published: 2023-02-30\n")
        article = tmp_path / "a.txt"
        article.write_text("Shelling hit Kursk.\n")
    else:
        article = tmp_path / "a.md"
        article.write_text("---\npublished: 2023-02-30\n---\nShelling hit Kursk.\n")
    result = run("extract", str(article))
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and "2023-02-30 is not a real date" in lines[0]


# ------------------------------------------------------------------------------ JSON guards
def test_json_trailing_data_nan_and_depth() -> None:
    with pytest.raises(DataError, match=r"x.json:3: more data after the end.*cat a.geojson"):
        guards.load_json('{"a": 1}\n\n{"b": 2}\n', path="x.json")
    assert guards.load_json('  {"a": 1}\n\n', path="x.json") == {"a": 1}
    with pytest.raises(DataError, match="NaN is not valid JSON"):
        guards.load_json('{"a": NaN}', path="x.json")
    with pytest.raises(LimitError, match="nested too deeply"):
        guards.load_json("[" * 100_000 + "]" * 100_000, path="x.json")


# --------------------------------------------------------------------------------- encoding
@pytest.mark.parametrize(("encoding", "text"), [
    ("latin-1", "summary: Café au lait près de la gare\n"),
    ("mac_roman", "summary: Café au lait près de la gare\n"),
    ("gb18030", "summary: 天气很好，我们去公园散步吧。\n"),
    ("cp1251", "summary: Обстрел Курска и Белгорода\n"),
    ("cp1251", "y,2024-03-14,Суджа\n"),
    ("cp1252", "summary: “quoted” – dash\n"),
])
def test_encoding_advice_names_the_detected_encoding(encoding: str, text: str) -> None:
    with pytest.raises(DataError) as info:
        guards.decode(text.encode(encoding), path="f.yaml")
    message = str(info.value)
    found = re.search(r"which reads '(.*)'; if so.*`iconv -f (\S+) -t UTF-8`", message)
    assert found, message
    assert found.group(1) == text.strip()  # the advice, followed, gives the right text
    assert text.encode(encoding).decode(found.group(2)) == text  # iconv's name, Python's too


def test_size_limit_is_refused_at_once_naming_the_flag(tmp_path: Path, monkeypatch) -> None:
    article = tmp_path / "long.txt"
    article.write_text("Shelling hit Kursk. " * 60_000)  # 1.2 MB
    result = run("--max-article-mb", "1", "extract", str(article))
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "over the 1 MB limit for one article" in line and "--max-article-mb" in line
    monkeypatch.delenv("MAPPER_MAX_ARTICLE_MB", raising=False)


# --------------------------------------------------------------------------------- warnings
def test_warnings_are_folded(tmp_path: Path) -> None:
    rows = "".join(f"r{i},2024-03-12,Nowhereville{i},raid,x\n" for i in range(500))
    (tmp_path / "many.csv").write_text("id,date,place,category,summary\n" + rows)
    result = run("validate", str(tmp_path / "many.csv"), "--no-resolve")
    lines = result.output.splitlines()
    assert len(lines) < 40, lines[:50]
    assert any(re.match(r"\.\.\. and 490 more like it", ln) for ln in lines), lines
    result = run("validate", str(tmp_path / "many.csv"), "--no-resolve", "--all")
    assert len(result.output.splitlines()) > 500


def test_terminal_output_escapes_control_characters() -> None:
    assert guards.printable("k\x1b[31mRED\x1b]0;title\x07\u202e\r") == \
        "k\\x1b[31mRED\\x1b]0;title\\x07\\u202e\\r"
    assert guards.printable("two\nlines\tok") == "two\nlines\tok"


# ---------------------------------------------------------------------------------- exports
def test_csv_cells_are_neutralised_unless_raw(tmp_path: Path) -> None:
    src = tmp_path / "f.yaml"
    src.write_text(INC.format(id="'=1+1'", summary="'@SUM(A1)'"))
    out = tmp_path / "f.csv"
    assert run("export", str(src), "-o", str(out), "--no-resolve").exit_code == 0
    with open(out, newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["event_id_cnty"] == "'=1+1" and row["notes"].startswith("'@SUM")
    assert row["longitude"] == "36.190000"  # numbers stay numbers
    from mapper.incidents.io import read_incidents

    assert read_incidents(out, resolve=False)[0].id == "=1+1"  # read back exactly
    run("export", str(src), "-o", str(out), "--no-resolve", "--raw-csv", "--overwrite")
    with open(out, newline="") as handle:
        assert next(csv.DictReader(handle))["event_id_cnty"] == "=1+1"


@pytest.mark.parametrize("value", ["=x", "+x", "-x", "@x", "\tx", "\rx", "'=x", "''+x", "-",
                                   "-12.5", "+3", "plain", "'quoted"])
def test_neutralise_is_reversible(value: str) -> None:
    assert guards.restore_cell(guards.neutralise_cell(value)) == value
    cell = guards.neutralise_cell(value)
    assert not re.match(r"[=+@\t\r]|-[^\d.]", cell) or re.fullmatch(r"[-+][\d.]+", cell)


def test_kml_text_is_html_escaped(tmp_path: Path) -> None:
    src = tmp_path / "x.yaml"
    src.write_text(INC.format(id="x1", summary="'<img src=x onerror=alert(1)>'"))
    out = tmp_path / "x.kml"
    assert run("export", str(src), "-o", str(out), "--no-resolve").exit_code == 0
    from xml.etree import ElementTree

    ns = {"k": "http://www.opengis.net/kml/2.2"}
    desc = ElementTree.parse(out).find(".//k:description", ns)
    assert desc is not None and "<img" not in desc.text and "&lt;img" in desc.text


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "kml"])
def test_a_figure_above_2_31_is_written(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "big.yaml"
    src.write_text(INC.format(id="b1", summary="x").replace(
        "category: raid", "category: raid\n    claims: [{by: A, stance: asserts, statement: s, "
        "figures: {killed: 3000000000}}]"))
    out = tmp_path / f"big.{fmt}"
    result = run("export", str(src), "-o", str(out), "--no-resolve")
    assert result.exit_code == 0, result.output
    import pyogrio

    table = pyogrio.read_dataframe(out)
    assert int(table["fatalities"].iloc[0]) == 3_000_000_000
def test_yaml_ids_reach_the_export_unchanged(tmp_path: Path) -> None:
    src = tmp_path / "ids.yaml"
    text = INC.format(id="2024_001", summary="x") + INC.format(id="0x1F", summary="y").split(
        "incidents:\n", 1)[1] + INC.format(id="1.10", summary="z").split("incidents:\n", 1)[1]
    src.write_text(text)
    result = run("export", str(src), "-o", str(tmp_path / "ids.csv"), "--no-resolve")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "ids.csv", newline="") as handle:
        ids = [row["event_id_cnty"] for row in csv.DictReader(handle)]
    assert ids == ["2024_001", "0x1F", "1.10"]




# ------------------------------------------------------------- tracebacks become one line
def test_year_1_approximate_date_maps(tmp_path: Path) -> None:
    src = tmp_path / "y1.yaml"
    src.write_text(INC.format(id="y1", summary="x").replace("2024-03-12", "0001-01-01").replace(
        "category: raid", "category: raid\n    date_precision: approximate"))
    result = run("map", str(src), "-o", str(tmp_path / "m"), "--tiles", "none")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "map.html").exists()


def test_lone_surrogate_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "s.json"
    src.write_text('{"incidents": [{"id": "s\\ud800", "date": "2024-03-12", "place": '
                   '{"name": "Kursk"}, "category": "raid", "summary": "x"}]}')
    result = run("export", str(src), "-o", str(tmp_path / "s.csv"), "--no-resolve")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "lone surrogate \\ud800" in line and "s.json:1" in line
    assert not (tmp_path / "s.csv").exists()


def test_deeply_nested_json_in_a_csv_cell_is_one_line(tmp_path: Path) -> None:
    nested = "[" * 30000 + "]" * 30000
    src = tmp_path / "n.csv"
    src.write_text(f'id,date,place,category,summary,claims\nn1,2024-03-12,Kursk,raid,x,"{nested}"\n')
    result = run("export", str(src), "-o", str(tmp_path / "n.geojson"), "--no-resolve")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "n.csv:2: claims: JSON nested too deeply" in line


def test_a_damaged_gazetteer_in_extract_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "damaged.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Kursk.\n")
    result = run("extract", str(article), "--gazetteer", str(bad))
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1


def test_escape_sequences_in_ids_do_not_reach_the_terminal(tmp_path: Path) -> None:
    src = tmp_path / "e.yaml"
    src.write_text(INC.format(id='"k\\e[31mRED\\e]0;pwned\\a"', summary="x"))
    dump = tmp_path / "dump.jsonl"  # an article id from a JSONL dump reaches the warnings
    dump.write_text('{"id": "a\\u001b[2J", "text": "Shelling hit Kursk on Tuesday."}\n')
    for args in (["add", "--into", str(tmp_path / "cur.yaml"), "--id", "k\x1b[31mRED",
                  "--date", "2024-03-12", "--place", "Kursk", "--category", "raid",
                  "--summary", "x", "--source", "https://example.org/a"],
                 ["extract", str(dump)], ["map", str(src), "-o", str(tmp_path / "m"),
                                          "--tiles", "none"]):
        # color=True: as on a terminal, where click does not strip escape sequences
        result = CliRunner().invoke(cli, args, color=True)
        assert "\x1b" not in result.output and "\x07" not in result.output, result.output
    assert "\\x1b[2J" in run("extract", str(dump)).output  # shown, escaped


def test_progress_warnings_and_errors_follow_v_and_q(tmp_path: Path) -> None:
    src = tmp_path / "f.yaml"  # a source without a publication date: one warning
    src.write_text(INC.format(id="a1", summary="x").replace(", published: 2024-03-13", ""))
    out = tmp_path / "f.csv"

    def stderr(*flags: str) -> list[str]:
        result = CliRunner().invoke(cli, [*flags, "export", str(src), "-o", str(out),
                                          "--overwrite", "--no-resolve"])
        assert result.exit_code == 0, result.output
        return result.stderr.splitlines()

    default = stderr()
    assert any(ln.startswith("warning: ") and "published" in ln for ln in default), default
    assert default[-1].startswith(f"Wrote {out} (1 incidents, csv)")  # progress, by default
    quiet = stderr("-q")
    assert quiet == default[:-1]  # -q: no progress, the warning stays
    assert stderr("-qq") == []  # errors only
    bad = CliRunner().invoke(cli, ["-qq", "export", str(tmp_path / "none.yaml"), "-o", str(out),
                                   "--overwrite"])
    assert bad.exit_code != 0 and bad.stderr.startswith("Error: ")  # errors always show
    for flags, shown in (([], False), (["-v"], True)):  # -v: debug lines too
        result = CliRunner().invoke(cli, [*flags, "geocode", "Kursk"])
        assert result.exit_code == 0 and ("gazetteer: " in result.stderr) is shown


def _read_only_folder(path: Path) -> bool:
    """A folder nobody may write to: chmod for a normal user, a read-only tmpfs for root."""
    import os
    import shutil
    import subprocess

    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o555)
        return True
    if not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


def test_a_read_only_output_folder_is_one_line(tmp_path: Path) -> None:
    import subprocess

    src = tmp_path / "inc.yaml"
    src.write_text(INC.format(id="k1", summary="x"))
    ro = tmp_path / "ro"
    if not _read_only_folder(ro):
        pytest.skip("no way to make a read-only folder here")
    try:
        for args in (["export", str(src), "-o", str(ro / "x.geojson"), "--no-resolve"],
                     ["map", str(src), "-o", str(ro / "m"), "--tiles", "none"]):
            result = run(*args)
            assert result.exit_code == 1, result.output
            (line,) = error_lines(result)
            assert "read-only" in line or "permission denied" in line, line
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)
        ro.chmod(0o755)
