"""The choropleth per district (admin2) where the gazetteer has district outlines.

A fixture gazetteer (tests/data/gazetteer-fixture.json.gz) gets two hand-drawn test districts
in Kursk Oblast through the real ``mapper gazetteer import`` path
(tests/data/admin2-kursk-test.geojson, ``--kind admin2``); its US counties are admin2 places
with no outline, which must not be drawn. Pages open in Chromium with the network blocked.
"""
from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path

import pytest

from mapper.incidents.model import Incident, Location
from mapper.render.records import build_map_data
from mapper.render.page import write_map
from test_map_browser import browser, page  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent
DISTRICTS = ROOT / "data" / "admin2-kursk-test.geojson"
GLUSHKOVO_D = "adm2:admin2-kursk-test:TEST-KRS-01"
SUDZHA_D = "adm2:admin2-kursk-test:TEST-KRS-02"
# (name, lat, lon, district id or None): real GeoNames points of the fixture gazetteer
PLACES = [("Tyotkino", 51.28128, 34.29382, GLUSHKOVO_D),
          ("Glushkovo", 51.34066, 34.63915, GLUSHKOVO_D),
          ("Sudzha", 51.191, 35.271, SUDZHA_D), ("Kursk", 51.72689, 36.18457, None)]
WINDOW = "(() => {{ const a = window.mapperApp; a.setWindow({}, {}, true); }})()"


@pytest.fixture(scope="module")
def district_gazetteer(small_gazetteer_path, tmp_path_factory):
    from mapper.gazetteer.importer import import_files
    from mapper.gazetteer.store import Gazetteer

    path = tmp_path_factory.mktemp("districts") / "gazetteer.sqlite"
    shutil.copyfile(small_gazetteer_path, path)
    assert import_files(path, [DISTRICTS], kind="admin2") == {"areas": 2}
    with Gazetteer.open(path) as gaz:
        yield gaz


def _incidents() -> list[Incident]:
    incs = []
    for k in range(12):
        name, lat, lon, _ = PLACES[k % len(PLACES)]
        incs.append(Incident(id=f"d-{k:02d}", date=dt.date(2024, 3, 1 + k),
                             category=("raid", "shelling")[k % 2],
                             summary=f"Test incident {k} near {name}.",
                             place=Location(name=name, lat=lat, lon=lon,
                                            geo_precision="settlement")))
    # a place that is the district itself: drawn as its area and counted in it
    incs.append(Incident(id="d-area", date=dt.date(2024, 3, 20), category="raid",
                         summary="Shelling across the district.",
                         place=Location(name="Sudzha test district", place_id=SUDZHA_D)))
    return incs


def _expected(incs, keep=lambda i: True) -> dict[str, int]:
    where = {name: d for name, _, _, d in PLACES}
    out: dict[str, int] = {}
    for i in incs:
        d = SUDZHA_D if i.id == "d-area" else where[i.place.name]
        if d and keep(i):
            out[d] = out.get(d, 0) + 1
    return out


