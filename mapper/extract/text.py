"""Reading articles for extraction: text, metadata and the spans that are not news.

A ``Document`` holds the text exactly as offsets refer to it (the decoded file for .txt and .md,
the main text trafilatura takes out of .html), the publication metadata, and marked zones:

- ``skip``: site furniture (newsletter and donation appeals, "Read more", share buttons, front
  matter, URLs). Nothing is recognised there.
- ``bio``: the author's biography. Places there are recognised but are only ``context``.
- ``caption``: photo captions and credits. Places there are ``context`` and give no incident.

Text is never deleted from .txt or .md files, so every offset indexes the file as read.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.dates import parse_human_date
from mapper.errors import DataError, UsageError
from mapper.extract.lang import LanguagePack, TextWords, pack_for
from mapper.extract.lang.detect import article_language

META_FIELDS: tuple[str, ...] = ("outlet", "title", "url", "published", "author", "language")
SUFFIXES: dict[str, str] = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                            ".html": "html", ".htm": "html", ".xhtml": "html"}
"""Article file suffixes (lower case) and the reader each takes."""
ARTICLE_SUFFIXES: tuple[str, ...] = tuple(SUFFIXES)
"""Every suffix an article file may have: the one list `mapper extract` and `mapper map` use."""


@dataclass
class Zone:
    """A span of the text that is not article body, with its kind and why."""

    start: int
    end: int
    kind: str  # "skip" | "bio" | "caption"
    reason: str = ""


@dataclass
class Document:
    """One article: its text as offsets index it, its metadata and its marked zones."""

    name: str
    text: str
    fmt: str = "txt"
    meta: dict[str, Any] = field(default_factory=dict)
    zones: list[Zone] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    # pos -> zone_at(pos): every stage asks about the same mentions and sentences
    _kinds: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.zones.sort(key=lambda z: (z.start, z.end))
        self._starts = [z.start for z in self.zones]

    def zone_at(self, pos: int) -> str | None:
        """The kind of the zone covering ``pos``, or None for article body."""
        if not self._starts:
            return None
        kinds = self._kinds
        if pos in kinds:
            return kinds[pos]
        kinds[pos] = kind = self._zone_at(pos)
        return kind

    def _zone_at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        # Zones are lines and URLs: a zone covering pos starts at one of the few last starts.
        for j in range(i, max(i - 8, -1), -1):
            zone = self.zones[j]
            if zone.start <= pos < zone.end:
                return zone.kind
        return None

    @property
    def published(self) -> dt.date | None:
        """The publication date from the metadata, if any."""
        return self.meta.get("published")


# -- metadata ----------------------------------------------------------------------------------
def _published(value: Any, where: str) -> dt.date | None:
    """The ``published`` metadata value as a date (:func:`mapper.dates.parse_human_date`)."""
    try:
        return parse_human_date(value)
    except ValueError as exc:
        raise DataError(str(exc), path=where or None, field="published") from None


def clean_meta(raw: dict[str, Any] | None, *, where: str = "") -> dict[str, Any]:
    """Keep the known metadata fields, as strings (``published`` as a date)."""
    out: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        key = str(key).lower()
        if key in ("date", "pubdate", "publication_date", "date_published"):
            key = "published"
        if key in ("sitename", "site_name", "publisher", "source"):
            key = "outlet"
        if key in ("lang", "inlanguage", "in_language"):
            key = "language"
        if key == "authors" and isinstance(value, list):
            key, value = "author", ", ".join(str(v) for v in value)
        if key not in META_FIELDS or value in (None, ""):
            continue
        out[key] = _published(value, where) if key == "published" else str(value).strip()
    return out


def load_sidecar(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a ``sources.yaml``-style sidecar: ``{file name: {outlet, title, url, ...}}``."""
    path = Path(path)
    from mapper import guards

    guards.check_size(path, "input")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: metadata file not found; give an existing --meta file") from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=str(path)) from None
    text = guards.decode(raw.removeprefix(b"\xef\xbb\xbf"), path=str(path))
    data = guards.load_yaml(text, path=str(path))  # aliases bounded, dates and ids stay text
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataError("expected a mapping of article file name to metadata", path=str(path))
    out = {}
    for name, meta in data.items():
        if meta is None:
            continue
        if not isinstance(meta, dict):
            raise DataError("expected a mapping with outlet, title, url, published, author",
                            path=str(path), field=str(name))
        out[str(name)] = clean_meta(meta, where=f"{path}: {name}")
    return out


