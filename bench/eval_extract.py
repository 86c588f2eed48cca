#!/usr/bin/env python3
"""Score ``mapper.extract.pipeline.extract_article`` against the annotated corpus in tests/corpus.

    python bench/eval_extract.py [--split dev|test|all|ruuk-dev|ruuk-test|ruuk] [--json]
                                 [--no-timing] [--corpus DIR]
                                 [--predictions FILE.jsonl] [--ner MODEL [--ner-use USE]]

``--predictions`` scores saved output instead of running the extractor: the jsonl that
``mapper extract --format jsonl`` writes, one record per document, matched on ``"document"``
(the text file's name).

Prints, per split: mention precision / recall / F1 (exact span match, places only: gold and
predicted mentions whose role is not ``not-a-place``); resolution accuracy within 161 km
(Acc@161) and median error in km over correctly detected spans; role accuracy over every span
found in both (not-a-place gold spans included); incident date accuracy (a gold incident counts
when a predicted incident has the same date, and date_end, with its place within 161 km); and
articles per second (gazetteer loading excluded, reported separately).

Everything but the timing figures is deterministic; ``--no-timing`` leaves them out so two runs
give byte-identical output. The annotation format and the guidelines are in
tests/corpus/README.md. The scoring functions are in tests/corpus_eval.py (the tests use them
too).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from corpus_eval import (  # noqa: E402  (the scorer the tests share)
    CORPUS,
    RUUK_SPLITS,
    SPLITS,
    CorpusError,
    evaluate,
    format_report,
    jsonl_predictor,
    load_corpus,
    mapper_predictor,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "test", "all", *RUUK_SPLITS, "ruuk"),
                    default="all", help="all = dev + test (English); ruuk = ruuk-dev + ruuk-test")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    ap.add_argument("--no-timing", action="store_true", help="omit timings (byte-identical runs)")
    ap.add_argument("--corpus", default=str(CORPUS), help="corpus folder (default tests/corpus)")
    ap.add_argument("--predictions", help="score this saved jsonl instead of running mapper")
    ap.add_argument("--ner", action="append", metavar="MODEL",
                    help="also run a statistical recogniser (mapper extract --ner MODEL)")
    ap.add_argument("--ner-use", default=None, help="both, add or veto (mapper extract --ner-use)")
    args = ap.parse_args(argv)
    splits = SPLITS if args.split == "all" else RUUK_SPLITS if args.split == "ruuk" else \
        (args.split,)
    try:
        docs = load_corpus(args.corpus, splits)
    except CorpusError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    load: float | None = None
    try:
        if args.predictions:
            predict = jsonl_predictor(args.predictions, docs)
        else:
            from mapper.extract.ner import NerConfig

            predict, load = mapper_predictor(NerConfig.of(args.ner, args.ner_use))
    except ImportError as exc:
        print(f"Error: mapper.extract.pipeline is not importable ({exc}); install mapper first",
              file=sys.stderr)
        return 1
    except (CorpusError, OSError, ValueError) as exc:  # ValueError: UsageError of --ner
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    report = evaluate(docs, predict)
    report["timing"]["load_seconds"] = round(load, 2) if load is not None else None
    if args.predictions or args.no_timing:
        report.pop("timing")
    if args.json:
        print(json.dumps(report, indent=1, sort_keys=True))
    else:
        print(format_report(report, timing=not args.no_timing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
