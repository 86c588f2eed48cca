"""Language packs: the registry, the choice by metadata, and what every pack must hold."""
from __future__ import annotations

import dataclasses
import re

import pytest

from mapper.extract import lang
from mapper.extract.dates import find_dates
from mapper.extract.events import find_event_words
from mapper.extract.text import document_from_text


@pytest.mark.parametrize("code", lang.languages())
def test_every_pack_fills_every_stage(code):
    pack = lang.get(code)
    assert pack.code == code
    for stage in dataclasses.fields(pack):
        value = getattr(pack, stage.name)
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                assert getattr(value, f.name) is not None, (code, stage.name, f.name)
    # the groups the date logic reads are there
    kinds = {k for k, _p in pack.dates.patterns}
    assert {"iso", "m", "wd", "rel"} <= kinds and kinds & {"md", "dm"}  # "March 3", "3 марта"
    for kind, pattern in pack.dates.patterns:
        assert isinstance(pattern, re.Pattern)
        if kind in ("md", "dm", "m", "my"):
            assert "mon" in pattern.groupindex
    # every weight the stages read is in each table
    en = lang.get("en").weights
    for table in ("resolve", "roles", "drafts"):
        assert set(getattr(pack.weights, table)) == set(getattr(en, table))


def test_pack_chosen_by_language_metadata():
    assert lang.pack_for("en-GB").code == "en"
    assert lang.pack_for("EN_us").code == "en"
    assert lang.pack_for(None).code == lang.DEFAULT_LANGUAGE
    # a language without a pack reads as the default, not an error
    assert lang.pack_for("xx").code == lang.DEFAULT_LANGUAGE
    doc = document_from_text("---\nlanguage: en\n---\nText.\n", fmt="md")
    assert doc.meta["language"] == "en"
    doc = document_from_text("Text.", meta={"lang": "en-GB"})
    assert doc.meta["language"] == "en-GB"


def test_a_pack_changes_what_is_read():
    """A pack with other words reads other words: the logic holds no English of its own."""
    import datetime as dt

    en = lang.get("en")
    pack = dataclasses.replace(en, code="zz", events=dataclasses.replace(
        en.events, event_words=(("zapbang", "explosion", 1.0),)))
    words = find_event_words("A zapbang and an explosion.", pack=pack)
    assert [(w.text, w.category) for w in words] == [("zapbang", "explosion")]
    months = dict(en.dates.months)
    assert find_dates("on March 3", dt.date(2024, 5, 1), pack=pack)[0].date == dt.date(2024, 3, 3)
    assert months["march"] == 3
