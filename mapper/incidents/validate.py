"""The incident linter behind ``mapper validate`` (and the schema check every reader runs).

:func:`validate_files` returns every :class:`Problem` in the files: schema (required fields,
types, vocabularies; unknown fields are errors, unknown categories warnings), dates (real
calendar dates, not in the future, end not before start), coordinates (range, likely swapped
lat/lon, a point outside the admin unit or far from the settlement it names), URLs (http and
https only), duplicate ids (across files too), unresolvable places, sources without a date,
claims without a source or a quote.

Each problem prints as one line: ``error: file:line: field: message`` (GeoJSON:
``file:feature N: ...``, features counted from 0).
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.incidents.checks import Problem, RecordChecker
from mapper.incidents.files import Entry, FileEntries, fixed_locator
from mapper.incidents.gcpause import paused_gc
from mapper.incidents.geochecks import GeoChecker
from mapper.incidents.idset import SeenIds
from mapper.incidents.inputs import expand_paths, load_entries
from mapper.incidents.model import Incident, Location
from mapper.incidents.unflatten import check_place_en, check_views, note_list

__all__ = ["Problem", "check_files", "check_incidents", "iter_checked", "iter_problems",
           "paused_gc", "validate_files"]

MOVED_TOLERANCE_DEG = 1e-5  # about a metre: less is the 6-decimal rounding of an export


# ---------------------------------------------------------------------------------- entry points
def validate_files(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
                   gazetteer: Any = None, resolve: bool = True) -> list[Problem]:
    """Every problem in the files (syntax errors included, as one problem for their file)."""
    return list(iter_problems(paths, gazetteer=gazetteer, resolve=resolve))


def iter_problems(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
                  gazetteer: Any = None, resolve: bool = True) -> Iterator[Problem]:
    """The problems of :func:`validate_files` one at a time, in the same order, as the files
    are read: memory does not grow with the number of rows (24 bytes a row for the
    duplicate-id check, :class:`mapper.incidents.idset.SeenIds`).
    """
    files = expand_paths(paths)
    if not files:
        from mapper.incidents.formats import incident_suffixes

        yield Problem("error", str(paths if isinstance(paths, (str, os.PathLike)) else
                                   ", ".join(map(str, paths))), None, None,
                      f"no incident files ({' '.join(incident_suffixes())}) found")
        return
    from mapper.incidents.resolve import Resolver

    # the linter only reports: the incidents are not kept
    run = _Run(Resolver(gazetteer) if resolve else None, True, False, keep=False)
    for path, in_folder in files:
        try:
            decoded = load_entries(path, in_folder=in_folder)
            if decoded is not None:
                for _ in run.each(decoded):
                    yield from run.problems
                    run.problems.clear()
        except DataError as exc:
            run.problems.append(_from_error(exc, str(path)))
        yield from run.problems
        run.problems.clear()


def iter_checked(files: list[tuple[Path, bool]], *, gazetteer: Any = None,
                 resolve: bool = True, on_problem: Callable[[Any], Any] | None = None,
                 ) -> Iterator[Incident]:
    """Checked (and resolved) incidents one at a time, as the files are read.

    Warnings go to ``on_problem`` as they are found; the first record with an error raises
    its :class:`DataError` (as :func:`mapper.incidents.io.read_incidents` does, so a stream
    that is consumed to the end gives what that list holds). Memory does not grow with the
    rows read beyond 24 bytes a row (the duplicate-id check).
    """
    from mapper.incidents.resolve import Resolver

    run = _Run(Resolver(gazetteer) if resolve else None, True, True, keep=False)

    def drain() -> None:
        errors = [p for p in run.problems if p.severity == "error"]
        if errors:
            raise errors[0].to_error(len(errors) - 1)
        if on_problem is not None:
            for problem in run.problems:
                on_problem(problem)
        run.problems.clear()

    for path, in_folder in files:
        decoded = load_entries(path, in_folder=in_folder)
        if decoded is None:
            continue
        for inc in run.each(decoded):
            drain()
            if inc is not None:
                yield inc
        drain()


def check_files(files: list[tuple[Path, bool]] | list[Path], *, gazetteer: Any = None,
                resolve: bool = True,
                gazetteer_checks: bool = True, stop_on_error: bool = False, keep: bool = True,
                ) -> tuple[list[Incident], list[Problem]]:
    """Decode, check, build and (optionally) resolve; returns incidents and problems.

    ``files``: paths, or (path, found in a folder) pairs from :func:`expand_paths`.

    ``gazetteer_checks`` adds the coordinate-versus-gazetteer checks (point outside the named
    area, swapped coordinates, point far from the named settlement). With ``stop_on_error`` a
    syntax error raises :class:`DataError` and checking stops after the first bad record.
    With ``keep=False`` the incidents are checked but not returned (the list is empty).
    """
    from mapper.incidents.resolve import Resolver

    run = _Run(Resolver(gazetteer) if resolve else None, gazetteer_checks, stop_on_error, keep)
    with paused_gc():
        for item in files:
            path, in_folder = item if isinstance(item, tuple) else (item, False)
            try:
                decoded = load_entries(path, in_folder=in_folder)
                if decoded is not None and not run.file(decoded):
                    break
            except DataError as exc:
                if stop_on_error:
                    raise
                run.problems.append(_from_error(exc, str(path)))
    return run.incidents, run.problems



def check_incidents(incidents: Iterable[Incident], path: str, *, gazetteer: Any = None,
                    ) -> tuple[list[Incident], list[Problem]]:
    """Check incidents made in memory (extraction drafts) as if ``path`` held their records.

    Returns the incidents that pass (rebuilt from their records) and every problem, each
    located as ``path:incident ID``.
    """
    from mapper.incidents.resolve import Resolver

    entries = [Entry(inc.to_dict(), path, f"incident {inc.id}",
                     fixed_locator(f"incident {inc.id}")) for inc in incidents]
    run = _Run(Resolver(gazetteer), True, False)
    run.file(FileEntries(path, entries))
    return run.incidents, run.problems


def _from_error(exc: DataError, path: str) -> Problem:
    message = str(exc)
    prefix = f"{exc.path}:{exc.line}" if exc.line is not None else str(exc.path)
    if exc.path is not None and message.startswith(prefix + ": "):
        message = message[len(prefix) + 2:]
    if exc.field and message.startswith(exc.field + ": "):
        message = message[len(exc.field) + 2:]
    return Problem("error", exc.path or path, exc.line, exc.field, message)


class _Run:
    """State across the files of one check: incidents, problems, ids seen, caches."""

    def __init__(self, resolver: Any, gazetteer_checks: bool, stop_on_error: bool,
                 keep: bool = True) -> None:
        self.resolver, self.stop, self.keep = resolver, stop_on_error, keep
        self.geo = GeoChecker(resolver) if (resolver and gazetteer_checks) else None
        self.problems: list[Problem] = []
        self.incidents: list[Incident] = []
        self.seen_ids = SeenIds()
        self.stopped = False
        self.today = dt.datetime.now(dt.UTC).date()

    def file(self, decoded: FileEntries) -> bool:
        """Check one decoded file; False when checking should stop (first error, stop mode)."""
        for inc in self.each(decoded):
            if self.keep and inc is not None:
                self.incidents.append(inc)
        return not self.stopped

    def each(self, decoded: FileEntries) -> Iterator[Incident | None]:
        """Check one decoded file, yielding each incident that passes (or, when not kept,
        each record checked, as None); sets ``stopped`` at the first error in stop mode.
        Problems gather in ``problems`` as they are found.
        """
        problems = self.problems
        problems.extend(Problem(s, decoded.path, w, f, m) for s, w, f, m in decoded.notes)
        for shared in decoded.shared_sources:
            RecordChecker(shared, self.today, problems).shared_source()
        for entry in decoded.entries:
            checker = RecordChecker(entry, self.today, problems)
            for severity, field, message in note_list(entry):
                checker.add(severity, field, message)
            inc = checker.incident()
            if inc is None:
                if self.stop:
                    self.stopped = True
                    return
                yield None
                continue
            first = self.seen_ids.first(inc.id)
            if first is not None:
                checker.err("id", f"duplicate id {inc.id!r} (first used at "
                            f"{first}); every incident needs its own id")
                if self.stop:
                    self.stopped = True
                    return
                yield None
                continue
            self.seen_ids.add(inc.id, entry.path, entry.where)
            renamed = None
            if self.resolver is not None and "views" in entry.extra:  # a flat file (GIS, CSV)
                renamed = _renamed(inc.place, self.resolver)
                if renamed is not None:
                    checker.warn("place.name", renamed[1])
                    inc.place = renamed[0]
            explicit = inc.place.resolved
            if self.resolver is not None:
                outcome = self.resolver.resolve(inc.place)
                inc.place = outcome.location
                if outcome.message:
                    checker.add(outcome.severity or "warning", outcome.field, outcome.message)
            if self.geo is not None and explicit:
                self.geo.check(inc, checker)
            if entry.extra.get("views"):
                for col, message in check_views(inc, entry.extra["views"]):
                    checker.warn(col, message)
                english = entry.extra["views"].get("place_en")
                if self.resolver is not None and renamed is None and english:
                    # a renamed place's English name follows the new name: not an edit
                    place = self.resolver.place(inc.place.place_id) if inc.place.place_id \
                        else None
                    edited = check_place_en(inc, english, place)
                    if edited:
                        checker.warn("place_en", edited)
            if self.resolver is not None and entry.extra.get("point_from_geometry"):
                _note_move(inc, self.resolver)
            if checker.errors and self.stop:
                self.stopped = True
                return
            yield inc


def _at_place(loc: Location, place: Any) -> bool:
    """Whether ``loc`` has no point or sits on ``place``'s gazetteer point (not moved)."""
    if loc.lat is None or loc.lon is None:
        return True
    return abs(place.lat - loc.lat) <= MOVED_TOLERANCE_DEG and \
        abs(place.lon - loc.lon) <= MOVED_TOLERANCE_DEG


