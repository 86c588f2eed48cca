"""Language packs: every word list, pattern and scoring weight extraction reads, per language.

The extraction modules (``text``, ``toponyms``, ``resolve``, ``events``, ``dates``,
``claims``, ``roles``, ``drafts``) hold the logic only; what a language says lives in one
``LanguagePack``, chosen per article by its ``language`` metadata (``pack_for``).

Adding a language
-----------------
Write ``mapper/extract/lang/xx.py`` (``xx`` the ISO 639-1 code) defining ``PACK``, a
``LanguagePack`` with one object per stage below, and add ``"xx"`` to ``_MODULES``. Start from
``en.py``: the field docs of each stage say what the logic expects of each pattern (named groups
it reads, where a match must start). A stage a language does not need yet may reuse the English
object (``dataclasses.replace(en.PACK, code="xx", ...)`` keeps the rest), since names of places,
numbers in digits and ISO dates read the same everywhere. ``tests/test_lang.py`` checks every
registered pack has what the logic needs.

Speed: a case-blind pattern searched through text that opens with a word boundary and then
a word opens with the boundary and a look-ahead for a word character in the packs (a word
starts there): the same matches, but re turns down the ends of words at once instead of trying
every branch of the alternation there (the relative date pattern runs about twice as fast).

Weights are per stage too (``Weights``): the same numbers in every pack unless a language
gives evidence differently (a language without capitals cannot weigh capitalisation).
"""
from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

DEFAULT_LANGUAGE = "en"
# Registered packs: code -> module under mapper.extract.lang (imported when first asked for).
_MODULES: dict[str, str] = {"en": "en", "ru": "ru", "uk": "uk"}
_LOADED: dict[str, LanguagePack] = {}
NEVER = re.compile(r"(?!)")  # a pattern that matches nothing: for optional pack fields


@dataclass(frozen=True, eq=False)
class TextWords:
    """Stage ``text``: lines that are not news (``mark_zones``). Patterns match one line."""

    ui_line: re.Pattern[str]  # site furniture: "Read more", "Share", "5 min read"
    appeal: re.Pattern[str]  # a line asking the reader for money, an address, a membership
    appeal_keys: tuple[str, ...]  # lower-case substrings, one of which every appeal match holds
    appeal_opener: re.Pattern[str]  # a line that opens an appeal block ("A message from ...")
    reader_address: re.Pattern[str]  # words speaking to the reader ("we", "you", "our")
    bio: re.Pattern[str]  # "X is a reporter ..." at a line start
    bio_keys: tuple[str, ...]  # lower-case substrings, one of which every bio line holds
    bio_hint: re.Pattern[str]  # weaker bio evidence ("based in", "graduated from")
    bio_work: re.Pattern[str]  # with bio_hint: a word about journalism work
    credit: re.Pattern[str]  # photo captions and credits ("Photo: X / Agency")


