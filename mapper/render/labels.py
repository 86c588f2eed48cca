"""Place labels for the offline basemap: settlements, admin1 areas and countries near the data.

The page places them on a canvas with collision tests at every zoom (``labels.js``); this module
only chooses which places may be shown and with what priority, from public gazetteer methods:
``settlements_in`` (one R-tree query), ``get`` for area label points and ``local_names`` for
settlements' names in the local script ("Рыльск"; Russia, Ukraine, Belarus). Labels are kept
compact (``[name, lon, lat, rank, kind]`` rows, ``local`` appended where there is one) so an
``--inline`` page grows by tens of kilobytes.
"""
from __future__ import annotations

import math
from typing import Any

# label kinds, in the order the page draws and prioritises them
COUNTRY, ADMIN1, SETTLEMENT = 0, 1, 2

WIDE_MARGIN = 4.0        # degrees around the data: the larger towns for context
WIDE_LIMIT = 400         # the most populous settlements in that box
NEAR_MARGIN = 0.4        # degrees around the data: villages close to the incidents
NEAR_LIMIT = 900
NEAR_MIN_POPULATION = 300


def _box(bounds: list[float], margin: float) -> tuple[float, float, float, float]:
    w, s, e, n = bounds
    return (max(-180.0, w - margin), max(-85.0, s - margin), min(180.0, e + margin),
            min(85.0, n + margin))


def _area_km2(bbox: tuple[float, float, float, float] | None, lat: float) -> int:
    """Rough area of a bounding box in km² (the page labels a region only where it is large
    enough on screen for its name).
    """
    if not bbox:
        return 0
    w, s, e, n = bbox
    return int((e - w) * (n - s) * 111.32 ** 2 * max(0.05, math.cos(math.radians(lat))))


def _r(value: float) -> float:
    return round(float(value), 3)


def place_labels(gazetteer: Any, bounds: list[float] | None, admin1_ids: list[str],
                 country_ids: list[str]) -> list[list[Any]]:
    """Label rows ``[name, lon, lat, rank, kind]`` (plus ``local``, the name in the local script,
    where the gazetteer has one) for the basemap, most important first.

    ``rank`` orders labels within a kind: a settlement's population, a region's rough area in
    km², a country's population. ``admin1_ids`` and ``country_ids`` are the areas the
    basemap outlines near the data. Deterministic: sorted by kind, rank (descending), name, id.

    Parameters
    ----------
    gazetteer
        An open gazetteer (``settlements_in`` and ``get`` are used).
    bounds
        The data's (west, south, east, north); None gives no labels.
    admin1_ids, country_ids
        Area ids to label at their gazetteer label point.
    """
    if gazetteer is None or not bounds:
        return []
    rows: dict[str, tuple[int, int, str, float, float]] = {}
    for pid in country_ids:
        place = gazetteer.get(pid)
        if place is not None and place.name:
            rows[pid] = (COUNTRY, place.population or 0, place.name, place.lon, place.lat)
    for pid in admin1_ids:
        place = gazetteer.get(pid)
        if place is not None and place.name:
            rows[pid] = (ADMIN1, _area_km2(place.bbox, place.lat), place.name, place.lon, place.lat)
    wide = gazetteer.settlements_in(_box(bounds, WIDE_MARGIN), min_population=1, limit=WIDE_LIMIT)
    near = gazetteer.settlements_in(_box(bounds, NEAR_MARGIN), min_population=NEAR_MIN_POPULATION,
                                    limit=NEAR_LIMIT)
    for place in [*wide, *near]:
        if place.name and place.id not in rows:
            rows[place.id] = (SETTLEMENT, place.population or 0, place.name, place.lon, place.lat)
    ordered = sorted(rows.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[1][2], kv[0]))
    reader = getattr(gazetteer, "local_names", None)  # optional: other gazetteers have none
    local = reader([pid for pid, row in ordered if row[0] == SETTLEMENT]) if reader else {}
    out: list[list[Any]] = []
    for pid, (kind, rank, name, lon, lat) in ordered:
        row: list[Any] = [name, _r(lon), _r(lat), rank, kind]
        if local.get(pid) and local[pid] != name:
            row.append(local[pid])
        out.append(row)
    return out
