"""Sentences, numbers and event words: the plain-text layer under dates, claims and roles.

Everything here works on plain text with regular expressions and the word lists of a language
pack (``mapper.extract.lang``), so it runs at thousands of sentences a second and needs no
model. Dates are in ``dates``, who says what and the figures in ``claims``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mapper.extract.lang import NEVER, EventWords, LanguagePack, pack_for
from mapper.extract.scan import trie_pattern


def _words(pack: LanguagePack | None) -> EventWords:
    return (pack or pack_for(None)).events


# -- sentences ---------------------------------------------------------------------------------
def split_sentences(text: str, start: int = 0, end: int | None = None,
                    pack: LanguagePack | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text[start:end]``; lines are never joined."""
    w = _words(pack)
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text[start:end]):
        a0 = start + line.start()
        b0 = start + line.end()
        a = a0
        for match in w.sentence_end.finditer(text, a0, b0):
            cut = match.end()
            before = text[a:match.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if match.group().startswith(".") and (word in w.abbreviations or
                                                   (len(word) == 1 and word.isalpha())):
                continue  # "Gen. Smith", "J. Smith", "U.S. forces"
            _add_span(text, a, cut, out)
            a = cut
        _add_span(text, a, b0, out)
    return out


def _add_span(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


# -- numbers -----------------------------------------------------------------------------------
def parse_number(text: str, pack: LanguagePack | None = None) -> int | None:
    """'25' -> 25, 'a dozen' -> 12, 'twenty-five' -> 25, 'two hundred' -> 200."""
    w = _words(pack)
    t = text.lower().strip().replace(",", "")
    if t.isdigit():
        return int(t)
    if t in w.special_numbers:
        return w.special_numbers[t]
    total = 0
    words = re.split(r"[\s-]+", t)
    if "hundred" in words:
        i = words.index("hundred")
        head = words[:i]
        total = 100 * (1 if head in ([], ["a"]) else w.units.get(head[0], 1))
        words = [x for x in words[i + 1:] if x != "and"]
    value = 0
    for x in words:
        if x in w.units:
            value += w.units[x]
        elif x in w.tens:
            value += w.tens[x]
        elif x:
            return None
    return total + value


def _intended(w: EventWords, lower: str, text: str, i: int) -> bool:
    """The 30 characters before position ``i`` end in an intention or a condition ("would
    launch", "vowed to"): the pack's pattern, tried only when one of its keys is there.
    """
    a = max(0, i - 30)
    if w.intent_keys and len(lower) == len(text) and \
            _intent_keys(w).search(lower, a, i) is None:
        return False  # no key within lower[a:i]: one search in C, not a test per key
    return w.intent_before.search(text, a, i) is not None


@cache
def _intent_keys(w: EventWords) -> re.Pattern[str]:
    """Any of the pack's intent keys (a search bounded to ``[a, i)`` finds one lying there)."""
    return re.compile("|".join(map(re.escape, w.intent_keys)))


# -- event words -------------------------------------------------------------------------------
@dataclass
class EventWord:
    """An event word in the text: its span, category and weight (how specific it is)."""

    start: int
    end: int
    text: str
    category: str
    weight: float


def _prefixes(pattern: str) -> set[str]:
    """First letters (up to 4) of every word of one event pattern: a cheap test before it."""
    out = set()
    for alt in re.split(r"\|(?![^()]*\))", pattern):
        alt = alt.lstrip("(?:")
        head = re.match(r"[^\W\d_]+", alt)  # letters of any script (Cyrillic packs too)
        if head:
            word = head.group()
            if alt[len(word):len(word) + 1] in ("?", "*", "{"):
                word = word[:-1]  # "jets?": the last letter is optional
            out.add(word[:4])
    return out


@dataclass(frozen=True)
class _EventIndex:
    start: re.Pattern[str]  # a word starting with the first letters of an event word
    patterns: list[re.Pattern[str]]  # each category's pattern alone
    groups_by_prefix: dict[str, tuple[int, ...]]  # first three letters -> categories to try
    all_groups: tuple[int, ...]


@cache
def _event_index(w: EventWords) -> _EventIndex:
    """The event word finder of one pack, made once."""
    group_prefixes = [_prefixes(pattern) for pattern, _c, _w in w.event_words]
    prefixes = tuple(sorted(set().union(*group_prefixes)))
    return _EventIndex(
        re.compile(r"\b(?:" + trie_pattern(prefixes) + ")"),
        [re.compile(f"\\b(?:{pattern})\\b", re.I) for pattern, _c, _w in w.event_words],
        {head: tuple(k for k, ps in enumerate(group_prefixes) if any(p[:3] == head for p in ps))
         for head in {p[:3] for p in prefixes}},
        tuple(range(len(w.event_words))))


def find_event_words(text: str, offset: int = 0,
                     pack: LanguagePack | None = None) -> list[EventWord]:
    """Event words in ``text`` with their category (spans shifted by ``offset``)."""
    w = _words(pack)
    index = _event_index(w)
    out = []
    lower = text.lower()
    pos = 0
    n = len(text)
    # Python's re tries every alternative at every character; find the words whose first
    # letters fit a known prefix (one pass in C), and run the full pattern only there.
    # A lower case longer than the text ("İ") shifts the positions: there the letters found do
    # not say which categories to try, so all are tried, in order, as they always were.
    aligned = len(lower) == n
    intent = w.intent_before is not NEVER
    for found in index.start.finditer(lower):
        i = found.start()
        if i < pos:
            continue
        groups = index.groups_by_prefix[found.group()[:3]] if aligned else index.all_groups
        for k in groups:  # the first category matching wins
            m = index.patterns[k].match(text, i, n)
            if m is not None:
                category = w.event_words[k][1]
                if intent and _intended(w, lower, text, i):
                    category = "statement"  # "would launch raids": said, not done
                out.append(EventWord(offset + m.start(), offset + m.end(), m.group(),
                                     category, w.event_words[k][2]))
                pos = m.end()
                break
    return out
