"""What the Russian and Ukrainian packs share: how their word lists become a ``LanguagePack``.

Both languages inflect: a speech verb, an event noun or a number comes in many endings, so the
patterns take stems (``обстрел…``) and the word lists are written in Cyrillic and normalised
here the way the extractor normalises a text (``mapper.gazetteer.normalize``). Month and weekday
names and the relative day words come from dateparser's locale data (``ru``, ``uk``), so they
are the ones dateparser knows; the weekday accusative ("в среду", "у п'ятницю") is made here.
"""
from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mapper.extract.lang import DateWords, EventWords
from mapper.extract.scan import trie_pattern
from mapper.gazetteer.normalize import normalize

NEVER_MATCHES = re.compile(r"(?!)")  # a stage with nothing to find in this language
# "БЕЛГОРОД, 14 марта —", "ХАРКІВ —": capitals of both alphabets (І Ї Є Ґ lie outside А-Я)
DATELINE = re.compile(r"^[ \t]*[A-ZА-ЯЁІЇЄҐ][A-ZА-ЯЁІЇЄҐ'’.\- ]+(?:,\s*[^—–\n(]{1,40}?)?\s*"
                      r"(?:\([^()\n]{1,20}\)\s*)?[—–]", re.M)
_UPPER = "A-ZА-ЯЁІЇЄҐ"
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[—–-]?\s*[" + _UPPER + r"0-9])|"
                          r"[.!?…]+[\"'”’»)\]]*\s*$")


def norms(words: str | Iterable[str]) -> frozenset[str]:
    """Normalised forms of whitespace-separated Cyrillic words (as tokens are normalised)."""
    items = words.split() if isinstance(words, str) else words
    return frozenset(k for k in (normalize(w) for w in items) if k)


def lowers(words: str) -> frozenset[str]:
    """Lower-case surface forms of whitespace-separated words."""
    return frozenset(w.lower() for w in words.split())


# -- dates from dateparser's locale data -------------------------------------------------------
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _locale(code: str) -> dict:
    return importlib.import_module(f"dateparser.data.date_translation_data.{code}").info


def month_names(code: str, extra: Mapping[str, int] = {}) -> dict[str, int]:  # noqa: B006
    """Month words (lower case, every form dateparser lists, abbreviations of 3+ letters)."""
    info = _locale(code)
    out = {w.lower().rstrip("."): i for i, m in enumerate(_MONTHS, 1) for w in info[m]
           if len(w.rstrip(".")) >= 3}
    out.update(extra)
    return out


def weekday_names(code: str) -> dict[str, int]:
    """Weekday words: dateparser's nominatives (3+ letters) and their accusatives (среда ->
    среду, п'ятниця -> п'ятницю), which "в/у <day>" takes.
    """
    info = _locale(code)
    out: dict[str, int] = {}
    for i, d in enumerate(_DAYS):
        for w in info[d]:
            w = w.lower().rstrip(".")
            if len(w) < 5:  # "пнд", "вів": abbreviations that read as other words
                continue
            out[w] = i
            if w.endswith("а"):
                out[w[:-1] + "у"] = i
            elif w.endswith("я"):
                out[w[:-1] + "ю"] = i
    return out


def relative_words(code: str) -> dict[str, int]:
    """Relative day words from dateparser: "вчера" -> 1 (days before publication)."""
    out: dict[str, int] = {}
    for key, words in _locale(code)["relative-type"].items():
        m = re.fullmatch(r"(\d+) day ago", key)
        if m:
            for w in words:
                out[w.lower()] = int(m.group(1))
    return out


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class DateVocabulary:
    """The language's date words beyond dateparser's lists."""

    day_suffix: str  # "-го" in "12-го березня"
    weekday_pre: str  # prepositions before a weekday ("в", "во", "у")
    # relative expressions (lower case) -> days before publication
    relative: Mapping[str, int]
    since: str  # "с", "з": "since"
    month_in: Mapping[str, int]  # locative month names: "в марте", "у березні" (month precision)
    month_pre: str  # prepositions before them ("в", "у")


