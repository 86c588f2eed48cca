"""Rivers, lakes, seas and mountains (issue 11): their own kind, never a same-named town.

Every sentence is written for the test; the gazetteer is the real one (with
``gazetteer/features.yaml``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mapper.errors import GazetteerError
from mapper.extract.pipeline import extract_article
from mapper.gazetteer.features import feature_class, has_point, iter_features, phrase_forms
from mapper.incidents.model import Location
from mapper.incidents.resolve import Resolver

RU = {"language": "ru"}
UK = {"language": "uk"}


def _mentions(result):
    return [m for m in result.mentions if m.role != "not-a-place"]


def _by_text(result):
    out: dict[str, list] = {}
    for m in _mentions(result):
        out.setdefault(m.text, []).append(m)
    return out


def _cls(m):
    return feature_class(m.place)


# -- designators ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,cls", [
    ("Boats were seen on the Seym river on Monday.", "Seym", "river"),
    ("Boats were seen on the river Seym on Monday.", "Seym", "river"),
    ("Boats were seen on the Seym River on Monday.", "Seym River", "river"),
    ("Fishermen were rescued on Lake Ladoga on Sunday.", "Lake Ladoga", "lake"),
    ("Ice covered the Azov sea this week.", "Azov", "sea"),
    ("Climbers died on Mount Elbrus in a storm.", "Mount Elbrus", "mountain"),
    ("Snow fell across the Carpathian Mountains overnight.", "Carpathian Mountains", "range"),
    ("Floods hit villages on the Dnipro and Desna rivers.", "Desna", "river"),
])
def test_designators_make_the_feature(gazetteer, text, span, cls):
    m = _by_text(extract_article(text, gazetteer=gazetteer))[span][0]
    assert m.place.kind == "feature" and _cls(m) == cls


def test_a_plural_designator_covers_the_whole_list(gazetteer):
    r = extract_article("Floods hit villages on the Dnipro and Desna rivers.", gazetteer=gazetteer)
    names = {m.text: _cls(m) for m in _mentions(r)}
    assert names == {"Dnipro": "river", "Desna": "river"}  # not the city, not the town


@pytest.mark.parametrize("text,source,span,cls", [
    ("Лодки обстреляли на реке Сейм в понедельник.", RU, "Сейм", "river"),
    ("Човни обстріляли на річці Сейм у понеділок.", UK, "Сейм", "river"),
    ("Шторм в Чёрном море потопил баржу.", RU, "Чёрном море", "sea"),
    ("Шторм у Чорному морі потопив баржу.", UK, "Чорному морі", "sea"),
    ("Рыбаков спасли на Ладожском озере.", RU, "Ладожском озере", "lake"),
    ("Десантники форсировали Днепр у Херсона.", RU, "Днепр", "river"),
    ("Десантники форсували Дніпро біля Херсона.", UK, "Дніпро", "river"),
    ("Паводок на реке Самара затопил дачи.", RU, "Самара", "river"),
])
def test_russian_and_ukrainian_forms(gazetteer, text, source, span, cls):
    m = _by_text(extract_article(text, gazetteer=gazetteer, source=source))[span][0]
    assert m.place.kind == "feature" and _cls(m) == cls


# -- bare names: the text decides -------------------------------------------------------------
def test_the_article_makes_the_river_and_the_bare_name_stays_the_city(gazetteer):
    r = extract_article("Ukrainian troops crossed the Dnipro near Kherson. Hours later a missile "
                        "hit Dnipro, killing two people.", gazetteer=gazetteer)
    river, city = _by_text(r)["Dnipro"]
    assert _cls(river) == "river"
    assert city.place.kind == "settlement" and city.place.country_code == "UA"
    assert [i.place.name for i in r.incidents] == ["Dnipro"]  # the city, never the river


def test_one_sense_per_name_for_a_river_with_small_namesakes(gazetteer):
    r = extract_article("Grain terminals on Danube hit\n\nDrones struck grain terminals on the "
                        "Danube overnight, officials said.", gazetteer=gazetteer)
    found = _by_text(r)["Danube"]
    assert len(found) == 2 and all(_cls(m) == "river" for m in found)
    # the old reading: a Serbian district "Podunavlje" with the reason "country RS in text"
    assert all(m.place.country_code is None and "RS" not in m.reason for m in found)
    assert [m.reason.split("; ")[-1] for m in found] == [
        "a river: so read elsewhere in the text", "a river: 'the Danube'"]


@pytest.mark.parametrize("text,source", [
    ("Паводок на Днепре затопил дачи, а взрыв в Днепре ранил троих.", RU),
    ("Повінь на Дніпрі затопила дачі, а вибух у Дніпрі поранив трьох.", UK),
])
def test_cyrillic_prepositions_choose(gazetteer, text, source):
    first, second = [m for m in _mentions(extract_article(text, gazetteer=gazetteer,
                                                          source=source))
                     if m.key in ("dnepre", "dnipri")]
    assert _cls(first) == "river"  # "на Днепре": on the river
    assert second.place.kind == "settlement"  # "в Днепре": in the city


def test_the_town_wins_when_the_text_says_town(gazetteer):
    r = extract_article("A fire broke out in the town of Don on Friday.", gazetteer=gazetteer)
    m = _by_text(r)["Don"][0]
    assert m.place.kind == "settlement"  # never the river
    r = extract_article("Fighting continued along the Don for a third day.", gazetteer=gazetteer)
    assert _cls(_by_text(r)["Don"][0]) == "river"


def test_a_name_only_a_feature_has_needs_some_sign(gazetteer):
    r = extract_article("Heavy rain fell across the Mediterranean on Sunday.", gazetteer=gazetteer)
    assert _cls(_by_text(r)["Mediterranean"][0]) == "sea"
    # "the Eastern Mediterranean" (a WHO region here) is no sea
    r = extract_article("Countries of the Eastern Mediterranean reported cases.",
                        gazetteer=gazetteer)
    assert "Mediterranean" not in _by_text(r)


# -- roles and drafts -----------------------------------------------------------------------------
@pytest.mark.parametrize("text,source,village", [
    ("Russian forces shelled boats on the Seym river near Tyotkino on Monday, the governor "
     "said.", None, "Tyotkino"),
    ("ВСУ обстреляли лодки на реке Сейм у Тёткино в понедельник, сообщил губернатор.", RU,
     "Тёткино"),
    ("Росіяни обстріляли човни на річці Сейм біля Путивля в понеділок.", UK, "Путивля"),
])
def test_the_incident_is_at_the_village_not_on_the_river(gazetteer, text, source, village):
    r = extract_article(text, gazetteer=gazetteer, source=source, published="2024-08-12")
    places = _by_text(r)
    assert places["Сейм" if source else "Seym"][0].role == "context"
    assert _cls(places["Сейм" if source else "Seym"][0]) == "river"
    assert places[village][0].role == "incident"
    assert [i.place.kind for i in r.incidents] == ["settlement"]


def test_a_river_alone_gets_no_draft_and_no_point(gazetteer):
    r = extract_article("Drones struck grain terminals on the Danube River overnight.",
                        gazetteer=gazetteer)
    rec = next(x for x in r.mention_records() if x["text"] == "Danube River")
    assert rec["kind"] == "feature" and rec["feature_class"] == "river"
    assert rec["lat"] is None and rec["lon"] is None  # a line has no point
    assert rec["role"] == "incident" and r.incidents == []  # the map shows nothing there


def test_a_sea_alone_is_the_scene_with_its_point(gazetteer):
    r = extract_article("A missile hit a tanker in the Gulf of Aden on Friday, the navy said.",
                        gazetteer=gazetteer, published="2024-02-03")
    rec = next(x for x in r.mention_records() if x["text"] == "Gulf of Aden")
    assert rec["feature_class"] == "gulf" and rec["role"] == "incident"
    assert rec["lat"] is not None and 10 < rec["lat"] < 15
    assert [i.place.name for i in r.incidents] == ["Gulf of Aden"]
    other = next(x for x in extract_article("Smoke rose over Lyon.",
                                            gazetteer=gazetteer).mention_records())
    assert other["feature_class"] is None  # every mention record has the key


def test_a_coast_is_not_the_sea(gazetteer):
    r = extract_article("Floods hit the eastern Black Sea coast on Tuesday, killing two.",
                        gazetteer=gazetteer)
    assert _by_text(r)["Black Sea"][0].role == "context"


# -- the gazetteer side -------------------------------------------------------------------------
def test_geocode_finds_features_and_their_case_forms(gazetteer):
    assert gazetteer.search("Lake Ladoga", limit=1)[0].place.id == "feature:lake:ladoga"
    for query in ("Чорному морі", "в Чёрном море"):
        top = gazetteer.search(query, limit=3, fuzzy=False)
        assert any(c.place.id == "feature:sea:black-sea" for c in top), query
    river = gazetteer.get("feature:river:dnipro")
    assert river.kind == "feature" and not has_point(river)
    assert has_point(gazetteer.get("feature:sea:black-sea"))


def test_phrase_forms_decline_adjective_and_noun():
    assert "каховського водосховища" in phrase_forms("Каховське водосховище")
    assert "уральских горах" in phrase_forms("Уральские горы")
    assert phrase_forms("Днепр") == []


def test_a_bad_entry_is_one_line_naming_file_and_fix(tmp_path: Path):
    path = tmp_path / "features.yaml"
    path.write_text("features:\n  - [x, brook, X, [], [1, 2], [NO]]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"features.yaml: feature #1 \(x\): class 'brook'"):
        list(iter_features(path))
    path.write_text("features:\n  - [x, river, X, [], [1, 2], [NO]]\n", encoding="utf-8")
    (rec,) = iter_features(path, frozenset({"RU"}))
    assert rec["id"] == "feature:river:x" and rec["country_code"] == "NO"  # YAML 1.2: not False


def test_an_incident_file_naming_a_river_gets_no_point_and_a_warning(gazetteer):
    resolver = Resolver(gazetteer)
    for loc in (Location(name="Dnipro River"), Location(name="x", place_id="feature:river:don")):
        out = resolver.resolve(loc)
        assert out.location.lat is None and out.severity == "warning"
        assert "a line, no point stands for it" in out.message
    sea = resolver.resolve(Location(name="Sea of Azov")).location
    assert sea.geo_precision == "feature" and sea.lat is not None
