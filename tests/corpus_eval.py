"""Scoring extraction against the annotated corpus in tests/corpus (shared by the tests and
``bench/eval_extract.py``, which runs it by hand and prints the report).

Per split: mention precision / recall / F1 (exact span match, places only: gold and predicted
mentions whose role is not ``not-a-place``); resolution accuracy within 161 km (Acc@161) and
median error in km over correctly detected spans; role accuracy over every span found in both
(not-a-place gold spans included); incident date accuracy (a gold incident counts when a
predicted incident has the same date, and date_end, with its place within 161 km); and articles
per second (gazetteer loading excluded, reported separately).

Everything but the timing figures is deterministic. The annotation format and the guidelines
are in tests/corpus/README.md.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mapper.dates import parse_date
from mapper.geo import haversine_km

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SPLITS = ("dev", "test")
# Russian and Ukrainian articles (issue 14), scored on their own: "all" stays the English corpus
RUUK_SPLITS = ("ruuk-dev", "ruuk-test")
ROLES = ("incident", "context", "not-a-place")
KINDS = ("settlement", "admin1", "admin2", "country", "zone", "other")
DATE_PRECISIONS = ("day", "month", "year", "approximate")
SOURCE_FIELDS = ("outlet", "title", "url", "author", "published")
MENTION_FIELDS = ("start", "end", "text", "name", "geonameid", "lat", "lon", "kind",
                  "country_code", "role")
INCIDENT_FIELDS = ("date", "date_end", "date_precision", "place", "category", "claimed_by")
KM = 161.0  # 100 miles, the usual geoparsing threshold
CONFIDENT = 0.8  # drafts at or above this confidence: how often they are right is reported
AREA_KINDS = ("country", "admin1", "admin2")
# Words a predicted span may add around a gold span in the designator-tolerant F1
# ("the Kharkiv region" for gold "Kharkiv"); the headline F1 is exact.
_DESIGNATORS = re.compile(r"^(?:the\s+)?$|^\s+(?:region|province|oblast|district|state|county|city|"
                          r"governorate|department|valley|island|islands|area)$", re.I)
# Generic words dropped before comparing area names ("Kursk Oblast" == "Kursk region").
_GENERIC = re.compile(r"\b(oblast|province|region|state|governorate|department|county|"
                      r"district|prefecture|territory|raion|krai|republic|of|the)\b")


class CorpusError(Exception):
    """A corpus file is malformed: the message names file, field, problem and fix."""


# -- corpus ------------------------------------------------------------------------------------
def check_annotation(ann: Any, text: str, where: str) -> list[str]:
    """Every problem of one annotation record against its text, as one-line messages."""
    problems: list[str] = []

    def bad(field: str, problem: str, fix: str) -> None:
        problems.append(f"{where}: {field}: {problem}; {fix}")

    if not isinstance(ann, dict):
        return [f"{where}: top level: not a JSON object; write {{\"document\", \"source\", ...}}"]
    for key in ("document", "source", "mentions", "incidents"):
        if key not in ann:
            bad(key, "missing", f"add the \"{key}\" key")
    src = ann.get("source")
    if isinstance(src, dict):
        for key in SOURCE_FIELDS:
            if key not in src:
                bad(f"source.{key}", "missing", "add it (null when unknown)")
        if _date_or_none(src.get("published")) is None:
            bad("source.published", f"{src.get('published')!r} is not an ISO date",
                "write YYYY-MM-DD")
    elif "source" in ann:
        bad("source", "not an object", "write {\"outlet\", \"title\", ...}")
    seen: list[tuple[int, int]] = []
    for i, m in enumerate(ann.get("mentions") or []):
        f = f"mentions[{i}]"
        missing = [k for k in MENTION_FIELDS if k not in m]
        if missing:
            bad(f, f"missing {', '.join(missing)}", "add every mention field")
            continue
        s, e = m["start"], m["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            bad(f"{f}.start/end", f"{s!r}..{e!r} outside the text (length {len(text)})",
                "compute offsets with a script")
        elif text[s:e] != m["text"]:
            bad(f"{f}.text", f"{m['text']!r} but the text holds {text[s:e]!r} at {s}..{e}",
                "recompute the offsets (0-based, end-exclusive, text read as UTF-8)")
        else:
            if any(s < b and a < e for a, b in seen):
                bad(f"{f}.start", f"span {s}..{e} overlaps another mention",
                    "keep one annotation per span")
            seen.append((s, e))
        if m["role"] not in ROLES:
            bad(f"{f}.role", f"{m['role']!r} unknown", f"use one of {', '.join(ROLES)}")
        if m["kind"] not in KINDS:
            bad(f"{f}.kind", f"{m['kind']!r} unknown", f"use one of {', '.join(KINDS)}")
        if not isinstance(m["name"], str) or not m["name"]:
            bad(f"{f}.name", "empty", "give the canonical place name")
        if m["geonameid"] is not None and not isinstance(m["geonameid"], int):
            bad(f"{f}.geonameid", f"{m['geonameid']!r} is not an integer", "use an int or null")
        lat, lon = m["lat"], m["lon"]
        if (lat is None) != (lon is None):
            bad(f"{f}.lat/lon", "only one of lat and lon given", "give both or neither")
        elif lat is not None and not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
                                      and -90 <= lat <= 90 and -180 <= lon <= 180):
            bad(f"{f}.lat/lon", f"{lat!r}, {lon!r} out of range", "use decimal degrees")
        cc = m["country_code"]
        if cc is not None and not (isinstance(cc, str) and re.fullmatch(r"[A-Z]{2}", cc)):
            bad(f"{f}.country_code", f"{cc!r}", "use an ISO 3166-1 alpha-2 code or null")
    for i, inc in enumerate(ann.get("incidents") or []):
        f = f"incidents[{i}]"
        missing = [k for k in INCIDENT_FIELDS if k not in inc]
        if missing:
            bad(f, f"missing {', '.join(missing)}", "add every incident field")
            continue
        d, d_end = _date_or_none(inc["date"]), _date_or_none(inc["date_end"])
        if d is None:
            bad(f"{f}.date", f"{inc['date']!r} is not an ISO date", "write YYYY-MM-DD")
        if inc["date_end"] is not None and (d_end is None or (d and d_end < d)):
            bad(f"{f}.date_end", f"{inc['date_end']!r} invalid or before date",
                "write YYYY-MM-DD on or after date, or null")
        if inc["date_precision"] not in DATE_PRECISIONS:
            bad(f"{f}.date_precision", f"{inc['date_precision']!r} unknown",
                f"use one of {', '.join(DATE_PRECISIONS)}")
        p = inc["place"]
        if not (isinstance(p, dict) and p.get("name") and isinstance(p.get("lat"), (int, float))
                and isinstance(p.get("lon"), (int, float))):
            bad(f"{f}.place", "needs name, lat and lon", "write {\"name\", \"lat\", \"lon\"}")
        if not isinstance(inc["claimed_by"], list):
            bad(f"{f}.claimed_by", "not a list", "write a list of parties ([] when none)")
    return problems


def load_corpus(root: Path | str = CORPUS, splits: Iterable[str] = SPLITS) -> list[dict[str, Any]]:
    """Documents of the given splits, sorted by split then name; raises CorpusError on any
    malformed file (one line: file, field, problem, fix)."""
    root = Path(root)
    docs = []
    for split in splits:
        folder = root / split
        if not folder.is_dir():
            raise CorpusError(f"{folder}: split folder missing; create it or pick another --split")
        for txt in sorted(folder.glob("*.txt")):
            ann_path = txt.with_name(txt.stem + ".ann.json")
            if not ann_path.exists():
                raise CorpusError(f"{txt}: no annotation file {ann_path.name}; annotate it")
            text = txt.read_text(encoding="utf-8")
            try:
                ann = json.loads(ann_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{ann_path}:{exc.lineno}: invalid JSON ({exc.msg}); fix the "
                                  "syntax") from None
            problems = check_annotation(ann, text, str(ann_path))
            if ann.get("document") != txt.name:
                problems.append(f"{ann_path}: document: {ann.get('document')!r} but the text is "
                                f"{txt.name}; use the text file's name")
            if problems:
                raise CorpusError(problems[0] + (f" (and {len(problems) - 1} more)"
                                                 if len(problems) > 1 else ""))
            docs.append({"split": split, "name": txt.stem, "path": str(txt), "text": text,
                         "ann": ann})
    return docs


# -- predictions -------------------------------------------------------------------------------
def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _date_or_none(value: Any) -> dt.date | None:
    """The date ``value`` holds (as mapper reads an incident date), None when it holds none."""
    if value is None or value == "":
        return None
    try:
        return parse_date(value)[0]
    except ValueError:
        return None


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def normalize_prediction(result: Any) -> dict[str, list[dict[str, Any]]]:
    """Mentions and incidents from whatever the extractor returned: an ExtractionResult-like
    object (attributes), its ``to_record()``/``to_json()`` dict, or the jsonl dict itself."""
    if not isinstance(result, dict):
        for method in ("to_record", "to_json"):
            fn = getattr(result, method, None)
            if callable(fn):
                result = fn()
                break
    mentions = []
    for m in _get(result, "mentions", None) or []:
        if _get(m, "kind") == "demonym":
            continue  # a demonym ("Russian") is a mention of its own kind, not a place name
        place = _get(m, "place")
        def pick(key: str) -> Any:
            value = _get(m, key)
            if value is None and place is not None and not isinstance(place, str):
                value = _get(place, key)
            return value
        mentions.append({
            "start": int(_get(m, "start")), "end": int(_get(m, "end")),
            "text": _get(m, "text"), "name": pick("name"), "kind": pick("kind"),
            "lat": _num(pick("lat")), "lon": _num(pick("lon")), "geonameid": pick("geonameid"),
            "country_code": pick("country_code"), "role": _get(m, "role") or "context",
            "score": _get(m, "score"),
        })
    incidents = []
    for inc in _get(result, "incidents", None) or []:
        place = _get(inc, "place")
        if isinstance(place, str) or place is None:
            pname, plat, plon = place, _get(inc, "lat"), _get(inc, "lon")
        else:
            pname, plat, plon = _get(place, "name"), _get(place, "lat"), _get(place, "lon")
        claimed = _get(inc, "claimed_by") or []
        incidents.append({
            "date": _date_or_none(_get(inc, "date")), "date_end": _date_or_none(_get(inc, "date_end")),
            "date_precision": _get(inc, "date_precision") or "day",
            "place": {"name": pname, "lat": _num(plat), "lon": _num(plon)},
            "category": _get(inc, "category"), "claimed_by": list(claimed),
            "confidence": _num(_get(inc, "confidence")),
        })
    return {"mentions": mentions, "incidents": incidents}


def gold_prediction(ann: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The annotations themselves in prediction form (a perfect predictor, for testing)."""
    return normalize_prediction({"mentions": ann["mentions"], "incidents": ann["incidents"]})


