"""Reading a normalised query: admin forms ("Kursk Oblast"), border-zone phrases, spelling variants.

Pure string functions shared by the search (``mapper.gazetteer.search``) and the builder (which
indexes the same stems and adjectival forms the search will ask for).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words that name the type of an administrative area, after normalisation. A query carrying one
# ("Kursk Oblast", "State of Texas", "Курская область") asks for an area, not a town.
ADMIN1_TERMS = (
    "oblast", "oblasti", "oblasts", "region", "regions", "province", "provincia", "provinsi",
    "governorate", "state", "krai", "kray", "territory", "republic", "respublika", "okrug",
    "autonomous okrug", "avtonomnyy okrug", "autonomous oblast", "prefecture", "voivodeship",
    "canton", "wilaya", "muhafazah", "emirate", "departement", "department", "land", "estado",
    "regiao", "county", "shengi", "sheng", "divisional", "division",
)
ADMIN2_TERMS = ("district", "raion", "rayon", "rajon", "municipality", "municipal district",
                "hromada", "okrug municipal", "urban okrug", "gorodskoy okrug", "municipal okrug",
                # the other cases of район, as normalised ("Рыльском районе" -> "... rayone",
                # "Купʼянському районі" -> "... rayoni")
                "rayona", "rayone", "rayonom", "rayonu", "rayoni", "rayonovi")
_TERMS = sorted(set(ADMIN1_TERMS) | set(ADMIN2_TERMS), key=len, reverse=True)
_SUFFIX_RE = re.compile(r"^(?P<stem>.+?) (?P<term>" + "|".join(map(re.escape, _TERMS)) + r")$")
_PREFIX_RE = re.compile(r"^(?P<term>" + "|".join(map(re.escape, _TERMS))
                        + r") (?:of )?(?P<stem>.+)$")
# Regional nicknames built with -shchina / -chyna ("Belgorodshchina", "Sumshchyna").
_REGION_NICK_RE = re.compile(r"^(?P<stem>[a-z]{3,}?)(?:shchina|shchyna|schina|chyna|china)$")
_NICK_STEM_ENDINGS = ("", "sk", "y", "a", "ia", "iv", "ov")
# Adjectival area stems ("kurskaya", "sumska") and their other spellings.
_ADJ_ENDINGS = ("skaya", "skiy", "skii", "skij", "skyi", "ska", "sky", "ckaya", "cka")

# Phrases that point at a border zone ("border areas of Belgorod Oblast", "the border zone").
_ZONE_WORDS = ("area", "areas", "zone", "zones", "region", "regions", "village", "villages",
               "district", "districts", "settlement", "settlements", "territory", "territories",
               "town", "towns", "community", "communities", "strip", "belt", "land", "lands")
_ZW = "|".join(_ZONE_WORDS)
_ZONE_PATTERNS = (
    re.compile(rf"^(?:the )?(?:border|frontier|borderland|near border)s? (?:{_ZW})"
               rf"(?: of| in| along)?(?: the)?(?: (?P<target>.+))?$"),
    re.compile(rf"^(?:the )?(?P<target>.+?) (?:border|frontier|borderland)s? (?:{_ZW})$"),
    re.compile(r"^(?:the )?(?P<target>.+?) (?:border|frontier)$"),
    re.compile(r"^(?:the )?(?:border|frontier|borderland)s?(?: with| of)? (?P<target>.+)$"),
    re.compile(r"^(?:the )?(?:border|frontier|borderland)s?$"),
)
_LEADING_ARTICLE = re.compile(r"^(?:the) ")
# Arabic article variants: "El Fasher" / "Al Fashir", "Khan Younis" has none.
_ARTICLES = ("al ", "el ", "ad ", "ar ", "as ", "at ", "az ", "ash ", "an ", "ad ", "ed ", "es ")
# Arabic article variants: "El Fasher" / "Al Fashir", "Khan Younis" has none.


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: the key to look up and what its wording asks for."""

    key: str
    stem: str | None = None          # key with its admin term removed
    term: str | None = None          # the admin term ("oblast", "district")
    kinds: tuple[str, ...] | None = None
    zone: bool = False               # a border-zone phrase
    zone_target: str | None = None   # what the zone is of ("belgorod oblast", "russia ukraine")


