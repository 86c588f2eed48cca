"""The gazetteer as the rest of mapper sees it: a :class:`typing.Protocol`.

Extraction, incident resolution and the renderer type against :class:`Gazetteer`, not against
the SQLite store, so a test double or another backend (an online service, a fixture) fits as long
as it offers these methods. :class:`mapper.gazetteer.store.Gazetteer` implements it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from mapper.gazetteer.model import Candidate, Place, ReverseResult

BBox = tuple[float, float, float, float]
"""(west, south, east, north) in degrees."""


@runtime_checkable
class Gazetteer(Protocol):
    """Places by name, by id and by point; what the rest of mapper may call.

    Attributes
    ----------
    path
        Where the data lives (caches beside it are keyed on it).
    """

    path: Path

    def search(self, name: str, *, country: str | Iterable[str] | None = None,
               near: tuple[float, float] | None = None, bbox: BBox | None = None,
               within: str | None = None, kinds: str | Iterable[str] | None = None,
               limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        """Ranked candidates for ``name``, best first, each with its structured ``match``."""
        ...

    def get(self, place_id: str) -> Place | None:
        """The place with this id ("gn:483166", "adm1:RU-KRS", "adm0:UA", "zone:..."), or None."""
        ...

    def geometry(self, place_id: str) -> Any:
        """Shapely geometry of a place (an area's polygon, a settlement's point), or None."""
        ...

    def contains(self, area_id: str, lat: float, lon: float) -> bool:
        """Whether the point lies in the area."""
        ...

    def reverse(self, lat: float, lon: float) -> ReverseResult:
        """Nearest settlement, the admin1 and country containing the point, and its zones."""
        ...

    def names(self, place_id: str) -> list[tuple[str, str]]:
        """``(normalised key, name type)`` of every name of a place."""
        ...

    def iter_names(self, *, detail: bool = False) -> Iterator[tuple[Any, ...]]:
        """Every ``(key, place id)`` sorted by key; with ``detail`` also name type, kind and
        population.
        """
        ...

    def ids(self, prefix: str = "") -> list[str]:
        """Every place id starting with ``prefix``, sorted."""
        ...

    def bboxes(self, prefix: str = "") -> list[tuple[str, BBox | None]]:
        """``(id, bbox)`` of every place whose id starts with ``prefix``, sorted by id."""
        ...

    def settlements_in(self, bbox: BBox, *, min_population: int = 0,
                       limit: int | None = None) -> list[Place]:
        """Settlements inside ``bbox``, most populous first (map labels)."""
        ...

    def abbreviations(self) -> dict[str, tuple[str, ...]]:
        """Postal abbreviations of first-level areas ("TX" -> ("adm1:US-TX",))."""
        ...

    def search_forms(self, place_id: str) -> list[str]:
        """Normalised case forms and spellings a map's search finds the place by."""
        ...

    def demonym(self, word: str) -> str | None:
        """The country code a demonym names ("Russian" -> "RU"), else None."""
        ...
