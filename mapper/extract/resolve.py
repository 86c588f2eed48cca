"""Resolving recognised names to gazetteer places from the document's own context.

Each mention gets its candidates from the gazetteer (exact names, no fuzzy matching: the text
spelled the name out) and a score built from evidence the article gives:

- the gazetteer's own score (exact name, population);
- countries and first-level regions the article names ("in Texas", "Kursk Oblast");
- containment written out: "Tyotkino, Kursk Oblast", "Paris, Texas", "Springfield, Illinois";
- nearness to the places already resolved with confidence (a village 30 km from them beats a
  namesake 3,000 km away);
- a designator ("Belgorod region" wants the admin1, "the city of Kursk" the settlement).

Weak matches are turned down here: a common word ("Western", "Of") needs a large place or a
written-out container; a headline word needs a well-known place.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from mapper.extract.features import choose_readings
from mapper.extract.lang import LanguagePack, pack_for
from mapper.extract.lookup import AREA_KINDS, lookup, name_type, named, named_in_country
from mapper.extract.nearness import Others, nearest_within
from mapper.extract.toponyms import Mention, is_cyrillic
from mapper.extract.weak import population_of as _pop
from mapper.extract.weak import weak as _weak
from mapper.geo import haversine_km


@lru_cache(maxsize=4096)
def _pop_score(population: int) -> float:
    return min(1.0, math.log10(population + 1) / 7.0)


def resolve(mentions: list[Mention], gazetteer: Any, text: str,
            pack: LanguagePack | None = None) -> None:
    """Fill ``candidates``, ``place``, ``score`` and ``reason`` of every mention (in place);
    mentions turned down get ``rejected``. The scoring weights are the pack's
    (``Weights.resolve``).
    """
    pack = pack or pack_for(None)
    w = pack.weights.resolve
    home_countries = pack.home_countries

    def home(m: Mention) -> frozenset[str]:
        """The pack's home countries when ``m`` is written in the pack's (Cyrillic) script."""
        return home_countries if home_countries and is_cyrillic(m.text) else frozenset()
    demonyms: Counter[str] = Counter()
    for m in mentions:
        if m.hints.get("demonym"):
            _demonym(gazetteer, m, demonyms)
            continue
        m.candidates = lookup(gazetteer, m)
        if m.rejected and m.candidates:  # shown as not-a-place with what it could have been
            m.place = m.candidates[0].place
    choose_readings(mentions, text, pack)  # "the Dnipro" the river or "in Dnipro" the city
    live = [m for m in mentions if not m.rejected and not m.hints.get("demonym")]
    unknown = [m for m in live if not m.candidates and m.hints.get("named_settlement")]
    for m in live:
        if not m.candidates and not m.hints.get("named_settlement"):
            m.rejected = "no gazetteer entry"
    live = [m for m in live if m.candidates]
    accepted_keys = {m.key for m in live if not m.hints.get("headline")}

    # Pass 1: the article's countries and regions from names that are areas or unambiguous.
    countries: Counter[str] = Counter(demonyms)
    admin1s: Counter[str] = Counter()
    anchors: list[tuple[float, float, str]] = []  # (lat, lon, key of the name that gave it)
    own: dict[str, tuple[Counter[str], Counter[str]]] = {}  # key -> the evidence it gave
    for m in live:
        if m.hints.get("feature"):
            continue  # a river touches many countries and has no point to be near
        top = m.candidates[0]
        if top.place.kind not in AREA_KINDS:
            # an area of that very name before its namesake towns ("Virginia", the state)
            top = next((c for c in m.candidates if c.place.kind in AREA_KINDS and
                        not c.place.name.lower().startswith(("north ", "south ", "west ",
                                                             "east ")) and named(c)), top)
        if _weak(m, top, accepted_keys) or (
                name_type(top) == "alternate" and m.tokens[0] == m.tokens[1]):
            continue  # weak names do not vouch for a country ("Hamas" -> Hamm, Germany)
        p = top.place
        given = own.get(m.key)
        if given is None:
            given = own[m.key] = (Counter(), Counter())
        if p.kind in ("country", "admin1"):
            if p.country_code:
                given[0][p.country_code] += 2 if p.kind == "country" else 1
            if p.kind == "admin1" and p.admin1_code:
                given[1][p.admin1_code] += 1
        elif _one_sense(m.candidates, p) or _pop(p) >= 1_000_000:
            if p.country_code:
                given[0][p.country_code] += 1
            anchors.append((p.lat, p.lon, m.key))
    for c_given, a_given in own.values():
        countries.update(c_given)
        admin1s.update(a_given)

    def context(m: Mention) -> tuple[Counter[str], Counter[str]]:
        """The text's countries and regions without what this name itself gave: a name does
        not vouch for itself ("Kingston" the parish for "Kingston" the city).
        """
        given = own.get(m.key)
        if given is None or not (given[0] or given[1]):
            return countries, admin1s
        return countries - given[0], admin1s - given[1]

    # Candidates the text's countries and regions make likely, beyond the first few found
    # ("Greenville" in a text about Illinois: the fifteen largest Greenvilles are elsewhere).
    _widen(gazetteer, live, countries, admin1s)

    # Pass 2: score every candidate in that context; containment written out wins.
    # key -> (place fixed by strong evidence, where): the sense of the name from there on
    settled: dict[str, tuple[Any, int]] = {}
    # (anchors so far, key) -> _others: anchors only grow, and most names repeat
    others_of: dict[tuple[int, str], tuple[tuple[float, float], ...]] = {}

    def others_for(m: Mention) -> tuple[tuple[float, float], ...]:
        memo = (len(anchors), m.key)
        found = others_of.get(memo)
        if found is None:
            found = others_of[memo] = _others(anchors, m)
        return found

    copula = pack.toponyms.copula_gap
    containers = [_container(live, i, text, copula) for i in range(len(live))]
    for i, m in enumerate(live):
        if (containers[i] is not None or m.kind_hint == "settlement") and m.key not in settled:
            c_ctx, a_ctx = context(m)
            best = max(m.candidates, key=lambda c: (
                _score(m, c, c_ctx, a_ctx, others_for(m), containers[i], w, home(m))[0],
                c.place.id))
            settled[m.key] = (best.place, i)
    # A name repeated with the same evidence (the usual case: the story's main town in every
    # paragraph) is scored once.
    scorings: dict[tuple, tuple[list[tuple[float, Any, str]], Any, float, str, list[Any],
                                list[float]]] = {}
    for i, m in enumerate(live):
        container = containers[i]
        others = others_for(m)
        at_home = home(m)
        memo = (m.key, m.kind_hint, m.hints.get("abbreviation"), m.hints.get("as_container"),
                m.hints.get("feature"), id(container), others, at_home)
        hit = scorings.get(memo)
        if hit is None:
            hit = scorings[memo] = _rank(m, *context(m), others, container, w, at_home)
        scored, best, best_score, best_reason, candidates, scores = hit
        m.candidates = list(candidates)
        m.hints["scores"] = list(scores)
        m.hints["ranked"] = scored
        m.place = best.place
        m.score = round(max(0.0, min(1.0, best_score)), 3)
        m.reason = best_reason
        if container is not None:
            m.hints["container"] = container
            if i + 1 < len(live):
                live[i + 1].hints["is_container"] = True
        why = _weak(m, best, accepted_keys, container=container, countries_in_text=countries,
                    home=at_home)
        if container is not None and container.kind in ("admin1", "admin2") and \
                m.kind_hint == "settlement" and best.place.id != container.id and \
                not _inside(best.place, container):
            # "the village of Paris in Kursk Oblast": no Paris there in the gazetteer; the
            # area the text gives, never a Paris elsewhere
            _in_area(m, container, f"no {m.text} inside {container.name} in the gazetteer")
            continue
        sense, where = settled.get(m.key, (None, len(live)))
        if sense is not None and where <= i and (why or best.place.id != sense.id):
            # "Paris, Texas ... Paris": the name keeps the sense the text settled
            m.place = sense
            m.reason = f"same name as {sense.name} settled earlier in the text"
            m.score = max(m.score, w["settled_score"])
            why = None
        if why:
            m.rejected = why
        # a resolved settlement with confidence anchors the places after it
        elif m.score >= w["anchor_score"] and best.place.kind == "settlement":
            anchors.append((best.place.lat, best.place.lon, m.key))
    _cohere(live, containers, w)
    _lists(live, text)
    for m in unknown:
        _place_in_area(m, live, text)


def _in_area(m: Mention, area: Any, why: str) -> None:
    """Put ``m`` at the area the text places it in, saying so."""
    m.place = area
    m.score = 0.5
    m.reason = f"{why}: placed at {area.name}, the area the text puts it in"
    m.hints["in_area"] = area.id


def _place_in_area(m: Mention, live: list[Mention], text: str) -> None:
    """A settlement the gazetteer lacks ("the village of X in Kursk Oblast") keeps the
    geometry of the area written right after it, with that area's precision.
    """
    nxt = next((x for x in live if x.start >= m.end), None)
    if nxt is None or nxt.rejected or nxt.place is None or \
            nxt.place.kind not in ("admin1", "admin2", "country") or \
            not (_TIGHT_GAP.fullmatch(text, m.end, nxt.start) or
                 _LOOSE_GAP.fullmatch(text, m.end, nxt.start)):
        m.rejected = "no gazetteer entry"
        return
    _in_area(m, nxt.place, f"{m.text} is not in the gazetteer")
    nxt.hints["is_container"] = True

def _demonym(gazetteer: Any, m: Mention, demonyms: Counter[str]) -> None:
    """A demonym ("Syrian") stands for its country: the country's place, once evidence."""
    code = m.hints["demonym"]
    place = gazetteer.get(f"adm0:{code}")
    if place is None:
        m.rejected = "no gazetteer entry for the country of this demonym"
        return
    m.place = place
    m.score = 0.9
    m.reason = f"demonym of {place.name}"
    demonyms[code] += 1


