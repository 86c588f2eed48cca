#!/usr/bin/env python3
"""Regenerate ``gazetteer/derived/lakes.txt.gz``: lakes and reservoirs for the offline basemap.

Input (see gazetteer/SOURCES.md for the version and SHA-256): npm ``@geo-maps/earth-lakes-1km``
0.6.0, OpenStreetMap water polygons at 1 km resolution (data (c) OpenStreetMap contributors,
ODbL 1.0; package code MIT). ``npm pack @geo-maps/earth-lakes-1km@0.6.0`` gives
``geo-maps-earth-lakes-1km-0.6.0.tgz``; pass it (or the extracted ``package/map.geo.json``).

Output (gzip, mtime 0, sorted, coordinates rounded to 3 decimals: a rerun is byte-identical
with the same shapely/GEOS): every part of at least ``--min-area`` square degrees (0.0005, some
3.5 km2 at 50 N: reservoirs such as Kurchatov's and Belgorod's are in, ponds are not),
simplified by ``--tolerance`` degrees (0.003), one polygon a line: ``west,south,east,north``, a
tab, then the GeoJSON Polygon coordinates (the map reads only the lines whose box meets its
region: no JSON parse of the rest). The source has no names. This file is a derived database
of OpenStreetMap data and stays under the ODbL 1.0 like its source.

Usage::

    npm pack @geo-maps/earth-lakes-1km@0.6.0
    python gazetteer/make_lakes.py geo-maps-earth-lakes-1km-0.6.0.tgz [--out gazetteer/derived]

Needs mapper importable (``pip install -e .``): coordinates are rounded as the map rounds them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def read_source(path: Path) -> dict:
    """The GeoJSON geometry of the package (from the .tgz or the extracted file)."""
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            member = tar.extractfile("package/map.geo.json")
            if member is None:
                raise SystemExit(f"{path}: no package/map.geo.json inside")
            return json.load(member)
    return json.loads(path.read_text(encoding="utf-8"))


def lakes(source: dict, min_area: float, tolerance: float) -> list[str]:
    """Lines ``w,s,e,n<TAB>coordinates`` of the lakes of at least ``min_area`` square degrees."""
    import shapely
    from shapely.geometry import mapping, shape

    from mapper.render.shapes import round_coords

    geoms = source["geometries"] if source.get("type") == "GeometryCollection" else [source]
    parts = [p for g in geoms for p in shapely.get_parts(shape(g)) if p.area >= min_area]
    out = []
    for part in parts:
        simple = shapely.make_valid(part.simplify(tolerance, preserve_topology=True))
        for poly in shapely.get_parts(simple):
            if poly.geom_type != "Polygon" or poly.is_empty or poly.area < min_area / 2:
                continue
            coords = round_coords(mapping(poly)["coordinates"], 3)
            w, s, e, n = shape({"type": "Polygon", "coordinates": coords}).bounds
            out.append(f"{w:.3f},{s:.3f},{e:.3f},{n:.3f}\t"
                       + json.dumps(coords, separators=(",", ":")))
    return sorted(set(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="geo-maps-earth-lakes-1km-0.6.0.tgz or map.geo.json")
    ap.add_argument("--out", type=Path, default=ROOT / "derived")
    ap.add_argument("--min-area", type=float, default=0.0005)
    ap.add_argument("--tolerance", type=float, default=0.003)
    args = ap.parse_args()
    lines = lakes(read_source(args.source), args.min_area, args.tolerance)
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    target = args.out / "lakes.txt.gz"
    target.write_bytes(data)
    print(f"{target}: {len(lines)} lakes, {len(data):,} bytes")


if __name__ == "__main__":
    main()
