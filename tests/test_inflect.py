"""Case forms of Russian and Ukrainian place names (mapper.gazetteer.inflect) and the geocoder
finding a place by any of them, on the real gazetteer."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mapper.gazetteer import inflect


@pytest.mark.parametrize("name, lang, forms", [
    ("Белгород", "ru", {"белгорода", "белгороду", "белгородом", "белгороде"}),
    ("Шебекино", "ru", {"шебекина", "шебекину", "шебекином", "шебекине"}),
    ("Суджа", "ru", {"суджи", "судже", "суджу", "суджей"}),
    ("Сумы", "ru", {"сум", "сумам", "сумами", "сумах"}),
    ("Красная Яруга", "ru", {"красной яруги", "красную яругу", "красной яругой"}),
    ("Ростов-на-Дону", "ru", {"ростова-на-дону", "ростове-на-дону"}),
    ("Харків", "uk", {"харкова", "харкову", "харковом", "харкові"}),
    ("Київ", "uk", {"києва", "києві", "києвом"}),
    ("Сумщина", "uk", {"сумщини", "сумщині", "сумщину", "сумщиною", "сумщино"}),
    ("Новоолександрівка", "uk", {"новоолександрівки", "новоолександрівці",
                                 "новоолександрівкою"}),
    ("Велика Писарівка", "uk", {"великої писарівки", "великій писарівці"}),
    ("Вовчанськ", "uk", {"вовчанська", "вовчанську", "вовчанськом"}),
    ("Шебекине", "uk", {"шебекиного", "шебекиному", "шебекиним"}),
    ("Суми", "uk", {"сум", "сумах", "сумами"}),
])
def test_case_forms(name, lang, forms):
    got = set(inflect.inflect(name, lang))
    assert forms <= got, forms - got
    assert inflect.inflect(name, lang)[0] == name.lower()


def test_area_forms_and_regional_names():
    assert {"белгородской области", "белгородскую область", "белгородской областью"} <= \
        set(inflect.area_forms("Белгородская область", "ru"))
    assert {"сумської області", "сумській області", "сумську область"} <= \
        set(inflect.area_forms("Сумська область", "uk"))
    assert inflect.regional_name("Белгородская", "ru") == "белгородщина"
    assert inflect.regional_name("Курская", "ru") == "курщина"
    assert inflect.regional_name("Сумська", "uk") == "сумщина"
    assert inflect.regional_name("Донецька", "uk") == "донеччина"
    assert inflect.regional_name("Одеська", "uk") == "одещина"


def test_latin_yo_spelling():
    rows = list(inflect.name_rows([(7, "settlement", "RU", ["Тёткино"])], form=4, alias=1,
                                  stem=2, alt=3))
    assert ("tyotkino", 7, 3) in rows and ("tetkine", 7, 4) in rows


def test_name_languages():
    assert inflect.name_languages("Тьоткіно", "RU") == ("uk",)
    assert inflect.name_languages("Тёткино", "UA") == ("ru",)
    assert inflect.name_languages("Суми", "UA") == ("uk", "ru")
    assert inflect.name_languages("Теткино", "RU") == ("ru",)
    assert inflect.name_languages("Tetkino", "RU") == ()


def test_rows_only_for_cyrillic_names_in_scope():
    places = [(1, "settlement", "RU", ["Shebekino", "Шебекино"]),
              (2, "settlement", "FR", ["Paris", "Париж"]),
              (3, "admin1", "UA", ["Sumy Oblast", "Сумська область"])]
    rows = list(inflect.name_rows(places, form=4, alias=1, stem=2, alt=3))
    assert ("shebekine", 1, 4) in rows
    assert ("shebekinomu", 1, 4) in rows  # Ukrainian "у Шебекиному"
    assert not [r for r in rows if r[1] == 2]
    keys = {(k, t) for k, pk, t in rows if pk == 3}
    assert ("sumskoi oblasti", 1) in keys and ("sumshchyni", 1) in keys
    assert ("sumskiy", 2) in keys and ("sumskoy", 2) in keys


def test_geocode_every_form(gazetteer):
    """The must-show of issue 14, as a user runs it."""
    r = subprocess.run([sys.executable, "-m", "mapper", "geocode", "Белгородской области",
                        "Шебекине", "Сумщині", "Тёткино", "Тьоткіно", "--json"],
                       capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert r.returncode == 0, r.stderr
    tops = [item["results"][0] for item in json.loads(r.stdout)]
    assert tops[0]["id"] == "adm1:RU-BEL"
    assert tops[1]["name"] == "Shebekino" and tops[1]["geonameid"] == 495112
    assert tops[2]["id"] == "adm1:UA-59"
    assert tops[3]["geonameid"] == 483166 and tops[4]["geonameid"] == 483166
    assert not any(t["fuzzy"] for t in tops)


@pytest.mark.parametrize("query, place_id", [
    ("Белгорода", "gn:578072"), ("Харкові", "gn:706483"), ("Курщины", "adm1:RU-KRS"),
    ("Сумской области", "adm1:UA-59"), ("Красной Яруге", "gn:542571"),
    ("Харківщині", "adm1:UA-63"), ("Києві", "gn:703448"),
])
def test_search_finds_oblique_cases(gazetteer, query, place_id):
    top = gazetteer.search(query, limit=1)[0]
    assert top.place.id == place_id and not top.fuzzy