def _widen(gazetteer: Any, live: list[Mention], countries: Counter, admin1s: Counter) -> None:
    """Add to each name's candidates the places of that name in the text's main countries (the
    ones in its regions first), which the first look-up may have left out.
    """
    total = sum(countries.values())
    if not total:
        return
    main = [cc for cc, n in countries.most_common(3) if n >= 0.2 * total]
    added: dict[str, list[Any]] = {}  # key -> what it gained (names repeat in a text)
    for m in live:
        if m.hints.get("abbreviation") or m.kind_hint == "admin1" or \
                m.candidates[0].place.kind in AREA_KINDS or m.hints.get("feature"):
            continue  # (and a feature's namesake towns stay out)
        extra = added.get(m.key)
        if extra is None:
            extra = added[m.key] = _more(gazetteer, m, main, admin1s)
        if extra:
            m.candidates = m.candidates + extra


def _more(gazetteer: Any, m: Mention, main: list[str], admin1s: Counter) -> list[Any]:
    """The candidates ``_widen`` adds to ``m``."""
    have = {c.place.id for c in m.candidates}
    extra = []
    for cc in main:
        found = named_in_country(gazetteer, m.key, cc)
        inside = [c for c in found if c.place.admin1_code in admin1s]
        for c in inside[:5] + found[:3]:
            if c.place.id not in have:
                have.add(c.place.id)
                extra.append(c)
    return extra


