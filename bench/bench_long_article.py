"""Benchmark: one long article through ``mapper extract``, time and peak memory by size.

    python bench/bench_long_article.py                       # 1, 5, 10 and 50 MB, jsonl
    python bench/bench_long_article.py --sizes 50 --format yaml

The article is the GeoVirus news texts of ``/work/shared/data/geoparsing-dev/`` (not written
here) repeated to size (``bench_memory.article``). Each size runs as a fresh ``mapper extract``
process; its CPU time and peak resident memory come from the kernel (``wait4`` rusage), wall
time is printed too (on a shared machine CPU time is the figure to compare). Extraction is linear
when CPU seconds per MB stay flat as the size grows; memory is bounded when the peak stays near
the baseline (the name index) plus a few times the text.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_memory import article  # noqa: E402 -- the shared article maker


def run(argv: list[str]) -> dict:
    """``mapper ARGV`` in a fresh process: exit code, wall s, CPU s, peak RSS MB."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "mapper", *argv],
                                stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        last = err.read().decode("utf-8", "replace").strip().splitlines()
    return {"rc": os.waitstatus_to_exitcode(status), "wall": time.perf_counter() - t0,
            "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024,
            "last": last[-1][:80] if last else ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 10, 50], metavar="MB")
    ap.add_argument("--format", choices=("jsonl", "yaml"), default="jsonl")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        base = run(["gazetteer", "info"])
        print(f"baseline (mapper gazetteer info): {base['peak']:.0f} MB")
        print("| article MB | exit | CPU s | CPU s per MB | wall s | peak MB | last line |")
        print("|---|---|---|---|---|---|---|")
        for mb in args.sizes:
            path = article(mb, tmp / f"long-{mb:g}.txt")
            size = path.stat().st_size / 1e6
            r = run(["extract", str(path), "--published", "2024-03-16", "--format", args.format,
                     "-o", str(tmp / f"out.{args.format}"), "--overwrite"])
            print(f"| {size:.1f} | {r['rc']} | {r['cpu']:.1f} | {r['cpu'] / size:.2f} | "
                  f"{r['wall']:.0f} | {r['peak']:.0f} | {r['last']} |", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
