"""Resolve incident places through the gazetteer.

Rules, in order:

1. explicit coordinates in the file win: they are kept, ``geo_precision`` defaults to "exact";
   a ``place_id`` beside them only fills kind, country and admin1 (no name search at all, so
   100,000 rows with coordinates cost no gazetteer query);
2. a ``place_id`` without coordinates takes the gazetteer entry's point (an area's label point);
   an id the gazetteer lacks is a warning and the name is searched instead;
3. otherwise the name is searched. Context narrows it: parts after commas name the admin1 or
   country it lies in ("Tyotkino, Kursk Oblast" searches Tyotkino within adm1:RU-KRS), and the
   place's own ``country_code`` / ``admin1`` fields act as hints;
4. nothing found: the place is kept unresolved (lat/lon None) and a warning says so.

Results are cached by (name, hints), so a file naming one village 5,000 times costs one search.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from mapper.errors import UsageError
from mapper.gazetteer.features import feature_class, has_point
from mapper.incidents.model import Location

KIND_PRECISION: dict[str, str] = {
    "settlement": "settlement", "admin1": "admin1", "admin2": "admin2", "zone": "zone",
    "country": "country", "feature": "feature",
}
"""Gazetteer kind -> incident geo_precision."""


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one place: the resolved location and, if any, a message to report."""

    location: Location
    severity: str | None = None   # "warning" | "error" | None
    message: str | None = None
    field: str = "place"          # the field the message is about


#: names cached at most (then the cache starts again)
NAME_CACHE_LIMIT = 65_536


class Resolver:
    """Resolves :class:`Location` objects; opens the default gazetteer only when a name needs it."""

    def __init__(self, gazetteer: Any = None) -> None:
        self._gazetteer = gazetteer
        self._by_name: dict[tuple, Outcome] = {}
        self._by_id: dict[str, Any] = {}

    @property
    def gazetteer(self) -> Any:
        """The gazetteer, opened on first use."""
        if self._gazetteer is None:
            from mapper.gazetteer.access import open_gazetteer

            self._gazetteer = open_gazetteer()
        return self._gazetteer

    def place(self, place_id: str) -> Any:
        """The gazetteer Place for an id (cached), or None."""
        if place_id not in self._by_id:
            self._by_id[place_id] = self.gazetteer.get(place_id)
        return self._by_id[place_id]

    def resolve(self, loc: Location) -> Outcome:
        """Resolve ``loc``: explicit coordinates win, then place_id, then the name."""
        if loc.lat is not None and loc.lon is not None:
            out = _with(loc, geo_precision=loc.geo_precision or "exact",
                                      resolution=loc.resolution or "explicit coordinates")
            if loc.place_id and not (loc.kind and loc.country_code):
                place = self.place(loc.place_id)
                if place is None:
                    return Outcome(out, "warning", _unknown_id(loc.place_id), "place.place_id")
                out = _with(out, kind=out.kind or place.kind,
                                          country_code=out.country_code or place.country_code,
                                          admin1=out.admin1 or _admin1_of(place))
            return Outcome(out)
        if loc.place_id:
            place = self.place(loc.place_id)
            if place is not None and not has_point(place):
                return Outcome(_unresolved(_with(loc, kind=place.kind)), "warning",
                               _no_point(loc, place), "place.place_id")
            if place is not None:
                return Outcome(_from_place(loc, place, loc.resolution or f"place_id {place.id}"))
            # an id this gazetteer build lacks (older build, typo): fall back to the name, and
            # say so; the place is kept either way
            by_name = self.resolve(_with(loc, place_id=None, kind=None,
                                                       resolution=None))
            how = (f"resolved by name to {by_name.location.place_id} instead"
                   if by_name.location.resolved else "kept without a point")
            return Outcome(by_name.location, "warning", f"{_unknown_id(loc.place_id)} ({how})",
                           "place.place_id")
        key = (loc.name, loc.country_code, loc.admin1)
        if key not in self._by_name:
            if len(self._by_name) >= NAME_CACHE_LIMIT:  # a stream of millions of distinct
                self._by_name.clear()                  # names: memory stays bounded
            self._by_name[key] = self._search(loc)
        hit = self._by_name[key]
        # keep the record's own name and hints; take the resolution from the cached answer
        out = _with(hit.location, name=loc.name,
                                  geo_precision=loc.geo_precision or hit.location.geo_precision)
        return Outcome(out, hit.severity, hit.message, hit.field)

    # -- name search ------------------------------------------------------------------------
    def _search(self, loc: Location) -> Outcome:
        gaz = self.gazetteer
        parts = [p.strip() for p in loc.name.split(",") if p.strip()]
        head, context = (parts[0], parts[1:]) if parts else (loc.name, [])
        country = loc.country_code.upper() if loc.country_code else None
        within, within_name = None, None
        for part in list(reversed(context)) + ([loc.admin1] if loc.admin1 else []):
            area = _best(safe_search(gaz, part, kinds=("admin1", "country"),
                                     country=country, limit=3, fuzzy=False))
            if area is None:
                continue
            if area.place.kind == "country":
                country = area.place.country_code
            else:
                within, within_name = area.place.id, area.place.name
                country = country or area.place.country_code
        tried = [(head, within), (head, None)] if within else [(head, None)]
        if context:
            tried.append((loc.name, None))
        for name, area_id in tried:
            try:
                cands = gaz.search(name, country=country, within=area_id, limit=5)
            except UsageError as exc:  # the gazetteer refuses an odd name: report, keep going
                return Outcome(_unresolved(loc), "warning", f"cannot search {loc.name!r}: {exc}")
            best = _best(cands)
            if best is None:
                continue
            if not has_point(best.place):
                return Outcome(_unresolved(loc), "warning", _no_point(loc, best.place))
            reason = f"gazetteer: {best.reason}"
            if area_id:
                reason += f"; within {within_name}"
            elif within:
                reason += f"; not found within {within_name}, best match elsewhere"
            out = _from_place(loc, best.place, reason)
            if best.fuzzy:
                return Outcome(out, "warning", f"{loc.name!r} matched only approximately "
                               f"({best.place.name}, {best.place.id}); check it or set place_id")
            if within and not area_id:
                return Outcome(out, "warning", f"{head!r} is not in the gazetteer within "
                               f"{within_name}; placed at {best.place.name} ({best.place.id})")
            return Outcome(out)
        return Outcome(_unresolved(loc), "warning",
                       f"could not resolve {loc.name!r} in the gazetteer; kept without a point "
                       f"(add lat/lon or a place_id from `mapper geocode NAME`)")


