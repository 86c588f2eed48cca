"""The gazetteer's names as one table of word prefixes, and the document's words as tokens.

Every normalised gazetteer name ("kursk oblast") and each of its leading word runs ("kursk")
are keys of one dict whose values say "a whole name" and/or "a longer name goes on from here".
The document's words are normalised the same way; a name can start only at a capitalised word,
so each of those (about one word in seven) is looked up and extended a word at a time while the
table says a longer name goes on: a few hundred dict look-ups an article instead of a walk of
every character through an automaton of a million names (whose nodes are mostly out of the CPU
cache), and a table of about 18 MB on disk and 145 MB in memory instead of 200 and 370. It is
built once from ``Gazetteer.iter_names()`` and saved next to the database.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import accumulate, chain, compress, count, repeat
from operator import or_
from pathlib import Path
from typing import Any, NamedTuple, overload

from mapper.extract.lang import never_words
from mapper.gazetteer.normalize import normalize

log = logging.getLogger("mapper")

INDEX_VERSION = 4
# Alternate names of settlements smaller than this are not searched for (see NameIndex.build).
MIN_ALTERNATE_POPULATION = 1000
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")  # split() keeps the words (odd indices)
_POSSESSIVES = ("'s", "’s", "ʼs", "'S", "’S", "ʼS")
_POSSESSIVE_ENDS = frozenset(_POSSESSIVES)


class Token(NamedTuple):
    """One word: its span in the text and its normalised form (a tuple: cheap to make)."""

    start: int
    end: int
    norm: str


_new_token = partial(tuple.__new__, Token)


class Tokens(Sequence[Token]):
    """A text's words as three columns (starts, ends, normalised forms): no object per word
    until one is asked for (``tokens[i]`` makes its Token); the passes over every word read
    the columns. Equal to a list of the same Tokens.
    """

    __slots__ = ("starts", "ends", "norms")

    def __init__(self, starts: list[int], ends: list[int], norms: list[str]) -> None:
        self.starts = starts
        self.ends = ends
        self.norms = norms

    def __len__(self) -> int:
        return len(self.norms)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        if isinstance(i, slice):
            return list(map(_new_token, zip(self.starts[i], self.ends[i], self.norms[i],
                                            strict=True)))
        return _new_token((self.starts[i], self.ends[i], self.norms[i]))

    def __iter__(self) -> Iterator[Token]:
        return map(_new_token, zip(self.starts, self.ends, self.norms, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens):
            return (self.starts, self.ends, self.norms) == (other.starts, other.ends, other.norms)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]


def columns(tokens: Sequence[Token]) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, norms) of ``tokens`` (a ``Tokens`` or any sequence of Token)."""
    if isinstance(tokens, Tokens):
        return tokens.starts, tokens.ends, tokens.norms
    return ([t[0] for t in tokens], [t[1] for t in tokens], [t[2] for t in tokens])




# -- the index ---------------------------------------------------------------------------------
NAME = 1  # the words so far are a whole name
LONGER = 2  # a longer name starts with the words so far (and a space)
_LOCK = threading.Lock()
_LOADED: dict[str, NameIndex] = {}  # database path -> its name index
# a gazetteer without a database file (built in memory): its index lives while it does
_UNSAVED: weakref.WeakKeyDictionary[Any, NameIndex] = weakref.WeakKeyDictionary()


