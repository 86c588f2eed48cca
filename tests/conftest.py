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
