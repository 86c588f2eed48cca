"""Toponym recognition: which gazetteer names found in the text are places.

Most matches of the name index (``nameindex``) are not places: "the", "Of", "Read", "Denis"
in "Denis Kapustin", "Kyiv" in "The Kyiv Independent". Context rules sort them out without a
model: capitalisation, sentence position, the language pack's common words and given names,
adjacency to other capitalised words (person and organisation names), outlet and organisation
head words, group names ("the Fano militia"). "Moscow-born" keeps Moscow as a place (role
``context`` later). Demonyms ("Russian forces") are mentions of their own kind, resolved to the
country and never the place of an incident. A rejected match naming a well-known place ("The
Kyiv Independent") is kept as a ``not-a-place`` mention so a reviewer sees why.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, count
from typing import Any

from mapper.extract.lang import NEVER, LanguagePack, ToponymWords, pack_for
from mapper.extract.nameindex import (
    NameIndex,
    Token,
    capitals,
    columns,
    find_all,
    is_cap,
    lowercase_norms,
    name_cap,
    raw_matches,
    tokenize,
    upper_first,
)
from mapper.extract.scan import matches_at
from mapper.gazetteer.normalize import normalize

__all__ = ["Mention", "NameIndex", "Token", "lowercase_norms", "recognise", "title_case_line",
           "tokenize"]

@dataclass
class Mention:
    """One place name in the text, with what recognition and resolution made of it."""

    start: int
    end: int
    text: str
    key: str
    tokens: tuple[int, int]  # first and last token index (inclusive)
    kind_hint: str | None = None  # "admin1", "admin2", "settlement", "feature": a designator
    rejected: str | None = None  # why this is not a place ("outlet name", "person name", ...)
    zone: str | None = None
    sentence: int = -1
    candidates: list[Any] = field(default_factory=list)
    place: Any = None
    score: float = 0.0
    reason: str = ""
    role: str = ""
    hints: dict[str, Any] = field(default_factory=dict)




# -- context rules -----------------------------------------------------------------------------
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def is_cyrillic(text: str) -> bool:
    """Whether ``text`` holds a Cyrillic letter (the Russian and Ukrainian rules apply)."""
    return not text.isascii() and _CYRILLIC.search(text) is not None


def _sentence_initial(text: str, pos: int) -> bool:
    """True when ``pos`` starts a line or a sentence (or follows an opening quote)."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“‘(«[":
        i -= 1
    return i < 0 or text[i] in "\n\r.!?:;—–-•*#|>"


def title_case_line(text: str, a: int, b: int) -> bool:
    """A headline-style line: most longer words capitalised and no full stop at the end."""
    line = text[a:b]
    if line.rstrip().endswith((".", '."', ".”")):
        return False  # most lines are sentences: no need to look at their words
    words = [w for w in _LINE_WORD.findall(line) if len(w) > 3]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.7


_LINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


_GAP = re.compile(r"[ \t\u00a0\-–]{0,3}|\.[ \u00a0]?|[ \u00a0]?&[ \u00a0]?")


def _gap_ok(text: str, a: int, b: int) -> bool:
    """Tokens of one name are separated by spaces or hyphens (or "St. " style dots)."""
    return _GAP.fullmatch(text, a, b) is not None


