"""Events in sentences: sentence splitting, dates, event words, claims, figures, verification.

Everything here works on plain text with regular expressions and small word lists, so it runs
at thousands of sentences a second and needs no model. Dates are resolved against the
publication date: "March 14" takes the most recent year that does not put it after publication,
"on Tuesday" is the last Tuesday on or before publication, "over the past few days" is a range
that ends at publication.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

# -- sentences ---------------------------------------------------------------------------------
_ABBREV = frozenset("""mr mrs ms dr gen lt col sgt maj capt cpl pvt gov sen rep st mt ft jr sr prof
rev no vs etc inc ltd co corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec adm
brig cmdr u.s u.k u.n e.g i.e a.m p.m approx""".split())
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[.!?]+[\"'”’)\]]*\s*$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text[start:end]``; lines are never joined."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text[start:end]):
        a0 = start + line.start()
        b0 = start + line.end()
        a = a0
        for match in _SENT_END.finditer(text, a0, b0):
            cut = match.end()
            before = text[a:match.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if match.group().startswith(".") and (word in _ABBREV or
                                                   (len(word) == 1 and word.isalpha())):
                continue  # "Gen. Smith", "J. Smith", "U.S. forces"
            _add_span(text, a, cut, out)
            a = cut
        _add_span(text, a, b0, out)
    return out


def _add_span(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


# -- numbers -----------------------------------------------------------------------------------
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SPECIAL = {"a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2, "a single": 1,
            "a hundred": 100, "one hundred": 100, "single": 1, "a pair of": 2, "both": 2}
_NUMWORD = (r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+and)?\s+)?"
            r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
            r"four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|"
            r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
            r"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred")
NUMBER = (r"(?:\d{1,3}(?:,\d{3})+|\d+|a dozen|a couple(?: of)?|a single|a pair of|" + _NUMWORD + ")")
_QUALIFIER = (r"(?:(?:more than|over|at least|as many as|up to|about|around|approximately|nearly|"
              r"almost|some|roughly|an estimated|fewer than|less than|dozens of|hundreds of)\s+)?")


def parse_number(text: str) -> int | None:
    """'25' -> 25, 'a dozen' -> 12, 'twenty-five' -> 25, 'two hundred' -> 200."""
    t = text.lower().strip().replace(",", "")
    if t.isdigit():
        return int(t)
    if t in _SPECIAL:
        return _SPECIAL[t]
    total = 0
    words = re.split(r"[\s-]+", t)
    if "hundred" in words:
        i = words.index("hundred")
        head = words[:i]
        total = 100 * (1 if head in ([], ["a"]) else _UNITS.get(head[0], 1))
        words = [w for w in words[i + 1:] if w != "and"]
    value = 0
    for w in words:
        if w in _UNITS:
            value += _UNITS[w]
        elif w in _TENS:
            value += _TENS[w]
        elif w:
            return None
    return total + value


# -- dates -------------------------------------------------------------------------------------
_MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
           "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
           "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
           "nov": 11, "december": 12, "dec": 12}
_WEEKDAYS = {d: i for i, d in enumerate(
    "monday tuesday wednesday thursday friday saturday sunday".split())}
_MON_NAMES = (r"January|February|March|April|May|June|July|August|September|October|November|"
              r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?")
_MON = r"(?P<mon>" + _MON_NAMES + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?:morning|night|evening|afternoon|overnight))?"
_DATE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdrange", re.compile(r"\b(?:between\s+)?" + _MON + r"\s+" + _DAY +
                           r"\s*(?:-|–|to|and|through|until)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b"
                           + _YEAR)),
    ("dmrange", re.compile(r"\b(?:between\s+)?" + _DAY + r"\s*(?:-|–|to|and|through|until)\s*"
                           r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"\b" + _YEAR)),
    ("md", re.compile(r"\b(?:(?P<since>since)\s+|(?:early|late)\s+(?:on\s+)?)?" + _MON + r"\s+"
                      + _DAY + r"\b(?!:|\d)"
                      + _YEAR)),
    ("dm", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"\b" + _YEAR)),
    ("my", re.compile(r"\b" + _MON + r"\s+(?P<year>(?:19|20)\d\d)\b")),
    ("m", re.compile(r"\b(?P<pre>in|since|until|by|during|early|late|mid-?|last|this|earlier this|"
                     r"in early|in late|in mid-?)\s+" + _MON + r"\b(?!\s+\d)")),
    ("wd", re.compile(r"\b(?P<pre>(?:on|last|this|early|late|early on|late on|since|"
                      r"overnight into|overnight to|late on|the night of)\s+)?" + _WD + _PART
                      + r"\b(?!,?\s+(?:" + _MON_NAMES + r"|\d))", re.I)),
    ("rel", re.compile(
        r"\b(?P<rel>today|this morning|this afternoon|this evening|tonight|earlier today|"
        r"the day before yesterday|yesterday|last night|overnight|a day (?:earlier|before|after)|"
        r"the (?:previous|preceding) day|the day before|"
        r"(?P<n>" + NUMBER + r")\s+days?\s+ago|"
        r"(?:over|in|during)\s+the\s+(?:past|last)\s+(?P<n2>few|several|couple of|"
        + NUMBER + r")\s+days|in recent days|in the past day|(?:over|in) the past 24 hours|"
        r"(?:over|during) the weekend|last weekend|this week|earlier this week|last week|"
        r"(?:over|in|during) the (?:past|last) week|this month|earlier this month|last month|"
        r"(?:over|in|during) the (?:past|last) month|last year|earlier this year|this year)\b", re.I)),
    ("year", re.compile(r"\b(?P<pre>in|since|during|of)\s+(?P<year>(?:19|20)\d\d)\b(?!-\d)")),
]


@dataclass
class DateExpr:
    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date | None
    precision: str  # "day" | "month" | "year" | "approximate"
    kind: str


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    """The most recent year in which month/day is not after the publication date."""
    if published is None:
        return None
    year = published.year
    if (month, day) > (published.month, published.day):
        year -= 1
    return year


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4))
    return nxt - dt.timedelta(days=nxt.day)


def _resolve(kind: str, m: re.Match, published: dt.date | None):
    """(date, date_end, precision) of one match, or None."""
    g = m.groupdict()
    p = published
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d, None, "day") if d else None
    if kind in ("mdrange", "dmrange", "md", "dm"):
        month = _MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["day"])
        year = int(g["year"]) if g.get("year") else _year_for(month, day, p)
        if year is None:
            return None
        d = _safe_date(year, month, day)
        if d is None:
            return None
        if kind == "md" and g.get("since"):
            return d, p, "day"
        if kind.endswith("range"):
            d2 = _safe_date(year, month, int(g["day2"]))
            if d2 is None or d2 < d:
                return None
            return d, d2, "day"
        return d, None, "day"
    if kind in ("my", "m"):
        month = _MONTHS[g["mon"].lower().rstrip(".")]
        if g.get("year"):
            year = int(g["year"])
        elif p is None:
            return None
        else:
            pre = (g.get("pre") or "").lower()
            year = p.year if month <= p.month else p.year - 1
            if pre == "last" and month >= p.month:
                year = p.year - 1
        first = dt.date(year, month, 1)
        return first, _month_end(first), "month"
    if p is None:
        return None
    if kind == "wd":
        target = _WEEKDAYS[g["wd"].lower()]
        pre = (g.get("pre") or "").strip().lower()
        back = (p.weekday() - target) % 7
        if pre == "last" and back == 0:
            back = 7
        day = p - dt.timedelta(days=back)
        if pre == "since":
            return day, p, "day"
        return day, None, "day"
    if kind == "rel":
        rel = g["rel"].lower()
        if rel.startswith(("today", "this morning", "this afternoon", "this evening", "tonight",
                           "earlier today")):
            return p, None, "day"
        if rel.startswith("the day before yesterday"):
            return p - dt.timedelta(days=2), None, "day"
        if rel.startswith(("yesterday", "last night", "a day ", "the previous", "the preceding",
                           "the day before")):
            return p - dt.timedelta(days=1), None, "day"
        if rel == "overnight":
            return p, None, "day"  # reported the morning after: the publication day
        if g.get("n"):
            n = parse_number(g["n"])
            return (p - dt.timedelta(days=n), None, "day") if n is not None else None
        if g.get("n2") or "recent days" in rel:
            n2 = (g.get("n2") or "few").lower()
            n = {"few": 3, "several": 4, "couple of": 2}.get(n2) or parse_number(n2) or 3
            return p - dt.timedelta(days=n), p, "approximate"
        if "past day" in rel or "24 hours" in rel:
            return p - dt.timedelta(days=1), p, "approximate"
        if "weekend" in rel:
            sat = p - dt.timedelta(days=(p.weekday() - 5) % 7)
            if rel.startswith("last") and p.weekday() >= 5:
                sat -= dt.timedelta(days=7)
            return sat, min(sat + dt.timedelta(days=1), p), "approximate"
        monday = p - dt.timedelta(days=p.weekday())
        if rel in ("this week", "earlier this week"):
            return monday, p, "approximate"
        if rel == "last week":
            return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "approximate"
        if "week" in rel:
            return p - dt.timedelta(days=7), p, "approximate"
        first = p.replace(day=1)
        if rel in ("this month", "earlier this month"):
            return first, p, "approximate"
        if rel == "last month":
            prev = (first - dt.timedelta(days=1)).replace(day=1)
            return prev, _month_end(prev), "month"
        if "month" in rel:
            return p - dt.timedelta(days=30), p, "approximate"
        if rel == "last year":
            return dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), "year"
        if "year" in rel:
            return dt.date(p.year, 1, 1), p, "approximate"
        return None
    if kind == "year":
        year = int(g["year"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    return None


_MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_WORDS = ("today", "tonight", "yesterday", "night", " ago", " day", "week", "month", "year",
              "morning", "afternoon", "evening", "day before", "past day", "24 hours")


def keyword_positions(text: str, words: tuple[str, ...]) -> list[int]:
    """Sorted start positions of every occurrence of ``words`` (plain substring search, which
    runs in C far faster than a regular-expression alternation).
    """
    out: list[int] = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            out.append(i)
            i = text.find(w, i + 1)
    return sorted(set(out))


_DIGIT = re.compile(r"\d")
# The only characters outside ASCII that re.IGNORECASE takes for ASCII letters (İ ı ſ K): in a
# text without them, a case-insensitive pattern matches a plain word exactly where the word
# occurs in ``text.lower()``, so substring tests may stand in for (or narrow) such patterns.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def lower_for_keywords(text: str, lower: str | None = None) -> str | None:
    """``text.lower()`` (or ``lower``, already made) when its offsets are those of ``text`` and
    no character there matches an ASCII letter only under re.IGNORECASE; else None (then run
    the patterns on the whole text).
    """
    lower = text.lower() if lower is None else lower
    if len(lower) != len(text) or _CASE_TRAPS.search(text):
        return None
    return lower


def finditer_at(pattern: re.Pattern, text: str, lower: str | None, keys: tuple[str, ...]):
    """``pattern.finditer(text)`` for a pattern every match of which starts with one of ``keys``
    (``lower``: see ``lower_for_keywords``): the pattern is tried only where a key starts.
    """
    if lower is None:
        return pattern.finditer(text)
    return matches_at(pattern, text, keyword_positions(lower, keys))


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]):
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (sorted): the
    pattern is tried only there, left to right, each match resuming after the last as finditer
    does (the patterns given never match the empty string).
    """
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = m.end()
            yield m


