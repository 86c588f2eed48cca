"""CSV incident files: one row per incident, a header row, UTF-8, ``,`` ``;`` or tab separated.

mapper writes ACLED's column names where ACLED has the field (``event_id_cnty``, ``event_date``,
``location``, ``latitude``, ``longitude``, ``notes``, ACLED's codes) and its own names for the
rest (:data:`mapper.incidents.columns.CSV_COLUMNS`). It reads either naming (``id``, ``date``,
``place``, ``lat``, ``lon``, ``summary``... are the hand-written form), in any column order; see
:mod:`mapper.incidents.columns` for what each column holds.
"""
from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mapper.errors import DataError
from mapper.guards import check_size, restore_cell
from mapper.incidents.columns import (
    CSV_COLUMNS,
    KNOWN_COLUMNS,
    acled_row,
    file_label,
    header_notes,
)
from mapper.incidents.files import Entry, FileEntries, decode, fixed_locator, read_text
from mapper.incidents.model import Incident
from mapper.incidents.unflatten import flat_entry

_ID_COLUMNS = ("id", "event_id_cnty", "record")


#: files larger than this are read line by line (bounded memory) instead of decoded at once
STREAM_ABOVE_BYTES = 32 << 20


def read(path: Path, *, in_folder: bool = False) -> FileEntries:
    """Decode a CSV file; the header is checked now, rows are decoded as they are asked for.

    A file over :data:`STREAM_ABOVE_BYTES` is streamed from disk (memory does not grow with
    its size); a smaller one is decoded at once, which lets an encoding error name the
    encoding from the whole text.
    """
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > STREAM_ABOVE_BYTES:
        check_size(path, "input")
        return load_csv_lines(str(path), file_lines(path))
    return load_csv(str(path), read_text(path, allow_empty=False))


def file_lines(path: str | Path) -> Iterator[str]:
    """The lines of a UTF-8 file (BOM allowed), decoded and checked one at a time
    (:func:`mapper.incidents.files.decode`), with their endings.
    """
    p = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed when the generator ends)
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=p) from None
    with handle:
        first = handle.read(3)
        if first.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DataError("the file is UTF-16; save it as UTF-8", path=p, line=1)
        if first != b"\xef\xbb\xbf":
            handle.seek(0)
        for number, raw in enumerate(handle, 1):
            yield decode(raw, p, number)


#: the writer takes a stream of incidents (mapper.incidents.formats.write_file)
STREAMING = True


def write(incidents: Iterable[Incident], path: Path, options: Any = None) -> None:
    """Write the CSV (header + one row per incident, LF line ends)."""
    gazetteer = getattr(options, "gazetteer", None)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(incidents, handle, gazetteer, raw=bool(getattr(options, "raw_csv", False)))


class CountryNames:
    """ISO code -> the gazetteer's country name, for ACLED's ``country`` column; looked up on
    first need, so a stream of incidents is written in one pass.
    """

    def __init__(self, gazetteer: Any) -> None:
        self.gazetteer = gazetteer
        self._names: dict[str, str | None] = {}

    def get(self, cc: str | None, default: str | None = None) -> str | None:
        """The country's name, or ``default`` when the gazetteer has none."""
        if not cc or self.gazetteer is None:
            return default
        if cc not in self._names:
            place = self.gazetteer.get(f"adm0:{cc.upper()}")
            self._names[cc] = place.name if place is not None else None
        return self._names[cc] or default


def write_csv(incidents: Iterable[Incident], handle: IO[str], gazetteer: Any = None, *,
              raw: bool = False) -> None:
    """Stream the CSV (header + one row per incident) to ``handle``.

    Cells a spreadsheet would run as formulas get a leading ``'``
    (:func:`mapper.guards.neutralise_cell`) unless ``raw``; the reader takes it off again.
    """
    from mapper.guards import neutralise_cell

    names = CountryNames(gazetteer)
    writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for inc in incidents:
        row = acled_row(inc, names, gazetteer)
        writer.writerow(row if raw else {k: neutralise_cell(v) for k, v in row.items()})


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


def _rows(path: str, lines: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank row; a syntax error is a DataError naming the line."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
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


def load_csv(path: str, text: str) -> FileEntries:
    """The entries of CSV ``text`` read from ``path``."""
    return load_csv_lines(path, _lines(text))


def load_csv_lines(path: str, lines: Iterator[str]) -> FileEntries:
    """The entries of a CSV file given as its lines (with their endings), read lazily."""
    head = next(lines, "")
    delimiter = _sniff_delimiter(head.split("\n", 1)[0])
    rows = _rows(path, itertools.chain([head], lines), delimiter)
    first = next(rows, None)
    second = next(rows, None)
    if second is None:
        raise DataError("no incident rows" + (" below the header" if first else "") +
                        "; an incident CSV needs a header row and one row per incident",
                        path=path, line=first[0] if first else None)
    assert first is not None
    header_line, header = first[0], [h.strip() for h in first[1]]
    seen: set[str] = set()
    for col in header:
        if col in seen:
            raise DataError(f"column `{col}` appears twice in the header; keep one",
                            path=path, line=header_line, field=col)
        seen.add(col)
    if not seen.intersection(_ID_COLUMNS):
        raise DataError("no `id` column in the header row; the first row must name the columns "
                        "(id, date, place, category, summary, ... or ACLED's event_id_cnty, "
                        "event_date, location, ...)", path=path, line=header_line)
    notes = header_notes(header, header_line)
    named = all(header)  # no blank column names to drop: dict(zip()) is enough
    label = file_label(header)

    def entries() -> Iterator[Entry]:
        for line, row in itertools.chain([second], rows):
            if len(row) != len(header):
                raise DataError(f"row has {len(row)} cells but the header has {len(header)}; "
                                f"check separators and quotes", path=path, line=line)
            # a leading ' was added before a formula-like cell: taken off again (restore_cell)
            cells = {h: restore_cell(v) if v[:1] == "'" else v
                     for h, v in zip(header, row, strict=True) if h or named}
            yield flat_entry(path, line, cells, fixed_locator(line), label)

    return FileEntries(path, entries(), [], notes)


def _sniff_delimiter(header: str) -> str:
    best, best_hits = ",", -1
    for delim in (",", ";", "\t"):
        hits = sum(1 for h in header.split(delim) if h.strip().strip('"') in KNOWN_COLUMNS)
        if hits > best_hits:
            best, best_hits = delim, hits
    return best
