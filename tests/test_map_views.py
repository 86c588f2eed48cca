"""The map for readers, in a real headless Chromium: phone and desktop layouts, public popups,
offline place labels, the at-a-glance views (regions, density, timeline, spiderfy), the picture
(``--png`` and the Download PNG button), the notebook view and an axe-core accessibility audit.

Pages are written with ``inline=True`` and opened with the network blocked (see
test_map_browser.py for the ``Page`` helper).
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

from mapper.incidents.model import Claim, Incident, Location, Source
from mapper.render.page import render_map, write_map
from test_map_browser import _seed_incidents, browser, page  # noqa: F401  (fixtures)
from test_render import KI, make_incidents

pytestmark = pytest.mark.browser

PHONE, DESKTOP = (390, 844), (1280, 800)
# every panel the page may show; none may overlap another
PANELS = (".mapper-header", ".leaflet-control-zoom", ".mapper-fullscreen-control",
          ".mapper-list-control", ".mapper-png-control", ".mapper-panel-wrap",
          ".mapper-panel", ".mapper-list", ".mapper-legend", ".mapper-timeline",
          ".leaflet-control-attribution", ".leaflet-control-scale")
INTERNAL = re.compile(r"\b(?:gn|adm[012]|zone):[\w:-]+|Resolved:|Place id:")


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory, gazetteer):
    out = tmp_path_factory.mktemp("seedsviews")
    incs = _seed_incidents(gazetteer)
    paths = write_map(incs, out, gazetteer=gazetteer, title="Cross-border raids", tiles="none",
                      inline=True)
    return paths, incs


@pytest.fixture(scope="module")
def village_page(tmp_path_factory, gazetteer):
    """The realistic set plus five incidents at one village (for spiderfy)."""
    out = tmp_path_factory.mktemp("villages")
    incs = make_incidents()
    for k in range(5):
        incs.append(Incident(
            id=f"stack-{k}", date=dt.date(2024, 3, 3 + 4 * k), category=("shelling", "raid")[k % 2],
            summary=f"Shelling report {k} from the same village.",
            place=Location(name="Krasna Yaruga", lat=50.70, lon=35.67, geo_precision="settlement",
                           resolution="gazetteer: exact name"),
            claims=[Claim(by="Regional governor", statement="Shells hit houses.")],
            sources=[Source(outlet="Border Courier", url=KI, quote="Shells hit houses.")]))
    paths = write_map(incs, out, gazetteer=gazetteer, title="Border villages", tiles="none",
                      inline=True)
    return paths, incs


def _rects(p) -> dict[str, list[dict]]:
    return p.page.evaluate(
        """sels => { const out = {};
        for (const s of sels) { out[s] = Array.from(document.querySelectorAll(s))
          .filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
          .map(e => { const r = e.getBoundingClientRect();
            return {l: r.left, t: r.top, r: r.right, b: r.bottom}; })
          .filter(r => r.r - r.l > 0 && r.b - r.t > 0); }
        return out; }""", list(PANELS))


def _overlaps(p) -> list[str]:
    rects = [(s, r) for s, rs in _rects(p).items() for r in rs]
    bad = []
    for i, (sa, a) in enumerate(rects):
        for sb, b in rects[i + 1:]:
            if sa == sb or {sa, sb} == {".mapper-panel-wrap", ".mapper-panel"}:
                continue
            if a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 \
                    and b["t"] < a["b"] - 0.5:
                bad.append(f"{sa} {a} / {sb} {b}")
    return bad


def _resize(p, w, h):
    p.page.set_viewport_size({"width": w, "height": h})
    p.page.wait_for_function(f"window.mapperApp.map.getSize().x === {w}", timeout=5000)
    p.page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _open_from_list(p, incident_id):
    if p.page.locator(".mapper-list").is_hidden():
        p.page.locator(".mapper-list-button").click()
    p.page.locator(f'.mapper-list-item[data-incident-id="{incident_id}"]').click()
    popup = p.page.locator(f'.leaflet-popup:has(article[data-incident-id="{incident_id}"])')
    popup.wait_for(timeout=5000)
    p.page.wait_for_timeout(400)  # autopan
    return popup


def _popup_clear(p) -> dict:
    """The popup's box, whether it lies inside the viewport, and points of it covered by
    anything that is not the popup (sampled on a grid)."""
    return p.page.evaluate(
        """() => { const el = document.querySelector('.leaflet-popup');
        const r = el.getBoundingClientRect(), W = innerWidth, H = innerHeight, covered = [];
        for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
          const x = r.left + r.width * i / 8, y = r.top + r.height * j / 8;
          const hit = document.elementFromPoint(x, y);
          if (!hit || !el.contains(hit)) covered.push([Math.round(x), Math.round(y),
            hit ? hit.className : null]); }
        return {inside: r.left >= 0 && r.top >= 0 && r.right <= W && r.bottom <= H,
                box: [r.left, r.top, r.right, r.bottom], covered: covered}; }""")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_popup_from_the_list_is_in_view_uncovered_and_public(page, seeds_page, size):
    paths, incs = seeds_page
    p = page(width=size[0], height=size[1]).open(paths["map"])
    assert not _overlaps(p), _overlaps(p)
    phone = size == PHONE
    assert p.page.evaluate("document.querySelector('.mapper-legend').open") is (not phone)
    for inc in incs:
        popup = _open_from_list(p, inc.id)
        clear = _popup_clear(p)
        assert clear["inside"], (inc.id, clear)
        assert not clear["covered"], (inc.id, clear)
        assert p.page.locator(".mapper-list").is_hidden() if phone else True
        text = popup.inner_text()
        assert inc.id not in text and not INTERNAL.search(text), text
        assert "Verification:" in text and "Where:" in text and "When:" in text
        if inc.sources and inc.sources[0].quote:
            assert " ".join(inc.sources[0].quote.split())[:30] in " ".join(text.split())
        # the editor's details are one click away
        popup.locator("details.mapper-details > summary").click()
        assert inc.id in popup.inner_text()
        assert not _overlaps(p), _overlaps(p)
        p.page.evaluate("void window.mapperApp.map.closePopup()")
    if phone:  # every control is a 44 px touch target
        small = p.page.evaluate(
            """() => Array.from(document.querySelectorAll('.leaflet-bar a, .mapper-panel-toggle,'
              + ' .mapper-play, .mapper-sheet-close')).filter(e => e.offsetParent !== null)
              .map(e => [e.className, e.getBoundingClientRect().width, e.getBoundingClientRect().height])
              .filter(x => x[1] < 44 || x[2] < 44)""")
        assert not small, small
    assert not p.errors, p.errors


def test_no_two_panels_overlap_from_320px(page, seeds_page):
    paths, _ = seeds_page
    p = page(width=1280, height=800).open(paths["map"])
    for w, h in ((320, 568), (360, 640), (390, 844), (600, 900), (699, 800), (700, 800),
                 (900, 700), (1280, 800), (1600, 900)):
        _resize(p, w, h)
        for state in ("closed", "filters", "list"):
            p.page.evaluate("(s) => { const a = window.mapperApp; a.toggleList(s === 'list');"
                            " a.setPanelOpen(s === 'filters'); }", state)
            p.page.wait_for_timeout(50)
            bad = _overlaps(p)
            assert not bad, (w, h, state, bad)
            sw = p.page.evaluate("document.documentElement.scrollWidth")
            assert sw <= w, (w, state, sw)
    assert not p.errors, p.errors


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum()).lower()


def test_offline_basemap_labels_towns_near_tyotkino_and_sumy(page, seeds_page):
    paths, _ = seeds_page
    p = page(width=1280, height=800).open(paths["map"])
    assert not p.blocked or all(not u.startswith("file:") for u in p.blocked)

    def shown(lat, lon, zoom):
        p.page.evaluate("([a, b, z]) => { window.mapperApp.map.setView([a, b], z, {animate: false}); }",
                        [lat, lon, zoom])
        p.page.wait_for_timeout(150)
        return {_norm(n) for n in p.page.evaluate("window.mapperApp.labels.shown")}

    near = shown(51.28, 34.45, 10)  # Tyotkino
    assert {"rylsk", "glushkovo"} <= near, sorted(near)[:40]
    assert "sumy" in shown(50.91, 34.80, 8)
    # the labels are text on a canvas: no name reaches the DOM
    assert "Glushkovo" not in p.page.evaluate("document.body.innerText")
    assert not p.errors, p.errors


def test_labels_show_local_names_and_never_overlap(page, seeds_page):
    """English with the local-script name under it by default ("Rylsk" / "Рыльск"), local
    only or English only from the Layers panel (kept in the URL); no two label boxes overlap."""
    paths, _ = seeds_page
    p = page(width=1280, height=800).open(paths["map"])

    def labels(lat=51.28, lon=34.45, zoom=10):
        p.page.evaluate("([a, b, z]) => { window.mapperApp.map.setView([a, b], z, {animate: false}); }",
                        [lat, lon, zoom])
        p.page.wait_for_timeout(150)
        return p.page.evaluate("(() => { const l = window.mapperApp.labels; return {shown: l.shown,"
                               " second: l.shownSecond, boxes: l.boxes}; })()")

    def overlapping(boxes):
        return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]

    got = labels()
    assert {"Рыльск", "Глушково"} <= set(got["second"]), got["second"]
    assert {"rylsk", "glushkovo"} <= {_norm(n) for n in got["shown"]}
    for lat, lon, zoom in ((51.28, 34.45, 10), (51.0, 35.5, 8), (50.9, 35.0, 9), (51.3, 34.6, 12)):
        assert not overlapping(labels(lat, lon, zoom)["boxes"]), (lat, lon, zoom)
    # local names instead of the English ones, from the Layers panel
    p.page.select_option(".mapper-label-language select", "local")
    p.settle()
    got = labels()
    assert "Рыльск" in got["shown"] and "rylsk" not in {_norm(n) for n in got["shown"]}
    assert not got["second"] and not overlapping(got["boxes"])
    assert "labels=local" in p.page.evaluate("location.hash")
    # English only, from a link
    p2 = page(width=1280, height=800).open(paths["map"], "#labels=en")
    p2.page.evaluate("void window.mapperApp.map.setView([51.28, 34.45], 10, {animate: false})")
    p2.page.wait_for_timeout(150)
    shown = p2.page.evaluate("window.mapperApp.labels.shown")
    assert "rylsk" in {_norm(n) for n in shown}
    assert not re.search("[\u0400-\u04ff]", " ".join(shown))
    assert not p2.page.evaluate("window.mapperApp.labels.shownSecond")
    assert not p.errors and not p2.errors, p.errors + p2.errors


def test_basemap_draws_lakes_and_credits_openstreetmap(page, seeds_page):
    """The Kurchatov reservoir near Kursk is painted in the water colour, credited on the map."""
    paths, _ = seeds_page
    p = page(width=1280, height=800).open(paths["map"])
    assert p.page.evaluate("window.mapperApp.data.basemap.lakes.features.length") > 0
    p.page.evaluate("void window.mapperApp.map.setView([51.686, 35.672], 12, {animate: false})")
    p.page.wait_for_timeout(200)
    # the basemap canvas at the reservoir's centre: water blue (#cfdde8), not land (#f3f1ec)
    rgb = p.page.evaluate(
        "(() => { const m = window.mapperApp.map, c = m.getPane('mapperBase').querySelector('canvas');"
        " const r = c.getBoundingClientRect(), q = m.latLngToContainerPoint([51.686, 35.672]),"
        " k = m.getContainer().getBoundingClientRect(), s = c.width / r.width;"
        " const d = c.getContext('2d').getImageData(Math.round((k.left + q.x - r.left) * s),"
        " Math.round((k.top + q.y - r.top) * s), 1, 1).data; return [d[0], d[1], d[2]]; })()")
    assert rgb == [0xcf, 0xdd, 0xe8], rgb
    assert "OpenStreetMap" in p.page.locator(".leaflet-control-attribution").inner_text()
    assert not p.errors, p.errors


def test_choropleth_counts_follow_the_filters(page, village_page, gazetteer):
    paths, incs = village_page
    p = page(width=1280, height=800).open(paths["map"])
    p.page.locator('input[data-view="regions"]').check()
    p.settle()
    st = p.page.evaluate("(() => { const a = window.mapperApp; return {shown: a.regionsShown,"
                         " counts: Array.from(a.regionCount), names: a.regions}; })()")
    assert st["shown"] >= 1
    by_name = {st["names"][k]: c for k, c in enumerate(st["counts"]) if c}
    for region, name in (("adm1:RU-BEL", "Belgorod Oblast"), ("adm1:RU-KRS", "Kursk Oblast")):
        inside = sum(gazetteer.contains(region, i.place.lat, i.place.lon) for i in incs)
        assert inside and by_name.get(name) == inside, (name, inside, by_name)
    legend = p.page.locator(".mapper-view-legend").inner_text()
    assert "Incidents per region" in legend
    p.page.locator('input[data-layer="cat"][data-name="shelling"]').uncheck()
    p.settle()
    after = p.page.evaluate("Array.from(window.mapperApp.regionCount)")
    assert sum(after) == sum(st["counts"]) - sum(i.category == "shelling" for i in incs)
    assert p.page.evaluate("window.mapperApp.drawn.points") == 0  # regions replace the dots
    assert "show=regions" in p.page.evaluate("location.hash")
    assert not p.errors, p.errors


def test_density_view_draws_every_visible_incident(page, village_page):
    paths, incs = village_page
    p = page(width=1280, height=800).open(paths["map"])
    p.page.locator('input[data-view="density"]').check()
    p.settle()
    drawn = p.page.evaluate("window.mapperApp.drawn")
    assert drawn["density"] == len(incs) and drawn["densityMax"] > 0
    painted = p.page.evaluate(
        "(() => { const c = window.mapperApp.points._canvas; const d = c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
        " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()")
    assert painted > 500
    assert "Incident density" in p.page.locator(".mapper-view-legend").inner_text()
    assert not p.errors, p.errors


def test_timeline_histogram_brush_and_play(page, village_page):
    paths, incs = village_page
    p = page(width=1280, height=800).open(paths["map"])
    tl = p.page.evaluate("(() => { const t = window.mapperApp.timeline;"
                         " return {bin: t.bin, n: t.nBins, counts: Array.from(t.counts)}; })()")
    assert tl["bin"] == 1 and sum(tl["counts"]) == len(incs)
    # brush: drag across the first week of the histogram
    box = p.page.locator(".mapper-histogram").bounding_box()
    x0, y = box["x"] + 2, box["y"] + box["height"] / 2
    x1 = box["x"] + box["width"] * 7 / tl["n"] - 1
    p.page.mouse.move(x0, y)
    p.page.mouse.down()
    p.page.mouse.move(x1, y, steps=4)
    p.page.mouse.up()
    p.settle()
    st = p.state()
    assert st["window"][0] == "2024-03-01" and st["window"][1] <= "2024-03-07", st["window"]
    assert p.page.locator("input.mapper-from").input_value() == str(
        (dt.date.fromisoformat(st["window"][0]) - dt.date(1970, 1, 1)).days)
    # play steps the window forward; each step is applied at once
    p.page.locator(".mapper-play").click()
    assert p.page.locator(".mapper-play").get_attribute("aria-pressed") == "true"
    p.page.wait_for_function("window.mapperApp.timeline.steps >= 3", timeout=10000)
    p.page.locator(".mapper-play").click()
    after = p.state()
    assert after["window"][0] > st["window"][0]
    assert after["lastFilterMs"] < 200
    assert not p.errors, p.errors


def test_spiderfy_spreads_incidents_at_one_place(page, village_page):
    paths, incs = village_page
    p = page(width=1280, height=800).open(paths["map"])
    stack = [i for i in incs if i.place.lat == 50.70 and i.place.lon == 35.67]
    assert len(stack) >= 5

    def screen(lat, lon):
        return p.page.evaluate(
            "([a, b]) => { const m = window.mapperApp.map, c = m.latLngToContainerPoint([a, b]),"
            " r = m.getContainer().getBoundingClientRect(); return [c.x + r.left, c.y + r.top]; }",
            [lat, lon])
    p.page.evaluate("void window.mapperApp.map.setView([50.70, 35.67], 13, {animate: false})")
    p.page.wait_for_timeout(200)
    x, y = screen(50.70, 35.67)
    p.page.mouse.click(x, y)
    p.page.wait_for_function("window.mapperApp.drawn.spider > 0", timeout=5000)
    assert p.page.evaluate("window.mapperApp.drawn.spider") == len(stack)
    legs = p.page.evaluate("window.mapperApp.points._legs.map(l => [l.x, l.y, l.i])")
    assert len(legs) == len(stack)
    dists = [((lx - legs[0][0]) ** 2 + (ly - legs[0][1]) ** 2) ** 0.5 for lx, ly, _ in legs[1:]]
    assert min(dists) > 10  # spread apart, no longer one dot
    # a leg opens its own incident's card
    tl = p.page.evaluate("(() => { const a = window.mapperApp, t = a.points._topLeft, m = a.map;"
                         " const r = m.getContainer().getBoundingClientRect(); return [t.x, t.y, r.left, r.top,"
                         " m.layerPointToContainerPoint([0, 0]).x, m.layerPointToContainerPoint([0, 0]).y]; })()")
    lx, ly, li = legs[2]
    cx, cy = lx + tl[0] + tl[4] + tl[2], ly + tl[1] + tl[5] + tl[3]
    p.page.mouse.click(cx, cy)
    want = p.page.evaluate(f"window.mapperApp.inc[{li}].id")
    p.page.locator(f'.leaflet-popup-content article[data-incident-id="{want}"]').wait_for(timeout=5000)
    assert not p.errors, p.errors


def _pixels_summary(p, png: bytes) -> dict:
    """Distinct colours and the share of the most common one, decoded by the browser."""
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return p.page.evaluate(
        """url => new Promise(res => { const img = new Image(); img.onload = () => {
          const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          const x = c.getContext('2d'); x.drawImage(img, 0, 0);
          const d = x.getImageData(0, 0, c.width, c.height).data, seen = new Map();
          for (let i = 0; i < d.length; i += 16) { const k = (d[i] << 16) | (d[i+1] << 8) | d[i+2];
            seen.set(k, (seen.get(k) || 0) + 1); }
          let top = 0; for (const v of seen.values()) top = Math.max(top, v);
          res({w: img.width, h: img.height, colours: seen.size, top: top / (d.length / 16)}); };
          img.src = url; })""", url)


def test_png_command_and_download_button_give_real_pictures(page, seeds_page, tmp_path,
                                                            gazetteer_path):
    from click.testing import CliRunner

    from mapper.cli.main import cli

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    out_png = tmp_path / "map.png"
    res = CliRunner().invoke(cli, ["map", str(seeds), "-o", str(tmp_path / "out"), "--tiles",
                                   "none", "--png", str(out_png), "--width", "900",
                                   "--height", "600", "--gazetteer", str(gazetteer_path)])
    assert res.exit_code == 0, res.output
    data = out_png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    paths, _ = seeds_page
    p = page(width=1280, height=800).open(paths["map"])
    pic = _pixels_summary(p, data)
    assert (pic["w"], pic["h"]) == (900, 600)
    assert pic["colours"] > 50 and pic["top"] < 0.9, pic  # not blank, not one flat colour
    # the page's own button
    with p.page.expect_download() as dl:
        p.page.locator(".mapper-png-button").click()
    saved = tmp_path / "button.png"
    dl.value.save_as(saved)
    assert dl.value.suggested_filename == "Cross-border-raids.png"
    pic2 = _pixels_summary(p, saved.read_bytes())
    assert pic2["w"] >= 1280 and pic2["colours"] > 50 and pic2["top"] < 0.9, pic2
    assert not p.errors, p.errors


def test_png_without_chromium_is_one_line(tmp_path, monkeypatch, gazetteer_path):
    from click.testing import CliRunner

    from mapper.cli.main import cli

    monkeypatch.setenv("MAPPER_CHROMIUM", str(tmp_path / "no-such-browser"))
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    res = CliRunner().invoke(cli, ["map", str(seeds), "-o", str(tmp_path / "out"),
                                   "--png", str(tmp_path / "x.png"),
                                   "--gazetteer", str(gazetteer_path)])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Chromium" in lines[0] and "Traceback" not in res.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.png").exists()


def test_notebook_view_displays_offline(page, tmp_path, gazetteer):
    m = render_map(make_incidents(), gazetteer=gazetteer, tiles="none")
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + m._repr_html_() + "</body></html>",
                    encoding="utf-8")
    p = page(width=1000, height=900)
    p.page.goto(host.resolve().as_uri())
    frame = p.page.frames[1]
    frame.wait_for_function("window.mapperReady === true", timeout=15000)
    assert frame.evaluate("window.mapperApp.count") == len(make_incidents())
    assert not p.blocked, p.blocked
    assert not p.errors, p.errors


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_core_finds_no_serious_violation(page, seeds_page, size):
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright",
                                  reason="pip install axe-playwright-python")
    paths, incs = seeds_page
    p = page(width=size[0], height=size[1]).open(paths["map"])
    axe = axe_mod.Axe()

    def serious() -> list[str]:
        res = axe.run(p.page)
        return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: "
                f"{json.dumps([n['target'] for n in v['nodes']][:3])})"
                for v in res.response["violations"] if v.get("impact") in ("serious", "critical")]

    assert not serious(), serious()
    _open_from_list(p, incs[0].id)  # the list closes on a phone; the card is open
    assert not serious(), serious()
    p.page.evaluate("window.mapperApp.map.closePopup(); window.mapperApp.setPanelOpen(true);"
                    " window.mapperApp.setView('regions'); null")
    p.settle()
    assert not serious(), serious()
    assert not p.errors, p.errors


def test_big_maps_ship_their_data_deflated_and_split(page, tmp_path, monkeypatch):
    import mapper.render.blob as blob

    monkeypatch.setattr(blob, "RAW_JSON_MAX", 0)  # as a map over 4 MB of data would
    incs = make_incidents()
    a = write_map(incs, tmp_path / "a", tiles="none", inline=True)
    b = write_map(incs, tmp_path / "b", tiles="none", inline=True)
    html = a["map"].read_text(encoding="utf-8")
    assert html.count('data-encoding="deflate-base64"') == 2
    assert 'type="application/json"' not in html and "grain store" not in html
    assert html == b["map"].read_text(encoding="utf-8")  # deterministic
    p = page(width=1280, height=800).open(a["map"])
    assert p.state()["visible"] == len(incs)
    p.page.wait_for_function("window.mapperApp.recordsReady === true", timeout=10000)
    # the full records arrived: cards, list and full-text search work as on a small map
    popup = _open_from_list(p, "v-shelling-1")
    text = popup.inner_text()
    assert "grain store" in text and "Border Courier" in text and "Regional governor" in text
    p.page.evaluate("void window.mapperApp.map.closePopup()")
    p.page.locator(".mapper-panel-toggle").click() if p.page.locator(".mapper-search").is_hidden() \
        else None
    p.page.locator("input.mapper-search").fill("grain store")
    p.settle()
    assert p.visible_ids() == {"v-shelling-1"}
    assert not p.errors, p.errors
