"""Shared fixtures: the real gazetteer (built once per run) and the seed files.

Set MAPPER_GAZETTEER to an existing database to reuse it between runs while developing: the
session works on a copy of it (the name index and basemap caches beside it are linked, never
written through). Otherwise the default embedded gazetteer is built once into a temporary
folder.

The suite never writes outside its temporary folders: before any test module is imported, HOME,
XDG_CACHE_HOME and MAPPER_CACHE point into a session folder, and the session fails if the
user's own mapper cache changed while it ran.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def _user_cache() -> Path:
    """The cache folder mapper would use for the user running the tests."""
    env = os.environ.get("MAPPER_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mapper"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Name -> (size, modification time) of every file under ``folder``."""
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def _private_gazetteer(given: Path, folder: Path) -> Path:
    """A copy of the database the developer named, with its caches linked beside it.

    The caches are replaced by rename when mapper rewrites them and unlinked when a test drops
    them, so a link keeps the original untouched; the database is copied (SQLite writes in place).
    """
    folder.mkdir(parents=True)
    copy = folder / given.name
    if given.exists():
        shutil.copyfile(given, copy)
    for side in given.parent.glob(given.name + ".*"):
        if side.name.endswith(("-journal", "-wal", "-shm", ".lock")):
            continue
        try:
            os.link(side, folder / side.name)
        except OSError:  # another file system: a copy
            shutil.copyfile(side, folder / side.name)
    return copy


if "MAPPER_TESTS_SESSION" in os.environ:
    # this file ran already in this process (a test imported it under another module name):
    # the session folder and the environment stay as the first run set them
    SESSION_DIR = Path(os.environ["MAPPER_TESTS_SESSION"])
    USER_CACHE = Path(os.environ["MAPPER_TESTS_USER_CACHE"])
    USER_CACHE_BEFORE = _snapshot(USER_CACHE)
else:
    USER_CACHE = _user_cache()
    USER_CACHE_BEFORE = _snapshot(USER_CACHE)
    SESSION_DIR = Path(tempfile.mkdtemp(prefix="mapper-tests-"))
    atexit.register(shutil.rmtree, SESSION_DIR, True)
    os.environ["MAPPER_TESTS_SESSION"] = str(SESSION_DIR)
    os.environ["MAPPER_TESTS_USER_CACHE"] = str(USER_CACHE)
    _GIVEN_GAZETTEER = os.environ.get("MAPPER_GAZETTEER")
    os.environ["HOME"] = str(SESSION_DIR / "home")
    os.environ["XDG_CACHE_HOME"] = str(SESSION_DIR / "home" / ".cache")
    os.environ["MAPPER_CACHE"] = str(SESSION_DIR / "cache")
    if _GIVEN_GAZETTEER:
        os.environ["MAPPER_GAZETTEER"] = str(_private_gazetteer(
            Path(_GIVEN_GAZETTEER).expanduser(), SESSION_DIR / "gazetteer"))
settings.register_profile("mapper", database=None)  # no .hypothesis/ folder in the checkout
settings.load_profile("mapper")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test changed the user's own mapper cache."""
    after = _snapshot(USER_CACHE)
    changed = sorted(name for name in USER_CACHE_BEFORE.keys() | after.keys()
                     if USER_CACHE_BEFORE.get(name) != after.get(name))
    if changed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (f"the test session changed the user's mapper cache {USER_CACHE}: "
                   f"{', '.join(changed)}; tests must write under tmp_path only")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_line(f"ERROR: {message}", red=True)


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
def session_dir() -> Path:
    """The folder HOME and the caches point into for this session."""
    return SESSION_DIR


@pytest.fixture(scope="session")
def user_cache() -> Path:
    """The user's own mapper cache, which the session must leave as it found it."""
    return USER_CACHE


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
