"""Case forms of Russian and Ukrainian place names, made when the gazetteer is built.

Russian and Ukrainian texts write a place in whatever case the sentence needs: "в Белгороде",
"из Шебекина", "на Сумщині", "Белгородской области". The gazetteer holds nominatives; this module
adds the other cases (Russian six, Ukrainian seven with the vocative) as extra keys of the same
place, so the one name index finds every form at no cost per lookup.

Two sources, both on the user's machine at build time (no generated form is committed):

* suffix rules for the regular declensions (nouns in -а/-я/-о/-ь/consonant, adjectival names,
  plurals, Ukrainian і -> о/е alternation and к/г/х -> ц/з/с before -і), which also cover villages
  no dictionary knows;
* the pymorphy3 analyser with its Russian and Ukrainian dictionaries (PyPI), for irregular
  words (Київ -> Києва, Орёл -> Орла) when it knows the word as a place name.

Only places in Russia, Ukraine and Belarus are inflected (their Cyrillic names come with
GeoNames' alternate names and the area names), which keeps build time and size modest.
Keys are the normalised forms (``mapper.gazetteer.normalize``) of each word joined by spaces,
which is how the extractor normalises a text, and of the whole phrase, which is how the
geocoder normalises a query.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from mapper.errors import GazetteerError
from mapper.gazetteer.normalize import normalize

COUNTRIES = frozenset({"RU", "UA", "BY"})
CASES = {"ru": ("gent", "datv", "accs", "ablt", "loct"),
         "uk": ("gent", "datv", "accs", "ablt", "loct", "voct")}
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.I)
_UK_ONLY = frozenset("іїєґʼ'’")
_RU_ONLY = frozenset("ёыэъ")
_BE_ONLY = frozenset("ў")
_UK_ADJECTIVE = re.compile(r"[сц]ьк(?:ий|а|е)\b")  # "Суджанський": Russian writes -ский
_WORD = re.compile(r"[^\s]+")
_PARTS = re.compile(r"[\s\-‐‑–]+")  # words and the parts of hyphenated ones
_PLURAL = re.compile(r"[а-яёіїєґ]{3,}[иыі]")  # one word in a plural ending: Суми, Сумы, Липці
# Words kept as they are inside a name ("Ростов-на-Дону", "посёлок имени ...").
_FIXED = frozenset("на над под при у в имени імені де".split())
_VELAR = "гкхжшчщ"
_SIBILANT = "жшчщц"
_UK_SOFTEN = {"к": "ц", "г": "з", "х": "с"}

# Admin words that follow an adjectival area name, by case: Russian, then Ukrainian.
_OBLAST = {
    "ru": {"nomn": ["область"], "gent": ["области"], "datv": ["области"], "accs": ["область"],
           "ablt": ["областью"], "loct": ["области"]},
    "uk": {"nomn": ["область"], "gent": ["області"], "datv": ["області"], "accs": ["область"],
           "ablt": ["областю"], "loct": ["області"], "voct": ["область"]},
}
_AREA_HEADS = {
    "область": _OBLAST,
    "край": {"ru": {"gent": ["края"], "datv": ["краю"], "accs": ["край"], "ablt": ["краем"],
                    "loct": ["крае"]},
             "uk": {"gent": ["краю"], "datv": ["краю"], "accs": ["край"], "ablt": ["краєм"],
                    "loct": ["краї"], "voct": ["краю"]}},
    "район": {"ru": {"gent": ["района"], "datv": ["району"], "accs": ["район"],
                     "ablt": ["районом"], "loct": ["районе"]},
              "uk": {"gent": ["району"], "datv": ["району", "районові"], "accs": ["район"],
                     "ablt": ["районом"], "loct": ["районі"], "voct": ["районе"]}},
    "республика": {"ru": {"gent": ["республики"], "datv": ["республике"], "accs": ["республику"],
                          "ablt": ["республикой"], "loct": ["республике"]}},
    "республіка": {"uk": {"gent": ["республіки"], "datv": ["республіці"], "accs": ["республіку"],
                          "ablt": ["республікою"], "loct": ["республіці"], "voct": ["республіко"]}},
}


# -- one word ----------------------------------------------------------------------------------
def _ru_noun(w: str) -> dict[str, list[str]]:
    """Russian case endings of a noun (or adjectival) place name ``w`` (lower case)."""
    def ends(stem: str, *per_case: list[str]) -> dict[str, list[str]]:
        return {c: [stem + e for e in es] for c, es in zip(CASES["ru"], per_case, strict=True)}

    if w.endswith(("ая", "яя")):
        soft = w.endswith("яя")
        return ends(w[:-2], ["ей" if soft else "ой"], ["ей" if soft else "ой"],
                    ["юю" if soft else "ую"], ["ей", "ею"] if soft else ["ой", "ою"],
                    ["ей" if soft else "ой"])
    if w.endswith(("ый", "ой")) or (w.endswith("ий") and len(w) > 4):
        s = w[:-2]
        return ends(s, ["ого", "его"], ["ому", "ему"], [w[-2:]], ["ым", "им"], ["ом", "ем"])
    if w.endswith(("ое", "ее")):
        s = w[:-2]
        return ends(s, ["ого", "его"], ["ому", "ему"], [w[-2:]], ["ым", "им"], ["ом", "ем"])
    if w.endswith(("ые", "ие")):
        s = w[:-2]
        return ends(s, ["ых", "их"], ["ым", "им"], [w[-2:]], ["ыми", "ими"], ["ых", "их"])
    if w.endswith("ия"):
        return ends(w[:-2], ["ии"], ["ии"], ["ию"], ["ией"], ["ии"])
    if w.endswith("а"):
        s = w[:-1]
        velar = s[-1:] in _VELAR
        return ends(s, ["и" if velar else "ы"], ["е"], ["у"],
                    ["ей", "ой"] if s[-1:] in _SIBILANT else ["ой", "ою"], ["е"])
    if w.endswith("я"):
        return ends(w[:-1], ["и"], ["е", "и"], ["ю"], ["ей"], ["е", "и"])
    if w.endswith("о"):
        # "в Шебекине" (declined) and "в Шебекино" (indeclinable, also in use): both
        return ends(w[:-1], ["а", "о"], ["у", "о"], ["о"], ["ом", "о"], ["е", "о"])
    if w.endswith("ы") or (w.endswith("и") and len(w) > 3):
        s = w[:-1]
        gen = s
        if s.endswith(("к", "ц")):
            gen = s[:-1] + ("ок" if s.endswith("к") else "ец")  # Липки -> Липок
        elif s[-1:] in _SIBILANT:
            gen = s + "ей"  # Барановичи -> Барановичей
        soft = w.endswith("и") and s[-1:] not in _VELAR + _SIBILANT
        forms = ends(s, [""], ["ям" if soft else "ам"], [""], ["ями" if soft else "ами"],
                     ["ях" if soft else "ах"])
        return forms | {"gent": [gen], "accs": [w]}
    if w.endswith("ь"):
        s = w[:-1]
        return ends(s, ["я", "и"], ["ю", "и"], [w], ["ем", "ью"], ["е", "и"])
    if w.endswith("й") and len(w) > 2:
        s = w[:-1]
        return ends(s, ["я"], ["ю"], [w], ["ем"], ["е"])
    if w[-1:].isalpha() and w[-1:] not in "аеёиоуыэюяіїє":
        return ends(w, ["а"], ["у"], [""], ["ом", "ым"] if w.endswith(("ов", "ев", "ин", "ын"))
                    else ["ом", "ем"] if w[-1:] in _SIBILANT else ["ом"], ["е"])
    return {}


def _uk_stems(w: str) -> list[str]:
    """Oblique-case stems of a Ukrainian consonant word: Харків -> Харков, Київ -> Києв,
    Ірпінь -> Ірпен (the і of a closed last syllable goes back to о or е).
    """
    if w.endswith("ів"):
        return [w[:-2] + ("ев" if w[-3:-2] in "жчшщц" else "ов")]
    if w.endswith("їв"):
        return [w[:-2] + "єв"]
    m = re.search(r"і(?=[^аеєиіїоуюяь]+$)", w)
    if m:
        return [w, w[:m.start()] + "е" + w[m.end():], w[:m.start()] + "о" + w[m.end():]]
    return [w]


def _uk_noun(w: str, adjective: bool = False) -> dict[str, list[str]]:
    """Ukrainian case endings of a noun (or adjectival) place name ``w`` (lower case);
    ``adjective``: the word qualifies the next one ("Велика Писарівка").
    """
    cases = CASES["uk"]

    def ends(stem: str, *per_case: list[str]) -> dict[str, list[str]]:
        return {c: [stem + e for e in es] for c, es in zip(cases, per_case, strict=True)}

    if w.endswith(("ська", "цька", "зька")) or (adjective and w.endswith(("а", "я"))):
        s = w[:-1]
        return ends(s, ["ої"], ["ій"], ["у"], ["ою"], ["ій"], ["а"])
    if w.endswith("ий"):
        s = w[:-2]
        return ends(s, ["ого"], ["ому"], ["ий"], ["им"], ["ому", "ім"], ["ий"])
    if w.endswith("ій") and len(w) > 4:
        s = w[:-2]
        return ends(s, ["ього"], ["ьому"], ["ій"], ["ім"], ["ьому", "ім"], ["ій"])
    if w.endswith("е") and len(w) > 3:
        s = w[:-1]  # "Мирне", "Шебекине": adjectival neuters
        return ends(s, ["ого"], ["ому"], ["е"], ["им"], ["ому", "ім"], ["е"])
    if w.endswith("і") and len(w) > 3 or w.endswith("и") and len(w) > 3:
        s = w[:-1]  # plurals: Суми, Липці
        return ends(s, ["", "ів"], ["ам", "ям"], [w[-1]], ["ами", "ями"], ["ах", "ях"], [w[-1]])
    if w.endswith("ія"):
        return ends(w[:-2], ["ії"], ["ії"], ["ію"], ["ією"], ["ії"], ["іє"])
    if w.endswith("а"):
        s = w[:-1]
        soft = s[:-1] + _UK_SOFTEN[s[-1]] if s[-1:] in _UK_SOFTEN else s
        hush = s[-1:] in "жчшщ"
        return ends(s, ["і" if hush else "и"], [], ["у"], ["ею" if hush else "ою"], [],
                    ["е", "о"] if hush else ["о"]) | {
            "datv": [soft + "і"], "loct": [soft + "і"]}
    if w.endswith("я"):
        return ends(w[:-1], ["і"], ["і"], ["ю"], ["ею"], ["і"], ["е"])
    if w.endswith("о"):
        s = w[:-1]
        return ends(s, ["а", "о"], ["у", "о"], ["о"], ["ом", "о"], ["і", "у", "о"], ["о"])
    if w.endswith("ь"):
        out: dict[str, list[str]] = {c: [] for c in cases}
        for s in _uk_stems(w[:-1]):
            for c, es in zip(cases, (["я"], ["ю", "еві"], [""], ["ем"], ["і"], ["ю", "е"]),
                             strict=True):
                out[c] += [s + e if e else w for e in es]
        return out
    if w.endswith("й") and len(w) > 2:
        s = w[:-1]
        return ends(s, ["я"], ["ю"], ["й"], ["єм"], ["ї"], ["ю"])
    if w[-1:].isalpha() and w[-1:] not in "аеєиіїоуюяь":
        out = {c: [] for c in cases}
        velar = w[-1] in "кгх"
        for s in _uk_stems(w):
            loc_voc = (["у"], ["у"]) if velar else (["і", "у"], ["е"])
            for c, es in zip(cases, (["а"], ["у", "ові"], [""], ["ом"], *loc_voc), strict=True):
                out[c] += [s + e if e else w for e in es]
        return out
    return {}


@lru_cache(maxsize=4)
def _analyser(lang: str) -> Any:
    """pymorphy3's analyser for ``lang``; a missing dictionary is a broken install, said so.

    pymorphy3 and its dictionaries are required: without them the gazetteer would quietly
    build without the irregular case forms.
    """
    import pymorphy3

    try:
        return pymorphy3.MorphAnalyzer(lang=lang)
    except ValueError:  # pymorphy3 finds no dictionary package for the language
        raise GazetteerError(f"pymorphy3 has no {lang!r} dictionary; install it with "
                             f"pip install pymorphy3-dicts-{lang}") from None


def _dictionary_forms(word: str, lang: str) -> dict[str, list[str]]:
    """Case forms the dictionary gives when it knows ``word`` as a nominative place name."""
    if word[-1:] in "аяоеєиі" and not word.endswith(("ы", "и", "і")):
        return {}  # regular endings: the rules know them (the analyser costs 0.4 ms a word)
    morph = _analyser(lang)
    if not morph.word_is_known(word):
        return {}
    out: dict[str, list[str]] = {}
    for p in morph.parse(word):
        tag = p.tag
        gram = tag.grammemes  # a set of strings: the Ukrainian tag set has no "Geox" to ask for
        if "nomn" not in gram or tag.POS != "NOUN" or "Fixd" in gram:
            continue
        if "Geox" not in gram and p.normal_form != word and "Pltm" not in gram:
            continue
        for case in CASES[lang]:
            form = p.inflect({case, tag.number} if tag.number else {case})
            if form is not None:
                out.setdefault(case, []).append(form.word)
        break
    return out


@lru_cache(maxsize=65_536)
def word_forms(word: str, lang: str, adjective: bool = False) -> dict[str, list[str]]:
    """Case -> forms of one lower-case word (the nominative under "nomn"); ``adjective``: it
    qualifies the next word of the name. Cached: callers must not change the lists.
    """
    rules = _uk_noun(word, adjective) if lang == "uk" else _ru_noun(word)
    out: dict[str, list[str]] = {"nomn": [word]}
    for case in CASES[lang]:
        out[case] = list(dict.fromkeys(rules.get(case, [])))
    for case, forms in (() if adjective else _dictionary_forms(word, lang).items()):
        out[case] = list(dict.fromkeys([*forms, *out.get(case, [])]))
    return out


# -- whole names -------------------------------------------------------------------------------
def name_languages(name: str, country: str | None) -> tuple[str, ...]:
    """Which declensions to apply to a Cyrillic ``name``: its letters decide, else the country's
    language (Russian for Russia and Belarus, both for Ukraine, where either is written).
    """
    low = name.lower()
    if not _CYRILLIC.search(low) or _BE_ONLY.intersection(low):
        return ()
    if _UK_ONLY.intersection(low) or (country != "UA" and _UK_ADJECTIVE.search(low)):
        return ("uk",)  # a Ukrainian name of a place outside Ukraine ("Суджанський район")
    if _RU_ONLY.intersection(low):
        return ("ru",)
    return ("uk", "ru") if country == "UA" else ("ru",)


def inflect(name: str, lang: str, *, max_forms: int = 64) -> list[str]:
    """Every case form of a place name, nominative first (lower case).

    >>> inflect("Белгород", "ru")[:3]
    ['белгород', 'белгорода', 'белгороду']
    >>> "сумщині" in inflect("Сумщина", "uk")
    True
    >>> "красной яруги" in inflect("Красная Яруга", "ru")
    True
    """
    low = name.lower()
    words = low.split()
    if not words:
        return []
    per_word = [_compound_forms(w, lang, i < len(words) - 1) for i, w in enumerate(words)]
    out = [low]
    for case in ("nomn", *CASES[lang]):
        options = [forms.get(case) or forms["nomn"] for forms in per_word]
        for combo in itertools.islice(itertools.product(*options), max_forms):
            out.append(" ".join(combo))
    return list(dict.fromkeys(out))


def _compound_forms(word: str, lang: str, adjective: bool = False) -> dict[str, list[str]]:
    """Forms of a hyphenated word: the parts decline together ("Каменск-Шахтинский"), except
    after a fixed word ("Ростов-на-Дону": only "Ростов" declines).
    """
    if word in _FIXED:
        return {"nomn": [word]}
    parts = word.split("-")
    if len(parts) == 1:
        return word_forms(word, lang, adjective)
    out: dict[str, list[str]] = {"nomn": [word]}
    fixed_from = next((i for i, p in enumerate(parts) if p in _FIXED), len(parts))
    per_part = [word_forms(p, lang) if i < fixed_from else {"nomn": [p]}
                for i, p in enumerate(parts)]
    for case in CASES[lang]:
        combos = itertools.product(*[f.get(case) or f["nomn"] for f in per_part])
        out[case] = ["-".join(c) for c in itertools.islice(combos, 8)]
        if fixed_from == len(parts) > 1:  # usage often declines the last part only:
            head = "-".join(parts[:-1])  # "з Середина-Буди" beside "з Середини-Буди"
            out[case] += [f"{head}-{f}" for f in per_part[-1].get(case) or ()
                          if f"{head}-{f}" not in out[case]]
    return out


def area_forms(name: str, lang: str) -> list[str]:
    """Case forms of an area name: "Белгородская область" -> "белгородской области", ...;
    a bare adjective ("Сумська") in its feminine cases; "-щина" names as nouns.
    """
    words = name.lower().split()
    if len(words) >= 2 and words[-1] in _AREA_HEADS:
        head = _AREA_HEADS[words[-1]].get(lang)
        if not head:
            return []
        adjectives = [_compound_forms(w, lang, True) for w in words[:-1]]
        out = [name.lower()]
        for case in CASES[lang]:
            heads = head.get(case) or [words[-1]]
            options = [a.get(case) or a["nomn"] for a in adjectives]
            for combo in itertools.islice(itertools.product(*options, heads), 16):
                out.append(" ".join(combo))
        return list(dict.fromkeys(out))
    return inflect(name, lang)


def regional_name(adjective: str, lang: str) -> str | None:
    """The "-щина" name of a region from its adjective: Белгородская -> Белгородщина,
    Сумська -> Сумщина, Донецька -> Донеччина, Курская -> Курщина.
    """
    a = adjective.lower()
    rules = (("цкая", "тчина"), ("ская", "щина")) if lang == "ru" else \
        (("цька", "ччина"), ("ська", "щина"))
    for ending, suffix in rules:
        if a.endswith(ending) and len(a) > len(ending) + 2:
            stem = a[: -len(ending)]
            if lang == "uk" and stem.endswith("с"):
                stem = stem[:-1]  # Одеська -> Одещина, Черкаська -> Черкащина
            return stem + suffix
    return None


def keys_of(form: str) -> list[str]:
    """Normalised keys of a form: word by word (as the extractor reads a text) and whole (as
    the geocoder reads a query); they differ when only some words carry Ukrainian letters.
    """
    # the extractor reads the parts of a hyphenated word as words ("Новгорода" apart from
    # "Сіверського", so without the Ukrainian г of the whole)
    by_word = " ".join(normalize(w) for w in _PARTS.split(form) if w)
    whole = normalize(form)
    return [by_word] if by_word == whole else [by_word, whole]


# -- the build hook ----------------------------------------------------------------------------
def name_rows(places: Iterable[tuple[int, str, str | None, Sequence[str]]], *,
              form: int, alias: int, stem: int, alt: int,
              stop: frozenset[str] = frozenset()) -> Iterator[tuple[str, int, int]]:
    """Extra ``(key, pk, name type)`` rows for the gazetteer's name index.

    ``places`` gives ``(pk, kind, country_code, names)``; only places in :data:`COUNTRIES` with
    Cyrillic names are inflected. Settlement forms get the ``form`` type; area forms count as
    the area's names (``alias`` for a full "X область" phrase and "-щина" names, ``stem`` for a
    bare adjective), so the geocoder's admin-form logic reads them as it reads the nominative.
    A Latin spelling made here ("Tyotkino" from "Тёткино") gets the ``alt`` type, as GeoNames'
    own alternate spellings do. ``stop`` holds keys never added (common words).
    """
    for pk, kind, cc, names in places:
        if cc not in COUNTRIES:
            continue
        seen: set[tuple[str, int]] = set()
        cyrillic = sorted({n for n in names if n and _CYRILLIC.search(n) and "." not in n})
        for name in cyrillic:
            # a plural town's genitive may have three letters ("до Сум" of Суми/Сумы): kept
            shortest = 3 if kind == "settlement" and _PLURAL.fullmatch(name.lower()) else 4
            for lang in name_languages(name, cc):
                if kind == "settlement":
                    rows = [(f, form) for f in inflect(name, lang)]
                    exonym = ukrainian_exonym(name) if lang == "ru" and cc != "UA" else None
                    if exonym:  # Ukrainian reporting on Russian towns: "у Шебекиному"
                        rows += [(f, form) for f in inflect(exonym, "uk")]
                    if "ё" in name.lower():  # romanised with yo: "Tyotkino"
                        rows.append((name.lower().replace("ё", "йо"), alt))
                else:
                    rows = _area_rows(name, lang, alias, stem, bare=kind != "admin2")
                for text, ntype in rows:
                    for key in keys_of(text):
                        if len(key) < shortest or key in stop or (key, ntype) in seen:
                            continue
                        seen.add((key, ntype))
                        yield key, pk, ntype


def ukrainian_exonym(name: str) -> str | None:
    """The Ukrainian form of a Russian neuter town name, which Ukrainian declines as an
    adjective: Шебекино -> шебекине (у Шебекиному), Глушково -> глушкове. None for others.

    >>> ukrainian_exonym("Шебекино"), ukrainian_exonym("Курск")
    ('шебекине', None)
    """
    low = name.lower()
    if " " not in low and low.endswith(("ино", "ово", "ево", "ёво", "ыно")) and len(low) > 5:
        return low[:-1] + "е"
    return None


def describe() -> str:
    """What made the case forms, for the gazetteer's metadata."""
    from importlib.metadata import PackageNotFoundError, version

    have = []
    for dist in ("pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk"):
        try:
            have.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            pass
    return "suffix rules" + (" + " + ", ".join(have) if have else " (pymorphy3 not installed)")


def _area_rows(name: str, lang: str, alias: int, stem: int, *, bare: bool = True
               ) -> list[tuple[str, int]]:
    """Rows of an area name; ``bare``: also the adjective alone ("Курской"), which a district
    never gets ("Советский" alone is a word, not the Sovetsky District).
    """
    words = name.lower().split()
    rows: list[tuple[str, int]] = []
    if len(words) >= 2 and words[-1] in _AREA_HEADS:
        rows += [(f, alias) for f in area_forms(name, lang)]
        if not bare:
            return rows
        adjective = " ".join(words[:-1])
        rows += [(f, stem) for f in inflect(adjective, lang)]
        regional = regional_name(adjective, lang) if len(words) == 2 else None
        if regional:
            rows += [(f, alias) for f in inflect(regional, lang)]
    elif len(words) == 1 and words[0].endswith(("ская", "цкая", "ська", "цька")):
        rows += [(f, stem) for f in inflect(name, lang)]
    elif len(words) == 1 and words[0].endswith(("щина", "чина")):
        rows += [(f, alias) for f in inflect(name, lang)]
    else:
        rows += [(f, alias) for f in inflect(name, lang)]
    return rows
