"""Drafts are not facts: `mapper map` draws machine drafts only with --drafts, marked as drafts
in the GeoJSON, the popup, the legend and the list, and never a draft that does not validate.

The drafts are real extraction output from the seed articles (no curated file cites them in
these folders); the browser test opens the page in Debian's Chromium.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli

KI = "000_e6726240562de5a9.txt"
MT = "003_32400a268fe11300.txt"
CHROMIUM = "/usr/bin/chromium"
DRAFT_LABEL = "Draft — not reviewed"


def _copy_articles(folder: Path, seeds_dir: Path) -> Path:
    folder.mkdir()
    for name in (KI, MT, "sources.yaml"):
        shutil.copy(seeds_dir / name, folder / name)
    return folder


@pytest.fixture()
def articles(tmp_path, seeds_dir, gazetteer) -> Path:
    """The two seed articles and their metadata, without the curated file that cites them."""
    return _copy_articles(tmp_path / "articles", seeds_dir)


@pytest.fixture(scope="module")
def drafts_map(tmp_path_factory, seeds_dir, gazetteer):
    """`mapper map ARTICLES --drafts --inline` (made once: extraction is the slow part)."""
    base = tmp_path_factory.mktemp("drafts-map")
    folder = _copy_articles(base / "articles", seeds_dir)
    out = base / "out"
    return _map(folder, "-o", out, "--drafts", "--inline"), out


def _map(*args: object):
    return CliRunner().invoke(cli, ["map", *map(str, args), "--tiles", "none"])


def _features(out: Path) -> list[dict]:
    return json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]


def test_only_articles_without_drafts_is_a_one_line_error(articles, tmp_path):
    r = _map(articles, "-o", tmp_path / "out")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "--drafts" in r.stderr and "mapper review" in r.stderr and "2 articles" in r.stderr
    assert not (tmp_path / "out").exists()


def test_with_drafts_every_drafted_feature_is_a_draft(drafts_map):
    r, out = drafts_map
    assert r.exit_code == 0, r.output
    assert DRAFT_LABEL in r.stderr
    features = _features(out)
    assert len(features) >= 3
    assert all(f["properties"]["status"] == "draft" for f in features)
    assert all(f["properties"]["confidence"] is not None for f in features)  # machine drafts
    page = (out / "map.html").read_text(encoding="utf-8")
    assert f"{len(features)} drafts from extraction, not reviewed." in page  # the note line


def test_mixed_inputs_leave_drafts_off_and_say_how_many(articles, tmp_path, seeds_dir):
    # a curated file citing only the Kyiv Independent story: the Moscow Times one gives drafts
    curated = tmp_path / "curated.yaml"
    curated.write_text(
        "incidents:\n"
        "  - id: tyotkino-curated\n"
        "    date: 2024-03-14\n"
        "    category: destruction\n"
        "    place: {name: Tyotkino, place_id: gn:483166}\n"
        "    sources:\n"
        "      - url: https://kyivindependent.com/anti-kremlin-militia-claims-to-capture-25-russian-troops/\n"
        "        published: 2024-03-16\n", encoding="utf-8")
    r = _map(articles, curated, "-o", tmp_path / "plain")
    assert r.exit_code == 0, r.output
    assert [f["properties"]["id"] for f in _features(tmp_path / "plain")] == ["tyotkino-curated"]
    left = [line for line in r.stderr.splitlines() if line.startswith("left off")]
    assert len(left) == 1 and "from articles no incident file cites" in left[0]
    assert "--drafts" in left[0] and "mapper review" in left[0]
    n = int(left[0].split()[2])
    both = _map(articles, curated, "-o", tmp_path / "both", "--drafts")
    assert both.exit_code == 0, both.output
    statuses = [f["properties"]["status"] for f in _features(tmp_path / "both")]
    assert statuses == ["reviewed"] + ["draft"] * n
    urls = {f["properties"]["source_urls"] for f in _features(tmp_path / "both")[1:]}
    assert urls and all("themoscowtimes.com" in u for u in urls)


def test_a_drafts_file_alone_needs_drafts_too(articles, tmp_path, gazetteer):
    drafts = tmp_path / "drafts.yaml"
    r = CliRunner().invoke(cli, ["extract", str(articles / KI), "-o", str(drafts)])
    assert r.exit_code == 0, r.output
    plain = _map(drafts, "-o", tmp_path / "out")
    assert plain.exit_code == 2 and "drafts in incident files" in plain.stderr
    assert "mapper review DRAFTS --into" in plain.stderr
    shown = _map(drafts, "-o", tmp_path / "out", "--drafts")
    assert shown.exit_code == 0, shown.output
    assert {f["properties"]["status"] for f in _features(tmp_path / "out")} == {"draft"}


def test_drafts_that_do_not_validate_are_never_drawn(articles, tmp_path):
    # metadata giving the article a javascript: URL: extraction copies it into each draft's
    # source, validation rejects that link, so no draft of that article reaches the map
    side = articles / "sources.yaml"
    meta = side.read_text(encoding="utf-8")
    mt_url = "https://www.themoscowtimes.com/2023/05/24/anti-kremlin-russians-call-armed-incursion-a-success-a81271"
    assert mt_url in meta
    side.write_text(meta.replace(mt_url, "javascript:alert(1)"), encoding="utf-8")
    out = tmp_path / "out"
    r = _map(articles, "-o", out, "--drafts")
    assert r.exit_code == 0, r.output
    bad = [line for line in r.stderr.splitlines() if "do not validate" in line
           or "does not validate" in line]
    assert len(bad) == 1 and MT in bad[0] and "javascript" in bad[0]
    features = _features(out)
    assert features and all("javascript" not in json.dumps(f) for f in features)
    assert all(f["properties"]["status"] == "draft" for f in features)


@pytest.mark.browser
def test_drafts_are_labelled_in_popup_legend_and_list(drafts_map):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    r, out = drafts_map
    assert r.exit_code == 0, r.output
    ids = [f["properties"]["id"] for f in _features(out)]
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox",
                                                                    "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:", "about:")) else route.abort())
        page.goto((out / "map.html").resolve().as_uri())
        page.wait_for_function("window.mapperReady === true", timeout=15000)
        assert DRAFT_LABEL in page.locator(".mapper-legend").inner_text()
        page.locator(".mapper-list-button").click()
        rows = page.locator(".mapper-list-item")
        assert rows.count() == len(ids)
        for k in range(rows.count()):
            assert DRAFT_LABEL in rows.nth(k).inner_text()
            assert "mapper-list-draft" in rows.nth(k).get_attribute("class")
        rows.first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert DRAFT_LABEL in popup.inner_text()
        browser.close()
    assert not errors, errors