_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str, *, where: str = "") -> tuple[dict[str, Any], int]:
    """YAML front matter at the top of a text: (metadata, offset where the body starts)."""
    match = _FRONT.match(text)
    if not match:
        return {}, 0
    from mapper import guards

    data = guards.load_yaml(match.group(1), path=where or "front matter", first_line=2)
    if not isinstance(data, dict):
        return {}, 0
    return clean_meta(data, where=where), match.end()


def html_main_text(html: str) -> tuple[str, dict[str, Any]]:
    """The main text of an HTML page (trafilatura) and its metadata (meta tags, JSON-LD)."""
    import trafilatura

    found = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                        with_metadata=True)
    if found is None:
        doc: dict[str, Any] = {}
    elif isinstance(found, dict):  # trafilatura < 2
        doc = found
    else:
        doc = found.as_dict()
    text = doc.get("text") or ""
    meta = {"title": doc.get("title"), "author": doc.get("author"), "url": doc.get("url"),
            "outlet": doc.get("sitename"), "published": doc.get("date"),
            "language": doc.get("language")}
    try:
        cleaned = clean_meta(meta)
    except DataError:  # a page's odd date should not stop extraction
        meta.pop("published")
        cleaned = clean_meta(meta)
    return text, cleaned


# -- zones -------------------------------------------------------------------------------------
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.I)


