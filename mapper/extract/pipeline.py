"""Article text to draft incidents: places with offsets, roles, dates, claims and sources.

The pipeline, one module per step:

1. ``extract_text``: the text as read, its metadata, and the zones that are not news
   (site furniture, appeals, author bio, captions);
2. ``extract_toponyms``: gazetteer names found with an Aho-Corasick automaton, look-alikes
   rejected by context (outlet and person names, common words);
3. ``extract_resolve``: each name resolved from the article's context;
4. ``extract_events``: sentences, event words, dates, claims, figures, verification;
5. here: roles per mention (``incident``, ``context``, ``not-a-place``) and draft incidents in
   the model of ``mapper.incidents.model``, each with a confidence and its evidence sentence.

Library first: ``extract_article(text, ...)`` for one text, ``extract_files(paths, ...)`` for
files; the CLI in ``mapper/commands/extract.py`` is a thin layer over them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.extract import events as ev
from mapper.extract.resolve import resolve
from mapper.extract.text import Document, document_from_text, load_sidecar, read_document
from mapper.extract.toponyms import Mention, NameIndex, lowercase_norms, recognise, tokenize
from mapper.incidents.model import (
    CATEGORIES,
    Claim,
    Incident,
    Location,
    Source,
    Verification,
    stable_id,
)

ROLES: tuple[str, ...] = ("incident", "context", "not-a-place")
_GEO_PRECISION = {"settlement": "settlement", "admin1": "admin1", "admin2": "admin2",
                  "country": "country", "zone": "zone"}
# Order in which one category stands for several at the same place (the larger act first).
_CATEGORY_RANK = ["raid", "air-strike", "drone-strike", "shelling", "clash", "capture",
                  "destruction", "explosion", "sabotage", "evacuation", "casualties", "other",
                  "statement"]
_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:born|based|raised|grew up|lives|lived|living|studied|graduat\w+|educated|"
    r"headquartered|registered|located|stationed|resident|native|originally|hails?|"
    r"moved|relocated|travel(?:l)?ed|flew|returned|visit(?:ed|ing)?|citizens?|nationals?|"
    r"compared (?:to|with)|like|unlike|as in)\b[^.;]{0,40}?\b(?:in|from|of|to)?\s*|"
    r"\bfrom\s+|\b(?:embassy|consulate|ambassador|envoy|president|prime minister|"
    r"minister|government|leaders?|officials?|forces|troops|army|military)\s+(?:of|in|to)\s+|"
    r"\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of\s+|"
    r"\b(?:kilomet(?:er|re)s?|km|miles?)\s+(?:\([^)]*\)\s+)?(?:from|of|outside)\s+(?:the\s+)?|"
    r"\b(?:blamed|accused|urged|called on|thanked|warned|criticised|criticized|condemned)\s+|"
    r"\b(?:evacuated|fled|flee|fleeing|flights?|moved|taken|sent|bussed|relocated|transferred|"
    r"airlifted|headed|heading)"
    r"\s+(?:\w+\s+){0,3}?(?:to|towards?)\s+(?:a\s+\w+\s+in\s+)?|"
    r"\bborder with\s+|\bcapital(?: city)? of\s+|"

    r"\b(?:governor|mayor|head|chief|president|prime minister|minister|ruler)s?\s+of\s+(?:the\s+)?|"
    r"\b(?!(?:The|A|This|That|Its|Their)\s)(?-i:[A-Z])[\w'’-]+\s+(?:district|province|region|"
    r"county|valley|camp|"
    r"neighbou?rhood)\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?)$",
    re.I)
# Where a _CONTEXT_BEFORE match can start: at one of its first words (in lower case, found
# where they overlap too; "unlike" and "prime minister" start before "like" and "minister");
# its last branch starts at the capitalised name before "district of", "province of" etc.
_CONTEXT_FIRST = re.compile("(?=" + ev.trie_pattern("""born based raised liv studied graduat
educated headquartered registered located stationed resident native originally hail moved
relocated travel flew returned visit citizen national compared like unlike from embassy consulate
ambassador envoy president minister government leader official forces troops army military north
south east west kilomet km mile blamed accused urged thanked warned critici condemned evacuated
fle flight taken sent bussed transferred airlifted head capital governor mayor chief
ruler""".split() + ["grew up", "as in", "called on", "border with", "prime minister"]) + ")")
_CONTEXT_DESIGNATOR = re.compile(r"(?:district|province|region|county|valley|camp|"
                                 r"neighbou?rhood)\s+of\s")
_OPENER = re.compile(r"\s*(?:In|At|Near|Outside|Across|Inside)\s+(?:the\s+)?(?:(?:city|town|village|"
                     r"district|region|province|county|state) of\s+)?")
_COUNTRY_CONTAINER = re.compile(
    r"\b(?:regions?|areas?|parts?|provinces?|oblasts?|villages?|towns?|settlements?|territory|"
    r"territories|districts?|cities|countryside|states?) of\s+(?:the\s+)?$", re.I)
_TITLE_AFTER = re.compile(r"^(?:['’]s)?\s+(?:Oblast\s+|Region\s+|region\s+|oblast\s+)?(?:governor|mayor|"
                          r"(?:city|town|village) of|"
                          r"officials?|authorities|administration|police chief|council|"
                          r"prosecutor|ombudsman|spokes\w+)\b", re.I)
_DATELINE = re.compile(r"^[ \t]*(?:[A-ZÀ-ÝА-Я][A-ZÀ-ÝА-Я'’.\- ]+)(?:,\s*[^—–\n(]{1,40}?)?\s*"
                       r"(?:\([A-Za-z. ]{1,20}\)\s*)?[—–]|^[ \t]*(?:[A-ZÀ-ÝА-Я][A-ZÀ-ÝА-Я'’.\- ]+)"
                       r"(?:,\s*[^\n(]{1,40}?)?\s*\([A-Za-z. ]{1,20}\)\s*-", re.M)
_SPEAKER_AFTER = re.compile(r"^(?:['’]s)?\s+(?:has |had |have |also |later |on \w+ )*"
                            r"(?:" + ev._SAY + r"|described|called|considers|wants|demanded|"
                            r"vowed|threatened|responded|retaliated)\b", re.I)
_POSSESSIVE_NOUN = re.compile(
    r"^['’]s\s+(?:\w+\s+){0,2}?(?:government|military|army|forces|troops|defen[cs]e|ministry|"
    r"president|leadership|response|orders?|officials?|authorities|position|side|allies|"
    r"security|intelligence|general staff|foreign|envoy|ambassador|spokes\w+|borders?|"
    r"frontier|economy|war|claims?|team|people|population|capital|largest|second|first|"
    r"history|culture|behalf)\b", re.I)
_EVENT_PREP = re.compile(r"\b(?:in|into|near|at|on|outside|around|across|over|of|inside|"
                         r"toward|towards|targeting|hit|struck|shelled|attacked|captured|"
                         r"seized|liberated|entered|stormed|raided)\s+(?:the\s+)?"
                         r"(?:\w+\s+){0,4}$", re.I)
_ANAPHOR = re.compile(r"\bthe\s+(?P<n>two|three|four|both)\s+(?:\w+\s+){0,2}?"
                      r"(?P<what>regions|oblasts|provinces|states|districts|areas|cities|towns|"
                      r"villages|countries)\b|\bboth\s+(?P<what2>regions|oblasts|provinces|"
                      r"states|districts|cities|towns|villages|countries)\b", re.I)


def _may_refer_back(sentence: str) -> bool:
    """Cheap test before _ANAPHOR: one of these words is in every match (and their letters
    match no other character under re.I).
    """
    lower = sentence.lower()
    return "two" in lower or "three" in lower or "four" in lower or "both" in lower


def _ws(text: str) -> str:
    """Runs of whitespace as one space, none at the ends: ``re.sub(r"\\s+", " ", text).strip()``
    three times faster (str.split() and re know the same whitespace characters).
    """
    return " ".join(text.split())


@dataclass
class ExtractionResult:
    """What one article gave: its document, every mention (with role) and the draft incidents."""

    document: Document
    mentions: list[Mention]
    incidents: list[Incident]
    sentences: list[tuple[int, int]] = field(default_factory=list)

    @property
    def source(self) -> dict[str, Any]:
        meta = self.document.meta
        out = {k: meta.get(k) for k in ("outlet", "title", "url", "author")}
        out["published"] = meta["published"].isoformat() if meta.get("published") else None
        return out

    def mention_records(self) -> list[dict[str, Any]]:
        """Mentions as JSON records (offsets into the document text as read)."""
        out = []
        for m in self.mentions:
            p = m.place if m.role != "not-a-place" else None
            out.append({
                "start": m.start, "end": m.end, "text": m.text,
                "name": p.name if p else None, "kind": p.kind if p else None,
                "lat": round(p.lat, 5) if p else None, "lon": round(p.lon, 5) if p else None,
                "geonameid": getattr(p, "geonameid", None) if p else None,
                "country_code": p.country_code if p else None,
                "role": m.role, "score": m.score if p else 0.0,
            })
        return out

    def to_record(self) -> dict[str, Any]:
        """The ``--format jsonl`` record of this document."""
        record: dict[str, Any] = {
            "document": self.document.name,
            "source": self.source,
            "mentions": self.mention_records(),
            "incidents": [_incident_record(i) for i in self.incidents],
        }
        if self.document.fmt == "html":
            record["text"] = self.document.text
        return record


def _incident_record(inc: Incident) -> dict[str, Any]:
    src = inc.sources[0] if inc.sources else Source()
    return {
        "date": inc.date.isoformat() if inc.date else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision,
        "place": inc.place.name,
        "lat": inc.place.lat, "lon": inc.place.lon,
        "category": inc.category,
        "claimed_by": inc.claimed_by,
        "summary": inc.summary,
        "quote": src.quote,
        "confidence": inc.confidence,
    }


# -- public API --------------------------------------------------------------------------------
def extract_article(text: str, *, source: dict[str, Any] | None = None,
                    published: dt.date | str | None = None, gazetteer: Any = None,
                    name: str = "<text>", fmt: str = "txt") -> ExtractionResult:
    """Extract mentions and draft incidents from one article's text.

    ``source`` holds outlet, title, url, author, published; ``published`` (a date or ISO text)
    wins over it. Without a gazetteer only dates, claims and events are read (no places).
    """
    meta = dict(source or {})
    if published is not None:
        meta["published"] = published
    doc = document_from_text(text, name=name, fmt=fmt, meta=meta)
    return extract_document(doc, gazetteer=gazetteer)


def extract_document(doc: Document, *, gazetteer: Any = None) -> ExtractionResult:
    """Run the pipeline on a Document already read."""
    text = doc.text
    sentences = [s for s in ev.split_sentences(text) if doc.zone_at(s[0]) != "skip"]
    mentions: list[Mention] = []
    if gazetteer is not None:
        index = NameIndex.for_gazetteer(gazetteer)
        tokens = tokenize(text)
        lower = lowercase_norms(text, tokens)
        mentions = recognise(text, index, tokens=tokens, zone_at=doc.zone_at, lowercase_words=lower)
        resolve(mentions, gazetteer, text)
        mentions = [m for m in mentions if not m.rejected or _show_rejected(m)]
    starts = [s[0] for s in sentences]
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        m.sentence = i if i >= 0 and m.start < sentences[i][1] else -1
    # event words found once over the whole text, then handed out per sentence
    words: list[list[ev.EventWord]] = [[] for _ in sentences]
    for w in ev.find_event_words(text):
        i = bisect.bisect_right(starts, w.start) - 1
        if i >= 0 and w.end <= sentences[i][1]:
            words[i].append(w)
    _assign_roles(doc, mentions, sentences, words)
    incidents = _draft_incidents(doc, mentions, sentences, words)
    return ExtractionResult(doc, mentions, incidents, sentences)


def _show_rejected(m: Mention) -> bool:
    """Rejected look-alikes worth showing: real, well-known places used inside another name
    ("The Kyiv Independent", "Moscow-born"), not person-name or common-word coincidences.
    """
    if not m.candidates or m.rejected == "no gazetteer entry":
        return False
    if m.rejected.startswith(("part of the name", "inside the name", "part of the adjective")):
        top = m.candidates[0]
        p = top.place
        if "without its type" in (getattr(top, "reason", "") or ""):
            return False  # "Volunteer" (Corps) is no reference to Tennessee, the Volunteer State
        return p.kind in ("country", "admin1") or (p.population or 0) >= 100_000
    return False


def extract_files(paths: Iterable[str | Path], *, gazetteer: Any = None, meta_file: str | Path |
                  None = None, published: dt.date | str | None = None,
                  overrides: dict[str, Any] | None = None, stdin_text: str | None = None
                  ) -> Iterator[ExtractionResult]:
    """Extract every article in ``paths`` (``"-"`` is stdin), in order.

    Metadata per article, later wins: what the file says (front matter, HTML meta tags), the
    sidecar (``meta_file``, else a ``sources.yaml`` beside the article, keyed by file name),
    then ``overrides`` and ``published``.
    """
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    explicit = load_sidecar(meta_file) if meta_file else None
    for path in paths:
        yield extract_path(path, gazetteer=gazetteer, explicit=explicit, sidecars=sidecars,
                           published=published, overrides=overrides, stdin_text=stdin_text)


def extract_path(path: str | Path, *, gazetteer: Any = None,
                 explicit: dict[str, dict[str, Any]] | None = None,
                 sidecars: dict[Path, dict[str, dict[str, Any]]] | None = None,
                 published: dt.date | str | None = None, overrides: dict[str, Any] | None = None,
                 stdin_text: str | None = None) -> ExtractionResult:
    """One article file with its metadata resolved (see ``extract_files``)."""
    meta: dict[str, Any] = {}
    if str(path) != "-":
        p = Path(path)
        table = explicit
        if table is None:
            folder = p.resolve().parent
            if sidecars is None:
                sidecars = {}
            if folder not in sidecars:
                side = folder / "sources.yaml"
                sidecars[folder] = load_sidecar(side) if side.exists() else {}
            table = sidecars[folder]
        meta.update(table.get(p.name) or table.get(str(path)) or {})
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    if published is not None:
        meta["published"] = published
    doc = read_document(path, meta=meta, stdin_text=stdin_text)
    return extract_document(doc, gazetteer=gazetteer)


# -- roles -------------------------------------------------------------------------------------
def _datelines(text: str) -> list[tuple[int, int]]:
    """Spans of datelines: "KHARKIV, Ukraine (AP) —", "BOGOTÁ —", "OUAGADOUGOU, Aug 14 —"."""
    return [m.span() for m in _DATELINE.finditer(text)]


def _assign_roles(doc: Document, mentions: list[Mention], sentences: list[tuple[int, int]],
                  sentence_words: list[list[ev.EventWord]]) -> None:
    text = doc.text
    datelines = _datelines(text) if mentions else []
    for m in mentions:
        if not m.rejected and any(a <= m.start < b for a, b in datelines):
            m.role = "context"  # where the reporter filed from
            m.hints["dateline"] = True
            continue
        if m.rejected:
            m.role = "not-a-place"
            continue
        if m.zone in ("bio", "caption") or m.sentence < 0:
            m.role = "context"
            continue
        if m.hints.get("is_container"):
            m.role = "context"  # "Kursk Oblast" in "Tyotkino, Kursk Oblast" is the address
            continue
        a, b = sentences[m.sentence]
        words = [e for e in sentence_words[m.sentence] if e.category != "statement"]
        m.role = "incident" if _is_incident(text, m, words, a, b) else "context"
    _list_roles(text, mentions)
    # "regions of Russia", "two towns in northwestern Syria ... Sarmin": a country with a finer
    # incident place of its own in the same sentence is only the container
    finer = {(m.sentence, m.place.country_code) for m in mentions if m.role == "incident" and
             m.place is not None and m.place.kind != "country"}
    for m in mentions:
        if m.role == "incident" and m.place.kind == "country" and \
                (m.sentence, m.place.country_code) in finer:
            m.role = "context"


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")


def _list_roles(text: str, mentions: list[Mention]) -> None:
    """Names in one list share their role: "strikes near Muzaffarabad and Bahawalpur"."""
    live = [m for m in mentions if m.role in ("incident", "context") and
            not m.hints.get("dateline") and not m.hints.get("is_container")]
    for x, y in zip(live, live[1:]):
        if x.sentence != y.sentence or x.role == y.role:
            continue
        gap = text[x.end:y.start]
        if not _LIST_GAP.fullmatch(gap):
            continue
        if x.role == "incident" and not _TITLE_AFTER.match(text[y.end:y.end + 30]):
            y.role = "incident"
        elif y.role == "incident" and x.place is not None and \
                x.place.kind == y.place.kind and not _TITLE_AFTER.match(text[x.end:x.end + 30]):
            x.role = "incident"


def _is_incident(text: str, m: Mention, words: list[ev.EventWord], a: int, b: int) -> bool:
    """Something happened at ``m``: an event word near it, and it is not an origin, a speaker,
    a possessor or a modifier.
    """
    if not words or m.hints.get("compound"):
        return False
    before = text[max(a, m.start - 60):m.start]
    after = text[m.end:min(b, m.end + 40)]
    if _SPEAKER_AFTER.match(after) or _POSSESSIVE_NOUN.match(after) or _TITLE_AFTER.match(after):
        return False
    if _context_before(before):
        return False
    if _POSSESSIVE_S.match(after) and m.place is not None and m.place.kind == "country":
        return False
    # "In Zugdidi, ...": a place opening its sentence sets the scene for the whole of it
    opener = _OPENER.fullmatch(text, a, m.start)
    # an event word within the same stretch of text (12 words either side)
    near = [e for e in words if (0 <= m.start - e.end <= 90) or (0 <= e.start - m.end <= 90)]
    if opener and words:
        return True
    if not near:
        return False
    if m.place is not None and m.place.kind == "country" and _COUNTRY_CONTAINER.search(before):
        return False  # "the border regions of Russia": the country only contains the place
    strong = [e for e in near if e.weight >= 0.6]
    if not strong:
        return bool(_EVENT_PREP.search(before)) and any(e.weight >= 0.4 for e in near)
    if m.place is not None and m.place.kind == "country":
        # a country is the place only when it is the target ("strikes on Syria", "into Russia")
        return bool(_TARGET_BEFORE.search(before))
    return True


_POSSESSIVE_S = re.compile(r"['’]s\b")
_TARGET_BEFORE = re.compile(r"\b(?:in|into|on|across|inside|over|against|throughout|of)\s+"
                            r"(?:the\s+)?(?:\w+\s+){0,2}$")


def _context_before(before: str) -> bool:
    """``_CONTEXT_BEFORE.search(before)``, tried only where a match can start: re tries every
    branch at every character, and most names follow none of these words.
    """
    lower = ev.lower_for_keywords(before)
    if lower is None:
        return _CONTEXT_BEFORE.search(before) is not None
    if _CONTEXT_DESIGNATOR.search(lower):
        # "the Idlib province of": the match starts at a name before the designator
        return _CONTEXT_BEFORE.search(before) is not None
    # every other branch starts at one of its first words: try the pattern there only
    return any(_CONTEXT_BEFORE.match(before, m.start()) for m in _CONTEXT_FIRST.finditer(lower))


# -- incidents ---------------------------------------------------------------------------------
@dataclass
class _Draft:
    mention: Mention
    category: str
    scores: dict[str, float]
    dates: list[ev.DateExpr]
    bounds: list[ev.DateExpr]  # statement dates: the event happened on or before
    inherited: list[ev.DateExpr]  # the story's date so far, for sentences without their own
    evidence: list[str]
    claims: list[Claim]
    first_sentence: int
    confidence: float


def _draft_incidents(doc: Document, mentions: list[Mention], sentences: list[tuple[int, int]],
                     sentence_words: list[list[ev.EventWord]]) -> list[Incident]:
    text = doc.text
    published = doc.published
    url = doc.meta.get("url")
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.role == "incident":
            by_sentence.setdefault(m.sentence, []).append(m)
    drafts: dict[str, _Draft] = {}
    order: list[str] = []
    current: list[_Draft] = []
    last_named: str | None = None
    last_list: list[Mention] = []
    verification: list[ev.VerificationNote] = []
    story_dates: list[ev.DateExpr] = []
    in_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.role != "not-a-place" and m.place is not None and \
                m.place.kind in ("admin1", "admin2", "settlement"):
            in_sentence.setdefault(m.sentence, []).append(m)
    # speakers found once over the whole text (pronouns need the last one named anywhere)
    starts = [a for a, _b in sentences]
    said_in: dict[int, list[ev.Attribution]] = {}
    for att in ev.find_attributions(text, 0, starts):
        i = bisect.bisect_right(starts, att.start) - 1
        if i >= 0:
            said_in.setdefault(i, []).append(att)
    for si, (a, b) in enumerate(sentences):
        zone = doc.zone_at(a)
        sentence = text[a:b]
        note = ev.find_verification(sentence) if zone is None else None
        if note:
            verification.append(note)
        if zone in ("bio", "caption"):
            continue
        words = sentence_words[si]
        places = list(by_sentence.get(si, []))
        # "the two border regions" refers back to the last list of that many areas
        anaphor = _ANAPHOR.search(sentence) if _may_refer_back(sentence) else None
        anaphor_at: dict[int, tuple[int, int]] = {}
        if anaphor and last_list and words:
            n = {"two": 2, "three": 3, "four": 4, "both": 2}.get(
                (anaphor.group("n") or "both").lower(), 2)
            if len(last_list) >= n:
                for ref in last_list[-n:]:
                    if all(p.place.id != ref.place.id for p in places):
                        places.append(ref)
                        anaphor_at[id(ref)] = (a + anaphor.start(), a + anaphor.end())
        same_kind = in_sentence.get(si, [])
        if len(same_kind) >= 2:
            last_list = same_kind
        strong = [e for e in words if e.category != "statement"]
        if not strong or not (places or current):
            continue  # no event here, or nothing to draft or attach it to
        attributions = said_in.get(si, [])
        main = ev.best_attribution(attributions, last_named)
        if main is not None and main.by.lower() not in ev._PRONOUNS:
            last_named = main.by
        dates = ev.find_dates(sentence, published, a)  # only where an event is drafted
        event_dates, bounds = _split_dates(sentence, a, dates, attributions)
        if event_dates:
            story_dates = event_dates
        claims = _claims(sentence, a, attributions, last_named, url)
        if places:
            new_current = []
            for m in places:
                category, scores = _category(m, strong, anaphor_at.get(id(m)))
                d = _merge(drafts, order, m, category, scores, event_dates, bounds, sentence,
                           claims, si)
                if not event_dates and story_dates and not d.inherited:
                    d.inherited = list(story_dates)
                new_current.append(d)
            current = new_current
        elif current and (claims or strong):
            # "Russian authorities said one man was killed": figures for the event just told
            has_figures = any(c.figures for c in claims)
            if has_figures or any(e.category in ("casualties", "capture") for e in strong):
                for d in current:
                    for c in claims:
                        if c not in d.claims:
                            d.claims.append(c)
                    if sentence not in d.evidence:
                        d.evidence.append(sentence)
    return _finish(doc, [drafts[k] for k in order], verification)


_SAID_BEFORE = re.compile(r"\b(?:" + ev._SAY + r")\b(?:\s+\w+){0,6}\s*$", re.I)
_SAID_AFTER = re.compile(r"\s*(?:,\s*)?(?:" + ev._SAY + r")\b", re.I)


_EVENT_BEFORE_DATE = re.compile(r"\b(?:that|killed|attack|strike|shell|raid|captur|destroy)", re.I)


def _split_dates(sentence: str, offset: int, dates: list[ev.DateExpr],
                 attributions: list[ev.Attribution]) -> tuple[list[ev.DateExpr], list[ev.DateExpr]]:
    """Dates of the event vs dates of the statement about it ("said on March 16")."""
    events, bounds = [], []
    for d in dates:
        rel_start = d.start - offset
        before = sentence[max(0, rel_start - 45):rel_start]
        after = sentence[d.end - offset:d.end - offset + 25]
        said_before = _SAID_BEFORE.search(before)
        said_after = _SAID_AFTER.match(after)
        if (said_before or said_after) and not _EVENT_BEFORE_DATE.search(before[-30:]):
            bounds.append(d)
        else:
            events.append(d)
    return events, bounds


def _claims(sentence: str, offset: int, attributions: list[ev.Attribution],
            last_named: str | None, url: str | None) -> list[Claim]:
    """Clause-level claims: each clause with its speaker, stance and figures."""
    out: list[Claim] = []
    if not attributions:
        return out  # nobody is quoted: the outlet itself reports it
    quote = ""  # the whole sentence, made once it is needed
    for ca, cb in ev.split_clauses(sentence):
        clause = sentence[ca:cb]
        atts = [x for x in attributions if offset + ca <= x.start < offset + cb]
        who = ev.best_attribution(atts, last_named)
        if who is None:
            continue
        figures = ev.find_figures(clause)
        quote = quote or _ws(sentence)
        claim = Claim(by=who.by, stance=who.stance, figures=figures, quote=quote,
                      statement=_ws(clause).strip(" ,;") or None,
                      source_url=url)
        if all(not (c.by == claim.by and c.stance == claim.stance and c.figures == claim.figures)
               for c in out):
            out.append(claim)
    return out


def _category(m: Mention, words: list[ev.EventWord], span: tuple[int, int] | None = None
              ) -> tuple[str, dict[str, float]]:
    """The category of the event words nearest the place (weighted by how specific they are);
    ``span`` stands for the place when it is referred to ("the two border regions").
    """
    start, end = span or (m.start, m.end)
    scores: dict[str, float] = {}
    for e in words:
        dist = start - e.end if e.end <= start else e.start - end
        near = 1.0 / (1.0 + max(0, dist) / 25.0)
        if e.end <= start:
            near *= 1.15  # "destroyed ... in Tyotkino": the verb usually comes first
        scores[e.category] = max(scores.get(e.category, 0.0), e.weight * near)
    best = max(scores.items(), key=lambda kv: (kv[1], -_CATEGORY_RANK.index(kv[0])
                                                if kv[0] in _CATEGORY_RANK else 0))
    return best[0], scores


def _merge(drafts: dict[str, _Draft], order: list[str], m: Mention, category: str,
           scores: dict[str, float], dates: list[ev.DateExpr], bounds: list[ev.DateExpr],
           sentence: str, claims: list[Claim], si: int) -> _Draft:
    """One draft per place: a later sentence about the same place adds its dates and claims,
    unless its explicit dates lie more than a week away (another event there).
    """
    key = m.place.id
    d = drafts.get(key)
    if d is not None and dates and d.dates:
        lo = min(x.date for x in d.dates)
        hi = max((x.date_end or x.date) for x in d.dates)
        if dates[0].date > hi + dt.timedelta(days=7) or \
                (dates[0].date_end or dates[0].date) < lo - dt.timedelta(days=7):
            key = f"{key}@{dates[0].date.isoformat()}"
            d = drafts.get(key)
    evidence = _ws(sentence)
    if d is None:
        d = _Draft(m, category, dict(scores), list(dates), list(bounds), [], [evidence],
                   list(claims), si, m.score)
        drafts[key] = d
        order.append(key)
        return d
    for cat, s in scores.items():
        d.scores[cat] = max(d.scores.get(cat, 0.0), s)
    d.dates.extend(dates)
    d.bounds.extend(bounds)
    if evidence not in d.evidence:
        d.evidence.append(evidence)
    for c in claims:
        if c not in d.claims:
            d.claims.append(c)
    if m.place.kind == d.mention.place.kind and m.score > d.mention.score:
        d.mention = m
    return d


def _finish(doc: Document, drafts: list[_Draft],
            notes: list[ev.VerificationNote]) -> list[Incident]:
    meta = doc.meta
    published = doc.published
    source_base = dict(outlet=meta.get("outlet"), title=meta.get("title"), url=meta.get("url"),
                       author=meta.get("author"), published=published)
    out: list[Incident] = []
    for d in drafts:
        category = max(d.scores.items(), key=lambda kv: (
            kv[1], -_CATEGORY_RANK.index(kv[0]) if kv[0] in _CATEGORY_RANK else 0))[0]
        date, date_end, precision, explicit = _incident_dates(d, published)
        m = d.mention
        p = m.place
        place = Location(
            name=m.text if m.kind_hint is None or m.text.lower() != m.key else p.name,
            place_id=p.id, kind=p.kind, lat=round(p.lat, 5), lon=round(p.lon, 5),
            geo_precision=_GEO_PRECISION.get(p.kind), country_code=p.country_code,
            admin1=getattr(p, "admin1", None), resolution=f"gazetteer: {m.reason}"[:300])
        claims = d.claims
        stances = {c.stance for c in claims}
        verification = Verification()
        for note in notes:
            if note.status == "unverified":
                verification = Verification("unverified", [note.by] if note.by else [],
                                            note.sentence.strip())
            elif note.status == "confirmed" and verification.status != "unverified":
                verification = Verification("confirmed", [note.by] if note.by else [],
                                            note.sentence.strip())
        if "denies" in stances and "asserts" in stances:
            verification = Verification("disputed", verification.by,
                                        "The parties' accounts contradict each other.")
        actors = list(dict.fromkeys(c.by for c in claims))
        confidence = _confidence(d, explicit, category)
        summary = f"{CATEGORIES.get(category, category)} in {place.name}: {d.evidence[0]}"
        source = Source(quote=d.evidence[0], **source_base)
        inc = Incident(
            id=stable_id(meta.get("url") or doc.name, p.id, category,
                         date.isoformat() if date else ""),
            date=date, date_end=date_end if date_end and date_end != date else None,
            date_precision=precision, place=place, category=category, summary=summary[:600],
            actors=actors, claims=claims, verification=verification, sources=[source],
            tags=["draft"], confidence=confidence, evidence=d.evidence[0],
            status="draft")
        out.append(inc)
    return out


def _incident_dates(d: _Draft, published: dt.date | None
                    ) -> tuple[dt.date | None, dt.date | None, str, bool]:
    """(date, date_end, precision, explicit) from the event dates, else the statement dates,
    else the publication date (the event happened on or before it).
    """
    if d.dates:
        # the earliest dated mention of the event; its own range, not later updates about it
        first = min(d.dates, key=lambda x: (x.date, x.start))
        return first.date, first.date_end, first.precision, True
    if d.bounds:
        hi = max((x.date_end or x.date) for x in d.bounds)
        return hi - dt.timedelta(days=1), hi, "approximate", False
    if d.inherited:
        # no date of its own: the date the story gave last ("early on March 16 ... in Sarmin")
        first = min(d.inherited, key=lambda x: (x.date, x.start))
        return first.date, first.date_end, first.precision, True
    if published:
        return published - dt.timedelta(days=1), published, "approximate", False
    return None, None, "approximate", False


def _confidence(d: _Draft, explicit_date: bool, category: str) -> float:
    strength = max(d.scores.values()) if d.scores else 0.0
    value = 0.45 * d.mention.score + 0.2 * min(1.0, strength) + (0.2 if explicit_date else 0.05)
    value += 0.1 if d.claims else 0.0
    value += 0.05 if category not in ("other", "casualties") else 0.0
    return round(min(1.0, value), 2)
