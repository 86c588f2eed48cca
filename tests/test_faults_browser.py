"""Crafted map links (issue 15): an out-of-range ``#view=`` leaves the map usable."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's Chromium")
@pytest.mark.parametrize("view", ["1e308/0/0", "-1e308/1e308/-1e308", "5/1e300/-1e300",
                                  "99999/91/181"])
def test_out_of_range_view_hashes_are_clamped(tmp_path: Path, view: str, gazetteer,
                                              seeds_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    from mapper.incidents.io import read_incidents
    from mapper.render.page import write_map

    incs = read_incidents([seeds_dir / "incidents.yaml"], gazetteer=gazetteer)
    paths = write_map(incs, tmp_path / "m", gazetteer=gazetteer, tiles="none", inline=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:", "about:")) else r.abort())
            page.goto(paths["map"].resolve().as_uri() + "#view=" + view)
            page.wait_for_function("window.mapperReady === true", timeout=15000)
            zoom, lat, lng = page.evaluate(
                "(() => { const m = window.mapperApp.map, c = m.getCenter();"
                " return [m.getZoom(), c.lat, c.lng]; })()")
            assert 0 <= zoom <= 19 and -90 <= lat <= 90 and -180 <= lng <= 180
            page.evaluate("() => { window.mapperApp.map.setZoom(5, {animate: false}); }")
            assert page.evaluate("window.mapperApp.map.getZoom()") == 5
        finally:
            browser.close()
