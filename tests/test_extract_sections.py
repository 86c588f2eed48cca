"""Long articles are extracted in sections: the same drafts for texts cut between stories, no
mention lost at a cut, the jsonl line streamed piece by piece (texts of our own words).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from long_article import TOWNS, long_article, story

from mapper.cli.main import cli as mapper_cli
from mapper.extract.articles import jsonl_chunks, jsonl_line
from mapper.extract.pipeline import extract_document
from mapper.extract.sections import SECTION_CHARS, section_bounds
from mapper.extract.text import document_from_text

PUBLISHED = "2024-04-01"


def _doc(text: str):
    return document_from_text(text, name="long.txt", meta={"published": PUBLISHED})


def _drafts(result) -> list[tuple]:
    """What a draft says (not its confidence: scores weigh the context, each section's own)."""
    return [(i.id, i.place.place_id, i.category, i.date, i.date_precision, i.summary,
             [(c.by, c.stance, c.figures) for c in i.claims]) for i in result.incidents]


def _mentions(result) -> list[tuple]:
    return [(m.start, m.end, m.text, m.place.id if m.place is not None else None, m.role)
            for m in result.mentions]


@pytest.mark.parametrize("text, size", [
    ("one two.\n\nthree four.\nfive six.", 12),
    ("a" * 30 + "\n" + "b" * 30, 40),
    ("First sentence here. Second one there. Third.", 25),
    ("no spaces at all in this one" .replace(" ", "") * 3, 20),
])
def test_sections_cover_the_text_in_order_within_the_size(text: str, size: int) -> None:
    bounds = section_bounds(text, size)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b == c for (_a, b), (c, _d) in zip(bounds, bounds[1:], strict=False))
    assert all(0 < b - a <= size for a, b in bounds)


def test_cuts_fall_between_paragraphs_then_lines_then_sentences() -> None:
    text = "First paragraph line.\nSecond line.\n\nNext paragraph, a long one. It goes on."
    (a, b), *_ = section_bounds(text, 40)
    assert text[:b].endswith("\n\n")  # the paragraph break, not the line end before it
    (a, b), *_ = section_bounds("One line only. It has two sentences. And a third.", 40)
    assert b == len("One line only. It has two sentences. ")  # after the full stop
    (a, b), *_ = section_bounds("Words without a full stop run on and on", 20)
    assert b == len("Words without a ")  # at a space


def test_short_text_gives_the_same_drafts_whole_and_in_sections(gazetteer) -> None:
    # "the city of X": each story names its place without needing the others' help (a bare
    # "Sumy" alone in a section may read as Sumy Oblast, where the whole text's other towns
    # make it the city: a section's context is its own)
    stories = [story(f"the city of {town}", 3 + i, i) for i, (town, _r) in enumerate(TOWNS[:8])]
    text = "Strikes across the border regions\n\n" + "\n\n".join(stories) + "\n"
    assert len(text) < SECTION_CHARS
    whole = extract_document(_doc(text), gazetteer=gazetteer)
    assert len(whole.incidents) >= 6  # the stories are drafted
    for size in (len(text) // 2, len(text) // 3, 400):
        assert len(section_bounds(text, size)) > 1
        parts = extract_document(_doc(text), gazetteer=gazetteer, section_chars=size)
        assert _drafts(parts) == _drafts(whole), size
        assert _mentions(parts) == _mentions(whole), size


def test_no_mention_is_lost_at_a_cut(gazetteer) -> None:
    # every line starts and ends with a town, so every cut (at a line end) has a name on
    # both sides of it
    lines = []
    for i in range(40):
        a, _ = TOWNS[i % len(TOWNS)]
        b, _ = TOWNS[(i * 5 + 3) % len(TOWNS)]
        lines.append(f"{a} was shelled on March {1 + i % 27}, and the fire spread toward {b}")
    text = "\n".join(lines) + "\n"
    names = "|".join(re.escape(t) for t, _r in TOWNS)
    expected = [(m.start(), m.end()) for m in re.finditer(rf"\b(?:{names})\b", text)]
    whole = extract_document(_doc(text), gazetteer=gazetteer)
    assert [(m.start, m.end) for m in whole.mentions] == expected
    for size in (333, 500, 777):
        bounds = section_bounds(text, size)
        cuts = [b for _a, b in bounds[:-1]]
        assert cuts and all(text[c - 1] == "\n" for c in cuts)
        parts = extract_document(_doc(text), gazetteer=gazetteer, section_chars=size)
        assert [(m.start, m.end) for m in parts.mentions] == expected, size
        assert all(text[m.start:m.end] == m.text for m in parts.mentions)
        assert all(m.place is not None and m.role != "not-a-place" for m in parts.mentions)


def test_the_streamed_jsonl_line_is_the_jsonl_line(gazetteer) -> None:
    text = long_article(6_000)
    for size in (SECTION_CHARS, 1_500):
        result = extract_document(_doc(text), gazetteer=gazetteer, section_chars=size)
        assert result.mentions and result.incidents
        assert "".join(jsonl_chunks(result)) == jsonl_line(result)


def test_drafts_of_one_event_in_two_sections_are_one_incident(gazetteer) -> None:
    one = story("Kharkiv", 12, 0)
    text = f"{one}\n\n{story('Odesa', 14, 2)}\n\n{one}\n"
    parts = extract_document(_doc(text), gazetteer=gazetteer, section_chars=len(one) + 4)
    ids = [i.id for i in parts.incidents]
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.slow
def test_a_long_article_is_extracted_in_sections_by_the_cli(tmp_path: Path, gazetteer) -> None:
    text = long_article(2_500_000)
    article = tmp_path / "long.txt"
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "long.jsonl"
    result = CliRunner().invoke(mapper_cli, ["extract", str(article), "--published", PUBLISHED,
                                             "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    names = "|".join(re.escape(t) for t, _r in TOWNS)
    expected = [(m.start(), m.end()) for m in re.finditer(rf"\b(?:{names})\b", text)]
    found = [(m["start"], m["end"]) for m in record["mentions"] if m["role"] != "not-a-place"]
    assert found == expected  # every town in every section, at its offset in the whole text
    assert len(section_bounds(text)) > 20
    assert len(record["incidents"]) >= len(TOWNS)
    assert len({i["place"] for i in record["incidents"]}) == len(TOWNS)


def test_the_cli_streams_a_long_articles_line_unchanged(tmp_path: Path, gazetteer) -> None:
    text = long_article(int(SECTION_CHARS * 2.5))
    article = tmp_path / "long.txt"
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "long.jsonl"
    result = CliRunner().invoke(mapper_cli, ["extract", str(article), "--published", PUBLISHED,
                                             "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = document_from_text(text, name=str(article), meta={"published": PUBLISHED})
    whole = extract_document(doc, gazetteer=gazetteer)  # mentions kept in memory
    assert len(section_bounds(text)) == 3 and len(whole.mentions) > 100
    assert out.read_text(encoding="utf-8") == jsonl_line(whole) + "\n"
    drafts = tmp_path / "long.yaml"  # drafts only: the mentions are not kept, the drafts same
    result = CliRunner().invoke(mapper_cli, ["extract", str(article), "--published", PUBLISHED,
                                             "--outlet", "Example Post", "-o", str(drafts)])
    assert result.exit_code == 0, result.output
    from mapper.incidents.io import read_incidents

    assert [i.id for i in read_incidents(drafts)] == [i.id for i in whole.incidents]
