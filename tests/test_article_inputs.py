"""What `mapper extract` takes: folders, globs, path lists and JSONL dumps, all in one order."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.errors import UsageError
from mapper.extract.articles import ArticleRef, expand_inputs

KI = "000_e6726240562de5a9.txt"
MT = "003_32400a268fe11300.txt"


def _folder(tmp_path, seeds_dir):
    folder = tmp_path / "a"
    folder.mkdir()
    for name in (KI, MT, "sources.yaml"):
        (folder / name).write_bytes((seeds_dir / name).read_bytes())
    return folder


def test_folder_glob_and_list_stand_for_the_same_articles(tmp_path, seeds_dir):
    folder = _folder(tmp_path, seeds_dir)
    listing = tmp_path / "paths.list"
    listing.write_text(f"# two articles\n{folder / KI}\n\n{folder / MT}\n", encoding="utf-8")
    want = [ArticleRef(str(folder / KI)), ArticleRef(str(folder / MT))]
    assert expand_inputs([str(folder)]) == want
    assert expand_inputs([str(folder / "*.txt")]) == want
    assert expand_inputs([str(listing)]) == want
    assert expand_inputs([f"@{listing}"]) == want
    with pytest.raises(UsageError, match="matches no"):
        expand_inputs([str(folder / "*.pdf")])
    with pytest.raises(UsageError, match="not found"):
        expand_inputs([str(folder / "nope.txt")])


def test_jsonl_dump_records_are_articles_and_a_bad_record_is_one_error_line(gazetteer, tmp_path,
                                                                           seeds_dir):
    text = (seeds_dir / KI).read_text(encoding="utf-8")
    dump = tmp_path / "dump.jsonl"
    records = [{"id": "ki", "text": text, "published": "2024-03-15", "outlet": "Wire"},
               {"id": "empty", "text": ""},
               {"id": "mt", "text": (seeds_dir / MT).read_text(encoding="utf-8")}]
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    refs = expand_inputs([str(dump)])
    assert [(r.line, r.where) for r in refs] == [(1, f"{dump}:1"), (2, f"{dump}:2"),
                                                 (3, f"{dump}:3")]
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(dump), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["document"] for line in lines] == ["ki", f"{dump}:2", "mt"]
    assert lines[1]["error"].startswith(f"{dump}:2: text: no article text")
    assert lines[0]["source"]["published"] == "2024-03-15"
    assert lines[0]["source"]["outlet"] == "Wire"
    assert lines[0]["incidents"] and "error" not in lines[2]
    assert f"Error: {dump}:2: text: no article text" in result.stderr
