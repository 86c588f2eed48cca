"""Ranked search over the gazetteer's name index (the query side of :class:`~.store.Gazetteer`).

Ranking, in short: every place has a build-time prior (population on a log scale, capital or
admin-seat flags, kind); the query adds how the name matched (display name, alias, alternate
name, the bare stem of an area name, an explicit admin form such as "X Oblast"), then filters
and a distance bias. Fuzzy matches (rapidfuzz) are tried only when nothing matched exactly and are
capped below the lowest exact score. Every candidate carries its :class:`~.model.Match`.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mapper.errors import UsageError
from mapper.gazetteer.model import (
    ALIAS,
    ALT,
    AREA_KINDS,
    FLAG_ADMIN_SEAT,
    FLAG_CAPITAL,
    FORM,
    KINDS,
    NAME_TYPE_KEYS,
    STEM,
    Candidate,
    Match,
)
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.query import (
    ParsedQuery,
    adjective_variants,
    parse_query,
    region_nickname_stems,
    spelling_variants,
    zone_pair,
    zone_side,
)
from mapper.geo import haversine_km

if TYPE_CHECKING:
    from mapper.gazetteer.store import _Row


FUZZY_CAP = 0.4          # a fuzzy score never reaches the lowest exact score (0.46)
FUZZY_MIN_RATIO = 75.0   # similarity (percent) below this is no match
FUZZY_MIN_LEN = 4
ALT_PENALTY = 0.04       # an alternate name counts a little less than the place's own name
BARE_ADMIN2_SCORE = 0.46  # a second-level division by its bare name: below every town

_Offer = Callable[["_Row", float, str, Match], "float | None"]


class SearchMixin:
    """The search methods of :class:`~.store.Gazetteer` (which provides the row access below)."""

    _zone_rows: list[_Row] | None = None
    _fuzzy_keys: dict[str, tuple[str, ...]]
    _search_cached: Callable[..., tuple[Candidate, ...]]

    if TYPE_CHECKING:  # provided by Gazetteer
        def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]: ...
        def _lookup(self, key: str) -> tuple[tuple[int, int, float], ...]: ...
        def _lookup_many(self, keys: Iterable[str]) -> None: ...
        def _get_pk(self, pk: int) -> _Row | None: ...
        def _pk_of(self, place_id: str) -> int | None: ...
        def contains(self, area_id: str, lat: float, lon: float) -> bool:  # noqa: D102
            ...

        def abbreviations(self) -> dict[str, tuple[str, ...]]: ...  # noqa: D102

    def search(self, name: str, *, country: str | Iterable[str] | None = None,
               near: tuple[float, float] | None = None,
               bbox: tuple[float, float, float, float] | None = None,
               within: str | None = None, kinds: str | Iterable[str] | None = None,
               limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        """Ranked candidates for ``name``, best first.

        ``country``: ISO alpha-2 code(s); ``near``: (lat, lon) bias; ``bbox``: (west, south,
        east, north) filter; ``within``: an area id the place must lie in; ``kinds``: subset of
        settlement/admin1/admin2/country/zone. Fuzzy matches come only when nothing matched
        exactly and always score at most 0.4 (exact ones at least 0.46).
        """
        if not isinstance(name, str) or not name.strip():
            raise UsageError("empty place name; give a name such as 'Kursk'")
        if int(limit) < 1:  # the top-`limit` pruning needs room for one candidate
            raise UsageError(f"limit={limit!r}: ask for at least 1 candidate")
        if isinstance(country, str):
            country = (country,)
        countries = tuple(sorted({c.upper() for c in country})) if country else None
        if isinstance(kinds, str):
            kinds = (kinds,)
        kinds_t = tuple(sorted(set(kinds))) if kinds else None
        if kinds_t:
            bad = [k for k in kinds_t if k not in KINDS]
            if bad:
                raise UsageError(f"unknown kind {bad[0]!r}; use one of {', '.join(KINDS)}")
        if within is not None and self._pk_of(within) is None:
            raise UsageError(f"within={within!r}: no such place id; find one with "
                             f"`mapper geocode NAME --kind admin1 --json`")
        if near is not None:
            near = (float(near[0]), float(near[1]))
        if bbox is not None:
            bbox = tuple(float(v) for v in bbox)  # type: ignore[assignment]
        return list(self._search_cached(name, countries, near, bbox, within, kinds_t,
                                        int(limit), bool(fuzzy)))

    def _search_uncached(self, name, countries, near, bbox, within, kinds, limit, fuzzy):
        key = normalize(_without_preposition(name))
        if not key:
            return ()
        q = parse_query(key)
        # pk -> (score, label, extra, match, row)
        scored: dict[int, tuple[float, str, str, Match, _Row]] = {}
        filtered = bool(kinds or countries or bbox or within)

        def allowed(row: _Row) -> bool:
            if kinds and row.kind not in kinds:
                return False
            p = row.place
            if countries and p.country_code not in countries:
                return False
            if bbox and not (bbox[0] <= p.lon <= bbox[2] and bbox[1] <= p.lat <= bbox[3]):
                return False
            if within and not self._within(row, within):
                return False
            return True

        def offer(row: _Row, score: float, label: str, match: Match) -> float | None:
            """Consider a place; return its final score if it passes the filters."""
            if filtered and not allowed(row):
                return None
            extra = ""
            if near is not None:
                d = haversine_km(near[0], near[1], row.place.lat, row.place.lon)
                # Within ~50 km almost no penalty; far away loses up to 40 % of the score.
                score *= 0.6 + 0.4 * math.exp(-d / 300.0)
                extra = f"{d:.0f} km from bias point"
            score = min(score, 1.0)
            old = scored.get(row.pk)
            if old is None or score > old[0]:
                scored[row.pk] = (score, label, extra, match, row)
            return score

        raw = name.strip()
        if 2 <= len(raw) <= 3 and raw.isupper() and raw.isalpha():
            # "TX", "NSW": a postal abbreviation, said in capitals
            for area_id in self.abbreviations().get(raw, ()):
                area_pk = self._pk_of(area_id)
                area_row = self._get_pk(area_pk) if area_pk is not None else None
                if area_row is not None:
                    offer(area_row, 0.9, "postal abbreviation", Match("abbreviation", key))
        if q.zone:
            self._search_zones(q, offer)
        elif q.stem is not None:
            self._search_admin(q, offer)
        if not scored:
            # Plain lookup: also the fallback when an admin form or zone phrase found nothing.
            self._search_plain(key, offer, limit)
        if not scored and q.stem and q.stem != key:
            # "Sudzha district" with no district in the gazetteer: the place the area is named
            # after, said plainly in the reason.
            self._search_plain(q.stem, offer, limit,
                               note=f"no {q.term} called {q.stem!r} in the gazetteer",
                               fallback_term=q.term)
        if not scored:
            variants = spelling_variants(key)
            # Usually none of them exists: probe them all in one statement, then try in order.
            self._lookup_many(variants)
            for variant in variants:
                self._search_plain(variant, offer, limit, variant=True)
                if scored:
                    break
        if not scored and fuzzy and len(key) >= FUZZY_MIN_LEN:
            self._search_fuzzy(key, offer)
        # Only the first `limit` in rank order are needed: a partial sort (the key is unique, the
        # place id breaking all ties, so this equals sorted(...)[:limit]).
        ranked = heapq.nsmallest(limit, scored.values(), key=lambda v: v[4].rank_key(v[0]))
        return tuple(Candidate(place=row.place, score=round(score, 4),
                               reason=_reason(row, label, extra), matched=match.key,
                               fuzzy=match.fuzzy, match=match)
                     for score, label, extra, match, row in ranked)

    @staticmethod
    def _score(row: _Row, ntype: int, *, admin_form: bool = False) -> tuple[float, str]:
        """Score of a place matched by a name of type ``ntype``, with the match label.

        Exact matches score at least 0.46 (the prior floor 0.5 minus the alternate-name
        penalty); fuzzy ones at most FUZZY_CAP = 0.4.
        """
        score = row.prior
        if admin_form and row.kind in ("admin1", "admin2"):
            # The query said "oblast"/"region": the area itself, not a town of the same name.
            return (0.88, "admin form; alternate name") if ntype == ALT else \
                (0.93, "admin form")
        if ntype == STEM and row.kind == "admin2":
            # "Kent", "Gironde" alone: any town or admin-1 area of that name comes first (the
            # lowest exact score); the text's context or a designator decides otherwise
            return BARE_ADMIN2_SCORE, "area name without its type"
        if ntype == STEM and row.kind in AREA_KINDS:
            return score, "area name without its type"
        if ntype == ALT:
            return score - ALT_PENALTY, "alternate name"
        if ntype == FORM:  # a case form of a Russian or Ukrainian name ("Шебекине")
            return score - ALT_PENALTY, "inflected form"
        if ntype == ALIAS:
            return score - 0.01, "alias"
        return score, "exact name"

    def _search_plain(self, key: str, offer: _Offer, limit: int, *, variant: bool = False,
                      note: str | None = None, fallback_term: str | None = None) -> None:
        kth: list[float] = []  # min-heap of the best `limit` accepted scores
        for pk, ntype, prior in self._lookup(key):
            # Rows come by descending prior and no plain score exceeds its prior: once `limit`
            # places beat this prior, the rest cannot enter the top `limit`.
            if len(kth) >= limit and prior < kth[0]:
                break
            row = self._get_pk(pk)
            if row is None:
                continue
            score, label = self._score(row, ntype)
            if variant:
                score -= 0.02
                label = f"spelling variant {key!r}; " + label
            if note:
                score -= 0.05
                label = f"{note}; " + label
            match = Match(NAME_TYPE_KEYS[ntype], key, variant=key if variant else None,
                          fallback_term=fallback_term)
            final = offer(row, score, label, match)
            if final is not None:
                if len(kth) < limit:
                    heapq.heappush(kth, final)
                elif final > kth[0]:
                    heapq.heapreplace(kth, final)

    def _search_admin(self, q: ParsedQuery, offer: _Offer) -> None:
        """An admin form: the full phrase, then its stem, among admin areas."""
        restrict = q.kinds or ("admin1", "admin2")
        # The kind the term names first ("district" -> admin2) gets a small edge.
        edge = {restrict[0]: 0.01}
        stem0 = q.stem or q.key
        stems = [stem0, *adjective_variants(stem0), *region_nickname_stems(stem0)]
        self._lookup_many([q.key, *stems])  # all of them are read below: one round trip
        for pk, ntype, _ in self._lookup(q.key):
            row = self._get_pk(pk)
            if row and row.kind in restrict:
                offer(row, 0.98 + edge.get(row.kind, 0.0), "full area name",
                      Match(NAME_TYPE_KEYS[ntype], q.key, admin_form=q.term,
                            full_area_name=True))
        for i, stem in enumerate(stems):
            for pk, ntype, _ in self._lookup(stem):
                row = self._get_pk(pk)
                if row and row.kind in restrict:
                    score, label = self._score(row, ntype, admin_form=True)
                    offer(row, score - 0.01 * (i > 0) + edge.get(row.kind, 0.0),
                          f"{label} ('{q.term}')",
                          Match(NAME_TYPE_KEYS[ntype], stem, admin_form=q.term))

    def _search_zones(self, q: ParsedQuery, offer: _Offer) -> None:
        """Border-zone phrases: zones by name, or the zones of the area the phrase names."""
        for pk, ntype, _ in self._lookup(q.key):
            row = self._get_pk(pk)
            if row and row.place.kind == "zone":
                offer(row, 0.95 - 0.02 * ntype, "zone name",
                      Match(NAME_TYPE_KEYS[ntype], q.key, zone="name"))
        zones = self._zones()
        if not zones:
            return
        target = q.zone_target
        if target is None:
            # "the border zone": every country-side zone, ranked equally.
            for row in zones:
                if row.place.admin1_code is None:
                    offer(row, 0.7, "border zone (which border is not said)",
                          Match("name", q.key, zone="unspecified"))
            return
        words = target.split()
        # "russia ukraine" / "russian ukrainian": a pair of countries.
        pair = self._country_pair(words)
        if pair:
            a, b = pair
            for row in zones:
                zid = row.place.id
                if row.place.admin1_code is None and zone_pair(zid) == tuple(sorted((a, b))):
                    offer(row, 0.9, f"border zone between {a} and {b}",
                          Match("name", q.key, zone="pair"))
            return
        hits: Sequence[Candidate] = self._search_uncached(
            target, None, None, None, None, ("admin1", "admin2", "country"), 5, False)
        if not hits:
            cc = self._demonym(target)
            country_pk = self._pk_of(f"adm0:{cc}") if cc else None
            country_row = self._get_pk(country_pk) if country_pk is not None else None
            hits = [Candidate(country_row.place, 0.9, "", target)] if country_row else []
        for cand in hits:
            area = cand.place
            for row in zones:
                z = row.place
                match = Match(cand.match.name_type if cand.match else "name", target,
                              zone="area")
                if area.kind == "country" and z.admin1_code is None and \
                        zone_side(z.id) == area.country_code:
                    offer(row, 0.9 * max(cand.score, 0.8), f"border zone of {area.name}", match)
                elif area.kind in ("admin1", "admin2") and z.admin1_code == area.admin1_code:
                    offer(row, 0.93 * max(cand.score, 0.8), f"border zone of {area.name}", match)

    def _country_pair(self, words: list[str]) -> tuple[str, str] | None:
        if len(words) < 2:
            return None
        for i in range(1, len(words)):
            a, b = " ".join(words[:i]), " ".join(words[i:])
            ca, cb = self._country_code(a), self._country_code(b)
            if ca and cb and ca != cb:
                return ca, cb
        return None

    def _country_code(self, key: str) -> str | None:
        for pk, ntype, _ in self._lookup(key):
            row = self._get_pk(pk)
            if row and row.place.kind == "country" and ntype <= STEM:
                return row.place.country_code
        return self._demonym(key)

    def _demonym(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (f"demonym:{key}",))
        return rows[0][0] if rows else None

    def _zones(self) -> list[_Row]:
        cached = self._zone_rows
        if cached is None:
            pks = [r[0] for r in
                   self._query("SELECT pk FROM places WHERE kind = 'zone' ORDER BY pk")]
            cached = [row for row in map(self._get_pk, pks) if row is not None]
            self._zone_rows = cached
        return cached

    def _within(self, row: _Row, area_id: str) -> bool:
        p = row.place
        if area_id.startswith("adm0:"):
            return p.country_code == area_id[5:]
        if area_id.startswith("adm1:") and p.kind == "settlement":
            return p.admin1_code == area_id[5:]
        if p.id == area_id:
            return False
        return self.contains(area_id, p.lat, p.lon)

    def _search_fuzzy(self, key: str, offer: _Offer) -> None:
        """Typo tolerance: rapidfuzz over names with the same first letter and similar length."""
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        n = len(key)
        edits = 1  # one inserted or dropped letter; a swap or wrong letter keeps the length
        buckets: list[str] = []
        for length in range(max(2, n - edits), n + edits + 1):
            # Two cheap buckets: same first two letters (typo after the second letter), or same
            # first and last letter (typo in the middle). A typo in the first letter is missed.
            buckets += (f"{key[:2]}{length}", f"{key[0]}.{key[-1]}{length}")
        keys_of = self._fuzzy_buckets(buckets)
        pool: list[str] = []
        for bucket in buckets:
            pool += keys_of[bucket]
        if not pool:
            return
        # Indel ratio is fast and bounds edit distance; OSA then counts a swapped pair of
        # letters as one edit ("Kurks" ~ "Kursk"). Keys repeat across the two buckets: harmless.
        rough = list(dict.fromkeys(
            m for m, _, _ in process.extract(key, pool, scorer=fuzz.ratio, limit=40,
                                             score_cutoff=FUZZY_MIN_RATIO - 10)))
        # OSA over the distinct rough matches in one call (same scorer as calling it per key).
        osa = process.extract(key, rough, scorer=OSA.normalized_similarity, limit=None)
        matches = sorted(((m, sim) for m, sim, _ in osa if sim * 100.0 >= FUZZY_MIN_RATIO),
                         key=lambda t: (-t[1], t[0]))[:8]
        self._lookup_many(m for m, _ in matches)
        for matched, sim in matches:
            ratio = sim * 100.0
            prefix = f"fuzzy {ratio:.0f}% ~ {matched!r}; "
            for pk, ntype, _ in self._lookup(matched):
                row = self._get_pk(pk)
                if row is None:
                    continue
                base, reason = self._score(row, ntype)
                score = FUZZY_CAP * (ratio / 100.0) ** 2 * (0.7 + 0.3 * base)
                offer(row, score, prefix + reason,
                      Match(NAME_TYPE_KEYS[ntype], matched, fuzzy_ratio=round(ratio, 1)))

    def _fuzzy_buckets(self, buckets: list[str]) -> dict[str, tuple[str, ...]]:
        """The keys of each fuzzy bucket (cached; the missing ones are fetched at once)."""
        cache = self._fuzzy_keys
        missing = [b for b in dict.fromkeys(buckets) if b not in cache]
        if not missing:
            return cache
        found: dict[str, tuple[str, ...]] = dict.fromkeys(missing, ())  # absent bucket: empty
        sql = f"SELECT bucket, keys FROM fuzzy WHERE bucket IN ({','.join('?' * len(missing))})"
        for bucket, keys in self._query(sql, missing):
            # a tuple of strings holds no GC-tracked object: the collector untracks it once
            # instead of rescanning a list of thousands of keys at every collection
            found[bucket] = tuple(keys.split("\n"))
        cache.update(found)  # whole buckets only, for concurrent readers
        return cache


def _fmt_pop(pop: int | None) -> str:
    if not pop:
        return ""
    if pop >= 1_000_000:
        return f"population {pop / 1e6:.1f}M"
    if pop >= 10_000:
        return f"population {pop / 1e3:.0f}k"
    return f"population {pop}"


# Russian and Ukrainian prepositions that put a place name in a case ("в Глушковском районе",
# "у Купʼянському районі"): a geocoder query may keep them; the name is what follows.
_PREPOSITIONS = frozenset("в во у на из с со под около возле від біля з із зі під".split())


def _without_preposition(name: str) -> str:
    """``name`` without a leading Cyrillic preposition ("в Шебекине" -> "Шебекине").

    >>> _without_preposition("в Глушковском районе"), _without_preposition("Van")
    ('Глушковском районе', 'Van')
    """
    head, _, rest = name.strip().partition(" ")
    return rest if rest and head.lower() in _PREPOSITIONS else name


def _reason(row: _Row, label: str, extra: str) -> str:
    """The short human reason: how it matched, what it is, why it ranks."""
    p = row.place
    parts = [label, p.kind]
    if p.kind == "admin2" and p.bbox is None:
        # a district known by name only (gazetteer/make_districts.py): say what the point is
        parts.append("point of its seat or settlements, no outline")
    if row.flags & FLAG_CAPITAL:
        parts.append("capital")
    elif row.flags & FLAG_ADMIN_SEAT:
        parts.append("admin seat")
    pop = _fmt_pop(p.population)
    if pop:
        parts.append(pop)
    if extra:
        parts.append(extra)
    return "; ".join(parts)
