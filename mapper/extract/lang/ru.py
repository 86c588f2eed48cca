"""Russian: the word lists, patterns and weights of extraction (see ``mapper.extract.lang``).

Stems stand for the many endings of a word (``обстрел…``); toponym word lists are normalised
like the text's tokens. Dates come from dateparser's Russian locale plus "в ночь на", "минувшей
ночью", "накануне". What is the same in every language (text zones, weights) is English's.
"""
from __future__ import annotations

import re

from mapper.extract.lang import ClaimWords, LanguagePack, RoleWords, ToponymWords
from mapper.extract.lang import en as _en
from mapper.extract.lang.cyrillic import (
    DATELINE,
    NEVER_MATCHES,
    DateVocabulary,
    FigureVocabulary,
    alternation,
    date_words,
    event_words,
    figure_patterns,
    lowers,
    norms,
    number_hint,
)
from mapper.extract.scan import trie_pattern

# -- toponyms ----------------------------------------------------------------------------------
# Capitalised at the start of a sentence, these words are never places (some are town names
# somewhere: Oni in Georgia, Pri, Tak); checked on the normalised key of a one-word match.
COMMON = norms("""и а но или да же ли не ни что чтобы как так там тут здесь где когда
это эти этот эта этого этой этом тот та те то того той тем том все всё всего всех весь вся
он она оно они его её ее их ему ей им ими нём ней них мы вы я ты нас вас
после перед при для без над под около возле между через кроме вместо более менее
также тоже однако поэтому затем потом позже ранее сначала теперь сейчас уже ещё еще
сегодня вчера завтра накануне ночью утром днём днем вечером минувшей прошлой
один одна одно два две двое три трое четыре пять пятеро шесть семь восемь девять десять
всего итого кроме того при этом тем временем по словам по данным кстати впрочем
жители власти губернатор мэр глава министерство минобороны пострадавших погибших
украина россия мир война армия силы войска""")
GIVEN_NAMES = norms("""александр алексей андрей антон артём артем борис вадим валерий василий
виктор виталий владимир вячеслав геннадий георгий григорий даниил денис дмитрий евгений
егор иван игорь илья кирилл константин леонид максим михаил никита николай олег павел
пётр петр роман руслан сергей станислав степан тимур фёдор федор юрий ярослав
анна анастасия валентина виктория галина дарья екатерина елена ирина людмила марина мария
наталья наталия надежда ольга светлана татьяна юлия""")
MONTHS = norms("""январь января феврале февраль февраля март марта апрель апреля май мая июнь
июня июль июля август августа сентябрь сентября октябрь октября ноябрь ноября декабрь
декабря""")
WEEKDAYS = norms("понедельник вторник среда среду четверг пятница пятницу суббота субботу "
                 "воскресенье")
# Lower-case words inside a name ("Ростов-на-Дону") and the admin word after an adjectival
# area name ("Белгородской области"), which recognition lets end a name.
# class nouns ending a feature's name ("Чёрном море", "Чорному морі"): lower case inside a name
FEATURE_NOUNS = ("море моря морем морю озеро озера озере озером водохранилище водохранилища "
                 "водохранилищем горы гор горах горами залив залива заливе заливом пролив пролива "
                 "проливе океан океана океане")
PARTICLES = lowers("на над под де ла дель область области областью край края краю крае "
                   "краем республика республики республике район района районе районом району"
                   + " " + FEATURE_NOUNS)
PLACE_BEFORE = norms("""в во на у из изо с со к ко от до по под над около возле близ рядом
через между за и а но или также жители житель власти губернатор губернатора мэр глава главы
администрация села села поселка посёлка города район районе окрестности окрестностях
обстрел обстрелы атака атаки удар удары по направлению""")
PLACE_AFTER = norms("область области областью район района районе край края")
TITLE_BEFORE = norms("президент премьер министр генерал полковник командир")
ORG_AFTER = norms("""новости правда известия вести ведомости телеграф радио тв онлайн
университет институт академия клуб фк банк""")
# lower-case words after a place naming a group or a town's or district's authority ("Курская
# городская дума" is an organisation, not Kursk)
GROUP_AFTER = norms("ополчение батальон бригада полк отряд городская городской районная "
                    "районной")
