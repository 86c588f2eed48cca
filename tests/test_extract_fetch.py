"""URLs in path lists: an error naming the line by default (no network unless asked); with
--fetch, fetched over real HTTP (a server on 127.0.0.1 serving the seed articles) and
extracted as the files themselves are.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli

KI = "000_e6726240562de5a9.txt"


@pytest.fixture()
def served(seeds_dir):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(seeds_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_in_a_list_needs_fetch(gazetteer, tmp_path):
    listing = tmp_path / "a.list"
    listing.write_text("# articles\nhttps://example.org/a.html\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["extract", str(listing)])
    assert r.exit_code == 2
    assert f"{listing}:2: https://example.org/a.html is a URL" in r.output
    assert "--fetch" in r.output


def test_fetched_url_extracts_as_the_file(gazetteer, seeds_dir, served, tmp_path):
    listing = tmp_path / "a.list"
    listing.write_text(f"{served}/{KI}\n{served}/missing.txt\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["extract", str(listing), "--fetch", "--format", "jsonl",
                                 "--published", "2024-03-16"], catch_exceptions=False)
    fetched, missing = [json.loads(x) for x in r.stdout.splitlines()]
    r = CliRunner().invoke(cli, ["extract", str(seeds_dir / KI), "--format", "jsonl",
                                 "--published", "2024-03-16"], catch_exceptions=False)
    local = json.loads(r.stdout.splitlines()[0])
    assert fetched["document"] == f"{served}/{KI}"
    assert [(m["start"], m["text"]) for m in fetched["mentions"]] == \
        [(m["start"], m["text"]) for m in local["mentions"]]
    assert [(i["place"], i["date"]) for i in fetched["incidents"]] == \
        [(i["place"], i["date"]) for i in local["incidents"]]
    assert missing["document"] == f"{served}/missing.txt"
    assert "could not fetch" in missing["error"]
