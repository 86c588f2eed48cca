"""Benchmark: one accepted draft (or `mapper add`) appended to a curated YAML file of N incidents.

    python bench/bench_review.py                      # N = 100, 1,000 and 10,000
    python bench/bench_review.py --n 500 --n 5000

Every append validates the whole curated file with the new record (the file must validate
afterwards) before the atomic rename, so the cost grows with the file: this measures how much.
The curated files hold the synthetic incidents of tests/synthetic.py (varied_incidents); the
record appended is a real extraction draft of a seed article, reviewed. Prints wall and CPU
(user+sys: the honest figure on a shared machine) per append, the best of three, each on a fresh
copy of the file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the shared factories

from synthetic import varied_incidents as synthetic_incidents  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="curated file size (repeatable)")
    args = parser.parse_args()
    sizes = args.n or [100, 1_000, 10_000]

    from mapper.extract.pipeline import extract_path
    from mapper.gazetteer.access import open_gazetteer
    from mapper.incidents.curate import append_incidents
    from mapper.incidents.io import write_incidents
    from mapper.incidents.review import reviewed

    gazetteer = open_gazetteer()
    draft = extract_path(ROOT / "seeds" / "000_e6726240562de5a9.txt",
                         gazetteer=gazetteer).incidents[0]
    record = reviewed(draft, reviewer="bench", at=dt.datetime(2024, 3, 20, tzinfo=dt.UTC))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            base = Path(tmp) / f"curated-{n}.yaml"
            write_incidents(synthetic_incidents(n), base)
            walls, cpus = [], []
            for attempt in range(3):
                target = Path(tmp) / f"run-{n}-{attempt}.yaml"
                shutil.copy(base, target)
                w0, c0 = time.perf_counter(), _cpu()
                append_incidents(target, [record], gazetteer=gazetteer)
                walls.append(time.perf_counter() - w0)
                cpus.append(_cpu() - c0)
            print(f"append 1 to {n:>7,} incidents ({base.stat().st_size / 1e6:6.1f} MB): "
                  f"wall {min(walls):6.2f} s, cpu {min(cpus):6.2f} s")


if __name__ == "__main__":
    main()