# an oblast's authority after its adjective: the oblast, as context ("Белгородская областная")
AUTHORITY_AFTER = norms("областная областной областную областном областною")
DESIGNATORS = {k: "admin1" for k in norms("область области областью край края краю крае "
                                            "республика республики республике")}
DESIGNATORS.update({k: "admin2" for k in norms("район района районе районом району округ округа")})
DESIGNATORS.update({k: "settlement" for k in norms("город города городе село села селе "
                                                   "посёлок посёлка поселке посёлке")})
# physical features: "Чёрное море", "реки Сейм", "на Днепре" (see mapper.extract.features)
DESIGNATORS.update({k: "feature" for k in norms(FEATURE_NOUNS + " река реки реке рекой реку")})
FEATURE_BEFORE = norms("река реки реке рекой реку озеро озера озере озером")
# "на Днепре", "через Дніпро", "форсировали Днепр": the river
FEATURE_CONTEXT = re.compile(r'(?:^|[\s(«"])(?:[Нн]а|[Нн]ад|[Вв]доль|[Чч]ерез|[Зз]а|'
                             r'[Фф]орсировал[иа]?|[Фф]орсировать)\s+$')
TOWN_CONTEXT = re.compile(r'(?:^|[\s(«"])(?:[Вв]о?|[Ии]з|[Пп]од|[Вв]озле|[Бб]лиз|[Вв]близи)\s+$')
FEATURE_LOCATOR = re.compile(r'\s+(?:у|в|возле|около|близ|вблизи|под|рядом с)\s+|\s*,\s*')

TOPONYMS = ToponymWords(
    never=norms("который которая которые которого чтобы этого также однако поэтому"),
    common=COMMON | GIVEN_NAMES, given_names=GIVEN_NAMES, months=MONTHS,
    weekdays=WEEKDAYS, particles=PARTICLES, org_after=ORG_AFTER, org_of=frozenset(),
    group_after=GROUP_AFTER, authority_after=AUTHORITY_AFTER, place_after=PLACE_AFTER,
    place_before=PLACE_BEFORE, title_before=TITLE_BEFORE, compound_prefix=frozenset(),
    name_tails=frozenset(), arabic_article=frozenset(), designators=DESIGNATORS,
    region_abbreviations={}, country_abbreviations={"РФ": "Russia", "США": "United States"},
    demonyms={}, feature_before=FEATURE_BEFORE, feature_context=FEATURE_CONTEXT,
    town_context=TOWN_CONTEXT, feature_locator=FEATURE_LOCATOR)

# -- numbers and event words -------------------------------------------------------------------
NUMBERS = {
    "один": 1, "одна": 1, "одно": 1, "одного": 1, "одну": 1, "одной": 1, "одним": 1,
    "два": 2, "две": 2, "двое": 2, "двух": 2, "двоих": 2, "двум": 2, "двумя": 2,
    "три": 3, "трое": 3, "трех": 3, "трёх": 3, "троих": 3, "трем": 3, "тремя": 3,
    "четыре": 4, "четверо": 4, "четырех": 4, "четырёх": 4, "четверых": 4,
    "пять": 5, "пятеро": 5, "пяти": 5, "пятерых": 5, "шесть": 6, "шестеро": 6, "шести": 6,
    "семь": 7, "семеро": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9,
    "десять": 10, "десяти": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100,
}
QUALIFIER = (r"более|больше|свыше|не менее|не более|около|почти|как минимум|по меньшей мере|"
             r"порядка|примерно|до")
