"""Benchmark: maps of millions. N synthetic incidents in a CSV with our column names ->
`mapper map` (vector tiles) -> `mapper serve` -> Chromium.

    python bench/bench_tiles.py                       # 1,000,000 incidents
    python bench/bench_tiles.py --sizes 100000 --compare   # also the one-file map, for sizes

Reports the CSV size, `mapper map` wall/CPU time and peak memory (of the largest process, and
of mapper and tippecanoe together: they run at once; needs psutil), the output folder's size (and
the archive's), the time until the page has drawn its first tiles ("ready": ms since navigation
start, median of 3 loads), and the latency of a popup (a click on a point at the detail zoom)
and of the time filter (the "from" handle moved, until the next frame), both at the detail zoom
(incidents in view) and, for the filter, at the first view (clusters). The synthetic incidents
are bench_map's (points in a ~300 km box, a tenth on areas, claims and sources).
"""
from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_map import ARGS, CHROMIUM, synthetic  # noqa: E402

CHUNK = 100_000


def write_csv(n: int, path: Path) -> None:
    """``n`` incidents in chunks (bounded memory), ids unique across chunks."""
    from mapper.incidents.formats.csv import write_csv as write_rows

    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        for k, start in enumerate(range(0, n, CHUNK)):
            incs = synthetic(min(CHUNK, n - start), seed=7 + k)
            for j, inc in enumerate(incs):
                inc.id = f"syn-{start + j:07d}"
                # the box spills over the oblast: keep the rows clean of validation warnings
                inc.place.admin1 = None
                inc.place.country_code = None
            import io

            buf = io.StringIO()
            write_rows(incs, buf)
            text = buf.getvalue()
            handle.write(text if k == 0 else text.split("\n", 1)[1])
    os.replace(tmp, path)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (mapper and tippecanoe run at once)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1e6