def _lines(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, ends excluding the newline."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start) if not m.group().isspace()]


_LINE = re.compile(r"[^\r\n]+")


def mark_zones(text: str, start: int = 0, pack: LanguagePack | None = None) -> list[Zone]:
    """Find site furniture, appeals, author bios and captions in ``text[start:]``."""
    w = (pack or pack_for(None)).text
    # The key words a line can hold are among those the whole text holds (usually none).
    text_low = text[start:].lower()
    appeal_keys = [k for k in w.appeal_keys if k in text_low]
    bio_keys = [k for k in w.bio_keys if k in text_low]
    has_url = "http" in text_low or "www." in text_low  # a _URL match holds one of them
    zones: list[Zone] = [Zone(m.start(), m.end(), "skip", "url")
                         for m in _URL.finditer(text, start)] if has_url else []
    lines = _lines(text, start)
    # the lines holding a key word, found once in the whole text (a line at a time only when
    # lower() changed the text's length, so its offsets are not the text's)
    aligned = len(text_low) == len(text) - start
    appeal_lines = _lines_with(text_low, start, lines, appeal_keys) if aligned else None
    bio_lines = _lines_with(text_low, start, lines, bio_keys) if aligned else None
    in_appeal = False
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        low = line.lower()
        words = len(line.split(None, 13))  # exact up to 13: only "<= 8" and "<= 12" are asked
        # cheap substring tests first: most lines are plain reporting
        maybe_appeal = i in appeal_lines if appeal_lines is not None else \
            any(k in low for k in appeal_keys)
        maybe_credit = "(" in line or "/" in line or "photo" in low or "image" in low or \
            "credit" in low
        maybe_bio = i in bio_lines if bio_lines is not None else any(k in low for k in bio_keys)
        if w.appeal_opener.match(line):
            in_appeal = True
        if in_appeal:
            # An appeal block runs on while it keeps talking to the reader or stays short.
            if words <= 8 or w.appeal_opener.match(line) or (
                    ((maybe_appeal and w.appeal.search(line)) or w.reader_address.search(line))
                    and not _reporting(line, w)):
                zones.append(Zone(a, b, "skip", "appeal"))
                continue
            in_appeal = False
        if words <= 8 and w.ui_line.match(line):
            zones.append(Zone(a, b, "skip", "site furniture"))
        elif maybe_appeal and w.appeal.search(line) and \
                (words <= 12 or (w.reader_address.search(line) and not _reporting(line, w))):
            # Reporting can mention donations; an appeal speaks to the reader ("we", "you").
            zones.append(Zone(a, b, "skip", "appeal"))
        elif maybe_bio and (w.bio.match(line) or (
                w.bio_hint.search(line) and i >= len(lines) // 2 and
                w.bio_work.search(line) and len(_SENTENCE_CUT.split(line)) <= 3)):
            # a bio is a few sentences; a long paragraph saying "based in" is reporting
            zones.append(Zone(a, b, "bio", "author bio"))
        elif maybe_credit and w.credit.search(line):
            zones.append(Zone(a, b, "caption", "caption or credit"))
    return zones


def _lines_with(text_low: str, start: int, lines: list[tuple[int, int]],
                keys: list[str]) -> set[int]:
    """Indices of the ``lines`` holding one of ``keys`` (``text_low``: the text from ``start``,
    lower case, offsets unchanged). A key holds no line break, so each occurrence lies in one
    line, the last starting at or before it.
    """
    found: set[int] = set()
    if not keys:
        return found
    line_starts = [a for a, _b in lines]
    for key in keys:
        i = text_low.find(key)
        while i >= 0:
            found.add(bisect.bisect_right(line_starts, i + start) - 1)
            i = text_low.find(key, i + 1)
    return found


_SENTENCE_CUT = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")


def _reporting(line: str, w: TextWords) -> bool:
    """A long paragraph whose sentences are mostly not appeals is reporting, even when one of
    them quotes a "we" or names donations ("Malaysia will contribute $1 million").
    """
    sentences = _SENTENCE_CUT.split(line)
    if len(sentences) < 3:
        return False
    appeals = sum(1 for s in sentences if w.appeal.search(s) and w.reader_address.search(s))
    return appeals * 2 < len(sentences)


def document_from_text(text: str, *, name: str = "<text>", fmt: str = "txt",
                       meta: dict[str, Any] | None = None) -> Document:
    """A Document from text already read (front matter for .md is read and marked, not cut)."""
    body = 0
    found: dict[str, Any] = {}
    if fmt in ("md", "txt"):
        found, body = front_matter(text, where=name)
    merged = {**found, **clean_meta(meta or {}, where=name)}
    zones = [Zone(0, body, "skip", "front matter")] if body else []
    zones += mark_zones(text, body, pack_for(article_language(merged.get("language"), text)))
    return Document(name=name, text=text, fmt=fmt, meta=merged, zones=zones)


def read_document(path: str | Path, *, meta: dict[str, Any] | None = None,
                  fmt: str | None = None, stdin_text: str | None = None) -> Document:
    """Read one article (``"-"`` for stdin). ``meta`` (sidecar or options) wins over what the
    file says about itself.
    """
    name = str(path)
    kind: str | None
    if name == "-":
        raw = stdin_text if stdin_text is not None else sys.stdin.read()
        html = re.match(r"\s*<(!doctype|html|head|body|article|div|p)\b", raw, re.I)
        kind = fmt or ("html" if html else "txt")
    else:
        p = Path(path)
        kind = fmt or SUFFIXES.get(p.suffix.lower())
        if kind is None:
            raise UsageError(f"{p}: unknown article type {p.suffix or '(no suffix)'!r}; "
                             "give a .txt, .md or .html file")
        from mapper import guards

        guards.check_size(p, "article")  # refused at once, naming the limit and the flag
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise UsageError(f"{p}: file not found; check the path") from None
        except IsADirectoryError:
            raise UsageError(f"{p}: is a folder; give article files") from None
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if kind != "html":
                raw = guards.decode(data, path=name)  # raises, naming the likely encoding
            raw = data.decode("latin-1")
    if kind == "html":
        text, found = html_main_text(raw)
        doc = document_from_text(text, name=name, fmt="txt", meta={**found, **(meta or {})})
        doc.fmt = "html"
        return doc
    return document_from_text(raw, name=name, fmt=kind, meta=meta)
