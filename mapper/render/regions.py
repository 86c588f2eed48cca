"""Which first-level region (admin1) each incident counts towards, for the choropleth.

The page colours the basemap's admin1 outlines by the number of visible incidents in each; this
module gives every record the index of its region in ``basemap["admin1"]["features"]`` (``a1``)
and lists the regions' names. A region comes from the place itself (an ``adm1:`` id or a
settlement's admin1 code) or, for incidents given by coordinates alone, from one vectorised
point-in-polygon query over the regions drawn. Country-wide and zone incidents count towards no
single region; the page says how many those are.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REGION_KEY = "_a1"  # temporary record key: the admin1 id found while building the records


def attach_regions(records: list[dict[str, Any]], admin1_features: list[dict[str, Any]],
                   gazetteer: Any) -> list[str]:
    """Set ``rec["a1"]`` (region index) on every record that lies in a drawn region.

    Parameters
    ----------
    records
        Map records; a record may carry ``REGION_KEY`` (an admin1 id), which is removed here.
    admin1_features
        The basemap's admin1 features (``properties.id``), in the order the page draws them.
    gazetteer
        Gives region names and, for coordinate-only records, the outlines to test against.

    Returns
    -------
    list[str]
        The regions' names, aligned with ``admin1_features``.
    """
    ids = [f["properties"]["id"] for f in admin1_features]
    index = {pid: n for n, pid in enumerate(ids)}
    loose: list[dict[str, Any]] = []
    for rec in records:
        pid = rec.pop(REGION_KEY, None)
        if pid is not None and pid in index:
            rec["a1"] = index[pid]
        elif pid is None and "lat" in rec and "area" not in rec and not rec.get("approx"):
            loose.append(rec)
    if loose and ids and gazetteer is not None:
        _by_containment(loose, ids, gazetteer)
    names = []
    for pid in ids:
        place = gazetteer.get(pid) if gazetteer is not None else None
        names.append(place.name if place is not None and place.name else pid)
    return names


def _by_containment(records: list[dict[str, Any]], ids: list[str], gazetteer: Any) -> None:
    import shapely

    keep, geoms = [], []
    for n, pid in enumerate(ids):
        geom = gazetteer.geometry(pid)
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            keep.append(n)
            geoms.append(geom)
    if not geoms:
        return
    tree = shapely.STRtree(geoms)
    points = shapely.points([r["lon"] for r in records], [r["lat"] for r in records])
    hits = tree.query(points, predicate="within")
    for point_i, geom_i in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
        rec = records[point_i]
        region = keep[geom_i]
        if "a1" not in rec or region < rec["a1"]:  # on a shared edge: the lower index, stably
            rec["a1"] = region


DISTRICT_KEY = "_a2"  # temporary record key: the admin2 id of a place that is one (adm2:...)
DISTRICT_POINTS = 600  # vertices per district outline at most (the choropleth reads at zoom 8+)


def attach_districts(records: list[dict[str, Any]], gazetteer: Any,
                     bounds: list[float] | None) -> dict[str, Any]:
    """Second-level areas (admin2: districts, raions, counties) with outlines, for the choropleth
    at closer zooms; sets ``rec["a2"]`` (district index) on every record that lies in one.

    Only districts the gazetteer has a polygon for count (imported boundary files: ``mapper
    gazetteer import FILE --kind admin2``); an admin2 place known only as a point counts towards
    none, and the page says how many shown incidents are in no drawn district. A record counts
    towards a district when its place is that district (``adm2:`` id, kept in ``DISTRICT_KEY``)
    or its point lies inside the outline; area records (admin1, country, zone) and places drawn
    at an approximate point never do.

    Parameters
    ----------
    records
        Map records; ``DISTRICT_KEY`` is removed from every one here.
    gazetteer
        Gives the admin2 ids and bounding boxes (``bboxes("adm2:")``), names and outlines.
    bounds
        The data's (west, south, east, north): districts outside it are never read.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection of the districts holding at least one record (properties
        ``id`` and ``name``), in id order, aligned with the records' ``a2`` indexes; empty
        when the gazetteer has no admin2 outline near the data.
    """
    own = {}
    for n, rec in enumerate(records):
        pid = rec.pop(DISTRICT_KEY, None)
        if pid is not None:
            own[n] = pid
    outlines = district_outlines(gazetteer, bounds, own.values())
    if not outlines:
        return {"type": "FeatureCollection", "features": []}
    found = {n: pid for n, pid in own.items() if pid in outlines}
    loose = [n for n, rec in enumerate(records) if n not in own and "lat" in rec
             and "area" not in rec and not rec.get("approx")]
    hits = districts_at(outlines, [records[n]["lon"] for n in loose],
                        [records[n]["lat"] for n in loose])
    for point_i, pid in hits.items():
        found[loose[point_i]] = pid
    used = sorted(set(found.values()))
    index = {pid: k for k, pid in enumerate(used)}
    for n, pid in found.items():
        records[n]["a2"] = index[pid]
    return district_collection(gazetteer, outlines, used)


def district_outlines(gazetteer: Any, bounds: list[float] | None,
                      own: Iterable[str]) -> dict[str, Any]:
    """The admin2 outlines near ``bounds`` (and those of the districts in ``own``), by id."""
    if gazetteer is None or not bounds:
        return {}
    w, s, e, nn = bounds
    near = [pid for pid, bbox in gazetteer.bboxes("adm2:") if bbox is not None and not (
        bbox[2] < w or bbox[0] > e or bbox[3] < s or bbox[1] > nn)]
    outlines: dict[str, Any] = {}
    for pid in sorted(set(near) | set(own)):
        geom = gazetteer.geometry(pid)
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            outlines[pid] = geom
    return outlines


def districts_at(outlines: dict[str, Any], lons: Any, lats: Any) -> dict[int, str]:
    """Point index -> the district it lies in (on a shared edge: the lower id)."""
    found: dict[int, str] = {}
    if not outlines or not len(lons):
        return found
    import shapely

    ids = sorted(outlines)
    tree = shapely.STRtree([outlines[pid] for pid in ids])
    hits = tree.query(shapely.points(lons, lats), predicate="within")
    for point_i, geom_i in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
        if point_i not in found or ids[geom_i] < found[point_i]:
            found[point_i] = ids[geom_i]
    return found


def district_collection(gazetteer: Any, outlines: dict[str, Any],
                        used: list[str]) -> dict[str, Any]:
    """The page's FeatureCollection of the districts ``used`` (in that order)."""
    from mapper.render.shapes import simplified_geojson

    features = []
    for pid in used:
        place = gazetteer.get(pid)
        features.append({"type": "Feature",
                         "properties": {"id": pid, "name": place.name if place else pid},
                         "geometry": simplified_geojson(outlines[pid], max_points=DISTRICT_POINTS,
                                                        nd=4)})
    return {"type": "FeatureCollection", "features": features}
