"""Russian and Ukrainian text (issue 14): plural towns in every case ("до Сум"), a
Cyrillic name read as a place where the language is written before a far namesake, indeclinable
names after Ukrainian prepositions ("у Тьоткіно"), an oblast's adjective before its authority
("Сумська обласна військова адміністрація"). Sentences written for these tests; the real
gazetteer."""
from __future__ import annotations

import pytest

from mapper.extract.lang import get
from mapper.extract.pipeline import extract_article
from mapper.gazetteer import inflect

SUMY, CHERNIVTSI, CHERKASY, TETKINO = "gn:692194", "gn:710719", "gn:710791", "gn:483166"


def _places(result, role=None):
    return [(m.text, m.place.id if m.place else None) for m in result.mentions
            if m.role != "not-a-place" and (role is None or m.role == role)]


def test_a_plural_towns_three_letter_genitive_is_a_key():
    rows = list(inflect.name_rows([(7, "settlement", "UA", ["Суми"])], form=1, alias=2,
                                  stem=3, alt=4))
    assert ("sum", 7, 1) in rows
    # a singular name keeps the four-letter floor (no three-letter key from "Орёл")
    rows = list(inflect.name_rows([(8, "settlement", "RU", ["Орёл"])], form=1, alias=2,
                                  stem=3, alt=4))
    assert all(len(key) >= 4 for key, _pk, _t in rows)


@pytest.mark.parametrize("text, expected", [
    ("Евакуаційні автобуси вирушили до Сум рано вранці.", [("Сум", SUMY)]),
    ("Вночі у Сумах пролунало кілька вибухів.", [("Сумах", SUMY)]),
    ("Колонна с гуманитарным грузом вышла из Сум в полдень.", [("Сум", SUMY)]),
    ("Волонтери з Чернівців передали генератори лікарні.", [("Чернівців", CHERNIVTSI)]),
    ("Поїзд із Черкас прибув із запізненням.", [("Черкас", CHERKASY)]),
])
def test_plural_towns_in_their_case_forms(gazetteer, text, expected):
    r = extract_article(text, gazetteer=gazetteer, published="2025-06-02")
    assert _places(r) == expected


def test_a_cyrillic_form_prefers_the_languages_home_countries(gazetteer):
    # "Сум" is also a key of Soum (Burkina Faso); the Ukrainian article means Sumy
    r = extract_article("Біля Сум пошкоджено лінію електропередачі.", gazetteer=gazetteer,
                        published="2025-06-02")
    m = r.mentions[0]
    assert m.place.id == SUMY and m.place.country_code == "UA"
    assert get("uk").home_countries >= {"UA", "RU"} and not get("en").home_countries


@pytest.mark.parametrize("text", [
    "Уночі біля Тьоткіно чули вибухи.",
    "Мешканці виїхали з Тьоткіно ще навесні.",
    "Дрон впав поблизу Тьоткіно, повідомили очевидці.",
])
def test_an_indeclinable_name_after_ukrainian_prepositions(gazetteer, text):
    r = extract_article(text, gazetteer=gazetteer, published="2025-06-02")
    assert ("Тьоткіно", TETKINO) in _places(r)


def test_a_town_then_its_oblast_in_ukrainian(gazetteer):
    r = extract_article("Вибухи лунали у Тьоткіно Курської області до ранку.",
                        gazetteer=gazetteer, published="2025-06-02")
    assert _places(r) == [("Тьоткіно", TETKINO), ("Курської області", "adm1:RU-KRS")]


@pytest.mark.parametrize("text, expected", [
    ("Харківська обласна військова адміністрація повідомила про удар по Ізюму.",
     ("Харківська", "adm1:UA-63")),
    ("За даними Чернігівської ОВА, уночі збито два дрони над Ніжином.",
     ("Чернігівської", "adm1:UA-74")),
    ("Белгородская областная администрация сообщила об обстреле Шебекино.",
     ("Белгородская", "adm1:RU-BEL")),
])
def test_an_oblast_adjective_before_its_authority_names_the_oblast(gazetteer, text, expected):
    r = extract_article(text, gazetteer=gazetteer, published="2025-06-02")
    assert expected in _places(r, "context")
    assert expected not in _places(r, "incident")


def test_a_latin_word_never_takes_the_case_form(gazetteer):
    # "sum" is now a key of Sumy (a case form), which an English "Sum" must not be read as
    r = extract_article("Sum of all fears: the council approved the budget.",
                        gazetteer=gazetteer, published="2025-06-02")
    assert SUMY not in [place for _text, place in _places(r)]


def test_hyphenated_names_are_keyed_as_the_extractor_reads_them():
    # the parts are words to the extractor: "Новгорода" alone has no Ukrainian letter
    assert inflect.keys_of("новгорода-сіверського") == ["novgoroda siverskoho",
                                                         "novhoroda siverskoho"]
    # the last part alone declines too, as much writing does
    assert "середина-буди" in inflect.inflect("Середина-Буда", "uk")
    assert "середини-буди" in inflect.inflect("Середина-Буда", "uk")
    assert "ростова-на-дону" in inflect.inflect("Ростов-на-Дону", "ru")


@pytest.mark.parametrize("text, expected", [
    ("Уночі дрони атакували околиці Новгорода-Сіверського.",
     ("Новгорода-Сіверського", "gn:699753")),
    ("Евакуаційний автобус виїхав із Середина-Буди вранці.", ("Середина-Буди", "gn:694491")),
])
def test_hyphenated_towns_in_their_case_forms(gazetteer, text, expected):
    r = extract_article(text, gazetteer=gazetteer, published="2025-06-02")
    assert expected in _places(r)


@pytest.mark.parametrize("text, expected", [
    # the genitive of Курськ has the letters of the oblast's bare adjective: the town
    ("Вибухи пролунали поблизу Курська вночі.", [("Курська", "gn:538560")]),
    # before a plural "області" every adjective of the list is an oblast
    ("Курська і Брянська області знову під обстрілом.",
     [("Курська", "adm1:RU-KRS"), ("Брянська", "adm1:RU-BRY")]),
    ("Донецька та Луганська області залишаються зоною боїв.",
     [("Донецька", "adm1:UA-14"), ("Луганська", "adm1:UA-09")]),
    ("Курская и Брянская области снова под обстрелом.",
     [("Курская", "adm1:RU-KRS"), ("Брянская", "adm1:RU-BRY")]),
])
def test_a_bare_oblast_adjective_or_a_towns_genitive(gazetteer, text, expected):
    r = extract_article(text, gazetteer=gazetteer, published="2025-06-02")
    assert _places(r) == expected
