"""Benchmark: peak memory per MB of input for every command, and the large cases of issue 15.

    python bench/bench_memory.py                      # every command on 20,000 incidents
    python bench/bench_memory.py --n 100000           # larger input
    python bench/bench_memory.py --oblast             # 1,000 incidents in a 10^6-vertex oblast
    python bench/bench_memory.py --million            # 10^6 incidents mapped
    python bench/bench_memory.py --article-mb 50      # one 50 MB article (extracted in sections)
    python bench/bench_memory.py --skip-commands --scaling 10000 100000 1000000
                                      # validate/export (to six formats) streamed: peak per size
    python bench/bench_memory.py --skip-commands --scaling 1000000 --exports gpkg kml

Each command runs as a fresh ``mapper`` process; its peak resident memory comes from the kernel
(``wait4`` rusage of that process), its time is wall time. "MB/MB" is peak memory per MB of input
above the baseline of a process that opens the gazetteer and does nothing (``mapper gazetteer
info``). Inputs are synthetic incidents (``synthetic.varied_incidents``) written by
mapper's own writers, and article text from ``/work/shared/data/geoparsing-dev/`` (not written
here) repeated to size.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the shared factories
DEV = Path("/work/shared/data/geoparsing-dev")


def _file_size_cap() -> None:
    """No output over 8 GB: a runaway writer fails (EFBIG) instead of filling the disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8 << 30, 8 << 30))


