"""Roles of place mentions: ``incident`` (something happened there), ``context``, ``not-a-place``.

A place is an incident place when an event word stands near it and nothing says it is only an
origin ("born in"), a speaker ("Kyiv said"), a possessor ("Russia's army"), an address
("Tyotkino, Kursk Oblast") or a dateline. The patterns are the language pack's (``RoleWords``).
"""
from __future__ import annotations

from mapper.extract.events import EventWord
from mapper.extract.lang import LanguagePack
from mapper.extract.scan import lower_for_keywords
from mapper.extract.text import Document
from mapper.extract.toponyms import Mention

# Places wider than a country or as wide: the scene of an event only when it is its target
# ("strikes on Syria"), never for being named near one ("across Africa", "Russia's army").
_WIDE = ("country", "region")


def _datelines(text: str, pack: LanguagePack) -> list[tuple[int, int]]:
    """Spans of datelines: "KHARKIV, Ukraine (AP) —", "BOGOTÁ —", "OUAGADOUGOU, Aug 14 —"."""
    return [m.span() for m in pack.roles.dateline.finditer(text)]


def assign_roles(doc: Document, mentions: list[Mention], sentences: list[tuple[int, int]],
                 sentence_words: list[list[EventWord]], pack: LanguagePack) -> None:
    """Set ``role`` on every mention (in place)."""
    text = doc.text
    datelines = _datelines(text, pack) if mentions else []
    for m in mentions:
        if not m.rejected and any(a <= m.start < b for a, b in datelines):
            m.role = "context"  # where the reporter filed from
            m.hints["dateline"] = True
            continue
        if m.rejected:
            m.role = "not-a-place"
            continue
        if m.hints.get("demonym"):
            m.role = "context"  # "Russian forces": the country's people, never the scene
            continue
        if m.zone in ("bio", "caption") or m.sentence < 0:
            m.role = "context"
            continue
        if m.hints.get("is_container"):
            m.role = "context"  # "Kursk Oblast" in "Tyotkino, Kursk Oblast" is the address
            continue
        a, b = sentences[m.sentence]
        words = [e for e in sentence_words[m.sentence] if e.category != "statement"]
        m.role = "incident" if _is_incident(text, m, words, a, b, pack) else "context"
    _list_roles(text, mentions, pack)
    # "regions of Russia", "two towns in northwestern Syria ... Sarmin": a country with a finer
    # incident place of its own in the same sentence is only the container
    finer = {(m.sentence, m.place.country_code) for m in mentions if m.role == "incident" and
             m.place is not None and m.place.kind not in _WIDE}
    for m in mentions:
        if m.role == "incident" and m.place.kind in _WIDE and \
                (m.sentence, m.place.country_code) in finer:
            m.role = "context"
    _feature_roles(text, mentions, pack)


def _feature_roles(text: str, mentions: list[Mention], pack: LanguagePack) -> None:
    """A river, lake or sea is the scene only by itself ("a tanker hit in the Gulf of Aden"):
    "the Seym river near Tyotkino" makes the village the scene, "the Black Sea coast" names a
    coast, not the sea. ("In Odesa and on the Danube": both are scenes.)
    """
    w = pack.toponyms
    for i, m in enumerate(mentions):
        if m.role != "incident" or m.place is None or m.place.kind != "feature":
            continue
        if w.feature_modifier.match(text, m.end) or \
                w.feature_reference.search(text, max(0, m.start - 30), m.start):
            m.role = "context"
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(mentions):
                continue
            o = mentions[j]
            if o.sentence != m.sentence or o.role != "incident" or o.place is None or \
                    o.place.kind in (*_WIDE, "feature"):
                continue
            a, b = (m.end, o.start) if j > i else (o.end, m.start)
            if w.feature_locator.fullmatch(text, a, b):
                m.role = "context"  # the place locates the river: it is the scene
                break


def _list_roles(text: str, mentions: list[Mention], pack: LanguagePack) -> None:
    """Names in one list share their role: "strikes near Muzaffarabad and Bahawalpur"."""
    title_after = pack.roles.title_after
    live = [m for m in mentions if m.role in ("incident", "context") and
            not m.hints.get("dateline") and not m.hints.get("is_container")]
    for x, y in zip(live, live[1:], strict=False):
        if x.sentence != y.sentence or x.role == y.role:
            continue
        gap = text[x.end:y.start]
        if not pack.roles.list_gap.fullmatch(gap):
            continue
        if x.role == "incident" and not title_after.match(text[y.end:y.end + 30]):
            y.role = "incident"
        elif y.role == "incident" and x.place is not None and \
                x.place.kind == y.place.kind and not title_after.match(text[x.end:x.end + 30]):
            x.role = "incident"


def _is_incident(text: str, m: Mention, words: list[EventWord], a: int, b: int,
                 pack: LanguagePack) -> bool:
    """Something happened at ``m``: an event word near it, and it is not an origin, a speaker,
    a possessor or a modifier.
    """
    if not words or m.hints.get("compound"):
        return False
    r = pack.roles
    weights = pack.weights.roles
    near_chars = weights["near_chars"]
    before = text[max(a, m.start - 60):m.start]
    after = text[m.end:min(b, m.end + 40)]
    if r.speaker_after.match(after) or r.possessive_noun.match(after) or r.title_after.match(after):
        return False
    if context_before(before, pack):
        return False
    if r.possessive_s.match(after) and m.place is not None and m.place.kind in _WIDE:
        return False
    # "In Zugdidi, ...": a place opening its sentence sets the scene for the whole of it
    opener = r.opener.fullmatch(text, a, m.start)
    # an event word within the same stretch of text (12 words either side)
    near = [e for e in words
            if 0 <= m.start - e.end <= near_chars or 0 <= e.start - m.end <= near_chars]
    if opener and words:
        return True
    if not near:
        return False
    if m.place is not None and m.place.kind in _WIDE and r.country_container.search(before):
        return False  # "the border regions of Russia": the country only contains the place
    strong = [e for e in near if e.weight >= weights["strong_event"]]
    if not strong:
        return bool(r.event_prep.search(before)) and \
            any(e.weight >= weights["weak_event"] for e in near)
    if m.place is not None and m.place.kind in _WIDE:
        # a country is the place only when it is the target ("strikes on Syria", "into Russia")
        return bool(r.target_before.search(before))
    return True


def context_before(before: str, pack: LanguagePack) -> bool:
    """``context_before.search(before)``, tried only where a match can start: re tries every
    branch at every character, and most names follow none of these words.
    """
    r = pack.roles
    lower = lower_for_keywords(before)
    if lower is None:
        return r.context_before.search(before) is not None
    if r.context_designator.search(lower):
        # "the Idlib province of": the match starts at a name before the designator
        return r.context_before.search(before) is not None
    # every other branch starts at one of its first words: try the pattern there only
    return any(r.context_before.match(before, m.start())
               for m in r.context_first.finditer(lower))


