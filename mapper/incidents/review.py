"""Reviewing machine drafts into a curated file: accept (possibly edited), reject, or skip.

A :class:`Review` pairs a drafts file (``mapper extract`` output) with a curated YAML file.
Accepting a draft appends it to the curated file through
:func:`mapper.incidents.curate.append_incidents` (atomic, validated: a draft that would make the
file invalid is refused and nothing is written) with ``status: reviewed``, who reviewed it and
when, and without the extraction ``confidence``. Rejections are remembered in a sidecar beside
the curated file (``incidents.yaml`` -> ``incidents.rejected.yaml``), so a later review does not
ask about them again; delete an entry there to review that draft again.

>>> from pathlib import Path
>>> rejections_path(Path("news/incidents.yaml")).as_posix()
'news/incidents.rejected.yaml'
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.atomic import write_text
from mapper.errors import DataError, UsageError
from mapper.guards import printable
from mapper.incidents.curate import Appended, append_incidents, curated_ids, locate_place
from mapper.incidents.files import read_text
from mapper.incidents.io import read_incidents
from mapper.incidents.model import Incident
from mapper.incidents.resolve import safe_search
from mapper.incidents.validate import Problem

__all__ = ["Edits", "Outcome", "Review", "current_reviewer", "describe", "rejections_path",
           "reviewed"]

DRAFT_TAG = "draft"  # the tag `mapper extract` puts on its drafts; dropped on acceptance


@dataclass(frozen=True)
class Edits:
    """Changes a reviewer makes before accepting a draft (None: keep the draft's value).

    ``place`` is a place name to geocode again; ``place_id`` pins it to a gazetteer entry.
    """

    place: str | None = None
    place_id: str | None = None
    date: dt.date | None = None
    category: str | None = None
    summary: str | None = None


@dataclass
class Outcome:
    """What a scripted review did, in the order of the ids given."""

    accepted: list[Incident] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # accepted before: in the curated file
    warnings: list[Problem] = field(default_factory=list)


def rejections_path(curated: Path) -> Path:
    """The sidecar that remembers rejected drafts: ``NAME.rejected.yaml`` beside ``curated``."""
    return curated.with_name(f"{curated.stem}.rejected.yaml")


def current_reviewer() -> str:
    """The login name, as ``reviewed_by`` when the reviewer gives none."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (some containers)
        raise UsageError("cannot tell who you are (no user name); give --reviewer NAME") from None


def reviewed(draft: Incident, *, reviewer: str, at: dt.datetime) -> Incident:
    """The accepted form of ``draft``: status reviewed, who and when, no confidence or draft tag."""
    if not reviewer.strip():
        raise UsageError("an empty reviewer name; give --reviewer NAME")
    return dataclasses.replace(
        draft, status="reviewed", confidence=None, reviewed_by=reviewer.strip(),
        reviewed_at=at.astimezone(dt.UTC).replace(microsecond=0),
        tags=[t for t in draft.tags if t != DRAFT_TAG])


class Review:
    """Drafts from ``drafts`` reviewed into the curated YAML file ``curated``.

    Parameters
    ----------
    drafts
        An incident file of drafts (``mapper extract -o drafts.yaml``); records that are not
        drafts are left out.
    curated
        The YAML file accepted drafts are appended to (created on the first acceptance).
    gazetteer
        Resolves places (the default gazetteer when None).
    reviewer
        ``reviewed_by`` of accepted drafts (default: the login name).
    clock
        Gives the review time (default: now, UTC); tests pass a fixed one.
    """

    def __init__(self, drafts: str | os.PathLike[str], curated: str | os.PathLike[str], *,
                 gazetteer: Any = None, reviewer: str | None = None,
                 clock: Any = None) -> None:
        self.drafts_path, self.curated_path = Path(drafts), Path(curated)
        self.gazetteer = gazetteer
        self.reviewer = reviewer or current_reviewer()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.drafts = [i for i in read_incidents(self.drafts_path, gazetteer=gazetteer)
                       if i.is_draft]
        self.curated_ids = curated_ids(self.curated_path)
        self.rejections = self._read_rejections()

    # -- state ----------------------------------------------------------------------------------
    def pending(self) -> list[Incident]:
        """Drafts neither accepted (their id is in the curated file) nor rejected, in file order."""
        return [d for d in self.drafts
                if d.id not in self.curated_ids and d.id not in self.rejections]

    def draft(self, draft_id: str) -> Incident:
        """The draft with this id; an unknown id is a one-line :class:`UsageError`."""
        for d in self.drafts:
            if d.id == draft_id:
                return d
        known = [d.id for d in self.drafts]
        listing = ", ".join(known[:6]) + (f" and {len(known) - 6} more" if len(known) > 6 else "")
        raise UsageError(f"{self.drafts_path}: no draft with id {draft_id!r}"
                         + (f"; the drafts are {listing}" if known else "; it holds no drafts"))

    def candidates(self, draft: Incident, limit: int = 4) -> list[Any]:
        """Gazetteer candidates for the draft's place name, best first (for the reviewer)."""
        return safe_search(self._gazetteer(), draft.place.name, limit=limit)

    # -- decisions ------------------------------------------------------------------------------
    def edit(self, draft: Incident, edits: Edits) -> Incident:
        """``draft`` with ``edits`` applied; a new place is geocoded (ambiguity is an error)."""
        changes: dict[str, Any] = {}
        if edits.place is not None or edits.place_id is not None:
            name = (edits.place or draft.place.name).strip()
            changes["place"] = locate_place(name, self._gazetteer(), place_id=edits.place_id)
        if edits.date is not None:
            changes["date"] = edits.date
            if draft.date_end is not None and draft.date_end < edits.date:
                changes["date_end"] = None  # an end before the new start means nothing
        for name in ("category", "summary"):
            value = getattr(edits, name)
            if value is not None and value.strip():
                changes[name] = value.strip()
        return dataclasses.replace(draft, **changes)

    def accept(self, drafts: Sequence[Incident]) -> Appended:
        """Append the reviewed form of ``drafts`` to the curated file, all or nothing.

        Raises :class:`DataError` (nothing written) when the curated file would not validate.
        """
        at = self._clock()
        records = [reviewed(d, reviewer=self.reviewer, at=at) for d in drafts]
        done = append_incidents(self.curated_path, records, gazetteer=self.gazetteer)
        self.curated_ids.update(r.id for r in records)
        changed = [r.id for r in records if r.id in self.rejections]
        for rid in changed:  # accepting a draft rejected earlier: the reviewer changed their mind
            del self.rejections[rid]
        if changed:
            self._write_rejections()
        return done

    def reject(self, drafts: Iterable[Incident], reason: str | None = None) -> None:
        """Remember ``drafts`` as rejected (the sidecar is rewritten atomically)."""
        at = self._clock().astimezone(dt.UTC).replace(microsecond=0).isoformat()
        for d in drafts:
            entry: dict[str, Any] = {"id": d.id, "rejected_by": self.reviewer, "rejected_at": at}
            if reason:
                entry["reason"] = reason
            entry["summary"] = d.summary[:200]
            urls = [s.url for s in d.sources if s.url]
            if urls:
                entry["source"] = urls[0]
            self.rejections[d.id] = entry
        self._write_rejections()

    def run(self, accept: Sequence[str] = (), reject: Sequence[str] = (),
            reason: str | None = None) -> Outcome:
        """The scripted review: accept and reject drafts by id (``--accept``/``--reject``).

        Every id is checked first (unknown ids and an id given both ways are usage errors), then
        the accepted drafts are appended in one atomic write, then the rejections are saved.
        """
        both = sorted(set(accept) & set(reject))
        if both:
            raise UsageError(f"{both[0]}: given to both --accept and --reject; choose one")
        to_accept = [self.draft(i) for i in dict.fromkeys(accept)]
        to_reject = [self.draft(i) for i in dict.fromkeys(reject)]
        out = Outcome(already=[d.id for d in to_accept if d.id in self.curated_ids])
        fresh = [d for d in to_accept if d.id not in self.curated_ids]
        if fresh:
            done = self.accept(fresh)
            out.accepted, out.warnings = done.incidents, done.warnings
        if to_reject:
            self.reject(to_reject, reason)
            out.rejected = [d.id for d in to_reject]
        return out

    # -- files ----------------------------------------------------------------------------------
    def _gazetteer(self) -> Any:
        if self.gazetteer is None:
            from mapper.gazetteer.access import open_gazetteer

            self.gazetteer = open_gazetteer()
        return self.gazetteer

    def _read_rejections(self) -> dict[str, dict[str, Any]]:
        import yaml

        path = rejections_path(self.curated_path)
        if not path.exists():
            return {}
        try:
            data = yaml.safe_load(read_text(path)) or {}
        except yaml.YAMLError as exc:
            raise DataError(f"YAML syntax: {str(exc).splitlines()[0]}; fix or delete the file",
                            path=str(path)) from None
        entries = data.get("rejected") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("id")
                                                    for e in entries):
            raise DataError("expected `rejected:` followed by `- id: ...` items; fix or delete "
                            "the file", path=str(path))
        return {str(e["id"]): e for e in entries}

    def _write_rejections(self) -> None:
        import yaml

        path = rejections_path(self.curated_path)
        head = (f"# Drafts `mapper review` rejected for {self.curated_path.name}: a later review "
                "does not ask about them\n# again. Delete an entry to review that draft again.\n")
        body = yaml.safe_dump({"rejected": list(self.rejections.values())}, sort_keys=False,
                              allow_unicode=True, width=100)
        write_text(path, head + body)


