"""Explicit coordinates against the gazetteer: the named area, swapped lat/lon, distance."""
from __future__ import annotations

from typing import Any

from mapper.incidents.checks import RecordChecker
from mapper.incidents.model import Incident, Location
from mapper.incidents.resolve import safe_search

FAR_FROM_SETTLEMENT_KM = 50.0
SWAP_MATCH_KM = 15.0


#: entries cached per name at most (then the cache starts again)
CACHE_LIMIT = 65_536


class GeoChecker:
    """Explicit coordinates against the gazetteer: named area, swapped lat/lon, distance."""

    def __init__(self, resolver: Any) -> None:
        from mapper.geo import haversine_km

        self.resolver = resolver
        self._haversine_km = haversine_km  # imported once here, not once per incident
        self._geoms: dict[str, Any] = {}
        self._areas: dict[tuple, Any] = {}

    def _inside(self, place_id: str, lat: float, lon: float) -> bool | None:
        if place_id not in self._geoms:
            self._geoms[place_id] = self.resolver.gazetteer.geometry(place_id)
        geom = self._geoms[place_id]
        if geom is None or geom.geom_type == "Point":
            return None
        import shapely

        return bool(shapely.intersects_xy(geom, lon, lat))

    def _named_area(self, loc: Location) -> Any:
        """The admin1/country/zone the place names (place_id, ", Oblast" part, admin1 hint);
        cached per place, as files repeat a few hundred places across 100,000 rows.
        """
        key = ("area", loc.place_id, loc.name, loc.admin1, loc.country_code)
        if key not in self._areas:
            self._areas[key] = self._find_named_area(loc)
        return self._areas[key]

    def _find_named_area(self, loc: Location) -> Any:
        if loc.place_id and not loc.place_id.startswith("gn:"):
            return self.resolver.place(loc.place_id)
        parts = [p.strip() for p in loc.name.split(",")[1:] if p.strip()]
        if loc.admin1:
            parts.append(loc.admin1)
        for part in parts:
            key = (part, loc.country_code)
            if key not in self._areas:
                cands = safe_search(self.resolver.gazetteer, part,
                                    kinds=("admin1", "country"), country=loc.country_code,
                                    limit=1, fuzzy=False)
                self._areas[key] = cands[0].place if cands else None
            if self._areas[key] is not None:
                return self._areas[key]
        if loc.country_code:
            return self.resolver.place(f"adm0:{loc.country_code.upper()}")
        return None

    def _settlement_named(self, loc: Location) -> Any:
        """The settlement the place's name resolves to without doubt (cached by name)."""
        key = ("settlement", loc.name, loc.country_code, loc.admin1)
        if key not in self._areas:
            if len(self._areas) >= CACHE_LIMIT:  # a million distinct names: memory stays bounded
                self._areas.clear()
            probe = Location(name=loc.name, country_code=loc.country_code, admin1=loc.admin1)
            outcome = self.resolver.resolve(probe)
            named = None
            if outcome.location.resolved and outcome.location.kind == "settlement" \
                    and outcome.severity is None:
                named = self.resolver.place(outcome.location.place_id)
            self._areas[key] = named
        return self._areas[key]

    def check(self, inc: Incident, checker: RecordChecker) -> None:
        """Check the explicit coordinates of ``inc`` against the places it names."""
        loc = inc.place
        lat, lon = loc.lat, loc.lon
        if lat is None or lon is None:
            return
        area = self._named_area(loc)
        if area is not None:
            inside = self._inside(area.id, lat, lon)
            if inside is False:
                swapped = abs(lon) <= 90 and self._inside(area.id, lon, lat)
                if swapped:
                    checker.err("place.lat", f"lat/lon look swapped: ({lat:g}, {lon:g}) is "
                                f"outside {area.name} but ({lon:g}, {lat:g}) is inside; swap them")
                else:
                    checker.warn("place", f"the point ({lat:g}, {lon:g}) is outside "
                                 f"{area.name} ({area.id}), which the place names")
            return
        if loc.place_id and loc.place_id.startswith("gn:"):
            named = self.resolver.place(loc.place_id)
        else:
            named = self._settlement_named(loc)
        if named is None or named.kind != "settlement":
            return
        haversine_km = self._haversine_km
        dist = haversine_km(lat, lon, named.lat, named.lon)
        if dist <= FAR_FROM_SETTLEMENT_KM:
            return
        if abs(lon) <= 90 and haversine_km(lon, lat, named.lat, named.lon) <= SWAP_MATCH_KM:
            checker.err("place.lat", f"lat/lon look swapped: ({lat:g}, {lon:g}) is {dist:,.0f} "
                        f"km from {named.name} but ({lon:g}, {lat:g}) is at it; swap them")
        else:
            checker.warn("place", f"the point is {dist:,.0f} km from {named.name} "
                         f"({named.id}); check the coordinates or the name")