# (pattern, category, weight) as in English: the first pattern matching a word wins
EVENT_WORDS = (
    (r"дрг|диверсионн\w*|диверсант\w*|прорыв\w*|прорвал\w*|прорват\w*|проникл\w*|"
     r"проникнов\w*|вторжени\w*|вторгл\w*|рейд\w*|высадк\w*|высадить|штурм\w*|"
     r"наступлени\w*", "raid", 1.0),
    (r"обстрел\w*|обстрелял\w*|обстреля\w*|артиллер\w*|миномет\w*|минометн\w*|снаряд\w*|"
     r"рсзо|реактивн\w+ систем\w*|прил[её]т\w*", "shelling", 1.0),
    (r"авиаудар\w*|ракет(?!\w*\s+опасност)\w*|авиабомб\w*|каб(?:ами|ы|ов)?|бомб\w*|"
     r"авиаци\w*|самол[её]т\w*", "air-strike", 0.9),
    (r"беспилотн\w*|бпла|дрон\w*|шахед\w*|камикадзе|fpv", "drone-strike", 1.0),
    (r"захват\w*|захвач\w*|взят\w* в плен|взяли в плен|плен\w*|окруж\w*|"
     r"освобо\w+|оккуп\w+|взят\w* под контроль", "capture", 1.1),
    (r"бо[йяие]\b|боях|боев\w+|столкновени\w*|перестрелк\w*|сражени\w*", "clash", 0.75),
    (r"атак\w*|удар\w*|отраз\w*|отбил\w*|отбит\w*|нанес\w*|наносят|поразил\w*|"
     r"поражени\w*|операци\w*", "clash", 0.5),
    (r"взрыв\w*|взорв\w*|детонац\w*|подрыв\w*|сдетонир\w*", "explosion", 0.95),
    (r"разруш\w*|уничтож\w*|поврежд\w*|пожар\w*|горит|загорел\w*|возгорани\w*|обломк\w*|"
     r"сгорел\w*|попал\w*", "destruction", 1.05),
    (r"диверси[яи]\w*|поджог\w*|подожгл\w*", "sabotage", 1.05),
    (r"эвакуац\w*|эвакуир\w*|вывоз\w*|вывез\w*|выехал\w*|покинул\w*", "evacuation", 1.0),
    (r"погиб\w*|убит\w*|ранен\w*|ранил\w*|пострадал\w*|пострадавш\w*|жертв\w*|травм\w*|"
     r"госпитализ\w*|скончал\w*", "casualties", 0.8),
    (r"задерж\w*|арест\w*|протест\w*|митинг\w*|обесточ\w*|отключ\w*", "other", 0.65),
    (r"пресс-конференци\w*|брифинг\w*", "statement", 0.7),
)
EVENTS = event_words(EVENT_WORDS, _en.PACK.events.category_rank, NUMBERS, QUALIFIER)

# -- dates -------------------------------------------------------------------------------------
DATES = date_words("ru", DateVocabulary(
    day_suffix=r"-?го|-е", weekday_pre=r"в|во|с|со|к|на",
    relative={"накануне": 1, "минувшей ночью": 0, "этой ночью": 0, "прошлой ночью": 0,
              "сегодня ночью": 0, "ночью": 0, "утром": 0, "сегодня утром": 0,
              "вчера вечером": 1, "вчера утром": 1, "вчера днём": 1, "вчера днем": 1,
              "позапрошлой ночью": 1, "минувшей ночью и утром": 0},
    since=r"с|со",
    month_in={m: i for i, m in enumerate((
        "январе феврале марте апреле мае июне "
        "июле августе сентябре октябре ноябре декабре").split(), 1)},
    month_pre=r"в|во"))

# -- claims ------------------------------------------------------------------------------------
SAY = (r"заявил\w*|заявля\w*|сообщил\w*|сообща\w*|рассказал\w*|написал\w*|отметил\w*|"
       r"подтвердил\w*|уточнил\w*|добавил\w*|опроверг\w*|отрица\w*|утвержда\w*|передал\w*|"
       r"переда[её]т|информирует|проинформировал\w*|признал\w*|предупредил\w*")
DENY = re.compile(r"\b(?:опроверг\w*|отрица\w*)\b", re.I)
_HEADS = (r"губернатор\w*|мэр\w*|глав\w+|власт\w+|министерств\w*|ведомств\w*|военн\w+|"
          r"жител\w+|очевид\w+|источник\w*|штаб\w*|командовани\w*|служб\w+|спасател\w+|"
          r"сторон\w+|минобороны|мчс|администраци\w+|ополчен\w+|корреспондент\w*")
