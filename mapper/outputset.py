"""Output folders written as a whole: a reader sees the old set or the new one, never a mix.

``mapper map -o DIR`` writes several files that belong together (``map.html``, ``embed.html``,
``incidents.geojson``, ``lib/``). :func:`output_folder` builds the new set in a staging folder
and then:

- when ``DIR`` is absent, empty or wholly mapper's own output, swaps the staging folder in with
  one ``renameat2(RENAME_EXCHANGE)`` (two renames where the kernel lacks it; a kill between them
  is rolled back on the next run);
- when ``DIR`` also holds other files (``mapper map seeds/ -o seeds/``), moves the new files in
  one by one after writing a journal, and the next run completes an interrupted journal.

A manifest (:data:`MANIFEST`, written last) lists the files and their SHA-256, so readers know
them as mapper's output and never read them as input (:func:`own_files`). One writer per folder
at a time (a lock beside it); temporaries of killed runs are removed by the next run.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from mapper import atomic
from mapper.errors import UsageError, WriteError

MANIFEST = ".mapper-output.json"
"""The manifest of an output folder: ``{"generator": "mapper", "files": {name: sha256}}``."""
JOURNAL = ".mapper-commit.json"
LOCK_TIMEOUT = 60.0
_RENAME_EXCHANGE = 2


def own_files(folder: str | os.PathLike[str]) -> set[str]:
    """The names (relative, ``/``-separated) that ``folder``'s manifest lists as mapper output."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"] if data.get("generator") == "mapper" else {}
        return {str(name) for name in files}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class _Lock:
    """An exclusive lock on ``DIR`` (a file beside it holding the writer's pid)."""

    def __init__(self, folder: Path, timeout: float) -> None:
        self.path = folder.with_name(f".{folder.name}.mapper-lock")
        self.folder, self.timeout = folder, timeout
        self.handle: int | None = None

    def __enter__(self) -> _Lock:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise atomic.write_error(exc, self.folder) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                if time.monotonic() > deadline:
                    raise WriteError(f"{self.folder}: another mapper (pid {holder or '?'}) is "
                                     "writing this folder; wait for it to finish, or stop it "
                                     "and run again") from None
                time.sleep(0.05)
                continue
            # the file we locked may have been removed by the previous holder: lock the new one
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            with contextlib.suppress(OSError):  # the pid is for the message; a full disk may fail
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self.handle = fd
            return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            os.close(self.handle)  # closing releases the lock
            self.handle = None


