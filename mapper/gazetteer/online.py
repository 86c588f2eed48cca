"""Optional online fallback: OpenStreetMap Nominatim through geopy. Off by default.

Used only when the caller opts in (``mapper geocode --online``, or constructing
:class:`NominatimFallback` / ``OfflineGeocoder(online=...)``). Follows Nominatim's usage policy:
an identifying user agent is required, geopy's ``RateLimiter`` keeps to one request per second,
and answers are cached on disk so a name is asked at most once.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from mapper.atomic import write_text
from mapper.errors import UsageError
from mapper.gazetteer.store import cache_dir

USER_AGENT_ENV = "MAPPER_USER_AGENT"


def default_cache_path() -> Path:
    """Where answers from Nominatim are kept, so a name is asked at most once."""
    return cache_dir() / "nominatim-cache.json"


class NominatimFallback:
    """Nominatim lookups, rate-limited and cached; results in mapper's candidate JSON shape."""

    def __init__(self, user_agent: str | None = None, *,
                 cache_path: str | os.PathLike | None = None,
                 min_delay_seconds: float = 1.0, timeout: float = 10.0) -> None:
        user_agent = user_agent or os.environ.get(USER_AGENT_ENV)
        if not user_agent or not user_agent.strip():
            raise UsageError(
                "--online needs an identifying user agent (Nominatim policy): pass "
                f"--user-agent 'yourapp/1.0 (you@example.org)' or set {USER_AGENT_ENV}")
        self.user_agent = user_agent.strip()
        self.cache_path = Path(cache_path) if cache_path else default_cache_path()
        self.min_delay_seconds = min_delay_seconds
        self.timeout = timeout
        self._lock = threading.Lock()
        self._cache: dict[str, list[dict[str, Any]]] | None = None
        self._geocode = None

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def _client(self):
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            client = Nominatim(user_agent=self.user_agent, timeout=self.timeout)
            self._geocode = RateLimiter(client.geocode, min_delay_seconds=self.min_delay_seconds,
                                        max_retries=1, swallow_exceptions=True)
        return self._geocode

    def geocode(self, name: str, *, limit: int = 5,
                country: list[str] | tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Candidates for ``name`` from Nominatim (cached), scored below offline exact matches."""
        cache_key = json.dumps([name, limit, sorted(country or [])], ensure_ascii=False)
        with self._lock:
            cache = self._load()
            if cache_key in cache:
                return cache[cache_key]
            kwargs: dict[str, Any] = {"exactly_one": False, "limit": limit,
                                      "addressdetails": True, "language": "en"}
            if country:
                kwargs["country_codes"] = [c.lower() for c in country]
            found = self._client()(name, **kwargs) or []
            results = [self._to_candidate(loc, rank) for rank, loc in enumerate(found)]
            cache[cache_key] = results
            write_text(self.cache_path, json.dumps(cache, ensure_ascii=False, sort_keys=True,
                                                   indent=1) + "\n")
            return results

    @staticmethod
    def _to_candidate(loc, rank: int) -> dict[str, Any]:
        raw = loc.raw or {}
        addr = raw.get("address") or {}
        kind = "settlement"
        if raw.get("addresstype") in ("state", "region", "province"):
            kind = "admin1"
        elif raw.get("addresstype") == "country":
            kind = "country"
        return {"id": f"osm:{raw.get('osm_type', 'x')}:{raw.get('osm_id', '')}",
                "name": loc.address.split(",")[0], "kind": kind,
                "lat": round(loc.latitude, 5), "lon": round(loc.longitude, 5),
                "country_code": (addr.get("country_code") or "").upper() or None,
                "admin1": addr.get("state"), "admin1_code": None, "geonameid": None,
                "population": None, "score": round(max(0.05, 0.4 - 0.05 * rank), 3),
                "reason": "online: OpenStreetMap Nominatim (ODbL)", "fuzzy": False}