def recognise(text: str, index: NameIndex, *, tokens: Sequence[Token] | None = None,
              zone_at=None, lowercase_words: set[str] | None = None,
              pack: LanguagePack | None = None) -> list[Mention]:
    """Place-name mentions in ``text`` (accepted ones and rejected look-alikes)."""
    w = (pack or pack_for(None)).toponyms
    tokens = tokenize(text) if tokens is None else tokens
    if lowercase_words is None:
        lowercase_words = lowercase_norms(text, tokens)

    cols = starts, ends, norms = columns(tokens)  # (a Token is made only where one is needed)
    upper = upper_first(text, tokens)  # _is_cap of each token
    capital = capitals(text, tokens, upper)  # and "d'Ivoire", its I

    # a place name starts and ends with a capital (or digit): most matches are common words
    def admin_tail(f: int, la: int) -> bool:  # "Белгородской области": lower-case admin word
        return la > f and tokens[la].norm in w.designators and \
            is_cyrillic(text[tokens[la].start:tokens[la].end])

    found = [(f, la) for f, la in raw_matches(index, tokens, compress(count(), capital))
             if capital[la] or admin_tail(f, la)]
    # Longest first, then leftmost: a longer name ("Kursk Oblast") beats its parts ("Kursk").
    found.sort(key=lambda fl: (-(ends[fl[1]] - starts[fl[0]]), fl[0]))
    taken = [False] * len(tokens)
    match_starts = {f for f, _ in found}  # a name starts there ("Тёткино Курской области")
    mentions: list[Mention] = []
    headlines: dict[int, bool] = {}  # line start -> headline-style line, worked out once a line
    for first, last in found:
        if first == last:  # one word (most names): its checks below reduce to _is_cap
            if taken[first] or not upper[first]:
                continue
            a, b, key = starts[first], ends[first], norms[first]
            zone = zone_at(a) if zone_at else None
            if zone == "skip":
                continue
        else:
            if any(taken[first:last + 1]):
                continue
            words = tokens[first:last + 1]
            a, b = words[0].start, words[-1].end
            zone = zone_at(a) if zone_at else None
            if zone == "skip":
                continue
            if not all(_gap_ok(text, x.end, y.start)
                       for x, y in zip(words, words[1:], strict=False)):
                continue
            surface = [text[t.start:t.end] for t in words]
            if not is_cap(surface[0]):
                continue
            if any(not name_cap(s) and s.lower() not in w.particles for s in surface):
                continue
            # "Белгородской области": a Cyrillic area name ends with its lower-case admin word
            if not name_cap(surface[-1]) and not (is_cyrillic(surface[-1]) and
                                                   words[-1].norm in w.designators):
                continue
            key = " ".join(t.norm for t in words)
        mention = Mention(a, b, text[a:b], key, (first, last), zone=zone)
        verdict = _context(text, tokens, first, last, mention, lowercase_words, headlines, w,
                           match_starts, cols)
        if verdict == "drop":
            continue
        for i in range(first, last + 1):
            taken[i] = True
        mentions.append(mention)
    mentions = _place_evidence(text, mentions, w)
    mentions += _named_settlements(text, tokens, mentions, w)
    demonyms = _demonyms(text, tokens, mentions, zone_at, w)
    if demonyms:  # "Canadian" is the people of Canada, not Canadian (Texas)
        spans = {(d.start, d.end) for d in demonyms}
        mentions = [m for m in mentions if (m.start, m.end) not in spans] + demonyms
    extra = _abbreviations(text, mentions, zone_at, w)
    if extra:  # an abbreviation replaces a look-alike rejected at the same place ("UK" -> Uk)
        mentions = [m for m in mentions if not any(
            e.start < m.end and m.start < e.end and (
                m.rejected or m.hints.get("acronym") or (e.start <= m.start and m.end <= e.end))
            for e in extra)] + extra
    mentions.sort(key=lambda m: m.start)
    _designators(text, tokens, mentions, w)
    _names_seen(text, tokens, mentions, w)
    return mentions


def _place_evidence(text: str, mentions: list[Mention], w: ToponymWords) -> list[Mention]:
    """One sense per text: a name the text plainly uses as a place ("Salem is a city in ...",
    "in Salem", "Salem, Oregon") is a place in its other mentions too, common word or not;
    a common word opening a sentence with no such evidence is dropped.
    """
    strong: set[str] = set()
    for m in mentions:
        if m.rejected or m.key in strong:  # (a name repeats: once shown a place, no more tests)
            continue
        if w.place_copula.match(text, m.end) or (
                not m.hints.get("initial") and w.place_preposition.search(
                    text, max(0, m.start - 12), m.start)):
            strong.add(m.key)
    out = []
    for m in mentions:
        if m.key in strong:
            m.hints["place_evidence"] = True
            m.hints.pop("common", None)
        elif m.hints.get("initial_common"):
            continue
        out.append(m)
    return out


