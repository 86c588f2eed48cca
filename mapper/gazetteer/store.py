"""The offline gazetteer: a SQLite database of places and their names, and the geocoder over it.

Read side only; ``mapper.gazetteer.build`` writes the database. Lookups go through one indexed
``names`` table (normalised key -> place) and small per-instance caches, so a warm lookup costs a
few microseconds and a cold ``mapper geocode`` never loads shapely, numpy or the full name list.
A first (uncached) search costs mostly SQLite round trips, so the keys one query needs (spelling
variants, the stems of an admin form, the keys a fuzzy match found) go in one statement each, and
a place row becomes a :class:`Place` only when it is returned.

Ranking, in short: every place has a build-time prior (population on a log scale, capital or
admin-seat flags, kind); the query adds how the name matched (display name, alias, alternate
name, the bare stem of an area name, an explicit admin form such as "X Oblast"), then filters
and a distance bias. Fuzzy matches (rapidfuzz) are tried only when nothing matched exactly and are
capped below the lowest exact score.
"""
from __future__ import annotations

import heapq
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mapper.errors import GazetteerError, UsageError
from mapper.gazetteer.normalize import normalize
from mapper.geo import haversine_km

SCHEMA_VERSION = 5

# Name types (lower is stronger). The builder writes them; ranking reads them.
NAME, ALIAS, STEM, ALT, FORM = 0, 1, 2, 3, 4
NAME_TYPE_LABELS = {NAME: "name", ALIAS: "alias", STEM: "area name without its type",
                    ALT: "alternate name", FORM: "inflected form"}
KINDS = ("settlement", "admin1", "admin2", "country", "zone")
AREA_KINDS = ("admin1", "admin2", "country", "zone")
FLAG_CAPITAL, FLAG_ADMIN_SEAT = 1, 2

# Words that name the type of an administrative area, after normalisation. A query carrying one
# ("Kursk Oblast", "State of Texas", "Курская область") asks for an area, not a town.
ADMIN1_TERMS = (
    "oblast", "oblasti", "oblasts", "region", "regions", "province", "provincia", "provinsi",
    "governorate", "state", "krai", "kray", "territory", "republic", "respublika", "okrug",
    "autonomous okrug", "avtonomnyy okrug", "autonomous oblast", "prefecture", "voivodeship",
    "canton", "wilaya", "muhafazah", "emirate", "departement", "department", "land", "estado",
    "regiao", "county", "shengi", "sheng", "divisional", "division",
)
ADMIN2_TERMS = ("district", "raion", "rayon", "rajon", "municipality", "municipal district",
                "hromada", "okrug municipal", "urban okrug", "gorodskoy okrug", "municipal okrug")
_TERMS = sorted(set(ADMIN1_TERMS) | set(ADMIN2_TERMS), key=len, reverse=True)
_SUFFIX_RE = re.compile(r"^(?P<stem>.+?) (?P<term>" + "|".join(map(re.escape, _TERMS)) + r")$")
_PREFIX_RE = re.compile(r"^(?P<term>" + "|".join(map(re.escape, _TERMS)) + r") (?:of )?(?P<stem>.+)$")
# Regional nicknames built with -shchina / -chyna ("Belgorodshchina", "Sumshchyna").
_REGION_NICK_RE = re.compile(r"^(?P<stem>[a-z]{3,}?)(?:shchina|shchyna|schina|chyna|china)$")
_NICK_STEM_ENDINGS = ("", "sk", "y", "a", "ia", "iv", "ov")
# Adjectival area stems ("kurskaya", "sumska") and their other spellings.
_ADJ_ENDINGS = ("skaya", "skiy", "skii", "skij", "skyi", "ska", "sky", "ckaya", "cka")

# Phrases that point at a border zone ("border areas of Belgorod Oblast", "the border zone").
_ZONE_WORDS = ("area", "areas", "zone", "zones", "region", "regions", "village", "villages",
               "district", "districts", "settlement", "settlements", "territory", "territories",
               "town", "towns", "community", "communities", "strip", "belt", "land", "lands")
_ZW = "|".join(_ZONE_WORDS)
_ZONE_PATTERNS = (
    re.compile(rf"^(?:the )?(?:border|frontier|borderland|near border)s? (?:{_ZW})"
               rf"(?: of| in| along)?(?: the)?(?: (?P<target>.+))?$"),
    re.compile(rf"^(?:the )?(?P<target>.+?) (?:border|frontier|borderland)s? (?:{_ZW})$"),
    re.compile(r"^(?:the )?(?P<target>.+?) (?:border|frontier)$"),
    re.compile(r"^(?:the )?(?:border|frontier|borderland)s?(?: with| of)? (?P<target>.+)$"),
    re.compile(r"^(?:the )?(?:border|frontier|borderland)s?$"),
)
_LEADING_ARTICLE = re.compile(r"^(?:the) ")
# Arabic article variants: "El Fasher" / "Al Fashir", "Khan Younis" has none.
_ARTICLES = ("al ", "el ", "ad ", "ar ", "as ", "at ", "az ", "ash ", "an ", "ad ", "ed ", "es ")

