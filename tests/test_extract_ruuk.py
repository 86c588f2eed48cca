"""Russian and Ukrainian articles (issue 14): language detection, the ru/uk packs (places in
any case, dates, claims, figures) on sentences written for these tests, and the ruuk corpus
splits scored end to end with the real gazetteer."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import corpus_eval as ev
import pytest

from mapper.extract.claims import find_figures
from mapper.extract.dates import find_dates
from mapper.extract.lang import get, pack_for
from mapper.extract.lang.detect import article_language, detect_language
from mapper.extract.pipeline import extract_article

ROOT = Path(__file__).resolve().parent.parent


RU, UK = get("ru"), get("uk")


def test_language_from_metadata_else_detected():
    assert detect_language("Жители Белгорода сообщили о взрывах.") == "ru"
    assert detect_language("Мешканці Харкова повідомили про вибухи.") == "uk"
    assert detect_language("Residents of Belgorod reported blasts.") is None
    assert article_language("ru", "Мешканці Харкова повідомили про вибухи.") == "ru"
    assert article_language(None, "Мешканці Харкова.") == "uk"
    assert pack_for("uk-UA").code == "uk" and pack_for("ru_RU").code == "ru"


@pytest.mark.parametrize("pack, text, published, expected", [
    (RU, "В ночь на 12 марта дрон упал во дворе.", "2025-03-13", "2025-03-12"),
    (RU, "Минувшей ночью сработала ПВО.", "2025-03-13", "2025-03-13"),
    (RU, "Вчера вечером прогремели взрывы.", "2025-03-13", "2025-03-12"),
    (RU, "Обстрел случился в среду.", "2025-03-14", "2025-03-12"),
    (UK, "У вівторок пролунали вибухи.", "2025-04-10", "2025-04-08"),
    (UK, "Вчора ворог атакував місто.", "2025-04-10", "2025-04-09"),
    (UK, "12-го березня окупанти обстріляли село.", "2025-04-10", "2025-03-12"),
    (UK, "Напередодні горіла нафтобаза.", "2025-04-10", "2025-04-09"),
])
def test_dates_resolved_against_publication(pack, text, published, expected):
    found = find_dates(text, dt.date.fromisoformat(published), pack=pack)
    assert [d.date.isoformat() for d in found] == [expected], found


@pytest.mark.parametrize("pack, clause, figures", [
    (RU, "в результате удара ранены двое местных жителей", {"wounded": 2}),
    (RU, "погибли три человека, ещё пятеро ранены", {"killed": 3, "wounded": 5}),
    (UK, "внаслідок атаки загинула одна людина", {"killed": 1}),
    (UK, "ще троє поранені, їх доставили до лікарні", {"wounded": 3}),
    (UK, "зафіксовано 12 прильотів за добу", {}),
])
def test_figures(pack, clause, figures):
    assert find_figures(clause, pack) == figures


def _places(result, role=None):
    return [(m.text, m.place.id if m.place else None) for m in result.mentions
            if m.role != "not-a-place" and (role is None or m.role == role)]


def test_places_in_every_case_and_no_capitalised_function_words(gazetteer):
    text = ("Пожар в Курске\n"
            "Также вчера беспилотник атаковал Курск. Они сбили его над Курском, обломки упали "
            "на крышу школы в Белгородской области. Три человека пострадали.\n"
            "Жителей Шебекина и Тёткино вывозят в Белгород.\n")
    r = extract_article(text, gazetteer=gazetteer, published="2025-05-02")
    found = _places(r)
    assert ("Курске", "gn:538560") in found and ("Курском", "gn:538560") in found
    assert ("Белгородской области", "adm1:RU-BEL") in found
    assert ("Шебекина", "gn:495112") in found and ("Тёткино", "gn:483166") in found
    assert not {t for t, _ in found} & {"Также", "Они", "Три"}
    roles = {m.text: m.role for m in r.mentions}
    assert roles["Белгород"] == "context" and roles["Курском"] == "incident"


def test_ukrainian_incident_with_claim_date_and_figures(gazetteer):
    text = ("Обстріл Білопілля\n"
            "У вівторок російські війська обстріляли Білопілля на Сумщині, повідомила "
            "обласна військова адміністрація. За даними ОВА, загинула одна людина.\n"
            "Незалежно підтвердити ці дані не вдалося.\n")
    r = extract_article(text, gazetteer=gazetteer, published="2025-04-10")
    inc = next(i for i in r.incidents if i.place.place_id == "gn:712559")
    assert inc.date == dt.date(2025, 4, 8) and inc.category == "shelling"
    assert inc.claimed_by == ["обласна військова адміністрація", "ОВА"]
    assert inc.claims[1].figures == {"killed": 1}
    assert inc.verification.status == "unverified" and "draft" in inc.tags
    assert {m.text: m.role for m in r.mentions}["Сумщині"] == "context"


def test_latin_text_never_matches_a_case_form(gazetteer):
    r = extract_article("Officials in Kharkove and Shebekine said nothing.", gazetteer=gazetteer)
    assert not [m for m in r.mentions if m.role != "not-a-place"]


@pytest.mark.parametrize("split", ["ruuk-dev", "ruuk-test"])
def test_ruuk_split_scores(split, gazetteer):
    """The must-show of issue 14 on each split: mention F1, incident places, dates."""
    docs = ev.load_corpus(ev.CORPUS, (split,))
    for d in docs:
        assert ev.check_annotation(d["ann"], d["text"], d["path"]) == []

    def predict(text, source, published):
        return extract_article(text, source=source, published=published, gazetteer=gazetteer)

    m = ev.evaluate(docs, predict)["splits"][split]
    assert m["mentions"]["f1"] >= 0.85, json.dumps(m["mentions"])
    assert m["incidents"]["place_accuracy"] >= 0.8 and m["incidents"]["date_accuracy"] >= 0.8


def test_map_data_keeps_the_written_name_with_english_and_search_forms(gazetteer):
    from mapper.render.records import build_map_data

    text = ("Обстрел Шебекино\n"
            "В ночь на 13 марта военные обстреляли Шебекино, сообщил губернатор региона.\n")
    r = extract_article(text, gazetteer=gazetteer, published="2025-03-14")
    data = build_map_data(r.incidents, gazetteer=gazetteer)
    rec = next(i for i in data["incidents"] if i["place"].get("id") == "gn:495112")
    assert rec["place"]["name"] == "Шебекино" and rec["place"]["en"] == "Shebekino"
    forms = data["forms"]["gn:495112"].split()
    assert {"shebekina", "shebekine", "shebekinom", "shebekinomu"} <= set(forms)


def test_an_old_gazetteer_without_case_forms_is_named_once():
    import logging
    from types import SimpleNamespace

    from mapper.extract import pipeline

    seen: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mapper")  # the CLI may have stopped it propagating to the root
    logger.addHandler(handler)
    try:
        old = SimpleNamespace(meta={"schema_version": "5"}, path="/tmp/old-gazetteer.sqlite")
        pipeline._check_case_forms(old)
        pipeline._check_case_forms(old)
        pipeline._check_case_forms(SimpleNamespace(meta={"count:case_forms": "1"}, path="/new"))
    finally:
        logger.removeHandler(handler)
    warnings = [m for m in seen if "case forms" in m]
    assert len(warnings) == 1
    assert "mapper gazetteer build --path /tmp/old-gazetteer.sqlite" in warnings[0]


def test_region_adjective_heading_an_administration_names_the_region_as_context(gazetteer):
    r = extract_article("Росіяни обстріляли Куп’янськ, повідомив голова Харківської ОВА. "
                        "Про це також написала Сумська обласна військова адміністрація.",
                        gazetteer=gazetteer, published="2025-05-10")
    assert _places(r, "incident") == [("Куп’янськ", "gn:703656")]
    assert _places(r, "context") == [("Харківської", "adm1:UA-63"), ("Сумська", "adm1:UA-59")]
    assert r.incidents[0].claimed_by == ["голова Харківської ОВА"]
