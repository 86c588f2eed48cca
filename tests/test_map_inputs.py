"""What `mapper map` reads from a folder: curated incident files, and drafts from the articles
no curated file cites (issue 5: "mapper map on a folder that holds articles")."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.pipeline import load_incidents

KI = "000_e6726240562de5a9.txt"
MT = "003_32400a268fe11300.txt"


def _places(geojson: Path) -> list[str]:
    data = json.loads(geojson.read_text(encoding="utf-8"))
    return [f["properties"]["place"] for f in data["features"]]


def test_seeds_folder_shows_the_curated_incidents_and_drafts_nothing_twice(seeds_dir, gazetteer):
    # both seed articles are cited by seeds/incidents.yaml: their stories are not drawn twice
    incidents = load_incidents([seeds_dir], gazetteer)
    assert sorted(i.id for i in incidents) == sorted([
        "kursk-raids-2024-03-12", "belgorod-raids-2024-03-12", "tyotkino-warehouses-2024-03-14",
        "captured-soldiers-claim-2024-03-16", "belgorod-incursion-2023-05-22",
        "rvc-press-presentation-2023-05-24"])


def test_a_folder_of_articles_alone_is_drafted(tmp_path, seeds_dir, gazetteer):
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in seeds_dir.iterdir():
        if path.suffix in (".txt",) or path.name == "sources.yaml":
            shutil.copy(path, folder / path.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out), "--tiles", "none",
                                      "--drafts"])
    assert result.exit_code == 0, result.output
    assert "drawing " in result.stderr and "Draft — not reviewed" in result.stderr
    places = _places(out / "incidents.geojson")
    assert "Tyotkino" in places and "Kursk Oblast" in places and "Belgorod Oblast" in places
    data = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    urls = {u for f in data["features"] for u in f["properties"]["source_urls"].split()}
    assert any("kyivindependent.com" in u for u in urls)
    assert any("themoscowtimes.com" in u for u in urls)


def test_only_uncited_articles_are_drafted(tmp_path, seeds_dir, gazetteer):
    # a curated file citing the Kyiv Independent story only: the Moscow Times one is drafted
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in seeds_dir.iterdir():
        if path.suffix == ".txt" or path.name == "sources.yaml":
            shutil.copy(path, folder / path.name)
    (folder / "curated.yaml").write_text(
        "incidents:\n"
        "  - id: tyotkino-curated\n"
        "    date: 2024-03-14\n"
        "    category: destruction\n"
        "    place: {name: Tyotkino}\n"
        "    sources:\n"
        "      - outlet: The Kyiv Independent\n"
        "        url: https://kyivindependent.com/anti-kremlin-militia-claims-to-capture-25-russian-troops\n"
        "        published: 2024-03-16\n", encoding="utf-8")
    incidents = load_incidents([folder], gazetteer, drafts=True)
    assert incidents[0].id == "tyotkino-curated"
    drafted_urls = {s.url for i in incidents[1:] for s in i.sources}
    assert drafted_urls and all("themoscowtimes.com" in u for u in drafted_urls)
    assert any(i.date.year == 2023 and "Belgorod" in (i.place.name or "") for i in incidents[1:])


def test_an_empty_folder_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["map", str(tmp_path / "empty"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no incident files or articles among the inputs")
    assert not (tmp_path / "o").exists()


def test_draft_uncited_skips_curated_urls(seeds_dir, gazetteer):
    from mapper.pipeline import draft_uncited

    curated = yaml.safe_load((seeds_dir / "incidents.yaml").read_text(encoding="utf-8"))
    urls = {s["url"] for s in curated["sources"]}
    paths = [seeds_dir / KI, seeds_dir / MT]
    assert draft_uncited(paths, gazetteer, cited_urls=urls) == ([], [])
    drafts, invalid = draft_uncited(paths, gazetteer, [u for u in urls if "moscowtimes" in u])
    assert not invalid
    assert drafts and {Path(i.sources[0].url).name for i in drafts} == {
        "anti-kremlin-militia-claims-to-capture-25-russian-troops"}


def test_every_article_suffix_extract_reads_is_an_article_for_map(tmp_path, seeds_dir):
    # one list: `mapper map` once skipped .markdown files that `mapper extract` reads
    from mapper.extract.text import SUFFIXES
    from mapper.pipeline import ARTICLE_SUFFIXES, collect_inputs

    assert set(ARTICLE_SUFFIXES) == set(SUFFIXES)
    folder = tmp_path / "in"
    folder.mkdir()
    names = [f"a{suffix}" for suffix in (".markdown", ".text", ".xhtml", ".MD")]
    for name in names:
        (folder / name).write_text("An article.\n", encoding="utf-8")
    (folder / "incidents.yaml").write_text("incidents: []\n", encoding="utf-8")
    found = collect_inputs([folder, seeds_dir / KI])
    assert found.incidents == [folder]
    assert found.articles == sorted(folder / n for n in names) + [seeds_dir / KI]
