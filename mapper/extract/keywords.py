"""Cue words found once in a whole text, then looked up per sentence or clause.

The drafting stages test sentences and clauses for a few dozen cue words (date words,
weekday and month names, figure verbs, verification words, speech verbs) before running their
patterns. A substring search per word and sentence reads the text once per word; ``CueWords``
holds every list of a language in one Aho-Corasick automaton (pyahocorasick, as the name index)
that reads the text once, and ``Spots`` answers "which of these words lie inside [a, b)" with a
bisection. The answers are those of the per-sentence search: a word lies inside ``text[a:b]``
exactly when it occurs in ``text`` starting at or after ``a`` and ending at or before ``b``.

Lower-case lists are matched in ``text.lower()`` made once. That equals the concatenation of
the sentences' own lower cases when no character lowers to more than one ("İ" is the one that
does: then ``len`` changes and nothing is found here, callers search per sentence as before),
up to the choice of final sigma, which Python makes from the neighbouring letters; a list
holding a sigma is never matched here for that reason. Lists matched as written ("Jan" but
not "jan") are found through their lower case and kept where the text reads the word exactly.
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

_SIGMAS = ("σ", "ς")
Table = Mapping[str, tuple[str, ...]]  # label -> words


class Spots:
    """Where the words of one list occur in one text, sorted by start (with each word's label)."""

    def __init__(self, spots: list[tuple[int, int, str]]) -> None:
        spots = sorted(spots)
        self.starts = [s[0] for s in spots]
        self.ends = [s[1] for s in spots]
        self.labels = [s[2] for s in spots]

    def starts_within(self, a: int, b: int) -> list[int]:
        """Sorted distinct starts, relative to ``a``, of the words lying inside [a, b): what
        ``scan.keyword_positions`` gives on ``text[a:b]`` (or its lower case).
        """
        starts, ends = self.starts, self.ends
        out: list[int] = []
        last = -1
        for k in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
            if ends[k] <= b and starts[k] != last:
                last = starts[k]
                out.append(last - a)
        return out

    def any_within(self, a: int, b: int) -> bool:
        """One of the words lies inside [a, b)."""
        starts, ends = self.starts, self.ends
        k = bisect.bisect_left(starts, a)
        n = len(starts)
        while k < n and starts[k] < b:
            if ends[k] <= b:
                return True
            k += 1
        return False

    def labels_within(self, a: int, b: int) -> set[str]:
        """The labels of the words lying inside [a, b)."""
        starts, ends, labels = self.starts, self.ends, self.labels
        return {labels[k] for k in range(bisect.bisect_left(starts, a),
                                         bisect.bisect_left(starts, b)) if ends[k] <= b}


class CueWords:
    """Named word lists (each a word tuple or a table label -> words) in one automaton.

    ``cased`` names the lists matched as written; the others are lower case and matched in
    the lower-case text. A list that cannot be matched here (a sigma, an empty word, a word
    whose lower case is longer) is left out: ``TextCues.spots`` gives None for it.
    """

    def __init__(self, lists: Mapping[str, tuple[str, ...] | Table],
                 cased: frozenset[str] = frozenset()) -> None:
        import ahocorasick

        self.names = tuple(lists)
        # key -> (list index, label, length, the word when it is matched as written)
        entries: dict[str, list[tuple[int, str, int, str | None]]] = {}
        self.matched: set[str] = set()
        for i, (name, words) in enumerate(lists.items()):
            table: Table = words if isinstance(words, Mapping) else {"": words}
            every = [w for ws in table.values() for w in ws]
            if not all(every) or any(s in w for w in every for s in _SIGMAS) or \
                    any(len(w.lower()) != len(w) for w in every):
                continue
            self.matched.add(name)
            for label, ws in table.items():
                for w in dict.fromkeys(ws):
                    entries.setdefault(w.lower(), []).append(
                        (i, label, len(w), w if name in cased else None))
        self._automaton: Any = ahocorasick.Automaton()
        for key, value in entries.items():
            self._automaton.add_word(key, tuple(value))
        self._automaton.make_automaton()
        self._last: tuple[str, TextCues] | None = None

    def find(self, text: str, lower: str | None = None) -> TextCues:
        """Every list's words in ``text`` (one pass of the automaton); ``lower``: its lower
        case when the caller has made it already. The stages of one article ask for the same
        text (the same object) in turn: the last answer is kept and given again.
        """
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        lower = text.lower() if lower is None else lower
        if len(lower) != len(text) or not self.matched:
            cues = TextCues(text, {})
        else:
            found: list[list[tuple[int, int, str]]] = [[] for _ in self.names]
            for last_char, entries in self._automaton.iter(lower):
                end = last_char + 1
                for i, label, length, as_written in entries:
                    start = end - length
                    if as_written is None or text.startswith(as_written, start):
                        found[i].append((start, end, label))
            cues = TextCues(text, {name: found[i] for i, name in enumerate(self.names)
                                   if name in self.matched})
        self._last = (text, cues)  # one tuple: a thread reading it sees a whole pair
        return cues


class TextCues:
    """The cue words found in one text: ``spots(name)``, None for a list not matched here."""

    def __init__(self, text: str, found: dict[str, list[tuple[int, int, str]]]) -> None:
        self.text = text
        self._found = found
        self._spots: dict[str, Spots] = {}

    def spots(self, name: str) -> Spots | None:
        """Where list ``name``'s words lie, or None: then test each sentence itself."""
        spots = self._spots.get(name)
        if spots is None:
            found = self._found.get(name)
            if found is None:
                return None
            spots = self._spots[name] = Spots(found)
        return spots