@dataclass(frozen=True, eq=False)
class ToponymWords:
    """Stage ``toponyms``: which gazetteer matches are place names (all sets hold lower case)."""

    never: frozenset[str]  # never looked up (function words); also left out of the automaton
    common: frozenset[str]  # ordinary words that are also town names somewhere
    given_names: frozenset[str]  # first names: a place-named word beside one is a person
    months: frozenset[str]  # month names and abbreviations ("March 14" is no place)
    weekdays: frozenset[str]  # weekday names ("on Sunday" is no place)
    particles: frozenset[str]  # lower-case words allowed inside a name ("of", "de", "al")
    org_after: frozenset[str]  # capitalised word after a place making an organisation name
    org_of: frozenset[str]  # "University of X": head words of organisations ending in a place
    group_after: frozenset[str]  # lower-case noun after a place naming a group ("militia")
    place_after: frozenset[str]  # capitalised words that may follow a place (designators)
    place_before: frozenset[str]  # capitalised words that may precede a place (openers)
    title_before: frozenset[str]  # titles before a person's name ("President", "Gen")
    compound_prefix: frozenset[str]  # "anti-", "pro-": X is part of an adjective
    name_tails: frozenset[str]  # words completing a name ("Strip", "Valley", "Sea")
    arabic_article: frozenset[str]  # "al-", "el-": the next word is another name
    designators: Mapping[str, str]  # "oblast" -> "admin1", "village" -> "settlement"
    region_abbreviations: Mapping[str, str]  # "Calif." -> "California" (after "Town, ")
    country_abbreviations: Mapping[str, str]  # "U.S." -> "United States"
    demonyms: Mapping[str, str]  # "russian" -> "RU": adjectives and people of a country
    # Optional (a pack without them loses only what they find):
    wide_given_names: frozenset[str] = frozenset()  # more first names, for the word beside
    place_copula: re.Pattern[str] = NEVER  # right after a name: "is a town in", "is located"
    place_preposition: re.Pattern[str] = NEVER  # ends the 12 characters before: "in "
    disease_after: re.Pattern[str] = NEVER  # right after a name: "virus", "fever"
    named_settlement: re.Pattern[str] = NEVER  # "the village of X": group 1 is the name X
    named_settlement_keys: tuple[str, ...] = ()  # lower case; each match holds one of them
    copula_gap: re.Pattern[str] = NEVER  # all between X and Y in "X is a town in Y"
    # physical features (``mapper.extract.features``): words right before a name that say it
    # is one ("river", "lake", "mount", "реки"), and the end of the text before a name that
    # says so when a town shares it ("the Dnipro", "на Днепре")
    feature_before: frozenset[str] = frozenset()
    feature_context: re.Pattern[str] = NEVER
    # the end of the text before a name that makes it a town again ("in Dnipro", "в Днепре")
    town_context: re.Pattern[str] = NEVER
    # right after a feature: it names something else ("Black Sea coast", "Black Sea fleet")
    feature_modifier: re.Pattern[str] = NEVER
    # between a feature and a place that locates it ("the Seym river near Tyotkino", "на реке
    # Сейм у Тёткино"): matched on the whole gap; the place is the scene, not the river
    feature_locator: re.Pattern[str] = NEVER
    # ends the text before a feature named as a reference, not a scene ("on the shores of Lake
    # Tana", "across the Black Sea")
    feature_reference: re.Pattern[str] = NEVER
    # right after an area's adjective, its authority ("Сумська обласна військова адміністрація",
    # "Харківської ОВА", "Белгородская областная"): the adjective names the area, as context
    authority_after: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class EventWords:
    """Stage ``events``: sentences, numbers and event words."""

    abbreviations: frozenset[str]  # words ending in "." that do not end a sentence ("gen")
    sentence_end: re.Pattern[str]  # where a sentence ends inside a line
    units: Mapping[str, int]  # number words 0-19
    tens: Mapping[str, int]  # "twenty" -> 20
    special_numbers: Mapping[str, int]  # "a dozen" -> 12
    number: str  # regex source of a count in digits or words
    qualifier: str  # regex source of "more than", "at least" before a count (optional group)
    # (regex source, category, weight): the first source matching a word wins; every word of
    # a source starts with lower-case letters the finder indexes (see events._prefixes)
    event_words: tuple[tuple[str, str, float], ...]
    category_rank: tuple[str, ...]  # the larger act first when scores tie
    # optional: ends the 30 characters before an intended or conditional act ("would launch")
    intent_before: re.Pattern[str] = NEVER
    intent_keys: tuple[str, ...] = ()  # lower case; every intent_before match holds one
    # optional: one character every sentence_end match starts with ("[.!?]"): the pattern is
    # then tried only where one stands
    sentence_end_first: re.Pattern[str] = NEVER


@dataclass(frozen=True, eq=False)
class DateWords:
    """Stage ``dates``: date expressions resolved against the publication date.

    ``patterns`` are (kind, pattern); ``dates._resolve`` reads these kinds and groups: iso
    (y, m, d), mdrange/dmrange (mon, day, day2, year), md/dm (mon, day, year, since), my/m (mon,
    year, pre), wd (wd, pre), rel (the whole match goes to ``relative``), year (year).
    Each kind is searched near anchors (``anchor_of``: digit, month, wd, rel).
    """

    months: Mapping[str, int]  # "march" -> 3, "mar" -> 3
    weekdays: Mapping[str, int]  # "monday" -> 0
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    month_anchors: tuple[str, ...]  # case-sensitive substrings every month match holds
    weekday_anchors: tuple[str, ...]  # lower-case substrings every weekday match holds
    relative_anchors: tuple[str, ...]  # lower-case substrings every relative match holds
    date_words: tuple[str, ...]  # without a digit or one of these, a text holds no date
    anchor_of: Mapping[str, str]  # kind -> anchor list ("month" when not listed)
    ambiguous_months: frozenset[str]  # month words that are also common words ("may")
    # (expression in lower case, published) -> (date, date_end, precision) or None
    relative: Callable[[str, int | None, dt.date], tuple[dt.date, dt.date | None, str] | None]
    range_gap: re.Pattern[str]  # between two weekdays making one range ("and", "to")