def _named_settlements(text: str, tokens: Sequence[Token], mentions: list[Mention],
                       w: ToponymWords) -> list[Mention]:
    """"The village of X" where no gazetteer name was found: X is still a settlement, which
    resolution places in the area the text gives (or drops).
    """
    if w.named_settlement is NEVER:
        return []
    if w.named_settlement_keys:  # a cheap test first: most texts name no "village of"
        lower = text.lower()
        if not any(k in lower for k in w.named_settlement_keys):
            return []
    token_starts, token_ends, _norms = columns(tokens)
    starts = dict(zip(token_starts, count()))
    ends = dict(zip(token_ends, count()))
    out = []
    for match in w.named_settlement.finditer(text):
        a, b = match.span(1)
        if a not in starts or b not in ends or \
                any(m.start < b and a < m.end for m in mentions):
            continue
        m = Mention(a, b, text[a:b], normalize(text[a:b]), (starts[a], ends[b]),
                    kind_hint="settlement")
        m.hints["named_settlement"] = True
        out.append(m)
    return out


@cache
def _demonym_heads(w: ToponymWords) -> frozenset[str]:
    """First words of the pack's demonyms ("north" of "north korean"), for one set look-up a
    token.
    """
    return frozenset(k.split()[0] for k in w.demonyms)


def _demonyms(text: str, tokens: Sequence[Token], mentions: list[Mention], zone_at,
              w: ToponymWords) -> list[Mention]:
    """Demonyms ("Russian forces", "the Syrians", "North Korean"): mentions of their own kind,
    for the country they name, unless a longer name holds them ("American Samoa").
    """
    table = w.demonyms
    heads = _demonym_heads(w)
    hits = list(compress(count(), map(heads.__contains__, columns(tokens)[2])))
    if not hits:
        return []
    longer = [(m.start, m.end) for m in mentions if m.tokens[1] > m.tokens[0]]
    out: list[Mention] = []
    skip_to = -1
    for i in hits:
        if i <= skip_to:
            continue
        tok = tokens[i]
        if not text[tok.start].isupper():
            continue
        last = i
        if i + 1 < len(tokens) and f"{tok.norm} {tokens[i + 1].norm}" in table and \
                text[tokens[i + 1].start].isupper() and \
                text[tok.end:tokens[i + 1].start] == " ":
            last = i + 1
        key = " ".join(t.norm for t in tokens[i:last + 1])
        if key not in table:
            continue
        a, b = tok.start, tokens[last].end
        if any(x <= a and b <= y and (x, y) != (a, b) for x, y in longer):
            continue
        zone = zone_at(a) if zone_at else None
        if zone == "skip":
            continue
        m = Mention(a, b, text[a:b], key, (i, last), zone=zone)
        m.hints["demonym"] = table[key]
        out.append(m)
        skip_to = last
    return out


@cache
def _abbreviation_patterns(w: ToponymWords
                           ) -> tuple[re.Pattern[str], re.Pattern[str], str, list[str]]:
    """(region after a comma, country abbreviation, the letters country abbreviations start
    with, region abbreviations that may stand alone) of one pack, made once.
    """
    regions = sorted(w.region_abbreviations, key=len, reverse=True)
    countries = sorted(w.country_abbreviations, key=len, reverse=True)
    # "NSW", "Qld": three letters or more and no full stop say the region wherever they stand
    alone = [k for k in regions if "." not in k and len(k) >= 3]
    return (re.compile(r",\s*(" + "|".join(re.escape(k) for k in regions) + r")"),
            re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in countries) + r")(?![\w])"),
            "".join(sorted({k[0] for k in countries})), alone)