_NP = r"(?:[\w'’.«»\"-]+\s+){0,5}?[\w'’.«»\"-]+"
SUBJECT_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<np>(?:[A-ZА-ЯЁ][\w'’.-]*|" + _HEADS + r")(?:\s+[\w'’.-]+){0,5}?)"
    r"\s+(?:(?:также|ранее|позже|уже|официально)\s+)*(?P<verb>" + SAY + r")$")
SAID_AFTER = re.compile(r"(?:[,—–]\s*|\b[Оо]б этом\s+|\b[Кк]ак\s+)(?P<verb>" + SAY + r")\s+"
                        r"(?P<np>" + _NP + r")(?=\s*[.,;:!?»]|\s+(?:что|о|об|в|во|на)\b|\s*$)")
ACCORDING = re.compile(r"\b(?i:по данным|по словам|по информации|по сведениям|со ссылкой на)"
                       r"\s+(?P<np>" + _NP + r")(?=\s*[.,;:—–]|\s*$)")
ACCORDING_KEYS = ("по данным", "по словам", "по информации", "по сведениям", "со ссылкой на")
FIGURES, FIGURE_START = figure_patterns(FigureVocabulary(
    numbers=NUMBERS, qualifier=QUALIFIER,
    passive={"killed": r"погиб\w*|убит\w*|скончал\w*|погибш\w*",
             "wounded": r"ранен\w*|пострадал\w*|пострадавш\w*|травмирован\w*|"
                        r"госпитализирован\w*|получил\w* ранения",
             "captured": r"взят\w* в плен|задержан\w*|пленен\w*|захвачен\w*",
             "missing": r"пропал\w* без вести|пропавш\w*",
             "destroyed": r"уничтожен\w*|разрушен\w*",
             "evacuated": r"эвакуирован\w*|вывезен\w*"},
    auxiliary=r"был\w*|оказал\w*", not_after=r"км|километр|%|процент|час|дн|суток|лет|год"))

CLAIMS = ClaimWords(
    say=SAY, deny=DENY, subject_before=SUBJECT_BEFORE, noun_use=NEVER_MATCHES,
    said_after=SAID_AFTER, according=ACCORDING, according_keys=ACCORDING_KEYS,
    attribution_hint=re.compile(r"(?:" + SAY + "|" + alternation(ACCORDING_KEYS) + r")\b", re.I),
    say_words=("заяв", "сообщ", "расск", "напис", "отмет", "подтв", "уточн", "добав", "опров",
               "отриц", "утвер", "перед", "информ", "проинф", "призн", "предуп", *ACCORDING_KEYS),
    pronouns=lowers("он она они оно его её ее их"),
    bad_subjects=lowers("который которая которые что это этом кто где когда также однако"),
    np_opener=re.compile(r"^(?:и|а|но|также|однако|тем временем|при этом|кроме того),?\s+",
                         re.I),
    np_article=re.compile(r"^(?:в|во|у|на)\s+", re.I),
    clause_heads=lowers("что который которая которые где когда как чтобы"),
    figure_patterns=FIGURES, figure_start=FIGURE_START,
    figure_hints={"killed": ("погиб", "убит", "скончал"),
                  "wounded": ("ранен", "пострадал", "травм", "госпитал"),
                  "captured": ("плен", "задерж", "захвач"), "missing": ("пропал",),
                  "destroyed": ("уничтож", "разруш"), "evacuated": ("эвакуир", "вывез")},
    number_hint=number_hint(NUMBERS),
    clause_cut=re.compile(r"(?:,\s+(?:но|а|однако|хотя|тогда как)\s+|;\s+|\s+но\s+)"),
    unverified=re.compile(
        r"(?P<np>)(?:(?:не удалось|не удаётся|не удается|невозможно|не смогл\w*|не можем)\s+"
        r"(?:независимо\s+|пока\s+)?(?:проверить|подтвердить|верифицировать)|"
        r"(?:независимо\s+)?(?:проверить|подтвердить)\s+(?:\w+\s+){0,3}?не удалось|"
        r"(?:пока|официально)?\s*не\s+(?:были\s+)?подтвержд\w+|неподтвержд\w+)", re.I),
    confirmed=re.compile(r"(?P<np>)(?P<np2>)(?!)"),
    verify_keys=("подтверд", "провер", "верифи"))

