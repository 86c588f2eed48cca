"""Read and write incident files: YAML (hand-edited), CSV (spreadsheets) and GeoJSON (GIS).

Reading has two steps. :func:`load_entries` decodes one file into raw records, each with a
locator that turns a field path (``"place.lat"``, ``"claims[1].source_url"``) into the line (YAML,
CSV) or feature (GeoJSON, ``"feature 3"``, counted from 0) where it is written. The schema checks
in :mod:`mapper.incidents.validate` then turn the records into :class:`~mapper.incidents.model.Incident` objects
and list the problems. :func:`read_incidents` does both, resolves place names through the
gazetteer (:mod:`mapper.incidents.resolve`) and raises :class:`~mapper.errors.DataError` on the first error.

File formats
------------
YAML: a mapping ``incidents:`` whose items are canonical records (``Incident.to_dict()``); an
optional top-level ``sources:`` list holds shared source records that an incident's source refers
to by url (``- url: https://...`` or a plain url string; fields the item leaves out are filled
from the shared record). A bare list of records is accepted too.

CSV (one row per incident, UTF-8, ``,`` ``;`` or tab separated, header row required):

================  =================================================================
column            content
================  =================================================================
id, date, date_end, date_precision, category, summary     as in the record (dates YYYY-MM-DD)
place             the place as written
place_id, place_kind, lat, lon, geo_precision, country_code, admin1, resolution
                  the resolved place (``place_kind`` is ``place.kind``)
actors, tags      values joined with `` | ``
claims            the claims as a JSON list (``[{"by": ..., "stance": ..., "quote": ...}]``)
claimed_by        parties asserting the incident, `` | ``-joined; read only when ``claims`` is
                  empty (each becomes a claim with just ``by``)
verification      the status (unverified, disputed, confirmed)
verified_by       `` | ``-joined; ``verification_note`` the note
sources           the sources as a JSON list; when empty, ``source_urls`` (`` | ``-joined) gives
                  one source per url
confidence, evidence   extraction drafts only
record            the full canonical record as JSON (export CSVs carry it); when present and
                  non-empty it is the row, the other columns are views of it
================  =================================================================

Multi-valued cells hold a JSON list instead when a value itself contains ``|``. Other columns
(a newsroom's own notes, ACLED columns of an export) are ignored, with one warning naming them.

GeoJSON (RFC 7946 FeatureCollection): each feature's ``record`` property (a JSON string, or an
object) is the canonical record; without it the properties are read like CSV columns and a Point
geometry gives lat/lon. A ``.json`` file holding ``{"incidents": [...]}`` is read like YAML.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.errors import DataError, UsageError
from mapper.incidents.model import Incident
from mapper.outputset import own_files

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv", ".tsv")
GEOJSON_SUFFIXES = (".geojson", ".json")
INCIDENT_SUFFIXES = YAML_SUFFIXES + CSV_SUFFIXES + GEOJSON_SUFFIXES

MULTI_SEP = " | "
"""Separator of multi-valued CSV columns (actors, tags, verified_by, claimed_by, source_urls)."""

CSV_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_end", "date_precision", "place", "place_id", "place_kind", "lat", "lon",
    "geo_precision", "country_code", "admin1", "resolution", "category", "summary", "actors",
    "claimed_by", "claims", "verification", "verified_by", "verification_note", "source_urls",
    "sources", "tags", "confidence", "evidence", "status", "reviewed_by", "reviewed_at",
)
"""Columns of the incident CSV, in the order :func:`write_incidents` writes them."""

_CSV_READ_ONLY = frozenset({"record", "source_outlets"})  # views the reader accepts and skips
MAX_LINE_REPORT = 60  # characters of a bad value quoted in a message

Locator = Callable[[str], "int | str | None"]


@dataclass
class Entry:
    """One raw record as decoded from a file, with where it sits.

    ``where`` is the record's line (int) or ``"feature N"``; ``locate(field)`` gives the line or
    feature of a field path; ``label(field)`` names the field as the file does (a CSV column).
    ``shared`` maps url -> shared source record (YAML top-level ``sources:``).
    """

    record: Any
    path: str
    where: int | str | None
    locate: Locator
    label: Callable[[str], str] = field(default=lambda f: f)
    shared: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the GeoJSON geometry


@dataclass
class FileEntries:
    """Everything decoded from one file: records, shared sources and file-level notes."""

    path: str
    entries: Iterable[Entry]  # a list, or (CSV) a generator that may raise DataError mid-way
    shared_sources: list[Entry] = field(default_factory=list)
    notes: list[tuple[str, int | str | None, str | None, str]] = field(default_factory=list)
    # notes: (severity, where, field, message) found while decoding (unknown CSV columns, ...)


# ---------------------------------------------------------------------------------- file lists
def incident_files(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[Path]:
    """Expand paths: a file stays (whatever its suffix); a folder gives its incident files, sorted.

    Articles (.txt, .md, .html) and hidden files in folders are skipped (extraction reads those).
    A missing path raises :class:`UsageError`.
    """
    return [p for p, _ in expand_paths(paths)]


def expand_paths(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
                 ) -> list[tuple[Path, bool]]:
    """Like :func:`incident_files`, with whether each file was found in a folder (a folder may
    hold YAML that is not incidents, such as article metadata: such files are skipped).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[tuple[Path, bool]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            own = own_files(p)  # a mapper output folder's own files are never inputs
            out.extend((c, True) for c in sorted(p.iterdir()) if c.is_file()
                       and not c.name.startswith(".") and c.suffix.lower() in INCIDENT_SUFFIXES
                       and c.name not in own)
        elif p.exists():
            out.append((p, False))
        else:
            raise UsageError(f"{p}: no such file or folder")
    return out


# ---------------------------------------------------------------------------------- decoding
def read_text(path: str | os.PathLike[str]) -> str:
    """The file as text: UTF-8 with or without a BOM; anything else is a one-line DataError."""
    p = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=p) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=p) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError("the file is UTF-16; save it as UTF-8", path=p, line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return _decode(data, p, 1)


def _decode(data: bytes, path: str, first_line: int) -> str:
    """UTF-8 bytes (a file, or one line of it starting at ``first_line``) to checked text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        bad = data[exc.start:exc.start + 40]
        hint = ""
        try:
            sample = bad.decode("cp1251")
            if re.search("[\u0400-\u04ff]", sample):
                hint = " (it looks like Windows-1251 Cyrillic)"
        except UnicodeDecodeError:
            pass
        raise DataError(f"not valid UTF-8 at byte {exc.start}{hint}; re-save the file as UTF-8, "
                        f"e.g. `iconv -f cp1251 -t utf-8`", path=path, line=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + first_line
        raise DataError("NUL byte: this looks like a binary file, not an incident file",
                        path=path, line=line)
    if "\ufeff" in text:
        line = text.count("\n", 0, text.index("\ufeff")) + first_line
        raise DataError("byte order mark (U+FEFF) inside the file (files pasted together?); "
                        "delete it", path=path, line=line)
    return text


def load_entries(path: str | os.PathLike[str], *, in_folder: bool = False) -> FileEntries | None:
    """Decode one incident file into raw entries. Syntax errors raise :class:`DataError`.

    With ``in_folder=True`` a YAML/JSON file that is valid but holds no incidents (a mapping
    without ``incidents:``, such as an article metadata file) gives ``None`` instead of an error.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in GEOJSON_SUFFIXES and _own_layout(p):
        # mapper's own one-feature-per-line GeoJSON: stream it line by line, so a 175 MB file
        # is never held whole (as text, or as the dicts of every feature at once)
        return FileEntries(str(p), _feature_entries(str(p), _stream_features(p)), [], [])
    text = read_text(p)
    if not text.strip():
        raise DataError("empty file; an incident file needs at least one incident", path=str(p))
    if suffix in CSV_SUFFIXES:
        return _load_csv(str(p), text)
    if suffix in GEOJSON_SUFFIXES:
        return _load_json(str(p), text, in_folder=in_folder)
    if suffix in YAML_SUFFIXES:
        return _load_yaml(str(p), text, in_folder=in_folder)
    raise UsageError(f"{p}: unknown incident file type {suffix or '(none)'}; use "
                     f"{', '.join(INCIDENT_SUFFIXES)}")


# ---- YAML
def _yaml_loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return base


def _load_yaml(path: str, text: str, *, in_folder: bool) -> FileEntries | None:
    import yaml

    try:
        root = yaml.compose(text, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(f"YAML syntax: {exc.problem or exc.context}; check indentation, colons "
                        f"and quotes", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"YAML syntax: {str(exc).splitlines()[0]}", path=path) from None
    if root is None:
        raise DataError("empty file; an incident file needs at least one incident", path=path)
    builder = _NodeBuilder(path, budget=20 * len(text) + 10_000)
    if isinstance(root, yaml.SequenceNode):
        items, shared_node = root, None
    elif isinstance(root, yaml.MappingNode):
        top = {k.value if isinstance(k, yaml.ScalarNode) else None: (k, v) for k, v in root.value}
        if "incidents" not in top:
            if in_folder:
                return None
            raise DataError("no `incidents:` list at the top; write `incidents:` followed by "
                            "`- id: ...` items", path=path, line=root.start_mark.line + 1)
        items = top["incidents"][1]
        shared_node = top.get("sources", (None, None))[1]
        notes = [("warning", k.start_mark.line + 1, str(name), "unknown top-level key ignored "
                  "(only `incidents` and `sources` are read)")
                 for name, (k, _v) in top.items() if name not in ("incidents", "sources")]
    else:
        raise DataError("expected a mapping with `incidents:` (or a list of incidents), found "
                        f"{_yaml_kind(root)}", path=path, line=root.start_mark.line + 1)
    if isinstance(root, yaml.SequenceNode):
        notes = []
    if not isinstance(items, yaml.SequenceNode):
        raise DataError(f"`incidents` must be a list (`- id: ...` items), found {_yaml_kind(items)}",
                        path=path, line=items.start_mark.line + 1, field="incidents")
    shared_entries: list[Entry] = []
    shared: dict[str, dict] = {}
    if shared_node is not None and not (isinstance(shared_node, yaml.ScalarNode)
                                        and shared_node.tag.endswith(":null")):
        if not isinstance(shared_node, yaml.SequenceNode):
            raise DataError("top-level `sources` must be a list of source records",
                            path=path, line=shared_node.start_mark.line + 1, field="sources")
        for i, node in enumerate(shared_node.value):
            rec = builder.build(node)
            shared_entries.append(Entry(rec, path, node.start_mark.line + 1,
                                        _yaml_locator(node), extra={"index": i}))
            if isinstance(rec, dict) and isinstance(rec.get("url"), str):
                shared[rec["url"]] = rec
    entries = [Entry(builder.build(node), path, node.start_mark.line + 1, _yaml_locator(node),
                     shared=shared) for node in items.value]
    return FileEntries(path, entries, shared_entries, notes)


def _yaml_kind(node: Any) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = node.value
    return f"the text {_short(value)}" if value else "nothing"


class _NodeBuilder:
    """Composed YAML nodes -> Python values, with the checks PyYAML does not make.

    Dates stay text (the schema check parses them, so 2024-02-30 is a clear error, not a crash);
    a key given twice in one mapping is an error; aliases may not expand past a budget (a
    "billion laughs" file fails fast instead of eating memory).
    """

    def __init__(self, path: str, budget: int) -> None:
        self.path, self.budget = path, budget

    def build(self, node: Any) -> Any:
        import yaml

        self.budget -= 1
        if self.budget < 0:
            raise DataError("YAML aliases expand to far more data than the file holds; "
                            "write the values out instead of using &anchors and *aliases",
                            path=self.path, line=node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n) for n in node.value]
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            key = self.build(knode)
            if isinstance(key, (list, dict)):
                raise DataError("a key must be plain text", path=self.path,
                                line=knode.start_mark.line + 1)
            if key == "<<":
                raise DataError("YAML merge keys (<<) are not supported; write the fields out",
                                path=self.path, line=knode.start_mark.line + 1)
            if key in out:
                raise DataError(f"`{key}` is given twice in the same record; keep one",
                                path=self.path, line=knode.start_mark.line + 1, field=str(key))
            out[key] = self.build(vnode)
        return out


_YAML_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf")}


def _scalar(node: Any) -> Any:
    tag, value = node.tag, node.value
    if tag.endswith(":str") or tag.endswith(":timestamp") or tag == "!":
        return value
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() in ("yes", "true", "on", "y")
    if tag.endswith(":int"):
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag.endswith(":float"):
        v = value.replace("_", "").lower()
        if v in _YAML_FLOAT_SPECIAL:
            return _YAML_FLOAT_SPECIAL[v]
        try:
            return float(v)
        except ValueError:
            return value  # .nan and friends: the schema check reports them as not a number
    return value  # any other tag (!!binary, custom): kept as text, the schema check decides


def _yaml_locator(node: Any) -> Locator:
    """A field path -> line function over one composed record node."""
    import yaml

    def locate(field_path: str) -> int | None:
        current = node
        line = node.start_mark.line + 1
        for part in _split_path(field_path):
            if isinstance(part, int) and isinstance(current, yaml.SequenceNode):
                if part >= len(current.value):
                    break
                current = current.value[part]
                line = current.start_mark.line + 1
            elif isinstance(part, str) and isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        line, current = k.start_mark.line + 1, v
                        break
                else:
                    break
            else:
                break
        return line

    return locate


def _split_path(field_path: str) -> list[str | int]:
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field_path):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