def _abbreviations(text: str, mentions: list[Mention], zone_at, w: ToponymWords) -> list[Mention]:
    """"Springfield, Ill.", "the U.S. military", "UK-based": abbreviations the gazetteer may not
    list, as mentions whose key is the written-out name.
    """
    taken = [(m.start, m.end) for m in mentions if not m.rejected and not m.hints.get("acronym")]
    out: list[Mention] = []

    def add(a: int, b: int, full: str, hint: str) -> None:
        if any(x < b and a < y and not (a <= x and y <= b and y - x < b - a) for x, y in taken) \
                or (zone_at and zone_at(a) == "skip"):
            return  # overlaps a name; a shorter one inside it ("Pa" in "Pa.") gives way
        m = Mention(a, b, text[a:b], normalize(full), (-1, -1),
                    zone=zone_at(a) if zone_at else None)
        m.hints["abbreviation"] = hint
        if hint == "state":
            m.kind_hint = "admin1"
        out.append(m)
        taken.append((a, b))

    state_after_comma, country_abbr, letters, alone = _abbreviation_patterns(w)
    ends = {m.end for m in mentions}
    for match in state_after_comma.finditer(text) if w.region_abbreviations else ():
        if match.start() in ends:  # only right after a place name: "Mobile, Ala."
            add(match.start(1), match.end(1), w.region_abbreviations[match.group(1)], "state")
    for word in alone:
        for a in find_all(text, word):
            b = a + len(word)
            if (a == 0 or not text[a - 1].isalnum()) and (b == len(text) or
                                                           not text[b].isalnum()):
                add(a, b, w.region_abbreviations[word], "state")
    if any(letter in text for letter in letters):
        # try the pattern only at the letters abbreviations start with ("U", "D" in English)
        starts = sorted(i for letter in letters for i in find_all(text, letter))
        for match in matches_at(country_abbr, text, starts):
            word = match.group(1)
            if word in ("US", "UK") and text[match.end():match.end() + 1] == "$":
                continue
            add(match.start(), match.end(), w.country_abbreviations[word], "country")
    return out


def _names_seen(text: str, tokens: Sequence[Token], mentions: list[Mention],
                w: ToponymWords) -> None:
    """A word seen inside a person's name ("Denys Nikitin") is that person when it stands alone
    ("Nikitin said"); a word heading a rejected "X of Y Z" name ("Freedom") goes with it.
    """
    person_keys = set()
    for m in mentions:
        if not (m.rejected and m.tokens[0] == m.tokens[1]):
            continue
        if m.rejected.startswith("a person"):
            person_keys.add(m.key)
        elif m.rejected.startswith("part of the proper name"):
            span = m.hints.get("name_tokens") or m.tokens
            words = {tokens[i].norm for i in range(span[0], span[1] + 1) if 0 <= i < len(tokens)}
            if words & w.given_names or (words - {m.key}) & w.wide_given_names:
                person_keys.add(m.key)  # "Martin Fornusek", "Denys Nikitin": a person
    inside = {m.tokens[0] for m in mentions if m.rejected}
    group_keys = {m.key for m in mentions
                  if m.rejected and m.rejected.startswith("names the group")}
    # "the Fano militia ... Fano fighters": the group each time
    for m in mentions:
        if m.rejected or m.tokens[0] < 0:
            continue
        first, last = m.tokens
        if first == last and m.key in group_keys:
            m.rejected = f"'{m.text}' names a group elsewhere in the text"
        elif first == last and m.key in person_keys and m.kind_hint is None and \
                not m.hints.get("place_evidence"):
            # ("Calhoun County", "Gilbert is a town in Arizona": the text says it is a place)
            m.rejected = f"'{m.text}' is a person named in full elsewhere in the text"
        elif last + 2 in inside and tokens[last + 1].norm == "of":
            then = tokens[last + 2]
            m.rejected = f"heads the name '{m.text} of {text[then.start:then.end]} ...'"


