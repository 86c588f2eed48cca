"""Second-level divisions known by a bare name ("Kent", "Gironde", "Zorleni") or a designator
form read from the country's own GeoNames rows ("Comuna Zorleni", "Campinas Municipality",
"County of Kent"): the derived data, the geocoder and extraction, on sentences written for these
tests."""
from __future__ import annotations

import gzip
import json

import pytest

from mapper.extract.pipeline import extract_article
from mapper.gazetteer import areas
from mapper.gazetteer.search import BARE_ADMIN2_SCORE

ZORLENI, ZAMA, CAMPINAS, CHIKUN, CAYELI = ("gn:662129", "gn:1847999", "gn:6324332",
                                           "gn:7871251", "gn:9549145")


@pytest.fixture(scope="module")
def districts() -> dict[str, dict]:
    with gzip.open(areas.data_dir() / "derived" / "districts.json.gz", "rt",
                   encoding="utf-8") as fh:
        return {d["id"]: d for d in json.load(fh)["districts"]}


def test_designators_come_from_the_countrys_rows(districts):
    # "Comuna" and "Shi" stand before/after the seat's name in thousands of rows of RO and JP
    assert districts[ZORLENI]["bare"] == ["Zorleni"]
    assert "Comuna Zorleni" in districts[ZORLENI]["names"]
    assert districts[ZAMA]["bare"] == ["Zama"] and "Zama Shi" in districts[ZAMA]["names"]
    # "{} Municipality" recurs among Brazil's alternate names: made for every municipality
    assert "Campinas Municipality" in districts[CAMPINAS]["names"]
    # the ISO category "Two-tier county" in the word order GB names use ("County of Powys")
    kent = next(d for d in districts.values() if d.get("bare", [""])[0] == "Kent"
                and d["country_code"] == "GB")
    assert "County of Kent" in kent["names"] and "Kent County" not in kent["names"]
    for d in districts.values():
        assert not set(d.get("bare", ())) & set(d["names"]), d
        assert d["point"].startswith(("seat", "population-weighted centre")), d
        if d["country_code"] in ("RU", "UA", "BY"):
            assert "bare" not in d, d  # never "Sovetsky" alone


def test_common_words_are_no_bare_district_names(districts, gazetteer):
    """Saint Lucia's quarters "Village" and "Town", Sikkim's "North" district: the stop words
    the build keeps out of alternate names are never a district's bare name."""
    bare = {b.casefold() for d in districts.values() for b in d.get("bare", ())}
    assert not bare & {"village", "town", "city", "north", "south", "central", "of"}
    for word in ("Village", "Town", "North", "Central"):
        assert not [c for c in gazetteer.search(word, limit=20, fuzzy=False)
                    if c.place.kind == "admin2"]
    assert gazetteer.search("Of District", limit=1)[0].place.country_code == "TR"


def test_a_district_that_is_a_natural_earth_admin1_is_one_place(gazetteer):
    """France's departments, England's counties and Italy's provinces are Natural Earth's first
    level: their GeoNames ADM2 twins add names to those areas, not a second place."""
    assert gazetteer.get("gn:3015948") is None  # GeoNames ADM2 Gironde
    assert gazetteer.get("adm1:FR-33").kind == "admin1"


@pytest.mark.parametrize("query, place", [
    ("Gironde department", "adm1:FR-33"),     # a department
    ("County of Kent", "adm1:GB-KEN"),        # a county
    ("Province of Trapani", "adm1:IT-TP"),    # a province
    ("Campinas Municipality", CAMPINAS),      # designator forms beat the town of that name
    ("Comuna Zorleni", ZORLENI),
    ("Zama Shi", ZAMA),
    ("Kent County", "adm2:US-10001"),         # "X County" is the US county, not Kent
    ("Askira-Uba", "gn:8659842"),             # a bare name no town has
])
def test_geocode_designator_forms(gazetteer, query, place):
    top = gazetteer.search(query, limit=1)[0]
    assert top.place.id == place and not top.fuzzy, top


@pytest.mark.parametrize("query, town, district", [
    ("Zorleni", "gn:662130", ZORLENI), ("Zama", "gn:1848004", ZAMA),
    ("Campinas", "gn:3467865", CAMPINAS), ("Hirosaki", "gn:2130057", "gn:2130056"),
])
def test_a_bare_district_name_loses_to_its_town(gazetteer, query, town, district):
    found = gazetteer.search(query, limit=10)
    assert found[0].place.id == town and found[0].place.kind == "settlement"
    bare = next(c for c in found if c.place.id == district)
    assert bare.score == BARE_ADMIN2_SCORE and "without its type" in bare.reason


def _places(text: str, gazetteer) -> dict[str, object]:
    r = extract_article(text, gazetteer=gazetteer, published="2026-03-02")
    return {m.place.id: m.place for m in r.mentions if m.place is not None}


def test_extraction_context_and_designators(gazetteer):
    got = _places("Gunmen killed four people in Chikun, Kaduna State, Nigeria.", gazetteer)
    assert got[CHIKUN].kind == "admin2"
    got = _places("Floods killed a farmer in the Çayeli district of Rize province.", gazetteer)
    assert CAYELI in got
    got = _places("Heavy rain flooded homes in the Comuna Zorleni, Romania.", gazetteer)
    assert ZORLENI in got
    got = _places("Police in Campinas said two men were arrested.", gazetteer)
    assert "gn:3467865" in got and CAMPINAS not in got  # the city, not the municipality


def test_a_bare_district_is_no_container_for_a_weekday(gazetteer):
    """"Rio" is also the bare name of Rio de Janeiro municipality; "on Thursday, Rio state
    police said" must not make Thursday (Thursday Island's alternate name) a place in it."""
    r = extract_article("Nine people died in the raid on Thursday, Rio state police said.",
                        gazetteer=gazetteer, published="2026-03-02")
    assert not [m for m in r.mentions if m.text == "Thursday" and m.place is not None]
    rio = next(m for m in r.mentions if m.text == "Rio")
    assert rio.place.kind != "admin2"


def test_hrodna_local_name_is_russian(gazetteer):
    """Гродна is the Belarusian name and the Russian genitive; the label is Гродно."""
    assert gazetteer.local_names(["gn:627904"]) == {"gn:627904": "Гродно"}
