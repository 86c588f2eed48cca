#!/usr/bin/env python3
"""Group the resolution errors of an ``eval_geoparse.py --keep DIR`` run by cause.

    python bench/eval_geoparse.py CORPUS.jsonl --keep DIR
    python bench/analyse_geoparse.py DIR [--top N] [--km 161]

Reads ``DIR/gold.jsonl`` and ``DIR/extract.jsonl`` (the extractor's own records, which carry the
``kind`` and ``geonameid`` of every resolved mention), pairs gold and predicted toponyms on
exact spans (the scorer's ``exact`` rows) and prints, for the pairs more than ``--km`` apart:

- the errors by the predicted place's ``kind`` (country, admin1, settlement, ...), with the share
  of all scored pairs, i.e. the acc@161 points each kind costs;
- the errors by the country of the gold point vs the prediction (same country: a wrong place or a
  wrong centre inside the right country; another country: a same-named place elsewhere);
- the places that cost the most (predicted name and id, how often, median distance), so a wrong
  convention (a centre point far from the benchmark's) shows up as one line with many errors.

Nothing is tuned from this output: it tells which cause to fix; the corpora's scores decide.
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def pairs(workdir: Path) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """(gold toponym, predicted mention, document id) for every exact-span match."""
    gold = [json.loads(line) for line in (workdir / "gold.jsonl").open(encoding="utf-8")]
    recs = [json.loads(line) for line in (workdir / "extract.jsonl").open(encoding="utf-8")]
    by_file = {Path(r["document"]).name: r for r in recs}
    out = []
    for i, doc in enumerate(gold):
        rec = by_file.get(f"{i:05d}.txt")
        if rec is None:
            continue
        spans = {(m["start"], m["end"]): m for m in rec["mentions"]
                 if m["role"] in ("incident", "context") and m.get("kind") != "demonym"
                 and m.get("lat") is not None}
        for t in doc["toponyms"]:
            m = spans.get((t["start"], t["end"]))
            if m is not None and t.get("lat") is not None:
                out.append((t, m, doc["id"]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workdir", type=Path)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--km", type=float, default=161.0)
    args = ap.parse_args(argv)
    scored = pairs(args.workdir)
    n = len(scored)
    errors = []
    for t, m, doc_id in scored:
        d = km(t["lat"], t["lon"], m["lat"], m["lon"])
        if d > args.km:
            errors.append((t, m, doc_id, d))
    print(f"{n} exact-span pairs, {len(errors)} beyond {args.km:g} km "
          f"(acc = {100 * (1 - len(errors) / max(n, 1)):.1f} %)\n")
    by_kind = Counter(m.get("kind") or "?" for _, m, _, _ in errors)
    all_kind = Counter(m.get("kind") or "?" for _, m, _ in scored)
    print(f"{'predicted kind':<16}{'errors':>8}{'of pairs':>10}{'points':>9}")
    for kind, c in by_kind.most_common():
        print(f"{kind:<16}{c:>8}{all_kind[kind]:>10}{100 * c / n:>9.1f}")
    # Far vs near: a wrong centre convention gives errors of a few hundred km on the right
    # entity; a same-named place elsewhere usually gives thousands.
    bands = Counter("161-500 km" if d < 500 else "500-2000 km" if d < 2000 else ">2000 km"
                    for *_, d in errors)
    print("\nby distance: " + ", ".join(f"{b}: {c}" for b, c in sorted(bands.items())))
    groups: dict[tuple[str, Any, str], list[float]] = defaultdict(list)
    examples: dict[tuple[str, Any, str], str] = {}
    for t, m, doc_id, d in errors:
        key = (m.get("name") or m["text"], m.get("geonameid"), m.get("kind") or "?")
        groups[key].append(d)
        examples.setdefault(key, f"{t['name']!r} gold {t['lat']:.2f},{t['lon']:.2f} ({doc_id})")
    print(f"\n{'predicted place':<40}{'kind':<12}{'n':>4}{'med km':>8}  example")
    for key, ds in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))[:args.top]:
        name, gid, kind = key
        print(f"{(name + ' ' + str(gid))[:39]:<40}{kind:<12}{len(ds):>4}"
              f"{statistics.median(ds):>8.0f}  {examples[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
