"""Screenshots of the map's views for the README, taken in headless Chromium, network blocked.

    python docs/screenshots.py            # writes docs/screenshots/*.png

Maps: the seed incidents (``seeds/``, the real data), and 2,000 synthetic incidents from the map
benchmark (``bench/bench_map.py``) for the views that need many incidents (regions, density,
timeline); the district choropleth uses the tests' fixture gazetteer with two hand-drawn test
districts imported (tests/test_map_districts.py). Phone: 390x844; desktop: 1280x800.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

OUT = ROOT / "docs" / "screenshots"
PHONE, DESKTOP = (390, 844), (1280, 800)


def main() -> None:
    """Write every screenshot into docs/screenshots/."""
    from bench_map import synthetic
    from playwright.sync_api import sync_playwright
    from test_render import make_incidents

    from mapper.gazetteer.access import open_gazetteer
    from mapper.incidents.io import read_incidents
    from mapper.incidents.model import Incident, Location, Source
    from mapper.render.page import write_map
    from mapper.render.picture import write_png

    gaz = open_gazetteer()
    tmp = Path(tempfile.mkdtemp(prefix="mapper-shots-"))
    warnings.simplefilter("ignore")
    seeds = write_map(list(read_incidents([ROOT / "seeds"], gazetteer=gaz)), tmp / "seeds",
                      gazetteer=gaz, title="Cross-border raids (seed articles)", tiles="none",
                      inline=True)
    many = write_map(synthetic(2000), tmp / "many", gazetteer=gaz,
                     title="2,000 synthetic incidents", tiles="none", inline=True)
    villages = make_incidents()  # the tests' hand-written border villages, plus a stack
    for k in range(6):
        villages.append(Incident(
            id=f"stack-{k}", date=dt.date(2024, 3, 3 + 4 * k), category=("shelling", "raid")[k % 2],
            summary=f"Shelling report {k} from the same village.",
            place=Location(name="Krasna Yaruga", lat=50.70, lon=35.67, geo_precision="settlement"),
            sources=[Source(outlet="Border Courier", url="https://news.example.org/border")]))
    stacked = write_map(villages, tmp / "villages", gazetteer=gaz, title="Border villages",
                        tiles="none", inline=True)
    districts = write_map(_district_incidents(), tmp / "districts",
                          gazetteer=_district_gazetteer(tmp), title="Test districts (fixture)",
                          tiles="none", inline=True)
    OUT.mkdir(parents=True, exist_ok=True)
    write_png(seeds["map"], OUT / "picture.png", width=1000, height=620)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])

        def shot(paths, size, name, script=None, hash_=""):
            ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
            page = ctx.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:", "about:")) else r.abort())
            page.goto(paths["map"].resolve().as_uri() + hash_)
            page.wait_for_function("window.mapperReady === true", timeout=30000)
            if script:
                page.evaluate(script)
            page.wait_for_timeout(700)
            page.screenshot(path=str(OUT / f"{name}.png"))
            ctx.close()
            print("wrote", OUT / f"{name}.png")

        open_card = ("(() => { const a = window.mapperApp; a.toggleList(true);"
                     " document.querySelector('.mapper-list-item[data-incident-id="
                     "\"tyotkino-warehouses-2024-03-14\"]').click(); })()")
        shot(seeds, DESKTOP, "desktop-points")
        shot(seeds, DESKTOP, "desktop-popup", open_card)
        shot(seeds, PHONE, "phone-points")
        shot(seeds, PHONE, "phone-popup", open_card)
        shot(seeds, PHONE, "phone-filters", "window.mapperApp.setPanelOpen(true)")
        shot(many, DESKTOP, "desktop-regions", "window.mapperApp.setView('regions')")
        shot(many, DESKTOP, "desktop-density", "window.mapperApp.setView('density')")
        shot(many, PHONE, "phone-regions", "window.mapperApp.setView('regions')")
        stack = ("(() => { const a = window.mapperApp;"
                 " const j = a.inc.findIndex(r => r.id === 'stack-0');"
                 " a.map.setView([a.inc[j].lat, a.inc[j].lon], 11, {animate: false});"
                 " a.setWindow(a.days[0], a.days[0] + 20, true); a.spiderfy(a.loc[j]); })()")
        shot(stacked, DESKTOP, "desktop-spiderfy", stack)
        shot(seeds, DESKTOP, "desktop-labels",
             "void window.mapperApp.map.setView([51.33, 34.75], 10, {animate: false})")
        shot(districts, DESKTOP, "desktop-districts",
             "void window.mapperApp.map.setView([51.28, 34.85], 9, {animate: false})",
             "#show=regions")
        browser.close()


def _district_gazetteer(tmp: Path):
    """The tests' fixture gazetteer with the two hand-drawn test districts imported."""
    from mapper.gazetteer.build import build
    from mapper.gazetteer.importer import import_files
    from mapper.gazetteer.sources import fixture_sources
    from mapper.gazetteer.store import Gazetteer

    path = tmp / "fixture-districts.sqlite"
    build(path, sources=fixture_sources(ROOT / "tests" / "data" / "gazetteer-fixture.json.gz"))
    import_files(path, [ROOT / "tests" / "data" / "admin2-kursk-test.geojson"], kind="admin2")
    return Gazetteer.open(path)


def _district_incidents():
    from test_map_districts import _incidents

    return _incidents()


if __name__ == "__main__":
    main()
