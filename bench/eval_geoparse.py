#!/usr/bin/env python3
"""Score ``mapper extract`` on a public geoparsing corpus with the shared scorer.

    python bench/eval_geoparse.py CORPUS.jsonl [--limit N] [--jobs N] [--json]
                                  [--scorer score.py] [--keep DIR] [--gazetteer PATH]
                                  [--ner MODEL [--ner-use USE]]

CORPUS.jsonl holds one document a line (``id``, ``text``, ``toponyms``: the format of
``../shared/data/geoparsing-dev/``). Each text is written to a ``.txt`` file, the command
``mapper extract --format jsonl`` runs over all of them (the real command line, in a
subprocess), and every place mention it keeps (role ``incident`` or ``context``; not
``not-a-place``, not ``kind: demonym``: the corpora do not count demonyms as toponyms) becomes a
predicted toponym with its coordinates. The shared ``score.py`` (found beside the corpus unless
``--scorer`` says otherwise) scores the predictions; the table printed is the scorer's own.

``--keep DIR`` leaves the texts, the extractor's output and the predictions there for a look at
the errors. ``--limit N`` scores the first N documents only (quick checks while developing;
report figures on the whole file). ``--ner MODEL`` (repeatable) and ``--ner-use`` are passed
to ``mapper extract`` (the optional statistical recogniser).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def read_corpus(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The documents of a corpus file (the first ``limit`` when given)."""
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
                if limit and len(docs) >= limit:
                    break
    return docs


def predictions(records: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Scorer records from ``mapper extract --format jsonl`` records (``names``: file -> id)."""
    out = []
    for rec in records:
        doc_id = names[Path(rec["document"]).name]
        toponyms = [{"start": m["start"], "end": m["end"], "name": m["text"],
                     "lat": m["lat"], "lon": m["lon"], "geonameid": m.get("geonameid")}
                    for m in rec["mentions"]
                    if m["role"] in ("incident", "context") and m.get("kind") != "demonym"
                    and m.get("lat") is not None]
        out.append({"id": doc_id, "toponyms": toponyms})
    return out


def run(corpus: Path, workdir: Path, *, limit: int | None, jobs: int,
        gazetteer: str | None, extra: list[str] | None = None) -> tuple[Path, Path, float]:
    """Write the texts, run the extractor, write predictions: (gold file, predictions, seconds)."""
    docs = read_corpus(corpus, limit)
    texts = workdir / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    files = []
    for i, doc in enumerate(docs):
        name = f"{i:05d}.txt"
        (texts / name).write_text(doc["text"], encoding="utf-8")
        names[name] = doc["id"]
        files.append(str(texts / name))
    gold = workdir / "gold.jsonl"
    with gold.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    out = workdir / "extract.jsonl"
    out.unlink(missing_ok=True)  # ours, from an earlier run with the same --keep folder
    cmd = [sys.executable, "-m", "mapper", "extract", "--format", "jsonl", "-o", str(out),
           "--jobs", str(jobs), str(texts)]
    if gazetteer:
        cmd += ["--gazetteer", gazetteer]
    cmd += extra or []
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"mapper extract failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]
    pred = workdir / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for rec in predictions(records, names):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return gold, pred, seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, help="score the first N documents only")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for mapper extract")
    ap.add_argument("--scorer", type=Path, help="score.py (default: beside the corpus)")
    ap.add_argument("--keep", type=Path, help="keep texts, extractor output and predictions here")
    ap.add_argument("--gazetteer", help="gazetteer database (default: mapper's)")
    ap.add_argument("--json", action="store_true", help="the scorer's JSON instead of its table")
    ap.add_argument("--ner", action="append", default=[], metavar="MODEL",
                    help="mapper extract --ner MODEL (the optional statistical recogniser)")
    ap.add_argument("--ner-use", help="mapper extract --ner-use (both, add, veto)")
    args = ap.parse_args(argv)
    scorer = args.scorer or args.corpus.resolve().parent / "score.py"
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: corpus file not found")
    if not scorer.exists():
        sys.exit(f"{scorer}: scorer not found; give --scorer PATH")
    with tempfile.TemporaryDirectory(prefix="mapper-geoparse-") as tmp:
        workdir = args.keep or Path(tmp)
        gold, pred, seconds = run(args.corpus, workdir, limit=args.limit, jobs=args.jobs,
                                  gazetteer=args.gazetteer,
                                  extra=[*(x for m in args.ner for x in ("--ner", m)),
                                         *(["--ner-use", args.ner_use] if args.ner_use else [])])
        cmd = [sys.executable, str(scorer), str(gold), str(pred)] + (["--json"] if args.json
                                                                      else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return proc.returncode
    if not args.json:
        print(f"\nmapper extract: {seconds:.1f} s wall clock with --jobs {args.jobs} "
              "(gazetteer loading included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