class NameIndex:
    """All gazetteer names as word prefixes: ``prefixes[words] = NAME | LONGER`` flags."""

    def __init__(self, prefixes: dict[str, int], load_seconds: float = 0.0,
                 built: bool = False) -> None:
        self.prefixes = prefixes
        self.load_seconds = load_seconds
        self.built = built
        self._names = sum(1 for flags in prefixes.values() if flags & NAME)

    def __len__(self) -> int:
        """How many names the index holds."""
        return self._names

    @staticmethod
    def cache_path(gazetteer: Any) -> Path | None:
        """Where the name index of ``gazetteer`` is kept: beside the database file."""
        db = getattr(gazetteer, "path", None) or getattr(gazetteer, "db_path", None)
        if not db:
            return None
        db = Path(db)
        return db.with_name(db.name + f".names-v{INDEX_VERSION}.pickle")

    @staticmethod
    def _stamp(gazetteer: Any) -> dict[str, Any]:
        db = getattr(gazetteer, "path", None) or getattr(gazetteer, "db_path", None)
        try:
            st = os.stat(db) if db else None
        except OSError:
            st = None
        never = hashlib.sha1(" ".join(sorted(never_words())).encode()).hexdigest()[:12]
        return {"version": INDEX_VERSION, "never": never, "size": st.st_size if st else None,
                "mtime_ns": st.st_mtime_ns if st else None}

    @classmethod
    def build(cls, names: Iterable[tuple]) -> dict[str, int]:
        """The prefix table of ``(key, place id[, name type, kind, population])`` rows.

        Alternate names (GeoNames ``alternatenames``, name type 3) of hamlets are left out: they
        are mostly surnames and foreign words ("Nikitin", "Denis") that would match people.
        """
        prefixes: dict[str, int] = {}
        seen: set[str] = set()
        never = never_words()
        for row in names:
            key = row[0]
            if not key or key in seen or len(key) < 2 or key in never or key.isdigit():
                continue
            if len(row) >= 5 and row[2] == 3 and row[3] == "settlement" and \
                    (row[4] or 0) < MIN_ALTERNATE_POPULATION:
                continue
            seen.add(key)
            words = key.split(" ")
            for n in range(1, len(words)):
                head = " ".join(words[:n])
                prefixes[head] = prefixes.get(head, 0) | LONGER
            prefixes[key] = prefixes.get(key, 0) | NAME
        return prefixes

    @classmethod
    def for_gazetteer(cls, gazetteer: Any, *, cache: bool = True) -> NameIndex:
        """The index of ``gazetteer``: from memory, from the disk cache, or built and saved."""
        import time

        path = cls.cache_path(gazetteer) if cache else None
        memo = str(path) if path else None
        with _LOCK:
            known = _LOADED.get(memo) if memo else _weak_get(gazetteer)
            if known is not None:
                return known
            t0 = time.perf_counter()
            stamp = cls._stamp(gazetteer)
            stamp_path = path.with_name(path.name + ".json") if path else None
            prefixes = None
            built = False
            if path and path.exists() and stamp_path and stamp_path.exists():
                try:
                    if json.loads(stamp_path.read_text()) == stamp:
                        prefixes = pickle.loads(path.read_bytes())
                        if not isinstance(prefixes, dict):
                            prefixes = None
                except Exception:  # noqa: BLE001
                    # reason: the cache is disposable and a damaged or foreign pickle can fail
                    # in any way (unpickling runs arbitrary constructors): rebuilt below
                    prefixes = None
            if prefixes is None:
                try:
                    rows = gazetteer.iter_names(detail=True)
                except TypeError:  # a gazetteer without name details
                    rows = gazetteer.iter_names()
                prefixes = cls.build(rows)
                built = True
                if path and stamp_path:
                    _save(prefixes, path, stamp_path, stamp)
            index = cls(prefixes, time.perf_counter() - t0, built)
            if memo:
                _LOADED[memo] = index
            else:
                try:
                    _UNSAVED[gazetteer] = index
                except TypeError:  # no weak reference possible: built again next time
                    pass
            return index


def _weak_get(gazetteer: Any) -> NameIndex | None:
    try:
        return _UNSAVED.get(gazetteer)
    except TypeError:
        return None


def _save(prefixes: dict[str, int], path: Path, stamp_path: Path, stamp: dict[str, Any]) -> None:
    from mapper.atomic import write_bytes, write_text

    try:
        write_bytes(path, pickle.dumps(prefixes, protocol=pickle.HIGHEST_PROTOCOL))
        write_text(stamp_path, json.dumps(stamp, sort_keys=True))
    except OSError as exc:  # a read-only gazetteer folder: keep the index in memory only
        log.warning("cannot cache the name index at %s: %s", path, exc.strerror)


