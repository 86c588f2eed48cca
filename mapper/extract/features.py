"""Physical features in text: when a name is a river, lake, sea or mountain, and when a town.

Many features share their name with towns ("Don", "Dnipro", "Desna", "Danube" the district).
A mention is read as the feature only where the text says so:

- its own name says it ("Black Sea", "Lake Ladoga", "Mount Elbrus", "Чёрное море");
- a designator ("the Seym river", "river Seym", "реки Сейм": ``kind_hint == "feature"``);
- the words before it, the pack's ``feature_context`` ("the Dnipro", "на Днепре"), unless a
  country or region has exactly that name ("the Congo", "the Caucasus");
- no other place has the name and it is no sentence opener or headline word ("Dnieper");
- the same name so written elsewhere in the text ("the Danube ... on Danube"), unless the words
  before say town ("in Dnipro", "в Днепре": the pack's ``town_context``) or a city of 100,000
  or an area has that very name ("the Dnipro ... a missile hit Dnipro": the city).

Otherwise the feature is dropped from the candidates, and a town may win as before; a mention
written as a town ("the town of Don") never becomes a feature. A feature mention keeps only
feature candidates, so no later step moves it to a same-named town.
"""
from __future__ import annotations

import re
from typing import Any

from mapper.extract.lang import LanguagePack
from mapper.extract.toponyms import Mention
from mapper.gazetteer.features import KIND
from mapper.gazetteer.normalize import normalize

# Class words that make a name a feature by itself (normalised as keys are: Cyrillic in Latin)
_CLASS_WORDS = frozenset(normalize(w) for w in """river lake sea ocean gulf bay strait channel
canal mount mountains mountain reservoir range volcano
река озеро море океан залив пролив канал гора горы водохранилище
річка озеро море океан затока протока канал гора гори водосховище
""".split())
_AREA_KINDS = ("country", "admin1", "region")
_FAMOUS_POPULATION = 100_000
_CAPITAL_BEFORE = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ][\w'’-]*[ \u00a0]$")


def choose_readings(mentions: list[Mention], text: str, pack: LanguagePack) -> None:
    """Keep, for each mention with a feature among its candidates, either the features only
    (the text says feature) or the other candidates only (in place). Sets ``hints["feature"]``
    on the mentions read as features (what said so, in words).
    """
    w = pack.toponyms
    evident: set[str] = set()
    open_: list[Mention] = []
    for m in mentions:
        if m.rejected or not m.candidates or m.hints.get("demonym"):
            continue
        feats = [c for c in m.candidates if c.place.kind == KIND]
        if not feats:
            continue
        if m.kind_hint not in (None, "feature"):
            _drop_features(m)  # "the town of Don", "Dnipro region"
            continue
        why = _says_feature(m, text, w)
        if why:
            _keep_features(m, feats, why)
            evident.add(m.key)
        else:
            open_.append(m)
    for m in open_:
        before = text[max(0, m.start - 12):m.start]
        if m.key in evident and not w.town_context.search(before) and not _famous_namesake(m):
            _keep_features(m, [c for c in m.candidates if c.place.kind == KIND],
                           "so read elsewhere in the text")
        else:
            _drop_features(m)


def _says_feature(m: Mention, text: str, w: Any) -> str | None:
    """What says the mention is a feature (its own name, a designator, the words before it),
    in words for the reason; None when nothing does.
    """
    words = m.key.split()
    if m.kind_hint == "feature":
        return "written with its designator"  # "the Seym river", "реки Сейм"
    if not _CLASS_WORDS.isdisjoint(words) or \
            any(w.designators.get(k) == "feature" for k in words[1:]):
        return "its name says so"  # "Black Sea", "Lake Ladoga", "Чорному морі"
    others = [c for c in m.candidates if c.place.kind != KIND]
    before = text[max(0, m.start - 16):m.start]
    if w.feature_context.search(before):
        # "the Congo" is the country, "the Caucasus" the region: an area of exactly that name
        if any(c.place.kind in _AREA_KINDS and normalize(c.place.name) == m.key
               for c in others):
            return None
        return f"'{before.split()[-1]} {m.text}'"
    if others:
        return None
    # (no other place has the name: still not a sentence opener, a headline word, a common
    # word, or the tail of a longer name such as "Eastern Mediterranean", the WHO region)
    if m.hints.get("initial") or m.hints.get("headline") or m.hints.get("common") or \
            w.town_context.search(before) or _CAPITAL_BEFORE.search(before):
        return None
    return "no other place has the name"


def _famous_namesake(m: Mention) -> bool:
    """A city or area well known under this very name ("Dnipro" the city): one sense per name
    does not hold there, and the bare name stays the city.
    """
    for c in m.candidates:
        p = c.place
        if p.kind == "settlement" and (p.population or 0) >= _FAMOUS_POPULATION:
            return True
        if p.kind in _AREA_KINDS and normalize(p.name) == m.key:
            return True
    return False


def _keep_features(m: Mention, feats: list[Any], why: str) -> None:
    m.candidates = feats
    m.hints["feature"] = f"a {_class_of(feats[0].place)}: {why}"  # the resolver's reason


def _drop_features(m: Mention) -> None:
    rest = [c for c in m.candidates if c.place.kind != KIND]
    if not rest:
        m.rejected = (f"'{m.text}' names a {_class_of(m.candidates[0].place)} only where the "
                      "text says so")
    m.candidates = rest


def _class_of(place: Any) -> str:
    from mapper.gazetteer.features import feature_class

    return feature_class(place) or "physical feature"
