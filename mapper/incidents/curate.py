"""Adding incidents to a curated YAML file: by hand (``mapper add``) or from review.

:func:`append_incidents` inserts records at the end of the file's ``incidents:`` list, keeping
everything else as written (comments, the shared ``sources:``, the order and style of the
existing records), checks the result as ``mapper validate`` would and only then renames it into
place: a refused append leaves the file untouched.

:func:`locate_place` geocodes a place name for a new incident and refuses a name the gazetteer
cannot tell apart (two candidates scoring within :data:`AMBIGUITY_MARGIN`), listing the
candidates and their ids for ``--place-id``. :func:`new_incident` builds the record.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mapper.atomic import atomic_path
from mapper.errors import DataError, MapperError, UsageError
from mapper.incidents.files import read_text
from mapper.incidents.formats.yaml import incidents_to_yaml
from mapper.incidents.model import Claim, Incident, Location, Source
from mapper.incidents.resolve import Resolver, safe_search
from mapper.incidents.validate import Problem, check_files

__all__ = ["AMBIGUITY_MARGIN", "Appended", "append_incidents", "curated_ids", "locate_place",
           "new_incident", "unique_id"]

YAML_SUFFIXES = (".yaml", ".yml")

AMBIGUITY_MARGIN = 0.05
"""Two gazetteer candidates scoring closer than this are ambiguous: "Springfield" (Illinois,
Massachusetts, Missouri all score 0.76-0.77) is; "Kursk" (the city 0.86, the oblast 0.72) is not."""

SHOWN_CANDIDATES = 4  # candidates an ambiguity message lists


@dataclass
class Appended:
    """What :func:`append_incidents` wrote: the file, the records, and the warnings about them."""

    path: Path
    incidents: list[Incident]
    warnings: list[Problem]


# ---------------------------------------------------------------------------------- appending
def append_incidents(path: str | os.PathLike[str], incidents: Sequence[Incident], *,
                     gazetteer: Any = None) -> Appended:
    """Append ``incidents`` to the YAML incident file ``path`` (created when missing), atomically.

    Parameters
    ----------
    path
        A ``.yaml``/``.yml`` incident file: a mapping with an ``incidents:`` list (the seeds'
        layout), or a bare list of incidents.
    incidents
        The records to add, in order.
    gazetteer
        Used to resolve and check places while validating (the default one when None).

    Returns
    -------
    Appended
        The warnings ``mapper validate`` gives about the new records.

    Raises
    ------
    DataError
        When the file with the new records would not validate (naming the record, field and
        problem), or the file cannot be parsed; nothing is written then.
    MapperError
        When the file or its folder is not writable.
    """
    target = Path(path)
    if target.suffix.lower() not in YAML_SUFFIXES:
        raise UsageError(f"{target}: records are appended to a YAML incident file (.yaml); "
                         "convert this one with `mapper export --format yaml`, or give a new "
                         ".yaml file")
    old = _read(target)
    records = list(incidents)
    try:
        try:
            problems, first_line = _replace(target, old, records, gazetteer, fast=True)
        except _Misplaced:  # the line scan was fooled by an unusual layout: compose the YAML
            problems, first_line = _replace(target, old, records, gazetteer, fast=False)
    except PermissionError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise MapperError(f"{target}: cannot write ({reason}); check the permissions of the "
                          "file and its folder, or give another file") from None
    ours = [p for p in problems if isinstance(p.where, int) and p.where >= first_line]
    return Appended(target, records, [_renamed(p, target) for p in ours])


class _Misplaced(Exception):
    """The records did not land at the end of the list (only the line scan can cause this)."""


def _replace(target: Path, old: str, records: list[Incident], gazetteer: Any, *,
             fast: bool) -> tuple[list[Problem], int]:
    """Write the file with ``records`` appended beside it, validate it, rename it into place."""
    new_text, first_line = _with_records(old, target, records, fast=fast)
    n_lines = new_text.count("\n")
    with atomic_path(target) as tmp:
        tmp.write_text(new_text, encoding="utf-8", newline="\n")
        checked, problems = check_files([tmp], gazetteer=gazetteer)
        errors = [p for p in problems if p.severity == "error"]
        tail = [i.id for i in checked[len(checked) - len(records):]]
        if fast and (errors or tail != [r.id for r in records]):
            raise _Misplaced  # check with the composed layout before blaming the records
        if errors:
            raise _refusal(errors, target, records, first_line, n_lines)
        if tail != [r.id for r in records]:
            raise DataError("could not tell where the `incidents:` list ends; append the "
                            "records by hand", path=str(target))
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)  # keep the file's permissions
    return problems, first_line


def curated_ids(path: str | os.PathLike[str]) -> set[str]:
    """The ids in an incident file (none when it does not exist yet); places are not resolved."""
    if not Path(path).exists():
        return set()
    incidents, _ = check_files([Path(path)], resolve=False)
    return {i.id for i in incidents}


def _read(target: Path) -> str:
    if not target.exists():
        folder = target.absolute().parent
        while not folder.exists():  # atomic_path makes the missing folders
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise MapperError(f"{target}: cannot create the file (permission denied); give a "
                              "file in a folder you can write to")
        return ""
    if not os.access(target, os.W_OK):
        raise MapperError(f"{target}: not writable (permission denied); make it writable "
                          "(chmod u+w) or give another file")
    return read_text(target)


def _with_records(text: str, target: Path, incidents: list[Incident], *, fast: bool = True,
                  ) -> tuple[str, int]:
    """The file's text with ``incidents`` appended to its list, and the first new line (1-based).

    ``fast`` finds the end of a plain block list by its lines; otherwise (or for any other
    layout) the YAML is composed.
    """
    import yaml

    if not text.strip():
        body = _records_yaml(incidents, indent=2)
        return "incidents:\n" + body, 2
    found = _block_list_end(text) if fast else None
    if found is not None:  # the common layout, found by lines: composing is 2 s per 5,000
        at, indent = found
        head, tail = text[:at], text[at:]
        if not head.endswith("\n"):
            head += "\n"
        return head + _records_yaml(incidents, indent=indent) + tail, head.count("\n") + 1
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"YAML syntax: {getattr(exc, 'problem', None) or exc}; fix the file "
                        "first (`mapper validate`)", path=str(target),
                        line=mark.line + 1 if mark else None) from None
    items: Any = None
    if isinstance(root, yaml.SequenceNode):
        items = root
    elif isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "incidents":
                items = value
        if items is None:  # a file of shared sources only: start the list at the end
            head = text if text.endswith("\n") else text + "\n"
            return head + "incidents:\n" + _records_yaml(incidents, indent=2), \
                head.count("\n") + 2
    else:
        raise DataError("expected a mapping with `incidents:` or a list of incidents; fix the "
                        "file first (`mapper validate`)", path=str(target), line=1)
    if isinstance(items, yaml.SequenceNode) and not items.flow_style:
        at = _after_last_content(text, items.end_mark.index)
        head, tail = text[:at], text[at:]
        if not head.endswith("\n"):
            head += "\n"
        body = _records_yaml(incidents, indent=items.start_mark.column)
        return head + body + tail, head.count("\n") + 1
    if (isinstance(items, yaml.ScalarNode) and items.tag.endswith(":null")) or \
            (isinstance(items, yaml.SequenceNode) and not items.value):
        # `incidents:` or `incidents: []`: the new records replace the empty value
        head, tail = text[:items.start_mark.index].rstrip(" "), text[items.end_mark.index:]
        head = head if head.endswith("\n") else head + "\n"
        tail = tail[1:] if tail.startswith("\n") else tail
        return head + _records_yaml(incidents, indent=2) + tail, head.count("\n") + 1
    raise DataError("`incidents` is not a block list (`- id: ...` items); rewrite it in block "
                    "style to append to it", path=str(target), line=items.start_mark.line + 1,
                    field="incidents")


_TOP_INCIDENTS = re.compile(r"^incidents[ \t]*:[ \t]*(?:#.*)?$", re.M)
_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)(?:\s|$)", re.M)


def _block_list_end(text: str) -> tuple[int, int] | None:
    """Where new items go in a file whose top-level ``incidents:`` is a block list, and the
    items' indentation, found by scanning lines; None for any other layout (the caller then
    composes the YAML). Items are the lines indented under the key (or ``-`` lines at column 0,
    PyYAML's style); the list ends at the next line with text at column 0.
    """
    keys = list(_TOP_INCIDENTS.finditer(text))
    if len(keys) != 1 or _DOCUMENT_MARK.search(text):
        return None
    indent: int | None = None
    end = None
    pos = keys[0].end() + 1
    for line in text[pos:].split("\n"):  # "\n" only: YAML breaks no line at U+2028 and kin
        pos += len(line) + 1
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        lead = len(line) - len(line.lstrip(" "))
        if indent is None:
            if not (body == "-" or body.startswith("- ")):
                return None  # `incidents:` followed by something else than list items
            indent = lead
        elif lead == 0 and not (indent == 0 and line.startswith("-")):
            break  # the next top-level key
        end = pos
    if indent is None or end is None:
        return None
    return min(end, len(text)), indent


def _after_last_content(text: str, end: int) -> int:
    """Where a block list ending at ``end`` really ends: after its last line that is neither
    blank nor a comment (comments before the next key belong to that key).
    """
    lines = text[:end].splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return sum(len(line) for line in lines)


def _records_yaml(incidents: Iterable[Incident], indent: int) -> str:
    """The records as block-list items, indented to sit under an existing list."""
    text = incidents_to_yaml(incidents)
    body = text.split("\n", 1)[1]  # drop the `incidents:` line
    pad = " " * indent
    return "".join(pad + line if line.strip() else line
                   for line in body.splitlines(keepends=True))


def _refusal(errors: list[Problem], target: Path, incidents: Sequence[Incident],
             first_line: int, n_lines: int) -> DataError:
    """One line: the first error, on a new record (by id) or already in the file (by line)."""
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    field = f"{first.field}: " if first.field else ""
    if isinstance(first.where, int) and first_line <= first.where <= n_lines:
        ids = ", ".join(i.id for i in incidents)
        return DataError(f"refused {ids}: {field}{first.message}{more}; nothing was written",
                         path=str(target))
    return DataError(f"{field}{first.message}{more}; the file is invalid already: fix it "
                     f"(`mapper validate {target}`) before adding to it", path=str(target),
                     line=first.where)


def _renamed(problem: Problem, target: Path) -> Problem:
    return replace(problem, path=str(target))


# ---------------------------------------------------------------------------------- new records
def locate_place(name: str, gazetteer: Any = None, *, place_id: str | None = None) -> Location:
    """Geocode ``name`` for a new incident; an ambiguous or unknown name is a one-line error.

    Parameters
    ----------
    name
        The place as the source writes it; "Name, Region" narrows the search to that region.
    gazetteer
        The open gazetteer (the default one when None).
    place_id
        A gazetteer id (``gn:483166``, ``adm1:RU-KRS``) that settles the place; ``name`` is kept
        as written.

    Raises
    ------
    UsageError
        When the name matches nothing, only approximately, or several places about equally;
        the message lists the top candidates with their ids for ``--place-id``.
    """
    resolver = Resolver(gazetteer)
    if place_id:
        place = resolver.place(place_id)
        if place is None:
            raise UsageError(f"--place-id {place_id}: not in this gazetteer; find the id with "
                             f"`mapper geocode {_quoted(name)} --json`")
        return resolver.resolve(Location(name=name, place_id=place_id)).location
    if "," not in name:  # "Name, Region": the resolver narrows by the region; trust that
        cands = safe_search(resolver.gazetteer, name, limit=SHOWN_CANDIDATES + 1)
        if not cands:
            raise UsageError(f"--place {_quoted(name)}: not in the gazetteer; check the "
                             "spelling, or give --place-id (`mapper geocode NAME`)")
        if cands[0].fuzzy:
            raise UsageError(f"--place {_quoted(name)}: only approximate matches: "
                             f"{_listing(cands)}; give --place-id ID or fix the spelling")
        if len(cands) > 1 and cands[0].score - cands[1].score < AMBIGUITY_MARGIN:
            close = [c for c in cands if cands[0].score - c.score < AMBIGUITY_MARGIN]
            raise UsageError(f"--place {_quoted(name)} is ambiguous: {_listing(close)}; give "
                             "--place-id ID, or add the region ('Name, Region')")
    outcome = resolver.resolve(Location(name=name))
    if not outcome.location.resolved:
        raise UsageError(f"--place {_quoted(name)}: {outcome.message or 'not found'}")
    if outcome.severity:  # a best match outside the region named: say so rather than guess
        raise UsageError(f"--place {_quoted(name)}: {outcome.message}")
    return outcome.location


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "’") + "'"


def _listing(cands: Sequence[Any]) -> str:
    parts = []
    for c in cands[:SHOWN_CANDIDATES]:
        p = c.place
        where = ", ".join(x for x in (p.admin1 if p.kind != "admin1" else None,
                                      p.country_code) if x)
        parts.append(f"{p.id} {p.name} ({p.kind}{', ' + where if where else ''})")
    return "; ".join(parts)


def new_incident(*, date: dt.date, place: Location, category: str, summary: str, source: str,
                 quote: str | None = None, claimed_by: Sequence[str] = (),
                 date_end: dt.date | None = None, outlet: str | None = None,
                 published: dt.date | None = None, incident_id: str | None = None,
                 taken: Iterable[str] = ()) -> Incident:
    """A hand-written incident: one source, and one asserted claim per party in ``claimed_by``.

    The id is ``incident_id``, or made from the place and date (``tyotkino-2024-03-14``) and
    numbered when ``taken`` already holds it.
    """
    claims = [Claim(by=party, stance="asserts", quote=quote, source_url=source)
              for party in dict.fromkeys(claimed_by)]
    inc_id = incident_id or unique_id(f"{_slug(place.name)}-{date.isoformat()}", taken)
    # the name as written and the id it resolved to, as in the seeds: the file stays short and
    # the gazetteer supplies the point, kind and region when the file is read
    pinned = Location(name=place.name, place_id=place.place_id) if place.place_id else place
    return Incident(id=inc_id, date=date, date_end=date_end, place=pinned, category=category,
                    summary=summary, claims=claims,
                    sources=[Source(outlet=outlet, url=source, published=published, quote=quote)])


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``taken``."""
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "incident"
