"""Unit tests of the gazetteer on the small fixture (a few hundred real places, built in ~1 s).

The traps: Tyotkino's spellings, Kursk city vs oblast, Paris FR/TX, Lebanon the country vs the
Pennsylvania town, the many Ivanovkas, Sudzha, Belgorod; and what issue 11 added: GeoNames ids
and centre points of areas, regions (continents, England, Donbas), postal abbreviations.
"""
from __future__ import annotations

import pytest

from mapper.gazetteer.model import Match
from mapper.gazetteer.protocol import Gazetteer as GazetteerProtocol
from mapper.geo import haversine_km


def top(gaz, name, **kw):
    hits = gaz.search(name, limit=kw.pop("limit", 1), **kw)
    assert hits, name
    return hits[0]


def test_builds_small_and_fast(small_gazetteer):
    info = small_gazetteer.info()
    assert 200 <= info["counts"]["settlement"] <= 2000
    assert info["counts"]["country"] >= 5 and info["counts"]["region"] >= 4
    assert info["meta"]["fixture"] == "gazetteer-fixture.json.gz"
    assert isinstance(small_gazetteer, GazetteerProtocol)


@pytest.mark.parametrize("name", ["Tyotkino", "Tetkino", "Тёткино", "Теткино", "Tyotkyno"])
def test_tyotkino_spellings(small_gazetteer, name):
    c = top(small_gazetteer, name)
    assert c.place.geonameid == 483166
    assert isinstance(c.match, Match)


def test_kursk_city_then_oblast(small_gazetteer):
    hits = small_gazetteer.search("Kursk", limit=3)
    assert hits[0].place.kind == "settlement" and hits[0].place.admin1_code == "RU-KRS"
    assert any(h.place.id == "adm1:RU-KRS" and h.match.name_type == "stem" for h in hits)
    oblast = top(small_gazetteer, "Kursk Oblast")
    assert oblast.place.id == "adm1:RU-KRS" and oblast.match.admin_form == "oblast"
    assert top(small_gazetteer, "Kurskaya oblast").place.id == "adm1:RU-KRS"


def test_paris_and_lebanon(small_gazetteer):
    assert top(small_gazetteer, "Paris").place.country_code == "FR"
    texas = top(small_gazetteer, "Paris", within="adm1:US-TX")
    assert texas.place.country_code == "US" and texas.place.admin1_code == "US-TX"
    assert top(small_gazetteer, "Lebanon").place.id == "adm0:LB"
    pa = top(small_gazetteer, "Lebanon", country="US", kinds="settlement", within="adm1:US-PA")
    assert pa.place.admin1_code == "US-PA"


def test_ivanovka_is_ambiguous_and_ranked(small_gazetteer):
    hits = small_gazetteer.search("Ivanovka", limit=50, kinds="settlement")
    assert len(hits) >= 5
    pops = [h.place.population or 0 for h in hits if h.score == hits[0].score]
    assert pops == sorted(pops, reverse=True)


def test_sudzha_district_falls_back_to_the_town(small_gazetteer):
    c = top(small_gazetteer, "Sudzha district")
    assert c.place.kind == "settlement" and c.match.fallback_term == "district"


def test_belgorod_forms(small_gazetteer):
    assert top(small_gazetteer, "Belgorod").place.kind == "settlement"
    assert top(small_gazetteer, "Belgorod region").place.id == "adm1:RU-BEL"
    assert top(small_gazetteer, "border areas of Belgorod Oblast").place.kind == "zone"


def test_areas_carry_geonameid_and_centre(small_gazetteer):
    ru = small_gazetteer.get("adm0:RU")
    assert ru.geonameid == 2017370
    # the centre of its main landmass (gazetteer/make_centres.py), not the label point
    assert haversine_km(ru.lat, ru.lon, 66.42, 94.25) < 161
    krs = small_gazetteer.get("adm1:RU-KRS")
    assert krs.geonameid == 538555 and small_gazetteer.contains("adm1:RU-KRS", krs.lat, krs.lon)
    assert top(small_gazetteer, "Russia").to_json()["geonameid"] == 2017370


def test_regions(small_gazetteer):
    england = top(small_gazetteer, "England")
    assert england.place.kind == "region" and england.place.geonameid == 6269131
    assert small_gazetteer.contains(england.place.id, 51.507, -0.128)  # London
    donbas = top(small_gazetteer, "Donbas")
    assert donbas.place.id == "region:donbas"
    assert small_gazetteer.contains("region:donbas", 48.0, 37.8)  # Donetsk
    assert top(small_gazetteer, "Donbass").place.id == "region:donbas"
    europe = top(small_gazetteer, "Europe")
    assert europe.place.kind == "region" and europe.place.geonameid == 6255148
    assert top(small_gazetteer, "Middle East").place.id == "region:middle-east"


def test_postal_abbreviations(small_gazetteer):
    assert small_gazetteer.abbreviations()["TX"] == ("adm1:US-TX",)
    tx = top(small_gazetteer, "TX")
    assert tx.place.id == "adm1:US-TX" and tx.match.name_type == "abbreviation"
    assert not any(h.place.id == "adm1:US-TX" for h in small_gazetteer.search("tx", fuzzy=False))


def test_curated_country_names(small_gazetteer):
    assert top(small_gazetteer, "Britain").place.id == "adm0:GB"
    assert top(small_gazetteer, "Great Britain").place.id == "adm0:GB"


def test_public_listing(small_gazetteer):
    assert "adm1:RU-KRS" in small_gazetteer.ids("adm1:RU-")
    boxes = dict(small_gazetteer.bboxes("adm0:"))
    assert boxes["adm0:UA"] is not None
    assert ("tyotkino", "alias") in small_gazetteer.names("gn:483166")


def test_us_counties_by_full_name_only(small_gazetteer):
    hits = small_gazetteer.search("Washington County", limit=5)
    ids = {h.place.id for h in hits if h.place.kind == "admin2"}
    assert {"adm2:US-05143", "adm2:US-01129"} <= ids
    ar = small_gazetteer.get("adm2:US-05143")
    assert ar.admin1_code == "US-AR" and haversine_km(ar.lat, ar.lon, 36.0, -94.2) < 30
    # the bare stem is no key of a county ("Lebanon" stays the country, then towns)
    assert not any(h.place.kind == "admin2" for h in small_gazetteer.search("Lebanon", limit=10))
    assert top(small_gazetteer, "Lebanon County").place.id == "adm2:US-42075"
