"""Benchmark: mapper's map against what a folium user does today, on the same synthetic incidents.

    python bench/bench_map.py                 # 10,000 and 100,000 incidents, plus folium baselines
    python bench/bench_map.py --sizes 10000 --no-baselines

Synthetic incidents use every feature the map draws: settlement points in a ~300 km box (90 %),
admin1 / border-zone areas (10 %), date ranges, month and approximate dates, two claims with
figures and quotes, two sources with title, link and quote (~300+ characters of popup text),
four categories, six claimants, five outlets, verification notes.

"Ready" (mapper): the page's script has parsed the data, drawn the points/clusters and areas on
the canvas, built the filter panel (time filter usable) and the next animation frame has run;
it then sets ``window.mapperReadyAt`` (``performance.now()``, i.e. ms since navigation start).
"Ready" (folium baselines): the first animation frame in which every marker (Marker+Popup) or at
least one cluster icon (MarkerCluster, FastMarkerCluster) is in the DOM, polled each frame, in
ms since navigation start. Pages are opened from file:// with the network blocked; Leaflet and
markercluster for the baselines are served from npm packages (``npm pack``) in a cache folder.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapper.incidents.model import Claim, Incident, Location, Source, Verification  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CATS = ["raid", "shelling", "drone-strike", "capture"]
CLAIMANTS = ["Volunteer corps", "Defence ministry", "Regional governor", "Border guard",
             "Militia spokesman", "Local council"]
OUTLETS = [("Border Courier", "https://courier.example.org/"),
           ("Evening Ledger", "https://ledger.example.net/"),
           ("Valley Post", "https://valley.example.com/"),
           ("Wire Service", "https://wire.example.org/"),
           ("Regional Daily", "https://daily.example.net/")]
AREA_IDS = ["adm1:RU-KRS", "adm1:RU-BEL", "zone:border:RU-UA:RU"]


def synthetic(n: int, seed: int = 7) -> list[Incident]:
    rnd = random.Random(seed)
    base = dt.date(2024, 1, 1)
    out = []
    for i in range(n):
        d = base + dt.timedelta(days=rnd.randrange(0, 365))
        kind = rnd.random()
        date_end, prec = None, "day"
        if kind < 0.15:
            date_end = d + dt.timedelta(days=rnd.randrange(1, 6))
        elif kind < 0.2:
            prec = "month"
        elif kind < 0.25:
            prec = "approximate"
        if rnd.random() < 0.1:
            pid = rnd.choice(AREA_IDS)
            loc = Location(name=f"area {pid}", place_id=pid,
                           geo_precision="zone" if pid.startswith("zone") else "admin1")
        else:
            lat, lon = 50.0 + rnd.random() * 2.7, 34.5 + rnd.random() * 4.2
            loc = Location(name=f"Village {i % 3000}", lat=round(lat, 5), lon=round(lon, 5),
                           geo_precision="settlement", country_code="RU", admin1="Belgorod Oblast",
                           resolution="gazetteer: exact name; admin1 matches; population 1200")
        cat = rnd.choice(CATS)
        summary = (f"Synthetic incident {i}: a {cat} reported near {loc.name} with damage to "
                   "houses and a power line; officials gave differing accounts of what happened.")
        claims = [Claim(by=c, statement=f"{c} says the {cat} took place.", stance=rnd.choice(
            ["asserts", "asserts", "denies"]), figures={"wounded": rnd.randrange(0, 9)},
            quote=f"\u201cWe confirm the {cat} near {loc.name},\u201d {c} said.",
            source_url=OUTLETS[0][1] + f"story/{i}")
            for c in rnd.sample(CLAIMANTS, 2)]
        sources = [Source(outlet=o, url=u + f"news/{i}", title=f"Report {i} on the {cat}",
                          published=d + dt.timedelta(days=1),
                          quote=f"Residents of {loc.name} described the {cat} to our reporter.")
                   for o, u in rnd.sample(OUTLETS, 2)]
        out.append(Incident(id=f"syn-{i:06d}", date=d, date_end=date_end, date_precision=prec,
                            place=loc, category=cat, summary=summary, claims=claims,
                            sources=sources, verification=Verification(
                                status=rnd.choice(["unverified", "unverified", "confirmed"]),
                                note="Not independently verified.")))
    return out


class AreaGazetteer:
    """The real gazetteer; where it has no polygon yet for one of the three bench areas (zones
    arrive after admin1), a stand-in circle, and the output says which."""

    def __init__(self):
        from mapper.gazetteer.access import open_gazetteer

        self.real = open_gazetteer()
        self.stand_in = [pid for pid in AREA_IDS if not self._real_polygon(pid)]

    def _real_polygon(self, place_id):
        geom = self.real.geometry(place_id)
        return geom is not None and geom.geom_type in ("Polygon", "MultiPolygon")

    def __getattr__(self, name):
        return getattr(self.real, name)

    def geometry(self, place_id):
        if place_id in self.stand_in:
            from shapely.geometry import Point

            k = AREA_IDS.index(place_id)
            return Point(35.5 + k * 1.4, 51.0 + (k % 2) * 0.8).buffer(0.7, 64)
        return self.real.geometry(place_id)


def npm_cache() -> Path:
    cache = Path(tempfile.gettempdir()) / "mapper-bench-npm"
    cache.mkdir(exist_ok=True)
    # folium 0.20 links markercluster 1.1.0, whose npm package ships no built JS; 1.5.3 does
    # folium's pages also need jQuery (Popup) and awesome-markers (FastMarkerCluster's icons)
    for pkg in ("leaflet@1.9.3", "leaflet.markercluster@1.5.3", "jquery@3.7.1",
                "leaflet.awesome-markers@2.0.5"):
        name = pkg.split("@")[0]
        if not (cache / name).exists():
            subprocess.run(["npm", "pack", pkg, "--silent"], cwd=cache, check=True,
                           capture_output=True)
            tgz = next(cache.glob(f"{name}-*.tgz"))
            (cache / name).mkdir()
            subprocess.run(["tar", "xzf", str(tgz), "-C", str(cache / name)], check=True)
    return cache


def serve_offline(page, cache: Path | None):
    def handle(route):
        url = route.request.url
        if url.startswith("file:"):
            return route.continue_()
        if cache is not None:
            for needle, path in (("jquery-3.7.1.min.js", "jquery/package/dist/jquery.min.js"),
                                 ("leaflet.awesome-markers.js", "leaflet.awesome-markers/package/dist/leaflet.awesome-markers.js"),
                                 ("leaflet.awesome-markers.css", "leaflet.awesome-markers/package/dist/leaflet.awesome-markers.css"),
                                 ("leaflet.markercluster.js", "leaflet.markercluster/package/dist/leaflet.markercluster.js"),
                                 ("MarkerCluster.Default.css", "leaflet.markercluster/package/dist/MarkerCluster.Default.css"),
                                 ("MarkerCluster.css", "leaflet.markercluster/package/dist/MarkerCluster.css"),
                                 ("leaflet.js", "leaflet/package/dist/leaflet.js"),
                                 ("leaflet.css", "leaflet/package/dist/leaflet.css")):
                if url.endswith(needle):
                    ctype = "text/css" if needle.endswith(".css") else "application/javascript"
                    return route.fulfill(body=(cache / path).read_bytes(), content_type=ctype)
        return route.abort()
    page.route("**/*", handle)


def ready_mapper(browser, path: Path, runs: int = 3) -> tuple[float, dict]:
    times, extra = [], {}
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        serve_offline(page, None)
        page.goto(path.as_uri(), wait_until="commit", timeout=120_000)
        page.wait_for_function("window.mapperReady === true", timeout=120_000, polling=50)
        times.append(page.evaluate("window.mapperReadyAt"))
        # a big map reads its full records (cards, search text) right after the first frame
        page.wait_for_function("window.mapperApp.recordsReady === true", timeout=120_000,
                               polling=50)
        records_at = page.evaluate("window.mapperRecordsAt || window.mapperReadyAt")
        if not extra:
            timings = page.evaluate("window.mapperTimings")
            extra = interactions(page)
            extra["timings"] = timings
            extra["records_at"] = records_at
        if errors:
            raise SystemExit(f"page errors in {path}: {errors[:3]}")
        page.close()
    return statistics.median(times), extra


def interactions(page) -> dict:
    """Popup and time-filter latency: from the action until the next frame has been painted."""
    return page.evaluate("""async () => {
      const app = window.mapperApp, frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      const out = {};
      // popup: click a point at street zoom through the same handler a mouse click uses
      let i = app.pointIdx[Math.floor(app.pointIdx.length / 2)];
      app.map.setView([app.inc[i].lat, app.inc[i].lon], 13, {animate: false});
      await frame();
      const cp = app.map.latLngToContainerPoint([app.inc[i].lat, app.inc[i].lon]);
      let t = performance.now();
      app.onClick({containerPoint: cp, latlng: app.map.containerPointToLatLng(cp)});
      await frame();
      out.popup_ms = performance.now() - t;
      out.popup_ok = !!document.querySelector('.leaflet-popup-content [data-incident-id]');
      app.map.closePopup();
      // time filter: move the "from" handle by 60 days, as an input event does
      app.fitView(); await frame();
      const from = document.querySelector('input.mapper-from');
      const samples = [];
      for (let k = 1; k <= 5; k++) {
        t = performance.now();
        from.value = String(+from.min + 30 * k);
        from.dispatchEvent(new Event('input'));
        await frame(); await frame();
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      out.filter_ms = samples[2];
      out.filter_internal_ms = window.mapperState.lastFilterMs;
      out.visible_after = app.count;
      // category toggle (rechecks every non-time filter), then back
      const cat = document.querySelector('input[data-layer="cat"]');
      t = performance.now();
      cat.click(); await frame(); await frame();
      out.category_ms = performance.now() - t;
      cat.click(); await frame(); await frame();
      // timeline play: one step of the window, as the play button's timer does it (median of 5)
      const steps = [];
      app.setWindow(app.days[0], app.days[0] + 6, true); await frame();
      for (let k = 1; k <= 5; k++) {
        t = performance.now();
        app.setWindow(app.days[0] + 7 * k, app.days[0] + 7 * k + 6, true);
        await frame();
        steps.push(performance.now() - t);
      }
      steps.sort((a, b) => a - b);
      out.play_step_ms = steps[2];
      app.setWindow(app.days[0], app.days[1], true); await frame();
      // the at-a-glance views, each switched on and drawn
      for (const v of ['density', 'regions', 'points']) {
        t = performance.now();
        app.setView(v); await frame(); await frame();
        out[v + '_ms'] = performance.now() - t;
      }
      return out;
    }""")


def ready_baseline(browser, path: Path, expect_markers: int | None, cache: Path,
                   timeout_s: float) -> float | None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    serve_offline(page, cache)
    page.add_init_script("""(() => {
      const want = %s;
      function poll() {
        const n = want ? document.querySelectorAll('.leaflet-marker-icon').length
                       : document.querySelectorAll('.marker-cluster').length;
        if ((want && n >= want) || (!want && n > 0)) { window.__readyAt = performance.now(); return; }
        requestAnimationFrame(poll);
      }
      requestAnimationFrame(poll);
    })();""" % json.dumps(expect_markers or 0))
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=int(timeout_s * 1000))
        page.wait_for_function("window.__readyAt !== undefined", timeout=int(timeout_s * 1000),
                               polling=100)
        value = page.evaluate("window.__readyAt")
    except Exception:
        value = None
    page.close()
    return value


def baselines(incs, out: Path, browser, timeout_s: float) -> list[tuple]:
    import folium
    from folium.plugins import FastMarkerCluster, MarkerCluster

    cache = npm_cache()
    pts = [i for i in incs if i.place.lat is not None]
    rows = []

    def popup_html(i):
        import html
        return (f"<b>{html.escape(i.category)}</b> {i.date}<br>{html.escape(i.summary)}<br>"
                + "<br>".join(f'<a href="{s.url}">{html.escape(s.outlet)}</a>' for s in i.sources))

    def build(kind):
        m = folium.Map(location=[51.3, 36.6], zoom_start=7, tiles=None)
        m.options["max_zoom"] = 18  # markercluster refuses a map without one (no tile layer)
        if kind == "Marker+Popup":
            for i in pts:
                folium.Marker([i.place.lat, i.place.lon], popup=folium.Popup(popup_html(i))).add_to(m)
        elif kind == "MarkerCluster":
            mc = MarkerCluster().add_to(m)
            for i in pts:
                folium.Marker([i.place.lat, i.place.lon], popup=folium.Popup(popup_html(i))).add_to(mc)
        else:
            FastMarkerCluster([[i.place.lat, i.place.lon] for i in pts]).add_to(m)
        return m

    for kind in ("Marker+Popup", "MarkerCluster", "FastMarkerCluster"):
        t = time.perf_counter()
        m = build(kind)
        path = out / f"baseline-{kind}.html"
        m.save(str(path))
        write_s = time.perf_counter() - t
        ready = ready_baseline(browser, path, len(pts) if kind == "Marker+Popup" else None,
                               cache, timeout_s)
        rows.append((kind, len(pts), path.stat().st_size, write_s, ready))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--baseline-timeout", type=float, default=90.0)
    ap.add_argument("--interleave", type=int, default=5, metavar="N",
                    help="then open mapper's 10,000-incident page and FastMarkerCluster's in "
                         "turn N times each (fair on a shared machine); 0 to skip")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from mapper.render.page import map_html, render_map, write_map

    gaz = AreaGazetteer()
    print(f"gazetteer: {gaz.real.path}; stand-in polygons for: {gaz.stand_in or 'none'}")
    out = Path(tempfile.mkdtemp(prefix="mapper-bench-"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in [int(s) for s in args.sizes.split(",")]:
            incs = synthetic(n)
            warnings.simplefilter("ignore")
            render_map(incs[:50], gazetteer=gaz, tiles="none")  # warm caches (imports, basemap)
            for inline in (False, True):
                runs, cpu = [], []
                for _ in range(3):  # median of 3: the machine is shared
                    t, c = time.perf_counter(), time.process_time()
                    page = map_html(render_map(incs, gazetteer=gaz, tiles="none", inline=inline))
                    runs.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                one_s = statistics.median(runs)
                t = time.perf_counter()
                paths = write_map(incs, out / f"n{n}-{int(inline)}", gazetteer=gaz, tiles="none",
                                  inline=inline)
                all_s = time.perf_counter() - t
                html_b, gj_b = len(page.encode("utf-8")), paths["geojson"].stat().st_size
                budget = 1.5 * gj_b + 300_000
                label = "--inline (one file)" if inline else "Leaflet linked (lib/ or CDN)"
                print(f"\n== mapper, {n:,} incidents, {label}")
                print(f"map.html {html_b / 1e6:.2f} MB; incidents.geojson {gj_b / 1e6:.2f} MB; "
                      f"ratio {html_b / gj_b:.2f}; budget 1.5x+300KB = {budget / 1e6:.2f} MB "
                      f"({'OK' if html_b <= budget else 'OVER'})")
                print(f"write map.html (render_map + html, median of 3) {one_s:.2f} s wall, "
                      f"{statistics.median(cpu):.2f} s CPU [{', '.join(f'{r:.2f}' for r in runs)}]"
                      f"; write_map (map + embed + geojson + lib) {all_s:.2f} s; "
                      f"load average {os.getloadavg()[0]:.1f}")
                if inline:
                    ready, extra = ready_mapper(browser, paths["map"])
                    print(f"ready in Chromium (median of 3) {ready / 1000:.2f} s; "
                          f"popup {extra['popup_ms']:.0f} ms (opened: {extra['popup_ok']}); "
                          f"time filter {extra['filter_ms']:.0f} ms "
                          f"(filter+redraw in JS {extra['filter_internal_ms']:.0f} ms)")
                    print(f"  cards and search text ready at {extra['records_at'] / 1000:.2f} s")
                    print(f"  category toggle {extra['category_ms']:.0f} ms; timeline play step "
                          f"{extra['play_step_ms']:.0f} ms; density view {extra['density_ms']:.0f} ms;"
                          f" regions view {extra['regions_ms']:.0f} ms; back to points "
                          f"{extra['points_ms']:.0f} ms")
                    tm = extra["timings"]
                    print(f"  of which: HTML read+parse until the script runs "
                          f"{tm['start'] / 1000:.2f} s, JSON.parse {tm['parse'] / 1000:.2f} s, "
                          f"first draw and panels {tm['init'] / 1000:.2f} s (first run)")
        if not args.no_baselines:
            incs = synthetic(10_000)
            print(f"\n== folium baselines, 10,000 incidents ({sum(1 for i in incs if i.place.lat)} "
                  "points), ready timeout {:.0f} s".format(args.baseline_timeout))
            for kind, npts, size, write_s, ready in baselines(incs, out, browser, args.baseline_timeout):
                r = f"{ready / 1000:.2f} s" if ready is not None else f"> {args.baseline_timeout:.0f} s (timed out)"
                print(f"{kind:18s} HTML {size / 1e6:.2f} MB  write {write_s:.2f} s  ready {r}")
            mine, fmc = out / "n10000-1" / "map.html", out / "baseline-FastMarkerCluster.html"
            if args.interleave and mine.exists() and fmc.exists():
                a, b = [], []
                for _ in range(args.interleave):
                    a.append(ready_mapper(browser, mine, runs=1)[0])
                    b.append(ready_baseline(browser, fmc, None, npm_cache(),
                                            args.baseline_timeout) or float("nan"))
                ma, mb = statistics.median(a), statistics.median(b)
                print(f"\ninterleaved, 10,000 incidents, median of {args.interleave}: mapper "
                      f"{ma / 1000:.2f} s, FastMarkerCluster {mb / 1000:.2f} s; budget 1.25 x + "
                      f"0.3 s = {(1.25 * mb + 300) / 1000:.2f} s "
                      f"({'OK' if ma <= 1.25 * mb + 300 else 'OVER'}); load average "
                      f"{os.getloadavg()[0]:.1f}")
        browser.close()
    print(f"\nfiles in {out}")


if __name__ == "__main__":
    main()
