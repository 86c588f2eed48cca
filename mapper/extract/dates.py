"""Dates of events, resolved against the publication date.

"March 14" takes the most recent year that does not put it after publication, "in March" is
that month (month precision), "on Tuesday" the last Tuesday on or before publication, "over the
past few days" a range ending at publication. The words and patterns come from the language
pack (``DateWords``); the arithmetic here is the same for every language.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from mapper.extract.events import DATE_CUES, parse_number
from mapper.extract.keywords import TextCues
from mapper.extract.lang import DateWords, LanguagePack, pack_for
from mapper.extract.scan import CASE_TRAPS, DIGIT, keyword_positions, windowed

_YEARISH = re.compile(r"\d{4}")


@dataclass
class DateExpr:
    """A date expression in the text and the date (or range) it stands for."""

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


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    nxt = (day.replace(day=28) + dt.timedelta(days=4))
    return nxt - dt.timedelta(days=nxt.day)


Resolved = tuple[dt.date, "dt.date | None", str]


def _resolve(kind: str, m: re.Match[str], published: dt.date | None,
             pack: LanguagePack) -> Resolved | None:
    """(date, date_end, precision) of one match, or None."""
    w = pack.dates
    g = m.groupdict()
    p = published
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d, None, "day") if d else None
    if kind in ("mdrange", "dmrange", "md", "dm"):
        month = w.months[g["mon"].lower().rstrip(".")]
        day = int(g["day"])
        year = int(g["year"]) if g.get("year") else _year_for(month, day, p)
        if year is None:
            return None
        d = _safe_date(year, month, day)
        if d is None:
            return None
        if kind == "md" and g.get("since"):
            return (d, p, "day") if p else (d, None, "day")
        if kind.endswith("range"):
            d2 = _safe_date(year, month, int(g["day2"]))
            if d2 is None or d2 < d:
                return None
            return d, d2, "day"
        return d, None, "day"
    if kind in ("my", "m"):
        month = w.months[g["mon"].lower().rstrip(".")]
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
        return first, month_end(first), "month"
    if p is None:
        return None
    if kind == "wd":
        target = w.weekdays[g["wd"].lower()]
        pre = (g.get("pre") or "").strip().lower()
        back = (p.weekday() - target) % 7
        if pre == "last" and back == 0:
            back = 7
        when = p - dt.timedelta(days=back)
        if pre == "since":
            return when, p, "day"
        return when, None, "day"
    if kind == "rel":
        number = g.get("n") or g.get("n2")
        count = parse_number(number, pack) if number else None
        return w.relative(g["rel"].lower(), count, p)
    if kind == "year":
        year = int(g["year"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    return None


def _may_hold_date(text: str, lower: str, date_words: tuple[str, ...]) -> bool:
    """A digit or a date word (``lower`` is ``text.lower()``): the cheap test before any date
    pattern runs (substring tests in C; an alternation of these words would be tried at every
    character).
    """
    if DIGIT.search(text) or CASE_TRAPS.search(text):
        return True
    return any(w in lower for w in date_words)


def find_dates(text: str, published: dt.date | None, offset: int = 0,
               pack: LanguagePack | None = None) -> list[DateExpr]:
    """Date expressions in ``text`` resolved against ``published``; spans shifted by offset."""
    pack = pack or pack_for(None)
    w = pack.dates
    lower = text.lower()
    if not _may_hold_date(text, lower, w.date_words):
        return []
    if len(lower) != len(text):  # a rare character whose lower case is longer
        lower = text
    return _dates(text, published, offset, pack, keyword_positions(text, w.month_anchors),
                  keyword_positions(lower, w.weekday_anchors),
                  keyword_positions(lower, w.relative_anchors))


class SentenceDates:
    """``find_dates`` over the sentences of one text, the same answers: the pack's cue words
    (``DATE_CUES``: date words, month, weekday and relative anchors) are found once in the
    whole text (``keywords.CueWords``) instead of once per sentence. ``dates(a, b)`` is
    ``find_dates(text[a:b], published, a, pack)``.
    """

    def __init__(self, cues: TextCues, published: dt.date | None,
                 pack: LanguagePack) -> None:
        self.text = cues.text
        self.published = published
        self.pack = pack
        words, month, wd, rel = (cues.spots(name) for name in DATE_CUES)
        self._spots = (words, month, wd, rel) if words is not None and month is not None and \
            wd is not None and rel is not None else None

    def dates(self, a: int, b: int) -> list[DateExpr]:
        """The date expressions of ``text[a:b]`` (spans in the whole text)."""
        text = self.text
        if self._spots is None:
            return find_dates(text[a:b], self.published, a, self.pack)
        words, month, wd, rel = self._spots
        if not (DIGIT.search(text, a, b) or CASE_TRAPS.search(text, a, b) or
                words.any_within(a, b)):
            return []
        return _dates(text[a:b], self.published, a, self.pack, month.starts_within(a, b),
                      wd.starts_within(a, b), rel.starts_within(a, b))


def _dates(text: str, published: dt.date | None, offset: int, pack: LanguagePack,
           month: list[int], wd: list[int], rel: list[int]) -> list[DateExpr]:
    """The date expressions of ``text`` that may hold one, around the anchors given."""
    w = pack.dates
    taken: list[tuple[int, int]] = []
    out: list[DateExpr] = []
    anchors = {"digit": [m.start() for m in _YEARISH.finditer(text)], "month": month, "wd": wd,
               "rel": rel}
    for kind, pattern, key in _patterns(w):
        at = anchors[key]
        if not at:
            continue
        for m in windowed(pattern, text, at):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if kind in ("md", "dm", "my", "m") and \
                    m.group("mon").lower() in w.ambiguous_months and \
                    not m.group("mon")[0].isupper():
                continue
            resolved = _resolve(kind, m, published, pack)
            if resolved is None:
                continue
            d, d2, precision = resolved
            if published is not None and d > published and kind != "iso":
                continue  # a future date is a plan, not an event
            taken.append((a, b))
            out.append(DateExpr(offset + a, offset + b, m.group(), d, d2, precision, kind))
    out.sort(key=lambda e: e.start)
    return _join_ranges(text, out, offset, w.range_gap)


@cache
def _patterns(w: DateWords) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(kind, pattern, the anchor list it is searched around) of a pack, in the pack's order."""
    return tuple((kind, pattern, w.anchor_of.get(kind, "month")) for kind, pattern in w.patterns)


def _join_ranges(text: str, found: list[DateExpr], offset: int,
                 gap: re.Pattern[str]) -> list[DateExpr]:
    """"on Wednesday and Thursday", "between Friday and Sunday": one range."""
    out: list[DateExpr] = []
    for e in found:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == e.kind == "wd" and prev.date_end is None and \
                e.date_end is None and gap.fullmatch(text, prev.end - offset, e.start - offset):
            lo, hi = sorted((prev.date, e.date))
            out[-1] = DateExpr(prev.start, e.end, text[prev.start - offset:e.end - offset], lo, hi,
                               "day", "wd")
            continue
        out.append(e)
    return out