@dataclass(frozen=True, eq=False)
class ClaimWords:
    """Stage ``claims``: who says what, figures, verification."""

    say: str  # regex source: speech verbs ("said|claimed|...")
    deny: re.Pattern[str]  # the verbs among them that deny
    subject_before: re.Pattern[str]  # "<np> <say>" ending at the verb: groups np, verb
    noun_use: re.Pattern[str]  # after a speech word: it is a noun ("claims of")
    said_after: re.Pattern[str]  # '", said X': groups verb, np
    according: re.Pattern[str]  # "according to X": group np
    according_keys: tuple[str, ...]  # lower-case words every ``according`` match starts with
    attribution_hint: re.Pattern[str]  # any speech word (one regex over the text)
    say_words: tuple[str, ...]  # first words of ``say`` and ``according`` (substring search)
    pronouns: frozenset[str]  # subjects resolved to the last named speaker
    bad_subjects: frozenset[str]  # never a speaker ("which", "Monday")
    np_opener: re.Pattern[str]  # conjunctions cut from the start of a speaker
    np_article: re.Pattern[str]  # the article cut from the start of a speaker
    clause_heads: frozenset[str]  # "who", "that": the speaker is after the last one
    figure_patterns: tuple[tuple[str, re.Pattern[str], bool], ...]  # (kind, pattern: group n,
    # whether the match starts at the figure)
    figure_start: re.Pattern[str]  # where a figure-first pattern can start
    figure_hints: Mapping[str, tuple[str, ...]]  # kind -> lower-case substrings it needs
    number_hint: re.Pattern[str]  # a clause without a match holds no figure
    clause_cut: re.Pattern[str]  # where a sentence splits into clauses
    unverified: re.Pattern[str]  # "could not verify": optional group np (who says so)
    confirmed: re.Pattern[str]  # "confirmed by X": groups np or np2
    verify_keys: tuple[str, ...]  # lower-case substrings every verification note holds


@dataclass(frozen=True, eq=False)
class RoleWords:
    """Stage ``roles`` and ``drafts``: what a place is in its sentence, how drafts form."""

    context_before: re.Pattern[str]  # text before a place making it context ("born in")
    context_first: re.Pattern[str]  # lower-case lookahead: where context_before can start
    context_designator: re.Pattern[str]  # lower case: "province of" (the other start)
    opener: re.Pattern[str]  # "In X, ..." opening a sentence
    country_container: re.Pattern[str]  # "regions of" before a country: a container
    title_after: re.Pattern[str]  # "X governor", "X officials" after a place
    dateline: re.Pattern[str]  # "KHARKIV, Ukraine (AP) —"
    speaker_after: re.Pattern[str]  # "X said": a speaker, not a scene
    possessive_noun: re.Pattern[str]  # "X's government"
    possessive_s: re.Pattern[str]  # "'s"
    event_prep: re.Pattern[str]  # "in", "near", "struck" ending the text before a place
    target_before: re.Pattern[str]  # a country is the target: "strikes on", "into"
    anaphor: re.Pattern[str]  # "the two regions": groups n, what, what2
    anaphor_numbers: Mapping[str, int]  # "two" -> 2, "both" -> 2
    said_before: re.Pattern[str]  # "said on March 16": a date of the statement
    said_after: re.Pattern[str]
    event_before_date: re.Pattern[str]  # an event word before the date: the event's date
    list_gap: re.Pattern[str]  # between names of one list (", ", " and ")


@dataclass(frozen=True)
class Weights:
    """Named scoring weights, one table per stage (``weights.resolve["population"]``)."""

    resolve: Mapping[str, float] = field(default_factory=dict)
    roles: Mapping[str, float] = field(default_factory=dict)
    drafts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class LanguagePack:
    """Everything language-specific extraction reads, one object per stage."""

    code: str  # ISO 639-1 ("en")
    name: str  # "English"
    text: TextWords
    toponyms: ToponymWords
    events: EventWords
    dates: DateWords
    claims: ClaimWords
    roles: RoleWords
    weights: Weights
    # where the language is written about first: a name in the language's script matching a
    # place there is its own name, not a foreign word that happens to be an alternate spelling
    home_countries: frozenset[str] = frozenset()


def languages() -> list[str]:
    """The codes of the registered packs."""
    return sorted(_MODULES)


def get(code: str) -> LanguagePack:
    """The pack for ``code`` (a registered code; see ``pack_for`` for metadata values)."""
    pack = _LOADED.get(code)
    if pack is None:
        module = importlib.import_module(f"{__name__}.{_MODULES[code]}")
        pack = _LOADED[code] = module.PACK
    return pack


def pack_for(language: str | None) -> LanguagePack:
    """The pack for an article's ``language`` metadata: "en", "en-GB", "EN_us" all give
    English; a language without a pack (or none given) gives the default, English.
    """
    if language:
        code = str(language).strip().lower().replace("_", "-").split("-")[0]
        if code in _MODULES:
            return get(code)
    return get(DEFAULT_LANGUAGE)


def never_words() -> frozenset[str]:
    """Function words of every registered pack (left out of the name automaton)."""
    out: set[str] = set()
    for code in _MODULES:
        out |= get(code).toponyms.never
    return frozenset(out)
