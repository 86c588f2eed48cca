"""The language of an article without ``language`` metadata: script and letters, no model.

Enough to pick a pack: Latin text stays English (the default pack); Cyrillic text is Ukrainian
when letters only Ukrainian has (і ї є ґ) outnumber those only Russian has (ы э ъ ё), else
Russian. A few thousand characters decide; the cost is a handful of ``str.count`` calls.
"""
from __future__ import annotations

_UK = "іїєґІЇЄҐ"
_RU = "ыэъёЫЭЪЁ"
_SAMPLE = 4000


def detect_language(text: str) -> str | None:
    """"ru", "uk", or None (not mainly Cyrillic: the default pack).

    >>> detect_language("Обстрел Шебекино: ранены двое мирных жителей.")
    'ru'
    >>> detect_language("Сумщина під обстрілами: загинула одна людина.")
    'uk'
    >>> detect_language("Shebekino shelled again") is None
    True
    """
    sample = text[:_SAMPLE]
    cyrillic = sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if cyrillic == 0 or cyrillic < latin:
        return None
    uk = sum(sample.count(ch) for ch in _UK)
    ru = sum(sample.count(ch) for ch in _RU)
    return "uk" if uk > ru else "ru"


def article_language(meta_language: object, text: str) -> str | None:
    """The language metadata when given, else the detected language."""
    if isinstance(meta_language, str) and meta_language.strip():
        return meta_language
    return detect_language(text)
