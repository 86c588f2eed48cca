"""Toponym recognition driven by the gazetteer.

An Aho-Corasick automaton (pyahocorasick) holds every normalised gazetteer name wrapped in
spaces (" kursk oblast "); the document's words are normalised the same way and joined with
single spaces, so one pass finds every name that starts and ends on a word boundary. The
automaton is built once from ``Gazetteer.iter_names()`` and saved next to the database.

Most matches are not places: "the", "Of", "Read", "Denis" in "Denis Kapustin", "Kyiv" in "The
Kyiv Independent". Context rules sort them out without a model: capitalisation, sentence
position, a list of common words, adjacency to other capitalised words (person and
organisation names), outlet and organisation head words, group names ("the Fano militia").
"Moscow-born" keeps Moscow as a place (role ``context`` later). A rejected match naming a
well-known place ("The Kyiv Independent") is kept as a ``not-a-place`` mention so a reviewer
sees why.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from mapper.extract.events import matches_at
from mapper.gazetteer.normalize import normalize

INDEX_VERSION = 3
# Alternate names of settlements smaller than this are not searched for (see NameIndex.build).
MIN_ALTERNATE_POPULATION = 1000
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")  # split() keeps the words (odd indices)
_POSSESSIVE_ENDS = frozenset({"'s", "’s", "ʼs", "'S", "’S", "ʼS"})

# Words never looked up: no place is known by them alone in English text, and they are frequent.
_NEVER = frozenset("""the and a an or but to is was be are were it he she we they i you this
that these those his her its their our my your me him them not so if then than who whom which
what when where why how all any some also just only said says has have had do does did will
would can could might must shall should been being via""".split())

# Common English words that are also the names of towns somewhere. Checked on the normalised
# key of a one-word match; such a match needs strong evidence (see ``_common_word_ok``).
_COMMON = frozenset("""read mobile of home support join show more most best live watch share many
news police march may june july august april january february september october november december
monday tuesday wednesday thursday friday saturday sunday today video photo photos getty images
press media opinion sport sports business culture world politics video email contact about
search menu login subscribe donate comment comments reply like follow tag tags topics topic
latest update updates breaking analysis feature features editor editors reporter author
president minister governor mayor general colonel captain major sergeant officer police army
navy force forces corps legion battalion brigade regiment division unit units group groups
freedom liberty victory glory hope faith union unity peace independence republic democracy
justice progress prosperity enterprise commerce industry plain plains valley hill hills
mountain lake river beach bay harbor harbour port island islands point park center centre city
town village state county district region province capital north south east west central
northern southern eastern western middle upper lower new old great little big long short
white black red green blue brown gold silver golden royal saint holy mount fort lake
man woman men women boy girl child children family friend friends people person
early late last next first second third one two three four five ten hundred thousand million
time times day days week weeks month months year years hour hours night morning evening
war battle fight attack strike raid border front line lines zone area areas field fields
government office council court church school college university hospital station airport
bank market street road bridge tower house hall castle palace garden gardens camp
energy power water fire oil gas food money trade war peace life love death
telegram twitter facebook youtube instagram tiktok whatsapp signal viber
caesar victoria regina alexandria augusta florence eugene jackson lincoln franklin washington
columbus hamilton madison marion clinton troy homer carthage athens sparta delta omega alpha
marathon olympia eden paradise bethlehem goshen canaan sharon salem zion jordan chase
ukraine russia english french german russian ukrainian czech polish italian spanish
american british chinese japanese indian african european asian arab arabic turkish persian
irish scottish welsh dutch swedish danish norwegian finnish greek hungarian romanian serbian
croatian georgian armenian belarusian kazakh jewish muslim christian catholic orthodox
western eastern latin hispanic native indian canadian mexican brazilian australian""".split()) - {
    "ukraine", "russia"}
# Given names: a place-named word next to one is part of a person's name ("Martin Fornusek").
GIVEN_NAMES = frozenset("""john james david michael robert william richard joseph thomas charles daniel matthew anthony
mark paul steven andrew kenneth joshua kevin brian george timothy ronald edward jason jeffrey
ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
frank gregory raymond alexander patrick jack dennis denis jerry tyler aaron henry adam douglas
nathan peter zachary kyle walter harold jeremy ethan carl keith roger gerald christian terry
sean arthur austin noah lawrence jesse joe bryan billy jordan albert dylan bruce willie gabriel
alan juan logan wayne ralph roy eugene randy vincent russell louis philip bobby johnny bradley
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith
megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle
theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla hanna
martin ivan dmitry dmitri sergei sergey alexei alexey andrei andriy andrii oleksandr
oleksiy volodymyr vladimir vladislav vyacheslav yuri yuriy igor oleg mikhail mykhailo
nikolai mykola pavel pavlo denys maxim maksym roman bogdan bohdan taras viktor olena
oksana iryna tetiana natalia svetlana olga yulia kateryna anastasia ahmed mohammed
muhammad ali hassan hussein omar mahmoud khalid abdullah ibrahim yusuf fatima aisha
alexander aleksandr oleksandr yevgeny yevgeniy evgeny andrei dmytro serhiy sergiy vasyl
valery valeriy anatoly boris gennady grigory kirill konstantin leonid nikita pyotr petro
ruslan stanislav timur vadim vitaly vitaliy yaroslav zelensky""".split())
_COMMON = _COMMON | GIVEN_NAMES
_MONTHS = frozenset("""january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec""".split())
try:  # justext ships trafilatura's English stop list: 450 frequent words
    import justext as _justext

    _COMMON = _COMMON | {w.strip('"(.,') for w in _justext.get_stoplist("English")} - {
        "london", "san", "de", "st", "city", "county", "state", "states"}
except Exception:  # pragma: no cover - justext comes with trafilatura
    pass

# Words that may stand lowercase inside a multiword place name.
_PARTICLES = frozenset("""of on upon de la le les du des del della di da do dos das am an der die
den im in and the sur en y al el bin ibn on-the van von aan op ter""".split())

# A capitalised word right after a place that makes it part of an outlet or organisation name.
_ORG_AFTER = frozenset("""times post independent herald tribune journal gazette news daily express
telegraph chronicle observer guardian standard mirror courier examiner review inquirer record
bulletin dispatch register press radio tv television broadcasting channel media online today weekly
monthly magazine insider pravda izvestia university college institute academy school fc club
united rovers wanderers athletic city-fc bank group corporation corp company co inc ltd airlines
airways railways railway motors energy oil gas steel symphony orchestra opera ballet theatre
theater museum zoo legion battalion brigade regiment corps league association federation union
foundation fund trust partners capital holdings stadium arena marathon open masters cup
declaration accords accord agreement protocol format convention summit process conference
uprising offensive operation diocese archdiocese patriarchate police council commission agency
fire civil defence defense emergency authority ministry street road avenue boulevard lane drive
square highway expo center centre hall""".split())
# Lowercase nouns after a place that make it the name of an armed or political group.
_GROUP_AFTER = frozenset("""militia militias cartel gang gangs movement rebels insurgents clan
clans""".split())
# "University of X", "Times of X": an organisation whose name ends with a place.
_ORG_OF = frozenset("""university college institute academy bank times museum church archdiocese
diocese republic freedom council chamber school port""".split()) - {"republic", "port"}

# Capitalised words that may stand right after a place name (designators, officials, parts).
_PLACE_AFTER = frozenset("""oblast oblasts region regions province provinces state states county
counties district districts governorate krai kray raion rayon prefecture department municipality
parish territory territories republic town village island islands valley governor governors
mayor mayors airport station port harbour
harbor border front direction sector axis area areas metro metropolitan suburbs outskirts
strip sea region's oblast's governor's officials
mountains mountain river lake peninsula strait gulf bay coast coastline basin plateau desert
bridge dam plant reactor refinery oblast's region's
north south east west central eastern western northern southern""".split())
# Capitalised words that may stand right before a place (sentence openers, directions, titles).
_PLACE_BEFORE = frozenset("""in on at from to near across outside inside around into over under
through throughout since after before during and but both neither while when as like unlike for
with without within by the a an this that these those north south east west northern southern
eastern western central greater upper lower downtown rural suburban occupied liberated
russian-occupied ukrainian-held frontline front-line border coastal southeastern southwestern
northeastern northwestern mid far where if of via toward towards between beyond along about
mayor governor then also even only yes no so oh metropolitan rural urban new""".split())
_TITLE_BEFORE = frozenset("""president prime minister governor mayor mr mrs ms dr gen general
colonel col lt lieutenant sgt sergeant capt captain commander chief secretary senator sen rep
representative judge justice pope king queen prince princess sheikh emir sir lord lady father
saint st spokesperson spokesman spokeswoman ambassador envoy minister deputy""".split())
_COMPOUND_PREFIX = frozenset("anti pro non ex post pre neo".split())
# Capitalised words that complete a name: "Gaza Strip", "Swat Valley", "Black Sea".
_NAME_TAILS = frozenset("""strip valley sea river island islands peninsula coast desert basin
mountains mountain lake gulf bay canyon plateau delta""".split())
_ARABIC_ARTICLE = frozenset("al el ad an ar as ash at az ul".split())
DESIGNATORS: dict[str, str] = {
    "oblast": "admin1", "oblasts": "admin1", "region": "admin1", "regions": "admin1",
    "province": "admin1", "provinces": "admin1", "governorate": "admin1", "krai": "admin1",
    "kray": "admin1", "state": "admin1", "prefecture": "admin1", "republic": "admin1",
    "county": "admin2", "counties": "admin2", "district": "admin2", "districts": "admin2",
    "raion": "admin2", "rayon": "admin2", "municipality": "admin2", "parish": "admin2",
    "city": "settlement", "town": "settlement", "village": "settlement", "settlement": "settlement",
    "hromada": "admin2",
}


class Token(NamedTuple):
    """One word: its span in the text and its normalised form (a tuple: cheap to make)."""

    start: int
    end: int
    norm: str


@dataclass
class Mention:
    """One place name in the text, with what recognition and resolution made of it."""

    start: int
    end: int
    text: str
    key: str
    tokens: tuple[int, int]  # first and last token index (inclusive)
    kind_hint: str | None = None  # "admin1", "admin2", "settlement" from a designator
    rejected: str | None = None  # why this is not a place ("outlet name", "person name", ...)
    zone: str | None = None
    sentence: int = -1
    candidates: list[Any] = field(default_factory=list)
    place: Any = None
    score: float = 0.0
    reason: str = ""
    role: str = ""
    hints: dict[str, Any] = field(default_factory=dict)


# -- the automaton -----------------------------------------------------------------------------
_LOCK = threading.Lock()
_LOADED: dict[str, NameIndex] = {}


class NameIndex:
    """All gazetteer names in one Aho-Corasick automaton (values: key length)."""

    def __init__(self, automaton: Any, load_seconds: float = 0.0, built: bool = False) -> None:
        self.automaton = automaton
        self.load_seconds = load_seconds
        self.built = built

    def __len__(self) -> int:
        return len(self.automaton)

    @staticmethod
    def cache_path(gazetteer: Any) -> Path | None:
        """Where the automaton of ``gazetteer`` is kept: beside the database file."""
        db = getattr(gazetteer, "path", None) or getattr(gazetteer, "db_path", None)
        if not db:
            return None
        db = Path(db)
        return db.with_name(db.name + f".names-v{INDEX_VERSION}.automaton")

    @staticmethod
    def _stamp(gazetteer: Any) -> dict[str, Any]:
        db = getattr(gazetteer, "path", None) or getattr(gazetteer, "db_path", None)
        try:
            st = os.stat(db) if db else None
        except OSError:
            st = None
        return {"version": INDEX_VERSION, "size": st.st_size if st else None,
                "mtime_ns": st.st_mtime_ns if st else None}

    @classmethod
    def build(cls, names: Iterable[tuple]) -> Any:
        """An automaton over ``(key, place id[, name type, kind, population])`` rows.

        Alternate names (GeoNames ``alternatenames``, name type 3) of hamlets are left out: they
        are mostly surnames and foreign words ("Nikitin", "Denis") that would match people.
        """
        import ahocorasick

        automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        seen: set[str] = set()
        for row in names:
            key = row[0]
            if not key or key in seen or len(key) < 2 or key in _NEVER or key.isdigit():
                continue
            if len(row) >= 5 and row[2] == 3 and row[3] == "settlement" and \
                    (row[4] or 0) < MIN_ALTERNATE_POPULATION:
                continue
            seen.add(key)
            automaton.add_word(f" {key} ")
        automaton.make_automaton()
        return automaton

    @classmethod
    def for_gazetteer(cls, gazetteer: Any, *, cache: bool = True) -> NameIndex:
        """The automaton of ``gazetteer``: from memory, from the disk cache, or built and saved."""
        import time

        import ahocorasick

        path = cls.cache_path(gazetteer) if cache else None
        memo = str(path) if path else f"id:{id(gazetteer)}"
        with _LOCK:
            if memo in _LOADED:
                return _LOADED[memo]
            t0 = time.perf_counter()
            stamp = cls._stamp(gazetteer)
            stamp_path = path.with_name(path.name + ".json") if path else None
            automaton = None
            built = False
            if path and path.exists() and stamp_path and stamp_path.exists():
                try:
                    if json.loads(stamp_path.read_text()) == stamp:
                        automaton = ahocorasick.load(str(path), pickle.loads)
                except Exception:  # noqa: BLE001 - a damaged or foreign cache is rebuilt below
                    automaton = None
            if automaton is None:
                try:
                    rows = gazetteer.iter_names(detail=True)
                except TypeError:  # a gazetteer without name details
                    rows = gazetteer.iter_names()
                automaton = cls.build(rows)
                built = True
                if path:
                    _save(automaton, path, stamp_path, stamp)
            index = cls(automaton, time.perf_counter() - t0, built)
            _LOADED[memo] = index
            return index


def _save(automaton: Any, path: Path, stamp_path: Path, stamp: dict[str, Any]) -> None:
    from mapper.atomic import atomic_path, write_text

    try:
        with atomic_path(path) as tmp:
            automaton.save(str(tmp))  # STORE_LENGTH: no serializer
        write_text(stamp_path, json.dumps(stamp, sort_keys=True))
    except OSError as exc:  # a read-only gazetteer folder: keep the automaton in memory only
        print(f"warning: cannot cache the name index at {path}: {exc.strerror}", file=sys.stderr)


# -- tokens and raw matches --------------------------------------------------------------------
def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[start:end]`` with their normalised form; "Kyiv's" gives "kyiv"."""
    end = len(text) if end is None else end
    # One split in C gives every word and the gaps between them (words at odd indices); their
    # running lengths are the offsets. Far cheaper than a Match object per word.
    parts = _TOKEN_SPLIT.split(text[start:end])
    words = parts[1::2]
    bounds = list(accumulate(map(len, parts), initial=start))
    starts, ends = bounds[1::2], bounds[2::2]
    # plain ASCII words (nearly all) need no transliteration and cannot end in "'s"
    norms = [w.lower() if w.isascii() and w.isalnum() else "" for w in words]
    for i in _indices(norms, ""):  # the others
        norms[i], ends[i] = _special_word(words[i], ends[i])
    tokens = list(map(tuple.__new__, repeat(Token), zip(starts, ends, norms)))
    if "" in norms:  # a word that normalises to nothing is no token
        tokens = [t for t in tokens if t.norm]
    return tokens