def _cohere(live: list[Mention], containers: list[Any], w: Mapping[str, float]) -> None:
    """One sense per name, the one that keeps the text's places close together.

    Each name not placed by a container ("X, Y") takes, for all its mentions, the candidate
    whose own score plus its nearness to the places the other names resolved to is highest.
    Two rounds: a name moved in the first round can pull the others in the second.
    """
    by_key: dict[str, list[int]] = {}
    for i, m in enumerate(live):
        if not (m.rejected or m.hints.get("abbreviation") or m.hints.get("feature")) and \
                m.hints.get("ranked"):
            by_key.setdefault(m.key, []).append(i)
    if len(by_key) < 2:
        return
    fixed = {k for k, idx in by_key.items()
             if any(containers[i] is not None or live[i].hints.get("as_container")
                    or live[i].kind_hint for i in idx)}
    bests: dict[str, dict[str, tuple[float, float, Any, str]]] = {}  # the same both rounds
    for _round in range(2):
        chosen = {k: live[idx[0]].place for k, idx in by_key.items()}
        others = Others(chosen)
        for key, idx in by_key.items():
            if key in fixed:
                continue
            if not others.count(key):
                continue
            best = bests.get(key)
            if best is None:
                best = bests[key] = _best_of(live, idx)
            top = max(score for _z, score, _c, _r in best.values())
            current = chosen[key]
            if current.kind in AREA_KINDS:
                continue  # "New South Wales" stays the state, wherever the towns are
            floor = _pop(current) / w["cohere_population_ratio"]
            ranked = []
            for _z, score, c, reason in best.values():
                if score < top - w["cohere_margin"] or (
                        c.place.id != current.id and _pop(c.place) < floor):
                    # nearness tips a balance; it never outweighs a clear reading, nor moves
                    # Paris or Houston to a hamlet of the same name
                    continue
                bonus, note = others.nearness(c.place, key, w)
                ranked.append((score + bonus, c.place.id, c, reason + note))
            total, _pid, c, reason = max(ranked, key=lambda t: (t[0], t[1]))
            if c.place.id == chosen[key].id:
                continue
            for i in idx:
                m = live[i]
                m.place = c.place
                m.reason = reason
                m.score = round(max(0.0, min(1.0, total)), 3)
            chosen[key] = c.place
            others.put(key, c.place)


