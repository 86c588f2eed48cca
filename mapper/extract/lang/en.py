"""English: the word lists, patterns and weights of extraction (see ``mapper.extract.lang``).

Sections follow the stages: text (boilerplate), toponyms, sentences and numbers, dates, event
words, claims, roles; ``PACK`` at the end puts them together with the weight tables.
"""
from __future__ import annotations

import datetime as dt
import re

from mapper.extract.lang import (
    ClaimWords,
    DateWords,
    EventWords,
    LanguagePack,
    RoleWords,
    TextWords,
    ToponymWords,
    Weights,
)
from mapper.extract.lang import en_places as _places
from mapper.extract.lang.en_places import (
    ARABIC_ARTICLE,
    COMMON,
    COMPOUND_PREFIX,
    COPULA_GAP,
    COUNTRY_ABBREVIATIONS,
    DEMONYMS,
    DESIGNATORS,
    DISEASE_AFTER,
    GIVEN_NAMES,
    GROUP_AFTER,
    MONTHS,
    NAME_TAILS,
    NAMED_SETTLEMENT,
    NEVER,
    ORG_AFTER,
    ORG_OF,
    PARTICLES,
    PLACE_AFTER,
    PLACE_BEFORE,
    PLACE_COPULA,
    PLACE_PREPOSITION,
    TITLE_BEFORE,
    US_STATES_AP,
    WEEKDAY_NAMES,
    WIDE_GIVEN_NAMES,
)
from mapper.extract.scan import trie_pattern

# -- text: boilerplate zones ------------------------------------------------------------

_UI_LINE = re.compile(
    r"^\s*(?:read more|show more|load more|see more|more from .{0,40}|news ?feed|avatar|reporter|"
    r"editor|correspondent|author|advertisement|sponsored|share( this)?( article)?|"
    r"(facebook|twitter|x|telegram|whatsapp|email|linkedin|copy link)|print|comments?|"
    r"\d+ min(ute)?s? read|support us|subscribe( now)?|sign up|log ?in|donate( now)?|continue|"
    r"once|monthly|annual(ly)?|yearly|remind me later\.?|not ready to support today\?|"
    r"\d[\d,.]* out of [\d,.]+|related( articles| stories| news)?:?|most read|trending|"
    r"tags?:.*|skip to (main )?content|menu|close|back to top|listen to (this )?article|"
    r"paiment methods|payment methods|cookie settings|accept( all)?( cookies)?|join us)\s*$",
    re.I)
# A paragraph that asks the reader for something: money, an email address, a membership.
_APPEAL = re.compile(
    r"\b(newsletter|subscri(be|bers?|ption)|donat(e|ion|ions)|membership|become a (member|patron)|"
    r"support (us|our|independent)|support .{0,40}journalism|quality journalism|join (our|us)|"
    r"our community|privacy policy|in your (mailbox|inbox)|sign up for|dear readers?|"
    r"a message from|help us reach|make a (contribution|donation)|every contribution)\b", re.I)
_APPEAL_KEYS = ("newsletter", "subscri", "donat", "membership", "member", "patron", "support",
                "journalism", "join", "community", "privacy", "mailbox", "inbox", "sign up",
                "readers", "message from", "help us", "contribution")
_BIO_KEYS = (" is a ", " is an ", " was a ", " has been ", " covers ", " works ", "based in",
             "graduat", "master", "bachelor", "degree", "previously", "speaks")
_APPEAL_OPENER = re.compile(r"^\s*(a message from\b.*|dear readers?\b.*|sign up for\b.*)$", re.I)
_FIRST_PLURAL = re.compile(r"\b(we|us|our|ours|you|your)\b", re.I)
_BIO = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]+\s+){1,3}(?:is|was|has been|covers|works)\s+(?:a|an|the)?\s*"
    r"(?:[\w-]+\s+){0,4}(?:reporter|journalist|correspondent|editor|writer|columnist|contributor|"
    r"producer|photographer|analyst|fellow|news ?writer|freelancer)\b", re.U)
