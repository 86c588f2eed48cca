"""Gazetteer look-ups for extraction, memoised per gazetteer object.

The same names come back in every paragraph and article, and a search costs far more than a
dictionary hit. Each gazetteer's memo lives as long as the gazetteer (weak keys), never keyed by
``id()``, which a later object may reuse.
"""
from __future__ import annotations

import weakref
from typing import Any

from mapper.extract.toponyms import Mention

AREA_KINDS = ("country", "admin1", "region")  # region: a continent, a UK nation, Donbas
# designated names a feature may be listed under ("Seym" written as "the Seym river")
_FEATURE_FORMS = ("{} river", "river {}", "lake {}", "{} lake", "{} sea", "sea of {}",
                  "mount {}", "{} mountains", "{} reservoir")
_CACHE_MAX = 200_000
# Name look-ups memoised per gazetteer object (names repeat across articles); weak keys, so a
# gazetteer closed and dropped takes its answers with it (an id() could be reused by another).
_CACHES: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], list[Any]]] = \
    weakref.WeakKeyDictionary()


_LAST: list[Any] = [None, None]  # (weak reference to the gazetteer asked last, its memo)


def _cache(gazetteer: Any) -> dict[tuple[Any, ...], list[Any]]:
    """The look-up memo of ``gazetteer`` (a fresh one, not kept, for an object that cannot be
    weakly referenced).
    """
    ref, cache = _LAST
    if ref is None or ref() is not gazetteer:
        try:
            cache = _CACHES.get(gazetteer)
            if cache is None:
                cache = _CACHES[gazetteer] = {}
            _LAST[:] = [weakref.ref(gazetteer), cache]
        except TypeError:
            return {}
    if len(cache) > _CACHE_MAX:
        cache.clear()
    return cache


def candidates_for(gazetteer: Any, key: str, kinds: tuple[str, ...] | None = None,
                   limit: int = 15) -> list[Any]:
    """Exact-name candidates, memoised per gazetteer (names repeat across articles)."""
    cache = _cache(gazetteer)
    memo = (key, kinds)
    hit = cache.get(memo)
    if hit is not None:
        return hit
    try:
        found = gazetteer.search(key, kinds=list(kinds) if kinds else None, limit=limit,
                                 fuzzy=False)
    except TypeError:  # a gazetteer without the kinds filter
        found = [c for c in gazetteer.search(key, limit=limit, fuzzy=False)
                 if not kinds or c.place.kind in kinds]
    cache[memo] = found
    return found


def lookup(gazetteer: Any, m: Mention) -> list[Any]:
    """Candidates for one mention, with the kind its designator asks for first.

    Memoised with the name look-ups: the answer depends only on the key, the designator and the
    abbreviation, and the same names come back in every paragraph and article.
    """
    abbreviation = m.hints.get("abbreviation")
    cache = _cache(gazetteer)
    memo = (m.key, ("lookup", m.kind_hint, abbreviation))
    hit = cache.get(memo)
    if hit is None:
        hit = cache[memo] = _lookup_uncached(gazetteer, m.key, m.kind_hint, abbreviation)
    return list(hit)  # a list of its own: callers may replace or reorder it


def _lookup_uncached(gazetteer: Any, key: str, kind_hint: str | None,
                     abbreviation: str | None) -> list[Any]:
    kinds: tuple[str, ...]
    if abbreviation:
        kinds = ("country",) if abbreviation == "country" else ("admin1",)
        return candidates_for(gazetteer, key, kinds)
    if kind_hint == "feature":
        # "the Seym river", "Lake Tana", "реки Сейм": a river, lake, sea or mountain of that
        # name (under any of its designated names), never a town
        for name in (key, *(f.format(key) for f in _FEATURE_FORMS)):
            found = candidates_for(gazetteer, name, ("feature",))
            if found:
                return found
        return []
    if kind_hint in ("admin1", "admin2"):
        kinds = ("admin1", "admin2") if kind_hint == "admin1" else ("admin2", "admin1")
        first = (f"{key} district",) if kind_hint == "admin2" else ()  # Kharkiv Raion first
        for name in (*first, key, f"{key} oblast", f"{key} region", f"{key} province"):
            found = candidates_for(gazetteer, name, kinds)
            if kind_hint == "admin1":
                # "Rio state" is not the municipality of Rio known by its bare name: a
                # second-level division answers a first-level designator only by a full name
                found = [c for c in found if c.place.kind != "admin2" or name_type(c) != "stem"]
            if found and name in first:  # a "Mansa district" elsewhere: its town may be meant
                return found + [c for c in candidates_for(gazetteer, key)
                                if c.place.kind == "settlement"]
            if found:
                # the designator is explicit: "Kursk and Belgorod oblasts" are not the cities
                return found
        # "Lebanon County" is never the country Lebanon: without the area, its seat will do
        return [c for c in candidates_for(gazetteer, key) if c.place.kind != "country"]
    found = candidates_for(gazetteer, key)
    # areas of that name even when many towns share it ("Victoria", the Australian state)
    areas = [c for c in candidates_for(gazetteer, key, AREA_KINDS)
             if all(c.place.id != f.place.id for f in found)]
    found = found + areas if areas else found
    if any(c.place.kind == "country" and _exact(c) for c in found):
        # a country's own name is the country, not a town that has it as a variant ("Mexico"
        # is a GeoNames alternate name of Mexico City)
        found = [c for c in found if c.place.kind != "settlement" or name_type(c) != "alternate"]
    return found


# -- how a candidate matched -------------------------------------------------------------------
def name_type(c: Any) -> str:
    """How a candidate matched, from the gazetteer's structured ``Candidate.match``: "name"
    (its own name), "alias", "stem" (an area's name without its type), "alternate" (an
    alternate spelling) or "form" (a case form); "name" for a candidate made without one.
    """
    match = getattr(c, "match", None)
    return getattr(match, "name_type", None) or "name"


def named(c: Any, types: tuple[str, ...] = ("name", "stem")) -> bool:
    """The candidate matched on its own name (or area name), not a variant spelling."""
    return name_type(c) in types and getattr(getattr(c, "match", None), "variant", None) is None


def _exact(c: Any) -> bool:
    return named(c, ("name",))


def named_in_country(gazetteer: Any, key: str, cc: str) -> list[Any]:
    """Exact-name candidates in one country (memoised like ``candidates_for``)."""
    cache = _cache(gazetteer)
    memo = (key, ("country", cc))
    hit = cache.get(memo)
    if hit is None:
        try:
            found = gazetteer.search(key, country=cc, limit=40, fuzzy=False)
        except TypeError:  # a gazetteer without the country filter
            found = []
        # the place's own name only (an alternate spelling of a hamlet is mostly noise), and
        # no areas ("Lebanon County" is never the country)
        hit = cache[memo] = [c for c in found if _exact(c) and c.place.kind not in AREA_KINDS]
    return hit
