"""A killed gazetteer write never breaks the gazetteer (issue 15, item 3).

Real ``kill -9`` of ``mapper gazetteer import`` and ``mapper gazetteer build`` subprocesses at
several points; afterwards ``mapper geocode Tyotkino`` still answers from the previous database,
and the import either happened whole or not at all. Built on the small fixture gazetteer.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# the committed fixture (not imported from conftest: a second import of it would run it again
# and point HOME at a second session folder)
FIXTURE_SOURCE = Path(__file__).resolve().parent / "data" / "gazetteer-fixture.json.gz"


pytestmark = pytest.mark.slow


def _mapper(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mapper", *args], capture_output=True,
                          text=True, timeout=300, **kw)


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mapper", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _tyotkino(db: Path) -> int:
    r = _mapper("geocode", "Tyotkino", "--json", "--gazetteer", str(db))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)[0]["results"][0]["geonameid"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _village_dump(path: Path, n: int) -> None:
    """``n`` villages in the GeoNames dump layout (our own synthetic rows)."""
    rows = []
    for i in range(n):
        gid = 98_000_000 + i
        name = f"Faultovka {i}"
        cols = [str(gid), name, name, f"Фаултовка {i}", f"{50 + (i % 100) / 100:.4f}",
                f"{35 + (i // 100) / 100:.4f}", "P", "PPL", "RU", "", "41", "", "", "", "50", "",
                "150", "Europe/Moscow", "2024-01-15"]
        rows.append("\t".join(cols))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "gazetteer.sqlite"
    r = _mapper("gazetteer", "build", "--from-sample", str(FIXTURE_SOURCE), "--path", str(path))
    assert r.returncode == 0, r.stderr
    return path


def test_killed_import_leaves_the_previous_database(db: Path, tmp_path: Path) -> None:
    dump = tmp_path / "RU.txt"
    _village_dump(dump, 20_000)
    before = _digest(db)
    killed = 0
    for delay in (0.5, 1.5, 3.0):
        proc = _spawn("gazetteer", "import", str(dump), "--path", str(db))
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        assert _tyotkino(db) == 483166
        if _digest(db) != before:  # the import finished before the kill: it is all there
            conn = sqlite3.connect(db)
            n = conn.execute("SELECT COUNT(*) FROM places WHERE id LIKE 'gn:98%'").fetchone()[0]
            conn.close()
            assert n == 20_000
            break
    assert killed >= 1
    r = _mapper("gazetteer", "import", str(dump), "--path", str(db))  # a rerun completes
    assert r.returncode == 0, r.stderr
    assert _tyotkino(db) == 483166
    leftovers = [p.name for p in db.parent.iterdir() if p.name.startswith(f".{db.name}")]
    assert leftovers == [], leftovers  # temp copies of killed runs are cleaned by the next run


def test_killed_build_leaves_the_previous_database(db: Path) -> None:
    before = _digest(db)
    for delay in (0.5, 1.5):
        proc = _spawn("gazetteer", "build", "--from-sample", str(FIXTURE_SOURCE), "--path",
                      str(db))
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _tyotkino(db) == 483166
    assert _digest(db) == before or _tyotkino(db) == 483166


def test_hot_journal_of_a_killed_writer_is_rolled_back(db: Path) -> None:
    """A writer killed mid-transaction in place (as older mappers imported) leaves a hot
    journal; the next read-only command rolls it back and answers."""
    code = (
        "import os, signal, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA journal_mode=DELETE')\n"
        "conn.execute('BEGIN')\n"
        "conn.execute(\"DELETE FROM names WHERE key = 'tyotkino'\")\n"
        "conn.execute(\"UPDATE places SET name = 'broken' WHERE geonameid = 483166\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    subprocess.run([sys.executable, "-c", code, str(db)], timeout=60)
    journal = db.with_name(db.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    assert _tyotkino(db) == 483166
    r = _mapper("geocode", "Tyotkino", "--json", "--gazetteer", str(db))
    assert json.loads(r.stdout)[0]["results"][0]["name"] != "broken"


def test_build_with_imports_replays_them(db: Path, tmp_path: Path) -> None:
    dump = tmp_path / "RU.txt"
    _village_dump(dump, 50)
    assert _mapper("gazetteer", "import", str(dump), "--path", str(db)).returncode == 0
    r = _mapper("gazetteer", "build", "--from-sample", str(FIXTURE_SOURCE), "--path", str(db),
                "--with-imports")
    assert r.returncode == 0, r.stderr
    g = _mapper("geocode", "Faultovka 7", "--json", "--gazetteer", str(db))
    assert json.loads(g.stdout)[0]["results"][0]["geonameid"] == 98_000_007
    plain = _mapper("gazetteer", "build", "--from-sample", str(FIXTURE_SOURCE), "--path",
                    str(db))
    assert plain.returncode == 0
    g = _mapper("geocode", "Faultovka 7", "--json", "--no-fuzzy", "--gazetteer", str(db))
    assert json.loads(g.stdout)[0]["results"] == []
    dump.write_text(dump.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _mapper("gazetteer", "import", str(dump), "--path", str(db))
    dump.write_text("changed\n", encoding="utf-8")
    r = _mapper("gazetteer", "build", "--from-sample", str(FIXTURE_SOURCE), "--path", str(db),
                "--with-imports")
    assert r.returncode == 1 and "has changed" in r.stderr and "Traceback" not in r.stderr
    assert _tyotkino(db) == 483166
