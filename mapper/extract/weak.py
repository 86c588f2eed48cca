"""When a name's best match is too weak to be a place (resolution turns such mentions down).

Split from ``mapper.extract.resolve``: the reasons, in the order they are tried, each one line a
user reads in the mention's ``rejected`` field.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from mapper.extract.lookup import AREA_KINDS, name_type
from mapper.extract.toponyms import Mention, is_cyrillic


def population_of(place: Any) -> int:
    """A place's population; areas without a count are taken as large."""
    pop = getattr(place, "population", None)
    if not pop and getattr(place, "kind", None) in ("admin1", "country", "region"):
        return 1_000_000  # areas often lack a count; they are large
    return int(pop or 0)


def weak(m: Mention, c: Any, accepted_keys: set[str], container: Any = None,
          countries_in_text: Any = frozenset(), home: frozenset[str] = frozenset()
          ) -> str | None:
    """Why a match is too weak to be a place, or None; ``home``: the countries where the
    language of the mention's script is written first (``LanguagePack.home_countries``).
    """
    hints = m.hints
    if hints.get("abbreviation") or hints.get("feature"):
        return None  # (the text said it is a river or a sea: mapper.extract.features)
    p = c.place
    kind = p.kind
    if hints.get("two_letters") and kind != "country":
        return "two letters: a code or a particle, not a place name"
    if hints.get("acronym") and kind != "country" and not hints.get("initial"):
        return "an acronym, not a place"
    if container is not None or m.kind_hint:
        return None
    pop = population_of(p)
    big = kind in AREA_KINDS or pop >= 100_000
    matched_as = name_type(c)
    if matched_as == "form" and not is_cyrillic(m.text):
        # the Latin key of a Russian or Ukrainian case form ("Kharkove") is no English name
        return f"only a case form of {p.name}, written here in Latin letters"
    if m.tokens[0] == m.tokens[1] and (matched_as == "alternate" or
                                       (kind == "settlement" and pop < 100_000)):
        # (how many times the text names countries: only these two rules ask)
        named = sum(countries_in_text.values()) if isinstance(countries_in_text, Counter) else 0
        if matched_as == "alternate" and p.country_code not in home and \
                p.country_code not in countries_in_text and (pop < 100_000 or named >= 2):
            # GeoNames alternate spellings collide with words and names ("Hamas" -> Hamm)
            return (f"only an alternate spelling of {p.name} ({p.country_code}), "
                    "a country the text does not name")
        if kind == "settlement" and pop < 100_000 and named >= 3 and \
                not countries_in_text.get(p.country_code):
            # "Fano" (a militia) in a story about Ethiopia is not the Italian town
            return f"a small place in {p.country_code}, a country the text never names"
    if big:
        return None  # the rules below turn down small places only
    if hints.get("common"):
        return f"a common word ('{m.text}'); the only places so named are small"
    if hints.get("headline") and m.key not in accepted_keys:
        return "a headline word; no well-known place of that name"
    if len(m.key) <= 3 and pop < 50_000:
        return "a short name with no large place to match"
    if len(m.key) <= 5 and pop < 1000 and kind == "settlement" and hints.get("initial"):
        return "a short sentence-initial word matching only a hamlet"
    return None
