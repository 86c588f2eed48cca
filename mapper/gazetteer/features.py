"""Physical features: rivers, lakes, seas, mountains (``gazetteer/features.yaml``).

Place records of kind ``feature`` for the builder, ids ``feature:<class>:<slug>``
("feature:river:dnipro"); the class is part of the id, so every reader gets it from the place
alone (:func:`feature_class`). A river is a line: its record holds a point on its course for
``mapper geocode``, but a mention of it has no point (:func:`has_point`), and extraction never
places an incident there. Lakes, seas, ranges and mountains keep a point near their middle, the
convention of the geoparsing corpora.

The Russian and Ukrainian names get their case forms at build time like areas do ("на Днепре",
"реки Сейм", "у Дніпрі"), declined as the first of the feature's countries that
``mapper.gazetteer.inflect`` knows.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mapper.errors import GazetteerError

KIND = "feature"
CLASSES = ("river", "lake", "reservoir", "sea", "ocean", "gulf", "strait", "canal", "delta",
           "mountain", "range")
# classes with no point that stands for them: a line, not an area
LINE_CLASSES = frozenset({"river", "canal"})
SOURCES = {"features": "gazetteer/features.yaml (written for mapper: names, class, countries, "
                       "a rounded point)"}


def feature_class(place: Any) -> str | None:
    """The class of a feature place ("river", "sea", ...), None for any other place.

    >>> from types import SimpleNamespace as P
    >>> feature_class(P(id="feature:river:dnipro", kind="feature"))
    'river'
    >>> feature_class(P(id="gn:709930", kind="settlement")) is None
    True
    """
    if getattr(place, "kind", None) != KIND:
        return None
    parts = str(place.id).split(":")
    return parts[1] if len(parts) >= 3 else None


def has_point(place: Any) -> bool:
    """Whether a point stands for ``place``: every place but rivers and canals."""
    return feature_class(place) not in LINE_CLASSES


# Case forms of "adjective + class noun" names ("Чёрное море" -> "Чёрном море", "Чорне море"
# -> "Чорному морі"), which the general rules of mapper.gazetteer.inflect decline as two nouns.
# noun -> (its forms, the adjective's gender/number); adjective endings per gender below.
_NOUNS: dict[str, tuple[tuple[str, ...], str]] = {
    # Russian
    "море": (("моря", "морю", "морем", "море"), "n"),
    "озеро": (("озера", "озеру", "озером", "озере"), "n"),
    "водохранилище": (("водохранилища", "водохранилищу", "водохранилищем"), "n"),
    "горы": (("гор", "горам", "горами", "горах"), "pl"),
    "залив": (("залива", "заливу", "заливом", "заливе"), "m"),
    "пролив": (("пролива", "проливу", "проливом", "проливе"), "m"),
    "океан": (("океана", "океану", "океаном", "океане"), "m"),
    "канал": (("канала", "каналу", "каналом", "канале"), "m"),
    # Ukrainian
    "водосховище": (("водосховища", "водосховищу", "водосховищем", "водосховищі"), "n"),
    "гори": (("гір", "горам", "горами", "горах"), "pl"),
    "затока": (("затоки", "затоці", "затоку", "затокою"), "f"),
    "протока": (("протоки", "протоці", "протоку", "протокою"), "f"),
}
_UK_NOUNS = {"море": ("моря", "морю", "морем", "морі"), "озеро": ("озера", "озеру", "озером",
                                                                "озері"),
             "океан": ("океану", "океані", "океаном")}
# nominative adjective ending -> the endings of its other cases
_Endings = dict[str, dict[str, tuple[str, ...]]]
_ADJ_RU: _Endings = {
    "n": {"ое": ("ого", "ому", "ым", "ом"), "ее": ("его", "ему", "им", "ем")},
    "m": {"ий": ("ого", "ому", "им", "ом"), "ый": ("ого", "ому", "ым", "ом"),
          "ой": ("ого", "ому", "ым", "ом")},
    "pl": {"ие": ("их", "им", "ими"), "ые": ("ых", "ым", "ыми")}}
_ADJ_UK: _Endings = {
    "n": {"е": ("ого", "ому", "им", "ім")}, "m": {"ий": ("ого", "ому", "им", "ім")},
    "f": {"а": ("ої", "ій", "у", "ою")}, "pl": {"і": ("их", "им", "ими")}}


def phrase_forms(name: str) -> list[str]:
    """Case forms (lower case) of a two-word Cyrillic name "adjective + class noun", every
    adjective form with every noun form; [] for any other name.

    >>> "чёрном море" in phrase_forms("Чёрное море"), "чорному морі" in phrase_forms("Чорне море")
    (True, True)
    """
    words = name.lower().split()
    if len(words) != 2:
        return []
    adjective, noun = words
    out: list[str] = []
    # (noun forms, gender, adjective endings): Russian, Ukrainian or both
    readings: list[tuple[tuple[str, ...], str, _Endings]] = []
    if noun in _NOUNS:
        nouns, gender = _NOUNS[noun]
        uk_only = noun in ("водосховище", "гори", "затока", "протока")
        readings.append((nouns, gender, _ADJ_UK if uk_only else _ADJ_RU))
    if noun in _UK_NOUNS:
        readings.append((_UK_NOUNS[noun], _NOUNS[noun][1], _ADJ_UK))
    for nouns, gender, table in readings:
        for end, rest in table.get(gender, {}).items():
            if adjective.endswith(end):
                stem = adjective[:-len(end)]
                adjectives = [adjective, *(stem + e for e in rest)]
                out += [f"{a} {n}" for a in adjectives for n in (noun, *nouns)]
                break
    return [f for f in dict.fromkeys(out) if f != f"{adjective} {noun}"]


def iter_features(path: Path, inflect_countries: frozenset[str] = frozenset()
                  ) -> Iterator[dict[str, Any]]:
    """Place records of the features in ``path`` (``features.yaml``).

    ``inflect_countries``: countries whose names the build declines; a feature touching one
    of them carries it as ``inflect_as`` (its Cyrillic names then get their case forms).
    """
    from mapper.guards import load_yaml

    if not path.exists():
        return
    data = load_yaml(path.read_text(encoding="utf-8"), path=str(path)) or {}
    seen: set[str] = set()
    for i, entry in enumerate(data.get("features") or [], 1):
        where = f"{path}: feature #{i}"
        if not (isinstance(entry, list) and len(entry) == 6):
            raise GazetteerError(f"{where}: write [slug, class, name, [names], [lat, lon], "
                                 "[countries]]")
        slug, cls, name, names, point, countries = entry
        if cls not in CLASSES:
            raise GazetteerError(f"{where} ({slug}): class {cls!r} unknown; use one of "
                                 f"{', '.join(CLASSES)}")
        if not (isinstance(point, list) and len(point) == 2 and
                -90 <= float(point[0]) <= 90 and -180 <= float(point[1]) <= 180):
            raise GazetteerError(f"{where} ({slug}): point must be [lat, lon] in degrees")
        fid = f"feature:{cls}:{slug}"
        if fid in seen:
            raise GazetteerError(f"{where}: {fid} given twice; give each feature one entry")
        seen.add(fid)
        codes = [str(c) for c in countries or []]
        uniq = list(dict.fromkeys([str(name), *(str(n) for n in names or [])]))
        # two-word Cyrillic names get their forms here; one-word names from the build's rules
        phrases = [n for n in uniq if phrase_forms(n)]
        forms = [f for n in phrases for f in phrase_forms(n)]
        yield {"id": fid, "kind": KIND, "name": str(name), "names": [*uniq, *forms],
               "inflect_names": [n for n in uniq if n not in phrases],
               "country_code": codes[0] if len(codes) == 1 else None,
               "countries": codes,
               "inflect_as": next((c for c in codes if c in inflect_countries), None),
               "admin1": None, "admin1_code": None, "gn_admin1": None,
               "lat": round(float(point[0]), 5), "lon": round(float(point[1]), 5),
               "population": None, "geometry": None, "bbox": None, "geonameid": None,
               "source": f"gazetteer/features.yaml ({cls})"}