def _best_of(live: list[Mention], idx: list[int]) -> dict[str, tuple[float, float, Any, str]]:
    """Place id -> (0, best score, candidate, reason) over the rankings of mentions ``idx``
    (mentions scored alike share one ranking list: each list is read once).
    """
    best: dict[str, tuple[float, float, Any, str]] = {}
    seen: set[int] = set()
    for i in idx:
        ranked = live[i].hints["ranked"]
        if id(ranked) in seen:
            continue
        seen.add(id(ranked))
        for score, c, reason in ranked[:12]:
            old = best.get(c.place.id)
            if old is None or score > old[1]:
                best[c.place.id] = (0.0, score, c, reason)
    return best


def _lists(live: list[Mention], text: str) -> None:
    """Names in one list share a kind: in "cases in Ohio, Oregon, Ontario and Washington" or
    "Washington, Pennsylvania and California", a name whose list-mates are mostly first-level
    areas of one country (or countries) is that country's area of exactly that name, not a
    namesake town (Ontario, California; Washington, Pennsylvania). Only an area whose own name
    is the text counts: "Kyiv, Kharkiv and Odesa" stay the cities, not the oblasts.
    """
    groups: list[list[Mention]] = []
    run: list[Mention] = []
    for m in live:
        if run and not (run[-1].rejected or m.rejected) and \
                _LIST_GAP.fullmatch(text, run[-1].end, m.start):
            run.append(m)
            continue
        if len(run) >= 3:
            groups.append(run)
        run = [m]
    if len(run) >= 3:
        groups.append(run)
    for group in groups:
        readings = [_area_readings(m) for m in group]
        for i, m in enumerate(group):
            if m.place is None or m.hints.get("abbreviation"):
                continue
            mates = Counter(r for j, rs in enumerate(readings) if j != i for r in rs)
            mine = _area_key(m.place)
            for (kind, cc), n in mates.most_common(1):
                resolved = sum(1 for j, x in enumerate(group) if j != i and x.place is not None
                               and x.place.kind == kind and _area_key(x.place) == (kind, cc))
                if n < 2 or 2 * n < len(group) - 1 or not resolved or mine == (kind, cc) or \
                        (kind == "country" and m.place.kind == "admin1"):
                    # no clear majority; or no mate read as such an area by itself ("Ankara,
                    # Samsun and Erzurum" are cities, though each names a province too);
                    # already so; or a state listed with countries
                    continue
                pick = next((p for p in readings[i].values()
                             if _area_key(p) == (kind, cc)), None)
                if pick is None:
                    continue
                m.place = pick
                m.score = max(m.score, 0.6)
                m.reason = (f"listed with {n} other "
                            f"{'countries' if kind == 'country' else 'areas of ' + str(cc)}")
                m.hints.pop("in_area", None)
                if m.hints.pop("container", None) is not None and i + 1 < len(group):
                    group[i + 1].hints.pop("is_container", None)  # a list, not an address