_YEARISH = re.compile(r"\d{4}")


def _windowed(pattern: re.Pattern, text: str, anchors: list[int], before: int = 45,
              after: int = 40):
    """Matches of ``pattern`` that lie around the anchor positions (each match contains an
    anchor): Python's re tries every alternative at every character, so a long text is searched
    only where a cheap anchor (a month name, a weekday, "ago") says a match can be.
    """
    end_seen = -1
    n = len(text)
    for pos in anchors:
        if pos < end_seen:
            continue
        lo = max(0, pos - before, end_seen)
        hi = min(n, pos + after)
        for m in pattern.finditer(text, lo, hi):
            if m.start() <= pos < m.end() or m.start() >= pos:
                if m.end() > end_seen:
                    end_seen = m.end()
                yield m


# Every date expression holds a digit or one of these words (in any case; "tonight" and
# "overnight" hold "night").
_DATE_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
               "day", "night", "week", "month", "year", "morning", "afternoon", "evening", "recent")
# Which anchor list finds each pattern's matches.
_ANCHOR_OF = {"iso": "digit", "year": "digit", "wd": "wd", "rel": "rel"}


def _may_hold_date(text: str, lower: str) -> bool:
    """A digit or a date word (``lower`` is ``text.lower()``): the cheap test before any date
    pattern runs (substring tests in C; an alternation of these words would be tried at every
    character).
    """
    if _DIGIT.search(text) or _CASE_TRAPS.search(text):
        return True
    return any(w in lower for w in _DATE_WORDS)