def _renamed(loc: Location, resolver: Any) -> tuple[Location, str] | None:
    """A settlement renamed in a GIS or spreadsheet: the ``place`` column now names another
    settlement, while ``place_id`` and the point still are the old one's. The name wins (it is
    what the person edited); the point follows it. Only for settlements (``gn:`` ids) whose
    point was not moved, and only when the new name is unambiguous: a curated name pinned to an
    area ("region of Belgorod" -> adm1:RU-BEL) is never second-guessed.
    """
    if not loc.place_id or not loc.place_id.startswith("gn:"):
        return None
    old = resolver.place(loc.place_id)
    if old is None or old.lat is None or not _at_place(loc, old):
        return None
    probe = resolver.resolve(Location(name=loc.name, country_code=loc.country_code))
    new = probe.location
    if probe.severity is not None or not new.resolved or new.kind != "settlement" \
            or new.place_id == loc.place_id:
        return None
    message = (f"renamed from {old.name} ({old.id}): {loc.name!r} is {new.place_id}, so the "
               "point follows the new name; edit place_id or move the point to place it "
               "differently")
    return Location(name=loc.name, country_code=loc.country_code), message


def _note_move(inc: Incident, resolver: Any) -> None:
    """A point that was moved off its gazetteer place (in QGIS, say) is kept; its resolution
    says so, so the move is visible and survives the next export.
    """
    loc = inc.place
    if not loc.place_id or loc.lat is None or loc.lon is None:
        return
    place = resolver.place(loc.place_id)
    if place is None or place.lat is None or place.lon is None:
        return
    if abs(place.lat - loc.lat) <= MOVED_TOLERANCE_DEG and \
            abs(place.lon - loc.lon) <= MOVED_TOLERANCE_DEG:
        return
    if loc.resolution and loc.resolution.startswith("moved by hand"):
        return
    was = f"; was: {loc.resolution}" if loc.resolution else ""
    loc.resolution = (f"moved by hand from the gazetteer point of {place.name} "
                      f"({place.lat:.6f}, {place.lon:.6f}){was}")
