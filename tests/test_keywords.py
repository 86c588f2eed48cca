"""Cue words found once per text (``mapper.extract.keywords``) give the per-sentence answers."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mapper.extract.dates import SentenceDates, find_dates
from mapper.extract.events import DATE_CUES, pack_cues, split_sentences
from mapper.extract.keywords import CueWords
from mapper.extract.lang import get
from mapper.extract.scan import keyword_positions

CORPUS = Path(__file__).parent / "corpus"
PUBLISHED = dt.date(2024, 3, 15)


def _texts(code: str) -> list[str]:
    files = sorted(CORPUS.glob(f"ruuk-*/*_{code}_*.txt" if code != "en" else "[dt]*/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert texts
    # the traps: a letter whose lower case is longer, capital and final sigma at a boundary
    texts.append("Officials in İzmir said on Tuesday that two people were killed on March 3.")
    texts.append("ΟΔΟΣ. On Monday, shelling killed three people. ΟΔΟΣ said so last week.")
    return texts


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_spots_are_the_per_sentence_search(code):
    pack = get(code)
    d = pack.dates
    lists = {"date_words": d.date_words, "month_anchors": d.month_anchors,
             "weekday_anchors": d.weekday_anchors, "relative_anchors": d.relative_anchors,
             "verify": pack.claims.verify_keys, "say": pack.claims.say_words}
    cues = pack_cues(pack)
    checked = 0
    for text in _texts(code):
        found = cues.find(text)
        aligned = len(text.lower()) == len(text)
        for a, b in split_sentences(text, pack=pack):
            sentence = text[a:b]
            for name, words in lists.items():
                spots = found.spots(name)
                if not aligned:
                    assert spots is None
                    continue
                assert spots is not None
                hay = sentence if name == "month_anchors" else sentence.lower()
                assert spots.starts_within(a, b) == keyword_positions(hay, words), (name, sentence)
                assert spots.any_within(a, b) == any(w in hay for w in words)
                checked += 1
    assert checked > 100


def test_labels_are_the_hints_each_clause_holds():
    pack = get("en")
    hints = pack.claims.figure_hints
    found = CueWords({"figures": hints}).find(
        "Two soldiers were killed and five wounded; a depot was destroyed near the bridge.")
    spots = found.spots("figures")
    assert spots is not None
    text = found.text
    for a, b in [(0, len(text)), (0, 24), (24, 52), (52, len(text)), (5, 5)]:
        lower = text[a:b].lower()
        assert spots.labels_within(a, b) == {k for k, hs in hints.items()
                                             if any(h in lower for h in hs)}


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_sentence_dates_are_find_dates(code):
    pack = get(code)
    cues = pack_cues(pack)
    seen = 0
    for text in _texts(code):
        for published in (PUBLISHED, None):
            per_text = SentenceDates(cues.find(text), published, pack)
            for a, b in split_sentences(text, pack=pack):
                got = per_text.dates(a, b)
                assert got == find_dates(text[a:b], published, a, pack)
                seen += len(got)
    assert seen > 10
    assert set(DATE_CUES) <= set(cues.names)


def test_a_list_that_cannot_be_matched_here_is_searched_per_sentence():
    cues = CueWords({"sigma": ("οδος",), "empty": ("", "x"), "ok": ("day",)})
    found = cues.find("Every day.")
    assert found.spots("sigma") is None and found.spots("empty") is None
    assert found.spots("ok") is not None
    assert cues.find("İ day").spots("ok") is None  # lower case one letter longer


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_event_word_starts_are_where_the_prefix_pattern_matches(code):
    from mapper.extract.events import _event_index, _word_starts

    pack = get(code)
    index = _event_index(pack.events)
    for text in _texts(code):
        lower = text.lower()
        if len(lower) != len(text):
            continue
        spotted = _word_starts(pack_cues(pack).find(text), lower)
        assert spotted is not None
        assert spotted[0] == [m.start() for m in index.start.finditer(lower)]


def test_the_stages_of_one_text_share_one_search():
    cues = pack_cues(get("en"))
    text = "On Monday shelling killed two people, officials said."
    first = cues.find(text)
    assert cues.find(text) is first  # the same text object: the answer kept
    other = cues.find("Officials said nothing.")
    assert other is not first and other.text != text
    again = cues.find(text)  # searched anew after another text: the same answer
    assert again is not first
    for name in cues.names:
        assert again.spots(name).starts == first.spots(name).starts


def _sentences_by_finditer(text, w):
    """split_sentences as it was: the sentence_end pattern run over every line."""
    import re

    out = []
    for line in re.finditer(r"[^\r\n]+", text):
        a0, b0 = line.span()
        a = a0
        for match in w.sentence_end.finditer(text, a0, b0):
            before = text[a:match.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if match.group().startswith(".") and (word in w.abbreviations or
                                                  (len(word) == 1 and word.isalpha())):
                continue
            for x, y in [(a, match.end())]:
                part = text[x:y]
                if part.strip():
                    x += len(part) - len(part.lstrip())
                    out.append((x, x + len(part.strip())))
            a = match.end()
        part = text[a:b0]
        if part.strip():
            x = a + len(part) - len(part.lstrip())
            out.append((x, x + len(part.strip())))
    return out


@pytest.mark.parametrize("code", ["en", "ru", "uk"])
def test_sentences_are_those_of_the_pattern_run_over_every_line(code):
    w = get(code).events
    texts = _texts(code) + ["Gen. Smith said so. J. Doe! Yes?! «Нет». U.S. forces...\r\nok.",
                            "Он сказал: «Всё». Т.е. нет… Да! ", ""]
    for text in texts:
        assert split_sentences(text, pack=get(code)) == _sentences_by_finditer(text, w)
