"""Which incident files a path names, and decoding one with the format its suffix names."""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mapper.errors import UsageError
from mapper.incidents.files import FileEntries
from mapper.incidents.formats import format_for_path, incident_suffixes
from mapper.outputset import own_files

PathArg = Iterable[str | os.PathLike[str]] | str | os.PathLike[str]


def incident_files(paths: PathArg) -> list[Path]:
    """Expand paths: a file stays (whatever its suffix); a folder gives its incident files, sorted.

    Articles (.txt, .md, .html) and hidden files in folders are skipped (extraction reads those).
    A missing path raises :class:`UsageError`.
    """
    return [p for p, _ in expand_paths(paths)]


def expand_paths(paths: PathArg) -> list[tuple[Path, bool]]:
    """Like :func:`incident_files`, with whether each file was found in a folder (a folder may
    hold YAML that is not incidents, such as article metadata: such files are skipped).
    """
    suffixes = incident_suffixes()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[tuple[Path, bool]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            own = own_files(p)  # a mapper output folder's own files are never inputs
            out.extend((c, True) for c in sorted(p.iterdir()) if c.is_file()
                       and not c.name.startswith(".") and c.suffix.lower() in suffixes
                       and c.name not in own)
        elif p.exists():
            out.append((p, False))
        else:
            raise UsageError(f"{p}: no such file or folder")
    return out


def load_entries(path: str | os.PathLike[str], *, in_folder: bool = False) -> FileEntries | None:
    """Decode one incident file into raw entries with the reader its suffix names.

    Syntax errors raise :class:`DataError`. With ``in_folder=True`` a file that is valid but
    holds no incidents (a mapping without ``incidents:``, such as article metadata) gives
    ``None`` instead of an error.
    """
    p = Path(path)
    return format_for_path(p).read(p, in_folder=in_folder)
