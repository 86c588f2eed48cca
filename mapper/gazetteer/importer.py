"""Adding GeoNames dumps and boundary files to a built gazetteer (``mapper gazetteer import``).

The readers are in ``mapper.gazetteer.imports``; this module writes their records into the
database with the same keys and priors as the builder.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.atomic import atomic_path
from mapper.errors import DataError, GazetteerError
from mapper.gazetteer.access import open_gazetteer
from mapper.gazetteer.build import Progress, quiet
from mapper.gazetteer.model import STEM
from mapper.gazetteer.naming import (
    AREA_PRIOR,
    area_keys,
    fuzzy_buckets,
    load_stopwords,
    settlement_keys,
    settlement_prior,
)
from mapper.gazetteer.sources import sha256_file
from mapper.gazetteer.store import Gazetteer

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

    The import works on a copy of the database beside it and renames the copy over it only when
    complete (synced): a malformed line (``file:line: field: problem``), a full disk or a kill
    at any point leaves the previous database answering, as it was. Files are streamed
    (allCountries.txt, alternateNamesV2.txt are large). Order: admin1 names, boundaries, places,
    alternate names. Each import is recorded in the database (file, SHA-256, options) so that
    ``mapper gazetteer build --with-imports`` can replay it (:func:`replay_imports`).
    """
    progress = progress or quiet
    target = Path(path)
    open_gazetteer(target).close()  # validates (or builds) the database first
    options = {"kind": kind, "country": country, "name_field": name_field,
               "code_field": code_field}
    with atomic_path(target) as tmp:
        shutil.copyfile(target, tmp)
        conn = sqlite3.connect(tmp)
        try:
            # The copy is private until the rename: no journal needed, one transaction.
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("BEGIN")
            stats = _apply(conn, files, options, progress)
            conn.commit()
        finally:
            conn.close()
    return stats


def _apply(conn: sqlite3.Connection, files: list[Path], options: dict[str, str | None],
           progress: Progress) -> dict[str, int]:
    from mapper.gazetteer import imports as gi

    order = {"admin1_codes": 0, "boundaries": 1, "geonames": 2, "alternate_names": 3}
    jobs = sorted(((classify_import(f), f) for f in files), key=lambda j: (order[j[0]], str(j[1])))
    stats: dict[str, int] = defaultdict(int)
    stop = load_stopwords()
    for what, f in jobs:
        if what == "admin1_codes":
            n = _import_admin1_codes(conn, gi.read_admin1_codes(f))
            stats["admin1 names"] += n
        elif what == "boundaries":
            kw = {k: v for k, v in options.items() if v is not None}
            n = _import_areas(conn, gi.read_boundaries(f, **kw))
            stats["areas"] += n
        elif what == "geonames":
            n = _import_settlements(conn, gi.read_geonames(f), stop)
            stats["settlements"] += n
        else:
            ids = [gid for (gid,) in conn.execute(
                "SELECT geonameid FROM places WHERE geonameid IS NOT NULL")]
            n = _import_alternate_names(conn, gi.read_alternate_names(f, geonameids=ids), stop)
            stats["alternate names"] += n
        progress(f"{f.name}: {n} records")
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    done = [f"{f.name} sha256:{sha256_file(f)[:16]}" for _, f in jobs]
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                 ("imports", "; ".join(filter(None, [meta.get("imports", ""), *done]))))
    n = sum(1 for k in meta if k.startswith("import:"))
    for _, f in jobs:
        n += 1
        record = {"file": str(f.resolve()), "sha256": sha256_file(f),
                  **{k: v for k, v in options.items() if v is not None}}
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                     (f"import:{n:04d}", json.dumps(record, sort_keys=True)))
    return dict(stats)


def recorded_imports(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The imports recorded in the database at ``path``, in the order they were made."""
    with Gazetteer.open(path) as gaz:
        return [json.loads(v) for k, v in sorted(gaz.meta.items()) if k.startswith("import:")]


def replay_imports(path: str | os.PathLike[str], records: list[dict[str, Any]], *,
                   progress: Progress | None = None) -> dict[str, int]:
    """Import again, into the (rebuilt) database at ``path``, the files of ``records``.

    Each file must still be where it was and unchanged (same SHA-256): a missing or changed file
    raises :class:`DataError` naming it, before anything is imported.
    """
    for rec in records:
        f = Path(rec["file"])
        if not f.is_file():
            raise DataError("recorded import is gone; put it back or rebuild without "
                            "--with-imports", path=str(f))
        if sha256_file(f) != rec["sha256"]:
            raise DataError("recorded import has changed since it was imported; import the "
                            "new file with `mapper gazetteer import` after a plain rebuild",
                            path=str(f))
    total: dict[str, int] = defaultdict(int)
    for rec in records:
        stats = import_files(path, [Path(rec["file"])], kind=rec.get("kind"),
                             country=rec.get("country"), name_field=rec.get("name_field"),
                             code_field=rec.get("code_field"), progress=progress)
        for k, v in stats.items():
            total[k] += v
    return dict(total)


def rebuild_with_imports(path: str | os.PathLike[str], *, progress: Progress | None = None,
                         **build_options: Any) -> dict[str, Any]:
    """Rebuild the database at ``path`` and replay the imports recorded in it.

    The new database is built and extended beside the old one and renamed over it only when
    both steps are complete; until then the old one answers. Without a readable database at
    ``path`` this is a plain build.
    """
    from mapper.gazetteer.build import build

    target = Path(path)
    records: list[dict[str, Any]] = []
    if target.exists():
        try:
            records = recorded_imports(target)
        except GazetteerError:
            records = []  # damaged or another version: nothing can be replayed
    with atomic_path(target) as tmp:
        stats = build(tmp, progress=progress, **build_options)
        if records:
            stats["imports"] = replay_imports(tmp, records, progress=progress)
    stats["size_bytes"] = target.stat().st_size
    return stats


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
                bucket_keys = set(row[0].split("\n")) if row else set()
                if k not in bucket_keys:
                    bucket_keys.add(k)
                    conn.execute("INSERT OR REPLACE INTO fuzzy VALUES (?,?)",
                                 (bucket, "\n".join(sorted(bucket_keys))))


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