FUZZY_CAP = 0.4          # a fuzzy score never reaches the lowest exact score (0.46)
FUZZY_MIN_RATIO = 75.0   # similarity (percent) below this is no match
FUZZY_MIN_LEN = 4
ALT_PENALTY = 0.04       # an alternate name counts a little less than the place's own name


def cache_dir() -> Path:
    """Mapper's cache folder: ``$MAPPER_CACHE``, else ``$XDG_CACHE_HOME/mapper``, else
    ``~/.cache/mapper``. It holds only files mapper can rebuild; deleting it is always safe.
    """
    env = os.environ.get("MAPPER_CACHE")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "mapper"


def default_path() -> Path:
    """$MAPPER_GAZETTEER, else ``<cache_dir()>/gazetteer-<schema version>.sqlite``."""
    env = os.environ.get("MAPPER_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return cache_dir() / f"gazetteer-{SCHEMA_VERSION}.sqlite"


def rebuild_hint(path: str | os.PathLike[str]) -> str:
    """The command that rebuilds the database at ``path``."""
    return f"mapper gazetteer build --path {path}"


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer: a settlement point or an area with its label point."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    geonameid: int | None = None
    population: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (coordinates rounded to 5 decimals, about 1 m)."""
        return {"id": self.id, "name": self.name, "kind": self.kind,
                "lat": round(self.lat, 5), "lon": round(self.lon, 5),
                "country_code": self.country_code, "admin1": self.admin1,
                "admin1_code": self.admin1_code, "geonameid": self.geonameid,
                "population": self.population,
                "bbox": list(self.bbox) if self.bbox else None}


@dataclass(frozen=True)
class Candidate:
    """One ranked answer to a query."""

    place: Place
    score: float
    reason: str
    matched: str
    fuzzy: bool = False

    def to_json(self) -> dict[str, Any]:
        p = self.place
        return {"id": p.id, "name": p.name, "kind": p.kind, "lat": round(p.lat, 5),
                "lon": round(p.lon, 5), "country_code": p.country_code, "admin1": p.admin1,
                "admin1_code": p.admin1_code, "geonameid": p.geonameid,
                "population": p.population, "score": round(self.score, 3),
                "reason": self.reason, "fuzzy": self.fuzzy}


@dataclass(frozen=True)
class ReverseResult:
    """What lies at a point: nearest settlement, admin1, country and the zones containing it."""

    lat: float
    lon: float
    settlement: Place | None
    distance_km: float | None
    admin1: Place | None
    country: Place | None
    zones: list[Place] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"lat": self.lat, "lon": self.lon,
                "settlement": self.settlement.to_json() if self.settlement else None,
                "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
                "admin1": self.admin1.to_json() if self.admin1 else None,
                "country": self.country.to_json() if self.country else None,
                "zones": [z.to_json() for z in self.zones]}


@dataclass(frozen=True)
class _Query:
    """A parsed query: the key to look up and what its wording asks for."""

    key: str
    stem: str | None = None          # key with its admin term removed
    term: str | None = None          # the admin term ("oblast", "district")
    kinds: tuple[str, ...] | None = None
    zone: bool = False               # a border-zone phrase
    zone_target: str | None = None   # what the zone is of ("belgorod oblast", "russia ukraine")


def parse_query(key: str) -> _Query:
    """Recognise admin forms and border-zone phrases in a normalised query.

    >>> parse_query("kursk oblast").stem, parse_query("kursk oblast").kinds
    ('kursk', ('admin1', 'admin2'))
    >>> parse_query("state of texas").stem
    'texas'
    >>> parse_query("border areas of belgorod oblast").zone_target
    'belgorod oblast'
    >>> parse_query("kursk").kinds is None
    True
    """
    if key.startswith("the "):
        key = _LEADING_ARTICLE.sub("", key)
    if "border" in key or "frontier" in key:
        for pattern in _ZONE_PATTERNS:
            m = pattern.match(key)
            if m:
                target = m.groupdict().get("target")
                return _Query(key=key, zone=True, zone_target=target or None,
                              kinds=("zone",))
    if " " not in key:
        # Most queries are one word; the admin-form patterns below all need a space.
        if _REGION_NICK_RE.match(key):
            return _Query(key=key, stem=key, term="regional name", kinds=("admin1",))
        return _Query(key=key)
    m = _SUFFIX_RE.match(key) or _PREFIX_RE.match(key)
    if m and m.group("stem") not in _TERMS:
        term = m.group("term")
        kinds = ("admin2", "admin1") if term in ADMIN2_TERMS else ("admin1", "admin2")
        return _Query(key=key, stem=_LEADING_ARTICLE.sub("", m.group("stem")), term=term,
                      kinds=kinds)
    return _Query(key=key)


def adjective_variants(stem: str) -> list[str]:
    """Other spellings of an adjectival area stem: kurskaya -> kurska, kurskiy, ...

    >>> adjective_variants("sumska")[:2]
    ['sumskaya', 'sumskiy']
    """
    for ending in _ADJ_ENDINGS:
        if stem.endswith(ending) and len(stem) > len(ending) + 2:
            base = stem[: -len(ending)]
            return [base + e for e in ("skaya", "skiy", "skyi", "ska", "sky") if base + e != stem]
    return []


def region_nickname_stems(key: str) -> list[str]:
    """Stems a regional nickname may come from: belgorodshchina -> belgorod, ..."""
    m = _REGION_NICK_RE.match(key)
    if not m:
        return []
    base = m.group("stem")
    return [base + e for e in _NICK_STEM_ENDINGS]



_PLACE_COLS = ("pk, id, name, kind, lat, lon, country_code, admin1, admin1_code, geonameid, "
               "population, west, south, east, north, prior, flags")


# One statement looks up several keys at once (a query's spelling variants, the keys a fuzzy
# match found): one round trip instead of one per key. The columns are _PLACE_COLS, then the
# name type and the key, so a result row serves as a places row as it is (no copy).
_LOOKUP_COLS = ("SELECT " + ", ".join("p." + c.strip() for c in _PLACE_COLS.split(","))
                + ", n.ntype, n.key FROM names n JOIN places p ON p.pk = n.pk WHERE n.key IN ")


@lru_cache(maxsize=64)
def _lookup_sql(n: int) -> str:
    """The lookup statement for ``n`` keys (the text is reused, so sqlite3 caches its plan)."""
    return _LOOKUP_COLS + "(" + ",".join("?" * n) + ")"


class _Row:
    """A place row plus the ranking inputs the query needs.

    Ranking reads only the raw columns; the :class:`Place` is built on first use, so the many
    candidates a query looks at but does not return cost no dataclass construction.
    """

    __slots__ = ("pk", "raw", "kind", "prior", "flags", "_place")

    def __init__(self, raw: tuple) -> None:
        # raw starts with the _PLACE_COLS columns (a lookup row has two more after them)
        self.pk: int = raw[0]
        self.raw = raw
        self.kind: str = raw[3]
        self.prior: float = raw[15]
        self.flags: int = raw[16]
        self._place: Place | None = None

    @property
    def place(self) -> Place:
        place = self._place
        if place is None:
            r = self.raw
            bbox = (r[11], r[12], r[13], r[14]) if r[11] is not None else None
            # positional: columns 1..10 are Place's fields id .. population, in order
            place = self._place = Place(*r[1:11], bbox)
        return place

    def rank_key(self, score: float) -> tuple[float, int, str]:
        """Sort key of a scored candidate: score, then population, then id (all descending
        except id), read from the raw row.
        """
        return (-score, -(self.raw[10] or 0), self.raw[1])


def _fmt_pop(pop: int | None) -> str:
    if not pop:
        return ""
    if pop >= 1_000_000:
        return f"population {pop / 1e6:.1f}M"
    if pop >= 10_000:
        return f"population {pop / 1e3:.0f}k"
    return f"population {pop}"


class Gazetteer:
    """A read-only handle on a gazetteer database. Thread-safe for reads."""

    def __init__(self, path: str | os.PathLike[str], conn: sqlite3.Connection,
                 meta: dict[str, str]) -> None:
        self.path = Path(path)
        self._conn = conn
        self.meta = meta
        self._geom_cache: dict[int, Any] = {}
        self._fuzzy_keys: dict[str, tuple[str, ...]] = {}
        # Per-instance caches (bound methods wrapped so they die with the instance).
        self._search_cached = lru_cache(maxsize=65_536)(self._search_uncached)
        # key -> ((pk, name type, prior), ...); filled in batches by _lookup_many
        self._keys: dict[str, tuple[tuple[int, int, float], ...]] = {}
        self._rows: dict[int, _Row] = {}

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, build: bool = True,
             progress=None) -> Gazetteer:
        """Open the database at ``path`` (default: :func:`default_path`).

        With ``build=True`` a missing database is built first (about a minute, once). A corrupt
        file or one from another schema version raises :class:`GazetteerError` naming the file and
        the command that rebuilds it.
        """
        target = Path(path).expanduser() if path is not None else default_path()
        if not target.exists():
            if not build:
                raise GazetteerError(
                    f"{target}: gazetteer database not found; build it with "
                    f"`{rebuild_hint(target)}`")
            from mapper.gazetteer.build import build_if_missing

            build_if_missing(target, progress=progress)
        return cls._connect(target)

    @classmethod
    def _connect(cls, target: Path) -> Gazetteer:
        hint = rebuild_hint(target)
        try:
            conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
            # Memory-map the file: lookups read pages without copying; RSS grows only with use.
            conn.execute("PRAGMA mmap_size = 268435456")
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise GazetteerError(
                f"{target}: not a readable mapper gazetteer ({exc}); rebuild it with `{hint}`"
            ) from None
        version = meta.get("schema_version")
        if version != str(SCHEMA_VERSION):
            conn.close()
            raise GazetteerError(
                f"{target}: gazetteer schema version {version or 'unknown'}, this mapper needs "
                f"{SCHEMA_VERSION}; rebuild it with `{hint}`")
        try:
            conn.execute("SELECT pk FROM places LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise GazetteerError(f"{target}: damaged gazetteer ({exc}); rebuild it with `{hint}`"
                                 ) from None
        return cls(target, conn, meta)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{self.path}: damaged gazetteer ({exc}); rebuild it with "
                                 f"`{rebuild_hint(self.path)}`") from None

    # ------------------------------------------------------------------ direct access
    def get(self, place_id: str) -> Place | None:
        """The place with this id ("gn:483166", "adm1:RU-KRS", "adm0:UA", "zone:...")."""
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places WHERE id = ?", (place_id,))
        return _Row(rows[0]).place if rows else None

    def _get_pk(self, pk: int) -> _Row | None:
        row = self._rows.get(pk)
        if row is None:
            rows = self._query(f"SELECT {_PLACE_COLS} FROM places WHERE pk = ?", (pk,))
            if not rows:
                return None
            row = self._remember(_Row(rows[0]))
        return row

    def _remember(self, row: _Row) -> _Row:
        if len(self._rows) > 300_000:  # bound memory in very long runs
            self._rows.clear()
        self._rows[row.pk] = row
        return row

    def _lookup(self, key: str) -> tuple[tuple[int, int, float], ...]:
        """(pk, name type, prior) for an exact normalised key, highest prior first."""
        hit = self._keys.get(key)
        if hit is None:
            hit = self._fetch_keys([key])[key]
        return hit

    def _lookup_many(self, keys: Iterable[str]) -> None:
        """Look up every key not yet cached, in one statement, ahead of :meth:`_lookup`."""
        cache = self._keys
        missing = [k for k in dict.fromkeys(keys) if k not in cache]
        if missing:
            self._fetch_keys(missing)

    def _fetch_keys(self, keys: list[str]) -> dict[str, tuple[tuple[int, int, float], ...]]:
        """Query distinct ``keys`` at once; cache and return their hits (see :meth:`_lookup`)."""
        rows = self._rows
        if len(rows) > 300_000:  # bound memory in very long runs
            rows.clear()
        found: dict[str, list[tuple[int, int, float]]] = {k: [] for k in keys}
        for r in self._query(_lookup_sql(len(keys)), keys):
            pk = r[0]
            found[r[18]].append((pk, r[17], r[15]))  # (pk, ntype, prior)
            if pk not in rows:
                rows[pk] = _Row(r)
        out = {key: tuple(sorted(hits, key=lambda t: (-t[2], t[0])) if len(hits) > 1 else hits)
               for key, hits in found.items()}
        if len(self._keys) > 65_536:
            self._keys.clear()
        # one update, after the fetch: a concurrent reader sees a key whole or not at all
        self._keys.update(out)
        return out

    def _pk_of(self, place_id: str) -> int | None:
        rows = self._query("SELECT pk FROM places WHERE id = ?", (place_id,))
        return rows[0][0] if rows else None

    def geometry(self, place_id: str):
        """Shapely geometry: the polygon of an area, a Point for a settlement; None if unknown."""
        pk = self._pk_of(place_id)
        if pk is None:
            return None
        geom = self._geometry_pk(pk)
        if geom is None:
            import shapely

            place = self.get(place_id)
            return shapely.Point(place.lon, place.lat) if place else None
        return geom

    def _geometry_pk(self, pk: int):
        if pk in self._geom_cache:
            return self._geom_cache[pk]
        rows = self._query("SELECT wkb FROM geometries WHERE pk = ?", (pk,))
        geom = None
        if rows:
            import shapely

            geom = shapely.from_wkb(rows[0][0])
            shapely.prepare(geom)
        self._geom_cache[pk] = geom
        return geom

    def contains(self, area_id: str, lat: float, lon: float) -> bool:
        """Whether the point lies in the area (a settlement "contains" only its own point)."""
        pk = self._pk_of(area_id)
        if pk is None:
            raise UsageError(f"unknown place id {area_id!r}; see `mapper geocode NAME --json`")
        geom = self._geometry_pk(pk)
        if geom is None:
            row = self._get_pk(pk)
            return bool(row and abs(row.place.lat - lat) < 1e-6 and abs(row.place.lon - lon) < 1e-6)
        import shapely

        return bool(geom.covers(shapely.Point(lon, lat)))

    def iter_names(self, *, detail: bool = False) -> Iterator[tuple]:
        """Yield ``(key, place_id)`` for every name and alias, sorted by key.

        With ``detail=True`` yield ``(key, place_id, name_type, kind, population)`` so a text
        extractor can skip weak alternate names (name types: 0 name, 1 alias, 2 stem, 3 alternate,
        4 inflected form).
        """
        sql = ("SELECT n.key, p.id, n.ntype, p.kind, p.population FROM names n "
               "JOIN places p ON p.pk = n.pk ORDER BY n.key, p.id")
        cur = self._conn.execute(sql)
        while True:
            chunk = cur.fetchmany(10_000)
            if not chunk:
                return
            for key, pid, ntype, kind, pop in chunk:
                yield (key, pid, ntype, kind, pop) if detail else (key, pid)

    def info(self) -> dict[str, Any]:
        """Counts per kind, names, sources, versions and licences."""
        counts = dict(self._query("SELECT kind, COUNT(*) FROM places GROUP BY kind ORDER BY kind"))
        names = self._query("SELECT COUNT(*), COUNT(DISTINCT key) FROM names")[0]
        return {"path": str(self.path), "size_bytes": self.path.stat().st_size,
                "counts": counts, "names": names[0], "distinct_keys": names[1],
                "meta": dict(sorted(self.meta.items()))}

    # ------------------------------------------------------------------ search
    def search(self, name: str, *, country: str | Iterable[str] | None = None,
               near: tuple[float, float] | None = None,
               bbox: tuple[float, float, float, float] | None = None,
               within: str | None = None, kinds: str | Iterable[str] | None = None,
               limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        """Ranked candidates for ``name``, best first.

        ``country``: ISO alpha-2 code(s); ``near``: (lat, lon) bias; ``bbox``: (west, south,
        east, north) filter; ``within``: an area id the place must lie in; ``kinds``: subset of
        settlement/admin1/admin2/country/zone. Fuzzy matches come only when nothing matched
        exactly and always score at most 0.4 (exact ones at least 0.46).
        """
        if not isinstance(name, str) or not name.strip():
            raise UsageError("empty place name; give a name such as 'Kursk'")
        if int(limit) < 1:  # the top-`limit` pruning needs room for one candidate
            raise UsageError(f"limit={limit!r}: ask for at least 1 candidate")
        if isinstance(country, str):
            country = (country,)
        countries = tuple(sorted({c.upper() for c in country})) if country else None
        if isinstance(kinds, str):
            kinds = (kinds,)
        kinds_t = tuple(sorted(set(kinds))) if kinds else None
        if kinds_t:
            bad = [k for k in kinds_t if k not in KINDS]
            if bad:
                raise UsageError(f"unknown kind {bad[0]!r}; use one of {', '.join(KINDS)}")
        if within is not None and self._pk_of(within) is None:
            raise UsageError(f"within={within!r}: no such place id; find one with "
                             f"`mapper geocode NAME --kind admin1 --json`")
        if near is not None:
            near = (float(near[0]), float(near[1]))
        if bbox is not None:
            bbox = tuple(float(v) for v in bbox)  # type: ignore[assignment]
        return list(self._search_cached(name, countries, near, bbox, within, kinds_t,
                                        int(limit), bool(fuzzy)))

    def _search_uncached(self, name, countries, near, bbox, within, kinds, limit, fuzzy):
        key = normalize(name)
        if not key:
            return ()
        q = parse_query(key)
        # pk -> (score, label, extra, matched, fuzzy, row)
        scored: dict[int, tuple[float, str, str, str, bool, _Row]] = {}
        filtered = bool(kinds or countries or bbox or within)

        def allowed(row: _Row) -> bool:
            if kinds and row.kind not in kinds:
                return False
            p = row.place
            if countries and p.country_code not in countries:
                return False
            if bbox and not (bbox[0] <= p.lon <= bbox[2] and bbox[1] <= p.lat <= bbox[3]):
                return False
            if within and not self._within(row, within):
                return False
            return True

        def offer(row: _Row, score: float, label: str, matched: str, is_fuzzy: bool = False):
            """Consider a place; return its final score if it passes the filters."""
            if filtered and not allowed(row):
                return None
            extra = ""
            if near is not None:
                d = haversine_km(near[0], near[1], row.place.lat, row.place.lon)
                # Within ~50 km almost no penalty; far away loses up to 40 % of the score.
                score *= 0.6 + 0.4 * math.exp(-d / 300.0)
                extra = f"{d:.0f} km from bias point"
            score = min(score, 1.0)
            old = scored.get(row.pk)
            if old is None or score > old[0]:
                scored[row.pk] = (score, label, extra, matched, is_fuzzy, row)
            return score

        if q.zone:
            self._search_zones(q, offer)
        elif q.stem is not None:
            self._search_admin(q, offer)
        if not scored:
            # Plain lookup: also the fallback when an admin form or zone phrase found nothing.
            self._search_plain(key, offer, limit)
        if not scored and q.stem and q.stem != key:
            # "Sudzha district" with no district in the gazetteer: the place the area is named
            # after, said plainly in the reason.
            self._search_plain(q.stem, offer, limit,
                               note=f"no {q.term} called {q.stem!r} in the gazetteer")
        if not scored:
            variants = _variants(key)
            # Usually none of them exists: probe them all in one statement, then try in order.
            self._lookup_many(variants)
            for variant in variants:
                self._search_plain(variant, offer, limit, variant=True)
                if scored:
                    break
        if not scored and fuzzy and len(key) >= FUZZY_MIN_LEN:
            self._search_fuzzy(key, offer)
        # Only the first `limit` in rank order are needed: a partial sort (the key is unique, the
        # place id breaking all ties, so this equals sorted(...)[:limit]).
        ranked = heapq.nsmallest(limit, scored.values(), key=lambda v: v[5].rank_key(v[0]))
        out = []
        for score, label, extra, matched, is_fuzzy, row in ranked:
            out.append(Candidate(place=row.place, score=round(score, 4),
                                 reason=_reason(row, label, extra), matched=matched,
                                 fuzzy=is_fuzzy))
        return tuple(out)

    @staticmethod
    def _score(row: _Row, ntype: int, *, admin_form: bool = False) -> tuple[float, str]:
        """Score of a place matched by a name of type ``ntype``, with the match label.

        Exact matches score at least 0.46 (the prior floor 0.5 minus the alternate-name
        penalty); fuzzy ones at most FUZZY_CAP = 0.4.
        """
        score = row.prior
        if admin_form and row.kind in ("admin1", "admin2"):
            # The query said "oblast"/"region": the area itself, not a town of the same name.
            return (0.88, "admin form; alternate name") if ntype == ALT else \
                (0.93, "admin form")
        if ntype == STEM and row.kind in AREA_KINDS:
            return score, "area name without its type"
        if ntype == ALT:
            return score - ALT_PENALTY, "alternate name"
        if ntype == FORM:  # a case form of a Russian or Ukrainian name ("Шебекине")
            return score - ALT_PENALTY, "inflected form"
        if ntype == ALIAS:
            return score - 0.01, "alias"
        return score, "exact name"

    def _search_plain(self, key: str, offer, limit: int, *, variant: bool = False,
                      note: str | None = None):
        kth: list[float] = []  # min-heap of the best `limit` accepted scores
        for pk, ntype, prior in self._lookup(key):
            # Rows come by descending prior and no plain score exceeds its prior: once `limit`
            # places beat this prior, the rest cannot enter the top `limit`.
            if len(kth) >= limit and prior < kth[0]:
                break
            row = self._get_pk(pk)
            if row is None:
                continue
            score, label = self._score(row, ntype)
            if variant:
                score -= 0.02
                label = f"spelling variant {key!r}; " + label
            if note:
                score -= 0.05
                label = f"{note}; " + label
            final = offer(row, score, label, key)
            if final is not None:
                if len(kth) < limit:
                    heapq.heappush(kth, final)
                elif final > kth[0]:
                    heapq.heapreplace(kth, final)

    def _search_admin(self, q: _Query, offer):
        """An admin form: the full phrase, then its stem, among admin areas."""
        restrict = q.kinds or ("admin1", "admin2")
        # The kind the term names first ("district" -> admin2) gets a small edge.
        edge = {restrict[0]: 0.01}
        stems = [q.stem] + adjective_variants(q.stem) + region_nickname_stems(q.stem)
        self._lookup_many([q.key, *stems])  # all of them are read below: one round trip
        for pk, ntype, _ in self._lookup(q.key):
            row = self._get_pk(pk)
            if row and row.kind in restrict:
                offer(row, 0.98 + edge.get(row.kind, 0.0), "full area name", q.key)
        for i, stem in enumerate(stems):
            for pk, ntype, _ in self._lookup(stem):
                row = self._get_pk(pk)
                if row and row.kind in restrict:
                    score, label = self._score(row, ntype, admin_form=True)
                    offer(row, score - 0.01 * (i > 0) + edge.get(row.kind, 0.0),
                          f"{label} ('{q.term}')", stem)

    def _search_zones(self, q: _Query, offer):
        """Border-zone phrases: zones by name, or the zones of the area the phrase names."""
        for pk, ntype, _ in self._lookup(q.key):
            row = self._get_pk(pk)
            if row and row.place.kind == "zone":
                offer(row, 0.95 - 0.02 * ntype, "zone name", q.key)
        zones = self._zones()
        if not zones:
            return
        target = q.zone_target
        if target is None:
            # "the border zone": every country-side zone, ranked equally.
            for row in zones:
                if row.place.admin1_code is None:
                    offer(row, 0.7, "border zone (which border is not said)", q.key)
            return
        words = target.split()
        # "russia ukraine" / "russian ukrainian": a pair of countries.
        pair = self._country_pair(words)
        if pair:
            a, b = pair
            for row in zones:
                zid = row.place.id
                if row.place.admin1_code is None and _zone_pair(zid) == tuple(sorted((a, b))):
                    offer(row, 0.9, f"border zone between {a} and {b}", q.key)
            return
        hits = self._search_uncached(target, None, None, None, None,
                                     ("admin1", "admin2", "country"), 5, False)
        if not hits:
            cc = self._demonym(target)
            hits = [Candidate(self._get_pk(self._pk_of(f"adm0:{cc}")).place, 0.9, "", target)] \
                if cc and self._pk_of(f"adm0:{cc}") else []
        for cand in hits:
            area = cand.place
            for row in zones:
                z = row.place
                if area.kind == "country" and z.admin1_code is None and \
                        _zone_side(z.id) == area.country_code:
                    offer(row, 0.9 * max(cand.score, 0.8),
                          f"border zone of {area.name}", target)
                elif area.kind in ("admin1", "admin2") and z.admin1_code == area.admin1_code:
                    offer(row, 0.93 * max(cand.score, 0.8),
                          f"border zone of {area.name}", target)

    def _country_pair(self, words: list[str]) -> tuple[str, str] | None:
        if len(words) < 2:
            return None
        for i in range(1, len(words)):
            a, b = " ".join(words[:i]), " ".join(words[i:])
            ca, cb = self._country_code(a), self._country_code(b)
            if ca and cb and ca != cb:
                return ca, cb
        return None

    def _country_code(self, key: str) -> str | None:
        for pk, ntype, _ in self._lookup(key):
            row = self._get_pk(pk)
            if row and row.place.kind == "country" and ntype <= STEM:
                return row.place.country_code
        return self._demonym(key)

    def _demonym(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (f"demonym:{key}",))
        return rows[0][0] if rows else None

    def _zones(self) -> list[_Row]:
        cached = getattr(self, "_zone_rows", None)
        if cached is None:
            pks = [r[0] for r in self._query("SELECT pk FROM places WHERE kind = 'zone' ORDER BY pk")]
            cached = [self._get_pk(pk) for pk in pks]
            self._zone_rows = cached
        return cached

    def _within(self, row: _Row, area_id: str) -> bool:
        p = row.place
        if area_id.startswith("adm0:"):
            return p.country_code == area_id[5:]
        if area_id.startswith("adm1:") and p.kind == "settlement":
            return p.admin1_code == area_id[5:]
        if p.id == area_id:
            return False
        return self.contains(area_id, p.lat, p.lon)

    def _search_fuzzy(self, key: str, offer):
        """Typo tolerance: rapidfuzz over names with the same first letter and similar length."""
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        n = len(key)
        edits = 1  # one inserted or dropped letter; a swap or wrong letter keeps the length
        buckets: list[str] = []
        for length in range(max(2, n - edits), n + edits + 1):
            # Two cheap buckets: same first two letters (typo after the second letter), or same
            # first and last letter (typo in the middle). A typo in the first letter is missed.
            buckets += (f"{key[:2]}{length}", f"{key[0]}.{key[-1]}{length}")
        keys_of = self._fuzzy_buckets(buckets)
        pool: list[str] = []
        for bucket in buckets:
            pool += keys_of[bucket]
        if not pool:
            return
        # Indel ratio is fast and bounds edit distance; OSA then counts a swapped pair of
        # letters as one edit ("Kurks" ~ "Kursk"). Keys repeat across the two buckets: harmless.
        rough = process.extract(key, pool, scorer=fuzz.ratio, limit=40,
                                score_cutoff=FUZZY_MIN_RATIO - 10)
        rough = list(dict.fromkeys(m for m, _, _ in rough))
        # OSA over the distinct rough matches in one call (same scorer as calling it per key).
        osa = process.extract(key, rough, scorer=OSA.normalized_similarity, limit=None)
        matches = sorted(((m, sim) for m, sim, _ in osa if sim * 100.0 >= FUZZY_MIN_RATIO),
                         key=lambda t: (-t[1], t[0]))[:8]
        self._lookup_many(m for m, _ in matches)
        for matched, sim in matches:
            ratio = sim * 100.0
            prefix = f"fuzzy {ratio:.0f}% ~ {matched!r}; "
            for pk, ntype, _ in self._lookup(matched):
                row = self._get_pk(pk)
                if row is None:
                    continue
                base, reason = self._score(row, ntype)
                score = FUZZY_CAP * (ratio / 100.0) ** 2 * (0.7 + 0.3 * base)
                offer(row, score, prefix + reason, matched, True)

    def _fuzzy_buckets(self, buckets: list[str]) -> dict[str, tuple[str, ...]]:
        """The keys of each fuzzy bucket (cached; the missing ones are fetched at once)."""
        cache = self._fuzzy_keys
        missing = [b for b in dict.fromkeys(buckets) if b not in cache]
        if not missing:
            return cache
        found: dict[str, tuple[str, ...]] = dict.fromkeys(missing, ())  # absent bucket: empty
        sql = f"SELECT bucket, keys FROM fuzzy WHERE bucket IN ({','.join('?' * len(missing))})"
        for bucket, keys in self._query(sql, missing):
            # a tuple of strings holds no GC-tracked object: the collector untracks it once
            # instead of rescanning a list of thousands of keys at every collection
            found[bucket] = tuple(keys.split("\n"))
        cache.update(found)  # whole buckets only, for concurrent readers
        return cache

    # ------------------------------------------------------------------ reverse
    def reverse(self, lat: float, lon: float) -> ReverseResult:
        """Nearest settlement, the admin1 and country containing the point, and its zones."""
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UsageError(f"point ({lat}, {lon}) is outside lat -90..90 / lon -180..180")
        settlement, dist = self._nearest_settlement(lat, lon)
        admin1 = country = None
        zones: list[Place] = []
        for row in self._areas_at(lat, lon):
            kind = row.place.kind
            if kind == "admin1" and admin1 is None:
                admin1 = row.place
            elif kind == "country" and country is None:
                country = row.place
            elif kind == "zone":
                zones.append(row.place)
        zones.sort(key=lambda z: z.id)
        return ReverseResult(lat=lat, lon=lon, settlement=settlement, distance_km=dist,
                             admin1=admin1, country=country, zones=zones)

    def settlements_in(self, bbox: tuple[float, float, float, float], *,
                       min_population: int = 0, limit: int | None = None) -> list[Place]:
        """Settlements inside ``bbox`` (west, south, east, north), most populous first.

        One R-tree query, no name lookup: what a map needs for place labels. Ties in
        population are broken by id, so the order is stable. ``limit`` caps the list.
        """
        w, s, e, n = (float(v) for v in bbox)
        cols = ", ".join("p." + c.strip() for c in _PLACE_COLS.split(","))
        sql = (f"SELECT {cols} FROM places p WHERE p.pk IN (SELECT pk FROM settlement_rtree "
               "WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?) "
               "AND COALESCE(p.population, 0) >= ? "
               "ORDER BY COALESCE(p.population, 0) DESC, p.id")
        args: tuple = (s, n, w, e, int(min_population))
        if limit is not None:
            sql += " LIMIT ?"
            args += (int(limit),)
        return [_Row(r).place for r in self._query(sql, args)]

    def _nearest_settlement(self, lat: float, lon: float) -> tuple[Place | None, float | None]:
        for radius in (0.1, 0.3, 1.0, 3.0, 10.0, 40.0):
            dlon = min(180.0, radius / max(0.05, math.cos(math.radians(lat))))
            rows = self._query(
                "SELECT pk FROM settlement_rtree WHERE max_lat >= ? AND min_lat <= ? "
                "AND max_lon >= ? AND min_lon <= ?",
                (lat - radius, lat + radius, lon - dlon, lon + dlon))
            if rows:
                best = None
                for (pk,) in rows:
                    p = self._get_pk(pk).place
                    d = haversine_km(lat, lon, p.lat, p.lon)
                    if best is None or (d, p.id) < (best[0], best[1].id):
                        best = (d, p)
                # Only trust the box if the winner is closer than the box's half-width.
                if best[0] <= radius * 111.0 * min(1.0, math.cos(math.radians(lat))) or \
                        radius >= 40.0:
                    return best[1], best[0]
        return None, None

    def _areas_at(self, lat: float, lon: float) -> list[_Row]:
        rows = self._query("SELECT pk FROM area_rtree WHERE min_lon <= ? AND max_lon >= ? "
                           "AND min_lat <= ? AND max_lat >= ? ORDER BY pk",
                           (lon, lon, lat, lat))
        if not rows:
            return []
        import shapely

        point = shapely.Point(lon, lat)
        out = []
        for (pk,) in rows:
            geom = self._geometry_pk(pk)
            if geom is not None and geom.covers(point):
                out.append(self._get_pk(pk))
        return out


def _reason(row: _Row, label: str, extra: str) -> str:
    """The short human reason: how it matched, what it is, why it ranks."""
    p = row.place
    parts = [label, p.kind]
    if row.flags & FLAG_CAPITAL:
        parts.append("capital")
    elif row.flags & FLAG_ADMIN_SEAT:
        parts.append("admin seat")
    pop = _fmt_pop(p.population)
    if pop:
        parts.append(pop)
    if extra:
        parts.append(extra)
    return "; ".join(parts)


def _variants(key: str) -> list[str]:
    """Spelling variants tried before fuzzy matching: Arabic article forms, 'saint' forms."""
    out = []
    for art in _ARTICLES:
        if key.startswith(art):
            rest = key[len(art):]
            out.append(rest)
            out.extend(a + rest for a in ("al ", "el ") if a != art)
            break
    else:
        if " " not in key:
            out.extend(("al " + key, "el " + key))
    for a, b in ((" al ", " el "), (" el ", " al "), (" ad ", " al "), (" ed ", " al ")):
        if a in key:
            out.append(key.replace(a, b))
    if key.startswith("st "):
        out.append("saint " + key[3:])
    elif key.startswith("saint "):
        out.append("st " + key[6:])
    if " " in key:
        out.append(key.replace(" ", ""))
    return out


def _zone_pair(zone_id: str) -> tuple[str, ...] | None:
    """("RU", "UA") from "zone:border:RU-UA:RU"."""
    parts = zone_id.split(":")
    if len(parts) >= 3 and parts[1] == "border":
        return tuple(sorted(parts[2].split("-")))
    return None


def _zone_side(zone_id: str) -> str | None:
    parts = zone_id.split(":")
    return parts[3] if len(parts) >= 4 else None
