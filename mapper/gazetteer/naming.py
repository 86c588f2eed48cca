"""How names become index keys, the build-time priors, and the curated additions in ``gazetteer/``.

Shared by the builder and the importer, so an imported GeoNames dump is indexed exactly like the
embedded data.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapper.errors import DataError
from mapper.gazetteer.areas import data_dir
from mapper.gazetteer.model import ALIAS, ALT, FLAG_ADMIN_SEAT, FLAG_CAPITAL, NAME, STEM
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.query import adjective_variants, parse_query

GAZETTEER_DIR = data_dir()
ALIASES_FILE = GAZETTEER_DIR / "aliases.yaml"
STOPWORDS_FILE = GAZETTEER_DIR / "stopwords.txt"

def settlement_prior(population: int | None, flags: int, n_names: int = 0) -> float:
    """Build-time importance of a settlement, 0.5..0.99.

    Log population, plus how many distinct names the world has for it (a good proxy for how
    often it is written about: Odesa has over a hundred, Odessa, Texas a handful), plus capital /
    admin-seat flags.
    """
    pop = max(0, population or 0)
    score = 0.5 + 0.28 * min(1.0, math.log10(pop + 1) / 7.0)
    score += 0.1 * min(1.0, math.log10(n_names + 1) / 2.3)
    if flags & FLAG_CAPITAL:
        score += 0.1
    elif flags & FLAG_ADMIN_SEAT:
        score += 0.08
    return round(min(score, 0.99), 4)


AREA_PRIOR = {"country": 0.93, "region": 0.9, "admin1": 0.72, "admin2": 0.66, "zone": 0.8}


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    """Normalised keys never accepted as alternate names ("the", "and", "war", ...)."""
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(normalize(line))
    return frozenset(words)


def _read_aliases_file(path: Path) -> dict[str, Any]:
    """The YAML mapping of ``aliases.yaml`` (empty when there is no such file)."""
    if not path.exists():
        return {}
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"invalid YAML ({getattr(exc, 'problem', exc)}); fix the syntax",
                        path=str(path), line=(mark.line + 1) if mark else None) from None


def demonym_words(path: Path = ALIASES_FILE) -> dict[str, list[str]]:
    """Country code -> its demonyms as written in ``aliases.yaml`` ("RU": ["Russian", ...])."""
    return _demonyms(_read_aliases_file(path))


def _demonyms(data: dict[str, Any]) -> dict[str, list[str]]:
    return {str(cc).upper(): [str(w) for w in words]
            for cc, words in (data.get("demonyms") or {}).items() if words}


def load_aliases(path: Path = ALIASES_FILE) -> dict[str, Any]:
    """Curated aliases and demonyms; every alias needs a target and a provenance."""
    data = _read_aliases_file(path)
    aliases = data.get("aliases") or []
    for i, entry in enumerate(aliases, 1):
        for fld in ("alias", "place", "source"):
            if not isinstance(entry, dict) or not entry.get(fld):
                raise DataError(f"alias #{i} needs '{fld}' (alias, place id, provenance)",
                                path=str(path), field="aliases")
    demonyms = {normalize(w): cc for cc, words in _demonyms(data).items() for w in words}
    return {"aliases": aliases, "demonyms": demonyms}



class NameKeys:
    """Collects (key, pk, ntype) with the strongest type per (key, pk)."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, int], int] = {}

    def add(self, key: str, pk: int, ntype: int) -> None:
        """Record ``key`` for place ``pk``, keeping the strongest name type seen."""
        if not key:
            return
        k = (key, pk)
        old = self.best.get(k)
        if old is None or ntype < old:
            self.best[k] = ntype

    def rows(self) -> list[tuple[str, int, int]]:
        """``(key, pk, name type)`` rows, sorted (the order they are written in)."""
        return sorted((k, pk, t) for (k, pk), t in self.best.items())


def area_keys(names: Iterable[str], kind: str, display: str, *, stems: bool = True,
              bare: Iterable[str] = ()) -> list[tuple[str, int]]:
    """Keys for an area's names: full forms as names/aliases, bare stems as STEM.

    A bare name of an admin area ("Kursk" for Kursk Oblast) is a STEM so that the city of the same
    name ranks first unless the query says "oblast"/"region". ``stems=False`` keeps only the full
    forms (US counties: "Lake", "Union", "Story" alone are words, not places), a name without a
    term included ("Comuna Zorleni", "Zama Shi": designators the query parser does not know);
    then only the names in ``bare`` ("Kent", "Zorleni") are STEM keys.
    """
    out: list[tuple[str, int]] = []
    display_key = normalize(display)
    bare_keys = {normalize(b) for b in bare}
    for raw in names:
        key = normalize(raw)
        # Postal and ISO abbreviations ("OR" for Oregon, "CA") would turn common words into areas.
        if not key or len(key) < 3 or (is_code(raw) and kind != "zone"):
            continue
        q = parse_query(key)
        full_type = NAME if key == display_key else ALIAS
        if kind in ("admin1", "admin2"):
            if key in bare_keys:
                bare = [key]
            elif q.stem:
                out.append((key, full_type))
                bare = [q.stem] if stems else []
            elif not stems:
                out.append((key, full_type))
                bare = []
            else:
                bare = [key]
            for stem in bare:
                out.append((stem, STEM))
                out.extend((v, STEM) for v in adjective_variants(stem))
        elif kind == "country":
            out.append((key, full_type))
            if q.stem and q.term in ("republic", "state", "kingdom"):
                out.append((q.stem, ALIAS))
        else:
            out.append((key, full_type))
    return out


_VOWELS = frozenset("aeiouy")


def fuzzy_worthy(key: str) -> bool:
    """Alternate names worth typo matching: Latin words with vowels.

    Romanised abjad spellings among GeoNames alternates ("krks", "mskw") would attract typos.
    """
    return len(key) >= 4 and all(_VOWELS.intersection(w) for w in key.split())


def settlement_keys(name: str, alternates: Iterable[str], stop: frozenset[str]
                    ) -> list[tuple[str, int]]:
    """Keys of a settlement: its own name, then alternate names minus codes and stop words."""
    name_key = normalize(name)
    out = [(name_key, NAME)]
    for raw in alternates:
        key = normalize(raw)
        if not key or key == name_key or is_code(raw) or len(key) < 3 or key in stop:
            continue
        out.append((key, ALT))
    return out


def fuzzy_buckets(key: str) -> list[tuple[str, str]]:
    """Typo-lookup buckets of a key: first two letters + length, first/last letter + length."""
    n = len(key)
    return [(f"{key[:2]}{n}", key), (f"{key[0]}.{key[-1]}{n}", key)]


def is_code(raw: str) -> bool:
    """IATA/ICAO-like codes among GeoNames alternate names ("MOW", "URS", "UUWW")."""
    return raw.isascii() and raw.isalpha() and raw.isupper() and len(raw) <= 4