def find_dates(text: str, published: dt.date | None, offset: int = 0) -> list[DateExpr]:
    """Date expressions in ``text`` resolved against ``published``; spans shifted by offset."""
    lower = text.lower()
    if not _may_hold_date(text, lower):
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateExpr] = []
    if len(lower) != len(text):  # a rare character whose lower case is longer
        lower = text
    anchors = {
        "digit": [m.start() for m in _YEARISH.finditer(text)],
        "month": keyword_positions(text, _MONTH_WORDS),
        "wd": keyword_positions(lower, _WEEKDAY_WORDS),
        "rel": keyword_positions(lower, _REL_WORDS),
    }
    for kind, pattern in _DATE_PATTERNS:
        key = _ANCHOR_OF.get(kind, "month")
        if not anchors[key]:
            continue
        for m in _windowed(pattern, text, anchors[key]):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if kind in ("md", "dm", "my", "m") and m.group("mon").lower() in ("may", "mar") and \
                    not m.group("mon")[0].isupper():
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            d, d2, precision = resolved
            if published is not None and d > published and kind != "iso":
                continue  # a future date is a plan, not an event
            taken.append((a, b))
            out.append(DateExpr(offset + a, offset + b, m.group(), d, d2, precision, kind))
    out.sort(key=lambda e: e.start)
    return _join_ranges(text, out, offset)


