"""The offline gazetteer: a SQLite database of places and their names, read side.

``mapper.gazetteer.build`` writes the database; :func:`mapper.gazetteer.access.open_gazetteer`
builds it when missing. Lookups go through one indexed ``names`` table (normalised key -> place)
and small per-instance caches, so a warm lookup costs a few microseconds and a cold ``mapper
geocode`` never loads shapely, numpy or the full name list. A first (uncached) search costs mostly
SQLite round trips, so the keys one query needs go in one statement each, and a place row becomes
a :class:`Place` only when it is returned. The ranking itself is in ``mapper.gazetteer.search``.
"""
from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from mapper.errors import GazetteerError, UsageError
from mapper.gazetteer.journal import recover_journal
from mapper.gazetteer.model import (
    ALIAS,
    ALT,
    AREA_KINDS,
    FLAG_ADMIN_SEAT,
    FLAG_CAPITAL,
    FORM,
    KINDS,
    NAME,
    NAME_TYPE_KEYS,
    NAME_TYPE_LABELS,
    STEM,
    Candidate,
    Match,
    Place,
    ReverseResult,
)
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.query import adjective_variants, parse_query, region_nickname_stems
from mapper.gazetteer.search import FUZZY_CAP, FUZZY_MIN_LEN, FUZZY_MIN_RATIO, SearchMixin
from mapper.geo import haversine_km

__all__ = [  # the names other modules import from here (models re-exported for them)
    "ALIAS", "ALT", "AREA_KINDS", "FLAG_ADMIN_SEAT", "FLAG_CAPITAL", "FORM", "FUZZY_CAP",
    "FUZZY_MIN_LEN", "FUZZY_MIN_RATIO", "KINDS", "NAME", "NAME_TYPE_KEYS", "NAME_TYPE_LABELS",
    "SCHEMA_VERSION", "STEM", "Candidate", "Gazetteer", "Match", "Place", "ReverseResult",
    "adjective_variants", "cache_dir", "default_path", "haversine_km", "parse_query",
    "rebuild_hint", "region_nickname_stems",
]

SCHEMA_VERSION = 8
"""Version of the database layout and content; the file name carries it (``gazetteer-<N>.sqlite``).

Bumped whenever a build adds tables or changes what places hold (7: districts, local-script
names, country centres; 8: physical features, and every GeoNames second-level division with a
point, by bare name and designator forms), so a cached database from an older mapper is
rebuilt, never half-used.
"""

BBox = tuple[float, float, float, float]


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

    def __init__(self, raw: tuple[Any, ...]) -> None:
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
            place = self._place = Place(*r[1:11], bbox)  # type: ignore[call-arg]
        return place

    def rank_key(self, score: float) -> tuple[float, int, str]:
        """Sort key of a scored candidate: score, then population, then id (all descending
        except id), read from the raw row.
        """
        return (-score, -(self.raw[10] or 0), self.raw[1])


