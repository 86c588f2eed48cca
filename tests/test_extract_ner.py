"""The optional statistical recogniser (``mapper extract --ner MODEL``), on sentences written here.

The spaCy tests use a real spaCy pipeline made here (an ``entity_ruler`` saved to a folder and
loaded by path, as a user's own pipeline would be), so no model download is needed; the natasha
tests use the model inside the natasha package. Both packages come with ``.[test]``; without
them these tests are skipped and the rest of the suite never imports them.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.errors import UsageError

EN = ("The storm hit Florence and Lincoln overnight. "
      "Officials in Kharkiv said the roads stayed closed.\n")
RU = "Россия и Украина обменялись ударами. Губернатор сообщил о взрывах.\n"
UK = "Україна та Росія обмінялися ударами. Губернатор повідомив про вибухи.\n"


@pytest.fixture(scope="module")
def runner(gazetteer):  # the gazetteer fixture builds the database the CLI opens
    return CliRunner()


def _mentions(runner, path, *args):
    result = runner.invoke(cli, ["extract", "--format", "jsonl", "--published", "2024-03-04",
                                 str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = [x for x in result.stdout.splitlines() if x.startswith("{")]
    assert len(line) == 1
    return {m["text"]: m for m in json.loads(line[0])["mentions"]}


@pytest.fixture(scope="module")
def ruler_pipeline(tmp_path_factory):
    """A real English spaCy pipeline (rules only) saved to a folder: Florence a place,
    Lincoln a person.
    """
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Florence"},
                        {"label": "PERSON", "pattern": "Lincoln"}])
    folder = tmp_path_factory.mktemp("spacy") / "ruler_en"
    nlp.to_disk(folder)
    return folder


def test_default_run_never_imports_the_models():
    code = ("import sys, mapper.cli.main, mapper.cli.extract, mapper.extract.pipeline; "
            "bad = [m for m in ('spacy', 'natasha', 'slovnet', 'thinc') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_choices_are_the_modules():
    from mapper.cli import extract as cli_extract
    from mapper.extract import ner

    assert cli_extract.NER_USES == ner.USES and cli_extract.NER_DEFAULT == ner.DEFAULT_USE


def test_missing_model_is_one_line_and_exit_2(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(EN, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(article), "--ner", "no_such_pipeline_xyz"])
    assert result.exit_code == 2
    errors = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "--ner no_such_pipeline_xyz" in errors[0]
    assert "pip install" in errors[0] or "spacy download" in errors[0]
    assert "Traceback" not in result.output


def test_missing_natasha_names_the_install(monkeypatch):
    from mapper.extract import ner

    ner.load_recogniser.cache_clear()
    monkeypatch.setitem(sys.modules, "natasha", None)  # as if it were not installed
    try:
        with pytest.raises(UsageError, match=r"natasha.*pip install 'mapper\[ner\]'"):
            ner.load_recogniser("natasha")
    finally:
        ner.load_recogniser.cache_clear()


def test_bad_use_is_a_usage_error():
    from mapper.extract.ner import NerConfig

    with pytest.raises(UsageError, match="--ner-use"):
        NerConfig(("natasha",), "sometimes")


def test_spacy_pipeline_adds_a_place_the_rules_turned_down(runner, tmp_path, ruler_pipeline):
    article = tmp_path / "en.txt"
    article.write_text(EN, encoding="utf-8")
    plain = _mentions(runner, article)
    assert "Florence" not in plain or plain["Florence"]["role"] == "not-a-place"
    added = _mentions(runner, article, "--ner", str(ruler_pipeline))
    florence = added["Florence"]
    assert florence["source"] == "ner" and florence["role"] != "not-a-place"
    assert florence["name"] and florence["lat"] is not None  # resolved by the gazetteer
    assert "source" not in added["Kharkiv"]  # the rules' own mention is left as it was
    # default use is "add": the person reading does not touch the rules' mentions
    assert added["Lincoln"] == plain["Lincoln"]


def test_spacy_veto_turns_down_a_person(runner, tmp_path, ruler_pipeline):
    article = tmp_path / "en.txt"
    article.write_text(EN, encoding="utf-8")
    plain = _mentions(runner, article)
    assert plain["Lincoln"]["role"] != "not-a-place"  # the rules take it for a place
    vetoed = _mentions(runner, article, "--ner", str(ruler_pipeline), "--ner-use", "veto")
    assert vetoed["Lincoln"]["role"] == "not-a-place" and vetoed["Lincoln"]["source"] == "ner"
    assert "Florence" not in vetoed or "source" not in vetoed["Florence"]  # veto adds nothing


def test_a_model_reads_only_its_language(runner, tmp_path, ruler_pipeline):
    article = tmp_path / "ru.txt"
    article.write_text(RU.replace("Россия", "Florence Россия"), encoding="utf-8")
    with_model = _mentions(runner, article, "--ner", str(ruler_pipeline), "--ner-use", "both")
    assert with_model == _mentions(runner, article)  # an English pipeline on Russian: no change
    from mapper.extract import ner

    ner._UNREAD.clear()  # said once a process: this one has said it above
    result = runner.invoke(cli, ["extract", str(article), str(article), "--published",
                                 "2024-03-04", "--ner", str(ruler_pipeline)],
                           catch_exceptions=False)
    said = [x for x in result.stderr.splitlines() if "no model given reads 'ru'" in x]
    assert result.exit_code == 0 and len(said) == 1  # two articles, said once


def test_jobs_give_the_same_lines(runner, tmp_path, ruler_pipeline):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(EN if i % 2 else RU, encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        result = runner.invoke(cli, ["extract", "--format", "jsonl", "--published", "2024-03-04",
                                     str(folder), "--ner", str(ruler_pipeline), "--jobs", jobs,
                                     "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b'"source": "ner"' in outs[0]


def test_natasha_adds_a_sentence_initial_country(runner, tmp_path):
    pytest.importorskip("natasha")
    article = tmp_path / "ru.txt"
    article.write_text(RU, encoding="utf-8")
    plain = _mentions(runner, article)
    assert "Россия" not in plain  # the rules leave a sentence-initial common word out
    added = _mentions(runner, article, "--ner", "natasha")
    assert added["Россия"]["source"] == "ner" and added["Россия"]["country_code"] == "RU"
    # the rules' own mention, which the model also reads as a place: the same place
    assert added["Украина"]["country_code"] == plain["Украина"]["country_code"] == "UA"


def test_natasha_reads_russian_only(runner, tmp_path):
    pytest.importorskip("natasha")
    article = tmp_path / "uk.txt"
    article.write_text(UK, encoding="utf-8")
    # measured: natasha reads Ukrainian place names as persons, so it is not run on them
    assert _mentions(runner, article, "--ner", "natasha", "--ner-use", "both") == \
        _mentions(runner, article)


def test_python_api_takes_a_model_name(gazetteer):
    pytest.importorskip("natasha")
    from mapper.extract.pipeline import extract_article

    result = extract_article(RU, gazetteer=gazetteer, ner="natasha")
    assert any(m.text == "Россия" and m.hints.get("source") == "ner" and m.place is not None
               for m in result.mentions)
