"""Incident files on disk: their text, and the raw records in them.

Reading an incident file has two steps. A format reader (:mod:`mapper.incidents.formats`)
decodes the file into :class:`Entry` records, each with a locator that turns a field path
(``"place.lat"``, ``"claims[1].source_url"``) into the line (YAML, CSV) or feature (GeoJSON,
``"feature 3"``, counted from 0) where it is written. The checks in
:mod:`mapper.incidents.validate` then turn the records into incidents and list the problems.

Which files a path names is :mod:`mapper.incidents.inputs`. Every text file is decoded by
:func:`read_text` (or :func:`decode` for one line of a streamed file): the one place that
knows about encodings, byte order marks and binary files.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.errors import DataError

Locator = Callable[[str], "int | str | None"]
Note = tuple[str, "int | str | None", "str | None", str]
"""(severity, where, field, message) found while decoding (unknown columns, ...)."""


def _same(field_path: str) -> str:
    return field_path


@dataclass
class Entry:
    """One raw record as decoded from a file, with where it sits.

    ``where`` is the record's line (int) or ``"feature N"``; ``locate(field)`` gives the line or
    feature of a field path; ``label(field)`` names the field as the file does (a CSV column).
    ``shared`` maps url -> shared source record (YAML top-level ``sources:``); ``extra`` holds
    what is not part of the record (the GeoJSON ``geometry``, notes found while decoding).
    """

    record: Any
    path: str
    where: int | str | None
    locate: Locator
    label: Callable[[str], str] = field(default=_same)
    shared: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileEntries:
    """Everything decoded from one file: records, shared sources and file-level notes."""

    path: str
    entries: Iterable[Entry]  # a list, or a generator that may raise DataError mid-way
    shared_sources: list[Entry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def fixed_locator(where: int | str | None) -> Locator:
    """A locator that places every field of a record at the record itself."""
    def locate(_field: str) -> int | str | None:
        return where

    return locate


# ---------------------------------------------------------------------------------- decoding
def check_readable(path: str | os.PathLike[str]) -> None:
    """A folder or an unreadable file is a one-line DataError (for readers that hand the path
    to a library instead of reading the bytes here).
    """
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=str(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=str(path)) from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes; a folder, an unreadable file or one over the size limit
    (:func:`mapper.guards.check_size`) is a one-line DataError.
    """
    from mapper.guards import check_size

    check_size(path, "input")
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise DataError("is a folder, not a file", path=str(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=str(path)) from None


def read_text(path: str | os.PathLike[str], *, allow_empty: bool = True) -> str:
    """The file as text: UTF-8 with or without a BOM; anything else is a one-line DataError.

    With ``allow_empty=False`` an empty (or blank) file is an error (readers of incident files).
    """
    p = str(path)
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError("the file is UTF-16; save it as UTF-8", path=p, line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = decode(data, p, 1)
    if not allow_empty and not text.strip():
        raise DataError("empty file; an incident file needs at least one incident", path=p)
    return text


def decode(data: bytes, path: str, first_line: int) -> str:
    """UTF-8 bytes (a file, or one line of it starting at ``first_line``) to checked text."""
    from mapper.guards import decode as guarded_decode

    text = guarded_decode(data, path=path, first_line=first_line)  # advice names the encoding
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + first_line
        raise DataError("NUL byte: this looks like a binary file, not an incident file",
                        path=path, line=line)
    if "\ufeff" in text:
        line = text.count("\n", 0, text.index("\ufeff")) + first_line
        raise DataError("byte order mark (U+FEFF) inside the file (files pasted together?); "
                        "delete it", path=path, line=line)
    return text