# ---- CSV
def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, lazily (a StringIO copy of a large file with
    non-Latin text costs four bytes a character).
    """
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def _csv_rows(path: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank row; a syntax error is a DataError naming the line."""
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        msg = str(exc)
        if "field larger" in msg:
            msg = "a cell is longer than 131,072 characters (a runaway quote?)"
        raise DataError(f"CSV syntax: {msg}; check the quotes in this row", path=path,
                        line=start) from None


def _load_csv(path: str, text: str) -> FileEntries:
    """Header checked now; rows decoded lazily as the checker asks for them (low memory)."""
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    rows = _csv_rows(path, text, delimiter)
    first = next(rows, None)
    second = next(rows, None)
    if second is None:
        raise DataError("no incident rows" + (" below the header" if first else "") +
                        "; an incident CSV needs a header row and one row per incident",
                        path=path, line=first[0] if first else None)
    header_line, header = first[0], [h.strip() for h in first[1]]
    notes: list[tuple[str, int | str | None, str | None, str]] = []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            raise DataError(f"column `{col}` appears twice in the header; keep one",
                            path=path, line=header_line, field=col)
        seen.add(col)
    if "id" not in seen and "record" not in seen:
        raise DataError("no `id` column in the header row; the first row must name the columns "
                        f"({', '.join(CSV_COLUMNS[:6])}, ...)", path=path, line=header_line)
    for col in header if "record" not in seen else ():  # with a record, columns are views
        if col and col not in CSV_COLUMNS and col not in _CSV_READ_ONLY:
            notes.append(("warning", header_line, col,
                          "not an incident column; its values are ignored"))

    named = all(header)  # no blank column names to drop: dict(zip()) is enough

    def entries() -> Iterator[Entry]:
        for line, row in itertools.chain([second], rows):
            if len(row) != len(header):
                raise DataError(f"row has {len(row)} cells but the header has {len(header)}; "
                                f"check separators and quotes", path=path, line=line)
            cells = dict(zip(header, row)) if named else {h: v for h, v in zip(header, row) if h}
            yield _flat_entry(path, line, cells, lambda f, _l=line: _l, _csv_label)

    return FileEntries(path, entries(), [], notes)


