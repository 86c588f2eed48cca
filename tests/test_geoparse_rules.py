"""Place recognition and resolution rules (issue 11), each on sentences written for the test."""
from __future__ import annotations

import pytest

from mapper.extract.pipeline import extract_article


def _places(result):
    return {m.text: m for m in result.mentions if m.role != "not-a-place"}


def _rejected(result):
    return {m.text: m.rejected for m in result.mentions if m.role == "not-a-place"}


def test_demonyms_are_their_own_kind_resolved_to_the_country(gazetteer):
    r = extract_article("Syrian troops shelled the outskirts of Aleppo on Monday, and Turkish "
                        "officials said they were watching.", published="2024-05-08",
                        gazetteer=gazetteer)
    places = _places(r)
    assert places["Syrian"].place.country_code == "SY"
    assert places["Syrian"].role == "context"  # never the place of the incident
    assert places["Turkish"].place.kind == "country"
    records = {m["text"]: m for m in r.mention_records()}
    assert records["Syrian"]["kind"] == "demonym"
    assert records["Aleppo"]["kind"] != "demonym" and records["Aleppo"]["role"] == "incident"
    assert all(i.place.name != "Syria" for i in r.incidents)


def test_a_longer_name_holds_its_demonym(gazetteer):
    r = extract_article("Storms reached American Samoa overnight.", gazetteer=gazetteer)
    assert "American" not in _places(r)


def test_a_name_after_an_initial_is_a_person_everywhere_in_the_text(gazetteer):
    r = extract_article("Investigators questioned Walter J. Hamilton about the samples. Later "
                        "Hamilton told reporters he had done nothing wrong.", gazetteer=gazetteer)
    assert "Hamilton" not in _places(r)


def test_a_surname_beside_a_common_first_name_stays_a_person(gazetteer):
    r = extract_article("Spokesman Tim Whitley said crews would spray twice a week. According to "
                        "Whitley, wind can delay the work.", gazetteer=gazetteer)
    assert "Whitley" not in _places(r)


def test_diseases_named_after_places_are_not_places(gazetteer):
    r = extract_article("Cases of West Nile virus and Lassa fever were confirmed in the "
                        "district this week.", gazetteer=gazetteer)
    assert "Nile" not in _places(r) and "West Nile" not in _places(r)
    assert "Lassa" not in _places(r)


@pytest.mark.parametrize("name,country", [("Côte d'Ivoire", "CI"), ("Port-au-Prince", "HT")])
def test_punctuation_inside_names(gazetteer, name, country):
    r = extract_article(f"Heavy rain flooded streets in {name} on Sunday.", gazetteer=gazetteer)
    m = _places(r)[name]
    assert m.place.country_code == country and m.role == "incident"


def test_a_common_word_opening_a_sentence_is_a_place_when_the_text_says_so(gazetteer):
    r = extract_article("Salem is a city on the Willamette River in Oregon. Police in Salem "
                        "closed two bridges.", gazetteer=gazetteer)
    salems = [m for m in r.mentions if m.text == "Salem" and m.role != "not-a-place"]
    assert [m.start for m in salems] == [0, 61]
    assert all(m.place.country_code == "US" for m in salems)
    r = extract_article("Hope is fading for the missing climbers.", gazetteer=gazetteer)
    assert "Hope" not in _places(r)


def test_a_designator_keeps_a_common_word_at_a_sentence_start(gazetteer):
    r = extract_article("Washington County closed two roads after the storm.", gazetteer=gazetteer)
    assert "Washington County" in _places(r)


def test_a_container_settles_the_name_only_from_there_on(gazetteer):
    r = extract_article("A bushfire burned in Victoria near Ballarat and Melbourne. Far away, "
                        "Victoria, British Columbia, had heavy rain, and Victoria's harbour "
                        "closed.", gazetteer=gazetteer)
    victorias = [m for m in r.mentions if m.text == "Victoria"]
    assert victorias[0].place.country_code == "AU"
    assert {m.place.country_code for m in victorias[1:]} == {"CA"}


def test_the_texts_region_brings_in_a_small_namesake(gazetteer):
    """Many larger Greenvilles exist; the one in the text's state is meant."""
    r = extract_article("Greenville is a small city in Bond County, Illinois, east of "
                        "St. Louis. Floods closed schools in Greenville.", gazetteer=gazetteer)
    for m in (m for m in r.mentions if m.text == "Greenville"):
        assert m.place.admin1 == "Illinois", m.reason


def test_nearness_never_moves_a_capital_to_a_hamlet(gazetteer):
    r = extract_article("Ministers met in Paris on Monday to discuss the strikes on Odesa, "
                        "Izmail and Reni.", gazetteer=gazetteer)
    assert _places(r)["Paris"].place.country_code == "FR"


def test_no_false_region_reason(gazetteer):
    """A reason names only evidence the text gives."""
    r = extract_article("Lexington is an independent city in Virginia, near Roanoke.",
                        gazetteer=gazetteer)
    m = _places(r)["Lexington"]
    assert m.place.admin1 == "Virginia"
    assert "Massachusetts" not in m.reason and "Kentucky" not in m.reason


def test_a_reporting_paragraph_naming_donations_is_not_an_appeal():
    from mapper.extract.text import mark_zones

    report = ("Floods have displaced two million people across the province. The regional "
              "governor said the army had opened six relief camps. \"We need tents and clean "
              "water,\" a volunteer told reporters. Neighbouring states pledged donations of "
              "food and medicine. Officials expect the river to fall by Friday.")
    appeal = ("Dear readers, we rely on your donations. Support our journalism and become a "
              "member today.")
    zones = mark_zones(report + "\n\n" + appeal)
    assert [(z.kind, z.reason) for z in zones] == [("skip", "appeal")]
    assert zones[0].start == len(report) + 2


