"""Benchmark: extraction throughput against the number of workers.

    python bench/bench_distributed.py                     # 1,000 articles, 1, 2 and 4 workers
    python bench/bench_distributed.py --articles 300 --workers 1 2

Runs `mapper extract DUMP --format jsonl` on a JSONL dump of texts nobody here wrote
(/work/shared/data/geoparsing-dev/wiktor.jsonl) in one process, then on a Dask LocalCluster of
1, 2, ... worker processes (`--scheduler local -j N`), checks that every output is
byte-identical to the one-process output, and reports articles per second (wall, from the
command's start, so cluster start-up and the gazetteer load on each worker are included) and
the scaling efficiency (rate with N workers / (N x rate with 1 worker)).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# texts nobody here wrote: shared/ beside the checkout (as CI lays it out), else the workplace's
DEV = next((p for p in (Path(os.environ.get("MAPPER_DEV_DATA", "")),
                        ROOT.parent / "shared" / "data" / "geoparsing-dev",
                        Path("/work/shared/data/geoparsing-dev")) if str(p) != "." and p.is_dir()),
           Path("/work/shared/data/geoparsing-dev"))


def run(dump: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mapper", "-q", "extract", str(dump),
                           "--format", "jsonl", "-o", str(out), *extra],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-2000:])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--source", type=Path, default=DEV / "wiktor.jsonl")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mapper-bench-dask-"))
    dump = work / "articles.jsonl"
    with open(args.source, encoding="utf-8") as src, open(dump, "w", encoding="utf-8") as dst:
        for _, line in zip(range(args.articles), src, strict=False):
            dst.write(line)
    n = sum(1 for _ in open(dump, encoding="utf-8"))
    base_out = work / "one.jsonl"
    wall, cpu = run(dump, base_out, [])
    print(f"{n} articles from {args.source.name}; load average before: {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"one process (no Dask): {wall:.1f} s wall, {cpu:.1f} s CPU (children) -> "
          f"{n / wall:.0f} articles/s")
    rates = {}
    for w in args.workers:
        out = work / f"dask-{w}.jsonl"
        wall, cpu_w = run(dump, out, ["--scheduler", "local", "-j", str(w)])
        same = out.read_bytes() == base_out.read_bytes()
        rates[w] = n / wall
        eff = rates[w] / (w * rates[min(rates)]) if w != min(rates) else 1.0
        print(f"Dask LocalCluster, {w} worker(s): {wall:.1f} s wall, {cpu_w:.1f} s CPU (client, "
              f"scheduler and workers) -> {rates[w]:.0f} articles/s; efficiency {eff:.0%}; "
              f"output identical to one process: {same}", flush=True)
        if not same:
            raise SystemExit("outputs differ")


if __name__ == "__main__":
    main()
