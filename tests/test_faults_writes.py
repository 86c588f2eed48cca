"""Faults in writing (issue 15): checked atomic writes, no overwriting inputs or unasked outputs,
output folders replaced as a whole, one-line errors where the system refuses a write.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper import atomic, outputset
from mapper.cli.main import cli
from mapper.errors import UsageError, WriteError

INC = """incidents:
  - id: {id}
    date: 2024-03-12
    place: {{name: Kursk, lat: 51.73, lon: 36.19}}
    category: raid
    summary: {summary}
    sources: [{{url: "https://example.org/a", outlet: X, published: 2024-03-13}}]
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_line_error(result) -> str:
    """The error text, asserting it is one line and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def inc(tmp_path: Path) -> Path:
    path = tmp_path / "inc.yaml"
    path.write_text(INC.format(id="k1", summary="ok"), encoding="utf-8")
    return path


def test_export_never_writes_over_its_input(inc: Path) -> None:
    before = inc.read_bytes()
    for extra in ([], ["--overwrite"]):
        result = run("export", str(inc), "-o", str(inc), "--format", "geojson", "--no-resolve",
                     *extra)
        assert result.exit_code == 2
        assert "is also an input" in one_line_error(result)
    assert inc.read_bytes() == before


def test_export_replaces_an_existing_file_only_with_overwrite(inc: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.geojson"
    out.write_text("PREVIOUS")
    result = run("export", str(inc), "-o", str(out), "--no-resolve")
    assert result.exit_code == 2 and "--overwrite" in one_line_error(result)
    assert out.read_text() == "PREVIOUS"
    result = run("export", str(inc), "-o", str(out), "--no-resolve", "--overwrite")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["features"][0]["id"] == "k1"


def test_extract_refuses_to_replace_a_curated_file(tmp_path: Path) -> None:
    curated = tmp_path / "curated.yaml"
    curated.write_text("CURATED")
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Kursk on 12 March 2024.\n")
    result = run("extract", str(article), "-o", str(curated))
    assert result.exit_code == 2 and "exists" in one_line_error(result)
    assert curated.read_text() == "CURATED"
    result = run("extract", str(article), "-o", str(article), "--overwrite")
    assert result.exit_code == 2 and "is also an input" in one_line_error(result)
    result = run("extract", str(article), "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in one_line_error(result)


def test_output_below_a_regular_file_is_one_line(inc: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run("export", str(inc), "-o", str(tmp_path / "afile" / "x.geojson"), "--no-resolve")
    assert result.exit_code == 1
    assert "is a file, not a folder" in one_line_error(result)
    result = run("map", str(inc), "-o", str(tmp_path / "afile" / "m"), "--tiles", "none")
    assert result.exit_code == 1
    assert "is a file, not a folder" in one_line_error(result)


def test_a_write_error_keeps_the_previous_file_and_leaves_no_temp(tmp_path: Path,
                                                                  monkeypatch) -> None:
    target = tmp_path / "x.txt"
    target.write_text("PREVIOUS")

    real_fsync = os.fsync

    def full_disk(fd: int) -> None:  # a file system that reports ENOSPC when syncing
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteError, match="no space left.*previous x.txt is unchanged"):
        atomic.write_text(target, "NEW")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_text() == "PREVIOUS"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_temporaries_of_dead_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale = tmp_path / f".x.txt.mapper-{dead}-0123abcd.tmp.txt"
    stale.write_text("half")
    live = tmp_path / f".x.txt.mapper-{os.getpid()}-0123abcd.tmp.txt"
    live.write_text("in progress")
    atomic.write_text(tmp_path / "x.txt", "new")
    assert not stale.exists() and live.exists()


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_check_output_rules(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("x")
    with pytest.raises(UsageError, match="is also an input"):
        atomic.check_output(tmp_path / "." / "a.yaml", inputs=[a], overwrite=True)
    with pytest.raises(UsageError, match="--overwrite"):
        atomic.check_output(a)
    atomic.check_output(a, overwrite=True)
    atomic.check_output(tmp_path / "new.yaml")


def test_map_into_its_own_input_folder_reruns(tmp_path: Path, seeds_dir: Path,
                                              gazetteer) -> None:
    folder = tmp_path / "d"
    shutil.copytree(seeds_dir, folder)
    for _ in range(2):
        result = run("map", str(folder), "-o", str(folder), "--tiles", "none")
        assert result.exit_code == 0, result.output
    own = outputset.own_files(folder)
    assert {"map.html", "embed.html", "incidents.geojson", "lib/leaflet.js"} <= own
    assert "incidents.yaml" not in own and (folder / "incidents.yaml").exists()
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    leftovers += [p.name for p in folder.iterdir()
                  if p.name.startswith(".") and p.name != outputset.MANIFEST]
    assert leftovers == []


def test_map_refuses_to_replace_a_page_it_did_not_write(tmp_path: Path, inc: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "map.html").write_text("HAND-MADE")
    result = run("map", str(inc), "-o", str(out), "--tiles", "none")
    assert result.exit_code == 2 and "mapper did not write it" in one_line_error(result)
    assert (out / "map.html").read_text() == "HAND-MADE"


def test_output_set_swaps_a_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "m"
    with outputset.output_folder(out) as files:
        files.write_text("a.txt", "1")
        files.write_text("lib/b.txt", "1")
    with outputset.output_folder(out) as files:
        files.write_text("a.txt", "2")
    assert (out / "a.txt").read_text() == "2"
    assert not (out / "lib").exists()  # the old set went as a whole
    assert outputset.own_files(out) == {"a.txt"}  # the manifest lists the new set only
    with pytest.raises(RuntimeError), outputset.output_folder(out) as files:
        files.write_text("a.txt", "3")
        raise RuntimeError("killed halfway")
    assert (out / "a.txt").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_an_interrupted_in_place_commit_is_completed_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "d"
    out.mkdir()
    (out / "input.yaml").write_text("mine")
    with outputset.output_folder(out) as files:
        files.write_text("map.html", "old")
    # a run killed after writing its journal and moving nothing yet
    staging = atomic.temp_name(out / ".mapper-staging")
    staging.mkdir()
    (staging / "map.html").write_text("new")
    (staging / outputset.MANIFEST).write_text(json.dumps(
        {"generator": "mapper", "files": {"map.html": "x"}}))
    (out / outputset.JOURNAL).write_text(json.dumps(
        {"staging": staging.name, "names": ["map.html", outputset.MANIFEST]}))
    with outputset.output_folder(out) as files:
        assert (out / "map.html").read_text() == "new"  # rolled forward before this run
        assert not staging.exists() and not (out / outputset.JOURNAL).exists()
        files.write_text("map.html", "newer")
    assert (out / "map.html").read_text() == "newer"
    assert (out / "input.yaml").read_text() == "mine"


def test_a_busy_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "m"
    with outputset.output_folder(out) as files:
        files.write_text("a.txt", "1")
        with pytest.raises(WriteError, match=f"another mapper \\(pid {os.getpid()}\\)"), \
                outputset.output_folder(out, lock_timeout=0.2):
            pass