def date_words(code: str, vocab: DateVocabulary) -> DateWords:
    """The ``DateWords`` of a Cyrillic language: "12 марта", "12-го березня 2025", "в
    среду", "вчера", "минувшей ночью" resolved against the publication date.
    """
    months = month_names(code, vocab.month_in)
    weekdays = weekday_names(code)
    rel = dict(relative_words(code))
    rel.update(vocab.relative)
    mon = r"(?P<mon>" + alternation(months) + r")"
    day = r"(?P<day>[0-3]?\d)(?:" + vocab.day_suffix + r")?"
    year = r"(?:\s+(?P<year>(?:19|20)\d\d)(?:\s*(?:года|г\.|року|р\.))?)?"
    wd = r"(?P<wd>" + alternation(weekdays) + r")"
    patterns = (
        ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
        ("dmrange", re.compile(r"(?i:\b(?:с|з|від)\s+)?\b" + day + r"\s*(?:-|–|—|по|до)\s*"
                               r"(?P<day2>[0-3]?\d)(?:" + vocab.day_suffix + r")?\s+" + mon
                               + r"\b" + year, re.I)),
        ("dm", re.compile(r"(?:(?P<since>" + vocab.since + r")\s+)?\b" + day + r"\s+" + mon
                          + r"\b" + year, re.I)),
        ("my", re.compile(r"\b(?P<pre>" + vocab.month_pre + r")\s+(?P<mon>"
                          + alternation(vocab.month_in) + r")\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
        ("m", re.compile(r"\b(?P<pre>" + vocab.month_pre + r")\s+(?P<mon>"
                         + alternation(vocab.month_in) + r")\b(?!\s+\d)", re.I)),
        ("wd", re.compile(r"(?:\b(?P<pre>" + vocab.weekday_pre + r")\s+)?\b" + wd + r"\b"
                          r"(?!,?\s+(?:[0-3]?\d))", re.I)),
        ("rel", re.compile(r"\b(?=\w)(?P<rel>" + alternation(rel) + r")\b", re.I)),
        ("year", re.compile(r"\b(?P<pre>в|у|с|з)\s+(?P<year>(?:19|20)\d\d)\s+(?:году|року)\b",
                            re.I)),
    )

    def relative(expr: str, count: int | None, p: dt.date
                 ) -> tuple[dt.date, dt.date | None, str] | None:
        back = rel.get(" ".join(expr.split()))
        return None if back is None else (p - dt.timedelta(days=back), None, "day")

    month_stems = sorted({m[:3] for m in months})
    anchors = tuple(month_stems + [s.capitalize() for s in month_stems])
    return DateWords(
        months=months, weekdays=weekdays, patterns=patterns, month_anchors=anchors,
        weekday_anchors=tuple(sorted({w[:3] for w in weekdays})),
        relative_anchors=tuple(sorted({w.split()[0][:4] for w in rel})),
        date_words=tuple(sorted({w[:3] for w in months} | {w[:3] for w in weekdays} |
                                {w.split()[0][:4] for w in rel})),
        anchor_of={"iso": "digit", "year": "digit", "wd": "wd", "rel": "rel"},
        ambiguous_months=frozenset(), relative=relative,
        range_gap=re.compile(r"\s+(?:и|і|та|до|по)\s+|\s*[-–—]\s*"))


# -- figures -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FigureVocabulary:
    """Numbers and casualty words of a language (regex sources, lower case)."""

    numbers: Mapping[str, int]  # number words in every case form -> value
    qualifier: str  # "более", "щонайменше": before a count
    passive: Mapping[str, str]  # kind -> participles and verbs ("ранены", "загинула")
    auxiliary: str  # "были", "було": between a count and its verb
    not_after: str  # units after a count that make it no casualty count


def figure_patterns(v: FigureVocabulary) -> tuple[
        tuple[tuple[str, re.Pattern[str], bool], ...], re.Pattern[str]]:
    """(figure patterns, where a figure-first one can start).

    Both orders: "ранены двое", "загинула одна людина" (verb first) and "двое ранены", "троє
    поранені", "один человек погиб" (count first).
    """
    number = r"(?:\d+|" + alternation(v.numbers) + r")"
    qual = r"(?:(?:" + v.qualifier + r")\s+)?"
    noun = r"(?:[\w'’-]+\s+){0,3}?"
    out: list[tuple[str, re.Pattern[str], bool]] = []
    for kind, verbs in v.passive.items():
        out.append((kind, re.compile(
            r"\b(?:" + verbs + r")\s+(?:(?:ещё|еще|ще|также|також)\s+)?" + qual + r"(?P<n>"
            + number + r")\b(?!\s*(?:" + v.not_after + r"))", re.I), False))
        out.append((kind, re.compile(
            r"\b" + qual + r"(?P<n>" + number + r")\s+" + noun + r"(?:(?:" + v.auxiliary
            + r")\s+)?(?:" + verbs + r")\b", re.I), True))
    words = re.findall(r"[^\W\d_]+", " ".join(v.numbers) + " " + v.qualifier.replace("|", " "))
    start = re.compile(r"\b(?:\d|(?:" + trie_pattern(w.lower() for w in words) + r")\b)")
    return tuple(out), start


def number_hint(numbers: Mapping[str, int]) -> re.Pattern[str]:
    """A clause without a digit or one of these words holds no figure."""
    return re.compile(r"\d|\b(?:" + alternation(numbers) + r")\b", re.I)


# -- the pack ----------------------------------------------------------------------------------
def event_words(groups: Iterable[tuple[str, str, float]], rank: tuple[str, ...],
                numbers: Mapping[str, int], qualifier: str) -> EventWords:
    """The ``EventWords`` of a Cyrillic language (sentences end before a Cyrillic capital)."""
    return EventWords(
        abbreviations=lowers("г ул обл р-н им т.е т.д ст с пос смт м вул"),
        sentence_end=SENTENCE_END, sentence_end_first=re.compile("[.!?…]"), units={}, tens={},
        special_numbers=dict(numbers),
        number=r"(?:\d+|" + alternation(numbers) + r")", qualifier=qualifier,
        event_words=tuple(groups), category_rank=rank)