def test_a_long_paragraph_saying_based_in_is_not_an_author_bio():
    from mapper.extract.text import mark_zones

    text = ("A chemical plant based in the port district caught fire on Monday. Firefighters "
            "reported two injuries. The company, whose reporters' briefing came late, said "
            "production would stop. Residents were told to keep windows shut. Tests of the "
            "air were under way in the evening.")
    assert mark_zones(text) == []


def test_region_abbreviations_without_full_stops_stand_alone(gazetteer):
    r = extract_article("Grass fires burned across NSW and Qld on Sunday.", gazetteer=gazetteer)
    places = _places(r)
    assert places["NSW"].place.name == "New South Wales"
    assert places["Qld"].place.name == "Queensland"


def test_a_place_the_text_names_as_such_is_no_person_for_sharing_a_surname(gazetteer):
    r = extract_article("Marshall is a city in Calhoun County, Michigan. It was named after "
                        "John Marshall, and the county after John C. Calhoun. Marshall has a "
                        "historic district.", gazetteer=gazetteer)
    marshalls = [m for m in r.mentions if m.text == "Marshall" and m.role != "not-a-place"]
    assert [m.start for m in marshalls] == [0, 120]
    assert "Calhoun County" in _places(r)


def test_x_is_a_town_in_y_places_x_in_y(gazetteer):
    """Containment written as a sentence, also through a county the gazetteer lacks."""
    r = extract_article("Paris is a small city in Henry County, Tennessee. Flooding closed "
                        "two schools in Paris.", gazetteer=gazetteer)
    for m in (m for m in r.mentions if m.text == "Paris"):
        assert m.place.admin1 == "Tennessee", m.reason


def test_a_country_name_is_the_country_not_a_town_with_it_as_a_variant(gazetteer):
    # GeoNames lists "Mexico" among the alternate names of Mexico City
    r = extract_article("Officials in Mexico asked families to keep children at home this "
                        "week.", gazetteer=gazetteer)
    m = _places(r)["Mexico"]
    assert m.place.kind == "country" and m.place.country_code == "MX"


def test_names_in_a_list_of_areas_are_areas(gazetteer):
    r = extract_article("Inspectors visited dairy farms in Washington, Pennsylvania and "
                        "California after the recall.", gazetteer=gazetteer)
    places = _places(r)
    assert places["Washington"].place.id == "adm1:US-WA"
    assert places["California"].place.id == "adm1:US-CA"
    assert places["Pennsylvania"].role == "context"
    r = extract_article("Infections were reported in Georgia, Oklahoma, Kansas and Ohio "
                        "during the spring.", gazetteer=gazetteer)
    assert _places(r)["Georgia"].place.id == "adm1:US-GA"


def test_a_list_keeps_cities_and_countries_what_they_are(gazetteer):
    r = extract_article("Drones struck Kyiv, Kharkiv and Odesa overnight.", gazetteer=gazetteer)
    assert all(m.place.kind == "settlement" for m in _places(r).values())
    r = extract_article("Ministers from Georgia, Armenia and Turkey met on Friday.",
                        gazetteer=gazetteer)
    assert _places(r)["Georgia"].place.id == "adm0:GE"
    # an address is not a list: the town of Washington in Pennsylvania
    r = extract_article("The plant stands in Washington, Pennsylvania, south of Pittsburgh.",
                        gazetteer=gazetteer)
    washington = _places(r)["Washington"]
    assert washington.place.kind == "settlement" and washington.place.admin1 == "Pennsylvania"


def test_the_larger_of_two_areas_of_one_name(gazetteer):
    r = extract_article("The herd came from a farm in the state of Washington.",
                        gazetteer=gazetteer)
    assert _places(r)["Washington"].place.id == "adm1:US-WA"


def test_a_designator_after_a_name_does_not_reach_the_next_one(gazetteer):
    # "region" belongs to Puno: Peru stays the country, not a small Peru in the United States
    r = extract_article("The plane came down in a field in the Puno region of Peru, near the "
                        "border.", gazetteer=gazetteer)
    assert _places(r)["Peru"].place.id == "adm0:PE"
    r = extract_article("Shelling was reported in the region of Belgorod on Monday.",
                        gazetteer=gazetteer)
    assert _places(r)["Belgorod"].place.kind == "admin1"


def test_country_centres_follow_the_main_landmass_where_the_factbook_point_is_off(gazetteer):
    from mapper.geo import haversine_km

    us = gazetteer.get("adm0:US")
    # the geographic centre of the contiguous United States, near Lebanon, Kansas (the Factbook
    # point 38 N 97 W is 280 km from it)
    assert haversine_km(us.lat, us.lon, 39.83, -98.58) < 50 and us.geonameid == 6252001
    ru = gazetteer.get("adm0:RU")
    assert haversine_km(ru.lat, ru.lon, 66.42, 94.25) < 161  # Russia's geographic centre
    assert (gazetteer.get("adm0:DE").lat, gazetteer.get("adm0:DE").lon) == (51.0, 9.0)
    # an archipelago keeps the Factbook point: the centre of one island does not stand for it
    assert (gazetteer.get("adm0:ID").lat, gazetteer.get("adm0:ID").lon) == (-5.0, 120.0)
    for cc in ("US", "RU", "CN", "AU", "CD"):
        place = gazetteer.get(f"adm0:{cc}")
        assert gazetteer.contains(f"adm0:{cc}", place.lat, place.lon)


def test_washington_alone_is_the_capital(gazetteer):
    from mapper.geo import haversine_km

    r = extract_article("Officials in Washington said the talks would resume next week.",
                        gazetteer=gazetteer)
    p = _places(r)["Washington"].place
    assert haversine_km(p.lat, p.lon, 38.9, -77.04) < 161