def _area_key(p: Any) -> tuple[str, str | None]:
    """What a list of areas has in common: countries, or the admin1 areas of one country."""
    return (p.kind, None) if p.kind == "country" else (p.kind, p.country_code)


def _area_readings(m: Mention) -> dict[tuple[str, str | None], Any]:
    """The areas ``m`` can be in a list: what it resolved to when an area, and the admin1 areas
    whose own name is exactly its text ("California", not "Kharkiv" for Kharkiv Oblast).
    """
    out: dict[tuple[str, str | None], Any] = {}
    if m.place is not None and m.place.kind in ("country", "admin1"):
        out[_area_key(m.place)] = m.place
    text = m.text.casefold()
    for _s, c, _r in m.hints.get("ranked") or ():
        p = c.place
        if p.kind == "admin1" and p.name.casefold() == text:
            key = _area_key(p)
            if key not in out or _extent(p) > _extent(out[key]):  # the state, not D.C.
                out[key] = p
    return out


# ", ", " and ", ", and ", " or ": the joints of a list of names
_LIST_GAP = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def _rank(m: Mention, countries: Counter, admin1s: Counter,
          others: tuple[tuple[float, float], ...], container: Any, w: Mapping[str, float],
          home: frozenset[str] = frozenset()
          ) -> tuple[list[tuple[float, Any, str]], Any, float, str, list[Any], list[float]]:
    """Every candidate of ``m`` scored, best first, the first best (score, reason) found, the
    candidates in that order and the first five scores rounded (what each mention keeps).
    """
    best, best_score, best_reason = None, -1.0, ""
    scored = []
    for c in m.candidates:
        score, reason = _score(m, c, countries, admin1s, others, container, w, home)
        scored.append((score, c, reason))
        if score > best_score or (score == best_score and best is not None and
                                  m.kind_hint == "admin1" and
                                  _extent(c.place) > _extent(best.place)):
            # a tie between areas of one name written as a state goes to the larger: "the state
            # of Washington" is the state, not the District of Columbia ("Washington" alone
            # stays the capital)
            best, best_score, best_reason = c, score, reason
    scored.sort(key=lambda t: (-t[0], t[1].place.id))
    return (scored, best, best_score, best_reason, [c for _s, c, _r in scored],
            [round(s, 3) for s, _c, _r in scored[:5]])


def _extent(p: Any) -> float:
    """The area of an area's box in square degrees (0 for a point)."""
    if p.kind not in AREA_KINDS:
        return 0.0
    bbox = getattr(p, "bbox", None)
    if not bbox:
        return 0.0
    west, south, east, north = bbox
    return (east - west) * (north - south)