def _word(text: str, tok: Token) -> str:
    return text[tok.start:tok.end]


def _context(text: str, tokens: Sequence[Token], first: int, last: int, mention: Mention,
             lowercase_words: set[str], headlines: dict[int, bool], w: ToponymWords,
             match_starts: frozenset[int] | set[int] = frozenset(),
             cols: tuple[list[int], list[int], list[str]] | None = None) -> str:
    """Decide what this match is: "keep" (maybe with ``mention.rejected`` set) or "drop".
    ``headlines`` memoises ``title_case_line`` per line start for this text; ``match_starts``
    holds the first tokens of the other gazetteer matches; ``cols``: ``columns(tokens)``.
    """
    cols = columns(tokens) if cols is None else cols
    a, b = mention.start, mention.end
    single = first == last
    key = mention.key
    initial = _sentence_initial(text, a)
    line_a = text.rfind("\n", 0, a) + 1
    line_b = text.find("\n", b)
    line_b = len(text) if line_b < 0 else line_b
    headline = headlines.get(line_a)
    if headline is None:
        headline = headlines[line_a] = title_case_line(text, line_a, line_b)
    hints = mention.hints
    hints["initial"] = initial
    hints["headline"] = headline
    n_text = len(mention.text)
    if 1 < n_text <= 4 and mention.text.isupper() and (
            n_text <= 3 or any(ch.islower() for ch in text[line_a:line_b])):
        hints["acronym"] = True  # "US", "UK"; "SANA" in a sentence is an agency

    starts, ends, norms = cols  # the next and previous words, by index (no Token made)
    nxt = last + 1 if last + 1 < len(norms) else None
    prv = first - 1 if first > 0 else None
    nxt_end, nxt_norm = (ends[nxt], norms[nxt]) if nxt is not None else (b, "")
    after, nxt_word = (text[b:starts[nxt]], text[starts[nxt]:nxt_end]) if nxt is not None \
        else ("", "")
    prv_start, prv_norm = (starts[prv], norms[prv]) if prv is not None else (0, "")
    before, prv_word = (text[ends[prv]:a], text[prv_start:ends[prv]]) if prv is not None \
        else ("", "")
    tight_after = nxt is not None and after in (" ", "\u00a0")
    cap_after = tight_after and is_cap(nxt_word)  # a capitalised word right after it
    tight_before = prv is not None and before in (" ", "\u00a0")
    if len(mention.text) <= 2 and not (prv is not None and before.strip() == ","):
        # "AL", "AP", "Al-": two letters are a code or a particle unless written as a container
        # ("Mobile, AL"); countries written this way ("US", "UK") come from _abbreviations
        mention.hints["two_letters"] = True

    # "March 14", "14 March", "May 2023": a month, not March (Cambridgeshire).
    if single and key in w.months and ((nxt is not None and nxt_norm.isdigit()) or
                                      (prv is not None and prv_norm.isdigit()) or
                                      (prv is not None and prv_norm in ("in", "since", "until",
                                                                        "early", "late", "mid"))):
        return "drop"

    # Compounds: "Moscow-born" (birthplace), "anti-Kremlin", "Kyiv-based" (context).
    if nxt is not None and after == "-" and nxt_word.islower():
        # "Moscow-born", "Kyiv-based": the real place, but nothing happens there
        mention.hints["compound"] = nxt_word
        return "keep"
    if prv is not None and before == "-" and prv_norm in w.arabic_article:
        return "drop"  # "Al-Amal", "Deir al-Balah": another name than "Amal"
    if prv is not None and before == "-" and prv_norm in w.compound_prefix:
        mention.rejected = f"part of the adjective '{prv_word}-{mention.text}'"
        return "keep"

    disease = w.disease_after.match(text, b)
    if disease:  # "West Nile virus", "Lassa fever": the name of a disease
        mention.rejected = f"part of the disease name '{text[a:disease.end()]}'"
        return "keep"
    if nxt is not None and tight_after and nxt_norm in w.authority_after:
        mention.hints["compound"] = nxt_word  # the oblast of an authority: context, no scene
        mention.hints["place_evidence"] = True
        return "keep"
    if nxt is not None and tight_after and nxt_norm in w.group_after and nxt_word.islower():
        mention.rejected = f"names the group '{mention.text} {nxt_word}'"
        return "keep"

    # Outlets and organisations: "The Kyiv Independent", "New York Times", "Freedom of Russia
    # Legion", "University of Texas".
    if cap_after and nxt_norm in w.org_after:
        mention.rejected = f"part of the name '{mention.text} {nxt_word}'"
        return "keep"
    if prv is not None and prv_word == "of" and first >= 2:
        head = tokens[first - 2]
        head_word = _word(text, head)
        if is_cap(head_word) and head.norm in w.org_of and \
                re.fullmatch(r" ", text[head.end:prv_start]):
            mention.rejected = f"part of the name '{head_word} of {mention.text}'"
            return "keep"
        if is_cap(head_word) and not _sentence_initial(text, head.start) and tight_after and \
                is_cap(nxt_word) and nxt_norm not in w.place_after and \
                head.norm not in w.place_before:
            mention.rejected = f"inside the name '{head_word} of {mention.text} {nxt_word}'"
            return "keep"

    if headline:
        return "keep"  # capitalised neighbours say nothing in a headline; resolution decides

    # Person and organisation names: a capitalised neighbour that is neither a designator nor a
    # sentence opener makes the match part of a longer proper name ("Denis Kapustin").
    if cap_after and nxt_norm in w.name_tails:
        after_tail = tokens[last + 2] if last + 2 < len(tokens) else None
        if after_tail is not None and text[nxt_end:after_tail.start] == " " and \
                is_cap(_word(text, after_tail)) and after_tail.norm in w.org_after:
            mention.rejected = (f"part of the name '{mention.text} {nxt_word} "
                                f"{_word(text, after_tail)}'")
            return "keep"
        mention.hints["tail"] = last + 1
        return "keep"
    # Cyrillic text writes a place and its area side by side ("Тёткино Курской области") and
    # capitalises every sentence's first word ("Жители Грайворона"): neither makes a name.
    cyrillic = is_cyrillic(mention.text)
    next_place = cyrillic and (last + 1) in match_starts
    # ... nor does a place before an area ("Тьоткіно Курської області": a name starts there)
    prev_opener = cyrillic and prv is not None and (
        (last > first and norms[last] in w.designators and (first - 1) in match_starts)
        or (_sentence_initial(text, prv_start) and prv_norm not in w.given_names))
    if cap_after and nxt_norm not in w.place_after and \
            not nxt_word.isupper() and not nxt_word[:1].isdigit() and not next_place:
        mention.rejected = f"part of the proper name '{mention.text} {nxt_word}'"
        mention.hints["name_tokens"] = (first, last + 1)
        return "keep"
    if tight_before and is_cap(prv_word) and prv_norm not in w.place_before and \
            not prv_word.isupper() and not prev_opener:
        if prv_norm in w.title_before:
            mention.rejected = f"a person's name after the title '{prv_word}'"
        else:
            mention.rejected = f"part of the proper name '{prv_word} {mention.text}'"
        mention.hints["name_tokens"] = (first - 1, last)
        return "keep"
    if prv is not None and before in (". ", ".\u00a0") and len(prv_word) == 1 and \
            prv_word.isupper() and text[max(0, prv_start - 2):prv_start] != "U.":
        # "Bruce E. Ivins", "W.H. Hamilton": an initial before it (not "U.S.")
        mention.rejected = f"a person's name after the initial '{prv_word}.'"
        return "keep"
    if tight_before and prv_norm in w.title_before and prv_word[:1].isupper() and \
            prv_norm not in w.place_before:
        mention.rejected = f"a person's name after the title '{prv_word}'"
        return "keep"

    # Common words: sentence-initial, or a word the article also uses in lower case.
    if single and (key in w.common or key in lowercase_words):
        mention.hints["common"] = True
        if initial and (nxt is None or not after.startswith(",")) and \
                nxt_norm not in w.designators:
            # dropped unless the text uses the name as a place elsewhere (_place_evidence)
            mention.hints["initial_common"] = True
    return "keep"


