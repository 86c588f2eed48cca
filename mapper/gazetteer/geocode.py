"""Conveniences over the default gazetteer: ``geocode(name)`` and ``reverse(lat, lon)``.

The default :class:`~mapper.gazetteer.store.Gazetteer` is opened once per process (built on first
use)
and reused, so calling these in a loop costs only the lookup.
"""
from __future__ import annotations

import threading
from typing import Any

from mapper.gazetteer.access import open_gazetteer
from mapper.gazetteer.store import Candidate, Gazetteer, ReverseResult, default_path

_lock = threading.Lock()
_default: dict[str, Gazetteer] = {}


def default_gazetteer(*, build: bool = True) -> Gazetteer:
    """The process-wide gazetteer at :func:`mapper.gazetteer.store.default_path` (reopened if the
    path changes, e.g. when MAPPER_GAZETTEER is set later).
    """
    path = str(default_path())
    with _lock:
        gaz = _default.get(path)
        if gaz is None:
            gaz = open_gazetteer(path, build=build)
            _default.clear()
            _default[path] = gaz
        return gaz


def geocode(name: str, **kw: Any) -> list[Candidate]:
    """Ranked candidates for ``name`` (keywords as :meth:`Gazetteer.search`).

    >>> geocode("Tyotkino")[0].place.geonameid  # doctest: +SKIP
    483166
    """
    return default_gazetteer().search(name, **kw)


def geocode_one(name: str, **kw: Any) -> Candidate | None:
    """The best candidate, or None."""
    kw["limit"] = 1
    hits = geocode(name, **kw)
    return hits[0] if hits else None


def reverse(lat: float, lon: float) -> ReverseResult:
    """Nearest settlement, admin1, country and zones at a point."""
    return default_gazetteer().reverse(lat, lon)