_BIO_HINT = re.compile(r"\b(based in|graduat(ed|ing) from|holds a (master|bachelor|degree)|"
                       r"(master|bachelor)'?s degree|previously worked|speaks (english|[A-Z]\w+))",
                       re.I)
_CREDIT = re.compile(
    r"(\((?:photo:?\s*)?[^()\n]{0,80}(?:/|\bvia\b|\bby\b)\s*[^()\n]{0,60}\)\s*$|"
    r"^\s*(?:photo|image|credit|photograph)s?\s*(?:by)?:.*$|"
    r"^[^.!?\n]{0,80}/\s*(?:TASS|AFP|Reuters|AP|EPA|Anadolu|Getty Images|Ukrinform|RIA Novosti|"
    r"Xinhua|Sputnik|Shutterstock|dpa|UNIAN|Wikimedia Commons)\s*$)", re.I)
_BIO_WORK = re.compile(r"\b(journalis|report|writ|editor|career)", re.I)

# -- sentences and numbers ------------------------------------------------------------

_ABBREV = frozenset("""mr mrs ms dr gen lt col sgt maj capt cpl pvt gov sen rep st mt ft jr sr prof
rev no vs etc inc ltd co corp dept est fig jan feb mar apr jun jul aug sep sept oct nov dec adm
brig cmdr u.s u.k u.n e.g i.e a.m p.m approx""".split())
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[.!?]+[\"'”’)\]]*\s*$")


# -- numbers -----------------------------------------------------------------------------------
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SPECIAL = {"a": 1, "an": 1, "a dozen": 12, "dozen": 12, "a couple of": 2, "a couple": 2,
            "a single": 1, "a hundred": 100, "one hundred": 100, "single": 1, "a pair of": 2,
            "both": 2}
_NUMWORD = (r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+and)?\s+)?"
            r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
            r"four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|"
            r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
            r"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred")
NUMBER = (r"(?:\d{1,3}(?:,\d{3})+|\d+|a dozen|a couple(?: of)?|a single|a pair of|"
          + _NUMWORD + ")")
_QUALIFIER = (r"(?:(?:more than|over|at least|as many as|up to|about|around|approximately|nearly|"
              r"almost|some|roughly|an estimated|fewer than|less than|dozens of|hundreds of)\s+)?")


# -- dates ------------------------------------------------------------

_MONTHS_NUM = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
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
                           r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"\b"
                           + _YEAR)),
    ("md", re.compile(r"\b(?:(?P<since>since)\s+|(?:early|late)\s+(?:on\s+)?)?" + _MON + r"\s+"
                      + _DAY + r"\b(?!:|\d)"
                      + _YEAR)),
    ("dm", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"\b" + _YEAR)),
    ("my", re.compile(r"\b" + _MON + r"\s+(?P<year>(?:19|20)\d\d)\b")),
    ("m", re.compile(r"\b(?P<pre>in|since|until|by|during|early|late|mid-?|last|this|earlier this|"
                     r"in early|in late|in mid-?)\s+" + _MON + r"\b(?!\s+\d)")),
    ("wd", re.compile(r"\b(?=\w)(?P<pre>(?:on|last|this|early|late|early on|late on|since|"
                      r"overnight into|overnight to|late on|the night of)\s+)?" + _WD + _PART
                      + r"\b(?!,?\s+(?:" + _MON_NAMES + r"|\d))", re.I)),
    ("rel", re.compile(
        r"\b(?=\w)(?P<rel>today|this morning|this afternoon|this evening|tonight|earlier today|"
        r"the day before yesterday|yesterday|last night|overnight|a day (?:earlier|before|after)|"
        r"the (?:previous|preceding) day|the day before|"
        r"(?P<n>" + NUMBER + r")\s+days?\s+ago|"
        r"(?:over|in|during)\s+the\s+(?:past|last)\s+(?P<n2>few|several|couple of|"
        + NUMBER + r")\s+days|in recent days|in the past day|(?:over|in) the past 24 hours|"
        r"(?:over|during) the weekend|last weekend|this week|earlier this week|last week|"
        r"(?:over|in|during) the (?:past|last) week|this month|earlier this month|last month|"
        r"(?:over|in|during) the (?:past|last) month|last year|earlier this year|this year)\b",
        re.I)),
    ("year", re.compile(r"\b(?P<pre>(?i:in|since|during|of))\s+(?P<year>(?:19|20)\d\d)\b"
                        r"(?!-\d)")),
]


_MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_WORDS = ("today", "tonight", "yesterday", "night", " ago", " day", "week", "month", "year",
              "morning", "afternoon", "evening", "day before", "past day", "24 hours")


_DATE_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
               "day", "night", "week", "month", "year", "morning", "afternoon", "evening", "recent")
# Which anchor list finds each pattern's matches.
_RANGE_GAP = re.compile(r"\s+(?:and|to|through|until|till)\s+(?:on\s+)?|\s*[-–]\s*")
_ANCHOR_OF = {"iso": "digit", "year": "digit", "wd": "wd", "rel": "rel"}


# -- event words ------------------------------------------------------------

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
     r"prisoners? of war|pows?|abduct\w+|kidnapp\w+|hostages?|took control|"
     r"occupied(?= the\b)",
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
     r"lost their lives|bodies|shot dead|shootings?(?! (?:ground|range|club))|shot|murder\w*|"
     r"stabb\w+|"
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


# Before an event word, it is intended, threatened or conditional, not reported: "would launch
# raids", "vowed to strike", "if the shelling goes on".
_INTENT_BEFORE = re.compile(
    r"\b(?:would|will|shall|could|might|may|plans?\s+to|planning\s+to|intends?\s+to|"
    r"intending\s+to|threaten(?:s|ed|ing)?\s+to|vow(?:s|ed|ing)?\s+to|pledg(?:e|es|ed)\s+to|"
    r"promis(?:e|es|ed)\s+to|ready\s+to|prepared\s+to|aims?\s+to|seeks?\s+to|wants?\s+to|"
    r"if|unless|in case of|in the event of)\s+(?:[\w-]+\s+){0,2}$", re.I)


# -- claims ------------------------------------------------------------

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
# the nouns of _HEAD may also stand inside the phrase: "the governor of Krasnodar Krai"
_HEAD_NOUNS = "|".join(h for h in _HEAD.split("|")[1:] if h not in ("he", "she", "they", "it",
                                                                   "we"))
_SUBJECT_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<np>(?:(?:" + _MOD + "|" + _HEAD_NOUNS + r")\s+){0,7}?(?:" + _HEAD + r"))\s+"
    r"(?:(?:also|later|earlier|previously|then|had|has|have|on \w+|initially|separately|"
    r"further|reportedly)\s+)*(?P<verb>" + _SAY + r")\b(?!\s+(?:of|that the|by)\b)")
_SUBJECT_BEFORE_END = re.compile(_SUBJECT_BEFORE.pattern + r"$")
_NOUN_USE = re.compile(r"\s+(?:of|that the|by|were|was|are|is|made)\b")
_SAID_AFTER_NAME = re.compile(r"[,\"”]\s*(?P<verb>said|says|according to)\s+(?P<np>(?:the\s+)?"
                         r"(?:[A-Z][\w'’.&-]*\s*){1,6})")
_ACCORDING = re.compile(r"\b(?i:according to|citing|cited by|as reported by)\s+(?P<np>(?:the\s+)?"
                        r"(?:[\w'’.&-]+\s+){0,6}?[\w'’.&-]+)(?=\s*[,.;:]|\s+(?:on|in|at|who|which)\b|$)")