# -- roles -------------------------------------------------------------------------------------
_CONTEXT_WORDS = ("эвакуир", "вывоз", "вывез", "отправ", "перевез", "доставл", "выехал",
                  "уехал", "бежал", "прибыл", "везут", "со стороны", "в сторону",
                  "в направлении", "губернатор", "мэр", "глав", "власт", "жител", "минобороны",
                  "министерств", "администрац", "уроженец", "уроженка", "родом", "границ", "км",
                  "километр", "посольств")
CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:эвакуир\w*|вывоз\w*|вывез\w*|отправ\w*|перевез\w*|доставл\w*|выехал\w*|уехал\w*|"
    r"бежал\w*|прибыл\w*|везут)\s+(?:[\w-]+\s+){0,4}?(?:в|во|на|к)\s+"
    r"(?:[\w-]+\s+(?:и|или|а также)\s+)?|"
    r"\bсо стороны\s+|\bв сторону\s+|\bв направлении\s+|"
    r"\b(?:губернатор\w*|мэр\w*|глав[аыеу]|власт\w+|жител\w+|минобороны|министерств\w+|"
    r"администраци\w+|посольств\w+)\s+|"
    r"\b(?:уроженец|уроженка|родом из)\s+|\bграниц\w*\s+с\s+|"
    r"\b\d+\s*(?:км|километр\w*)\s+(?:от|к|до)\s+)$", re.I)
ROLES = RoleWords(
    context_before=CONTEXT_BEFORE,
    context_first=re.compile("(?=" + trie_pattern(_CONTEXT_WORDS) + r"|\d)"),
    context_designator=NEVER_MATCHES,
    opener=re.compile(r"\s*(?:В|Во|На|Под|Около|Возле|У)\s+"),
    country_container=re.compile(r"\b(?:регион\w*|област\w*|район\w*|сел\w*|город\w*|"
                                 r"территори\w*|приграничь\w*)\s+$", re.I),
    title_after=re.compile(r"^\s+(?:губернатор\w*|мэр\w*|власт\w+|администраци\w+)\b", re.I),
    dateline=DATELINE,
    speaker_after=re.compile(r"^\s+(?:" + SAY + r"|считает|ответил\w*|пригрозил\w*)\b", re.I),
    possessive_noun=NEVER_MATCHES, possessive_s=NEVER_MATCHES,
    event_prep=re.compile(r"\b(?:в|во|на|у|под|над|около|возле|по|близ|"
                          r"атаковал\w*|атакуют|обстрелял\w*|обстреливают|ударил\w*)\s+"
                          r"(?:[\w-]+\s+){0,3}$", re.I),
    target_before=re.compile(r"\b(?:по|на|в|во|против|над)\s+(?:[\w-]+\s+){0,2}$", re.I),
    anaphor=NEVER_MATCHES, anaphor_numbers={},
    said_before=re.compile(r"\b(?:" + SAY + r")\b(?:\s+\w+){0,6}\s*$", re.I),
    said_after=re.compile(r"\s*(?:,\s*)?(?:" + SAY + r")\b", re.I),
    event_before_date=re.compile(r"(?:что|атак|удар|обстр|сбит|уничтож|попал)", re.I),
    list_gap=re.compile(r"\s*(?:,\s*(?:и\s+|а также\s+)?|и\s+(?:в\s+|во\s+)?|или\s+)"))

PACK = LanguagePack(code="ru", name="Russian", text=_en.PACK.text, toponyms=TOPONYMS,
                    events=EVENTS, dates=DATES, claims=CLAIMS, roles=ROLES,
                    weights=_en.PACK.weights, home_countries=frozenset({"RU", "UA", "BY"}))
