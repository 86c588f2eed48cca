"""Shared fixtures: the real gazetteer (built once per run) and the seed files.

Set MAPPER_GAZETTEER to an existing database to reuse it between runs while developing;
otherwise the default embedded gazetteer is built once into a temporary folder.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    existing = os.environ.get("MAPPER_GAZETTEER")
    if existing:
        return Path(existing)
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    os.environ["MAPPER_GAZETTEER"] = str(path)  # subprocesses (the CLI) use the same database
    return path


@pytest.fixture(scope="session")
def gazetteer(gazetteer_path: Path):
    from mapper.gazetteer.access import open_gazetteer

    return open_gazetteer(gazetteer_path)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


FIXTURE_SOURCE = ROOT / "tests" / "data" / "gazetteer-fixture.json.gz"


@pytest.fixture(scope="session")
def small_gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gazetteer of a few hundred real places with the ambiguity traps, built in ~1 s from
    ``tests/data/gazetteer-fixture.json.gz`` (see tests/make_gazetteer_fixture.py)."""
    from mapper.gazetteer.build import build
    from mapper.gazetteer.sources import fixture_sources

    path = tmp_path_factory.mktemp("small-gazetteer") / "gazetteer-small.sqlite"
    build(path, sources=fixture_sources(FIXTURE_SOURCE))
    return path


@pytest.fixture()
def small_gazetteer(small_gazetteer_path: Path):
    from mapper.gazetteer.store import Gazetteer

    with Gazetteer.open(small_gazetteer_path) as gaz:
        yield gaz
