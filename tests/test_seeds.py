"""The curated seed incidents stay faithful to the seed articles they cite."""
from __future__ import annotations

import re

import yaml


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quote_is_verbatim_in_the_article_it_cites(seeds_dir):
    meta = yaml.safe_load((seeds_dir / "sources.yaml").read_text(encoding="utf-8"))
    texts = {m["url"]: _ws((seeds_dir / name).read_text(encoding="utf-8")) for name, m in meta.items()}
    data = yaml.safe_load((seeds_dir / "incidents.yaml").read_text(encoding="utf-8"))
    checked = 0
    for incident in data["incidents"]:
        quoted = [(c["quote"], c["source_url"]) for c in incident.get("claims", [])]
        quoted += [(s["quote"], s["url"]) for s in incident["sources"]]
        for quote, url in quoted:
            assert url in texts, f"{incident['id']}: {url} is not a seed article"
            assert _ws(quote) in texts[url], f"{incident['id']}: quote not in {url}: {quote[:60]}"
            checked += 1
    assert checked >= 15


def test_seed_sources_match_publication_metadata(seeds_dir):
    meta = yaml.safe_load((seeds_dir / "sources.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load((seeds_dir / "incidents.yaml").read_text(encoding="utf-8"))
    by_url = {m["url"]: m for m in meta.values()}
    for source in data["sources"]:
        expected = by_url[source["url"]]
        assert source["outlet"] == expected["outlet"]
        assert source["title"] == expected["title"]
        assert str(source["published"]) == str(expected["published"])
