"""Quality gates the project keeps: lint, types, no import cycles, small source files.

They run in the ordinary suite (so in CI) with the project's own configuration in pyproject.toml.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mapper"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    """Every mapper module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    # `if TYPE_CHECKING:` blocks never run: annotations may name a module that imports this one.
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", getattr(block.test, "attr", "")) == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "mapper")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "mapper":
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)  # `from pkg import module`
    return found


def test_no_import_cycles() -> None:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: {i for i in _imports(p, m) if i in modules and i != m} for m, p in modules.items()}
    # A package's __init__ only re-exports; an import of mapper.x.y runs mapper/x/__init__.py
    # first, which is an edge only if that __init__ itself imports something.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_source_file_over_600_lines() -> None:
    sources = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.js"), *PACKAGE.rglob("*.css")]
    sources = [p for p in sources if "vendor" not in p.parts]
    too_long = {str(p.relative_to(ROOT)): n for p in sources
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not too_long, f"split these (over {MAX_LINES} lines): {too_long}"


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert path, f"{name} is not installed: pip install -e '.[test]'"
    return path


def test_ruff_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "mapper"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_dead_code() -> None:
    """vulture finds nothing unused but what .ci/vulture_whitelist.py names (with its reason)."""
    result = subprocess.run([_tool("vulture"), "mapper", ".ci/vulture_whitelist.py"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, ("delete it, or whitelist it with the reason:\n"
                                    + result.stdout[-4000:] + result.stderr[-2000:])


@pytest.mark.slow
def test_mypy_clean() -> None:
    result = subprocess.run([_tool("mypy"), "mapper"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


_BROAD = frozenset({"Exception", "BaseException"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _caught(node: ast.expr | None) -> set[str]:
    """The exception names an ``except`` clause catches ("<bare>" for ``except:``)."""
    if node is None:
        return {"<bare>"}
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    return {getattr(e, "id", getattr(e, "attr", "")) for e in items}


def unexplained_excepts(source: str) -> list[str]:
    """Line numbers and kinds of handlers that swallow more than they should, unexplained.

    A bare ``except:``, ``except Exception`` or ``except BaseException`` hides bugs; one that
    is kept (a worker boundary turning any failure into an error line) says why in a
    ``# reason:`` comment on its line or the next. An ``except ImportError`` must raise (a
    missing required dependency fails loudly; an optional extra fails with a message naming it)
    unless a ``# reason:`` explains the fallback.
    """
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ExceptHandler):
            continue
        names = _caught(node.type)
        explained = "# reason:" in " ".join(lines[node.lineno - 1:node.lineno + 1])
        if names & (_BROAD | {"<bare>"}) and not explained:
            found.append(f"{node.lineno}: broad except")
        elif names & _IMPORT_ERRORS and not explained and not any(
                isinstance(n, ast.Raise) for n in ast.walk(node)):
            found.append(f"{node.lineno}: import fallback")
    return found


def test_the_except_check_finds_what_it_should() -> None:
    source = "\n".join([
        "try: x()", "except: pass",                                         # 2
        "try: x()", "except Exception: pass",                               # 4
        "try: x()", "except (ValueError, BaseException): pass",             # 6
        "try: x()", "except Exception:  # reason: a worker boundary", "  pass",
        "try: import y", "except ImportError: y = None",                    # 11
        "try: import y", "except ModuleNotFoundError: raise SystemExit(1)",
        "try: x()", "except (ValueError, OSError): pass",
    ])
    assert unexplained_excepts(source) == [
        "2: broad except", "4: broad except", "6: broad except", "11: import fallback"]


def test_no_unexplained_broad_except() -> None:
    found = [f"{p.relative_to(ROOT)}:{where}" for p in sorted(PACKAGE.rglob("*.py"))
             for where in unexplained_excepts(p.read_text(encoding="utf-8"))]
    assert not found, ("catch the exceptions that can happen, or say why not with a "
                       f"`# reason:` comment: {found}")


def _bench_uses(source: str) -> list[int]:
    """Lines where ``source`` imports from bench/ or loads a bench/ file as a module."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            bad = any(a.name.startswith("bench") for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            bad = (node.module or "").startswith("bench")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                "spec_from_file_location", "insert", "append"):  # importlib, sys.path
            bad = "bench" in (ast.get_source_segment(source, node) or "")
        else:
            continue
        if bad:
            lines.append(node.lineno)
    return lines


def test_tests_import_nothing_from_bench() -> None:
    """Shared factories and scorers live in tests/ (bench/ imports them from there)."""
    assert _bench_uses("import bench_map\nfrom bench_x import y\nimport sys\n"
                       "sys.path.insert(0, 'bench')\nsys.path.insert(0, 'tests')\n") == [1, 2, 4]
    found = [f"{p.name}:{line}" for p in sorted((ROOT / "tests").glob("*.py"))
             for line in _bench_uses(p.read_text(encoding="utf-8"))]
    assert not found, f"move what these use from bench/ into tests/: {found}"


def test_the_session_writes_into_its_own_folder(session_dir: Path, user_cache: Path) -> None:
    """conftest points HOME and the caches into the session folder; the user's stay untouched."""
    from mapper.gazetteer.store import cache_dir, default_path

    assert Path(os.environ["HOME"]).is_relative_to(session_dir)
    assert cache_dir().is_relative_to(session_dir)
    assert not default_path().resolve().is_relative_to(user_cache.resolve())
