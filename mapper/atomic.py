"""Atomic, checked writes: a reader never sees a half-written output, a failure leaves nothing
behind, and the previous file stays as it was.

Every write goes to a temporary name beside its target (``.NAME.mapper-PID-XXXX.tmp...``), is
flushed, synced and its size checked, and only then renamed over the target. Any ``OSError``
(a full disk, a read-only folder, a path below a regular file) becomes a one-line
:class:`~mapper.errors.WriteError`. Temporary names carry the writer's process id, so the next
run removes what a killed run left (:func:`clean_stale`). Whole output folders (``mapper map``)
go through :mod:`mapper.outputset`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from mapper.errors import UsageError, WriteError

_ADVICE = {
    errno.ENOSPC: "no space left on the device; free some space and run again",
    errno.EDQUOT: "disk quota exceeded; free some space and run again",
    errno.EFBIG: "file too large for this file system",
    errno.EROFS: "the file system is read-only; write somewhere else",
    errno.EACCES: "permission denied; write to a folder you own",
    errno.EPERM: "permission denied; write to a folder you own",
    errno.ENOTDIR: "a part of the path is a file, not a folder; choose another output path",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENAMETOOLONG: "the name is too long; use a shorter one",
    errno.EIO: "input/output error from the device; check the disk",
}

_TEMP = re.compile(r"^\.(?P<name>.+)\.mapper-(?P<pid>\d+)-[0-9a-f]{8}\.(?:tmp|old)")


def write_error(exc: OSError, path: str | os.PathLike[str], *, kept: bool = True) -> WriteError:
    """A one-line :class:`WriteError` for ``exc`` met while writing ``path``."""
    advice = _ADVICE.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    tail = f"; the previous {Path(path).name} is unchanged" if kept and Path(path).exists() else ""
    return WriteError(f"{path}: cannot write: {advice}{tail}")


def temp_name(target: Path, kind: str = "tmp") -> Path:
    """A fresh hidden name beside ``target`` that :func:`clean_stale` recognises."""
    return target.with_name(f".{target.name}.mapper-{os.getpid()}-{secrets.token_hex(4)}."
                            f"{kind}{target.suffix}")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temporary files and folders that killed runs left in ``folder``.

    Only names of our own pattern whose writer process is gone; ``name`` limits it to the
    temporaries of one target. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if not m or (name is not None and m["name"] != name) or pid_alive(int(m["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def prepare_parent(target: Path) -> None:
    """Make ``target``'s folder, or say in one line why it cannot be (a file in the way...)."""
    if target.is_dir():
        raise WriteError(f"{target}: is a folder; give a file name (such as "
                         f"{target / ('out' + (target.suffix or '.yaml'))})")
    parent = target.parent
    for up in (parent, *parent.parents):
        if up.exists():
            if not up.is_dir():
                raise WriteError(f"{target}: cannot write: {up} is a file, not a folder; "
                                 "choose another output path")
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, target) from None


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sync_file(path: Path) -> int:
    """Fsync a finished file; return its size."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *,
                verify: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, sync it, check it and rename
    it over ``path``.

    For writers that want a file name (GDAL drivers). ``verify(tmp)`` may read the finished
    file back and raise (GDAL ignores some write errors, such as a full disk for KML). On any
    exception the temporary file is removed and ``path`` is left as it was; an ``OSError``
    becomes a one-line :class:`WriteError`.
    """
    target = Path(path)
    prepare_parent(target)
    clean_stale(target.parent, target.name)
    tmp_path = temp_name(target)
    try:
        try:
            yield tmp_path  # the writer creates it (GDAL refuses to overwrite some formats)
            if not tmp_path.exists():
                raise WriteError(f"{target}: the writer produced no file")
            _sync_file(tmp_path)
            if verify is not None:
                verify(tmp_path)
            os.replace(tmp_path, target)
        except OSError as exc:
            raise write_error(exc, target) from None
        fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = "\n") -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on success flush, sync, check its
    size and rename it into place. Errors as in :func:`atomic_path`.
    """
    if "b" in mode:
        encoding = newline = None
    with atomic_path(path) as tmp:
        try:
            handle = open(tmp, mode, encoding=encoding, newline=newline)
        except OSError as exc:
            raise write_error(exc, path) from None
        with handle:
            yield handle
            handle.flush()
            written = os.lseek(handle.fileno(), 0, os.SEEK_CUR)
            os.fsync(handle.fileno())
        size = tmp.stat().st_size
        if size != written:
            raise WriteError(f"{path}: cannot write: {size} of {written} bytes reached the disk; "
                             "the previous file is unchanged")


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, LF line ends) atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check_output(path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = (),
                 overwrite: bool = False) -> None:
    """Refuse to write over an input, or over an existing file without ``overwrite``.

    The habit of rio, fio and ogr2ogr: an existing output is replaced only when asked.
    Raises :class:`UsageError` (exit status 2) with the fix in the message.
    """
    target = Path(path)
    for item in inputs:
        if str(item) != "-" and _same(target, Path(item)):
            raise UsageError(f"{target}: is also an input; write the output to another file")
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name for the output")
    if target.exists() and not overwrite:
        raise UsageError(f"{target}: exists; give --overwrite to replace it")