# -- tokens and raw matches --------------------------------------------------------------------
def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """Words of ``text[start:end]`` with their normalised form; "Kyiv's" gives "kyiv"."""
    end = len(text) if end is None else end
    segment = text[start:end]
    # One split in C gives every word and the gaps between them (words at odd indices); their
    # running lengths are the offsets. Far cheaper than a Match object per word.
    parts = _TOKEN_SPLIT.split(segment)
    words = parts[1::2]
    if not words:
        return Tokens([], [], [])
    bounds = list(accumulate(map(len, parts), initial=start))
    starts, ends = bounds[1:-1:2], bounds[2::2]
    # normalize() is memoised: the words of a text are mostly seen before, so one map in C does
    # what a call per word did (a plain ASCII word is its own lower case there too)
    norms = list(map(normalize, words))
    if "'" in segment or not segment.isascii():  # possessives: "Kyiv's" is "kyiv"
        for i in compress(count(), map(str.endswith, words, repeat(_POSSESSIVES))):
            if len(words[i]) > 2:
                norms[i], ends[i] = _special_word(words[i], ends[i])
    if "" in norms:  # a word that normalises to nothing is no token
        keep = list(map(bool, norms))
        starts, ends = list(compress(starts, keep)), list(compress(ends, keep))
        norms = list(compress(norms, keep))
    return Tokens(starts, ends, norms)


def lowercase_norms(text: str, tokens: Sequence[Token]) -> set[str]:
    """The normalised forms of the words written in lower case somewhere in ``text`` (the loop
    runs in C: a token's first letter, its ``islower``, and the norms they select).
    """
    starts, _ends, norms = columns(tokens)
    return set(compress(norms, map(str.islower, map(text.__getitem__, starts))))


def _special_word(word: str, end: int) -> tuple[str, int]:
    """(norm, end) of a word with an apostrophe or a non-ASCII letter: the possessive "'s" is
    cut off, the rest goes through the full normaliser.
    """
    if word[-2:] in _POSSESSIVE_ENDS and len(word) > 2:
        end -= 2
        word = word[:-2]
    return (word.lower() if word.isascii() and word.isalnum() else normalize(word)), end


def raw_matches(index: NameIndex, tokens: Sequence[Token], starts: Iterable[int] | None = None
                ) -> list[tuple[int, int]]:
    """(first, last) token indices of every gazetteer name found, overlaps included, first by
    first token, then shortest first; with ``starts`` (token indices, ascending), only the names
    that start there (recognition asks only at capitalised words).
    """
    norms = columns(tokens)[2]
    n = len(norms)
    get = index.prefixes.get
    out = []
    for i in range(n) if starts is None else starts:
        key = norms[i]
        flags = get(key)
        j = i
        while flags is not None:
            if flags & NAME:
                out.append((i, j))
            j += 1
            if not flags & LONGER or j == n:
                break
            key = f"{key} {norms[j]}"  # the words as the names were keyed: one space between
            flags = get(key)
    return out


# -- capitalisation of tokens -------------------------------------------------------------------
def is_cap(word: str) -> bool:
    """A word starting with a capital or a digit."""
    return word[:1].isupper() or word[:1].isdigit()


_ELIDED = re.compile(r"[a-z]{1,2}['’ʼ][^\W\d_]")


def upper_first(text: str, tokens: Sequence[Token]) -> list[bool]:
    """``is_cap`` of every token (its first character upper case or a digit), made in C."""
    firsts = list(map(text.__getitem__, columns(tokens)[0]))
    return list(map(or_, map(str.isupper, firsts), map(str.isdigit, firsts)))


def capitals(text: str, tokens: Sequence[Token], upper: list[bool]) -> list[bool]:
    """Whether each token may start or end a name: ``upper``, or an elided article before a
    capital ("d'Ivoire", "l'Aquila": an apostrophe second or third in the word).
    """
    if "'" not in text and "’" not in text:
        return upper
    capital = list(upper)
    starts, ends, _norms = columns(tokens)
    index_of = dict(zip(starts, count()))
    for p in sorted(chain(find_all(text, "'"), find_all(text, "’"))):
        for i in (index_of.get(p - 1), index_of.get(p - 2)):
            if i is not None and not capital[i] and p < ends[i]:
                capital[i] = name_cap(text[starts[i]:ends[i]])
    return capital


def name_cap(word: str) -> bool:
    """A capitalised word of a name, elided articles included ("d'Ivoire", "l'Aquila")."""
    if is_cap(word):
        return True
    m = _ELIDED.match(word)
    return m is not None and word[m.end() - 1].isupper()


def find_all(text: str, sub: str) -> Iterable[int]:
    """Every position where ``sub`` occurs in ``text``."""
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)
