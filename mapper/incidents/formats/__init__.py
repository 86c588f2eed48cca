"""The incident file formats, one module each, behind one registry.

Each format is a :class:`Format`: a name (``mapper export --format NAME``), the suffixes it owns,
and a module with two functions::

    read(path: Path, *, in_folder: bool) -> FileEntries | None
    write(incidents: Iterable[Incident], path: Path, options: WriteOptions) -> None
    verify(path: Path, expected: int, target: Path) -> None   # optional: read the file back

Readers only decode (they never validate: :mod:`mapper.incidents.validate` calls them);
writers write to the path they are given (:func:`write_file` makes it atomic); a module that
sets ``STREAMING = True`` gets the incidents as a stream (a list otherwise). The CLI's
``--format`` choices, the README's format list and the round-trip tests all come from
:func:`formats`. Other packages add formats through the entry-point group ``mapper.formats``
(each entry point names a :class:`Format`).

>>> [f.name for f in formats()][:3]
['yaml', 'csv', 'geojson']
>>> format_for_path("x.gpkg").name
'gpkg'
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mapper import atomic
from mapper.errors import UsageError
from mapper.incidents.gcpause import paused_gc

if TYPE_CHECKING:
    from mapper.incidents.files import FileEntries
    from mapper.incidents.model import Incident

ENTRY_POINT_GROUP = "mapper.formats"


@dataclass(frozen=True)
class WriteOptions:
    """What a writer may need besides the incidents.

    ``gazetteer`` draws areas (admin units, zones) as polygons; ``points`` asks for the label
    point even then; ``raw_csv`` keeps CSV cells that start like a formula as they are.
    """

    gazetteer: Any = None
    points: bool = False
    raw_csv: bool = False  # CSV: do not neutralise formula-like cells


@dataclass(frozen=True)
class Format:
    """One file format: its name, suffixes, a one-line description and its module."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    module: str  # imported on first use, so listing formats stays cheap

    def _impl(self) -> ModuleType:
        return importlib.import_module(self.module)

    def read(self, path: Path, *, in_folder: bool = False) -> FileEntries | None:
        """Decode ``path`` into raw entries (None: a file in a folder that holds no incidents)."""
        result: FileEntries | None = self._impl().read(path, in_folder=in_folder)
        return result

    def write(self, incidents: Iterable[Incident], path: Path, options: WriteOptions) -> None:
        """Write ``incidents`` to ``path`` (not atomic by itself; see :func:`write_file`)."""
        self._impl().write(incidents, path, options)


_BUILTIN: tuple[Format, ...] = (
    Format("yaml", (".yaml", ".yml"), "YAML, the hand-edited form (canonical records)",
           "mapper.incidents.formats.yaml"),
    Format("csv", (".csv", ".tsv"), "CSV for spreadsheets, ACLED column names where ACLED has "
           "one (reads mapper's and ACLED's names)", "mapper.incidents.formats.csv"),
    Format("geojson", (".geojson", ".json"), "GeoJSON (RFC 7946, WGS 84): points, and area "
           "polygons with the incident's point in lat/lon", "mapper.incidents.formats.geojson"),
    Format("gpkg", (".gpkg",), "GeoPackage 1.3: layer incidents (one Point each, DATE "
           "fields) and layer incident_areas (MultiPolygons of admin and zone places)",
           "mapper.incidents.formats.gpkg"),
    Format("fgb", (".fgb",), "FlatGeobuf: one Point per incident (areas at their point), "
           "dates as DateTime (FlatGeobuf has no DATE type)", "mapper.incidents.formats.fgb"),
    Format("geoparquet", (".parquet", ".geoparquet"), "GeoParquet 1.1 (geopandas/pyarrow): one "
           "Point per incident, DATE columns", "mapper.incidents.formats.geoparquet"),
    Format("kml", (".kml",), "KML for Google Earth: styled placemarks, TimeStamp/TimeSpan, "
           "areas as MultiGeometry with their point", "mapper.incidents.formats.kml"),
)