# -- scoring -----------------------------------------------------------------------------------
def _key(name: Any) -> str:
    s = unicodedata.normalize("NFKD", str(name or "").lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(_GENERIC.sub(" ", re.sub(r"[^\w\s]", " ", s)).split())


def same_area(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """True when an area mention resolved to the same area though its label point differs:
    same GeoNames id, or the same country (countries), or same country + kind + name (admin)."""
    if gold.get("geonameid") and gold["geonameid"] == pred.get("geonameid"):
        return True
    if gold["kind"] not in AREA_KINDS or pred.get("kind") != gold["kind"]:
        return False
    if gold.get("country_code") != pred.get("country_code"):
        return False
    return gold["kind"] == "country" or _key(gold["name"]) == _key(pred.get("name"))


def _loose_matches(text: str, gold: set[tuple[int, int]], pred: set[tuple[int, int]]) -> int:
    """Unmatched gold spans that an unmatched predicted span covers up to a designator word
    ("Kharkiv" inside "Kharkiv region"), each pair used once."""
    used: set[tuple[int, int]] = set()
    n = 0
    for gs, ge in sorted(gold):
        for ps, pe in sorted(pred - used):
            if ps <= gs and ge <= pe and (ps, pe) != (gs, ge):
                before, after = text[ps:gs], text[ge:pe]
                if _DESIGNATORS.match(before) and (not after or _DESIGNATORS.match(after)):
                    used.add((ps, pe))
                    n += 1
                    break
    return n


def score_document(ann: dict[str, Any], pred: dict[str, list[dict[str, Any]]],
                   text: str = "") -> dict[str, Any]:
    """Raw counts for one document (summed by ``aggregate``); ``text`` enables the
    designator-tolerant span count."""
    gold_all = {(m["start"], m["end"]): m for m in ann["mentions"]}
    pred_all = {(m["start"], m["end"]): m for m in pred["mentions"]}
    gold_places = {k for k, m in gold_all.items() if m["role"] != "not-a-place"}
    pred_places = {k for k, m in pred_all.items() if m["role"] != "not-a-place"}
    tp = sorted(gold_places & pred_places)
    loose = (_loose_matches(text, gold_places - pred_places, pred_places - gold_places)
             if text else 0)
    out: dict[str, Any] = {
        "gold": len(gold_places), "pred": len(pred_places), "tp": len(tp),
        "tp_loose": len(tp) + loose,
        "not_a_place_gold": sum(1 for m in gold_all.values() if m["role"] == "not-a-place"),
        "not_a_place_fp": sum(1 for k in pred_places
                              if k in gold_all and gold_all[k]["role"] == "not-a-place"),
        "errors_km": [], "res_scored": 0, "res_correct": 0, "res_correct_strict": 0,
        "role_total": 0, "role_correct": 0, "confusion": {},
        "inc_gold": len(ann["incidents"]), "inc_pred": len(pred["incidents"]),
        "inc_correct": 0, "inc_near_correct": 0, "inc_place_correct": 0,
        "inc_pred_right": 0, "inc_conf": 0, "inc_conf_right": 0,
        "false_positives": [], "false_negatives": [],
    }
    for k in tp:
        g, p = gold_all[k], pred_all[k]
        if g["lat"] is None:
            continue  # rivers, lines, continents: no point to compare
        out["res_scored"] += 1
        dist = (haversine_km(g["lat"], g["lon"], p["lat"], p["lon"])
                if p["lat"] is not None and p["lon"] is not None else None)
        if dist is not None:
            out["errors_km"].append(dist)
        near = dist is not None and dist <= KM
        out["res_correct_strict"] += near
        out["res_correct"] += near or same_area(g, p)
    for k in sorted(set(gold_all) & set(pred_all)):
        g_role, p_role = gold_all[k]["role"], pred_all[k]["role"]
        out["role_total"] += 1
        out["role_correct"] += g_role == p_role
        cell = f"{g_role}->{p_role}"
        out["confusion"][cell] = out["confusion"].get(cell, 0) + 1
    out["false_positives"] = [pred_all[k]["text"] for k in sorted(pred_places - gold_places)]
    out["false_negatives"] = [gold_all[k]["text"] for k in sorted(gold_places - pred_places)]
    for g in ann["incidents"]:
        out["inc_place_correct"] += any(_near(g["place"], p["place"]) for p in pred["incidents"])
        out["inc_correct"] += any(incident_matches(g, p) for p in pred["incidents"])
        out["inc_near_correct"] += any(incident_matches(g, p, tolerance_days=1)
                                       for p in pred["incidents"])
    # calibration: a draft is right when a gold incident has its place and date (within a day)
    for p in pred["incidents"]:
        right = any(incident_matches(g, p, tolerance_days=1) for g in ann["incidents"])
        out["inc_pred_right"] += right
        if (p.get("confidence") or 0.0) >= CONFIDENT:
            out["inc_conf"] += 1
            out["inc_conf_right"] += right
    return out


def incident_matches(gold: dict[str, Any], pred: dict[str, Any], *,
                     tolerance_days: int = 0) -> bool:
    """Same date and same end date (a missing end equals the start), each within
    ``tolerance_days``; month- and year-precision gold needs the same month or year. And the
    place within 161 km."""
    g0, p0 = _date_or_none(gold["date"]), _date_or_none(pred["date"])
    if g0 is None or p0 is None:
        return False
    precision = gold.get("date_precision") or "day"
    if precision == "month":
        if (g0.year, g0.month) != (p0.year, p0.month):
            return False
    elif precision == "year":
        if g0.year != p0.year:
            return False
    else:
        g1 = _date_or_none(gold.get("date_end")) or g0
        p1 = _date_or_none(pred.get("date_end")) or p0
        if abs((g0 - p0).days) > tolerance_days or abs((g1 - p1).days) > tolerance_days:
            return False
    return _near(gold["place"], pred["place"])


def _near(gp: dict[str, Any], pp: dict[str, Any]) -> bool:
    """A predicted incident place within 161 km of the gold one."""
    if pp.get("lat") is None or pp.get("lon") is None:
        return False
    return haversine_km(gp["lat"], gp["lon"], pp["lat"], pp["lon"]) <= KM


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def aggregate(scores: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus-level metrics from per-document counts."""
    tot: dict[str, Any] = {k: sum(s[k] for s in scores) for k in (
        "gold", "pred", "tp", "tp_loose", "not_a_place_gold", "not_a_place_fp", "res_scored", "res_correct",
        "res_correct_strict", "role_total", "role_correct", "inc_gold", "inc_pred", "inc_correct",
        "inc_near_correct", "inc_place_correct", "inc_pred_right", "inc_conf", "inc_conf_right")}
    p, r = _ratio(tot["tp"], tot["pred"]), _ratio(tot["tp"], tot["gold"])
    lp, lr = _ratio(tot["tp_loose"], tot["pred"]), _ratio(tot["tp_loose"], tot["gold"])
    errors = sorted(e for s in scores for e in s["errors_km"])
    confusion: dict[str, int] = {}
    for s in scores:
        for cell, n in s["confusion"].items():
            confusion[cell] = confusion.get(cell, 0) + n
    return {
        "documents": len(scores),
        "mentions": {"gold": tot["gold"], "predicted": tot["pred"], "true_positives": tot["tp"],
                     "precision": p, "recall": r, "f1": _f1(p, r),
                     "f1_designator_tolerant": _f1(lp, lr),
                     "not_a_place_gold": tot["not_a_place_gold"],
                     "not_a_place_predicted_as_place": tot["not_a_place_fp"]},
        "resolution": {"scored": tot["res_scored"],
                       "acc161": _ratio(tot["res_correct"], tot["res_scored"]),
                       "acc161_strict": _ratio(tot["res_correct_strict"], tot["res_scored"]),
                       "median_km": round(statistics.median(errors), 1) if errors else None,
                       "mean_km": round(statistics.fmean(errors), 1) if errors else None},
        "roles": {"matched": tot["role_total"],
                  "accuracy": _ratio(tot["role_correct"], tot["role_total"]),
                  "confusion": dict(sorted(confusion.items()))},
        "incidents": {"gold": tot["inc_gold"], "predicted": tot["inc_pred"],
                      "place_accuracy": _ratio(tot["inc_place_correct"], tot["inc_gold"]),
                      "date_accuracy": _ratio(tot["inc_correct"], tot["inc_gold"]),
                      "date_accuracy_1day": _ratio(tot["inc_near_correct"], tot["inc_gold"]),
                      "drafts_right": _ratio(tot["inc_pred_right"], tot["inc_pred"]),
                      "confident": tot["inc_conf"],
                      "confident_right": _ratio(tot["inc_conf_right"], tot["inc_conf"])},
    }


# -- running -----------------------------------------------------------------------------------
Predictor = Callable[[str, dict[str, Any], dt.date | None], Any]


def mapper_predictor(ner: Any = None) -> tuple[Predictor, float]:
    """``mapper.extract.pipeline.extract_article`` bound to the default gazetteer, and the seconds
    the gazetteer (and the extractor's name index, warmed on a short text) took to load. ``ner``:
    a statistical recogniser (``mapper.extract.ner.NerConfig``), loaded with the rest."""
    from mapper.extract.pipeline import extract_article
    t0 = time.perf_counter()
    gazetteer = None
    try:
        from mapper.gazetteer.access import open_gazetteer
        gazetteer = open_gazetteer()
    except ImportError:
        pass
    # Warm-up: the first call builds the name automaton; that is loading, not extraction.
    extract_article("Kyiv.", published=dt.date(2024, 1, 1), gazetteer=gazetteer)
    if ner is not None:
        ner.load_all()
    load = time.perf_counter() - t0

    def predict(text: str, source: dict[str, Any], published: dt.date | None) -> Any:
        return extract_article(text, source=source, published=published, gazetteer=gazetteer,
                               ner=ner)
    return predict, load


def jsonl_predictor(path: Path | str, docs: list[dict[str, Any]]) -> Predictor:
    """A predictor that looks each document up in a saved jsonl file (by file name)."""
    records: dict[str, Any] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{n}: invalid JSON ({exc.msg}); write one JSON object "
                                  "per line") from None
            name = Path(str(rec.get("document") or "")).name
            records[name] = rec
    by_text = {d["text"]: d["ann"]["document"] for d in docs}
    missing = [n for n in by_text.values() if n not in records]
    if missing:
        raise CorpusError(f"{path}: no record for document {missing[0]} ({len(missing)} missing); "
                          "run mapper extract --format jsonl on every corpus file")

    def predict(text: str, source: dict[str, Any], published: dt.date | None) -> Any:
        return records[by_text[text]]
    return predict


def evaluate(docs: list[dict[str, Any]], predict: Predictor) -> dict[str, Any]:
    """Run the predictor on each document and score it; per-split and overall metrics."""
    per_doc: list[tuple[dict[str, Any], dict[str, Any]]] = []
    seconds = 0.0
    for doc in docs:
        src = dict(doc["ann"]["source"])
        published = _date_or_none(src.get("published"))
        t0 = time.perf_counter()
        result = predict(doc["text"], src, published)
        seconds += time.perf_counter() - t0
        per_doc.append((doc, score_document(doc["ann"], normalize_prediction(result), doc["text"])))
    report: dict[str, Any] = {"splits": {}}
    for split in sorted({d["split"] for d, _ in per_doc},
                        key=lambda s: (s not in SPLITS + RUUK_SPLITS, s)):
        scores = [s for d, s in per_doc if d["split"] == split]
        report["splits"][split] = aggregate(scores)
    if len(report["splits"]) > 1:
        report["splits"]["all"] = aggregate([s for _, s in per_doc])
    report["documents"] = {f"{d['split']}/{d['name']}": {
        "f1_counts": [s["tp"], s["pred"], s["gold"]],
        "false_positives": s["false_positives"], "false_negatives": s["false_negatives"],
        "incidents": [s["inc_correct"], s["inc_gold"]]} for d, s in per_doc}
    chars = sum(len(d["text"]) for d in docs)
    report["timing"] = {"extract_seconds": round(seconds, 3),
                        "articles_per_second": round(len(docs) / seconds, 1) if seconds else None,
                        "mean_article_kb": round(chars / len(docs) / 1000, 2) if docs else None}
    return report


def _fmt(value: Any, pct: bool = True) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}%" if pct else f"{value}"


def format_report(report: dict[str, Any], *, timing: bool = True) -> str:
    """The human table: one column per split."""
    splits = list(report["splits"])
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, fn: Callable[[dict[str, Any]], str]) -> None:
        rows.append((label, [fn(report["splits"][s]) for s in splits]))
    row("documents", lambda m: str(m["documents"]))
    row("gold place mentions", lambda m: str(m["mentions"]["gold"]))
    row("predicted place mentions", lambda m: str(m["mentions"]["predicted"]))
    row("mention precision", lambda m: _fmt(m["mentions"]["precision"]))
    row("mention recall", lambda m: _fmt(m["mentions"]["recall"]))
    row("mention F1", lambda m: _fmt(m["mentions"]["f1"]))
    row("  (designator-tolerant)", lambda m: _fmt(m["mentions"]["f1_designator_tolerant"]))
    row("not-a-place taken as place", lambda m: f"{m['mentions']['not_a_place_predicted_as_place']}"
        f"/{m['mentions']['not_a_place_gold']}")
    row("resolution Acc@161", lambda m: _fmt(m["resolution"]["acc161"]))
    row("  (distance only)", lambda m: _fmt(m["resolution"]["acc161_strict"]))
    row("median error km", lambda m: _fmt(m["resolution"]["median_km"], pct=False))
    row("role accuracy", lambda m: _fmt(m["roles"]["accuracy"]))
    row("incident places found", lambda m: _fmt(m["incidents"]["place_accuracy"]))
    row("incident date accuracy", lambda m: _fmt(m["incidents"]["date_accuracy"]))
    row("  (dates within 1 day)", lambda m: _fmt(m["incidents"]["date_accuracy_1day"]))
    row("drafts right (place, date +-1 d)", lambda m: _fmt(m["incidents"]["drafts_right"]))
    row(f"  confidence >= {CONFIDENT} (right/n)",
        lambda m: f"{_fmt(m['incidents']['confident_right'])}/{m['incidents']['confident']}")
    row("gold / predicted incidents",
        lambda m: f"{m['incidents']['gold']}/{m['incidents']['predicted']}")
    width = max(len(label) for label, _ in rows) + 2
    lines = [" " * width + "".join(f"{s:>10}" for s in splits)]
    lines += [label.ljust(width) + "".join(f"{v:>10}" for v in vals) for label, vals in rows]
    if timing and "timing" in report:
        t = report["timing"]
        lines.append("")
        lines.append(f"articles/s (extraction only): {t['articles_per_second']} "
                     f"({t['extract_seconds']} s, mean article {t['mean_article_kb']} KB); "
                     f"gazetteer + name index load: {t.get('load_seconds')} s")
    return "\n".join(lines)
