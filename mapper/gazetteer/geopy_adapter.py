"""A geopy-compatible geocoder over the offline gazetteer.

``OfflineGeocoder`` has the call shape of geopy's geocoders (``geocode(query, exactly_one=True)``,
``reverse(query, exactly_one=True)``) and returns ``geopy.location.Location`` objects whose
``raw`` is mapper's candidate JSON, so code written for ``Nominatim`` can swap it in (it also
works under geopy's ``RateLimiter``). No network unless an online fallback is passed explicitly.
"""
from __future__ import annotations

from typing import Any

from mapper.gazetteer.access import open_gazetteer
from mapper.gazetteer.store import Candidate, Gazetteer, Place


class OfflineGeocoder:
    """geopy-style geocoder backed by a :class:`~mapper.gazetteer.store.Gazetteer`.

    ``online``: an optional :class:`mapper.gazetteer.online.NominatimFallback` asked only when the
    offline gazetteer has no answer (off by default).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, path: str | None = None,
                 online: Any = None, limit: int = 10) -> None:
        self.gazetteer = gazetteer or open_gazetteer(path)
        self.online = online
        self.limit = limit

    def _address(self, place: Place) -> str:
        parts = [place.name]
        if place.admin1 and place.admin1 != place.name:
            parts.append(place.admin1)
        if place.country_code and place.kind != "country":
            country = self.gazetteer.get(f"adm0:{place.country_code}")
            parts.append(country.name if country else place.country_code)
        return ", ".join(parts)

    def _location(self, cand: Candidate):
        from geopy.location import Location

        return Location(self._address(cand.place), (cand.place.lat, cand.place.lon), cand.to_json())

    def geocode(self, query: str | dict, exactly_one: bool = True, timeout: Any = None, *,
                country_codes: str | list[str] | None = None, limit: int | None = None,
                **kwargs: Any):
        """Location (or list of them with ``exactly_one=False``) for ``query``; None if unknown.

        ``query`` may be a dict like geopy's structured queries ({"city": ..., "country": ...}).
        Extra keywords of :meth:`Gazetteer.search` (near, bbox, within, kinds) pass through.
        """
        name, country_codes = self._structured(query, country_codes)
        search_kw = {k: v for k, v in kwargs.items() if k in ("near", "bbox", "within", "kinds",
                                                               "fuzzy")}
        n = 1 if exactly_one else (limit or self.limit)
        hits = self.gazetteer.search(name, country=country_codes, limit=n, **search_kw)
        locations = [self._location(c) for c in hits]
        if not locations and self.online is not None:
            from geopy.location import Location

            cc = [country_codes] if isinstance(country_codes, str) else country_codes
            for raw in self.online.geocode(name, limit=n, country=cc):
                locations.append(Location(raw["name"], (raw["lat"], raw["lon"]), raw))
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def _structured(self, query: str | dict, country_codes):
        if isinstance(query, dict):
            name = next((query[k] for k in ("city", "town", "village", "county", "state",
                                            "country") if query.get(k)), "")
            if query.get("country") and name != query["country"] and not country_codes:
                hit = self.gazetteer.search(query["country"], kinds=("country",), limit=1)
                country_codes = hit[0].place.country_code if hit else None
            return str(name), country_codes
        return str(query), country_codes

    def reverse(self, query: Any, exactly_one: bool = True, timeout: Any = None, **kwargs: Any):
        """Location of the nearest settlement to ``query`` ("lat, lon", (lat, lon) or a geopy
        Point); ``raw`` holds the full reverse result (admin1, country, zones).
        """
        from geopy.location import Location
        from geopy.point import Point

        point = Point(query)
        res = self.gazetteer.reverse(point.latitude, point.longitude)
        place = res.settlement or res.admin1 or res.country
        if place is None:
            return None
        raw = res.to_json()
        loc = Location(self._address(place), (place.lat, place.lon), raw)
        return loc if exactly_one else [loc]
