"""Local-script names of settlements (map labels "Rylsk / Рыльск"): the pick from GeoNames'
untagged alternates, and the gazetteer table the build fills (fixture gazetteer, real rows)."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

from mapper.gazetteer.localnames import local_name
from mapper.gazetteer.store import Gazetteer


@pytest.mark.parametrize("name, alternates, country, want", [
    # Ukrainian spelling for a Ukrainian town, Russian for a Russian one
    ("Kharkiv", ["Харков", "Харків", "Харьков"], "UA", "Харків"),
    ("Donetsk", ["Донецк", "Донецьк", "Юзовка"], "UA", "Донецьк"),
    ("Belgorod", ["Белгарад", "Белгород", "Бєлгород", "Білгород"], "RU", "Белгород"),
    # an exonym far from the local name: the dictionary word wins over a neighbour's spelling
    ("Moscow", ["Məskəү", "Маскав", "Москова", "Москва", "Мәскәү"], "RU", "Москва"),
    # a former name, a pre-1918 spelling and a minority language's lose
    ("Volgograd", ["Вльгоградъ", "Волгоград", "Сталинград", "Царицын"], "RU", "Волгоград"),
    ("Kazan", ["Казан", "Казань", "Къазан", "Қазан"], "RU", "Казань"),
    ("Rostov-on-Don", ["Ростов", "Ростов на Дон", "Ростов на Дону", "Ростов-на-Дону"], "RU",
     "Ростов-на-Дону"),
    # Belarus: the Russian name (the language pymorphy3 has)
    ("Minsk", ["Менск", "Мінск", "Мінськ", "Минск"], "BY", "Минск"),
    # an administrative unit's name is not the settlement's
    ("Desna", ["Деснянський Район"], "UA", None),
    # no Cyrillic name, or a country outside Russia, Ukraine and Belarus
    ("Tëtkino", ["Tetkino", "Tyotkino"], "RU", None),
    ("Paris", ["Париж"], "FR", None),
])
def test_local_name(name, alternates, country, want):
    assert local_name(name, alternates, country) == want


def test_gazetteer_keeps_local_names(small_gazetteer_path, tmp_path):
    with Gazetteer.open(small_gazetteer_path) as gaz:
        got = gaz.local_names(["gn:483166", "gn:692194", "gn:538560", "gn:524901",
                               "gn:2988507", "adm1:RU-KRS", "gn:0"])
    assert got == {"gn:483166": "Тёткино", "gn:692194": "Суми", "gn:538560": "Курск",
                   "gn:524901": "Москва"}
    # a database built before the table existed answers {} (labels stay in English)
    old = tmp_path / "old.sqlite"
    shutil.copyfile(small_gazetteer_path, old)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE local_names")
    with Gazetteer.open(old) as gaz:
        assert gaz.local_names(["gn:483166"]) == {}