def _plain(text: Any, limit: int = 400) -> str:
    """Article text made safe for a terminal (an escape sequence in a scraped page must not drive
    the reviewer's terminal: ``mapper.guards.printable``), on one line, at most ``limit`` long.
    """
    flat = printable(" ".join(str(text).split()))
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def describe(draft: Incident, candidates: Sequence[Any] = ()) -> list[str]:
    """The lines a reviewer reads about one draft: date, place, category, summary, evidence,
    source and the gazetteer's candidates for the place (numbered, the current one marked).
    """
    def when() -> str:
        if draft.date is None:
            return "(none: set one with edit)"
        end = f" to {draft.date_end.isoformat()}" if draft.date_end else ""
        return f"{draft.date.isoformat()}{end} ({draft.date_precision})"

    p = draft.place
    where = ", ".join(x for x in (p.kind, p.admin1 if p.kind != "admin1" else None,
                                  p.country_code) if x)
    place = _plain(p.name) + (f" -> {p.place_id} ({where})" if p.place_id else
                              " (not resolved)" if not p.resolved else f" ({p.lat}, {p.lon})")
    conf = f", confidence {draft.confidence:.2f}" if draft.confidence is not None else ""
    lines = [f"{draft.id}: Draft — not reviewed{conf}",
             f"  date      {when()}",
             f"  place     {place}",
             f"  category  {_plain(draft.category)}",
             f"  summary   {_plain(draft.summary)}"]
    evidence = draft.evidence or next((s.quote for s in draft.sources if s.quote), None)
    if evidence:
        lines.append(f"  evidence  “{_plain(evidence)}”")
    for s in draft.sources:
        head = ", ".join(_plain(x) for x in (s.outlet, s.published and s.published.isoformat())
                         if x)
        lines.append(f"  source    {head + ': ' if head else ''}{_plain(s.url or '(no URL)')}")
    if not draft.sources:
        lines.append("  source    (none)")
    if candidates:
        lines.append(f"  place candidates for {_plain(p.name)!r}:")
        for n, c in enumerate(candidates, 1):
            cp = c.place
            mark = "  <- current" if cp.id == p.place_id else ""
            ctx = ", ".join(x for x in (cp.kind, cp.admin1 if cp.kind != "admin1" else None,
                                        cp.country_code) if x)
            lines.append(f"    {n}  {cp.id:<14} {_plain(cp.name, 40)} ({ctx})  "
                         f"{c.score:.2f}{mark}")
    return lines
