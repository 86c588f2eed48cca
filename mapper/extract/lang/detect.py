"""The language of an article without ``language`` metadata: script and letters, no model.

Enough to pick a pack: Latin text stays English (the default pack); Cyrillic text is Ukrainian
when letters only Ukrainian has (і ї є ґ) outnumber those only Russian has (ы э ъ ё), else
Russian. The first 2,000 characters decide, counted with ``str.count`` (tens of microseconds).
"""
from __future__ import annotations

_CYRILLIC_VOWELS = "аеиоуыэюяіїєё"
_LATIN_VOWELS = "aeiouy"
_UK = "іїєґ"
_RU = "ыэъё"
_SAMPLE = 2000


def _count(text: str, letters: str) -> int:
    return sum(map(text.count, letters))  # str.count runs in C: microseconds for the sample


def detect_language(text: str) -> str | None:
    """"ru", "uk", or None (not mainly Cyrillic: the default pack).

    >>> detect_language("Обстрел Шебекино: ранены двое мирных жителей.")
    'ru'
    >>> detect_language("Сумщина під обстрілами: загинула одна людина.")
    'uk'
    >>> detect_language("Shebekino shelled again") is None
    True
    """
    sample = text[:_SAMPLE].lower()
    cyrillic = _count(sample, _CYRILLIC_VOWELS)  # vowels stand for the letters of each script
    if cyrillic == 0 or cyrillic < _count(sample, _LATIN_VOWELS):
        return None
    return "uk" if _count(sample, _UK) > _count(sample, _RU) else "ru"


def article_language(meta_language: object, text: str) -> str | None:
    """The language metadata when given, else the detected language."""
    if isinstance(meta_language, str) and meta_language.strip():
        return meta_language
    return detect_language(text)
