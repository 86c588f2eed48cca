"""The map page without a browser: bytes, escaping, links, inline mode, embed, data blob.

Browser behaviour (clicks, filters, injection at run time) is in test_map_browser.py.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mapper.incidents.model import Claim, Incident, Location, Source, Verification
from mapper.render.page import MapWarning, render_map, map_html, write_map
from mapper.render.data import day_span, json_for_html, safe_url
from mapper.render.records import build_map_data

HERE = Path(__file__).resolve().parent
KI = "https://news.example.org/border-raids"
MT = "https://another.example.net/2024/03/incursion"


def load_payloads() -> list[str]:
    text = (HERE / "injection_payloads.txt").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("# ")]


def make_incidents() -> list[Incident]:
    """A realistic hand-written set around a border: villages with coordinates, ranges, months,
    several claimants and outlets, a denial, a confirmed incident and a draft."""
    def src(outlet, url, title, day, quote):
        return Source(outlet=outlet, url=url, title=title, published=dt.date(2024, 3, day),
                      quote=quote)
    rows = [
        ("v-shelling-1", "2024-03-02", None, "day", "Krasna Yaruga", 50.70, 35.67, "shelling",
         "Shells hit a grain store on the edge of the village.", ["Regional governor"], "KI"),
        ("v-drone-1", "2024-03-05", None, "day", "Tyotkino", 51.27, 34.38, "drone-strike",
         "A drone struck a fuel depot near the railway station.", ["Volunteer unit", "Ministry"], "MT"),
        ("v-raid-1", "2024-03-12", "2024-03-16", "day", "Lozovaya Rudka", 50.55, 36.95, "raid",
         "Armed groups crossed the border; fighting lasted several days.",
         ["Volunteer unit"], "KI"),
        ("v-capture-1", "2024-03-14", None, "day", "Gorkovsky", 50.45, 36.46, "capture",
         "A militia said it captured soldiers at a checkpoint.", ["Volunteer unit"], "both"),
        ("v-evac-1", "2024-03-01", None, "month", "Shebekino", 50.40, 36.89, "evacuation",
         "Officials announced the evacuation of children from the town.", ["Regional governor"], "MT"),
        ("v-clash-1", "2024-03-20", None, "approximate", "Spodaryushino", 50.61, 35.75, "clash",
         "Residents described a firefight at the edge of the village.", [], "KI"),
        ("v-explosion-1", "2024-03-25", None, "day", "Glushkovo", 51.34, 34.64, "explosion",
         "An explosion damaged a bridge over the river.", ["Ministry"], None),
        ("v-statement-1", "2024-03-28", None, "day", "Belgorod", 50.60, 36.59, "statement",
         "The governor presented figures on damaged houses.", ["Regional governor"], "KI"),
    ]
    out = []
    for (iid, d, de, dp, place, lat, lon, cat, summary, claimants, outlet) in rows:
        claims = [Claim(by=c, statement=summary, stance="denies" if c == "Ministry" and
                        cat == "drone-strike" else "asserts",
                        figures={"destroyed": 1} if cat == "drone-strike" else {},
                        quote=f"{c} said: {summary}", source_url=KI) for c in claimants]
        sources = []
        if outlet in ("KI", "both"):
            sources.append(src("Border Courier", KI, "Raids along the border", 16,
                               f"Reported: {summary}"))
        if outlet in ("MT", "both"):
            sources.append(src("Evening Ledger", MT, "What we know about the incursion", 18,
                               f"Locals said: {summary}"))
        out.append(Incident(
            id=iid, date=dt.date.fromisoformat(d), date_end=dt.date.fromisoformat(de) if de else None,
            date_precision=dp, place=Location(name=place, lat=lat, lon=lon, geo_precision="settlement",
                                              country_code="RU", admin1="Belgorod Oblast",
                                              resolution="gazetteer: exact name; admin1"),
            category=cat, summary=summary, claims=claims, sources=sources,
            verification=Verification(status="confirmed" if iid == "v-statement-1" else "unverified",
                                      by=["Border Courier"] if iid == "v-statement-1" else []),
            tags=["border"], confidence=0.6 if iid == "v-clash-1" else None,
            status="draft" if iid == "v-clash-1" else "reviewed"))
    return out


def blob_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="(mapper_data_[0-9a-f]+)">(.*?)</script>',
                  page, re.S)
    assert m, "data blob missing"
    return json.loads(m.group(2))


def outside_blob(page: str) -> str:
    return re.sub(r'<script type="application/json" id="mapper_data_[0-9a-f]+">.*?</script>', "",
                  page, flags=re.S)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.script_open = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.refs.append((tag, name, value))


def test_rerun_is_byte_identical(tmp_path):
    a = write_map(list(reversed(make_incidents())), tmp_path / "a", title="Border incidents", tiles="none")
    b = write_map(make_incidents(), tmp_path / "b", title="Border incidents",
                  tiles="none")
    for key in ("map", "embed"):  # the page does not depend on input order
        assert a[key].read_bytes() == b[key].read_bytes(), key
    again = write_map(make_incidents(), tmp_path / "again", title="Border incidents", tiles="none")
    for key in ("map", "embed", "geojson"):
        assert b[key].read_bytes() != b"" and b[key].read_bytes() == again[key].read_bytes(), key
    page = a["map"].read_text(encoding="utf-8")
    # no uuid-style ids anywhere: every element id comes from the content
    assert not re.search(r"[0-9a-f]{32}", page)
    # a different title gives different ids (content-derived), still stable
    c = write_map(make_incidents(), tmp_path / "c", title="Other", tiles="none")
    assert c["map"].read_bytes() != a["map"].read_bytes()


def test_every_field_is_escaped(tmp_path):
    payloads = load_payloads()
    assert len(payloads) >= 20
    incs = []
    for n, p in enumerate(payloads):
        incs.append(Incident(
            id=f"inj-{n}", date=dt.date(2024, 3, 1 + n % 28), category=p, summary=p,
            place=Location(name=p, lat=50.0 + n * 0.01, lon=36.0, admin1=p, resolution=p),
            claims=[Claim(by=p, statement=p, quote=p, source_url=p, figures={p: 1})],
            sources=[Source(outlet=p, title=p, url=p, author=p, quote=p, archive_url=p)],
            verification=Verification(status="unverified", by=[p], note=p), tags=[p]))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        page = map_html(render_map(incs, title=" | ".join(payloads), tiles="none", inline=True))
    rest = outside_blob(page)
    for p in payloads:
        if len(p) > 6 and "<" in p:
            assert p not in rest, f"payload reached markup unescaped: {p!r}"
    blob_text = re.search(r'id="mapper_data_[0-9a-f]+">(.*?)</script>', page, re.S).group(1)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in blob_text
    blob = blob_of(page)
    # the text survives the round trip exactly: the page shows it as text
    summaries = {r["summary"] for r in blob["incidents"]}
    assert summaries == set(payloads)
    assert blob["title"] == " | ".join(payloads)
    # the page <title> is HTML-escaped
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and ">" not in title
    # no payload text between <script> tags except the blob, mapper.js and Leaflet
    scripts = re.findall(r"<script>(.*?)</script>", rest, re.S)
    for code in scripts:
        assert "__pwned" not in code


def test_non_http_links_are_dropped_with_a_warning():
    inc = make_incidents()[0]
    inc.sources[0].url = "javascript:alert(1)"
    inc.sources[0].archive_url = "data:text/html,x"
    inc.claims[0].source_url = " JaVaScRiPt:alert(2)"
    with pytest.warns(MapWarning) as rec:
        data = build_map_data([inc])
    text = " ".join(str(w.message) for w in rec)
    assert "v-shelling-1" in text and "sources[0].url" in text and "claims[0].source_url" in text
    rec0 = data["incidents"][0]
    assert "url" not in rec0["sources"][0] and "archive_url" not in rec0["sources"][0]
    assert "url" not in rec0["claims"][0]
    # outlets named by the record stay; http(s) links stay
    ok = make_incidents()[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", MapWarning)
        data = build_map_data([ok])
    assert data["incidents"][0]["sources"][0]["url"] == MT


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=1#c", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("  javascript:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("//example.org/x", False), ("https:///nohost", False),
    ("https://example.org/\u2028x", False), ("ftp://example.org/f", False), ("", False),
])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) == ok


def test_inline_page_has_no_remote_script_or_style(tmp_path):
    paths = write_map(make_incidents(), tmp_path, title="Offline", tiles="OpenStreetMap",
                      inline=True)
    page = paths["map"].read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(outside_blob(page))
    remote = [r for r in parser.refs if r[0] in ("script", "link") and re.match(r"\s*(https?:)?//", r[2])]
    assert not remote, remote
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "code.jquery" not in page
    assert "sourceMappingURL" not in page
    # Leaflet itself is inside
    assert "L.version" in page or "Leaflet" in page
    # nothing fetched from CSS either; the only remote address left is the tile template, which
    # fails quietly offline and leaves the outline basemap visible
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page
    assert "tile.openstreetmap.org" in page


def test_cdn_page_pins_leaflet_with_integrity(tmp_path):
    page = map_html(render_map(make_incidents(), tiles="none", inline=False))
    parser = _Refs()
    parser.feed(outside_blob(page))
    remote = [r for r in parser.refs if r[0] in ("script", "link") and r[2].startswith("https:")]
    assert {r[0] for r in remote} == {"script", "link"}
    assert all("leaflet@1.9.4" in r[2] for r in remote)
    assert page.count('integrity="sha384-') == 2
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_written_pages_load_leaflet_from_beside_them(tmp_path):
    paths = write_map(make_incidents(), tmp_path, tiles="none")
    for key in ("map", "embed"):
        parser = _Refs()
        parser.feed(outside_blob(paths[key].read_text(encoding="utf-8")))
        scripts = {r[2] for r in parser.refs if r[0] in ("script", "link")}
        assert scripts == {"lib/leaflet.js", "lib/leaflet.css"}
    vendored = Path(__file__).resolve().parent.parent / "mapper" / "render" / "static" / "vendor" / "leaflet"
    assert (tmp_path / "lib" / "leaflet.js").read_bytes() == (vendored / "leaflet.js").read_bytes()
    assert (tmp_path / "lib" / "LICENSE").exists()


def test_embed_and_geojson_are_written(tmp_path):
    paths = write_map(make_incidents(), tmp_path, title="Embed me", tiles="none")
    assert {"map", "embed", "geojson", "lib/leaflet.js", "lib/leaflet.css"} <= set(paths)
    embed = paths["embed"].read_text(encoding="utf-8")
    full = paths["map"].read_text(encoding="utf-8")
    assert '{"embed": true});' in embed and '{"embed": false});' in full
    assert blob_of(embed) == blob_of(full)  # one data blob for both pages
    fc = json.loads(paths["geojson"].read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(make_incidents())
    assert paths["geojson"].read_text().endswith("\n")


def test_blob_carries_layers_dates_and_notes():
    data = build_map_data(make_incidents(), title="x")
    cats = [c["key"] for c in data["categories"]]
    from mapper.incidents.model import CATEGORIES

    assert cats == [c for c in CATEGORIES if c in cats]  # documented order, only those used
    assert set(cats) == {i.category for i in make_incidents()}
    assert len({c["color"] for c in data["categories"]}) == len(cats)
    # most frequent first, ties by name
    assert data["claimants"] == ["Regional governor", "Volunteer unit", "Ministry"]
    assert set(data["outlets"]) == {"Border Courier", "Evening Ledger"}
    by_id = {r["id"]: r for r in data["incidents"]}
    raid = by_id["v-raid-1"]
    assert raid["d1"] - raid["d0"] == 4  # 12..16 March
    evac = by_id["v-evac-1"]  # month precision: the whole of March
    assert (evac["d0"], evac["d1"]) == day_span(make_incidents()[4])
    assert evac["d1"] - evac["d0"] == 30
    clash = by_id["v-clash-1"]  # approximate: +/- a week
    assert clash["d1"] - clash["d0"] == 14
    assert "Claims not independently verified" in data["note"] and "draft" in data["note"]
    assert data["days"][0] == evac["d0"]
    # incidents are ordered by first day, so the client's list needs no sort
    firsts = [r["d0"] for r in data["incidents"]]
    assert firsts == sorted(firsts)


def test_json_for_html_escapes_breakouts():
    text = json_for_html({"a": "</script><!-- & \u2028\u2029 >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_unknown_tiles_is_a_usage_error():
    from mapper.errors import UsageError

    with pytest.raises(UsageError, match="--tiles"):
        render_map(make_incidents(), tiles="No Such Tiles Provider")


def test_render_map_is_a_folium_map_for_jupyter():
    import folium

    m = render_map(make_incidents(), tiles="OpenStreetMap")
    assert isinstance(m, folium.Map)
    # the notebook view carries Leaflet and mapper inline: it displays with no network
    page = map_html(m)
    assert "leaflet@" not in page and "cdn.jsdelivr" not in page
    assert "mapperInit(" in page and "Leaflet 1.9.4" in page
    assert "iframe" in m._repr_html_()


def test_map_command_writes_three_files_and_prints_the_iframe(tmp_path, gazetteer):
    from click.testing import CliRunner

    from mapper.cli.main import cli
    from mapper.incidents.io import write_incidents
    from mapper.pipeline import collect_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    for cache in Path(gazetteer.path).parent.glob("*.basemap-v*.json"):
        cache.unlink()  # the first run below computes the world layer, the second reads it
    incs = make_incidents()
    write_incidents(incs, folder / "incidents.yaml")
    # publication metadata and an article beside the incidents, as in seeds/
    (folder / "sources.yaml").write_text("a.txt:\n  outlet: Border Courier\n  url: " + KI + "\n",
                                         encoding="utf-8")
    (folder / "a.txt").write_text("An article text.\n", encoding="utf-8")
    found = collect_inputs([folder])
    assert found.articles == [folder / "a.txt"]
    out = tmp_path / "out"
    # --drafts: one of the incidents is a draft (v-clash-1)
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out), "--title", "T & <b>",
                                      "--tiles", "none", "--drafts"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<iframe src="embed.html" title="T &amp; &lt;b&gt;"')
    assert "Wrote" in result.stderr and f"({len(incs)} incidents)" in result.stderr
    for name in ("map.html", "embed.html", "incidents.geojson"):
        assert (out / name).stat().st_size > 0
    assert len(blob_of((out / "map.html").read_text(encoding="utf-8"))["incidents"]) == len(incs)
    # a second run, with the world outline layer now read from its cache file, is byte-identical
    from mapper.render import basemap as render_basemap

    render_basemap._WORLD.clear()
    again = CliRunner().invoke(cli, ["map", str(folder), "-o", str(tmp_path / "again"),
                                     "--title", "T & <b>", "--tiles", "none", "--drafts"])
    assert again.exit_code == 0, again.output
    for name in ("map.html", "embed.html", "incidents.geojson", "lib/leaflet.js"):
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    # bad input: one line, no traceback
    bad = CliRunner().invoke(cli, ["map", str(tmp_path / "out" / "incidents.geojson"), "-o",
                                   str(tmp_path / "o2"), "--tiles", "No Such Tiles"])
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --tiles: unknown tile provider")
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.output


def test_basemap_and_overlays_come_from_the_gazetteer(gazetteer):
    geom = gazetteer.geometry("adm1:RU-BEL")
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        pytest.skip("the gazetteer has no admin1 polygons yet")
    incs = make_incidents()
    incs.append(Incident(id="zone-wide", date=dt.date(2024, 3, 9), category="shelling",
                         place=Location(name="the border zone", place_id="zone:border:RU-UA:RU",
                                        geo_precision="zone")))
    data = build_map_data(incs, gazetteer=gazetteer)
    countries = data["basemap"]["countries"]["features"]
    assert len(countries) > 150  # the whole world, coarse far away
    ids = {f["properties"]["id"] for f in countries}
    assert {"adm0:RU", "adm0:UA"} <= ids
    admin1 = {f["properties"]["id"] for f in data["basemap"]["admin1"]["features"]}
    assert "adm1:RU-BEL" in admin1 and "adm1:RU-KRS" in admin1
    assert not any(i.startswith("adm1:US-") for i in admin1)  # only the region around the data
    ov = data["overlays"]
    assert "adm1:RU-BEL" in {f["properties"]["id"] for f in ov["admin"]["features"]}
    assert ov["borderLine"]["features"], "expected the RU-UA border line"
    if gazetteer.geometry("zone:border:RU-UA:RU") is not None:  # zones arrive with zones.py
        zones = {f["properties"]["id"] for f in ov["borderZone"]["features"]}
        assert zones >= {"zone:border:RU-UA:RU"}
        assert [a["id"] for a in data["areas"]] == ["zone:border:RU-UA:RU"]
    # the page stays light: the whole basemap is a few hundred KB at most
    assert len(json_for_html(data["basemap"])) < 600_000