class OutputSet:
    """The staging side of an output folder: write each file with :meth:`write_text`."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.files: dict[str, str] = {}

    def write_text(self, name: str, text: str) -> None:
        """Write ``name`` (relative, ``/``-separated) into the new set, synced to disk."""
        data = text.encode("utf-8")
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        self.files[name] = hashlib.sha256(data).hexdigest()

    def add_file(self, name: str, source: str | os.PathLike[str]) -> None:
        """Move the finished file ``source`` (same file system) into the new set as ``name``.

        For outputs written by another program (tippecanoe's PMTiles archive), too large to
        hold as text.
        """
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())
            handle.seek(0)
            self.files[name] = hashlib.file_digest(handle, "sha256").hexdigest()

    def _write_manifest(self) -> None:
        manifest = {"generator": "mapper", "files": dict(sorted(self.files.items()))}
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        path = self.staging / MANIFEST
        path.write_text(text, encoding="utf-8")
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _entries(folder: Path) -> set[str]:
    """Relative names of the files under ``folder`` (hidden temporaries of ours left out)."""
    out = set()
    for p in folder.rglob("*"):
        rel = p.relative_to(folder).as_posix()
        if p.is_dir() or rel in (MANIFEST, JOURNAL) or atomic._TEMP.match(p.name):
            continue
        out.add(rel)
    return out


def _recover(out: Path) -> None:
    """Finish or roll back what a killed run left around ``out`` (the lock is held)."""
    parent = out.parent
    if not out.exists():  # killed between the two renames of the fallback swap: roll back
        olds = sorted(parent.glob(f".{out.name}.mapper-*.old"))
        if olds:
            os.rename(olds[-1], out)
    journal = out / JOURNAL
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            staging = out / plan["staging"]
            names = list(plan["names"])
        except (OSError, ValueError, KeyError, TypeError):
            names, staging = [], out / "."
        _move_in(staging, out, names)
        with contextlib.suppress(OSError):
            journal.unlink()
    atomic.clean_stale(parent, out.name)
    if out.is_dir():
        atomic.clean_stale(out)
        atomic.clean_stale(out / "lib")


def recover(out_dir: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Finish or roll back what a killed writer left in ``out_dir`` and remove its temporaries
    (each :func:`output_folder` does this first).
    """
    out = Path(out_dir)
    with _Lock(out, lock_timeout):
        try:
            _recover(out)
        except OSError as exc:
            raise atomic.write_error(exc, out) from None


def _move_in(staging: Path, out: Path, names: list[str]) -> None:
    """Rename the staged files into ``out`` (the manifest last), then drop the staging folder."""
    for name in names:
        src = staging / name
        if src.exists():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, out / name)
    atomic.fsync_dir(out)
    if staging != out and staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def output_folder(out_dir: str | os.PathLike[str], *,
                  inputs: Iterable[str | os.PathLike[str]] = (),
                  lock_timeout: float = LOCK_TIMEOUT) -> Iterator[OutputSet]:
    """Yield an :class:`OutputSet` to fill; when the block ends, put it in place as a whole.

    Files of ``out_dir`` that its manifest does not list are never replaced: an input among them
    is refused, any other is refused too (the new set would overwrite a file mapper did not
    write; move it away or choose another folder). Errors are one-line
    :class:`~mapper.errors.WriteError` / :class:`~mapper.errors.UsageError`; on any error the
    folder stays as it was.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out}: is a file, not a folder; give a folder for the map")
    atomic.prepare_parent(out / "map.html")
    given = [Path(p) for p in inputs if str(p) != "-"]
    with _Lock(out, lock_timeout):
        try:
            _recover(out)
            own = own_files(out)
            present = _entries(out) if out.is_dir() else set()
            swap = present <= own
            staging = atomic.temp_name(out) if swap else atomic.temp_name(out / ".mapper-staging")
            staging.mkdir(parents=True)
        except OSError as exc:
            raise atomic.write_error(exc, out) from None
        try:
            result = OutputSet(staging)
            yield result
            names = sorted(result.files)
            for name in names:
                target = out / name
                if any(target.exists() and target.samefile(p) for p in given if p.exists()):
                    raise UsageError(f"{target}: is also an input; write the map to another "
                                     "folder")
                if name not in own and target.exists():
                    raise UsageError(f"{target}: exists and mapper did not write it (it is not "
                                     f"in {out / MANIFEST}); move it away or choose another "
                                     "output folder")
            result._write_manifest()
            atomic.fsync_dir(staging)
            if swap:
                _commit_swap(staging, out)
            else:
                _commit_inplace(staging, out, names, own)
        except OSError as exc:
            raise atomic.write_error(exc, out) from None
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _commit_swap(staging: Path, out: Path) -> None:
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        os.replace(staging, out)  # rename(2) replaces an empty folder atomically
    elif _exchange(staging, out):
        shutil.rmtree(staging)  # now the old set
    else:
        old = atomic.temp_name(out, "old")
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    atomic.fsync_dir(out.parent)


def _commit_inplace(staging: Path, out: Path, names: list[str], own: set[str]) -> None:
    moves = [*names, MANIFEST]
    plan = {"staging": staging.name, "names": moves}
    atomic.write_text(out / JOURNAL, json.dumps(plan, sort_keys=True))
    _move_in(staging, out, moves)
    for name in sorted(own - set(names)):  # files of the previous set this one no longer has
        with contextlib.suppress(OSError):
            (out / name).unlink()
    os.unlink(out / JOURNAL)
    atomic.fsync_dir(out)
