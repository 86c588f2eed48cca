"""Distances for resolution: the nearest confident place, and the nearness bonus of one sense
per name (``resolve._cohere``), both to the last bit what ``mapper.geo.haversine_km`` gives.
"""
from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from mapper.geo import EARTH_RADIUS_KM, haversine_km


def nearest_within(lat: float, lon: float, anchors: tuple[tuple[float, float], ...],
                   far_km: float) -> float:
    """The distance to the nearest of ``anchors`` (``haversine_km`` to the bit) when it is at
    most ``far_km``, else inf.

    An anchor whose latitude alone puts it farther than ``far_km`` (a great circle is never
    shorter than its north-south part; a kilometre to spare) is not measured: in a text about
    several continents most are not.
    """
    band = (far_km + 1.0) / _KM_PER_DEGREE
    best = math.inf
    for la, lo in anchors:
        if abs(la - lat) > band:
            continue
        km = pair_km(lat, lon, la, lo)
        if km < best:
            best = km
    return best if best <= far_km else math.inf


@lru_cache(maxsize=65536)
def pair_km(lat: float, lon: float, la: float, lo: float) -> float:
    """``haversine_km``, memoised by the pair: the anchors a text gives form a sliding window,
    so one candidate meets the same anchor again and again.
    """
    return haversine_km(lat, lon, la, lo)


def nearness(p: Any, others: tuple[tuple[float, float], ...],
              w: Mapping[str, float]) -> tuple[float, str]:
    """Bonus for a candidate among the text's other places: the share of them within
    ``cohere_km``; a malus when all are farther than ``far_km``.
    """
    if p.kind == "country":
        return 0.0, ""
    dists = [pair_km(p.lat, p.lon, la, lo) for la, lo in others]
    near = sum(1 for d in dists if d <= w["cohere_km"])
    if near:
        share = near / len(dists)
        return w["cohere"] * share, \
            f"; {near} of the text's other places within {w['cohere_km']:.0f} km"
    if min(dists) > w["far_km"]:
        return w["far_others"], ""
    return 0.0, ""


_NEAR_KINDS = ("settlement", "admin2", "admin1")  # the places nearness is measured to
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


class Others:
    """The places the text's names resolved to (``_NEAR_KINDS``), sorted by latitude.

    ``nearness`` of a candidate to all but its own name's place gives what ``nearness`` gives
    with the full list, measuring only to the places in the band of latitudes that can lie
    within ``cohere_km`` or ``far_km`` (a great circle is never shorter than its north-south
    part; the band has a kilometre to spare): linear in the places a text names, not quadratic,
    which a long document's sections need.
    """

    def __init__(self, chosen: dict[str, Any]) -> None:
        self.items: list[tuple[float, str, float]] = []  # (lat, key, lon), sorted
        self.lats: list[float] = []
        self.where: dict[str, float] = {}  # key -> its latitude in ``items``
        self.finite = True  # a place without real coordinates: measure to every place
        self.all: dict[str, Any] = {}
        for key, p in chosen.items():
            self.put(key, p)

    def put(self, key: str, p: Any) -> None:
        """``key`` now resolves to ``p`` (replacing its place if it had one)."""
        self.all.pop(key, None)
        lat = self.where.pop(key, None)
        if lat is not None:
            i = bisect.bisect_left(self.items, (lat, key))
            del self.items[i], self.lats[i]
        if p.kind not in _NEAR_KINDS:
            return
        self.all[key] = p
        if not (math.isfinite(p.lat) and math.isfinite(p.lon)):
            self.finite = False
        i = bisect.bisect_left(self.items, (p.lat, key))
        self.items.insert(i, (p.lat, key, p.lon))
        self.lats.insert(i, p.lat)
        self.where[key] = p.lat

    def count(self, key: str) -> int:
        """How many places there are besides ``key``'s own."""
        return len(self.all) - (key in self.all)

    def nearness(self, p: Any, key: str, w: Mapping[str, float]) -> tuple[float, str]:
        """``nearness(p, places of every name but key, w)``."""
        if not self.finite or not (math.isfinite(p.lat) and math.isfinite(p.lon)):
            return nearness(p, tuple((q.lat, q.lon) for k, q in self.all.items() if k != key),
                             w)
        if p.kind == "country":
            return 0.0, ""
        near_km, far_km = w["cohere_km"], w["far_km"]
        near = sum(1 for d in self._distances(p, key, near_km) if d <= near_km)
        if near:
            share = near / self.count(key)
            return w["cohere"] * share, \
                f"; {near} of the text's other places within {near_km:.0f} km"
        if all(d > far_km for d in self._distances(p, key, far_km)):
            return w["far_others"], ""
        return 0.0, ""

    def _distances(self, p: Any, key: str, km: float) -> Iterator[float]:
        """Distances (``pair_km``) from ``p`` to the places of other names that may lie
        within ``km`` of it.
        """
        band = (km + 1.0) / _KM_PER_DEGREE
        lo = bisect.bisect_left(self.lats, p.lat - band)
        hi = bisect.bisect_right(self.lats, p.lat + band)
        for lat, k, lon in self.items[lo:hi]:
            if k != key:
                yield pair_km(p.lat, p.lon, lat, lon)
