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

import yaml

from mapper.errors import DataError, UsageError

META_FIELDS: tuple[str, ...] = ("outlet", "title", "url", "published", "author")
SUFFIXES: dict[str, str] = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                            ".html": "html", ".htm": "html", ".xhtml": "html"}
"""Article file suffixes (lower case) and the reader each takes."""
ARTICLE_SUFFIXES: tuple[str, ...] = tuple(SUFFIXES)
"""Every suffix an article file may have: the one list `mapper extract` and `mapper map` use."""


@dataclass
class Zone:
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

    def __post_init__(self) -> None:
        self.zones.sort(key=lambda z: (z.start, z.end))
        self._starts = [z.start for z in self.zones]

    def zone_at(self, pos: int) -> str | None:
        """The kind of the zone covering ``pos``, or None for article body."""
        i = bisect.bisect_right(self._starts, pos) - 1
        # Zones are lines and URLs: a zone covering pos starts at one of the few last starts.
        for j in range(i, max(i - 8, -1), -1):
            zone = self.zones[j]
            if zone.start <= pos < zone.end:
                return zone.kind
        return None

    @property
    def published(self) -> dt.date | None:
        return self.meta.get("published")


# -- metadata ----------------------------------------------------------------------------------
def parse_date(value: Any, *, where: str = "", fieldname: str = "published") -> dt.date | None:
    """A publication date from YAML, ISO text (with or without time) or a loose human date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser  # slow to import: only for dates written the human way

    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first",
                                              "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        raise DataError(f"cannot read the date {text!r}; write it as YYYY-MM-DD",
                        path=where or None, field=fieldname)
    return parsed.date()


def clean_meta(raw: dict[str, Any] | None, *, where: str = "") -> dict[str, Any]:
    """Keep the known metadata fields, as strings (``published`` as a date)."""
    out: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        key = str(key).lower()
        if key in ("date", "pubdate", "publication_date", "date_published"):
            key = "published"
        if key in ("sitename", "site_name", "publisher", "source"):
            key = "outlet"
        if key == "authors" and isinstance(value, list):
            key, value = "author", ", ".join(str(v) for v in value)
        if key not in META_FIELDS or value in (None, ""):
            continue
        out[key] = parse_date(value, where=where) if key == "published" else str(value).strip()
    return out


def load_sidecar(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a ``sources.yaml``-style sidecar: ``{file name: {outlet, title, url, ...}}``."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: metadata file not found; give an existing --meta file") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataError("not valid YAML; fix the syntax (a mapping of file name to metadata)",
                        path=str(path), line=None if line is None else line + 1) from None
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
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        raise DataError("front matter is not valid YAML; fix it or remove the --- block",
                        path=where or None, line=1) from None
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
            "outlet": doc.get("sitename"), "published": doc.get("date")}
    try:
        cleaned = clean_meta(meta)
    except DataError:  # a page's odd date should not stop extraction
        meta.pop("published")
        cleaned = clean_meta(meta)
    return text, cleaned


# -- zones -------------------------------------------------------------------------------------
_UI_LINE = re.compile(
    r"^\s*(?:read more|show more|load more|see more|more from .{0,40}|news ?feed|avatar|reporter|"
    r"editor|correspondent|author|advertisement|sponsored|share( this)?( article)?|"
    r"(facebook|twitter|x|telegram|whatsapp|email|linkedin|copy link)|print|comments?|"
    r"\d+ min(ute)?s? read|support us|subscribe( now)?|sign up|log ?in|donate( now)?|continue|"
    r"once|monthly|annual(ly)?|yearly|remind me later\.?|not ready to support today\?|"
    r"\d[\d,.]* out of [\d,.]+|related( articles| stories| news)?:?|most read|trending|"
    r"tags?:.*|skip to (main )?content|menu|close|back to top|listen to (this )?article|"
    r"paiment methods|payment methods|cookie settings|accept( all)?( cookies)?|join us)\s*$",
    re.I)
# A paragraph that asks the reader for something: money, an email address, a membership.
_APPEAL = re.compile(
    r"\b(newsletter|subscri(be|bers?|ption)|donat(e|ion|ions)|membership|become a (member|patron)|"
    r"support (us|our|independent)|support .{0,40}journalism|quality journalism|join (our|us)|"
    r"our community|privacy policy|in your (mailbox|inbox)|sign up for|dear readers?|"
    r"a message from|help us reach|make a (contribution|donation)|every contribution)\b", re.I)
_APPEAL_KEYS = ("newsletter", "subscri", "donat", "membership", "member", "patron", "support",
                "journalism", "join", "community", "privacy", "mailbox", "inbox", "sign up",
                "readers", "message from", "help us", "contribution")
_BIO_KEYS = (" is a ", " is an ", " was a ", " has been ", " covers ", " works ", "based in",
             "graduat", "master", "bachelor", "degree", "previously", "speaks")
_APPEAL_OPENER = re.compile(r"^\s*(a message from\b.*|dear readers?\b.*|sign up for\b.*)$", re.I)
_FIRST_PLURAL = re.compile(r"\b(we|us|our|ours|you|your)\b", re.I)
_BIO = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]+\s+){1,3}(?:is|was|has been|covers|works)\s+(?:a|an|the)?\s*"
    r"(?:[\w-]+\s+){0,4}(?:reporter|journalist|correspondent|editor|writer|columnist|contributor|"
    r"producer|photographer|analyst|fellow|news ?writer|freelancer)\b", re.U)
_BIO_HINT = re.compile(r"\b(based in|graduat(ed|ing) from|holds a (master|bachelor|degree)|"
                       r"(master|bachelor)'?s degree|previously worked|speaks (english|[A-Z]\w+))",
                       re.I)
_CREDIT = re.compile(
    r"(\((?:photo:?\s*)?[^()\n]{0,80}(?:/|\bvia\b|\bby\b)\s*[^()\n]{0,60}\)\s*$|"
    r"^\s*(?:photo|image|credit|photograph)s?\s*(?:by)?:.*$|"
    r"^[^.!?\n]{0,80}/\s*(?:TASS|AFP|Reuters|AP|EPA|Anadolu|Getty Images|Ukrinform|RIA Novosti|"
    r"Xinhua|Sputnik|Shutterstock|dpa|UNIAN|Wikimedia Commons)\s*$)", re.I)
_BIO_WORK = re.compile(r"\b(journalis|report|writ|editor|career)", re.I)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.I)


def _lines(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, ends excluding the newline."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start) if not m.group().isspace()]


_LINE = re.compile(r"[^\r\n]+")


def mark_zones(text: str, start: int = 0) -> list[Zone]:
    """Find site furniture, appeals, author bios and captions in ``text[start:]``."""
    # The key words a line can hold are among those the whole text holds (usually none).
    text_low = text[start:].lower()
    appeal_keys = [k for k in _APPEAL_KEYS if k in text_low]
    bio_keys = [k for k in _BIO_KEYS if k in text_low]
    has_url = "http" in text_low or "www." in text_low  # a _URL match holds one of them
    zones: list[Zone] = [Zone(m.start(), m.end(), "skip", "url")
                         for m in _URL.finditer(text, start)] if has_url else []
    lines = _lines(text, start)
    in_appeal = False
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        low = line.lower()
        words = len(line.split(None, 13))  # exact up to 13: only "<= 8" and "<= 12" are asked
        # cheap substring tests first: most lines are plain reporting
        maybe_appeal = any(k in low for k in appeal_keys)
        maybe_credit = "(" in line or "/" in line or "photo" in low or "image" in low or \
            "credit" in low
        maybe_bio = any(k in low for k in bio_keys)
        if _APPEAL_OPENER.match(line):
            in_appeal = True
        if in_appeal:
            # An appeal block runs on while it keeps talking to the reader or stays short.
            if (maybe_appeal and _APPEAL.search(line)) or _FIRST_PLURAL.search(line) or \
                    words <= 8 or _APPEAL_OPENER.match(line):
                zones.append(Zone(a, b, "skip", "appeal"))
                continue
            in_appeal = False
        if words <= 8 and _UI_LINE.match(line):
            zones.append(Zone(a, b, "skip", "site furniture"))
        elif maybe_appeal and _APPEAL.search(line) and (words <= 12 or _FIRST_PLURAL.search(line)):
            # Reporting can mention donations; an appeal speaks to the reader ("we", "you").
            zones.append(Zone(a, b, "skip", "appeal"))
        elif maybe_bio and (_BIO.match(line) or (
                _BIO_HINT.search(line) and i >= len(lines) // 2 and
                _BIO_WORK.search(line))):
            zones.append(Zone(a, b, "bio", "author bio"))
        elif maybe_credit and _CREDIT.search(line):
            zones.append(Zone(a, b, "caption", "caption or credit"))
    return zones


def document_from_text(text: str, *, name: str = "<text>", fmt: str = "txt",
                       meta: dict[str, Any] | None = None) -> Document:
    """A Document from text already read (front matter for .md is read and marked, not cut)."""
    body = 0
    found: dict[str, Any] = {}
    if fmt in ("md", "txt"):
        found, body = front_matter(text, where=name)
    zones = [Zone(0, body, "skip", "front matter")] if body else []
    zones += mark_zones(text, body)
    merged = {**found, **clean_meta(meta or {}, where=name)}
    return Document(name=name, text=text, fmt=fmt, meta=merged, zones=zones)


def read_document(path: str | Path, *, meta: dict[str, Any] | None = None,
                  fmt: str | None = None, stdin_text: str | None = None) -> Document:
    """Read one article (``"-"`` for stdin). ``meta`` (sidecar or options) wins over what the
    file says about itself.
    """
    name = str(path)
    if name == "-":
        raw = stdin_text if stdin_text is not None else sys.stdin.read()
        kind = fmt or ("html" if re.match(r"\s*<(!doctype|html|head|body|article|div|p)\b", raw, re.I)
                       else "txt")
    else:
        p = Path(path)
        kind = fmt or SUFFIXES.get(p.suffix.lower())
        if kind is None:
            raise UsageError(f"{p}: unknown article type {p.suffix or '(no suffix)'!r}; "
                             "give a .txt, .md or .html file")
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise UsageError(f"{p}: file not found; check the path") from None
        except IsADirectoryError:
            raise UsageError(f"{p}: is a folder; give article files") from None
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if kind != "html":
                raise DataError(f"not UTF-8 text (byte {exc.start}); re-save the file as UTF-8",
                                path=name) from None
            raw = data.decode("latin-1")
    if kind == "html":
        text, found = html_main_text(raw)
        doc = document_from_text(text, name=name, fmt="txt", meta={**found, **(meta or {})})
        doc.fmt = "html"
        return doc
    return document_from_text(raw, name=name, fmt=kind, meta=meta)
