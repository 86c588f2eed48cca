"""Drafts reviewed into a curated file (`mapper review`), incidents added by hand (`mapper add`).

Drafts are real extraction output from the seed articles; the curated file is a copy of
seeds/incidents.yaml; the interactive review runs in a pseudo-terminal (pexpect).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from click.testing import CliRunner

from mapper.cli.main import cli
from mapper.incidents.io import read_incidents, write_incidents
from mapper.incidents.review import Review, rejections_path
from mapper.incidents.validate import validate_files

KI = "000_e6726240562de5a9.txt"
MT = "003_32400a268fe11300.txt"


@pytest.fixture(scope="module")
def drafts_file(tmp_path_factory, seeds_dir, gazetteer) -> Path:
    """`mapper extract` drafts of both seed articles, as a YAML incident file."""
    from mapper.extract.pipeline import extract_path

    drafts = [i for name in (KI, MT)
              for i in extract_path(seeds_dir / name, gazetteer=gazetteer).incidents]
    assert len(drafts) >= 3 and all(d.status == "draft" for d in drafts)
    path = tmp_path_factory.mktemp("drafts") / "drafts.yaml"
    write_incidents(drafts, path)
    return path


@pytest.fixture()
def work(tmp_path, drafts_file, seeds_dir):
    """A drafts file and a curated file (the seeds) to review into, in tmp_path."""
    shutil.copy(drafts_file, tmp_path / "drafts.yaml")
    shutil.copy(seeds_dir / "incidents.yaml", tmp_path / "incidents.yaml")
    return tmp_path


def _ids(path: Path) -> list[str]:
    return [i.id for i in read_incidents(path, resolve=False)]


def _invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _errors(path: Path) -> list:
    return [p for p in validate_files(path) if p.severity == "error"]


# ---------------------------------------------------------------------------------- scripted review
def test_accept_appends_a_reviewed_record_and_keeps_the_file_as_written(work, gazetteer):
    curated, drafts = work / "incidents.yaml", work / "drafts.yaml"
    before = curated.read_text(encoding="utf-8")
    first = _ids(drafts)[0]
    r = _invoke("review", drafts, "--into", curated, "--accept", first, "--reviewer", "Ana")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"accepted {first} into {curated}\n"
    after = curated.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments, shared sources and records kept byte for byte
    assert not _errors(curated)
    accepted = read_incidents(curated, gazetteer=gazetteer)[-1]
    assert accepted.id == first
    assert accepted.status == "reviewed" and accepted.confidence is None
    assert accepted.reviewed_by == "Ana" and "draft" not in accepted.tags
    assert accepted.reviewed_at is not None
    age = dt.datetime.now(dt.UTC) - accepted.reviewed_at
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=5)
    record = yaml.safe_load(after)["incidents"][-1]
    assert record["status"] == "reviewed" and "confidence" not in record
    # a second run does not append it twice and says so
    again = _invoke("review", drafts, "--into", curated, "--accept", first, "--reviewer", "Ana")
    assert again.exit_code == 0 and "already in" in again.stderr
    assert curated.read_text(encoding="utf-8") == after


def test_reject_is_remembered_beside_the_curated_file(work, gazetteer):
    curated, drafts = work / "incidents.yaml", work / "drafts.yaml"
    ids = _ids(drafts)
    r = _invoke("review", drafts, "--into", curated, "--reject", ids[1], "--reject", ids[2],
                "--reason", "context, not an incident", "--reviewer", "Ana")
    assert r.exit_code == 0, r.output
    side = rejections_path(curated)
    assert side == work / "incidents.rejected.yaml"
    entries = yaml.safe_load(side.read_text(encoding="utf-8"))["rejected"]
    assert [e["id"] for e in entries] == ids[1:3]
    assert entries[0]["reason"] == "context, not an incident" and entries[0]["rejected_by"] == "Ana"
    review = Review(drafts, curated, gazetteer=gazetteer, reviewer="Ana")
    assert [d.id for d in review.pending()] == [ids[0]] + ids[3:]
    # the sidecar holds no incidents: a folder read (mapper map, validate) skips it
    assert all("rejected" not in p.path for p in validate_files(work, resolve=False))


def test_unknown_id_is_a_usage_error_and_nothing_is_written(work):
    curated, drafts = work / "incidents.yaml", work / "drafts.yaml"
    before = curated.read_bytes()
    r = _invoke("review", drafts, "--into", curated, "--accept", "inc-nope", "--reviewer", "A")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "no draft with id 'inc-nope'" in r.stderr
    assert curated.read_bytes() == before and not rejections_path(curated).exists()
    both = _invoke("review", drafts, "--into", curated, "--accept", _ids(drafts)[0],
                   "--reject", _ids(drafts)[0], "--reviewer", "A")
    assert both.exit_code == 2 and "both --accept and --reject" in both.stderr


def test_a_draft_that_fails_validation_is_refused_with_the_reason(work):
    curated, drafts = work / "incidents.yaml", work / "drafts.yaml"
    data = yaml.safe_load(drafts.read_text(encoding="utf-8"))
    undated = data["incidents"][0]
    del undated["date"]
    unsourced = data["incidents"][2]
    del unsourced["sources"]
    for claim in unsourced.get("claims", []):
        claim.pop("source_url", None)
    drafts.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # a draft may lack a date or a source: validate warns (the review shows it), no error
    problems = validate_files(drafts)
    assert not [p for p in problems if p.severity == "error"], problems
    assert [p.severity for p in problems if p.field == "date"] == ["warning"]
    assert any("draft without a date" in p.message for p in problems)
    assert any(p.field == "sources" and "draft without a source" in p.message for p in problems)
    before = curated.read_bytes()
    r = _invoke("review", drafts, "--into", curated, "--accept", undated["id"],
                "--accept", data["incidents"][1]["id"], "--reviewer", "A")
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1
    assert f"refused {undated['id']}" in r.stderr and "date: missing" in r.stderr
    assert "nothing was written" in r.stderr
    assert curated.read_bytes() == before  # all or nothing: the valid one is not written either
    assert sorted(os.listdir(work)) == ["drafts.yaml", "incidents.yaml"]  # no temp file left


def test_a_curated_file_that_is_not_writable_is_refused(work):
    curated, drafts = work / "incidents.yaml", work / "drafts.yaml"
    before = curated.read_bytes()
    curated.chmod(0o444)
    cmd = [sys.executable, "-m", "mapper", "review", str(drafts), "--into", str(curated),
           "--accept", _ids(drafts)[0], "--reviewer", "A"]
    if os.geteuid() == 0:  # root writes anything: drop the capability in a user namespace
        if shutil.which("unshare") is None or \
                subprocess.run(["unshare", "--user", "true"]).returncode != 0:
            pytest.skip("running as root without user namespaces")
        cmd = ["unshare", "--user", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and "not writable" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert curated.read_bytes() == before


def test_review_needs_a_terminal_or_ids(work):
    r = _invoke("review", work / "drafts.yaml", "--into", work / "incidents.yaml",
                "--reviewer", "A")
    assert r.exit_code == 2 and "--accept ID" in r.stderr


# ---------------------------------------------------------------------------------- interactive
def _spawn(work: Path) -> pexpect.spawn:
    child = pexpect.spawn(sys.executable, ["-m", "mapper", "review", "drafts.yaml", "--into",
                                           "incidents.yaml", "--reviewer", "Tester"],
                          cwd=str(work), encoding="utf-8", timeout=90,
                          env={**os.environ, "COLUMNS": "200"})
    return child


MENU = r"\[a\]ccept  \[e\]dit  \[r\]eject  \[s\]kip  \[q\]uit"


def test_interactive_review_in_a_terminal(work, gazetteer):
    drafts, curated = work / "drafts.yaml", work / "incidents.yaml"
    data = yaml.safe_load(drafts.read_text(encoding="utf-8"))
    del data["incidents"][0]["date"]  # the first draft has no date: refused until edited
    drafts.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ids = [r["id"] for r in data["incidents"]]
    before = curated.read_text(encoding="utf-8")

    child = _spawn(work)
    child.expect(rf"\[1/{len(ids)}\] {ids[0]}: Draft — not reviewed")
    child.expect(r"date +\(none: set one with edit\)")
    child.expect("evidence +“")  # the sentence the draft rests on
    child.expect("place candidates for")
    child.expect(MENU)
    child.sendline("a")
    child.expect("Refused: .*date: missing")
    child.expect(MENU)
    child.sendline("e")
    child.expect(r"place \[")
    child.sendline("Tyotkino")
    child.expect(r"date \[none\]")
    child.sendline("2024-03-32")
    child.expect("is not a real date")  # the typo is caught and asked again
    child.sendline("2024-03-14")
    child.expect(r"category \[")
    child.sendline("destruction")
    child.expect(r"summary \[Enter keeps it\]")
    child.sendline("Warehouses burned in Tyotkino, the militia said.")
    child.expect(r"place +Tyotkino -> gn:483166")
    child.expect(MENU)
    child.sendline("a")
    child.expect(f"accepted {ids[0]} into incidents.yaml")
    child.expect(rf"\[2/{len(ids)}\] {ids[1]}")
    child.expect(MENU)
    child.sendline("r")
    child.expect(r"reason \(optional\)")
    child.sendline("the same raid as a curated incident")
    child.expect(f"rejected {ids[1]}")
    child.expect(rf"\[3/{len(ids)}\] {ids[2]}")
    child.expect(MENU)
    child.sendline("s")
    child.expect(rf"\[4/{len(ids)}\]")
    child.expect(MENU)
    child.sendline("q")
    child.expect(f"1 accepted, 1 rejected, {len(ids) - 2} left for a later review.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert curated.read_text(encoding="utf-8").startswith(before)
    assert not _errors(curated)
    accepted = read_incidents(curated, gazetteer=gazetteer)[-1]
    assert (accepted.id, accepted.date, accepted.category) == (ids[0], dt.date(2024, 3, 14),
                                                               "destruction")
    assert accepted.place.place_id == "gn:483166" and accepted.reviewed_by == "Tester"
    assert accepted.summary == "Warehouses burned in Tyotkino, the militia said."
    rejected = yaml.safe_load(rejections_path(curated).read_text(encoding="utf-8"))["rejected"]
    assert [e["id"] for e in rejected] == [ids[1]]

    # a second session asks only about what is left: the skipped draft comes first
    child = _spawn(work)
    child.expect(rf"\[1/{len(ids) - 2}\] {ids[2]}")
    child.expect(r"place candidates for '([^']+)':\r\n +1  (\S+) +(.+?) \(")
    first_id, first_name = child.match.group(2), child.match.group(3)
    child.expect(MENU)
    child.sendline("e")  # pick candidate 1 by its number; Enter keeps the other fields
    child.expect(r"place \[.*?\): ")
    child.sendline("1")
    for prompt in (r"date \[.*?\): ", r"category \[.*?\]: ", r"summary \[.*?\]: "):
        child.expect(prompt)
        child.sendline("")
    child.expect(rf"place +{re.escape(first_name)} -> {re.escape(first_id)}")
    child.expect(MENU)
    child.sendline("q")
    child.expect(pexpect.EOF)


# ---------------------------------------------------------------------------------- mapper add
def _add(into: Path, *extra: str):
    return _invoke("add", "--into", into, "--date", "2024-03-14", "--category", "shelling",
                   "--summary", "Shells hit the village school.", "--source",
                   "https://example.org/report", *extra)


def test_add_appends_a_geocoded_record_that_validates(work, gazetteer):
    curated = work / "incidents.yaml"
    before = curated.read_text(encoding="utf-8")
    r = _add(curated, "--place", "Tyotkino", "--quote", "Shells hit the school.",
             "--claimed-by", "Regional governor", "--published", "2024-03-15",
             "--outlet", "Example News")
    assert r.exit_code == 0, r.output
    assert r.stdout == f"added tyotkino-2024-03-14 to {curated}\n"
    assert curated.read_text(encoding="utf-8").startswith(before)
    assert not validate_files(curated, gazetteer=gazetteer)  # no error, no warning
    added = read_incidents(curated, gazetteer=gazetteer)[-1]
    assert added.place.place_id == "gn:483166" and added.place.resolved
    assert added.claimed_by == ["Regional governor"] and added.status == "reviewed"
    assert added.sources[0].quote == "Shells hit the school."
    # the same place and day again: a new id, never a duplicate
    again = _add(curated, "--place", "Tyotkino")
    assert again.exit_code == 0 and "tyotkino-2024-03-14-2" in again.stdout
    assert "without a publication date" in again.stderr  # validate's warning, shown


def test_add_into_a_new_file(tmp_path, gazetteer):
    new = tmp_path / "new.yaml"
    r = _add(new, "--place", "Kursk Oblast", "--id", "kursk-shelling")
    assert r.exit_code == 0, r.output
    assert _ids(new) == ["kursk-shelling"]
    assert not _errors(new)


def test_add_an_ambiguous_place_lists_candidates_and_place_id(work, gazetteer):
    curated = work / "incidents.yaml"
    before = curated.read_bytes()
    r = _add(curated, "--place", "Springfield")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "ambiguous" in r.stderr and "--place-id" in r.stderr
    assert "gn:4250542 Springfield (settlement, Illinois, US)" in r.stderr
    assert curated.read_bytes() == before
    ok = _add(curated, "--place", "Springfield", "--place-id", "gn:4250542")
    assert ok.exit_code == 0, ok.output
    assert read_incidents(curated, gazetteer=gazetteer)[-1].place.admin1 == "Illinois"


def test_add_refuses_bad_input_and_writes_nothing(work):
    curated = work / "incidents.yaml"
    before = curated.read_bytes()
    bad_url = _add(curated, "--place", "Tyotkino", "--source", "javascript:alert(1)")
    assert bad_url.exit_code == 1 and "sources[0].url" in bad_url.stderr
    assert "nothing was written" in bad_url.stderr
    bad_date = _add(curated, "--place", "Tyotkino", "--date", "2024-02-30")
    assert bad_date.exit_code == 2 and "--date: 2024-02-30 is not a real date" in bad_date.stderr
    nowhere = _add(curated, "--place", "Qqzxqqzx")
    assert nowhere.exit_code == 2 and "not in the gazetteer" in nowhere.stderr
    not_yaml = _add(work / "incidents.csv", "--place", "Tyotkino")
    assert not_yaml.exit_code == 2 and "YAML" in not_yaml.stderr
    assert curated.read_bytes() == before
    assert sorted(os.listdir(work)) == ["drafts.yaml", "incidents.yaml"]


# ---------------------------------------------------------------------------------- file layouts
ONE = "  - id: old\n    date: 2024-03-01\n    place: {name: Tyotkino, place_id: gn:483166}\n"
LAYOUTS = {
    # name: (file text, what must stay in front of the new record, what must stay after it)
    "indented, sources after": (
        "incidents:\n" + ONE + "# about the sources\nsources:\n  - url: https://example.org/s\n"
        "    published: 2024-03-02\n", "incidents:\n" + ONE, "# about the sources\nsources:"),
    "indentless (PyYAML's style)": (
        "incidents:\n- id: old\n  date: 2024-03-01\n  place: Tyotkino\n", "  place: Tyotkino\n",
        ""),
    "a bare list": ("- id: old\n  date: 2024-03-01\n  place: Tyotkino\n", "place: Tyotkino\n", ""),
    "empty list": ("# my incidents\nincidents: []\n", "# my incidents\nincidents:\n", ""),
    "sources only": ("sources:\n  - url: https://example.org/s\n    published: 2024-03-02\n",
                     "published: 2024-03-02\n", ""),
    "no final newline": ("incidents:\n" + ONE.rstrip("\n"), "gn:483166}\n", ""),
    "a comment in a quoted scalar at column 0": (
        'incidents:\n  - id: old\n    date: 2024-03-01\n    place: Tyotkino\n    summary: "a\n'
        '# not a comment\n      b"\n', 'b"\n', ""),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_append_keeps_every_layout_as_written(name, tmp_path, gazetteer):
    from mapper.incidents.curate import append_incidents, locate_place, new_incident

    text, before, after = LAYOUTS[name]
    path = tmp_path / "curated.yaml"
    path.write_text(text, encoding="utf-8")
    inc = new_incident(date=dt.date(2024, 3, 14), place=locate_place("Tyotkino", gazetteer),
                       category="shelling", summary="Shells hit.", source="https://example.org/a",
                       published=dt.date(2024, 3, 15), incident_id="new")
    append_incidents(path, [inc], gazetteer=gazetteer)
    new = path.read_text(encoding="utf-8")
    cut = new.index("id: new")
    assert before in new[:cut] and after in new[cut:]
    assert [i.id for i in read_incidents(path, resolve=False)][-1] == "new"
    assert not _errors(path)


def test_append_refuses_a_flow_list_it_cannot_extend(tmp_path, gazetteer):
    from mapper.errors import DataError
    from mapper.incidents.curate import append_incidents, locate_place, new_incident

    path = tmp_path / "curated.yaml"
    text = "incidents: [{id: old, date: 2024-03-01, place: Tyotkino}]\n"
    path.write_text(text, encoding="utf-8")
    inc = new_incident(date=dt.date(2024, 3, 14), place=locate_place("Tyotkino", gazetteer),
                       category="shelling", summary="x", source="https://example.org/a")
    with pytest.raises(DataError, match="block style"):
        append_incidents(path, [inc], gazetteer=gazetteer)
    assert path.read_text(encoding="utf-8") == text
