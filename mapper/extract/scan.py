"""Fast regular-expression search helpers shared by the extraction stages.

Python's ``re`` tries every alternative of a pattern at every character; these helpers find
cheap anchors first (substring search in C) and run a pattern only where a match can start.
They know no language: the packs in ``mapper.extract.lang`` give the words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


def keyword_positions(text: str, words: tuple[str, ...]) -> list[int]:
    """Sorted start positions of every occurrence of ``words`` (plain substring search, which
    runs in C far faster than a regular-expression alternation).
    """
    out: list[int] = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            out.append(i)
            i = text.find(w, i + 1)
    return sorted(set(out))


DIGIT = re.compile(r"\d")
# The only characters outside ASCII that re.IGNORECASE takes for ASCII letters (İ ı ſ K): in a
# text without them, a case-insensitive pattern matches a plain word exactly where the word
# occurs in ``text.lower()``, so substring tests may stand in for (or narrow) such patterns.
CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def lower_for_keywords(text: str, lower: str | None = None) -> str | None:
    """``text.lower()`` (or ``lower``, already made) when its offsets are those of ``text`` and
    no character there matches an ASCII letter only under re.IGNORECASE; else None (then run
    the patterns on the whole text).
    """
    lower = text.lower() if lower is None else lower
    if len(lower) != len(text) or CASE_TRAPS.search(text):
        return None
    return lower


def finditer_at(pattern: re.Pattern, text: str, lower: str | None, keys: tuple[str, ...]):
    """``pattern.finditer(text)`` for a pattern every match of which starts with one of ``keys``
    (``lower``: see ``lower_for_keywords``): the pattern is tried only where a key starts.
    """
    if lower is None:
        return pattern.finditer(text)
    return matches_at(pattern, text, keyword_positions(lower, keys))


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]):
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (sorted): the
    pattern is tried only there, left to right, each match resuming after the last as finditer
    does (the patterns given never match the empty string).
    """
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = m.end()
            yield m




def windowed(pattern: re.Pattern, text: str, anchors: list[int], before: int = 45,
              after: int = 40):
    """Matches of ``pattern`` that lie around the anchor positions (each match contains an
    anchor): Python's re tries every alternative at every character, so a long text is searched
    only where a cheap anchor (a month name, a weekday, "ago") says a match can be.
    """
    end_seen = -1
    n = len(text)
    for pos in anchors:
        if pos < end_seen:
            continue
        lo = max(0, pos - before, end_seen)
        hi = min(n, pos + after)
        for m in pattern.finditer(text, lo, hi):
            if m.start() <= pos < m.end() or m.start() >= pos:
                if m.end() > end_seen:
                    end_seen = m.end()
                yield m


# Every date expression holds a digit or one of these words (in any case; "tonight" and
# "overnight" hold "night").

def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` that re tests a letter at a time, ``a(?:bd|ir(?:s)?)|b...``,
    instead of one word after the other. It matches wherever one of the words starts.
    """
    heads: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        heads.setdefault(w[0], []).append(w[1:])
    parts = []
    for head, tails in heads.items():
        longer = [t for t in tails if t]
        if not longer:
            parts.append(re.escape(head))
        else:  # optional when the head is a word of its own
            optional = "?" if "" in tails else ""
            parts.append(re.escape(head) + f"(?:{trie_pattern(longer)})" + optional)
    return "|".join(parts)

