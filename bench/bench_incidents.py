"""Benchmark: read, validate and export 100,000 synthetic incidents; time and peak memory.

    python bench/bench_incidents.py                 # 100,000 incidents, CSV and GeoJSON inputs
    python bench/bench_incidents.py --n 20000 --yaml   # also time the (slow) YAML reader

Generates deterministic synthetic incidents (``varied_incidents`` of tests/synthetic.py), writes
them as CSV and GeoJSON (and YAML), then, per input, runs the pipelines in a fresh subprocess:
validate_files (the linter, gazetteer checks included), read_incidents (which runs every schema
check and resolves places), export to GeoJSON and to GeoPackage. Each prints wall time, CPU time
(user+sys: the honest figure on a shared machine) and its own peak RSS (the count is reset
before each stage; it includes what the stage inherits, such as the incidents read). Totals
follow: "read+validate+ export" (read_incidents, which is the validation, then the export) per
format and for both, the figure the issue asks for, and all four pipelines. Goal: <= 10 s, <= 1
GB.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from synthetic import varied_incidents  # noqa: E402  (the factory the tests share)


def _peak_mb() -> float:
    """Peak RSS of this process (MB) since the last :func:`_reset_peak`."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not resettable


def _reset_peak() -> None:
    """Restart the peak-RSS count (Linux: ``5`` to clear_refs resets VmHWM), so each pipeline
    reports its own peak: the memory it holds plus what it inherits (the incidents read)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


STAGES = ("validate_files", "read_incidents", "export geojson", "export gpkg")
"""The pipelines, in the order one stage process runs them."""


def run_stage(inputs: str, outdir: str, gazetteer_path: str | None) -> None:
    """Every pipeline in this process, in order; prints one JSON line of figures per stage."""
    from mapper.incidents.export import export
    from mapper.incidents.io import read_incidents
    from mapper.incidents.validate import validate_files

    gazetteer = None
    if gazetteer_path:
        from mapper.gazetteer.store import Gazetteer

        gazetteer = Gazetteer.open(gazetteer_path)
    stages: dict[str, dict[str, float]] = {}

    def timed(name: str, fn):
        _reset_peak()
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        stages[name] = {"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                        "peak_mb": _peak_mb()}
        return out

    # the linter first: its incidents are dropped before the reader builds the ones exported
    problems = timed("validate_files", lambda: validate_files(
        inputs, gazetteer=gazetteer, resolve=gazetteer is not None))
    warnings: list = []
    incidents = timed("read_incidents", lambda: read_incidents(
        inputs, gazetteer=gazetteer, resolve=gazetteer is not None, on_problem=warnings.append))
    timed("export geojson", lambda: export(incidents, Path(outdir) / "out.geojson",
                                           gazetteer=gazetteer))
    timed("export gpkg", lambda: export(incidents, Path(outdir) / "out.gpkg", gazetteer=gazetteer))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"n": len(incidents), "problems": len(problems), "stages": stages,
                      "cpu": usage.ru_utime + usage.ru_stime,
                      "max_rss_mb": round(usage.ru_maxrss / 1024)}))


def _total(stages: dict, names: tuple[str, ...]) -> dict[str, float]:
    """Wall and CPU summed over ``names``; peak RSS the highest of them."""
    return {"wall": sum(stages[k]["wall"] for k in names),
            "cpu": sum(stages[k]["cpu"] for k in names),
            "peak_mb": max(stages[k]["peak_mb"] for k in names)}


TOTALS: dict[str, tuple[str, ...]] = {
    # the figure: read every record with all schema checks (read_incidents is the
    # validator too), then export it; one line per export format, and both formats together
    "read+validate+export geojson": ("read_incidents", "export geojson"),
    "read+validate+export gpkg": ("read_incidents", "export gpkg"),
    "read+validate+export both": ("read_incidents", "export geojson", "export gpkg"),
    # plus a separate linter pass (`mapper validate` before `mapper export`)
    "all four pipelines": STAGES,
}


def _report(fmt: str, report: dict, wall: float) -> None:
    stages = report["stages"]
    print(f"\ninput {fmt}: {report['n']:,} incidents, {report['problems']} problems")
    print(f"  {'pipeline':32} {'wall s':>7} {'CPU s':>7} {'peak RSS MB':>12}")
    rows = [(k, stages[k]) for k in STAGES] + [(k, _total(stages, v)) for k, v in TOTALS.items()]
    for i, (name, fig) in enumerate(rows):
        if i == len(STAGES):
            print(f"  {'-' * 61}")
        print(f"  {name:32} {fig['wall']:7.2f} {fig['cpu']:7.2f} {fig['peak_mb']:12.0f}")
    print(f"  whole stage process (imports included): wall {wall:.2f} s, CPU {report['cpu']:.2f} s,"
          f" max RSS {report['max_rss_mb']} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--yaml", action="store_true", help="also run the pipeline on the YAML file")
    ap.add_argument("--gazetteer", default=None, help="gazetteer database (default: none, "
                    "no place resolution; rows all have coordinates anyway)")
    ap.add_argument("--stage", nargs=2, metavar=("INPUT", "OUTDIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        run_stage(args.stage[0], args.stage[1], args.gazetteer)
        return
    from mapper.incidents.io import write_incidents

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        incidents = varied_incidents(args.n)
        print(f"generate {args.n:,}: {time.perf_counter() - t:.2f} s")
        fmts = ["csv", "geojson"] + (["yaml"] if args.yaml else [])
        for fmt in fmts:
            t = time.perf_counter()
            path = write_incidents(incidents, Path(tmp) / f"in.{fmt}")
            print(f"write {fmt}: {time.perf_counter() - t:.2f} s, "
                  f"{path.stat().st_size / 1e6:.1f} MB")
        del incidents
        for fmt in fmts:
            outdir = Path(tmp) / f"out-{fmt}"
            outdir.mkdir()
            cmd = [sys.executable, __file__, "--stage", str(Path(tmp) / f"in.{fmt}"), str(outdir)]
            if args.gazetteer:
                cmd += ["--gazetteer", args.gazetteer]
            t = time.perf_counter()
            res = subprocess.run(cmd, capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t
            if res.returncode:
                print(f"{fmt}: FAILED\n{res.stderr}")
                continue
            _report(fmt, json.loads(res.stdout.strip().splitlines()[-1]), wall)


if __name__ == "__main__":
    main()