@functools.cache
def formats() -> tuple[Format, ...]:
    """Every format: the built-in ones, then those of installed plugins (``mapper.formats``)."""
    from importlib.metadata import entry_points

    found = list(_BUILTIN)
    names = {f.name for f in found}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        fmt = ep.load()
        if not isinstance(fmt, Format):
            raise UsageError(f"entry point {ep.name} ({ep.value}) in {ENTRY_POINT_GROUP} is not "
                             "a mapper.incidents.formats.Format")
        if fmt.name not in names:
            found.append(fmt)
            names.add(fmt.name)
    return tuple(found)


def format_names() -> tuple[str, ...]:
    """The names ``--format`` accepts, in registry order."""
    return tuple(f.name for f in formats())


def incident_suffixes() -> tuple[str, ...]:
    """Every suffix a format reads (a folder gives its files with these suffixes)."""
    return tuple(s for f in formats() for s in f.suffixes)


def get_format(name: str) -> Format:
    """The format called ``name`` (a suffix without the dot works too: ``yml``, ``json``)."""
    key = name.lower().lstrip(".")
    for fmt in formats():
        if fmt.name == key or f".{key}" in fmt.suffixes:
            return fmt
    raise UsageError(f"unknown incident format {name!r}; use one of {', '.join(format_names())}")


def format_for_path(path: str | os.PathLike[str], name: str | None = None) -> Format:
    """The format ``name`` names, or else the one that owns the file's suffix."""
    if name:
        return get_format(name)
    suffix = Path(path).suffix.lower()
    for fmt in formats():
        if suffix in fmt.suffixes:
            return fmt
    raise UsageError(f"{path}: unknown incident file type {suffix or '(none)'}; use "
                     f"{', '.join(incident_suffixes())} (or give --format)")


def formats_table() -> str:
    """The README's format list (Markdown), one row per registered format."""
    rows = ["| `--format` | suffixes | what |", "|---|---|---|"]
    for fmt in formats():
        rows.append(f"| `{fmt.name}` | {' '.join(f'`{s}`' for s in fmt.suffixes)} | "
                    f"{fmt.description} |")
    return "\n".join(rows) + "\n"


def write_file(incidents: Iterable[Incident], path: str | os.PathLike[str],
               format: str | None = None, options: WriteOptions | None = None) -> Path:
    """Write ``incidents`` atomically in ``format`` (or the one the suffix names).

    Formats whose module sets ``STREAMING = True`` (every built-in one) take the incidents as
    a stream, one at a time: memory does not grow with their number. A plugin's format without
    it gets them all at once, as a list.
    """
    target = Path(path)
    fmt = format_for_path(target, format)
    impl = fmt._impl()
    check = getattr(impl, "verify", None)
    streaming = bool(getattr(impl, "STREAMING", False))
    items: Iterable[Incident] = incidents if streaming else list(incidents)
    counted = _Counted(items)

    def verify(tmp: Path) -> None:  # GDAL ignores some write errors (a full disk)
        if check is not None:
            check(tmp, counted.n if streaming else len(counted), target)

    # a list is built in one go (pause the collector); a stream keeps little alive
    pause = contextlib.nullcontext() if streaming else paused_gc()
    with pause, atomic.atomic_path(target, verify=verify) as tmp:
        fmt.write(counted if streaming else items, tmp,
                  options or WriteOptions())
    return target


class _Counted:
    """The incidents, counted as a writer goes through them (for the read-back check)."""

    def __init__(self, items: Iterable[Incident]) -> None:
        self.items, self.n = items, 0

    def __len__(self) -> int:
        return len(self.items) if isinstance(self.items, list) else self.n

    def __iter__(self) -> Iterator[Incident]:
        for item in self.items:
            self.n += 1
            yield item
