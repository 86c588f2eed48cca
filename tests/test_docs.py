"""The documentation is part of the product: every command has help and a README section, and
the JSON key lists the README promises are the keys the code writes (the sqlite-utils habit)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli.main import _command_names, cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _all_commands() -> list[tuple[str, ...]]:
    """Every command path, subcommands of groups included: ("geocode",), ("gazetteer", "build")."""
    paths: list[tuple[str, ...]] = []
    ctx = cli.make_context("mapper", [], resilient_parsing=True)
    for name in _command_names():
        command = cli.get_command(ctx, name)
        assert command is not None, name
        paths.append((name,))
        for sub in getattr(command, "commands", {}):
            paths.append((name, sub))
    return paths


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_has_help_and_a_readme_section(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    body = result.output.split("\n\n", 2)
    assert len(body) >= 2 and body[1].strip(), f"`mapper {' '.join(path)}` has no help text"
    usage = "mapper " + " ".join(path)
    assert usage in README, (f"README.md never shows `{usage}`: add an example of it to the "
                             "section that documents the command")


def test_readme_test_command_is_what_ci_runs() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2, "the README starts with exactly two commands"
    assert "mapper map seeds/ -o outputs/" in block[0]
    assert block[1].endswith("python -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "eval" in ci  # .ci/run runs that line, not a copy of it


def _readme_keys(start: str, end: str) -> set[str]:
    section = README.split(start, 1)[1].split(end, 1)[0]
    return set(re.findall(r'"(\w+)"', section))


def test_geocode_json_keys_match_the_readme() -> None:
    out = subprocess.run([sys.executable, "-m", "mapper", "geocode", "Kursk", "--json"],
                         capture_output=True, text=True, check=True).stdout
    answer = json.loads(out)[0]
    keys = set(answer) | set().union(*(r.keys() for r in answer["results"]))
    assert keys == _readme_keys("`--json` prints one array", "A name with no result")


def test_extract_jsonl_keys_match_the_readme(seeds_dir: Path) -> None:
    article = sorted(seeds_dir.glob("*.txt"))[0]
    out = subprocess.run([sys.executable, "-m", "mapper", "extract", str(article), "--format",
                          "jsonl"], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out.splitlines()[0])
    mention_keys = set().union(*(m.keys() for m in doc["mentions"]))
    documented = _readme_keys("`--format jsonl` gives one", "with 0-based")
    assert set(doc) - {"text"} <= documented  # "text" is documented for HTML input below
    assert mention_keys <= documented, f"undocumented mention keys: {mention_keys - documented}"
    assert documented <= set(doc) | mention_keys | {"text"}, "README lists keys the code never writes"


def test_architecture_doc_matches_the_tree() -> None:
    """docs/architecture.md names every module (or its folder) and nothing that is gone."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(mapper/[\w/.]*)`", doc))
    for path in named:
        assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which does not exist"
    folders = {n for n in named if n.endswith("/")}
    for module in sorted((ROOT / "mapper").rglob("*.py")):
        rel = module.relative_to(ROOT).as_posix()
        if module.name in ("__init__.py", "__main__.py"):
            continue
        covered = rel in named or any(rel.startswith(f) and f != "mapper/" for f in folders)
        assert covered, f"docs/architecture.md does not describe {rel}"
    assert "## Architecture" in README and "docs/architecture.md" in README