def test_districts_with_outlines_get_counts_points_do_not(district_gazetteer):
    incs = _incidents()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = build_map_data(incs, gazetteer=district_gazetteer)
    feats = data["districts"]["features"]
    assert [f["properties"]["id"] for f in feats] == [GLUSHKOVO_D, SUDZHA_D]
    assert feats[0]["properties"]["name"] == "Glushkovo test district"
    counts: dict[str, int] = {}
    for rec in data["incidents"]:
        if "a2" in rec:
            pid = feats[rec["a2"]]["properties"]["id"]
            counts[pid] = counts.get(pid, 0) + 1
        assert "_a2" not in rec
    assert counts == _expected(incs)
    # an admin2 place known only as a point (the fixture's US counties have no outline) counts
    # towards no district, and no district is drawn for it
    county = Incident(id="c-1", date=dt.date(2024, 3, 1), category="raid", summary="County.",
                      place=Location(name="Washington County", place_id="adm2:US-01129"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = build_map_data([county], gazetteer=district_gazetteer)
    assert data["districts"]["features"] == []
    assert "a2" not in data["incidents"][0]


def test_district_choropleth_in_chromium(page, district_gazetteer, tmp_path):
    incs = _incidents()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = write_map(incs, tmp_path / "m", gazetteer=district_gazetteer, tiles="none",
                          inline=True)
    p = page(width=1280, height=800).open(paths["map"])

    def shown():
        p.settle()
        return p.page.evaluate(
            "(() => { const a = window.mapperApp, lv = a.regionLevels[a.regionLevelShown - 1];"
            " const out = {}; lv.feats.forEach((f, j) => { if (a.regionLevels[1].looks[j] &&"
            " lv.level === 2) out[f.properties.id] = lv.count[j]; });"
            " return {level: a.regionLevelShown, counts: out, shown: a.regionsShown}; })()")

    # the level switch is offered (the gazetteer has district outlines); "Districts" counts
    p.page.locator('input[data-level="2"]').check()
    st = shown()
    assert st["level"] == 2 and st["counts"] == _expected(incs) and st["shown"] == 2
    legend = p.page.locator(".mapper-view-legend").inner_text()
    assert "Incidents per district" in legend
    assert "known only as a point are not drawn" in legend
    # Kursk city lies in no drawn district: the legend says how many such incidents are shown
    assert "3 shown incidents are in no district drawn" in legend
    # the counts follow the layer and time filters
    p.page.locator('input[data-layer="cat"][data-name="shelling"]').uncheck()
    st = shown()
    assert st["counts"] == _expected(incs, lambda i: i.category != "shelling")
    p.page.locator('input[data-layer="cat"][data-name="shelling"]').check()
    p.page.evaluate(WINDOW.format("a.days[0]", "a.days[0] + 5"))
    first = dt.date(2024, 3, 1)
    st = shown()
    assert st["counts"] == _expected(incs, lambda i: (i.date - first).days <= 5)
    p.page.evaluate(WINDOW.format("a.days[0]", "a.days[1]"))
    # "By zoom": first-level regions when zoomed out, districts from zoom 8
    p.page.locator('input[data-level="auto"]').check()
    for zoom, level in ((7, 1), (9, 2)):
        p.page.evaluate(f"void window.mapperApp.map.setView([51.3, 34.8], {zoom}, {{animate: false}})")
        assert shown()["level"] == level, zoom
    assert "level=" not in p.page.evaluate("location.hash")
    p.page.locator('input[data-level="2"]').check()
    p.settle()
    assert "level=2" in p.page.evaluate("location.hash")
    # the hover tip names the district and its count
    p.page.evaluate("void window.mapperApp.map.setView([51.35, 34.5], 9, {animate: false})")
    p.settle()
    pt = p.page.evaluate("(() => { const m = window.mapperApp.map, c = m.latLngToContainerPoint("
                         "[51.45, 34.45]), r = m.getContainer().getBoundingClientRect();"
                         " return [r.left + c.x, r.top + c.y]; })()")
    p.page.mouse.move(*pt)
    tip = p.page.locator(".mapper-tip")
    tip.wait_for(timeout=3000)
    assert tip.inner_text() == f"Glushkovo test district: {_expected(incs)[GLUSHKOVO_D]} incidents"
    assert not p.errors, p.errors


def test_no_level_switch_without_district_outlines(page, small_gazetteer, tmp_path):
    incs = _incidents()[:-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = write_map(incs, tmp_path / "m", gazetteer=small_gazetteer, tiles="none",
                          inline=True)
    p = page(width=1280, height=800).open(paths["map"])
    assert p.page.locator("input[data-level]").count() == 0
    p.page.locator('input[data-view="regions"]').check()
    p.settle()
    assert p.page.evaluate("window.mapperApp.regionLevelShown") == 1
    assert "Incidents per region" in p.page.locator(".mapper-view-legend").inner_text()
    assert not p.errors, p.errors
