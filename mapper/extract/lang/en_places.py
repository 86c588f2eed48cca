"""English place-name evidence: the toponym stage's word lists (``ToponymWords`` in ``en.PACK``).

Function words, common words and names that are also towns, organisation and title words around
names, designators, abbreviations and demonyms.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Any

import justext  # type: ignore[import-untyped]

# Words never looked up: no place is known by them alone in English text, and they are frequent.
NEVER = frozenset("""the and a an or but to is was be are were it he she we they i you this
that these those his her its their our my your me him them not so if then than who whom which
what when where why how all any some also just only said says has have had do does did will
would can could might must shall should been being via""".split())

# Common English words that are also the names of towns somewhere. Checked on the normalised
# key of a one-word match; such a match needs strong evidence (see ``_common_word_ok``).
COMMON = frozenset("""read mobile of home support join show more most best live watch share many
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
GIVEN_NAMES = frozenset("""john james david michael robert william richard joseph thomas charles
daniel matthew anthony
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
COMMON = COMMON | GIVEN_NAMES
MONTHS = frozenset("""january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec""".split())
# justext (a dependency of trafilatura) ships an English stop list: 450 frequent words
COMMON = COMMON | {w.strip('"(.,') for w in justext.get_stoplist("English")} - {
    "london", "san", "de", "st", "city", "county", "state", "states"}

# Words that may stand lowercase inside a multiword place name.
# Demonyms: adjectives and peoples of countries ("Russian forces", "Syrians"), lower case ->
# ISO country code. They name the country's people, never a place of an incident.
DEMONYMS: dict[str, str] = {}
for _code, _words in {
    "AF": "afghan afghans afghani", "AL": "albanian albanians", "DZ": "algerian algerians",
    "AO": "angolan angolans", "AR": "argentine argentinian argentinians argentines",
    "AM": "armenian armenians", "AU": "australian australians", "AT": "austrian austrians",
    "AZ": "azerbaijani azerbaijanis azeri azeris", "BH": "bahraini bahrainis",
    "BD": "bangladeshi bangladeshis", "BY": "belarusian belarusians", "BE": "belgian belgians",
    "BJ": "beninese", "BO": "bolivian bolivians", "BA": "bosnian bosnians",
    "BR": "brazilian brazilians", "GB": "british briton britons", "BG": "bulgarian bulgarians",
    "BF": "burkinabe", "MM": "burmese myanmarese", "KH": "cambodian cambodians",
    "CM": "cameroonian cameroonians", "CA": "canadian canadians", "TD": "chadian chadians",
    "CL": "chilean chileans", "CN": "chinese", "CO": "colombian colombians",
    "CD": "congolese", "HR": "croatian croatians croat croats", "CU": "cuban cubans",
    "CY": "cypriot cypriots", "CZ": "czech czechs", "DK": "danish dane danes",
    "DO": "dominican dominicans", "EC": "ecuadorian ecuadorians", "EG": "egyptian egyptians",
    "SV": "salvadoran salvadorans", "ER": "eritrean eritreans", "EE": "estonian estonians",
    "ET": "ethiopian ethiopians", "FI": "finnish finn finns", "FR": "french frenchman",
    "GA": "gabonese", "GE": "georgian georgians", "DE": "german germans",
    "GH": "ghanaian ghanaians",
    "GR": "greek greeks", "GT": "guatemalan guatemalans", "GN": "guinean guineans",
    "HT": "haitian haitians", "HN": "honduran hondurans", "HU": "hungarian hungarians",
    "IS": "icelandic icelander icelanders", "IN": "indian indians", "ID": "indonesian indonesians",
    "IR": "iranian iranians", "IQ": "iraqi iraqis", "IE": "irish", "IL": "israeli israelis",
    "IT": "italian italians", "CI": "ivorian ivorians", "JM": "jamaican jamaicans",
    "JP": "japanese", "JO": "jordanian jordanians", "KZ": "kazakh kazakhs kazakhstani",
    "KE": "kenyan kenyans", "XK": "kosovar kosovars", "KW": "kuwaiti kuwaitis",
    "KG": "kyrgyz", "LA": "laotian laotians", "LV": "latvian latvians",
    "LB": "lebanese", "LR": "liberian liberians", "LY": "libyan libyans",
    "LT": "lithuanian lithuanians", "MG": "malagasy", "MW": "malawian malawians",
    "MY": "malaysian malaysians", "ML": "malian malians", "MR": "mauritanian mauritanians",
    "MX": "mexican mexicans", "MD": "moldovan moldovans", "MN": "mongolian mongolians",
    "ME": "montenegrin montenegrins", "MA": "moroccan moroccans", "MZ": "mozambican mozambicans",
    "NA": "namibian namibians", "NP": "nepalese nepali nepalis", "NL": "dutch",
    "NZ": "zealander zealanders", "NI": "nicaraguan nicaraguans", "NE": "nigerien nigeriens",
    "NG": "nigerian nigerians", "KP": "north korean", "NO": "norwegian norwegians",
    "OM": "omani omanis", "PK": "pakistani pakistanis", "PS": "palestinian palestinians",
    "PA": "panamanian panamanians", "PY": "paraguayan paraguayans", "PE": "peruvian peruvians",
    "PH": "filipino filipinos philippine", "PL": "polish pole poles",
    "PT": "portuguese", "QA": "qatari qataris", "RO": "romanian romanians",
    "RU": "russian russians", "RW": "rwandan rwandans", "SA": "saudi saudis",
    "SN": "senegalese", "RS": "serbian serbians serb serbs", "SL": "sierra leonean",
    "SG": "singaporean singaporeans", "SK": "slovak slovaks slovakian",
    "SI": "slovenian slovenians",
    "SO": "somali somalis somalian", "ZA": "south african south africans", "KR": "south korean",
    "SS": "south sudanese", "ES": "spanish spaniard spaniards", "LK": "sri lankan sri lankans",
    "SD": "sudanese", "SE": "swedish swede swedes", "CH": "swiss", "SY": "syrian syrians",
    "TW": "taiwanese", "TJ": "tajik tajiks", "TZ": "tanzanian tanzanians", "TH": "thai thais",
    "TG": "togolese", "TN": "tunisian tunisians", "TR": "turkish turk turks",
    "TM": "turkmen", "UG": "ugandan ugandans", "UA": "ukrainian ukrainians",
    "AE": "emirati emiratis", "US": "american americans", "UY": "uruguayan uruguayans",
    "UZ": "uzbek uzbeks", "VE": "venezuelan venezuelans", "VN": "vietnamese",
    "YE": "yemeni yemenis", "ZM": "zambian zambians", "ZW": "zimbabwean zimbabweans",
}.items():
    DEMONYMS.update(dict.fromkeys(_words.split(), _code))
for _phrase, _code in (("north korean", "KP"), ("south korean", "KR"), ("sri lankan", "LK"),
                       ("sri lankans", "LK"), ("south african", "ZA"), ("south africans", "ZA"),
                       ("sierra leonean", "SL"), ("south sudanese", "SS"), ("new zealander", "NZ"),
                       ("new zealanders", "NZ")):
    DEMONYMS[_phrase] = _code
for _single in ("north", "south", "sri", "lankan", "lankans", "african", "africans", "sierra",
                "leonean", "korean", "zealander", "zealanders", "philippine"):
    DEMONYMS.pop(_single, None)

WEEKDAY_NAMES = frozenset("""monday tuesday wednesday thursday friday saturday sunday mon tue
tues wed thu thur thurs fri sat sun""".split())
PARTICLES = frozenset("""of on upon de la le les du des del della di da do dos das am an der die
den im in and the sur en y al el bin ibn on-the van von aan op ter au aux lès bei zum zur dei
delle degli""".split())


def _census_first_names(min_percent: float = 0.005) -> frozenset[str]:
    """First names of the US census (the ``names`` package's lists) given to at least
    ``min_percent`` of people: about 1,800 names.
    """
    out = set()
    for part in ("dist.male.first", "dist.female.first"):
        for line in resources.files("names").joinpath(part).read_text().splitlines():
            fields = line.split()
            if len(fields) >= 2 and float(fields[1]) >= min_percent:
                out.add(fields[0].lower())
    return frozenset(out)


# A word beside a place-named word being one of these makes the pair a person's name.
WIDE_GIVEN_NAMES = GIVEN_NAMES | _census_first_names()

# A capitalised word right after a place that makes it part of an outlet or organisation name.
ORG_AFTER = frozenset("""times post independent herald tribune journal gazette news daily express
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
GROUP_AFTER = frozenset("""militia militias cartel gang gangs movement rebels insurgents clan
clans""".split())
# "University of X", "Times of X": an organisation whose name ends with a place.
ORG_OF = frozenset("""university college institute academy bank times museum church archdiocese
diocese republic freedom council chamber school port""".split()) - {"republic", "port"}

# Capitalised words that may stand right after a place name (designators, officials, parts).
PLACE_AFTER = frozenset("""oblast oblasts region regions province provinces state states county
counties district districts governorate krai kray raion rayon prefecture department municipality
parish territory territories republic town village island islands valley governor governors
mayor mayors airport station port harbour
harbor border front direction sector axis area areas metro metropolitan suburbs outskirts
strip sea region's oblast's governor's officials
mountains mountain river lake peninsula strait gulf bay coast coastline basin plateau desert
bridge dam plant reactor refinery oblast's region's
north south east west central eastern western northern southern""".split())
# Capitalised words that may stand right before a place (sentence openers, directions, titles).
PLACE_BEFORE = frozenset("""in on at from to near across outside inside around into over under
through throughout since after before during and but both neither while when as like unlike for
with without within by the a an this that these those north south east west northern southern
eastern western central greater upper lower downtown rural suburban occupied liberated
russian-occupied ukrainian-held frontline front-line border coastal southeastern southwestern
northeastern northwestern mid far where if of via toward towards between beyond along about
mayor governor then also even only yes no so oh metropolitan rural urban new lake river mount
mt""".split())
TITLE_BEFORE = frozenset("""president prime minister governor mayor mr mrs ms dr gen general
colonel col lt lieutenant sgt sergeant capt captain commander chief secretary senator sen rep
representative judge justice pope king queen prince princess sheikh emir sir lord lady father
saint st spokesperson spokesman spokeswoman ambassador envoy minister deputy""".split())
COMPOUND_PREFIX = frozenset("anti pro non ex post pre neo".split())
# Capitalised words that complete a name: "Gaza Strip", "Swat Valley", "Black Sea".
NAME_TAILS = frozenset("""strip valley sea river island islands peninsula coast desert basin
mountains mountain lake gulf bay canyon plateau delta""".split())
ARABIC_ARTICLE = frozenset("al el ad an ar as ash at az ul".split())
DESIGNATORS: dict[str, str] = {
    "oblast": "admin1", "oblasts": "admin1", "region": "admin1", "regions": "admin1",
    "province": "admin1", "provinces": "admin1", "governorate": "admin1", "krai": "admin1",
    "kray": "admin1", "state": "admin1", "prefecture": "admin1", "republic": "admin1",
    "county": "admin2", "counties": "admin2", "district": "admin2", "districts": "admin2",
    "raion": "admin2", "rayon": "admin2", "municipality": "admin2", "parish": "admin2",
    "city": "settlement", "town": "settlement", "village": "settlement", "settlement": "settlement",
    "hromada": "admin2",
    # physical features: "the Seym river", "the Dnipro and Desna rivers", "the Azov sea"
    "river": "feature", "rivers": "feature", "lake": "feature", "lakes": "feature",
    "sea": "feature", "mountains": "feature", "reservoir": "feature",
}
# Words right before a name that make it a physical feature ("river Seym", "Lake Tana").
FEATURE_BEFORE = frozenset("river lake mount mt".split())
# The end of the text before a name that a river or sea shares with a town: "the Dnipro",
# "the Don" (towns take no article; "the Hague" has no feature namesake)
FEATURE_CONTEXT = re.compile(r"\b[Tt]he[ \u00a0]+$")
FEATURE_MODIFIER = re.compile(r"[ \u00a0]+(?:coast|coastline|coasts|shore|shores|fleet|region|"
                              r"basin|ports?|countries|states|nations|littoral|crossing|bridge|"
                              r"resort|grain|corridor|deal)\b")
FEATURE_LOCATOR = re.compile(r"(?:[ \u00a0]+(?:river|lake|sea|reservoir))?,?[ \u00a0]+"
                             r"(?:(?:just|about|some|[\d.,]+ (?:km|kilometres|kilometers|miles))"
                             r"[ \u00a0]+)?(?:near|at|by|outside|close to|in|off|from)[ \u00a0]+"
                             r"(?:the[ \u00a0]+)?(?:(?:village|town|city|settlement)[ \u00a0]+of"
                             r"[ \u00a0]+)?|,[ \u00a0]*|[ \u00a0]+(?:on|along|across)[ \u00a0]+"
                             r"the[ \u00a0]+")
FEATURE_REFERENCE = re.compile(r"\b(?:(?:shores?|banks?|coast|edge|mouth|side|waters)[ \u00a0]+of|"
                               r"across|along)[ \u00a0]+(?:the[ \u00a0]+)?$")
# ... and the end that makes it the town: "in Dnipro", "near Don"
TOWN_CONTEXT = re.compile(r"\b(?:in|near|outside|from|to|at)[ \u00a0]+$")
# the ToponymWords fields of physical features (see mapper.extract.features)
FEATURE_WORDS: dict[str, Any] = {
    "feature_before": FEATURE_BEFORE, "feature_context": FEATURE_CONTEXT,
    "town_context": TOWN_CONTEXT, "feature_modifier": FEATURE_MODIFIER,
    "feature_locator": FEATURE_LOCATOR, "feature_reference": FEATURE_REFERENCE}


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

# A name followed by this is a place ("Salem is a city in", "Tyotkino, a village").
PLACE_COPULA = re.compile(
    r"(?:\s+\([^()]{0,80}\))?(?:\s+(?:is|was|has been|remains)\s+(?:now\s+)?(?:a|an|the)\s+"
    r"(?:[\w'’-]+\s+){0,5}?|,\s+(?:a|an)\s+(?:[\w'’-]+\s+){0,3}?)"
    r"(?:city|town|village|hamlet|municipality|commune|community|borough|suburb|"
    r"neighbou?rhood|county|district|province|region|state|country|capital|settlement|"
    r"census-designated place|township|parish|port|island|locality|seaport|metropolis|"
    r"oblast|governorate|prefecture|department|canton|valley|area|barrio)\b"
    r"|\s+(?:is|was)\s+(?:located|situated)\b")
# Before a name (mid-sentence), the name is a place: "in Salem", "near Kursk".
PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|inside|into|across|throughout)\s+"
                                r"(?:the\s+)?$")
# Between "X" and "Y" in "X is a small town in southern Y": Y may hold X.
COPULA_GAP = re.compile(
    r"(?:\s+\([^()]{0,80}\))?,?\s+(?:is|was)\s+(?:now\s+)?(?:a|an|the)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(?:city|town|village|hamlet|municipality|commune|community|borough|suburb|"
    r"neighbou?rhood|settlement|census-designated place|township|locality|place|port)\s+"
    r"(?:(?:located|situated|lying)\s+)?(?:in|of|within|on)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}")
# "the village of X": X is a settlement, known to the gazetteer or not.
NAMED_SETTLEMENT = re.compile(r"\b(?:village|town|settlement|hamlet|city)\s+of\s+"
                               r"((?-i:[A-Z])[\w'’-]+(?:[ -](?-i:[A-Z])[\w'’-]+){0,2})", re.I)
# After a name, a disease named after a place: "West Nile virus", "Lassa fever".
DISEASE_AFTER = re.compile(r"[ -](?:virus|ebolavirus|fever|flu|influenza|disease|encephalitis|"
                            r"syndrome|strain)\b", re.I)