def _sniff_delimiter(header: str) -> str:
    best, best_hits = ",", -1
    for delim in (",", ";", "\t"):
        hits = sum(1 for h in header.split(delim) if h.strip().strip('"') in CSV_COLUMNS
                   or h.strip().strip('"') == "record")
        if hits > best_hits:
            best, best_hits = delim, hits
    return best


_FLAT_TO_FIELD = {"place": "place.name", "place_id": "place.place_id", "place_kind": "place.kind",
                  "lat": "place.lat", "lon": "place.lon", "geo_precision": "place.geo_precision",
                  "country_code": "place.country_code", "admin1": "place.admin1",
                  "resolution": "place.resolution", "verification": "verification.status",
                  "verified_by": "verification.by", "verification_note": "verification.note"}
_FIELD_TO_FLAT = {v: k for k, v in _FLAT_TO_FIELD.items()}
_FLAT_TO_FIELD_PARTS = {k: tuple(v.split(".")) for k, v in _FLAT_TO_FIELD.items()}


def _cell_kinds() -> dict[str, str]:
    """Flat column -> how :func:`_flat_entry` reads it (one dict lookup per cell instead of a
    chain of membership tests); columns not listed are ignored.
    """
    kinds = dict.fromkeys(_CSV_READ_ONLY | {"claimed_by", "source_urls"}, "skip")
    kinds.update(actors="multi", tags="multi", claims="json", sources="json",
                 confidence="number")
    for col in _FLAT_TO_FIELD:
        kinds.setdefault(col, "field")
    for col in CSV_COLUMNS:
        kinds.setdefault(col, "text")
    return kinds


