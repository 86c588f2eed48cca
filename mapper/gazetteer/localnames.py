"""Local-script display names of settlements (map labels: "Rylsk" with "Рыльск").

GeoNames gives each place one Latin name and a bag of alternate names without language tags
(the ``cities500`` rows that the build reads). For places in Russia, Ukraine and Belarus this
module picks the alternate that is the place's name in the country's language: written in that
language's alphabet only (no ``ы``/``э`` in Ukrainian, no ``і``/``ї``/``һ`` in Russian, no
pre-1918 final ``ъ``), a word pymorphy3's dictionary of the language knows where it has one
(Москва, not the Bulgarian Москова), and closest to the Latin name once transliterated, so a
former name (Сталинград for Volgograd) or a neighbour language's spelling loses. A spelling the
dictionary does not know but reads as an oblique case of another spelling of the place is left
out (Гродна, the Belarusian name of Hrodna, is the Russian genitive of Гродно). The build keeps
the pick per settlement (table ``local_names``); ``Gazetteer.local_names`` reads it.

>>> local_name("Sumy", ["Суми", "Сумы"], "UA")
'Суми'
>>> local_name("Tëtkino", ["Теткино", "Тьоткіно", "Тёткино", "Тітчине"], "RU")
'Тёткино'
>>> local_name("Saint Petersburg", ["Санкт Петербург", "Санкт-Петербург"], "RU")
'Санкт-Петербург'
>>> local_name("Moscow", ["Москова", "Москва", "Мускав"], "RU")
'Москва'
>>> local_name("Volgograd", ["Вльгоградъ", "Сталинград", "Волгоград", "Царицын"], "RU")
'Волгоград'
>>> local_name("Paris", ["Париж"], "FR") is None
True
>>> local_name("Hrodna", ["Гародня", "Гродна", "Гродно"], "BY")  # not the genitive Гродна
'Гродно'
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from mapper.gazetteer.normalize import normalize

# country -> the language whose Cyrillic spelling labels its places (Belarus: Russian, one of
# its two official languages, the one pymorphy3 has a dictionary for)
COUNTRIES = {"RU": "ru", "UA": "uk", "BY": "ru"}
# letters only this language has among the three (a match is a sign of the right spelling)
_OWN = {"ru": frozenset("ыэё"), "uk": frozenset("іїєґ")}
# each language's alphabet (lower case) plus the apostrophes, spaces and hyphens of names
_ALPHABET = {"ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
             "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'\u2019\u02bc"}
_NAME = {lang: re.compile(f"[{a}]+(?:[ -][{a}]+)*") for lang, a in _ALPHABET.items()}
# words of an administrative unit's name, not a settlement's (Деснянський район)
_UNIT_WORDS = frozenset({"район", "область", "округ", "сельсовет", "сільрада", "рада", "раён"})
DICTIONARY = {"ru": "ru", "uk": "uk"}  # pymorphy3 dictionaries the build has
MIN_SIMILARITY = 60  # 0-100, transliterated alternate against the Latin name
MIN_SIMILARITY_KNOWN = 40  # the same for a name the language's dictionary knows


def local_name(name: str, alternates: Iterable[str], country: str | None) -> str | None:
    """The place's name in its country's Cyrillic script, or None.

    Parameters
    ----------
    name
        The GeoNames (Latin) name.
    alternates
        GeoNames alternate names, any language, untagged.
    country
        ISO 3166-1 alpha-2 code; places outside ``COUNTRIES`` get None.
    """
    lang = COUNTRIES.get(country or "")
    if lang is None:
        return None
    key = normalize(name)
    best: tuple[float, bool, int, str] | None = None
    spellings = {a.strip().lower() for a in alternates}
    for alt in sorted(set(alternates)):
        alt = alt.strip()
        low = alt.lower()
        if not _NAME[lang].fullmatch(low) or low.endswith("ъ") or \
                _UNIT_WORDS.intersection(low.split()):
            continue
        score, known = fuzz.ratio(normalize(alt), key), _known(low, lang)
        if not known and _case_form_of(low, lang) in spellings:
            # Гродна beside Гродно: the dictionary reads it as the genitive of the other
            # spelling (it is the Belarusian name, romanised "Hrodna", so it looks closer)
            continue
        # an exonym (Moscow, Москва) is far from its local name: a dictionary word may be
        if score < (MIN_SIMILARITY_KNOWN if known else MIN_SIMILARITY):
            continue
        score += (10 if set(low) & _OWN[lang] else 0) + (15 if known else 0)
        # hyphenated where the Latin name is (Rostov-on-Don: Ростов-на-Дону, not Ростов на Дон)
        score += 5 if alt.count("-") >= name.count("-") else 0
        # on a tie the hyphenated form wins (Санкт-Петербург), then the longer (Пермь, Перм)
        cand = (score, "-" in alt, len(alt), alt)
        if best is None or cand[:3] > best[:3]:
            best = cand
    return best[3] if best is not None else None


def _case_form_of(name: str, lang: str) -> str | None:
    """The known word ``name`` is an oblique case of, by the dictionary's likeliest reading
    ("гродна" -> "гродно"); None for a phrase or a word read as itself.
    """
    if " " in name or "-" in name:
        return None
    from mapper.gazetteer.inflect import _analyser

    parses = _analyser(DICTIONARY[lang]).parse(name)
    if not parses or parses[0].normal_form == name or "nomn" in parses[0].tag:
        return None
    normal = parses[0].normal_form
    return normal if _word_known(normal, lang) else None


def _known(name: str, lang: str) -> bool:
    """Whether the dictionary of ``lang`` knows every word of ``name``."""
    return all(_word_known(w, lang) for w in re.split(r"[ -]", name) if w)


@lru_cache(maxsize=65_536)
def _word_known(word: str, lang: str) -> bool:
    from mapper.gazetteer.inflect import _analyser

    return bool(_analyser(DICTIONARY[lang]).word_is_known(word))
