"""Sentences, numbers and event words: the plain-text layer under dates, claims and roles.

Everything here works on plain text with regular expressions and the word lists of a language
pack (``mapper.extract.lang``), so it runs at thousands of sentences a second and needs no
model. Dates are in ``dates``, who says what and the figures in ``claims``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from mapper.extract.keywords import CueWords, Spots, TextCues
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
    abbreviations = w.abbreviations
    match_at = w.sentence_end.match
    # where a sentence can end: with ``sentence_end_first`` (what every match starts with) the
    # pattern is tried only at those characters, found in one pass (re would try both of its
    # branches at every character); without it, everywhere
    ends = [m.start() for m in w.sentence_end_first.finditer(text, start, end)] \
        if w.sentence_end_first is not NEVER else None
    k = 0
    for line in _LINE.finditer(text, start, end):
        a0, b0 = line.span()
        a = a0
        if ends is None:
            matches: Iterable[re.Match[str]] = w.sentence_end.finditer(text, a0, b0)
        else:  # the candidates of this line; the same matches as finditer (leftmost, resuming
            # where one ended: matches are never empty)
            j = k
            while k < len(ends) and ends[k] < b0:
                k += 1
            matches = _matches_at(match_at, text, ends[j:k], b0)
        for match in matches:
            cut = match.end()
            dot = match.start()
            if text[dot] == ".":  # the word before decides (only a full stop can abbreviate)
                before = text[a:dot].rsplit(None, 1)
                word = before[-1].lower().rstrip(".") if before else ""
                if word in abbreviations or (len(word) == 1 and word.isalpha()):
                    continue  # "Gen. Smith", "J. Smith", "U.S. forces"
            _add_span(text, a, cut, out)
            a = cut
        _add_span(text, a, b0, out)
    return out


_LINE = re.compile(r"[^\r\n]+")


def _matches_at(match_at: Callable[[str, int, int], re.Match[str] | None], text: str,
                starts: list[int], end: int) -> Iterator[re.Match[str]]:
    """The matches starting at ``starts`` (sorted), each tried only past the last match."""
    pos = 0
    for c in starts:
        if c >= pos:
            m = match_at(text, c, end)
            if m is not None:
                pos = m.end()
                yield m


def _add_span(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    """``text[a:b]`` without the whitespace at its ends (str.strip and str.isspace agree on
    what whitespace is), when anything is left.
    """
    part = text[a:b]
    kept = part.strip()
    if kept:
        a += len(part) - len(part.lstrip())
        out.append((a, a + len(kept)))


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


def _intended_at(w: EventWords, keys: Spots, text: str, i: int) -> bool:
    """``_intended`` with the intent keys found in the whole text (``keys``)."""
    a = max(0, i - 30)
    if w.intent_keys and not keys.any_within(a, i):
        return False
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
    prefixes: tuple[str, ...]  # the first letters ``start`` looks for
    heads_of_three: bool  # every prefix has three letters or more


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
        tuple(range(len(w.event_words))), prefixes, all(len(p) >= 3 for p in prefixes))


# "the two border regions": one of these words is in every match of the English anaphor
REFER_BACK = ("two", "three", "four", "both")
DATE_CUES = ("date_words", "month_anchors", "weekday_anchors", "relative_anchors")
"""The date cue lists of ``pack_cues`` (``DateWords`` fields; month anchors as written)."""


@cache
def pack_cues(pack: LanguagePack) -> CueWords:
    """Every cue word list of the stages after recognition, in one automaton per pack: the
    text is read once (``text_cues``) for event word prefixes and intent keys, date words and
    anchors, the anaphor's numbers, verification keys, figure hints and speech words.
    """
    d, c = pack.dates, pack.claims
    return CueWords({"prefixes": _event_index(pack.events).prefixes,
                     "intent": pack.events.intent_keys, "date_words": d.date_words,
                     "month_anchors": d.month_anchors, "weekday_anchors": d.weekday_anchors,
                     "relative_anchors": d.relative_anchors, "refer_back": REFER_BACK,
                     "verify": c.verify_keys, "figures": c.figure_hints, "say": c.say_words},
                    cased=frozenset({"month_anchors"}))


def text_cues(text: str, pack: LanguagePack, lower: str | None = None) -> TextCues:
    """The cue words of ``pack`` in ``text`` (found once per text: the stages of one article
    share the answer).
    """
    return pack_cues(pack).find(text, lower)


def _word_starts(cues: TextCues, lower: str) -> tuple[list[int], Spots | None] | None:
    """Where ``_EventIndex.start`` matches in ``lower`` (the lower case of ``cues.text``) and
    where the intent keys lie; None when the automaton cannot say (then search as before).

    The prefixes are letters only, so the word boundary before one is a word start: the
    character before is no word character of re (``str.isalnum`` or "_"), and no two matches
    overlap.
    """
    prefixes = cues.spots("prefixes")
    if prefixes is None:
        return None
    starts = []
    last = -1
    for i in prefixes.starts:
        if i != last and (i == 0 or not (lower[i - 1].isalnum() or lower[i - 1] == "_")):
            starts.append(i)
        last = i
    return starts, cues.spots("intent")


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
    spotted = _word_starts(text_cues(text, pack or pack_for(None), lower), lower) if aligned \
        else None
    intent_at = spotted[1] if spotted else None
    if spotted and index.heads_of_three:
        # every prefix found at i starts with lower[i:i + 3]: no need to ask the pattern
        heads: Iterable[tuple[int, str]] = ((i, lower[i:i + 3]) for i in spotted[0])
    else:
        founds = (index.start.match(lower, i) for i in spotted[0]) if spotted \
            else index.start.finditer(lower)
        heads = ((f.start(), f.group()[:3]) for f in founds if f is not None)
    for i, head in heads:
        if i < pos:
            continue
        groups = index.groups_by_prefix[head] if aligned else index.all_groups
        for k in groups:  # the first category matching wins
            m = index.patterns[k].match(text, i, n)
            if m is not None:
                category = w.event_words[k][1]
                if intent and (_intended(w, lower, text, i) if intent_at is None else
                               _intended_at(w, intent_at, text, i)):
                    category = "statement"  # "would launch raids": said, not done
                out.append(EventWord(offset + m.start(), offset + m.end(), m.group(),
                                     category, w.event_words[k][2]))
                pos = m.end()
                break
    return out
