"""Benchmark: incident tables of millions through validate and export, in bounded memory.

    python bench/bench_scale.py --rows 1000000 --work /tmp/scale
    nice -n 10 python bench/bench_scale.py --rows 10000000 --work /tmp/scale --part-rows 1000000

Steps (each command a fresh process; peak resident memory from the kernel's ``wait4`` rusage,
wall and CPU seconds):

1. ``make``: a partitioned GeoParquet dataset ``WORK/rows-N.parquet/`` of N synthetic incidents
   (bench_map's generator: points in a ~300 km box, a tenth on areas, claims and sources), made
   100,000 at a time straight into the parts (no CSV in between; a 10M CSV is ~16 GB);
2. ``validate``: ``mapper validate WORK/rows-N.parquet/`` (places resolved: the gazetteer of
   ``$MAPPER_GAZETTEER`` or the user cache, as every step);
3. ``to-csv``: ``mapper export WORK/rows-N.parquet/ -o WORK/rows-N.csv`` (GeoParquet -> CSV);
4. ``to-dataset``: the CSV back to a partitioned dataset (``geoparquet.write_dataset`` over
   ``iter_incidents``: the Python API, as the README says), ``WORK/back-N.parquet/``.

Sizes of what each step wrote are printed, and the rows of the dataset made back; ``--keep``
leaves the files (else the CSV and the second dataset are deleted at the end, the first dataset
kept for a rerun of the later steps).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHUNK = 100_000
BIG = ["--max-input-mb", "100000000"]  # the input limit is what we mean to pass here


def generated(n: int) -> Iterator:
    """``n`` synthetic incidents, made ``CHUNK`` at a time, ids unique across chunks."""
    from bench_map import synthetic

    for k, start in enumerate(range(0, n, CHUNK)):
        for j, inc in enumerate(synthetic(min(CHUNK, n - start), seed=7 + k)):
            inc.id = f"syn-{start + j:08d}"
            # the box spills over the oblast: keep the rows clean of validation warnings
            inc.place.admin1 = None
            inc.place.country_code = None
            yield inc


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return path.stat().st_size / 1e6 if path.exists() else 0.0


def measure(argv: list[str]) -> dict:
    """Run ``python ARGV``; exit code, wall and CPU seconds, peak RSS in MB, last stderr line."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return {"rc": os.waitstatus_to_exitcode(status), "wall_s": round(time.perf_counter() - t0),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "last": lines[-1][:100] if lines else ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--part-rows", type=int, default=1_000_000)
    ap.add_argument("--steps", nargs="*", default=["make", "validate", "to-csv", "to-dataset"])
    ap.add_argument("--keep", action="store_true")
    # internal: one step in a fresh process
    ap.add_argument("--do", choices=["make", "to-dataset"], help=argparse.SUPPRESS)
    ap.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    from mapper.incidents.formats.geoparquet import write_dataset

    if args.do == "make":
        write_dataset(generated(args.rows), args.out, part_rows=args.part_rows)
        return
    if args.do == "to-dataset":
        from mapper.gazetteer.access import open_gazetteer
        from mapper.incidents.io import iter_incidents

        gazetteer = open_gazetteer(None)
        write_dataset(iter_incidents(args.src, gazetteer=gazetteer), args.out,
                      part_rows=args.part_rows, gazetteer=gazetteer)
        return

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    n = args.rows
    dataset, csv = work / f"rows-{n}.parquet", work / f"rows-{n}.csv"
    back = work / f"back-{n}.parquet"
    me = str(Path(__file__).resolve())
    runs = {
        "make": (["-c", "pass"] if dataset.exists() else
                 [me, "--do", "make", "--rows", str(n), "--part-rows", str(args.part_rows),
                  "--work", str(work), "--out", str(dataset)], dataset),
        "validate": (["-m", "mapper", *BIG, "-q", "validate", str(dataset)], None),
        "to-csv": (["-m", "mapper", *BIG, "-q", "export", str(dataset), "-o",
                    str(csv), "--overwrite"], csv),
        "to-dataset": ([me, "--do", "to-dataset", "--part-rows", str(args.part_rows),
                        "--work", str(work), "--src", str(csv), "--out", str(back)], back),
    }
    print(f"\n{n:,} incidents ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})\n")
    print("| step | exit | wall s | CPU s | µs CPU/row | peak MB | output MB | last line |")
    print("|---|---|---|---|---|---|---|---|")
    for step in args.steps:
        argv, out = runs[step]
        if step == "to-dataset" and back.exists():
            shutil.rmtree(back)
        r = measure(argv)
        per = r["cpu_s"] * 1e6 / n
        print(f"| {step} | {r['rc']} | {r['wall_s']:,} | {r['cpu_s']:,} | {per:,.0f} | "
              f"{r['peak_mb']:,} | {size_mb(out) if out else 0:,.0f} | {r['last']} |",
              flush=True)
        if step == "to-dataset" and r["rc"] == 0:
            import pyarrow.parquet as pq

            rows = sum(pq.ParquetFile(p).metadata.num_rows for p in back.glob("part-*.parquet"))
            print(f"\nrows in the dataset made back from the CSV: {rows:,} "
                  f"({len(list(back.glob('part-*.parquet')))} parts)")
    if not args.keep:
        for path in (csv, back):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


if __name__ == "__main__":
    main()
    sys.exit(0)
