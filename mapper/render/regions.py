"""Which first-level region (admin1) each incident counts towards, for the choropleth.

The page colours the basemap's admin1 outlines by the number of visible incidents in each; this
module gives every record the index of its region in ``basemap["admin1"]["features"]`` (``a1``)
and lists the regions' names. A region comes from the place itself (an ``adm1:`` id or a
settlement's admin1 code) or, for incidents given by coordinates alone, from one vectorised
point-in-polygon query over the regions drawn. Country-wide and zone incidents count towards no
single region; the page says how many those are.
"""
from __future__ import annotations

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
