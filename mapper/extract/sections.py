"""Long articles in sections: extraction in linear time and bounded memory.

A text longer than ``SECTION_CHARS`` (a long read is 20-50,000 characters; a book, a liveblog
dump or a report converted from PDF runs to megabytes) is cut into sections that the pipeline
runs through one at a time, each with the document's metadata, language and zones. A section
ends at a paragraph break where one lies in the second half of its window, else at a line end,
else after a sentence's full stop, else at a space: names never span lines (tokens of one name
are joined by spaces or hyphens only), so a cut at a line end loses no mention, and a cut
elsewhere is for text that has no line ends to offer.

Each section is read with its own context (the countries it names, its speakers, one sense per
name within it), which is what the whole text would give when its parts are separate stories;
drafts of the same place, event and date in two sections are one incident (the first, with
the later one's claims and actors added).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from mapper.extract.text import Document, Zone
from mapper.incidents.model import Incident

SECTION_CHARS = 100_000
"""Texts longer than this many characters are extracted in sections of at most this size."""

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


def section_bounds(text: str, size: int = SECTION_CHARS) -> list[tuple[int, int]]:
    r"""(start, end) of the sections of ``text``: consecutive, covering it, each at most
    ``size`` characters (one section when the text is no longer).

    >>> section_bounds("one.\ntwo.\nthree.", size=8)
    [(0, 5), (5, 10), (10, 16)]
    """
    if size < 2:
        raise ValueError("a section holds at least two characters")
    out = []
    a, n = 0, len(text)
    while n - a > size:
        b = _cut(text, a, a + size)
        out.append((a, b))
        a = b
    out.append((a, n))
    return out


def _cut(text: str, a: int, limit: int) -> int:
    """Where the section starting at ``a`` ends, at most at ``limit`` (see the module doc)."""
    half = a + (limit - a) // 2
    i = text.rfind("\n\n", half, limit)
    if i >= 0:
        return i + 2
    i = text.rfind("\n", a, limit)
    if i >= 0:
        return i + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text, half, limit)]
    if ends:
        return ends[-1]
    i = max(text.rfind(" ", a, limit), text.rfind("\t", a, limit))
    return i + 1 if i > a else limit


def section_documents(doc: Document, language: str,
                      size: int = SECTION_CHARS) -> Iterator[tuple[int, Document]]:
    """(offset, document) of each section of ``doc``: its text, the zones inside it (shifted),
    the document's metadata with ``language`` fixed (a section's own text never decides it).
    """
    zones = sorted(doc.zones, key=lambda z: (z.start, z.end))
    meta = {**doc.meta, "language": language}
    first = 0  # zones wholly before the current section are not looked at again
    for a, b in section_bounds(doc.text, size):
        while first < len(zones) and zones[first].end <= a:
            first += 1
        inside = []
        for z in zones[first:]:
            if z.start >= b:
                break
            if z.end > a:
                inside.append(Zone(max(z.start, a) - a, min(z.end, b) - a, z.kind,
                                   z.reason))
        yield a, Document(name=doc.name, text=doc.text[a:b], fmt=doc.fmt, meta=meta,
                          zones=inside)


def merge_incidents(incidents: list[Incident]) -> list[Incident]:
    """One incident per id, in order of first appearance: a later section's draft of the same
    place, event and date adds its claims and actors to the first.
    """
    by_id: dict[str, Incident] = {}
    out = []
    for inc in incidents:
        first = by_id.get(inc.id)
        if first is None:
            by_id[inc.id] = inc
            out.append(inc)
            continue
        for claim in inc.claims:
            if claim not in first.claims:
                first.claims.append(claim)
        for actor in inc.actors:
            if actor not in first.actors:
                first.actors.append(actor)
    return out