_RANGE_GAP = re.compile(r"\s+(?:and|to|through|until|till)\s+(?:on\s+)?|\s*[-–]\s*")


def _join_ranges(text: str, found: list[DateExpr], offset: int) -> list[DateExpr]:
    """"on Wednesday and Thursday", "between Friday and Sunday": one range."""
    out: list[DateExpr] = []
    for e in found:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == e.kind == "wd" and prev.date_end is None and \
                e.date_end is None and \
                _RANGE_GAP.fullmatch(text, prev.end - offset, e.start - offset):
            lo, hi = sorted((prev.date, e.date))
            out[-1] = DateExpr(prev.start, e.end, text[prev.start - offset:e.end - offset], lo, hi,
                               "day", "wd")
            continue
        out.append(e)
    return out


# -- event words -------------------------------------------------------------------------------
# (pattern, category, weight): the category of the event word nearest a place wins; the weight
# breaks ties so that a specific act ("destroyed") beats a generic one ("attack").
_EVENT_WORDS: list[tuple[str, str, float]] = [
    (r"raids?|raided|raiding|incursions?|cross(?:ed|es|ing)? (?:the border )?into|"
     r"infiltrat\w+|invad\w+|invasion|sabotage (?:group|unit)s?|stormed|storming|"
     r"cross-border attacks?|ground (?:attack|assault|offensive)", "raid", 1.0),
    (r"shell(?:s|ed|ing)|artillery|mortars?|rocket fire|multiple rocket|howitzers?|"
     r"bombard\w+|cluster munitions?", "shelling", 1.0),
    (r"air ?strikes?|airstrikes?|missiles?|guided bombs?|glide bombs?|aerial bombs?|"
     r"bombing|bombed|warplanes?|jets?|air raids?|ballistic|cruise missiles?|air attacks?",
     "air-strike", 0.9),
    (r"drones?|uavs?|unmanned aerial|kamikaze|shaheds?|loitering munitions?", "drone-strike", 1.0),
    (r"captur\w+|liberat\w+|seiz(?:ed|es|ing|ure)|took (?:\w+ )?prisoners?|fallen|fell to|"
     r"advanc\w+ on|encircl\w+|taken (?:prisoner|captive)|"
     r"prisoners? of war|pows?|abduct\w+|kidnapp\w+|hostages?|took control|occupied",
     "capture", 1.1),
    (r"clash(?:es|ed)?|fighting|fought|battles?|firefights?|gunfights?|skirmish\w*|"
     r"exchange of fire|combat|offensive|counter-?offensive|hostilities|gunmen|ambush\w*|"
     r"military operations?|gunfire|gunshots|heavy fire|insurgents? attacked", "clash", 0.75),
    (r"fight(?:s)?|assaults?|repel\w*|repuls\w+|thwart\w*|attack(?:s|ed|ing|ers)?|"
     r"struck|strikes?|hit|targeted|targeting|operations?|entered|pull(?:ed)? out of|"
     r"withdr[ae]w from|deployed", "clash", 0.5),
    (r"explosions?|blasts?|explod\w+|detonat\w+|bomb blast|car bomb|ied|landmines?|mines?",
     "explosion", 0.95),
    (r"destroy\w*|destruction|demolish\w*|razed|burn(?:ed|t) down|set (?:on )?fire|"
     r"damag(?:ed|ing|e)|wrecked|ruins|collapsed|fire (?:broke out|destroyed)|"
     r"caught fire|blaze|burned|torched|rubble|debris", "destruction", 1.05),
    (r"sabotag\w+|derail\w*|arson", "sabotage", 1.05),
    (r"evacuat\w+|fled|displaced|flee(?:ing)?", "evacuation", 1.0),
    (r"killed|killing|dead|died|deaths?|dies|fatalit\w+|casualt\w+|wounded|injur\w+|hurt|"
     r"lost their lives|bodies|shot dead|shootings?(?! (?:ground|range|club))|shot|murder\w*|stabb\w+|"
     r"massacre", "casualties", 0.8),
    (r"arrest\w*|detain\w*|protests?|protesters|demonstrat\w+|riots?|rall(?:y|ies)|"
     r"flood\w*|landslides?|earthquake|storms?|thunderstorms?|tornado\w*|hurricane|cyclone|"
     r"wildfires?|hail|downed trees|power outages?|"
     r"crash(?:ed|es)?|collision|derailment|accident|opened fire|robbery|gas leak|leak|"
     r"outbreak|curfew|blockade|siege|besieged", "other", 0.65),
    (r"closed|shut down|police said|investigat\w+|burglary|held a|will host|hosted|ceremony|"
     r"election", "other", 0.4),
    (r"press conference|presentation for (?:the )?media|told (?:journalists|reporters)|"
     r"briefing|news conference", "statement", 0.7),
]


