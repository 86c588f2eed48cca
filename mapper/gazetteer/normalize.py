"""Name normalisation shared by the gazetteer, the geocoder and the extractor.

Every name is compared in one form: lower case, no diacritics, Cyrillic transliterated to Latin
the way English-language reporting spells it (BGN/PCGN-like: я -> ya, х -> kh, щ -> shch;
Ukrainian и -> y, ї -> i), apostrophes and soft signs dropped, hyphens and punctuation turned into
single spaces. The same function builds the index and reads queries, so both sides always meet.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# Ukrainian differs where English usage follows the Ukrainian national system (Kyiv, Kharkiv).
_UK = dict(_RU, **{"и": "y", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "г": "h"})
_UK_MARKERS = frozenset("іїєґ")
_RU_TABLE = str.maketrans(_RU | {k.upper(): v for k, v in _RU.items()})
_UK_TABLE = str.maketrans(_UK | {k.upper(): v for k, v in _UK.items()})

_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02b9\u0060\u00b4\u2032\u02bb]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def transliterate(text: str) -> str:
    """Cyrillic to Latin as English-language news spells it; other scripts through unidecode."""
    lowered = text.lower()
    table = _RU_TABLE if _UK_MARKERS.isdisjoint(lowered) else _UK_TABLE
    return unidecode(text.translate(table))


@lru_cache(maxsize=262_144)
def normalize(name: str) -> str:
    """Return the comparison key of ``name``.

    >>> normalize("Тёткино") == normalize("Теткино") == "tetkino"
    True
    >>> normalize("Kurskaya oblast'"), normalize("Курская область")
    ('kurskaya oblast', 'kurskaya oblast')
    >>> normalize("Київ")
    'kyiv'
    """
    if name.isascii():  # fast path, same result: nothing to compose or transliterate
        if name.isalpha():  # letters only: no apostrophe or separator to remove
            return name.lower()
        return _NON_WORD.sub(" ", _APOSTROPHES.sub("", name).lower()).strip()
    text = unicodedata.normalize("NFC", name)
    text = _APOSTROPHES.sub("", text)
    text = transliterate(text).lower()
    text = _APOSTROPHES.sub("", text)
    return _NON_WORD.sub(" ", text).strip()