_CELL_KINDS = _cell_kinds()


def _csv_label(field_path: str) -> str:
    """A record field path as the CSV column that holds it (``claims[0].by`` -> ``claims[0].by``
    inside the ``claims`` column).
    """
    if field_path in _FIELD_TO_FLAT:
        return _FIELD_TO_FLAT[field_path]
    return field_path


def _flat_entry(path: str, where: int | str, cells: dict[str, Any], locate: Locator,
                label: Callable[[str], str]) -> Entry:
    """Build a canonical raw record from flat columns (CSV row or GeoJSON properties)."""
    rec_text = cells.get("record")
    if rec_text not in (None, ""):
        if isinstance(rec_text, dict):
            return Entry(rec_text, path, where, locate, label)
        try:
            record = json.loads(rec_text)
        except (TypeError, ValueError) as exc:
            raise DataError(f"not valid JSON ({exc}); leave it empty or fix it", path=path,
                            line=where, field="record") from None
        return Entry(record, path, where, locate, label)
    rec: dict[str, Any] = {}
    place: dict[str, Any] = {}
    verification: dict[str, Any] = {}
    nested = {"place": place, "verification": verification}
    for col, value in cells.items():
        # other columns (a newsroom's own notes, GIS ids) are ignored; CSV warns at the header
        kind = _CELL_KINDS.get(col)
        if kind is None or value is None or value == "":
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        if kind == "text":
            rec[col] = value
        elif kind == "field":
            target, key = _FLAT_TO_FIELD_PARTS[col]
            if key == "by":
                value = _split_multi(value)
            elif key in ("lat", "lon"):
                value = _number_cell(value)
            nested[target][key] = value
        elif kind == "multi":
            rec[col] = _split_multi(value)
        elif kind == "json":
            rec[col] = _json_cell(value, path, where, col)
        elif kind == "number":
            rec[col] = _number_cell(value)
        # "skip": claimed_by and source_urls are read below, only when the JSON column is empty
    if not rec.get("claims") and cells.get("claimed_by"):
        rec["claims"] = [{"by": b} for b in _split_multi(cells["claimed_by"])]
    if not rec.get("sources") and cells.get("source_urls"):
        rec["sources"] = [{"url": u} for u in _split_multi(cells["source_urls"])]
    if place:
        rec["place"] = place
    if verification:
        rec["verification"] = verification
    return Entry(rec, path, where, locate, label)