def safe_search(gazetteer: Any, name: str, **options: Any) -> list:
    """``gazetteer.search`` that answers [] for a query it refuses (an empty or odd name)."""
    try:
        return gazetteer.search(name, **options)
    except UsageError:  # refused (an empty name); a damaged gazetteer is not hidden
        return []


def _best(cands: list) -> Any:
    return cands[0] if cands else None


def _with(loc: Location, **changes: Any) -> Location:
    """A copy of ``loc`` with ``changes`` (dataclasses.replace, minus its per-call field scan:
    this runs once per incident).
    """
    return Location(**{**loc.__dict__, **changes})


def _admin1_of(place: Any) -> str | None:
    return place.name if place.kind == "admin1" else place.admin1


def _from_place(loc: Location, place: Any, reason: str) -> Location:
    return _with(
        loc, place_id=place.id, kind=place.kind, lat=place.lat, lon=place.lon,
        geo_precision=loc.geo_precision or KIND_PRECISION.get(place.kind, "zone"),
        country_code=place.country_code, admin1=_admin1_of(place), resolution=reason)


def _no_point(loc: Location, place: Any) -> str:
    """Why a river (a line) gives an incident no point."""
    return (f"{loc.name!r} is a {feature_class(place)} ({place.id}): a line, no point stands "
            "for it; kept without a point (add lat/lon, or name the place on it)")


def _unresolved(loc: Location) -> Location:
    return _with(loc, lat=None, lon=None)


def _unknown_id(place_id: str) -> str:
    return (f"place_id {place_id!r} is not in this gazetteer; find the right id with "
            f"`mapper geocode NAME --json`, or rebuild the gazetteer")