def parse_query(key: str) -> ParsedQuery:
    """Recognise admin forms and border-zone phrases in a normalised query.

    >>> parse_query("kursk oblast").stem, parse_query("kursk oblast").kinds
    ('kursk', ('admin1', 'admin2'))
    >>> parse_query("state of texas").stem
    'texas'
    >>> parse_query("border areas of belgorod oblast").zone_target
    'belgorod oblast'
    >>> parse_query("kursk").kinds is None
    True
    """
    if key.startswith("the "):
        key = _LEADING_ARTICLE.sub("", key)
    if "border" in key or "frontier" in key:
        for pattern in _ZONE_PATTERNS:
            m = pattern.match(key)
            if m:
                target = m.groupdict().get("target")
                return ParsedQuery(key=key, zone=True, zone_target=target or None,
                              kinds=("zone",))
    if " " not in key:
        # Most queries are one word; the admin-form patterns below all need a space.
        if _REGION_NICK_RE.match(key):
            return ParsedQuery(key=key, stem=key, term="regional name", kinds=("admin1",))
        return ParsedQuery(key=key)
    m = _SUFFIX_RE.match(key) or _PREFIX_RE.match(key)
    if m and m.group("stem") not in _TERMS:
        term = m.group("term")
        kinds = ("admin2", "admin1") if term in ADMIN2_TERMS else ("admin1", "admin2")
        return ParsedQuery(key=key, stem=_LEADING_ARTICLE.sub("", m.group("stem")), term=term,
                      kinds=kinds)
    return ParsedQuery(key=key)


def adjective_variants(stem: str) -> list[str]:
    """Other spellings of an adjectival area stem: kurskaya -> kurska, kurskiy, ...

    >>> adjective_variants("sumska")[:2]
    ['sumskaya', 'sumskiy']
    """
    for ending in _ADJ_ENDINGS:
        if stem.endswith(ending) and len(stem) > len(ending) + 2:
            base = stem[: -len(ending)]
            return [base + e for e in ("skaya", "skiy", "skyi", "ska", "sky") if base + e != stem]
    return []


def region_nickname_stems(key: str) -> list[str]:
    """Stems a regional nickname may come from: belgorodshchina -> belgorod, ..."""
    m = _REGION_NICK_RE.match(key)
    if not m:
        return []
    base = m.group("stem")
    return [base + e for e in _NICK_STEM_ENDINGS]


def spelling_variants(key: str) -> list[str]:
    """Spelling variants tried before fuzzy matching: Arabic article forms, 'saint' forms."""
    out = []
    for art in _ARTICLES:
        if key.startswith(art):
            rest = key[len(art):]
            out.append(rest)
            out.extend(a + rest for a in ("al ", "el ") if a != art)
            break
    else:
        if " " not in key:
            out.extend(("al " + key, "el " + key))
    for a, b in ((" al ", " el "), (" el ", " al "), (" ad ", " al "), (" ed ", " al ")):
        if a in key:
            out.append(key.replace(a, b))
    if key.startswith("st "):
        out.append("saint " + key[3:])
    elif key.startswith("saint "):
        out.append("st " + key[6:])
    if " " in key:
        out.append(key.replace(" ", ""))
    out.extend(v for v in transliteration_variants(key) if v not in out)
    return out


# Word endings that romanisation systems write differently: Kryvyi / Kryvyy / Kryviy.
_ENDINGS = {"iy": ("yi", "yy", "y", "i"), "yi": ("iy", "yy", "y"), "yy": ("yi", "iy", "y"),
            "ii": ("iy", "yi", "i")}
# Letters written two ways inside words: Zaitsev / Zaytsev, Kharkiv / Harkiv.
_INNER = (("ai", "ay"), ("ay", "ai"), ("ei", "ey"), ("ey", "ei"), ("kh", "h"))


def transliteration_variants(key: str) -> list[str]:
    """Other romanisations of a normalised key: -iy/-yi/-yy endings, ay/ai, ey/ei, kh/h.

    One rule at a time (the variants of "kryvyi rih" are "kryviy rih", "kryvyy rih", ...), so
    the list stays short; the search tries them only when nothing matched as written.

    >>> transliteration_variants("kryvyi rih")[:2]
    ['kryviy rih', 'kryvyy rih']
    >>> "zaytsevo" in transliteration_variants("zaitsevo")
    True
    """
    words = key.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        for end, others in _ENDINGS.items():
            if len(w) > len(end) + 2 and w.endswith(end):
                out.extend(" ".join([*words[:i], w[: -len(end)] + o, *words[i + 1:]])
                           for o in others)
    for a, b in _INNER:
        if a in key:
            out.append(key.replace(a, b))
    return list(dict.fromkeys(v for v in out if v != key))


def zone_pair(zone_id: str) -> tuple[str, ...] | None:
    """("RU", "UA") from "zone:border:RU-UA:RU"."""
    parts = zone_id.split(":")
    if len(parts) >= 3 and parts[1] == "border":
        return tuple(sorted(parts[2].split("-")))
    return None


def zone_side(zone_id: str) -> str | None:
    """"RU" from "zone:border:RU-UA:RU" (the side of the border the zone lies on)."""
    parts = zone_id.split(":")
    return parts[3] if len(parts) >= 4 else None
