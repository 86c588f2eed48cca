"""Incident drafting rules (issue 11, items 8-10), each on sentences written for the test."""
from __future__ import annotations

import datetime as dt

from mapper.extract.claims import find_attributions, find_figures, find_verification
from mapper.extract.dates import find_dates
from mapper.extract.pipeline import extract_article

D = dt.date


def test_month_only_dates_have_month_precision():
    (d,) = find_dates("Rockets hit the depot in March.", D(2024, 5, 10))
    assert (d.date, d.date_end, d.precision) == (D(2024, 3, 1), D(2024, 3, 31), "month")


def test_relative_dates_against_publication():
    pub = D(2024, 5, 10)  # a Friday
    (d,) = find_dates("The bridge was hit on Tuesday.", pub)
    assert d.date == D(2024, 5, 7)
    (d,) = find_dates("Shelling continued last week.", pub)
    assert (d.date, d.date_end) == (D(2024, 4, 29), D(2024, 5, 5))
    (d,) = find_dates("Between 3 and 5 May the town was cut off.", pub)
    assert (d.date, d.date_end) == (D(2024, 5, 3), D(2024, 5, 5))


def test_casualties_in_participles_and_single_victims():
    assert find_figures("a missile struck the market, killing two civilians and wounding five") \
        == {"killed": 2, "wounded": 5}
    assert find_figures("a firefighter died when the roof fell") == {"killed": 1}
    assert find_figures("an elderly woman was injured") == {"wounded": 1}


def test_claimant_is_the_whole_noun_phrase():
    (att,) = find_attributions("The governor of Krasnodar Krai said a drone fell on a depot.")
    assert att.by == "governor of Krasnodar Krai"


def test_claims_that_could_not_be_verified_are_unverified_by_nobody_named():
    note = find_verification("The claims could not be independently verified.")
    assert note.status == "unverified" and note.by is None
    note = find_verification("Reuters could not verify the footage.")
    assert note.status == "unverified" and note.by == "Reuters"


def test_a_statement_of_intent_is_no_raid(gazetteer):
    r = extract_article("The defence minister said the army would launch raids into Kharkiv "
                        "region if the shelling went on, and vowed to strike Belgorod.",
                        published="2024-05-10", gazetteer=gazetteer)
    assert r.incidents == []


def test_headline_and_body_give_one_draft(gazetteer):
    text = ("Drone strike hits fuel depot in Belgorod region\n\n"
            "A drone struck a fuel depot in the city of Belgorod on Thursday, setting it on "
            "fire, the regional governor said. Two workers were injured.\n")
    r = extract_article(text, published="2024-05-10", gazetteer=gazetteer)
    assert len(r.incidents) == 1
    inc = r.incidents[0]
    assert inc.date == D(2024, 5, 9) and inc.category in ("drone-strike", "destruction")


def test_an_unknown_village_keeps_the_area(gazetteer):
    r = extract_article("Shelling damaged houses in the village of Zzyxovka in Kursk Oblast on "
                        "Monday, the governor said.", published="2024-05-10",
                        gazetteer=gazetteer)
    (inc,) = r.incidents
    assert inc.place.name == "Zzyxovka"
    assert inc.place.geo_precision == "admin1" and inc.place.admin1 == "Kursk Oblast"
    assert "Kursk" in inc.place.resolution and "not in the gazetteer" in inc.place.resolution


def test_a_village_named_like_a_place_elsewhere_stays_in_its_area(gazetteer):
    """A same-named place outside the area the text gives is never taken."""
    r = extract_article("Shelling damaged houses in the village of Paris in Kursk Oblast on "
                        "Monday.", published="2024-05-10", gazetteer=gazetteer)
    m = next(m for m in r.mentions if m.text == "Paris")
    assert m.place.country_code == "RU"
