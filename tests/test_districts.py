"""Second-level divisions (raions, districts) from ``gazetteer/derived/districts.json.gz``: the
derived data, the geocoder on every form of their names, and extraction from sentences written
for these tests (Russian, Ukrainian, English)."""
from __future__ import annotations

import gzip
import json

import pytest

from mapper.extract.pipeline import extract_article
from mapper.gazetteer import areas, inflect
from mapper.gazetteer.model import STEM
from mapper.gazetteer.normalize import normalize
from mapper.gazetteer.query import parse_query

RYLSKY, GLUSHKOVSKY, KUPIANSK = "gn:499888", "gn:560992", "gn:9194084"


@pytest.fixture(scope="module")
def districts() -> dict[str, dict]:
    with gzip.open(areas.data_dir() / "derived" / "districts.json.gz", "rt",
                   encoding="utf-8") as fh:
        return {d["id"]: d for d in json.load(fh)["districts"]}


def test_derived_districts_carry_their_term_and_an_honest_point(districts):
    assert len(districts) > 30_000
    assert not any(d["country_code"] == "US" for d in districts.values())  # counties: own file
    for d in districts.values():
        if d["country_code"] in ("RU", "UA", "BY"):
            # every indexed name says it is an area: "Sovetsky" alone is never a key
            assert all(parse_query(normalize(n)).stem for n in d["names"]), d
        assert d["point"].startswith(("seat", "population-weighted centre")), d
    rylsky = districts[RYLSKY]
    assert rylsky["name"] == "Rylsky District" and rylsky["gn_admin1"] == "RU.41"
    assert rylsky["point"].endswith("gn:695019")  # its seat, Rylsk
    kupiansk = districts[KUPIANSK]
    assert "Куп’янський район" in kupiansk["names"]  # from the KATOTTG codifier
    assert "Купянский район" in kupiansk["names"]  # its Russian spelling


def test_district_records_have_the_county_shape(districts):
    admin1 = {r["gn_admin1"]: r for r in areas.iter_admin1("RU") if r.get("gn_admin1")}
    recs = {r["id"]: r for r in areas.iter_districts(admin1) if r["country_code"] == "RU"}
    county = next(areas.iter_us_counties({}))
    rylsky = recs[RYLSKY]
    assert set(rylsky) == set(county)  # one admin2 shape for counties and districts
    assert rylsky["kind"] == "admin2" and rylsky["admin1_code"] == "RU-KRS"
    assert rylsky["geometry"] is None and rylsky["bbox"] is None and not rylsky["stems"]
    assert rylsky["geonameid"] == 499888


def test_district_case_forms():
    assert {"рыльского района", "рыльском районе", "рыльскому району", "рыльским районом"} <= \
        set(inflect.area_forms("Рыльский район", "ru"))
    assert {"купʼянського району", "купʼянському районі", "купʼянським районом"} <= \
        set(inflect.area_forms("Купʼянський район", "uk"))
    rows = list(inflect.name_rows([(5, "admin2", "RU", ["Советский район"])], form=4, alias=1,
                                  stem=2, alt=3))
    assert ("sovetskom rayone", 5, 1) in rows
    assert not any(key == "sovetskiy" or key == "sovetskom" for key, _pk, _t in rows)


@pytest.mark.parametrize("query, place", [
    ("Купʼянський район", KUPIANSK), ("Куп'янському районі", KUPIANSK),
    ("у Купʼянському районі", KUPIANSK), ("Kupiansk raion", KUPIANSK),
    ("Kupiansk district", KUPIANSK), ("Купянском районе", KUPIANSK),
    ("Рыльский район", RYLSKY), ("Рыльского района", RYLSKY), ("Rylsky District", RYLSKY),
    ("Rylsk district", RYLSKY), ("в Глушковском районе", GLUSHKOVSKY),
    ("Глушковским районом", GLUSHKOVSKY), ("Glushkovo raion", GLUSHKOVSKY),
    # Ukrainian reporting on Russian districts
    ("у Глушківському районі", GLUSHKOVSKY), ("Рильського району", RYLSKY),
])
def test_geocode_finds_districts(gazetteer, query, place):
    top = gazetteer.search(query, limit=1)[0]
    assert top.place.id == place and top.place.kind == "admin2" and not top.fuzzy
    assert "no outline" in top.reason


@pytest.mark.parametrize("query, kind", [("Rylsk", "settlement"), ("Kupiansk", "settlement"),
                                         ("Glushkovo", "settlement")])
def test_bare_seat_names_stay_towns(gazetteer, query, kind):
    assert gazetteer.search(query, limit=1)[0].place.kind == kind


def test_no_raion_is_indexed_by_its_bare_name(gazetteer):
    raions = "id LIKE 'gn:%' AND kind = 'admin2' AND country_code IN ('RU', 'UA', 'BY')"
    pks = [r[0] for r in gazetteer._query(f"SELECT pk FROM places WHERE {raions}")]
    assert len(pks) > 1_900
    stems = gazetteer._query(f"SELECT COUNT(*) FROM names WHERE ntype = {STEM} AND pk IN "
                             f"(SELECT pk FROM places WHERE {raions})")
    assert stems[0][0] == 0


def _incidents(text: str, gazetteer) -> dict[str, object]:
    r = extract_article(text, gazetteer=gazetteer, published="2026-03-02")
    return {i.place.place_id: i for i in r.incidents}


def test_russian_district_incidents(gazetteer):
    got = _incidents("Глава Курской области написал, что в Глушковском районе утром беспилотник "
                     "ударил по грузовику. Позже в Рыльском районе обстреляли ферму.", gazetteer)
    assert {GLUSHKOVSKY, RYLSKY} <= set(got)
    inc = got[RYLSKY]
    assert inc.place.geo_precision == "admin2" and inc.place.kind == "admin2"
    assert "no outline" in (inc.place.resolution or "")


def test_ukrainian_spellings_of_russian_districts_are_declined_as_ukrainian():
    assert inflect.name_languages("Суджанський район", "RU") == ("uk",)
    assert inflect.name_languages("Суджанский район", "RU") == ("ru",)


def test_ukrainian_text_on_a_russian_district(gazetteer):
    got = _incidents("За даними Генштабу, у Глушківському районі Курської області знищено "
                     "склад боєприпасів.", gazetteer)
    assert GLUSHKOVSKY in got


def test_ukrainian_district_incidents(gazetteer):
    got = _incidents("Голова Харківської ОВА повідомив, що вночі у Купʼянському районі "
                     "внаслідок обстрілу пошкоджено школу.", gazetteer)
    assert KUPIANSK in got and got[KUPIANSK].place.geo_precision == "admin2"


def test_english_district_mentions(gazetteer):
    got = _incidents("A drone struck a bus in the Kupiansk raion of Kharkiv Oblast on Sunday. "
                     "Shelling hit a farm in Rylsky District, Kursk Oblast.", gazetteer)
    assert {KUPIANSK, RYLSKY} <= set(got)


def test_ordinary_words_are_not_districts(gazetteer):
    """Districts named like words ("Sovetsky", "Central", "October") need their term."""
    r = extract_article("The Soviet Union and the Central Bank met in October. Oktyabrsky "
                        "Prospekt was closed. Советский Союз и Октябрьская революция.",
                        gazetteer=gazetteer, published="2026-03-02")
    assert not [m for m in r.mentions if m.place is not None and m.place.kind == "admin2"]