def measure(argv: list[str], env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``mapper ARGV``; return exit code, seconds, peak RSS in MB and the last stderr line."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "mapper", *argv], stdout=subprocess.DEVNULL,
                                stderr=err, env={**os.environ, **(env or {})},
                                preexec_fn=_file_size_cap)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return {"rc": proc.returncode, "s": round(time.perf_counter() - t0, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "last": lines[-1][:120] if lines else ""}


def report(name: str, input_mb: float, r: dict, base_mb: float) -> None:
    per = (r["peak_mb"] - base_mb) / input_mb if input_mb else float("nan")
    print(f"| {name} | {input_mb:,.1f} | {r['rc']} | {r['s']} | {r['peak_mb']:,.0f} | "
          f"{per:,.2f} | {r['last']} |", flush=True)


def incident_files(n: int, folder: Path) -> dict[str, Path]:
    from synthetic import varied_incidents as synthetic_incidents

    from mapper.incidents.io import write_incidents

    incs = synthetic_incidents(n)
    out = {}
    for fmt in ("yaml", "csv", "geojson"):
        out[fmt] = folder / f"incidents.{fmt}"
        write_incidents(incs, out[fmt], format=fmt)
    return out


def article(mb: float, path: Path) -> Path:
    """Real article text (geoparsing-dev) repeated to ``mb`` megabytes."""
    texts = []
    with open(DEV / "geovirus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            texts.append(rec.get("text") or "")
    chunk = "\n\n".join(t for t in texts if t)
    reps = max(1, math.ceil(mb * 1e6 / len(chunk.encode("utf-8"))))
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(reps):
            handle.write(chunk + "\n\n")
    return path


def every_command(n: int, tmp: Path, base: float) -> None:
    files = incident_files(n, tmp)
    print(f"\n{n:,} incidents\n")
    print("| command | input MB | exit | s | peak MB | MB/MB above baseline | last line |")
    print("|---|---|---|---|---|---|---|")
    for fmt, path in files.items():
        mb = path.stat().st_size / 1e6
        report(f"validate {fmt}", mb, measure(["validate", str(path)]), base)
    src = files["csv"]
    mb = src.stat().st_size / 1e6
    for out in ("geojson", "csv", "gpkg", "fgb", "kml", "yaml"):
        report(f"export csv -> {out}", mb,
               measure(["export", str(src), "-o", str(tmp / f"out.{out}"), "--overwrite"]), base)
    report("map (csv)", mb, measure(["map", str(src), "-o", str(tmp / "map"), "--tiles", "none"]),
           base)
    art = article(1.0, tmp / "article.txt")
    report("extract 1 MB article", art.stat().st_size / 1e6,
           measure(["extract", str(art), "--published", "2024-03-16"]), base)


def oblast_case(tmp: Path, base: float, vertices: int = 1_000_000) -> None:
    """1,000 incidents in an oblast whose imported boundary has ``vertices`` vertices."""
    gaz = tmp / "gaz" / "gazetteer.sqlite"
    gaz.parent.mkdir()
    src = Path(os.environ.get("MAPPER_GAZETTEER") or "")
    shutil.copy(src, gaz)
    # a star-shaped ring around Kursk: every vertex distinct, no self-intersection
    lat0, lon0 = 51.73, 36.19
    ring = []
    for i in range(vertices):
        a = 2 * math.pi * i / vertices
        r = 0.9 + 0.05 * math.sin(a * 4000)
        ring.append([round(lon0 + 1.6 * r * math.cos(a), 7), round(lat0 + r * math.sin(a), 7)])
    ring.append(ring[0])
    boundary = tmp / "kursk.geojson"
    boundary.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Kursk Oblast", "code": "RU-KRS"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    env = {"MAPPER_GAZETTEER": str(gaz)}
    r = measure(["gazetteer", "import", str(boundary), "--path", str(gaz), "--kind", "admin1",
                 "--country", "RU", "--name-field", "name", "--code-field", "code"], env)
    print(f"import of the {vertices:,}-vertex boundary: {r}", flush=True)
    rows = ["id,date,place,place_id,category,summary"]
    rows += [f"o{i},2024-03-12,Kursk Oblast,adm1:RU-KRS,raid,incident {i}" for i in range(1000)]
    src_csv = tmp / "oblast.csv"
    src_csv.write_text("\n".join(rows) + "\n")
    print("| command | input MB | exit | s | peak MB | MB/MB above baseline | last line |")
    print("|---|---|---|---|---|---|---|")
    mb = boundary.stat().st_size / 1e6
    for out in ("gpkg", "geojson", "fgb", "kml"):
        target = tmp / f"oblast.{out}"
        r = measure(["export", str(src_csv), "-o", str(target), "--overwrite"], env)
        r["last"] = f"{target.stat().st_size / 1e6:,.0f} MB written; " + r["last"] \
            if target.exists() else r["last"]
        report(f"export 1,000 incidents in the oblast -> {out}", mb, r, base)
    report("map 1,000 incidents in the oblast", mb,
           measure(["map", str(src_csv), "-o", str(tmp / "omap"), "--tiles", "none"], env), base)


SCALING_EXPORTS = ("parquet", "geojson", "gpkg", "fgb", "kml", "yaml")


def scaling(sizes: list[int], tmp: Path, base: float,
            exports: tuple[str, ...] = SCALING_EXPORTS) -> None:
    """``mapper validate`` and ``mapper export`` (CSV -> each of ``exports``) on CSVs of each
    size (bench_tiles' synthetic rows, written in chunks): streamed, the peak should not grow
    with the rows beyond the duplicate-id check (24 bytes a row) and GDAL's GeoPackage spatial
    index (built in memory at the end). Each output is deleted after its run (a 1M-row KML is
    ~4 GB); its size is in the last column.
    """
    from bench_tiles import write_csv

    print("\n| command | rows | input MB | exit | s | CPU s | peak MB | output MB | last line |")
    print("|---|---|---|---|---|---|---|---|---|")
    big = ["--max-input-mb", "1000000"]
    for n in sizes:
        src = Path(os.environ.get("MAPPER_BENCH_CSV_DIR") or tmp) / f"rows-{n}.csv"
        if not src.exists():
            write_csv(n, src)
        mb = src.stat().st_size / 1e6
        runs: list[tuple[str, list[str], Path | None]] = [
            ("validate", [*big, "validate", str(src)], None)]
        for fmt in exports:
            out = tmp / f"s.{fmt}"
            runs.append((f"export -> {fmt}", [*big, "export", str(src), "-o", str(out),
                                               "--overwrite"], out))
        for name, argv, out in runs:
            r = measure(argv, timeout=4 * 3600)
            size = ""
            if out is not None and out.exists():
                size = f"{out.stat().st_size / 1e6:,.0f}"
                out.unlink()
            print(f"| {name} | {n:,} | {mb:,.0f} | {r['rc']} | {r['s']} | {r['cpu_s']} | "
                  f"{r['peak_mb']:,.0f} | {size} | {r['last']} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--oblast", action="store_true")
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--article-mb", type=float, default=None)
    ap.add_argument("--skip-commands", action="store_true")
    ap.add_argument("--scaling", type=int, nargs="*", default=None,
                    help="table sizes for the streamed validate/export runs")
    ap.add_argument("--exports", nargs="*", default=list(SCALING_EXPORTS),
                    help="formats the --scaling runs export to (default: all six)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        base = measure(["gazetteer", "info"])["peak_mb"]
        print(f"baseline (mapper gazetteer info): {base} MB", flush=True)
        if not args.skip_commands:
            every_command(args.n, tmp, base)
        if args.scaling:
            scaling(args.scaling, tmp, base, tuple(args.exports))
        if args.oblast:
            oblast_case(tmp, base)
        if args.million:
            files = incident_files(1_000_000, tmp)
            src = files["csv"]
            report("map 10^6 incidents (csv)", src.stat().st_size / 1e6,
                   measure(["map", str(src), "-o", str(tmp / "mmap"), "--tiles", "none"]), base)
        if args.article_mb:
            art = article(args.article_mb, tmp / "long.txt")
            mb = art.stat().st_size / 1e6
            report(f"extract a {mb:.0f} MB article", mb, measure(["extract", str(art)]), base)
            report(f"extract a {mb:.0f} MB article, limit raised", mb,
                   measure(["--max-article-mb", str(int(mb) + 1), "extract", str(art)],
                           timeout=600), base)


if __name__ == "__main__":
    main()