def run_map(csv: Path, out: Path, extra: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # a million rows make a CSV past the default 1 GB input limit: that is what we mean here
    proc = subprocess.Popen([sys.executable, "-m", "mapper", "-q", "--max-input-mb", "100000",
                             "map", str(csv), "-o", str(out), "--tiles", "none", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    reader.start()
    while proc.poll() is None:  # the whole run's memory: both processes, sampled
        try:
            peak = max(peak, tree_rss_mb(proc.pid))
        except ModuleNotFoundError:  # psutil: optional for this bench
            pass
        time.sleep(0.25)
    reader.join()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit("".join(stderr)[-2000:])
    return {"wall_s": wall, "cpu_s": (after.ru_utime + after.ru_stime)
            - (before.ru_utime + before.ru_stime), "peak_mb": after.ru_maxrss / 1024,
            "tree_peak_mb": peak, "folder_mb": folder_mb(out)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browse(out: Path, runs: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mapper", "serve", str(out), "--port",
                               str(port)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # until it listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/map.html"
        ready, result = [], {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for k in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                errors: list[str] = []
                page.on("pageerror", lambda e, errs=errors: errs.append(str(e)))
                page.goto(url, wait_until="commit", timeout=120_000)
                page.wait_for_function("window.mapperTilesReadyAt", timeout=120_000, polling=20)
                ready.append(page.evaluate("window.mapperTilesReadyAt"))
                if k == 0:
                    result["first_view"] = page.evaluate("JSON.parse(JSON.stringify("
                                                         "window.mapperApp.state().tiles))")
                    result["filter_clusters_ms"] = filter_latency(page)
                    result.update(detail_interactions(page))
                if errors:
                    raise SystemExit(f"page errors: {errors[:3]}")
                page.close()
            browser.close()
        result["ready_ms"] = statistics.median(ready)
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)


def filter_latency(page) -> float:
    return page.evaluate("""async () => {
      const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      const from = document.querySelector('input.mapper-from'), samples = [];
      for (let k = 1; k <= 5; k++) {
        const t = performance.now();
        from.value = String(+from.min + 30 * k);
        from.dispatchEvent(new Event('input'));
        await frame(); await frame();
        samples.push(performance.now() - t);
      }
      from.value = from.min; from.dispatchEvent(new Event('input')); await frame();
      samples.sort((a, b) => a - b);
      return samples[2];
    }""")


POPUP = """async () => {
  const app = window.mapperApp;
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const L = app.points, size = app.map.getSize();
  let best = null, bestD = 1e9;
  for (const g of L._groups) {
    if (g.n !== 1 || g.tile) continue;
    const cp = app.map.layerPointToContainerPoint([g.x + L._topLeft.x, g.y + L._topLeft.y]);
    const d = Math.abs(cp.x - size.x / 2) + Math.abs(cp.y - size.y / 2);
    if (d < bestD) { bestD = d; best = cp; }
  }
  if (!best) return null;
  const t = performance.now();
  app.onClick({containerPoint: best, latlng: app.map.containerPointToLatLng(best)});
  await frame();
  const ms = performance.now() - t;
  const ok = !!document.querySelector('.leaflet-popup-content [data-incident-id]');
  app.map.closePopup();
  return {ms: ms, ok: ok};
}"""


def settle(page) -> None:
    page.wait_for_function("window.mapperApp.tileFeed.mode === 'records' && document."
                           "querySelector('.leaflet-container').getAttribute("
                           "'data-tiles-loading') === '0'", timeout=120_000, polling=20)


def detail_interactions(page) -> dict:
    """Zoom to the detail level over the middle of the villages, wait for its tiles, then time a
    popup (a click on a single point) and the time filter on the incidents in view."""
    t = time.perf_counter()
    # the middle of bench_map's box of villages (the bounds also hold the areas' outlines)
    page.evaluate("""(() => {
      const app = window.mapperApp;
      app.map.setView([51.35, 36.6], app.data.tiles.detailZoom, {animate: false});
    })()""")
    settle(page)
    load_s = time.perf_counter() - t
    loaded = page.evaluate("window.mapperApp.inc.length")
    popup = page.evaluate(POPUP)
    zoom = None
    for z in (11, 13, 15):  # points still clustered: zoom in (same tiles) until one is single
        if popup is not None:
            break
        zoom = z
        page.evaluate(f"void window.mapperApp.map.setZoom({z}, {{animate: false}})")
        settle(page)
        popup = page.evaluate(POPUP)
    return {"detail_zoom_load_ms": load_s * 1000, "detail_loaded": loaded,
            "popup_ms": popup["ms"] if popup else float("nan"),
            "popup_ok": bool(popup and popup["ok"]), "popup_zoom": zoom,
            "filter_detail_ms": filter_latency(page),
            "filter_internal_ms": page.evaluate("window.mapperState.lastFilterMs")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--compare", action="store_true",
                    help="also write the one-file map (--no-vector-tiles) and compare sizes")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse a map folder written by an earlier run (browser figures only)")
    ap.add_argument("--map-only", action="store_true", help="skip the browser figures")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mapper-bench-tiles")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        csv = args.work / f"incidents-{n}.csv"
        if not csv.exists():
            t = time.perf_counter()
            write_csv(n, csv)
            print(f"wrote {csv} ({csv.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - t:.0f} s", flush=True)
        out = args.work / f"map-{n}"
        if args.reuse and (out / "incidents.pmtiles").exists():
            tiled = {"folder_mb": folder_mb(out)}
            print(f"{n:>9,} incidents: reusing {out} ({tiled['folder_mb']:.1f} MB)", flush=True)
        else:
            tiled = run_map(csv, out, ["--vector-tiles"])
            archive = (out / "incidents.pmtiles").stat().st_size / 1e6
            print(f"{n:>9,} incidents -> tiles: mapper map {tiled['wall_s']:.0f} s wall, "
                  f"{tiled['cpu_s']:.0f} s CPU ({tiled['cpu_s'] / n * 1e6:.0f} us an incident, "
                  f"tippecanoe included), peak {tiled['peak_mb']:.0f} MB for the largest "
                  f"process, {tiled['tree_peak_mb']:.0f} MB for the whole run; folder "
                  f"{tiled['folder_mb']:.1f} MB (archive {archive:.1f} MB); load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
        if args.compare:
            single = args.work / f"map-{n}-single"
            one = run_map(csv, single, ["--no-vector-tiles"])
            ratio = one["folder_mb"] / tiled["folder_mb"]
            print(f"{n:>9,} incidents -> one-file map: {one['wall_s']:.0f} s wall; folder "
                  f"{one['folder_mb']:.1f} MB; the tiled folder is {ratio:.1f}x smaller",
                  flush=True)
        if args.map_only:
            continue
        b = browse(out)
        print(f"{n:>9,} in Chromium: ready {b['ready_ms']:.0f} ms (first tiles drawn, median of "
              f"3); first view {b['first_view']}; time filter on clusters "
              f"{b['filter_clusters_ms']:.0f} ms; detail zoom loaded {b['detail_loaded']} "
              f"incidents in {b['detail_zoom_load_ms']:.0f} ms; popup {b['popup_ms']:.0f} ms "
              f"(ok={b['popup_ok']}, zoom {b['popup_zoom'] or 'detail'}); time filter there "
              f"{b['filter_detail_ms']:.0f} ms ({b['filter_internal_ms']:.0f} ms in apply)",
              flush=True)


if __name__ == "__main__":
    main()