def _container(live: list[Mention], i: int, text: str,
               copula: re.Pattern[str] | None = None) -> Any:
    """The place written right after "X, " when it is a region or country: "Tyotkino, Kursk
    Oblast", "Paris, Texas", "Lagos, Nigeria"; after the pack's ``copula_gap`` ("X is a town
    in Y") only when Y holds an X, and Y may be the area written after a place in it ("a ghost
    town in Pershing County, Nevada").
    """
    m = live[i]
    if i + 1 >= len(live):
        return None
    nxt = live[i + 1]
    gap = text[m.end:nxt.start]
    tight = _TIGHT_GAP.fullmatch(gap) is not None
    if is_cyrillic(m.text) and _CYRILLIC_GAP.fullmatch(gap):
        tight = False  # "Тёткино Курской области", "Білопілля на Сумщині": if the area holds it
    elif not tight and not _LOOSE_GAP.fullmatch(gap):
        if copula is None or not copula.fullmatch(gap):
            return None
        if not any(c.place.kind in _CONTAINER_KINDS for c in nxt.candidates[:8]) and \
                i + 2 < len(live) and _TIGHT_GAP.fullmatch(text, nxt.end, live[i + 2].start):
            nxt = live[i + 2]  # "... in Pershing County, Nevada": the area after the place
    areas = [c.place for c in nxt.candidates[:8] if c.place.kind in _CONTAINER_KINDS]
    # "Atlanta, Georgia": the Georgia that holds an Atlanta, not the first Georgia listed
    for area in areas:
        if any(_inside(c.place, area) >= 0.5 for c in m.candidates[:25] if c.place.id != area.id):
            nxt.hints["as_container"] = area.id
            return area
    # A district known only by its bare name ("Rio", the municipality) vouches for nothing
    # before it unless it holds it ("Thursday, Rio state police")
    areas = [c.place for c in nxt.candidates[:8] if c.place.kind in _CONTAINER_KINDS and
             not (c.place.kind == "admin2" and name_type(c) == "stem")]
    return areas[0] if areas and tight else None


_CONTAINER_KINDS = ("country", "admin1", "admin2")
# "Tyotkino, Kursk Oblast", "Paris, Texas", "Kharkiv in Ukraine"
_TIGHT_GAP = re.compile(r"\s*,\s*|\s+in\s+")
# Russian and Ukrainian: the area in the genitive right after the place, or after в/на/у
_CYRILLIC_GAP = re.compile(r"\s*,\s*|\s+|\s+(?:в|во|на|у)\s+")
# "Tyotkino, in neighbouring Kursk Oblast", "Sarmin in northwestern Syria": only when the area
# holds the place
_LOOSE_GAP = re.compile(r"\s*,?\s*(?:in|of)\s+(?:the\s+)?(?:[a-z][a-z-]+\s+){0,2}")


def _one_sense(candidates: list[Any], top: Any) -> bool:
    """Whether the name has one sense: ``top`` alone, or beside the district named after it
    and known by its bare name ("Croix-des-Bouquets", the town and its arrondissement).
    """
    return all(c.place is top or (c.place.kind == "admin2" and name_type(c) == "stem" and
                                  haversine_km(c.place.lat, c.place.lon, top.lat, top.lon) <= 50)
               for c in candidates)


def _others(anchors: list[tuple[float, float, str]], m: Mention) -> tuple[tuple[float, float], ...]:
    """The last confident places other than this name itself (a name does not vouch for itself)."""
    return tuple((la, lo) for la, lo, key in anchors[-12:] if key != m.key)