def _split_multi(value: Any) -> Any:
    """A `` | ``-joined cell as a list; a cell holding a JSON list (written when a value itself
    contains ``|``) is read as that list.
    """
    if isinstance(value, str):
        if "|" not in value and not value.startswith("["):  # one value: most cells
            value = value.strip()
            return [value] if value else []
        if value.startswith("["):
            try:
                items = json.loads(value)
            except ValueError:
                items = None
            if isinstance(items, list) and all(isinstance(i, str) for i in items):
                return items
        return [v.strip() for v in value.split("|") if v.strip()]
    return value


def join_multi(values: Iterable[str]) -> str:
    """Cell text of a multi-valued column: `` | ``-joined, or a JSON list when a value contains
    ``|`` or starts with ``[`` (so every value survives the round trip).
    """
    values = list(values)
    if any("|" in v or v.startswith("[") for v in values):
        return json.dumps(values, ensure_ascii=False)
    return MULTI_SEP.join(values)


def _number_cell(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value.replace(",", ".")) if value.count(",") == 1 and "." not in value \
                else float(value)
        except ValueError:
            return value  # the schema check reports "not a number" with the column
    return value


def _json_cell(value: Any, path: str, where: int | str, col: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as exc:
        raise DataError(f"not valid JSON ({exc}); write a JSON list such as "
                        f'[{{"by": "..."}}] or leave it empty', path=path, line=where,
                        field=col) from None


# ---- GeoJSON / JSON
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; use null")


_FC_HEAD = b'{"features":[\n'
_FC_TAIL = b'\n],"type":"FeatureCollection"}\n'


def _own_layout(path: Path) -> bool:
    """Whether the file is laid out as :func:`mapper.incidents.export.write_geojson` writes it."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_FC_HEAD)) != _FC_HEAD:
                return False
            size = handle.seek(0, os.SEEK_END)
            if size < len(_FC_HEAD) + len(_FC_TAIL):
                return False
            handle.seek(size - len(_FC_TAIL))
            return handle.read() == _FC_TAIL
    except OSError:
        return False  # read_text reports it


def _stream_features(path: Path) -> Iterator[Any]:
    """The features of a one-feature-per-line FeatureCollection, decoded one line at a time."""
    p = str(path)
    last = _FC_TAIL[1:]
    decode = json.JSONDecoder(parse_constant=_reject_constant).decode  # one, not one per line
    with open(path, "rb", buffering=1 << 20) as handle:
        handle.readline()
        for line_no, raw in enumerate(handle, start=2):
            if raw == last:
                return
            chunk = _decode(raw, p, line_no).rstrip("\n")
            if chunk.endswith(","):
                chunk = chunk[:-1]
            try:
                yield decode(chunk)  # what json.loads does (a BOM was refused by _decode)
            except json.JSONDecodeError as exc:
                raise DataError(f"JSON syntax: {exc.msg} (column {exc.colno})", path=p,
                                line=line_no) from None
            except (ValueError, RecursionError) as exc:
                raise DataError(f"JSON: {str(exc)[:200]}", path=p, line=line_no) from None


def _load_json(path: str, text: str, *, in_folder: bool) -> FileEntries | None:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DataError(f"JSON syntax: {exc.msg} (column {exc.colno})", path=path,
                        line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise DataError(f"JSON: {str(exc)[:200]}", path=path) from None
    if isinstance(data, dict) and "incidents" in data and data.get("type") != "FeatureCollection":
        return _canonical_json(path, data)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        if in_folder and isinstance(data, dict) and "type" not in data:
            return None
        found = (f'a GeoJSON {data.get("type")}' if isinstance(data, dict) and "type" in data
                 else f"a JSON {type(data).__name__.replace('dict', 'object')}")
        raise DataError(f"expected a GeoJSON FeatureCollection, found {found}; wrap features "
                        f'in {{"type": "FeatureCollection", "features": [...]}}', path=path,
                        line=1)
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError('a FeatureCollection needs a "features" list', path=path, line=1,
                        field="features")
    if "crs" in data:
        notes = [("warning", 1, "crs", "RFC 7946 GeoJSON has no crs member; coordinates are "
                  "read as WGS 84 lon/lat")]
    else:
        notes = []
    return FileEntries(path, _feature_entries(path, iter(features)), [], notes)


def _feature_entries(path: str, features: Iterator[Any]) -> Iterator[Entry]:
    for i, feat in enumerate(features):
        where = f"feature {i}"
        loc: Locator = lambda f, _w=where: _w  # noqa: E731
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise DataError('not a GeoJSON Feature (needs "type": "Feature")', path=path,
                            line=where)
        props = feat.get("properties")
        if not isinstance(props, dict):
            raise DataError('the feature has no "properties" object; each incident feature '
                            "needs its fields there", path=path, line=where, field="properties")
        entry = _flat_entry(path, where, props, loc, _csv_label)
        entry.extra["geometry"] = feat.get("geometry")
        yield entry


def _canonical_json(path: str, data: dict) -> FileEntries:
    items = data.get("incidents")
    if not isinstance(items, list):
        raise DataError("`incidents` must be a list", path=path, line=1, field="incidents")
    shared_entries = []
    shared: dict[str, dict] = {}
    for i, rec in enumerate(data.get("sources") or []):
        where = f"sources[{i}]"
        shared_entries.append(Entry(rec, path, where, lambda f, _w=where: _w, extra={"index": i}))
        if isinstance(rec, dict) and isinstance(rec.get("url"), str):
            shared[rec["url"]] = rec
    entries = [Entry(rec, path, f"incident {i}", lambda f, _w=f"incident {i}": _w, shared=shared)
               for i, rec in enumerate(items)]
    return FileEntries(path, entries, shared_entries, [])


# ---------------------------------------------------------------------------------- reading
def read_incidents(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
                   gazetteer: Any = None, resolve: bool = True, *,
                   on_problem: Callable[[Any], None] | None = None,
                   allow_empty: bool = False) -> list[Incident]:
    """Read incident files (YAML, CSV, GeoJSON; folders give their incident files, sorted).

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
        raise DataError(f"no incident files (looked for {', '.join(INCIDENT_SUFFIXES)})",
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


# ---------------------------------------------------------------------------------- writing
def write_incidents(incidents: Iterable[Incident], path: str | os.PathLike[str],
                    format: str | None = None, *, gazetteer: Any = None) -> Path:
    """Write incidents atomically as YAML, CSV or GeoJSON (``format`` or the file suffix).

    YAML and CSV hold the canonical records; GeoJSON is :func:`mapper.incidents.export.to_feature_collection`
    (areas as polygons when a gazetteer is given). Rerunning gives byte-identical files.
    """
    from mapper.incidents.validate import paused_gc

    target = Path(path)
    fmt = (format or target.suffix.lstrip(".")).lower()
    incidents = list(incidents)
    with paused_gc():
        _write(incidents, target, fmt, gazetteer)
    return target


def _write(incidents: list[Incident], target: Path, fmt: str, gazetteer: Any) -> None:
    from mapper import atomic

    if fmt in ("yaml", "yml"):
        atomic.write_text(target, incidents_to_yaml(incidents))
    elif fmt == "csv":
        with atomic.atomic_open(target) as handle:
            write_csv(incidents, handle)
    elif fmt in ("geojson", "json"):
        from mapper.incidents.export import iter_features, write_geojson

        with atomic.atomic_open(target) as handle:
            write_geojson(iter_features(incidents, gazetteer), handle)
    else:
        raise UsageError(f"{target}: unknown incident format {fmt!r}; use yaml, csv or geojson")


def incidents_to_yaml(incidents: Iterable[Incident]) -> str:
    """The YAML text of ``{"incidents": [record, ...]}``; dates unquoted, keys in model order."""
    import yaml

    records = []
    for inc in incidents:
        rec = inc.to_dict()
        for key in ("date", "date_end"):
            if key in rec:
                rec[key] = dt.date.fromisoformat(rec[key])
        for src in rec.get("sources", []):
            if "published" in src:
                src["published"] = dt.date.fromisoformat(src["published"])
        records.append(rec)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump({"incidents": records}, Dumper=dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def incident_row(inc: Incident) -> dict[str, str]:
    """One incident as incident-CSV cells (see the module docstring for the columns)."""
    rec = inc.to_dict()
    place = rec.get("place", {})
    ver = rec.get("verification", {})

    def num(v: float | None) -> str:
        return "" if v is None else repr(float(v))

    def js(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True) if v else ""

    return {
        "id": inc.id, "date": rec.get("date", ""), "date_end": rec.get("date_end", ""),
        "date_precision": inc.date_precision, "place": inc.place.name,
        "place_id": place.get("place_id", ""), "place_kind": place.get("kind", ""),
        "lat": num(inc.place.lat), "lon": num(inc.place.lon),
        "geo_precision": place.get("geo_precision", ""),
        "country_code": place.get("country_code", ""), "admin1": place.get("admin1", ""),
        "resolution": place.get("resolution", ""), "category": inc.category,
        "summary": inc.summary, "actors": join_multi(inc.actors),
        "claimed_by": join_multi(inc.claimed_by), "claims": js(rec.get("claims")),
        "verification": ver.get("status", ""), "verified_by": join_multi(inc.verification.by),
        "verification_note": ver.get("note", ""),
        "source_urls": join_multi(s.url for s in inc.sources if s.url),
        "sources": js(rec.get("sources")), "tags": join_multi(inc.tags),
        "confidence": "" if inc.confidence is None else repr(inc.confidence),
        "evidence": inc.evidence or "",
        "status": inc.status,
        "reviewed_by": inc.reviewed_by or "", "reviewed_at": rec.get("reviewed_at", ""),
    }


def write_csv(incidents: Iterable[Incident], handle: Any) -> None:
    """Stream the incident CSV (header + one row per incident, LF line ends) to ``handle``."""
    writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for inc in incidents:
        writer.writerow(incident_row(inc))


def incidents_to_csv(incidents: Iterable[Incident]) -> str:
    """The incident CSV as text."""
    buf = io.StringIO()
    write_csv(incidents, buf)
    return buf.getvalue()


def _short(value: Any) -> str:
    """A value quoted for a message, cut so a 10 MB cell never floods the terminal."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = text.replace("\n", " ")
    if len(text) > MAX_LINE_REPORT:
        text = text[:MAX_LINE_REPORT] + f"... ({len(text):,} characters)"
    return repr(text) if isinstance(value, str) else text