def _designators(text: str, tokens: Sequence[Token], mentions: list[Mention],
                 w: ToponymWords) -> None:
    """Attach designators: "Kursk Oblast", "Belgorod region", "the region of Belgorod",
    "Kursk and Belgorod oblasts" (a plural designator applies to the whole list).
    """
    by_last = {m.tokens[1]: m for m in mentions if m.tokens[0] >= 0}
    starts, ends, norms = columns(tokens)
    for m in mentions:
        if m.tokens[0] < 0:
            continue  # an abbreviation found outside the token stream
        first, last = m.tokens
        tail = m.hints.get("tail")
        if tail is not None and m.rejected is None:
            m.end = ends[tail]
            m.text = text[m.start:m.end]
            if w.designators.get(norms[tail]) == "feature":
                m.kind_hint = "feature"  # "Seym River", "Azov Sea"
            continue
        if first >= 1 and norms[first - 1] in w.feature_before and \
                text[ends[first - 1]:m.start] in (" ", "\u00a0"):
            # "river Seym", "Lake Tana", "реки Сейм": a capitalised word is part of the name
            m.kind_hint = "feature"
            if text[starts[first - 1]].isupper() and m.rejected is None:
                m.start = starts[first - 1]
                m.text = text[m.start:m.end]
            continue
        nxt = tokens[last + 1] if last + 1 < len(norms) and norms[last + 1] in w.designators \
            else None
        if nxt is not None and re.fullmatch(r"[ \u00a0]", text[m.end:nxt.start]):
            kind = w.designators[nxt.norm]
            m.kind_hint = kind
            plural = nxt.norm.endswith("s") and nxt.norm not in ("counties",) or \
                nxt.norm == "counties" or (
                    # "Курська і Брянська області": a singular adjective, a plural noun
                    nxt.norm == "oblasti" and m.text[-1:] in "ая" and is_cyrillic(m.text))
            # a capitalised designator is part of the name ("Lamar County"); a lowercase one
            # is not ("the Kharkiv region")
            if not plural and m.rejected is None and text[nxt.start].isupper():
                m.end = nxt.end
                m.text = text[m.start:m.end]
            if plural:
                _plural_list(text, tokens, by_last, first, kind)
            continue
        # "the region of Belgorod", "the city of Paris"
        # ("the Kupiansk raion of Kharkiv Oblast": that designator belongs to Kupiansk)
        if first >= 2 and norms[first - 1] == "of" and norms[first - 2] in w.designators and \
                not norms[first - 2].endswith("s") and first - 3 not in by_last:
            m.kind_hint = w.designators[norms[first - 2]]


_LIST_WORDS = frozenset({"and", "or", "i", "y", "ta", "ili", "abo"})  # and і/и, й, та, или, або


def _plural_list(text: str, tokens: Sequence[Token], by_last: dict[int, Mention], first: int,
                 kind: str) -> None:
    """Give ``kind`` to every name of a list before a plural designator ("A, B and C oblasts")."""
    j = first - 1
    while j >= 0:
        gap = text[tokens[j].end:tokens[j + 1].start].strip()
        if tokens[j].norm in _LIST_WORDS and gap == "":
            k = j - 1
        elif gap == ",":
            k = j
        else:
            break
        prev = by_last.get(k)
        if prev is None or prev.rejected:
            break
        prev.kind_hint = kind
        j = prev.tokens[0] - 1
