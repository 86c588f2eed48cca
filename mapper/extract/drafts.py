"""Draft incidents from the incident places of an article: one per place and event.

A draft gathers the sentences about one place (the evidence), their dates (the event's, not
the statement's), the claims made about it with their figures, and a confidence built from
the named weights of the language pack (``Weights.drafts``).
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from mapper.extract import claims as cl
from mapper.extract.dates import DateExpr, SentenceDates
from mapper.extract.events import REFER_BACK, EventWord, text_cues
from mapper.extract.keywords import Spots
from mapper.extract.lang import LanguagePack
from mapper.extract.text import Document
from mapper.extract.toponyms import Mention
from mapper.gazetteer.features import has_point
from mapper.incidents.model import (
    CATEGORIES,
    GEO_PRECISIONS,
    Claim,
    Incident,
    Location,
    Source,
    Verification,
    stable_id,
)


def ws(text: str) -> str:
    """Runs of whitespace as one space, none at the ends (what a regex substitution would
    give, three times faster: str.split() and re know the same whitespace characters).
    """
    return " ".join(text.split())


def _may_refer_back(sentence: str) -> bool:
    """Cheap test before the anaphor pattern: one of these words is in every English match."""
    lower = sentence.lower()
    return any(w in lower for w in REFER_BACK)


@dataclass
class _Cues:
    """The cue words of one text, found once in the whole of it (``keywords``): each answer
    is what the per-sentence test gives.
    """

    text: str
    dates: SentenceDates
    refer_back: Spots | None
    verify: Spots | None
    figures: Spots | None
    say: Spots | None

    @classmethod
    def of(cls, doc: Document, pack: LanguagePack) -> _Cues:
        found = text_cues(doc.text, pack)
        return cls(doc.text, SentenceDates(found, doc.published, pack), found.spots("refer_back"),
                   found.spots("verify"), found.spots("figures"), found.spots("say"))

    def say_at(self) -> list[int] | None:
        """Where the pack's speech words start in the text (None: let claims find them)."""
        return None if self.say is None else self.say.starts_within(0, len(self.text))

    def may_refer_back(self, a: int, b: int) -> bool:
        if self.refer_back is None:
            return _may_refer_back(self.text[a:b])
        return self.refer_back.any_within(a, b)

    def may_verify(self, a: int, b: int) -> bool:
        """False when ``claims.find_verification`` of the sentence is surely None."""
        return self.verify is None or self.verify.any_within(a, b)

    def figure_kinds(self, a: int, b: int) -> set[str] | None:
        """The kinds of figures ``text[a:b]`` holds a hint of (None: let find_figures look)."""
        return None if self.figures is None else self.figures.labels_within(a, b)


@dataclass
class _Draft:
    mention: Mention
    category: str
    scores: dict[str, float]
    dates: list[DateExpr]
    bounds: list[DateExpr]  # statement dates: the event happened on or before
    inherited: list[DateExpr]  # the story's date so far, for sentences without their own
    evidence: list[str]
    claims: list[Claim]
    first_sentence: int
    confidence: float


@dataclass
class _Step:
    """A sentence that drafts or adds to a draft: its places and event words."""

    si: int
    a: int
    b: int
    places: list[Mention]
    anaphor_at: dict[int, tuple[int, int]]  # id(mention) -> the words referring back to it
    strong: list[EventWord]


def draft_incidents(doc: Document, mentions: list[Mention], sentences: list[tuple[int, int]],
                    sentence_words: list[list[EventWord]], pack: LanguagePack) -> list[Incident]:
    """Draft incidents from the mentions whose role is ``incident``."""
    text = doc.text
    url = doc.meta.get("url")
    cues = _Cues.of(doc, pack)
    steps, verification = _steps(doc, mentions, sentences, sentence_words, pack, cues)
    # speakers found once over the whole text (pronouns need the last one named anywhere), in
    # the sentences that draft only: no other sentence reads them
    starts = [a for a, _b in sentences]
    said_in: dict[int, list[cl.Attribution]] = {}
    keep = {step.si for step in steps}
    for att in cl.find_attributions(text, 0, starts, pack, cues.say_at(), keep):
        i = bisect.bisect_right(starts, att.start) - 1
        if i >= 0:
            said_in.setdefault(i, []).append(att)
    drafts: dict[str, _Draft] = {}
    order: list[str] = []
    current: list[_Draft] = []
    last_named: str | None = None
    story_dates: list[DateExpr] = []
    for step in steps:
        si, a, b, places, strong = step.si, step.a, step.b, step.places, step.strong
        sentence = text[a:b]
        attributions = said_in.get(si, [])
        main = cl.best_attribution(attributions, last_named, pack)
        if main is not None and main.by.lower() not in pack.claims.pronouns:
            last_named = main.by
        dates = cues.dates.dates(a, b)  # only where an event is drafted
        event_dates, bounds = _split_dates(sentence, a, dates, pack)
        if event_dates:
            story_dates = event_dates
        claims = _claims(sentence, a, attributions, last_named, url, pack, cues)
        if places:
            new_current = []
            for m in places:
                category, scores = _category(m, strong, pack, step.anaphor_at.get(id(m)))
                d = _merge(drafts, order, m, category, scores, event_dates, bounds, sentence,
                           claims, si, pack)
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
    kept = _without_headline_twins(text, sentences, [drafts[k] for k in order])
    return _finish(doc, kept, verification, pack)


