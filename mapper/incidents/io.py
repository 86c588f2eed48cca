"""Read and write incident files in any registered format (:mod:`mapper.incidents.formats`).

:func:`read_incidents` decodes the files, checks every record
(:mod:`mapper.incidents.validate`), resolves place names through the gazetteer
(:mod:`mapper.incidents.resolve`) and raises :class:`~mapper.errors.DataError` on the first
error; :func:`write_incidents` writes atomically in the format the suffix (or ``format``)
names. What one writes, the other reads back unchanged.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.formats import WriteOptions, incident_suffixes, write_file
from mapper.incidents.formats.yaml import incidents_to_yaml
from mapper.incidents.inputs import PathArg, expand_paths, incident_files
from mapper.incidents.model import Incident

__all__ = ["incident_files", "incidents_to_yaml", "iter_incidents", "read_incidents",
           "write_incidents"]


def read_incidents(paths: PathArg, gazetteer: Any = None, resolve: bool = True, *,
                   on_problem: Callable[[Any], None] | None = None,
                   allow_empty: bool = False) -> list[Incident]:
    """Read incident files (any registered format; folders give their incident files, sorted).

    Place names without coordinates resolve through ``gazetteer`` (opened on first need when
    None and ``resolve`` is true); explicit coordinates win; unresolved places are kept with
    lat/lon None and reported as warnings. Any error (bad syntax, schema, dates, coordinates,
    URLs, duplicate ids) raises :class:`DataError` naming file, line or feature and field.
    Warnings go to ``on_problem`` (a :class:`mapper.incidents.validate.Problem`), or are dropped.
    """
    from mapper.incidents.validate import check_files

    files = expand_paths(paths)
    if not files and not allow_empty:
        shown = ", ".join(str(p) for p in ([paths] if isinstance(paths, (str, os.PathLike))
                                           else paths))
        raise DataError(f"no incident files (looked for {', '.join(incident_suffixes())})",
                        path=shown or ".")
    incidents, problems = check_files(files, gazetteer=gazetteer, resolve=resolve,
                                      stop_on_error=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise errors[0].to_error(len(errors) - 1)
    if on_problem:
        for problem in problems:
            on_problem(problem)
    return incidents


def iter_incidents(paths: PathArg, gazetteer: Any = None, resolve: bool = True, *,
                   on_problem: Callable[[Any], None] | None = None) -> Iterator[Incident]:
    """What :func:`read_incidents` returns, one incident at a time as the files are read
    (memory does not grow with the rows: ``mapper export`` of millions). Warnings go to
    ``on_problem`` as they are found; the first error raises :class:`DataError` when reached.
    """
    from mapper.incidents.validate import iter_checked

    files = expand_paths(paths)
    if not files:
        shown = ", ".join(str(p) for p in ([paths] if isinstance(paths, (str, os.PathLike))
                                           else paths))
        raise DataError(f"no incident files (looked for {', '.join(incident_suffixes())})",
                        path=shown or ".")
    yield from iter_checked(files, gazetteer=gazetteer, resolve=resolve, on_problem=on_problem)


def write_incidents(incidents: Iterable[Incident], path: str | os.PathLike[str],
                    format: str | None = None, *, gazetteer: Any = None,
                    points: bool = False) -> Path:
    """Write incidents atomically in ``format`` (or the one the file suffix names).

    ``gazetteer`` draws areas as polygons in the formats that hold them (GeoJSON, GeoPackage,
    KML); ``points`` keeps the point instead. Rerunning gives byte-identical files.
    """
    return write_file(incidents, path, format, WriteOptions(gazetteer, points))
