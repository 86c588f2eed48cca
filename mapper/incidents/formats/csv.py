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
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mapper.errors import DataError
from mapper.guards import restore_cell
from mapper.incidents.columns import (
    CSV_COLUMNS,
    KNOWN_COLUMNS,
    acled_row,
    file_label,
    header_notes,
)
from mapper.incidents.files import Entry, FileEntries, fixed_locator, read_text
from mapper.incidents.model import Incident
from mapper.incidents.unflatten import flat_entry

_ID_COLUMNS = ("id", "event_id_cnty", "record")


def read(path: Path, *, in_folder: bool = False) -> FileEntries:
    """Decode a CSV file; the header is checked now, rows are decoded as they are asked for."""
    return load_csv(str(path), read_text(path, allow_empty=False))


def write(incidents: list[Incident], path: Path, options: Any = None) -> None:
    """Write the CSV (header + one row per incident, LF line ends)."""
    gazetteer = getattr(options, "gazetteer", None)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(incidents, handle, gazetteer, raw=bool(getattr(options, "raw_csv", False)))


def country_names(incidents: list[Incident], gazetteer: Any) -> dict[str, str]:
    """ISO code -> the gazetteer's country name, for ACLED's ``country`` column."""
    names: dict[str, str] = {}
    if gazetteer is not None:
        for cc in sorted({i.place.country_code for i in incidents if i.place.country_code}):
            place = gazetteer.get(f"adm0:{cc.upper()}")
            if place is not None:
                names[cc] = place.name
    return names


def write_csv(incidents: list[Incident], handle: IO[str], gazetteer: Any = None, *,
              raw: bool = False) -> None:
    """Stream the CSV (header + one row per incident) to ``handle``.

    Cells a spreadsheet would run as formulas get a leading ``'``
    (:func:`mapper.guards.neutralise_cell`) unless ``raw``; the reader takes it off again.
    """
    from mapper.guards import neutralise_cell

    names = country_names(incidents, gazetteer)
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


def _rows(path: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
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


def load_csv(path: str, text: str) -> FileEntries:
    """The entries of CSV ``text`` read from ``path``."""
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    rows = _rows(path, text, delimiter)
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