def _steps(doc: Document, mentions: list[Mention], sentences: list[tuple[int, int]],
           sentence_words: list[list[EventWord]], pack: LanguagePack, cues: _Cues
           ) -> tuple[list[_Step], list[cl.VerificationNote]]:
    """The sentences that draft (an event word, and places of their own or a draft to add
    to), and the verification notes of every sentence. Nothing here depends on who says what,
    so the speakers need to be found in these sentences only.
    """
    text = doc.text
    r = pack.roles
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.role == "incident" and has_point(m.place):  # never at a river (a line)
            by_sentence.setdefault(m.sentence, []).append(m)
    in_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.role != "not-a-place" and m.place is not None and \
                m.place.kind in ("admin1", "admin2", "settlement"):
            in_sentence.setdefault(m.sentence, []).append(m)
    steps: list[_Step] = []
    verification: list[cl.VerificationNote] = []
    drafted = False  # a sentence with places has drafted: later ones may add to its drafts
    last_list: list[Mention] = []
    for si, (a, b) in enumerate(sentences):
        zone = doc.zone_at(a)
        sentence = text[a:b]
        note = cl.find_verification(sentence, pack) if zone is None and cues.may_verify(a, b) \
            else None
        if note:
            verification.append(note)
        if zone in ("bio", "caption"):
            continue
        words = sentence_words[si]
        places = list(by_sentence.get(si, []))
        # "the two border regions" refers back to the last list of that many areas
        anaphor = r.anaphor.search(sentence) if cues.may_refer_back(a, b) else None
        anaphor_at: dict[int, tuple[int, int]] = {}
        if anaphor and last_list and words:
            n = r.anaphor_numbers.get((anaphor.group("n") or "both").lower(), 2)
            if len(last_list) >= n:
                for ref in last_list[-n:]:
                    if all(p.place.id != ref.place.id for p in places):
                        places.append(ref)
                        anaphor_at[id(ref)] = (a + anaphor.start(), a + anaphor.end())
        same_kind = in_sentence.get(si, [])
        if len(same_kind) >= 2:
            last_list = same_kind
        strong = [e for e in words if e.category != "statement"]
        if not strong or not (places or drafted):
            continue  # no event here, or nothing to draft or attach it to
        steps.append(_Step(si, a, b, places, anaphor_at, strong))
        drafted = drafted or bool(places)
    return steps, verification


def _without_headline_twins(text: str, sentences: list[tuple[int, int]],
                            drafts: list[_Draft]) -> list[_Draft]:
    """The headline tells the story the body tells: a draft drawn from the headline alone goes
    into the body's draft of the same kind of event at the same or a containing place
    ("... in Belgorod region" over "... in the city of Belgorod").
    """
    if not sentences or len(sentences) < 2:
        return drafts
    a, b = sentences[0]
    if text[a:b].rstrip()[-1:] in ".!?\"”" or "\n" not in text[b:sentences[1][0]]:
        return drafts  # the first line is a sentence of the body, not a headline
    out = []
    body = [d for d in drafts if d.first_sentence > 0]
    for d in drafts:
        twin = None
        if d.first_sentence == 0 and len(d.evidence) == 1:
            twin = next((x for x in body if _same_story(d, x)), None)
        if twin is None:
            out.append(d)
            continue
        for c in d.claims:
            if c not in twin.claims:
                twin.claims.append(c)
    return out


def _same_story(head: _Draft, body: _Draft) -> bool:
    """The body draft is at the headline's place or inside it, with an event of that kind."""
    p, q = head.mention.place, body.mention.place
    if not (set(head.scores) & set(body.scores)):
        return False
    if p.id == q.id:
        return True
    if p.country_code != q.country_code:
        return False
    if p.kind == "country":
        return True
    return p.kind == "admin1" and bool(p.admin1_code) and p.admin1_code == q.admin1_code


def _split_dates(sentence: str, offset: int, dates: list[DateExpr],
                 pack: LanguagePack) -> tuple[list[DateExpr], list[DateExpr]]:
    """Dates of the event vs dates of the statement about it ("said on March 16")."""
    r = pack.roles
    events, bounds = [], []
    for d in dates:
        rel_start = d.start - offset
        before = sentence[max(0, rel_start - 45):rel_start]
        after = sentence[d.end - offset:d.end - offset + 25]
        said_before = r.said_before.search(before)
        said_after = r.said_after.match(after)
        if (said_before or said_after) and not r.event_before_date.search(before[-30:]):
            bounds.append(d)
        else:
            events.append(d)
    return events, bounds