def _indices(items: list[str], value: str) -> Iterable[int]:
    """Where ``value`` stands in ``items``, left to right (list.index searches in C)."""
    i = -1
    while True:
        try:
            i = items.index(value, i + 1)
        except ValueError:
            return
        yield i


def lowercase_norms(text: str, tokens: list[Token]) -> set[str]:
    """The normalised forms of the words written in lower case somewhere in ``text`` (the loop
    runs in C: a token's first letter, its ``islower``, and the norms they select).
    """
    firsts = map(text.__getitem__, map(itemgetter(0), tokens))
    return set(compress(map(itemgetter(2), tokens), map(str.islower, firsts)))


def _special_word(word: str, end: int) -> tuple[str, int]:
    """(norm, end) of a word with an apostrophe or a non-ASCII letter: the possessive "'s" is
    cut off, the rest goes through the full normaliser.
    """
    if word[-2:] in _POSSESSIVE_ENDS and len(word) > 2:
        end -= 2
        word = word[:-2]
    return (word.lower() if word.isascii() and word.isalnum() else normalize(word)), end


def raw_matches(index: NameIndex, tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token indices of every gazetteer name found, overlaps included."""
    if not tokens:
        return []
    norms = list(map(itemgetter(2), tokens))
    haystack = " " + " ".join(norms) + " "
    # where each word starts in the haystack (one leading space, one space after each word):
    # 1 + the lengths of the words before + one space each (sums made in C, not per word)
    positions = map(add, accumulate(map(len, norms), initial=1), count())
    starts = dict(zip(positions, range(len(norms) + 1)))
    out = []
    for end, length in index.automaton.iter(haystack):
        first = starts.get(end - length + 2)
        after = starts.get(end + 1)  # the word after the match's closing space
        if first is not None and after is not None:
            out.append((first, after - 1))
    return out


# -- context rules -----------------------------------------------------------------------------
def _is_cap(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


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


def recognise(text: str, index: NameIndex, *, tokens: list[Token] | None = None,
              zone_at=None, lowercase_words: set[str] | None = None) -> list[Mention]:
    """Place-name mentions in ``text`` (accepted ones and rejected look-alikes)."""
    tokens = tokenize(text) if tokens is None else tokens
    if lowercase_words is None:
        lowercase_words = lowercase_norms(text, tokens)

    def capital(i: int) -> bool:  # _is_cap of the token's first letter
        first = text[tokens[i].start]
        return first.isupper() or first.isdigit()

    # a place name starts and ends with a capital (or digit): most matches are common words
    found = [(f, la) for f, la in raw_matches(index, tokens) if capital(f) and capital(la)]
    # Longest first, then leftmost: a longer name ("Kursk Oblast") beats its parts ("Kursk").
    found.sort(key=lambda fl: (-(tokens[fl[1]].end - tokens[fl[0]].start), fl[0]))
    taken = [False] * len(tokens)
    mentions: list[Mention] = []
    headlines: dict[int, bool] = {}  # line start -> headline-style line, worked out once a line
    for first, last in found:
        if any(taken[first:last + 1]):
            continue
        words = tokens[first:last + 1]
        a, b = words[0].start, words[-1].end
        zone = zone_at(a) if zone_at else None
        if zone == "skip":
            continue
        if not all(_gap_ok(text, x.end, y.start) for x, y in zip(words, words[1:])):
            continue
        surface = [text[t.start:t.end] for t in words]
        if not _is_cap(surface[0]):
            continue
        if any(not _is_cap(s) and s.lower() not in _PARTICLES for s in surface):
            continue
        if not _is_cap(surface[-1]):
            continue
        key = " ".join(t.norm for t in words)
        mention = Mention(a, b, text[a:b], key, (first, last), zone=zone)
        verdict = _context(text, tokens, first, last, mention, lowercase_words, headlines)
        if verdict == "drop":
            continue
        for i in range(first, last + 1):
            taken[i] = True
        mentions.append(mention)
    extra = _abbreviations(text, mentions, zone_at)
    if extra:  # an abbreviation replaces a look-alike rejected at the same place ("UK" -> Uk)
        mentions = [m for m in mentions if not any(
            e.start < m.end and m.start < e.end and (
                m.rejected or m.hints.get("acronym") or (e.start <= m.start and m.end <= e.end))
            for e in extra)] + extra
    mentions.sort(key=lambda m: m.start)
    _designators(text, tokens, mentions)
    _names_seen(text, tokens, mentions)
    return mentions


# AP-style US state (and Canadian, Australian) abbreviations and common country abbreviations,
# written out for look-up.
US_STATES_AP: dict[str, str] = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
    "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky",
    "La.": "Louisiana", "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan",
    "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri", "Mont.": "Montana",
    "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota",
    "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island",
    "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee", "Vt.": "Vermont",
    "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia", "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
    # Canadian provinces and Australian states as news agencies abbreviate them
    "B.C.": "British Columbia", "Alta.": "Alberta", "Sask.": "Saskatchewan", "Man.": "Manitoba",
    "Ont.": "Ontario", "Que.": "Quebec", "N.S.": "Nova Scotia", "N.B.": "New Brunswick",
    "P.E.I.": "Prince Edward Island", "Nfld.": "Newfoundland and Labrador",
    "NSW": "New South Wales", "N.S.W.": "New South Wales", "Qld": "Queensland",
    "Vic.": "Victoria", "Tas.": "Tasmania",
}
COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "U.S.": "United States", "US": "United States", "USA": "United States",
    "U.K.": "United Kingdom", "UK": "United Kingdom", "UAE": "United Arab Emirates",
    "DRC": "Democratic Republic of the Congo", "DR Congo": "Democratic Republic of the Congo",
}
_STATE_AFTER_COMMA = re.compile(
    r",\s*(" + "|".join(re.escape(k) for k in sorted(US_STATES_AP, key=len, reverse=True)) + r")")
_COUNTRY_ABBR = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(COUNTRY_ABBREVIATIONS, key=len,
                                                           reverse=True)) + r")(?![\w])")


def _abbreviations(text: str, mentions: list[Mention], zone_at) -> list[Mention]:
    """"Springfield, Ill.", "the U.S. military", "UK-based": abbreviations the gazetteer may not
    list, as mentions whose key is the written-out name.
    """
    taken = [(m.start, m.end) for m in mentions if not m.rejected and not m.hints.get("acronym")]
    out: list[Mention] = []

    def add(a: int, b: int, full: str, hint: str) -> None:
        if any(x < b and a < y and not (a <= x and y <= b and y - x < b - a) for x, y in taken) \
                or (zone_at and zone_at(a) == "skip"):
            return  # overlaps a name; a shorter one inside it ("Pa" in "Pa.") gives way
        m = Mention(a, b, text[a:b], normalize(full), (-1, -1), zone=zone_at(a) if zone_at else None)
        m.hints["abbreviation"] = hint
        if hint == "state":
            m.kind_hint = "admin1"
        out.append(m)
        taken.append((a, b))

    ends = {m.end for m in mentions}
    for match in _STATE_AFTER_COMMA.finditer(text):
        if match.start() in ends:  # only right after a place name: "Mobile, Ala."
            add(match.start(1), match.end(1), US_STATES_AP[match.group(1)], "state")
    if "U" in text or "D" in text:
        # every abbreviation starts with U or D: try the pattern only at those capitals
        starts = sorted(i for letter in "UD" for i in _find_all(text, letter))
        for match in matches_at(_COUNTRY_ABBR, text, starts):
            word = match.group(1)
            if word in ("US", "UK") and text[match.end():match.end() + 1] == "$":
                continue
            add(match.start(), match.end(), COUNTRY_ABBREVIATIONS[word], "country")
    return out


def _find_all(text: str, sub: str) -> Iterable[int]:
    """Every position where ``sub`` occurs in ``text``."""
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


def _names_seen(text: str, tokens: list[Token], mentions: list[Mention]) -> None:
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
            if words & GIVEN_NAMES:  # "Martin Fornusek", "Denys Nikitin": a person
                person_keys.add(m.key)
    inside = {m.tokens[0] for m in mentions if m.rejected}
    group_keys = {m.key for m in mentions if m.rejected and m.rejected.startswith("names the group")}
    # "the Fano militia ... Fano fighters": the group each time
    for m in mentions:
        if m.rejected or m.tokens[0] < 0:
            continue
        first, last = m.tokens
        if first == last and m.key in group_keys:
            m.rejected = f"'{m.text}' names a group elsewhere in the text"
        elif first == last and m.key in person_keys:
            m.rejected = f"'{m.text}' is a person named in full elsewhere in the text"
        elif last + 2 in inside and tokens[last + 1].norm == "of":
            m.rejected = f"heads the name '{m.text} of {text[tokens[last + 2].start:tokens[last + 2].end]} ...'"


def _word(text: str, tok: Token) -> str:
    return text[tok.start:tok.end]


def _context(text: str, tokens: list[Token], first: int, last: int, mention: Mention,
             lowercase_words: set[str], headlines: dict[int, bool]) -> str:
    """Decide what this match is: "keep" (maybe with ``mention.rejected`` set) or "drop".
    ``headlines`` memoises ``title_case_line`` per line start for this text.
    """
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
    mention.hints["initial"] = initial
    mention.hints["headline"] = headline
    all_caps = mention.text.isupper() and len(mention.text) > 1
    line_text = text[line_a:line_b]
    if all_caps and (len(mention.text) <= 3 or (len(mention.text) <= 4 and
                                                 any(ch.islower() for ch in line_text))):
        mention.hints["acronym"] = True  # "US", "UK"; "SANA" in a sentence is an agency

    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    prv = tokens[first - 1] if first > 0 else None
    after = text[b:nxt.start] if nxt else ""
    before = text[prv.end:a] if prv else ""
    nxt_word = _word(text, nxt) if nxt else ""
    prv_word = _word(text, prv) if prv else ""
    tight_after = nxt is not None and after in (" ", "\u00a0")
    tight_before = prv is not None and before in (" ", "\u00a0")
    if len(mention.text) <= 2 and not (prv is not None and before.strip() == ","):
        # "AL", "AP", "Al-": two letters are a code or a particle unless written as a container
        # ("Mobile, AL"); countries written this way ("US", "UK") come from _abbreviations
        mention.hints["two_letters"] = True

    # "March 14", "14 March", "May 2023": a month, not March (Cambridgeshire).
    if single and key in _MONTHS and ((nxt is not None and nxt.norm.isdigit()) or
                                      (prv is not None and prv.norm.isdigit()) or
                                      (prv is not None and prv.norm in ("in", "since", "until",
                                                                        "early", "late", "mid"))):
        return "drop"

    # Compounds: "Moscow-born" (birthplace), "anti-Kremlin", "Kyiv-based" (context).
    if nxt is not None and after == "-" and nxt_word.islower():
        # "Moscow-born", "Kyiv-based": the real place, but nothing happens there
        mention.hints["compound"] = nxt_word
        return "keep"
    if prv is not None and before == "-" and prv.norm in _ARABIC_ARTICLE:
        return "drop"  # "Al-Amal", "Deir al-Balah": another name than "Amal"
    if prv is not None and before == "-" and prv.norm in _COMPOUND_PREFIX:
        mention.rejected = f"part of the adjective '{prv_word}-{mention.text}'"
        return "keep"

    if nxt is not None and tight_after and nxt.norm in _GROUP_AFTER and nxt_word.islower():
        mention.rejected = f"names the group '{mention.text} {nxt_word}'"
        return "keep"

    # Outlets and organisations: "The Kyiv Independent", "New York Times", "Freedom of Russia
    # Legion", "University of Texas".
    if tight_after and _is_cap(nxt_word) and nxt.norm in _ORG_AFTER:
        mention.rejected = f"part of the name '{mention.text} {nxt_word}'"
        return "keep"
    if prv is not None and prv_word == "of" and first >= 2:
        head = tokens[first - 2]
        head_word = _word(text, head)
        if _is_cap(head_word) and head.norm in _ORG_OF and \
                re.fullmatch(r" ", text[head.end:prv.start]):
            mention.rejected = f"part of the name '{head_word} of {mention.text}'"
            return "keep"
        if _is_cap(head_word) and not _sentence_initial(text, head.start) and tight_after and \
                _is_cap(nxt_word) and nxt.norm not in _PLACE_AFTER and \
                head.norm not in _PLACE_BEFORE:
            mention.rejected = f"inside the name '{head_word} of {mention.text} {nxt_word}'"
            return "keep"

    if headline:
        return "keep"  # capitalised neighbours say nothing in a headline; resolution decides

    # Person and organisation names: a capitalised neighbour that is neither a designator nor a
    # sentence opener makes the match part of a longer proper name ("Denis Kapustin").
    if tight_after and _is_cap(nxt_word) and nxt.norm in _NAME_TAILS:
        after_tail = tokens[last + 2] if last + 2 < len(tokens) else None
        if after_tail is not None and text[nxt.end:after_tail.start] == " " and \
                _is_cap(_word(text, after_tail)) and after_tail.norm in _ORG_AFTER:
            mention.rejected = (f"part of the name '{mention.text} {nxt_word} "
                                f"{_word(text, after_tail)}'")
            return "keep"
        mention.hints["tail"] = last + 1
        return "keep"
    if tight_after and _is_cap(nxt_word) and nxt.norm not in _PLACE_AFTER and \
            not nxt_word.isupper() and not nxt_word[:1].isdigit():
        mention.rejected = f"part of the proper name '{mention.text} {nxt_word}'"
        mention.hints["name_tokens"] = (first, last + 1)
        return "keep"
    if tight_before and _is_cap(prv_word) and prv.norm not in _PLACE_BEFORE and \
            not prv_word.isupper():
        if prv.norm in _TITLE_BEFORE:
            mention.rejected = f"a person's name after the title '{prv_word}'"
        else:
            mention.rejected = f"part of the proper name '{prv_word} {mention.text}'"
        mention.hints["name_tokens"] = (first - 1, last)
        return "keep"
    if tight_before and prv.norm in _TITLE_BEFORE and prv_word[:1].isupper() and \
            prv.norm not in _PLACE_BEFORE:
        mention.rejected = f"a person's name after the title '{prv_word}'"
        return "keep"

    # Common words: sentence-initial, or a word the article also uses in lower case.
    if single and (key in _COMMON or key in lowercase_words):
        mention.hints["common"] = True
        if initial and (nxt is None or not after.startswith(",")):
            return "drop"
    return "keep"


def _designators(text: str, tokens: list[Token], mentions: list[Mention]) -> None:
    """Attach designators: "Kursk Oblast", "Belgorod region", "the region of Belgorod",
    "Kursk and Belgorod oblasts" (a plural designator applies to the whole list).
    """
    by_last = {m.tokens[1]: m for m in mentions if m.tokens[0] >= 0}
    for m in mentions:
        if m.tokens[0] < 0:
            continue  # an abbreviation found outside the token stream
        first, last = m.tokens
        tail = m.hints.get("tail")
        if tail is not None and m.rejected is None:
            m.end = tokens[tail].end
            m.text = text[m.start:m.end]
            continue
        nxt = tokens[last + 1] if last + 1 < len(tokens) else None
        if nxt is not None and nxt.norm in DESIGNATORS and \
                re.fullmatch(r"[ \u00a0]", text[m.end:nxt.start]):
            kind = DESIGNATORS[nxt.norm]
            m.kind_hint = kind
            plural = nxt.norm.endswith("s") and nxt.norm not in ("counties",) or \
                nxt.norm == "counties"
            # a capitalised designator is part of the name ("Lamar County"); a lowercase one
            # is not ("the Kharkiv region")
            if not plural and m.rejected is None and text[nxt.start].isupper():
                m.end = nxt.end
                m.text = text[m.start:m.end]
            if plural:
                _plural_list(text, tokens, by_last, first, kind)
            continue
        # "the region of Belgorod", "the city of Paris"
        if first >= 2 and tokens[first - 1].norm == "of" and \
                tokens[first - 2].norm in DESIGNATORS and not tokens[first - 2].norm.endswith("s"):
            m.kind_hint = DESIGNATORS[tokens[first - 2].norm]


def _plural_list(text: str, tokens: list[Token], by_last: dict[int, Mention], first: int,
                 kind: str) -> None:
    """Give ``kind`` to every name of a list before a plural designator ("A, B and C oblasts")."""
    j = first - 1
    while j >= 0:
        gap = text[tokens[j].end:tokens[j + 1].start].strip()
        if tokens[j].norm in ("and", "or") and gap == "":
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
