"""Who says what: attributions, figures, clauses and verification notes in sentences.

"X said", "according to X", '"...", X said' give the speaker; "killing two civilians and
wounding five" the figures; "could not verify" the status. The words are the language
pack's (``ClaimWords``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mapper.extract.events import parse_number
from mapper.extract.lang import ClaimWords, LanguagePack, pack_for
from mapper.extract.scan import finditer_at, keyword_positions, lower_for_keywords, matches_at


def _words(pack: LanguagePack | None) -> ClaimWords:
    return (pack or pack_for(None)).claims


@dataclass
class Attribution:
    """A speaker in the text: who, asserting or denying, the verb and the span."""

    by: str
    stance: str
    verb: str
    start: int
    end: int


_SPACES = re.compile(r"\s+")


def clean_np(np: str, pack: LanguagePack | None = None) -> str:
    """A speaker's noun phrase without openers, clause heads, articles and punctuation."""
    w = _words(pack)
    np = _SPACES.sub(" ", np).strip(" ,\"“”'’")
    np = w.np_opener.sub("", np)
    words = np.split()
    # keep the noun phrase right before the verb: drop a clause head ("who crossed ...")
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in w.clause_heads:
            words = words[i + 1:]
            break
    np = " ".join(words)
    np = w.np_article.sub("", np)
    np = np.strip(" ,.;:")
    return np[3:] if np.startswith("of ") else np  # never a fragment ("of Krasnodar Krai")


def find_attributions(text: str, offset: int = 0, starts: list[int] | None = None,
                      pack: LanguagePack | None = None,
                      say_at: list[int] | None = None,
                      keep: set[int] | None = None) -> list[Attribution]:
    """Who says what in one sentence (or clause): 'X said', 'according to X', '..., X said'.

    On a whole document pass ``starts`` (sentence starts, sorted) so no subject crosses a
    sentence boundary. ``say_at``: where the pack's ``say_words`` start in the lower-case text,
    when the caller has found them already. ``keep`` (with ``starts``): the indices of the
    sentences whose attributions are wanted (an attribution is in the sentence it starts in);
    the others are never looked at.
    """
    w = _words(pack)
    out: list[Attribution] = []
    if say_at is None:
        lower = text.lower()
        if len(lower) != len(text):
            lower = text
        say_at = keyword_positions(lower, w.say_words)
    verbs = [v for v in (w.attribution_hint.match(text, i) for i in say_at)
             if v is not None and (v.start() == 0 or not text[v.start() - 1].isalnum())]
    if not verbs:
        return out
    for v in verbs:
        # the subject sits in the few words before the verb: search only that window
        w0 = max(0, v.start() - 90)
        if starts:
            i = bisect.bisect_right(starts, v.start()) - 1
            if keep is not None and i not in keep:
                continue  # the subject starts in the verb's sentence: one not wanted
            if i >= 0:
                w0 = max(w0, starts[i])
        if w.noun_use.match(text, v.end()):
            continue  # "claims of mass casualties": a noun, not a verb
        m = w.subject_before.search(text, w0, v.end())
        if m is None:
            continue
        np = clean_np(m.group("np"), pack)
        if not np or np.lower() in w.bad_subjects or np.endswith(("'s", "’s")):
            continue
        stance = "denies" if w.deny.match(m.group("verb")) else "asserts"
        out.append(Attribution(np, stance, m.group("verb"), offset + m.start(), offset + m.end()))
    # "according to" and the like start every according match: try the pattern only there
    according = finditer_at(w.according, text, lower_for_keywords(text), w.according_keys)
    for matches in (w.said_after.finditer(text), according):
        for m in matches:
            if keep is not None and starts and \
                    bisect.bisect_right(starts, m.start()) - 1 not in keep:
                continue
            np = clean_np(m.group("np"), pack)
            if np and np.lower() not in w.bad_subjects:
                out.append(Attribution(np, "asserts", m.groupdict().get("verb") or "according to",
                                       offset + m.start(), offset + m.end()))
    out.sort(key=lambda a: a.start)
    return out


def best_attribution(attributions: list[Attribution], last_named: str | None,
                     pack: LanguagePack | None = None) -> Attribution | None:
    """The one attribution a claim rests on: a named party first, pronouns resolved back."""
    if not attributions:
        return None
    pronouns = _words(pack).pronouns
    named = [a for a in attributions if a.by.lower() not in pronouns]
    capital = [a for a in named if a.by[:1].isupper()]
    pick = (capital or named or attributions)[0]
    if pick.by.lower() in pronouns:
        if not last_named:
            return None
        pick = Attribution(last_named, pick.stance, pick.verb, pick.start, pick.end)
    if any(a.stance == "denies" for a in attributions if a.by == pick.by):
        pick.stance = "denies"
    return pick


# -- figures -----------------------------------------------------------------------------------
def find_figures(text: str, pack: LanguagePack | None = None,
                 kinds: set[str] | None = None) -> dict[str, int]:
    """Figures in one clause: {'killed': 1, 'wounded': 12}. The first figure of a kind wins.

    ``kinds``: the kinds whose ``figure_hints`` the clause holds, when the caller knows them
    (looked up in the whole text at once); by default found here.
    """
    w = _words(pack)
    found: dict[str, tuple[int, int]] = {}
    lower = text.lower()
    # the cheap substring tests first: most clauses name no casualties at all
    if kinds is None:
        kinds = {kind for kind, hints in w.figure_hints.items() if any(h in lower for h in hints)}
    if not kinds or not w.number_hint.search(text):
        return {}
    lower_ok = lower_for_keywords(text, lower)
    starts = None if lower_ok is None else [m.start() for m in w.figure_start.finditer(lower_ok)]
    for kind, pattern, figure_first in w.figure_patterns:
        if kind not in kinds:
            continue
        matches = matches_at(pattern, text, starts) if figure_first and starts is not None \
            else pattern.finditer(text)
        for m in matches:
            n = parse_number(m.group("n"), pack)
            if n is None or (1900 <= n <= 2100 and m.group("n").isdigit()):
                continue  # a year, not a count
            if kind not in found or m.start() < found[kind][0]:
                found[kind] = (m.start(), n)
    return {k: v[1] for k, v in sorted(found.items())}


def split_clauses(text: str, pack: LanguagePack | None = None) -> list[tuple[int, int]]:
    """Clauses joined by ', but', '; ', ', while', ', whereas' (each may carry its own claim)."""
    cuts = [0]
    for m in _words(pack).clause_cut.finditer(text):
        cuts.append(m.start())
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


# -- verification ------------------------------------------------------------------------------
@dataclass
class VerificationNote:
    """What the article says about checking its claims: unverified or confirmed, by whom."""

    status: str
    by: str | None
    sentence: str


def find_verification(text: str, pack: LanguagePack | None = None) -> VerificationNote | None:
    """'X could not verify the claims' -> unverified (by X); 'confirmed by Y' -> confirmed."""
    w = _words(pack)
    low = text.lower()
    hits = [(low.find(k), len(k)) for k in w.verify_keys if k in low]
    if not hits or len(low) != len(text):
        return None
    first, length = min(hits)
    m = w.unverified.search(text, max(0, first - 110), min(len(text), first + length + 20))
    if m:
        by = clean_np(m.group("np") or "", pack) or None
        if by and by.lower() in ("we", "it"):
            by = None
        return VerificationNote("unverified", by, text)
    m = w.confirmed.search(text)
    if m:
        by = clean_np(m.group("np") or m.group("np2") or "", pack) or None
        return VerificationNote("confirmed", by, text)
    return None