def _claims(sentence: str, offset: int, attributions: list[cl.Attribution],
            last_named: str | None, url: str | None, pack: LanguagePack,
            cues: _Cues | None = None) -> list[Claim]:
    """Clause-level claims: each clause with its speaker, stance and figures."""
    out: list[Claim] = []
    if not attributions:
        return out  # nobody is quoted: the outlet itself reports it
    quote = ""  # the whole sentence, made once it is needed
    for ca, cb in cl.split_clauses(sentence, pack):
        clause = sentence[ca:cb]
        atts = [x for x in attributions if offset + ca <= x.start < offset + cb]
        who = cl.best_attribution(atts, last_named, pack)
        if who is None:
            continue
        kinds = cues.figure_kinds(offset + ca, offset + cb) if cues is not None else None
        figures = cl.find_figures(clause, pack, kinds)
        quote = quote or ws(sentence)
        claim = Claim(by=who.by, stance=who.stance, figures=figures, quote=quote,
                      statement=ws(clause).strip(" ,;") or None,
                      source_url=url)
        if all(not (c.by == claim.by and c.stance == claim.stance and c.figures == claim.figures)
               for c in out):
            out.append(claim)
    return out


def _category(m: Mention, words: list[EventWord], pack: LanguagePack,
              span: tuple[int, int] | None = None) -> tuple[str, dict[str, float]]:
    """The category of the event words nearest the place (weighted by how specific they are);
    ``span`` stands for the place when it is referred to ("the two border regions").
    """
    start, end = span or (m.start, m.end)
    weights = pack.weights.drafts
    scores: dict[str, float] = {}
    for e in words:
        dist = start - e.end if e.end <= start else e.start - end
        near = 1.0 / (1.0 + max(0, dist) / weights["distance_chars"])
        if e.end <= start:
            near *= weights["verb_first"]  # "destroyed ... in Tyotkino": the verb comes first
        scores[e.category] = max(scores.get(e.category, 0.0), e.weight * near)
    return _best_category(scores, pack), scores


def _best_category(scores: dict[str, float], pack: LanguagePack) -> str:
    """The highest score; on a tie the category ranked first (the larger act)."""
    rank = pack.events.category_rank
    return max(scores.items(), key=lambda kv: (kv[1], -rank.index(kv[0])
                                               if kv[0] in rank else 0))[0]


def _merge(drafts: dict[str, _Draft], order: list[str], m: Mention, category: str,
           scores: dict[str, float], dates: list[DateExpr], bounds: list[DateExpr],
           sentence: str, claims: list[Claim], si: int, pack: LanguagePack) -> _Draft:
    """One draft per place: a later sentence about the same place adds its dates and claims,
    unless its explicit dates lie more than a week away (another event there).
    """
    key = m.place.id
    week = dt.timedelta(days=pack.weights.drafts["week_days"])
    d = drafts.get(key)
    if d is not None and dates and d.dates:
        lo = min(x.date for x in d.dates)
        hi = max((x.date_end or x.date) for x in d.dates)
        if dates[0].date > hi + week or (dates[0].date_end or dates[0].date) < lo - week:
            key = f"{key}@{dates[0].date.isoformat()}"
            d = drafts.get(key)
    evidence = ws(sentence)
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


def _finish(doc: Document, drafts: list[_Draft], notes: list[cl.VerificationNote],
            pack: LanguagePack) -> list[Incident]:
    meta = doc.meta
    published = doc.published
    source_base: dict[str, Any] = dict(
        outlet=meta.get("outlet"), title=meta.get("title"), url=meta.get("url"),
        author=meta.get("author"), published=published)
    out: list[Incident] = []
    for d in drafts:
        category = _best_category(d.scores, pack)
        date, date_end, precision, explicit = _incident_dates(d, published)
        m = d.mention
        p = m.place
        place = Location(
            name=m.text if m.hints.get("in_area") or m.kind_hint is None or
            m.text.lower() != m.key else p.name,
            place_id=p.id, kind=p.kind, lat=round(p.lat, 5), lon=round(p.lon, 5),
            geo_precision=p.kind if p.kind in GEO_PRECISIONS else None, country_code=p.country_code,
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
        confidence = _confidence(d, explicit and precision in ("day", "month"), category, pack)
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


def _confidence(d: _Draft, explicit_date: bool, category: str, pack: LanguagePack) -> float:
    w = pack.weights.drafts
    strength = max(d.scores.values()) if d.scores else 0.0
    value = w["place"] * d.mention.score + w["event"] * min(1.0, strength) + \
        (w["explicit_date"] if explicit_date else w["implied_date"])
    value += w["claims"] if d.claims else 0.0
    value += w["specific_category"] if category not in ("other", "casualties") else 0.0
    # a whole country or region is seldom where an event is pinned: the draft is vaguer
    kind = d.mention.place.kind
    value += w["country_place"] if kind == "country" else w["area_place"] \
        if kind == "admin1" else 0.0
    return round(max(0.0, min(1.0, value)), 2)
