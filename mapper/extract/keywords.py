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
        spots.sort()
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
        entries: dict[str, list[tuple[int, str, str, bool]]] = {}
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
                    entries.setdefault(w.lower(), []).append((i, label, w, name in cased))
        self._automaton: Any = ahocorasick.Automaton()
        for key, value in entries.items():
            self._automaton.add_word(key, tuple(value))
        self._automaton.make_automaton()

    def find(self, text: str, lower: str | None = None) -> TextCues:
        """Every list's words in ``text`` (one pass of the automaton); ``lower``: its lower
        case when the caller has made it already.
        """
        lower = text.lower() if lower is None else lower
        if len(lower) != len(text) or not self.matched:
            return TextCues(text, {})
        found: list[list[tuple[int, int, str]]] = [[] for _ in self.names]
        for last, entries in self._automaton.iter(lower):
            end = last + 1
            for i, label, word, as_written in entries:
                start = end - len(word)
                if not as_written or text.startswith(word, start):
                    found[i].append((start, end, label))
        return TextCues(text, {name: Spots(found[i]) for i, name in enumerate(self.names)
                               if name in self.matched})


class TextCues:
    """The cue words found in one text: ``spots(name)``, None for a list not matched here."""

    def __init__(self, text: str, spots: dict[str, Spots]) -> None:
        self.text = text
        self._spots = spots

    def spots(self, name: str) -> Spots | None:
        """Where list ``name``'s words lie, or None: then test each sentence itself."""
        return self._spots.get(name)