class Gazetteer(SearchMixin):
    """A read-only handle on a gazetteer database. Thread-safe for reads."""

    def __init__(self, path: str | os.PathLike[str], conn: sqlite3.Connection,
                 meta: dict[str, str]) -> None:
        self.path = Path(path)
        self._conn = conn
        self.meta = meta
        self._geom_cache: dict[int, Any] = {}
        self._id_rows: dict[str, list[tuple[str, BBox | None]]] = {}
        self._abbrev: dict[str, tuple[str, ...]] | None = None
        self._fuzzy_keys: dict[str, tuple[str, ...]] = {}
        # Per-instance caches (bound methods wrapped so they die with the instance).
        self._search_cached = lru_cache(maxsize=65_536)(self._search_uncached)
        # key -> ((pk, name type, prior), ...); filled in batches by _lookup_many
        self._keys: dict[str, tuple[tuple[int, int, float], ...]] = {}
        self._rows: dict[int, _Row] = {}

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the database at ``path`` (default: :func:`default_path`) read-only.

        A missing, corrupt or other-version file raises :class:`GazetteerError` naming the file
        and the command that (re)builds it. To build a missing database first, use
        :func:`mapper.gazetteer.access.open_gazetteer`. A hot journal left by a killed writer of
        an older mapper is rolled back first (one read-write open), so the previous contents
        answer.
        """
        target = Path(path).expanduser() if path is not None else default_path()
        if not target.exists():
            raise GazetteerError(
                f"{target}: gazetteer database not found; build it with `{rebuild_hint(target)}`")
        recover_journal(target)
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
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
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

    def search_forms(self, place_id: str) -> list[str]:
        """The normalised case forms and spellings of a Russian, Ukrainian or Belarusian place
        ("belgoroda", "belgorodom", ...), for a map's search box; [] for other places (and for a
        database built before forms were kept).
        """
        try:
            rows = self._conn.execute("SELECT f.keys FROM forms f JOIN places p ON p.pk = f.pk "
                                      "WHERE p.id = ?", (place_id,)).fetchall()
        except sqlite3.OperationalError:  # no forms table: an older build
            return []
        return rows[0][0].split() if rows else []

    def local_names(self, place_ids: Iterable[str]) -> dict[str, str]:
        """Place id -> the name in the local script ("gn:695019" -> "Рыльск") for the
        settlements among ``place_ids`` that have one (Russia, Ukraine, Belarus; see
        :mod:`mapper.gazetteer.localnames`); {} from a database built before they were kept.
        """
        ids = sorted(set(place_ids))
        out: dict[str, str] = {}
        try:
            for k in range(0, len(ids), 500):
                chunk = ids[k:k + 500]
                out.update(self._conn.execute(
                    "SELECT p.id, l.name FROM local_names l JOIN places p ON p.pk = l.pk "
                    f"WHERE p.id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        except sqlite3.OperationalError:  # no local_names table: an older build
            return {}
        return out

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

    def bboxes(self, prefix: str = "") -> list[tuple[str, BBox | None]]:
        """``(id, bbox)`` of every place whose id starts with ``prefix``, sorted by id.

        One range scan over the id index (cached per instance): ``bboxes("adm1:")`` lists the
        first-level areas with their (west, south, east, north) box, None for a point.
        """
        hit = self._id_rows.get(prefix)
        if hit is None:
            if prefix:
                end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                rows = self._query("SELECT id, west, south, east, north FROM places "
                                   "WHERE id >= ? AND id < ? ORDER BY id", (prefix, end))
            else:
                rows = self._query("SELECT id, west, south, east, north FROM places ORDER BY id")
            hit = [(r[0], None if r[1] is None else (r[1], r[2], r[3], r[4])) for r in rows]
            self._id_rows[prefix] = hit
        return hit

    def ids(self, prefix: str = "") -> list[str]:
        """Every place id starting with ``prefix`` ("adm0:", "adm1:RU-", "zone:"), sorted."""
        return [pid for pid, _ in self.bboxes(prefix)]

    def names(self, place_id: str) -> list[tuple[str, str]]:
        """``(key, name type)`` of every indexed name of a place, strongest first.

        Keys are normalised (see :func:`mapper.gazetteer.normalize.normalize`); name types are
        :attr:`Match.name_type` values (name, alias, stem, alternate). Unknown id: empty list.
        """
        rows = self._query("SELECT n.key, n.ntype FROM names n JOIN places p ON p.pk = n.pk "
                           "WHERE p.id = ? ORDER BY n.ntype, n.key", (place_id,))
        return [(key, NAME_TYPE_KEYS[ntype]) for key, ntype in rows]

    def abbreviations(self) -> dict[str, tuple[str, ...]]:
        """Postal abbreviations of first-level areas and their ids ("TX" -> ("adm1:US-TX",);
        "WA" -> Western Australia and Washington).

        US states, Canadian provinces and Australian states (their ISO 3166-2 suffix). Not
        in the name index (two letters would match ordinary words); :meth:`search` answers an
        upper-case query of two or three letters with them, and an extractor may too.
        """
        if self._abbrev is None:
            rows = self._query("SELECT key, value FROM meta WHERE key >= 'abbreviation:' "
                               "AND key < 'abbreviation;' ORDER BY key")
            self._abbrev = {k.split(":", 1)[1]: tuple(v.split()) for k, v in rows}
        return self._abbrev

    def demonym(self, word: str) -> str | None:
        """The country code a demonym names ("Russian" -> "RU"), from the curated list."""
        return self._demonym(normalize(word))

    def info(self) -> dict[str, Any]:
        """Counts per kind, names, sources, versions and licences."""
        counts = dict(self._query("SELECT kind, COUNT(*) FROM places GROUP BY kind ORDER BY kind"))
        names = self._query("SELECT COUNT(*), COUNT(DISTINCT key) FROM names")[0]
        return {"path": str(self.path), "size_bytes": self.path.stat().st_size,
                "counts": counts, "names": names[0], "distinct_keys": names[1],
                "meta": dict(sorted(self.meta.items()))}

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
            best: tuple[float, Place] | None = None
            for (pk,) in rows:
                row = self._get_pk(pk)
                if row is None:
                    continue
                p = row.place
                d = haversine_km(lat, lon, p.lat, p.lon)
                if best is None or (d, p.id) < (best[0], best[1].id):
                    best = (d, p)
            if best is not None:
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
            row = self._get_pk(pk) if geom is not None and geom.covers(point) else None
            if row is not None:
                out.append(row)
        return out
