"""Fault injection (issue 15): kill -9 at random points of ``mapper map`` and ``mapper export``,
concurrent writers, and a full disk. Every output is wholly old or wholly new, no temporary
survives the next run, and a full disk is one line with the previous output intact.
"""
from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapper import outputset

pytestmark = pytest.mark.slow
SET_FILES = ("map.html", "embed.html", "incidents.geojson", outputset.MANIFEST)


def snapshot(folder: Path) -> dict[str, str]:
    """The output set's files and their digests (missing files marked)."""
    return {name: (hashlib.sha256((folder / name).read_bytes()).hexdigest()
                   if (folder / name).exists() else "missing") for name in SET_FILES}


def temporaries(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [p.name for p in folder.iterdir()
                      if p.name.startswith(".") and p.name != outputset.MANIFEST]
    return found


@pytest.fixture(scope="module")
def seeds_incidents(gazetteer, seeds_dir):
    from mapper.incidents.io import read_incidents

    return read_incidents([seeds_dir / "incidents.yaml"], gazetteer=gazetteer)


def _child_write(incidents, out: Path, title: str) -> None:
    """In a forked child: write the map and exit without running the parent's teardown."""
    code = 0
    try:
        from mapper.gazetteer.store import Gazetteer
        from mapper.render.page import write_map

        write_map(incidents, out, gazetteer=Gazetteer.open(), title=title,
                  tiles=None)
    except BaseException:  # noqa: BLE001 - the exit status reports it to the parent
        code = 1
    os._exit(code)


def fork_write(incidents, out: Path, title: str) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        _child_write(incidents, out, title)
    return pid


def test_50_kills_of_a_map_write_leave_the_old_or_the_new_set(tmp_path: Path, gazetteer,
                                                              seeds_incidents) -> None:
    from mapper.render.page import write_map

    rng = random.Random(15)
    shared = tmp_path / "shared"  # a folder that is wholly mapper's output: swapped in whole
    inplace = tmp_path / "site"  # a folder with other files: moved in under a journal
    inplace.mkdir()
    (inplace / "notes.txt").write_text("keep me")
    sets: dict[str, dict[str, dict[str, str]]] = {}
    saved = tmp_path / "saved"
    for folder in (shared, inplace):
        sets[folder.name] = {}
        for title in ("NEW", "OLD"):  # OLD last: each kill below starts from the old set
            write_map(seeds_incidents, folder, gazetteer=gazetteer, title=title, tiles=None)
            sets[folder.name][title] = snapshot(folder)
        shutil.copytree(folder, saved / folder.name)
    t0 = time.perf_counter()
    fork_write_time = None
    outcomes = {"old": 0, "new": 0}
    for i in range(50):
        folder = shared if i % 5 else inplace
        pid = fork_write(seeds_incidents, folder, "NEW")
        if fork_write_time is None:  # time one whole run to spread the kills over it
            os.waitpid(pid, 0)
            fork_write_time = time.perf_counter() - t0
            pid = fork_write(seeds_incidents, folder, "NEW")
        time.sleep(rng.uniform(0.0, fork_write_time * 1.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if folder is inplace:
            outputset.recover(folder)  # what the next run does first, under the lock
        now = snapshot(folder)
        state = [k for k, v in sets[folder.name].items() if v == now]
        assert state, f"kill {i}: a mixed set {now}"
        outcomes["old" if state == ["OLD"] else "new"] += 1
        outputset.recover(folder)  # the next run's clean-up, then back to the old set
        assert temporaries(folder, folder.parent) == [], f"kill {i}: temporaries left"
        assert (inplace / "notes.txt").read_text() == "keep me"
        if state != ["OLD"]:
            shutil.rmtree(folder)
            shutil.copytree(saved / folder.name, folder)
    assert outcomes["old"] > 0 and outcomes["new"] > 0  # kills landed before and after


def test_8_concurrent_pairs_leave_one_whole_set(tmp_path: Path, gazetteer,
                                                seeds_incidents) -> None:
    from mapper.render.page import write_map

    out = tmp_path / "m"
    expected = {}
    for title in ("A", "B"):
        write_map(seeds_incidents, out, gazetteer=gazetteer, title=title, tiles=None)
        expected[title] = snapshot(out)
    for i in range(8):
        pids = [fork_write(seeds_incidents, out, t) for t in ("A", "B")]
        codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
        assert codes == [0, 0], f"pair {i}: {codes}"
        now = snapshot(out)
        assert now in expected.values(), f"pair {i}: a mixed set"
        assert temporaries(out, tmp_path) == []


def test_concurrent_cli_maps_wait_for_each_other(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "m"
    procs = [subprocess.Popen([sys.executable, "-m", "mapper", "map", str(seeds_dir), "-o",
                               str(out), "--tiles", "none", "--title", t],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for t in ("A", "B")]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    page = (out / "map.html").read_text()
    assert ("<title>A</title>" in page) != ("<title>B</title>" in page)
    assert temporaries(out, tmp_path) == []


def test_kills_of_the_map_command_leave_the_old_or_the_new_set(tmp_path: Path,
                                                               seeds_dir: Path) -> None:
    out = tmp_path / "m"
    cmd = [sys.executable, "-m", "mapper", "map", str(seeds_dir), "-o", str(out), "--tiles",
           "none", "--title"]
    sets = {}
    t0 = time.perf_counter()
    for title in ("NEW", "OLD"):
        subprocess.run([*cmd, title], check=True, capture_output=True)
        sets[title] = snapshot(out)
    run_time = (time.perf_counter() - t0) / 2
    rng = random.Random(9)
    for i in range(3):
        proc = subprocess.Popen([*cmd, "NEW"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(run_time * 0.5, run_time * 1.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert snapshot(out) in sets.values(), f"kill {i}: a mixed set"
        subprocess.run([*cmd, "OLD"], check=True, capture_output=True)
        assert temporaries(out, tmp_path) == []


def test_kills_of_an_export_keep_the_previous_file(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "x.gpkg"
    cmd = [sys.executable, "-m", "mapper", "export", str(seeds_dir / "incidents.yaml"), "-o",
           str(out), "--overwrite"]
    subprocess.run(cmd, check=True, capture_output=True)
    before = out.read_bytes()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    run_time = time.perf_counter() - t0
    assert out.read_bytes() == before  # byte-identical reruns: old and new are the same bytes
    rng = random.Random(3)
    for i in range(4):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(run_time * 0.3, run_time))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert out.read_bytes() == before, f"kill {i}"
    subprocess.run(cmd, check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gpkg"]


# ------------------------------------------------------------------------------ full disk
def _tmpfs(path: Path, size_kb: int) -> bool:
    """Mount a small tmpfs at ``path`` (root only); False where the machine does not allow it."""
    if os.geteuid() != 0 or not shutil.which("mount") or os.environ.get("MAPPER_TEST_NO_TMPFS"):
        return False
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def full_disk(tmp_path: Path):
    """A folder whose file system is full: a real tmpfs filled to the brim where mounting works
    (ENOSPC), else a file-size limit of 4 KB on the command (EFBIG, the same code paths)."""
    disk = tmp_path / "disk"
    mounted = _tmpfs(disk, 4096)
    if not mounted:
        disk.mkdir()

    def fill() -> None:
        if mounted:
            with open(disk / ".filler", "wb", buffering=0) as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                except OSError:
                    pass

    def preexec() -> None:  # pragma: no cover - in the child
        if not mounted:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    yield disk, fill, preexec
    if mounted:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


WRITERS = [
    ("export-geojson", ["export", "{inc}", "-o", "{disk}/out.geojson", "--overwrite"]),
    ("export-csv", ["export", "{inc}", "-o", "{disk}/out.csv", "--overwrite"]),
    ("export-gpkg", ["export", "{inc}", "-o", "{disk}/out.gpkg", "--overwrite"]),
    ("export-fgb", ["export", "{inc}", "-o", "{disk}/out.fgb", "--overwrite"]),
    ("export-kml", ["export", "{inc}", "-o", "{disk}/out.kml", "--overwrite"]),
    ("map", ["map", "{inc}", "-o", "{disk}/m", "--tiles", "none"]),
    ("extract", ["extract", "{article}", "--published", "2024-03-16", "-o",
                 "{disk}/drafts.yaml", "--overwrite"]),
]


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_full_disk_is_one_line_and_keeps_the_previous_output(full_disk, seeds_dir: Path,
                                                                name: str, args: list[str]
                                                                ) -> None:
    disk, fill, preexec = full_disk
    subs = {"inc": str(seeds_dir / "incidents.yaml"), "disk": str(disk),
            "article": str(seeds_dir / "000_e6726240562de5a9.txt")}
    argv = [sys.executable, "-m", "mapper", *(a.format(**subs) for a in args)]
    first = subprocess.run(argv, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(disk): p.read_bytes() for p in disk.rglob("*") if p.is_file()}
    fill()
    again = subprocess.run(argv, capture_output=True, text=True, preexec_fn=preexec)
    assert again.returncode == 1, again.stderr
    errors = [ln for ln in again.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in again.stderr, again.stderr
    assert "cannot write" in errors[0] or "space" in errors[0] or "GDAL" in errors[0], errors
    after = {p.relative_to(disk): p.read_bytes() for p in disk.rglob("*")
             if p.is_file() and p.name != ".filler"}
    assert after == before
