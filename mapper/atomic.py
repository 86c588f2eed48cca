"""Atomic file writes: a reader never sees a half-written output, a failure leaves nothing behind."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    For writers that want a file name (GDAL drivers). On any exception the temporary file is
    removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix,
                               dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL drivers refuse to overwrite some formats; let the writer create it
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = "\n") -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; rename it into place on success."""
    if "b" in mode:
        encoding = newline = None
    with atomic_path(path) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:
            yield handle


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, LF line ends) atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)
