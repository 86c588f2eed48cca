"""Crash safety of the gazetteer file: recovering what a killed writer left behind.

New writes never touch the live file (``build`` and ``import`` write a copy and rename it into
place), but a database written by an older mapper, or copied while a writer ran, can carry a *hot
journal*: a ``-journal`` file that only a read-write connection can roll back. A read-only open
would then fail with "attempt to write a readonly database". One read-write open on the way in
restores the previous contents.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from mapper.errors import GazetteerError


def hot_journal(path: Path) -> Path | None:
    """The rollback journal or write-ahead log beside ``path`` if one is present and non-empty."""
    for suffix in ("-journal", "-wal"):
        side = path.with_name(path.name + suffix)
        try:
            if side.stat().st_size > 0:
                return side
        except OSError:
            continue
    return None


def recover_journal(path: Path) -> None:
    """Roll back a hot journal beside the database at ``path`` (nothing to do without one).

    Raises
    ------
    GazetteerError
        When the journal cannot be rolled back (no write permission on the folder or file).
    """
    side = hot_journal(path)
    if side is None:
        return
    try:
        conn = sqlite3.connect(path, timeout=30.0)
        try:
            # The first read takes a shared lock, finds the hot journal and plays it back.
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise GazetteerError(
            f"{path}: an interrupted write left {side.name} and it cannot be rolled back "
            f"({exc}); run the same command once with write access to {path.parent}") from None