def _score(m: Mention, c: Any, countries: Counter, admin1s: Counter,
           others: tuple[tuple[float, float], ...], container: Any,
           w: Mapping[str, float], home: frozenset[str] = frozenset()) -> tuple[float, str]:
    p = c.place
    base = float(getattr(c, "score", 0.5) or 0.5)
    if m.hints.get("as_container") == p.id:
        return 2.0, ((getattr(c, "reason", "") or "exact name")
                     + "; the area holding the place before it")
    score = w["gazetteer"] * base + w["population"] * _pop_score(_pop(p))
    reasons = [getattr(c, "reason", "") or "exact name"]
    if home and p.country_code not in home:
        # a Russian or Ukrainian form names a place where the language is written first, not
        # a far place that merely lists the form among its alternate names ("Сум": Sumy, not
        # Soum in Burkina Faso); a penalty, so the places at home keep their scores
        score += w["away_from_language"]
    elif home and m.kind_hint is None and p.kind in AREA_KINDS and name_type(c) == "stem" and \
            not m.hints.get("compound") and any(x.place.kind == "settlement" and name_type(x) in
                                                ("form", "alternate") for x in m.candidates):
        # "поблизу Курська": Курськ's genitive has the letters of the oblast's bare adjective,
        # which names the oblast only before its noun or its authority ("Курська область")
        score += w["bare_adjective"]
    total = sum(countries.values())
    if total and p.country_code:
        share = countries.get(p.country_code, 0) / total
        if share:
            score += w["country_share"] * share
            reasons.append(f"country {p.country_code} in text")
        elif p.kind != "country":
            score += w["foreign_country"]
    if p.admin1_code and admin1s.get(p.admin1_code) and p.kind != "admin1":
        score += w["admin1_in_text"]
        reasons.append(f"region {p.admin1} in text")
        if m.kind_hint == "admin2" and p.kind == "settlement" and not any(
                x.place.kind == "admin2" and admin1s.get(x.place.admin1_code)
                for x in m.candidates):
            # no "Washington County" in the gazetteer: its namesake town in the region is near
            score += w["county_town_in_region"]
    if container is not None:
        inside = _inside(p, container)
        if inside and p.id != container.id:
            score += w["inside_container"] * inside
            reasons.append(f"written as inside {container.name}")
        elif not inside:
            score += w["outside_container"]
    if others and p.kind == "settlement":
        # exact when within far_km, else inf: only "< near_km" (with the figure) and
        # "> far_km" are asked
        nearest = nearest_within(p.lat, p.lon, others, w["far_km"])
        if nearest < w["near_km"]:
            score += w["near_others"]
            reasons.append(f"{nearest:.0f} km from other places in text")
        elif nearest > w["far_km"]:
            score += w["far_others"]
    if p.kind == "feature" and m.kind_hint != "feature":  # what said so (extract.features)
        reasons.append(str(m.hints.get("feature")))
    if m.kind_hint:
        if (m.kind_hint == "settlement") == (p.kind == "settlement") and \
                (m.kind_hint != "admin1" or p.kind == "admin1"):
            score += w["kind_match"]
            reasons.append(f"written as a {m.kind_hint}")
        elif m.kind_hint == "admin1" and p.kind == "settlement":
            score += w["kind_mismatch"]
    elif p.kind in AREA_KINDS:
        score += w["area"]
    return score, "; ".join(r for r in reasons if r)


def _inside(p: Any, area: Any) -> float:
    """How surely place ``p`` lies in ``area`` (0..1) as far as the records tell: the same
    country, the same admin1 code, else (a record without admin1 code) inside the area's box, else
    nearness to the area's label point.
    """
    if p.country_code != area.country_code:
        return 0.0
    if area.kind == "country":
        return 1.0
    if area.kind == "admin1" and p.admin1_code:
        return float(p.admin1_code == area.admin1_code)
    bbox = getattr(area, "bbox", None)
    if bbox:
        west, south, east, north = bbox
        return float(south <= p.lat <= north and west <= p.lon <= east)
    if area.kind == "admin2":
        # a district known by its point only: a few tens of km across, in one admin-1 area
        if p.admin1_code and area.admin1_code and p.admin1_code != area.admin1_code:
            return 0.0
        return max(0.0, 1.0 - haversine_km(p.lat, p.lon, area.lat, area.lon) / 150.0)
    return max(0.0, 1.0 - haversine_km(p.lat, p.lon, area.lat, area.lon) / 600.0)