@dataclass
class EventWord:
    start: int
    end: int
    text: str
    category: str
    weight: float


def _prefixes(pattern: str) -> set[str]:
    """First letters (up to 4) of every word of one event pattern: a cheap test before it."""
    out = set()
    for alt in re.split(r"\|(?![^()]*\))", pattern):
        alt = alt.lstrip("(?:")
        head = re.match(r"[a-z]+", alt)
        if head:
            word = head.group()
            if alt[len(word):len(word) + 1] in ("?", "*", "{"):
                word = word[:-1]  # "jets?": the last letter is optional
            out.add(word[:4])
    return out


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` that re tests a letter at a time, ``a(?:bd|ir(?:s)?)|b...``,
    instead of one word after the other. It matches wherever one of the words starts.
    """
    heads: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        heads.setdefault(w[0], []).append(w[1:])
    parts = []
    for head, tails in heads.items():
        longer = [t for t in tails if t]
        if not longer:
            parts.append(re.escape(head))
        else:  # optional when the head is a word of its own
            optional = "?" if "" in tails else ""
            parts.append(re.escape(head) + f"(?:{trie_pattern(longer)})" + optional)
    return "|".join(parts)


_EVENT_GROUP_PREFIXES = [_prefixes(pattern) for pattern, _c, _w in _EVENT_WORDS]
_EVENT_PREFIXES = tuple(sorted(set().union(*_EVENT_GROUP_PREFIXES)))
# A word starting with the first letters of an event word (the letters are consumed: no other
# word can start inside them).
_EVENT_START = re.compile(r"\b(?:" + trie_pattern(_EVENT_PREFIXES) + ")")
# Each category's pattern alone, and by the first three letters of its words the categories
# to try, in _EVENT_WORDS order (the first that matches wins): one or two instead of all.
_EVENT_PATTERNS = [re.compile(f"\\b(?:{pattern})\\b", re.I) for pattern, _c, _w in _EVENT_WORDS]
_EVENT_GROUPS_BY_PREFIX: dict[str, tuple[int, ...]] = {
    head: tuple(k for k, prefixes in enumerate(_EVENT_GROUP_PREFIXES)
                if any(p[:3] == head for p in prefixes))
    for head in {p[:3] for p in _EVENT_PREFIXES}}
_ALL_EVENT_GROUPS = tuple(range(len(_EVENT_WORDS)))


def find_event_words(text: str, offset: int = 0) -> list[EventWord]:
    """Event words in ``text`` with their category (spans shifted by ``offset``)."""
    out = []
    lower = text.lower()
    pos = 0
    n = len(text)
    # Python's re tries every alternative at every character; find the words whose first
    # letters fit a known prefix (one pass in C), and run the full pattern only there.
    # A lower case longer than the text ("İ") shifts the positions: there the letters found do
    # not say which categories to try, so all are tried, in order, as they always were.
    aligned = len(lower) == n
    for w in _EVENT_START.finditer(lower):
        i = w.start()
        if i < pos:
            continue
        groups = _EVENT_GROUPS_BY_PREFIX[w.group()[:3]] if aligned else _ALL_EVENT_GROUPS
        for k in groups:  # the first category matching wins
            m = _EVENT_PATTERNS[k].match(text, i, n)
            if m is not None:
                out.append(EventWord(offset + m.start(), offset + m.end(), m.group(),
                                     _EVENT_WORDS[k][1], _EVENT_WORDS[k][2]))
                pos = m.end()
                break
    return out


# -- claims ------------------------------------------------------------------------------------
_SAY = (r"said|says|say|claimed|claims|claim|told|reported|reports|announced|announces|stated|"
        r"wrote|writes|added|adds|confirmed|confirms|denied|denies|deny|insisted|insists|"
        r"posted|noted|warned|acknowledged|admitted|rejected|dismissed|refuted|tweeted|asserted|"
        r"maintained|hailed|accused|blamed|alleged that")
_DENY = re.compile(r"\b(denied|denies|deny|rejected|dismissed|refuted|disputed)\b", re.I)
_MOD = (r"[A-Z][\w'’.&-]*|of|the|and|for|de|al|el|its|his|her|their|local|regional|state|"
        r"military|foreign|defen[cs]e|interior|health|emergency|security|federal|national|senior|"
        r"top|official|news|press|border|city|district|provincial|county|village|former|chief|"
        r"fire|rescue|civil|coast|disaster|relief|aid|medical|hospital|"
        r"[a-z]+'s")
_HEAD = (r"[A-Z][\w'’.&-]*|authorities|officials|ministry|militia|militants|rebels|groups?|police|"
         r"army|military|forces|government|spokes(?:wo)?man|spokesperson|governor|mayor|"
         r"residents|witnesses|he|she|they|it|we|officers?|agency|fighters|troops|command|"
         r"sources?|commander|chief|official|analysts?|observers|media|outlets?|sheriff|"
         r"investigators|prosecutors?|doctors|hospital|service|office|department|council")
_SUBJECT_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<np>(?:(?:" + _MOD + r")\s+){0,7}?(?:" + _HEAD + r"))\s+"
    r"(?:(?:also|later|earlier|previously|then|had|has|have|on \w+|initially|separately|"
    r"further|reportedly)\s+)*(?P<verb>" + _SAY + r")\b(?!\s+(?:of|that the|by)\b)")
_SUBJECT_BEFORE_END = re.compile(_SUBJECT_BEFORE.pattern + r"$")
_NOUN_USE = re.compile(r"\s+(?:of|that the|by|were|was|are|is|made)\b")
_SAID_AFTER = re.compile(r"[,\"”]\s*(?P<verb>said|says|according to)\s+(?P<np>(?:the\s+)?"
                         r"(?:[A-Z][\w'’.&-]*\s*){1,6})")
_ACCORDING = re.compile(r"\b(?i:according to|citing|cited by|as reported by)\s+(?P<np>(?:the\s+)?"
                        r"(?:[\w'’.&-]+\s+){0,6}?[\w'’.&-]+)(?=\s*[,.;:]|\s+(?:on|in|at|who|which)\b|$)")
_ACCORDING_KEYS = ("according to", "citing", "cited by", "as reported by")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_BAD_SUBJECT = frozenset({"which", "that", "who", "this", "there", "what", "and", "monday",
                          "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                          "today", "yesterday", "but", "also", "it", "other"})


@dataclass
class Attribution:
    by: str
    stance: str
    verb: str
    start: int
    end: int


_SPACES = re.compile(r"\s+")
_NP_OPENER = re.compile(r"^(?:and|but|while|as|so|then|also|both|later|earlier|however,?)\s+",
                        re.I)
_NP_THE = re.compile(r"^(?:the|The)\s+")


def _clean_np(np: str) -> str:
    np = _SPACES.sub(" ", np).strip(" ,\"“”'’")
    np = _NP_OPENER.sub("", np)
    words = np.split()
    # keep the noun phrase right before the verb: drop a clause head ("who crossed ...")
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in ("that", "who", "which", "when", "while", "after", "because",
                                "but", "as", "if", "since"):
            words = words[i + 1:]
            break
    np = " ".join(words)
    np = _NP_THE.sub("", np)
    return np.strip(" ,.;:")


_SAY_WORDS = tuple(sorted({w.split()[0] for w in _SAY.split("|")} |
                          {"according", "citing", "cited", "reported"}))
_ATTR_HINT = re.compile(r"\b(?:" + _SAY + r"|according to|citing|cited by|reported by)\b", re.I)


def find_attributions(text: str, offset: int = 0,
                      starts: list[int] | None = None) -> list[Attribution]:
    """Who says what in one sentence (or clause): 'X said', 'according to X', '..., X said'.

    On a whole document pass ``starts`` (sentence starts, sorted) so no subject crosses a
    sentence boundary.
    """
    out: list[Attribution] = []
    lower = text.lower()
    if len(lower) != len(text):
        lower = text
    verbs = [v for v in (_ATTR_HINT.match(text, i) for i in keyword_positions(lower, _SAY_WORDS))
             if v is not None and (v.start() == 0 or not text[v.start() - 1].isalnum())]
    if not verbs:
        return out
    import bisect

    for v in verbs:
        # the subject sits in the few words before the verb: search only that window
        w0 = max(0, v.start() - 90)
        if starts:
            i = bisect.bisect_right(starts, v.start()) - 1
            if i >= 0:
                w0 = max(w0, starts[i])
        if _NOUN_USE.match(text, v.end()):
            continue  # "claims of mass casualties": a noun, not a verb
        m = _SUBJECT_BEFORE_END.search(text, w0, v.end())
        if m is None:
            continue
        np = _clean_np(m.group("np"))
        if not np or np.lower() in _BAD_SUBJECT or np.endswith(("'s", "’s")):
            continue
        stance = "denies" if _DENY.match(m.group("verb")) else "asserts"
        out.append(Attribution(np, stance, m.group("verb"), offset + m.start(), offset + m.end()))
    # "according to" and the like start every _ACCORDING match: try the pattern only there
    according = finditer_at(_ACCORDING, text, lower_for_keywords(text), _ACCORDING_KEYS)
    for matches in (_SAID_AFTER.finditer(text), according):
        for m in matches:
            np = _clean_np(m.group("np"))
            if np and np.lower() not in _BAD_SUBJECT:
                out.append(Attribution(np, "asserts", m.groupdict().get("verb") or "according to",
                                       offset + m.start(), offset + m.end()))
    out.sort(key=lambda a: a.start)
    return out


def best_attribution(attributions: list[Attribution], last_named: str | None) -> Attribution | None:
    """The one attribution a claim rests on: a named party first, pronouns resolved back."""
    if not attributions:
        return None
    named = [a for a in attributions if a.by.lower() not in _PRONOUNS]
    capital = [a for a in named if a.by[:1].isupper()]
    pick = (capital or named or attributions)[0]
    if pick.by.lower() in _PRONOUNS:
        if not last_named:
            return None
        pick = Attribution(last_named, pick.stance, pick.verb, pick.start, pick.end)
    if any(a.stance == "denies" for a in attributions if a.by == pick.by):
        pick.stance = "denies"
    return pick


# -- figures -----------------------------------------------------------------------------------
_FIG_VERBS = {
    "killed": r"killed|dead|died|deaths?|fatalities|lost their lives|shot dead|slain",
    "wounded": r"wounded|injured|injuries|hurt",
    "captured": r"captured|taken prisoner|taken captive|prisoners|detained|abducted|seized",
    "missing": r"missing|unaccounted for",
    "destroyed": r"destroyed|demolished|burned down|razed",
    "evacuated": r"evacuated|displaced",
}
_FIG_ACTIVE = {
    "killed": r"killed|killing|kill",
    "wounded": r"wounded|injured|wounding|injuring",
    "captured": r"captured|capturing|capture|took prisoner|detained|seized|abducted",
    "destroyed": r"destroyed|destroying|destroy|demolished",
    "evacuated": r"evacuated|evacuating|evacuate",
}
_NOUN = r"(?:(?!(?:were|was|are|is|have|has|had|been|and|or|but|while|as)\b)[\w'’-]+\s+){0,4}?"
# (kind, pattern, whether the match starts with the figure: see _FIGURE_START)
_FIG_PATTERNS: list[tuple[str, re.Pattern, bool]] = []
for _kind, _verbs in _FIG_VERBS.items():
    # "two of his fighters were lightly wounded", "one man was killed", "12 dead"
    _FIG_PATTERNS.append((_kind, re.compile(
        r"\b" + _QUALIFIER + r"(?P<n>" + NUMBER + r")\s+" + _NOUN +
        r"(?:(?:were|was|are|is|have been|has been|had been|been|got|reportedly|later)\s+)*"
        r"(?:\w+ly\s+)?(?:" + _verbs + r")\b", re.I), True))
    # "a dozen received injuries"
    if _kind == "wounded":
        _FIG_PATTERNS.append((_kind, re.compile(
            r"\b" + _QUALIFIER + r"(?P<n>" + NUMBER + r")\s+" + _NOUN +
            r"(?:received|sustained|suffered)\s+(?:\w+\s+)?(?:injuries|wounds)\b", re.I), True))
for _kind, _verbs in _FIG_ACTIVE.items():
    # "killed more than 70 fighters", "destroyed two military warehouses"
    _FIG_PATTERNS.append((_kind, re.compile(
        r"\b(?:" + _verbs + r")\s+(?:at least\s+|more than\s+|over\s+|some\s+|about\s+|around\s+|"
        r"nearly\s+|almost\s+|up to\s+|as many as\s+)?(?P<n>" + NUMBER + r")\b(?!\s*(?:km|kilomet|"
        r"miles?|percent|%|hours?|days?|years?|minutes?|am|pm|a\.m|p\.m))", re.I), False))
# A figure-first pattern above can only start at a digit or at a whole word of _QUALIFIER or
# NUMBER (re tries their 50 words at every word otherwise). Taking every lower-case run of the
# pattern text as a word also takes a few non-words ("s" of "\s"): harmless extra starts.
_FIGURE_START = re.compile(
    r"\b(?:\d|(?:" + trie_pattern(re.findall(r"[a-z]+", _QUALIFIER + NUMBER)) + r")\b)")


_FIG_HINTS = {"killed": ("kill", "dead", "died", "death", "fatalit", "lost their", "slain"),
              "wounded": ("wound", "injur", "hurt"),
              "captured": ("captur", "prisoner", "captive", "detain", "abduct", "seiz", "took"),
              "missing": ("missing", "unaccounted"),
              "destroyed": ("destroy", "demolish", "burn", "razed"),
              "evacuated": ("evacuat", "displac")}
_FIG_HINT_KINDS = [(hint, kind) for kind, hints in _FIG_HINTS.items() for hint in hints]
_NUMBER_HINT = re.compile(r"\d|\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                          r"twelve|\w+teen|\w+ty|dozen|hundred|single|couple|pair|both)\b", re.I)


def find_figures(text: str) -> dict[str, int]:
    """Figures in one clause: {'killed': 1, 'wounded': 12}. The first figure of a kind wins."""
    found: dict[str, tuple[int, int]] = {}
    lower = text.lower()
    # the cheap substring tests first: most clauses name no casualties at all
    kinds = {kind for hint, kind in _FIG_HINT_KINDS if hint in lower}
    if not kinds or not _NUMBER_HINT.search(text):
        return {}
    lower_ok = lower_for_keywords(text, lower)
    starts = None if lower_ok is None else [m.start() for m in _FIGURE_START.finditer(lower_ok)]
    for kind, pattern, figure_first in _FIG_PATTERNS:
        if kind not in kinds:
            continue
        matches = matches_at(pattern, text, starts) if figure_first and starts is not None \
            else pattern.finditer(text)
        for m in matches:
            n = parse_number(m.group("n"))
            if n is None or (1900 <= n <= 2100 and m.group("n").isdigit()):
                continue  # a year, not a count
            if kind not in found or m.start() < found[kind][0]:
                found[kind] = (m.start(), n)
    return {k: v[1] for k, v in sorted(found.items())}


_CLAUSE_CUT = re.compile(r"(?:,\s+(?:but|while|whereas|although|though)\s+|;\s+|\s+but\s+)")


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clauses joined by ', but', '; ', ', while', ', whereas' (each may carry its own claim)."""
    cuts = [0]
    for m in _CLAUSE_CUT.finditer(text):
        cuts.append(m.start())
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


# -- verification ------------------------------------------------------------------------------
_UNVERIFIED = re.compile(
    r"(?P<np>(?:[A-Z][\w'’.&-]*\s+){0,5}?(?:[A-Z][\w'’.&-]*|we|it|reporters|journalists))?\s*"
    r"(?:could not|couldn't|cannot|can't|was unable to|were unable to|is unable to|has not been able"
    r" to|have not been able to|did not|was not able to)\s+(?:be\s+)?(?:independently\s+)?"
    r"(?:verify|verified|confirm|confirmed)|(?:has|have|had) not been (?:independently )?"
    r"(?:verified|confirmed)|unverified|could not be (?:independently )?(?:verified|confirmed)|"
    r"\b(?:neither|none)\b[^.]{0,80}?\b(?:could|can) be (?:independently )?(?:verified|confirmed)",
    re.I)
_CONFIRMED = re.compile(
    r"\b(?:confirmed|verified|geolocated) by (?P<np>(?:the\s+)?(?:[A-Z][\w'’.&-]*\s*){1,5})|"
    r"(?P<np2>(?:[A-Z][\w'’.&-]*\s+){1,5})(?:has |have )?(?:independently )?"
    r"(?:verified|geolocated)\b")


@dataclass
class VerificationNote:
    status: str
    by: str | None
    sentence: str


_VERIFY_HINT = re.compile(r"verif|confirm|geolocat", re.I)


def find_verification(text: str) -> VerificationNote | None:
    """'X could not verify the claims' -> unverified (by X); 'confirmed by Y' -> confirmed."""
    low = text.lower()
    if "verif" not in low and "confirm" not in low and "geolocat" not in low:
        return None
    hint = _VERIFY_HINT.search(text)
    if not hint:
        return None
    m = _UNVERIFIED.search(text, max(0, hint.start() - 110), min(len(text), hint.end() + 20))
    if m:
        by = _clean_np(m.group("np") or "") or None
        if by and by.lower() in ("we", "it"):
            by = None
        return VerificationNote("unverified", by, text)
    m = _CONFIRMED.search(text)
    if m:
        by = _clean_np(m.group("np") or m.group("np2") or "") or None
        return VerificationNote("confirmed", by, text)
    return None
