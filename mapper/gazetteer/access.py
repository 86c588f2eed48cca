"""Opening the gazetteer for a command: the database at the default (or given) path, built first
when it is missing.

The store only reads (:meth:`mapper.gazetteer.store.Gazetteer.open` never builds), so the reader
does not depend on the builder; commands and the Python API open through here.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mapper.gazetteer.build import Progress, build_if_missing
from mapper.gazetteer.store import Gazetteer, default_path

log = logging.getLogger("mapper")


def open_gazetteer(path: str | os.PathLike[str] | None = None, *, build: bool = True,
                   progress: Progress | None = None) -> Gazetteer:
    """Open the gazetteer at ``path`` (default :func:`~mapper.gazetteer.store.default_path`).

    With ``build=True`` a missing database is built first (about 40 s, once; a lock keeps
    concurrent commands from building twice). Errors as :meth:`Gazetteer.open`.
    """
    target = Path(path).expanduser() if path is not None else default_path()
    if build and not target.exists():
        build_if_missing(target, progress=progress)
    log.debug("gazetteer: %s", target)  # which database answered, for a bug report (-v)
    return Gazetteer.open(target)