_ACCORDING_KEYS = ("according to", "citing", "cited by", "as reported by")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_BAD_SUBJECT = frozenset({"which", "that", "who", "this", "there", "what", "and", "monday",
                          "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                          "today", "yesterday", "but", "also", "it", "other"})


_NP_OPENER = re.compile(r"^(?:and|but|while|as|so|then|also|both|later|earlier|however,?)\s+",
                        re.I)
_NP_THE = re.compile(r"^(?:the|The)\s+")
_CLAUSE_HEADS = frozenset({"that", "who", "which", "when", "while", "after", "because", "but",
                           "as", "if", "since"})
_SAY_WORDS = tuple(sorted({w.split()[0] for w in _SAY.split("|")} |
                          {"according", "citing", "cited", "reported"}))
_ATTR_HINT = re.compile(r"\b(?:" + _SAY + r"|according to|citing|cited by|reported by)\b", re.I)


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
_PERSON = (r"man|woman|boy|girl|child|baby|teenager|person|civilian|resident|soldier|"
           r"serviceman|officer|policeman|policewoman|firefighter|rescuer|medic|doctor|nurse|"
           r"worker|driver|pilot|journalist|reporter|farmer|volunteer|fighter|guard|employee|"
           r"passenger|pedestrian|student|pensioner|mother|father|son|daughter")
_NOUN = r"(?:(?!(?:were|was|are|is|have|has|had|been|and|or|but|while|as)\b)[\w'’-]+\s+){0,4}?"
# (kind, pattern, whether the match starts with the figure: see _FIGURE_START)
_FIG_PATTERNS: list[tuple[str, re.Pattern, bool]] = []
for _kind, _verbs in _FIG_VERBS.items():
    # "two of his fighters were lightly wounded", "one man was killed", "12 dead"
    _FIG_PATTERNS.append((_kind, re.compile(
        r"\b" + _QUALIFIER + r"(?P<n>" + NUMBER + r")\s+" + _NOUN +
        r"(?:(?:were|was|are|is|have been|has been|had been|been|got|reportedly|later)\s+)*"
        r"(?:\w+ly\s+)?(?:" + _verbs + r")\b", re.I), True))
    # "a firefighter died", "an elderly woman was injured": one person
    if _kind in ("killed", "wounded"):
        _FIG_PATTERNS.append((_kind, re.compile(
            r"\b(?P<n>an?|one)\s+(?:[a-z-]+\s+){0,2}?(?:" + _PERSON + r")\s+"
            r"(?:(?:was|has been|had been|is|reportedly|later)\s+)*(?:\w+ly\s+)?"
            r"(?:" + _verbs + r")\b", re.I), True))
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
_NUMBER_HINT = re.compile(r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                          r"twelve|\w+teen|\w+ty|dozen|hundred|single|couple|pair|both)\b", re.I)


_CLAUSE_CUT = re.compile(r"(?:,\s+(?:but|while|whereas|although|though)\s+|;\s+|\s+but\s+)")


_UNVERIFIED = re.compile(  # the one who says so is capitalised: "The claims" is not a name
    r"(?P<np>(?:(?-i:[A-Z])[\w'’.&-]*\s+){0,5}?(?:(?-i:[A-Z])[\w'’.&-]*|we|it|reporters|"
    r"journalists))?\s*"
    r"(?:could not|couldn't|cannot|can't|was unable to|were unable to|is unable to|"
    r"has not been able to|have not been able to|did not|was not able to)\s+(?:be\s+)?"
    r"(?:independently\s+)?"
    r"(?:verify|verified|confirm|confirmed)|(?:has|have|had) not been (?:independently )?"
    r"(?:verified|confirmed)|unverified|could not be (?:independently )?(?:verified|confirmed)|"
    r"\b(?:neither|none)\b[^.]{0,80}?\b(?:could|can) be (?:independently )?(?:verified|confirmed)",
    re.I)
_CONFIRMED = re.compile(
    r"\b(?:confirmed|verified|geolocated) by (?P<np>(?:the\s+)?(?:[A-Z][\w'’.&-]*\s*){1,5})|"
    r"(?P<np2>(?:[A-Z][\w'’.&-]*\s+){1,5})(?:has |have )?(?:independently )?"
    r"(?:verified|geolocated)\b")


# -- roles ------------------------------------------------------------

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
_CONTEXT_FIRST = re.compile("(?=" + trie_pattern("""born based raised liv studied graduat
educated headquartered registered located stationed resident native originally hail moved
relocated travel flew returned visit citizen national compared like unlike from embassy consulate
ambassador envoy president minister government leader official forces troops army military north
south east west kilomet km mile blamed accused urged thanked warned critici condemned evacuated
fle flight taken sent bussed transferred airlifted head capital governor mayor chief
ruler""".split() + ["grew up", "as in", "called on", "border with", "prime minister"]) + ")")
_CONTEXT_DESIGNATOR = re.compile(r"(?:district|province|region|county|valley|camp|"
                                 r"neighbou?rhood)\s+of\s")
_OPENER = re.compile(r"\s*(?:In|At|Near|Outside|Across|Inside)\s+(?:the\s+)?"
                     r"(?:(?:city|town|village|"
                     r"district|region|province|county|state) of\s+)?")
_COUNTRY_CONTAINER = re.compile(
    r"\b(?=\w)(?:regions?|areas?|parts?|provinces?|oblasts?|villages?|towns?|settlements?|territory|"
    r"territories|districts?|cities|countryside|states?) of\s+(?:the\s+)?$", re.I)
_TITLE_AFTER = re.compile(r"^(?:['’]s)?\s+(?:Oblast\s+|Region\s+|region\s+|oblast\s+)?"
                          r"(?:governor|mayor|"
                          r"(?:city|town|village) of|"
                          r"officials?|authorities|administration|police chief|council|"
                          r"prosecutor|ombudsman|spokes\w+)\b", re.I)
_DATELINE = re.compile(r"^[ \t]*(?:[A-ZÀ-ÝА-Я][A-ZÀ-ÝА-Я'’.\- ]+)(?:,\s*[^—–\n(]{1,40}?)?\s*"
                       r"(?:\([A-Za-z. ]{1,20}\)\s*)?[—–]|^[ \t]*(?:[A-ZÀ-ÝА-Я][A-ZÀ-ÝА-Я'’.\- ]+)"
                       r"(?:,\s*[^\n(]{1,40}?)?\s*\([A-Za-z. ]{1,20}\)\s*-", re.M)
_SPEAKER_AFTER = re.compile(r"^(?:['’]s)?\s+(?:has |had |have |also |later |on \w+ )*"
                            r"(?:" + _SAY + r"|described|called|considers|wants|demanded|"
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


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")
_POSSESSIVE_S = re.compile(r"['’]s\b")
_TARGET_BEFORE = re.compile(r"\b(?:in|into|on|across|inside|over|against|throughout|of)\s+"
                            r"(?:the\s+)?(?:\w+\s+){0,2}$")


_SAID_BEFORE = re.compile(r"\b(?=\w)(?:" + _SAY + r")\b(?:\s+\w+){0,6}\s*$", re.I)
_SAID_AFTER = re.compile(r"\s*(?:,\s*)?(?:" + _SAY + r")\b", re.I)


_EVENT_BEFORE_DATE = re.compile(r"\b(?:that|killed|attack|strike|shell|raid|captur|destroy)", re.I)


def _relative(rel: str, count: int | None, p: dt.date
              ) -> tuple[dt.date, dt.date | None, str] | None:
    """(date, date_end, precision) of a relative expression (lower case) published on ``p``;
    ``count`` is the number it holds ("three days ago"), when it holds one.
    """
    if rel.startswith(("today", "this morning", "this afternoon", "this evening", "tonight",
                       "earlier today")):
        return p, None, "day"
    if rel.startswith("the day before yesterday"):
        return p - dt.timedelta(days=2), None, "day"
    if rel.startswith(("yesterday", "last night", "a day ", "the previous", "the preceding",
                       "the day before")):
        return p - dt.timedelta(days=1), None, "day"
    if rel == "overnight":
        # reported the morning after: the night before publication, told as its morning
        return p, None, "day"
    if rel.endswith(" ago"):
        return (p - dt.timedelta(days=count), None, "day") if count is not None else None
    if rel.endswith(" days") or "recent days" in rel:
        n = count or (4 if "several" in rel else 2 if "couple" in rel else 3)
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
        nxt = prev.replace(day=28) + dt.timedelta(days=4)
        return prev, nxt - dt.timedelta(days=nxt.day), "month"
    if "month" in rel:
        return p - dt.timedelta(days=30), p, "approximate"
    if rel == "last year":
        return dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), "year"
    if "year" in rel:
        return dt.date(p.year, 1, 1), p, "approximate"
    return None


_WEIGHTS = Weights(
    resolve={
        "gazetteer": 0.45,  # the gazetteer's own score of the name match
        "population": 0.25,  # times log10(population + 1) / 7, capped at 1
        "country_share": 0.2,  # times the share of the text's country evidence
        "foreign_country": -0.1,  # the text names countries, not this one
        "admin1_in_text": 0.15,  # its first-level area is named in the text
        "county_town_in_region": 0.3,  # "X County" read as a town X in the text's region
        "inside_container": 0.35,  # "X, Y": inside the area written after it
        "outside_container": -0.2,
        "near_others": 0.12,  # within near_km of the text's confident places
        "near_km": 150.0,
        "far_others": -0.05,  # farther than far_km from all of them
        "far_km": 2000.0,
        "cohere": 0.25,  # times the share of the text's other places within cohere_km
        "cohere_km": 300.0,
        "cohere_margin": 0.12,  # only candidates scoring this close to the best are weighed
        "cohere_population_ratio": 1000.0,  # nor those this many times smaller than the pick
        "kind_match": 0.2,  # the kind a designator asks for ("the city of", "X Oblast")
        "kind_mismatch": -0.2,
        "area": 0.05,  # countries and admin1 areas, without a designator
        "away_from_language": -0.15,  # a ru/uk form, a place outside pack.home_countries
        "bare_adjective": -0.3,  # "Курська" with no noun after it, when a town has that form
        "anchor_score": 0.75,  # a settlement resolved this well anchors the places after it
        "settled_score": 0.6,  # a name repeating the sense the text settled
    },
    roles={
        "near_chars": 90.0,  # an event word this close to a place is about it
        "strong_event": 0.6,  # event words this specific make a place an incident place
        "weak_event": 0.4,  # weaker ones need a preposition ("in", "near") before the place
    },
    drafts={
        "distance_chars": 25.0,  # event word nearness: 1 / (1 + distance / this)
        "verb_first": 1.15,  # the verb usually comes before the place
        "place": 0.45,  # confidence: times the place's resolution score
        "event": 0.2,  # times the event word's strength
        "explicit_date": 0.2,
        "implied_date": 0.05,
        "claims": 0.1,
        "specific_category": 0.05,
        "country_place": -0.15,  # the incident place is a whole country
        "area_place": -0.1,  # or a first-level region
        "week_days": 7.0,  # dates further apart at one place: another event
    },
)

PACK = LanguagePack(
    code="en",
    name="English",
    text=TextWords(
        ui_line=_UI_LINE, appeal=_APPEAL, appeal_keys=_APPEAL_KEYS, appeal_opener=_APPEAL_OPENER,
        reader_address=_FIRST_PLURAL, bio=_BIO, bio_keys=_BIO_KEYS, bio_hint=_BIO_HINT,
        bio_work=_BIO_WORK, credit=_CREDIT),
    toponyms=ToponymWords(
        never=NEVER, common=COMMON, given_names=GIVEN_NAMES,
        wide_given_names=WIDE_GIVEN_NAMES,
        months=MONTHS, weekdays=WEEKDAY_NAMES, particles=PARTICLES, org_after=ORG_AFTER,
        org_of=ORG_OF, group_after=GROUP_AFTER,
        place_after=PLACE_AFTER, place_before=PLACE_BEFORE, title_before=TITLE_BEFORE,
        compound_prefix=COMPOUND_PREFIX, name_tails=NAME_TAILS,
        arabic_article=ARABIC_ARTICLE, designators=DESIGNATORS,
        region_abbreviations=US_STATES_AP, country_abbreviations=COUNTRY_ABBREVIATIONS,
        demonyms=DEMONYMS, place_copula=PLACE_COPULA,
        place_preposition=PLACE_PREPOSITION, disease_after=DISEASE_AFTER,
        named_settlement=NAMED_SETTLEMENT, copula_gap=COPULA_GAP,
        named_settlement_keys=("village of", "town of", "settlement of", "hamlet of", "city of"),
        **_places.FEATURE_WORDS),
    events=EventWords(
        abbreviations=_ABBREV, sentence_end=_SENT_END, sentence_end_first=re.compile("[.!?]"),
        units=_UNITS, tens=_TENS,
        special_numbers=_SPECIAL, number=NUMBER, qualifier=_QUALIFIER,
        event_words=tuple(_EVENT_WORDS), category_rank=tuple(_CATEGORY_RANK),
        intent_before=_INTENT_BEFORE,
        intent_keys=("would", "will", "shall", "could", "might", "may", "plan", "intend",
                     "threaten", "vow", "pledg", "promis", "ready", "prepared", "aim", "seek",
                     "want", "if", "unless", "case", "event")),
    dates=DateWords(
        months=_MONTHS_NUM, weekdays=_WEEKDAYS, patterns=tuple(_DATE_PATTERNS),
        month_anchors=_MONTH_WORDS, weekday_anchors=_WEEKDAY_WORDS, relative_anchors=_REL_WORDS,
        date_words=_DATE_WORDS, anchor_of=_ANCHOR_OF, ambiguous_months=frozenset({"may", "mar"}),
        relative=_relative, range_gap=_RANGE_GAP),
    claims=ClaimWords(
        say=_SAY, deny=_DENY, subject_before=_SUBJECT_BEFORE_END, noun_use=_NOUN_USE,
        said_after=_SAID_AFTER_NAME, according=_ACCORDING, according_keys=_ACCORDING_KEYS,
        attribution_hint=_ATTR_HINT, say_words=_SAY_WORDS, pronouns=_PRONOUNS,
        bad_subjects=_BAD_SUBJECT, np_opener=_NP_OPENER, np_article=_NP_THE,
        clause_heads=_CLAUSE_HEADS, figure_patterns=tuple(_FIG_PATTERNS),
        figure_start=_FIGURE_START, figure_hints=_FIG_HINTS, number_hint=_NUMBER_HINT,
        clause_cut=_CLAUSE_CUT, unverified=_UNVERIFIED, confirmed=_CONFIRMED,
        verify_keys=("verif", "confirm", "geolocat")),
    roles=RoleWords(
        context_before=_CONTEXT_BEFORE, context_first=_CONTEXT_FIRST,
        context_designator=_CONTEXT_DESIGNATOR, opener=_OPENER,
        country_container=_COUNTRY_CONTAINER, title_after=_TITLE_AFTER, dateline=_DATELINE,
        speaker_after=_SPEAKER_AFTER, possessive_noun=_POSSESSIVE_NOUN,
        possessive_s=_POSSESSIVE_S, event_prep=_EVENT_PREP, target_before=_TARGET_BEFORE,
        anaphor=_ANAPHOR, anaphor_numbers={"two": 2, "three": 3, "four": 4, "both": 2},
        said_before=_SAID_BEFORE, said_after=_SAID_AFTER, event_before_date=_EVENT_BEFORE_DATE,
        list_gap=_LIST_GAP),
    weights=_WEIGHTS,
)
