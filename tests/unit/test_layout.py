"""The house keeps its shape: the layer contracts hold, no module imports itself round a
circle, rooms stay small enough to hold in one head, and an import hidden in a function
says why it is there."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ["pages", "ui", "demo", "jobs", "analytics", "core", "db", "emails", "common"]
TOP_MODULES = ["app.py", "manage.py", "runtime.py", "config.py"]
PAGE_LINES = 150
MODULE_LINES = 500
# why a function may import a project module: a real cycle, or a heavy import deferred
JUSTIFIED = ("cycle", "heavy", "defer", "lazy", "start-up", "startup")


def _project_files() -> list[Path]:
    files = [ROOT / m for m in TOP_MODULES]
    for package in PACKAGES:
        files += [f for f in (ROOT / package).rglob("*.py") if "migrations" not in f.parts]
    return sorted(files)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_project(name: str) -> bool:
    head = name.split(".")[0]
    return head in PACKAGES or f"{head}.py" in TOP_MODULES


def _imports(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The project modules an import statement names (a `from x import y` may name x.y)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if _is_project(a.name)]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        if not _is_project(base):
            return []
        return [base] + [f"{base}.{a.name}" for a in node.names]
    return []


def _graph() -> dict[str, set[str]]:
    files = _project_files()
    known = {_module_name(f) for f in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        name = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in tree.body:  # module level only: a function-level import runs later
            targets = [node]
            if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports do not run
                continue
            if isinstance(node, ast.Try):
                targets = list(node.body)
            for target in targets:
                edges |= {m for m in _imports(target, name, path.name == "__init__.py") if m in known}
        edges.discard(name)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_layer_contracts_hold():
    """`lint-imports` with the contracts of pyproject.toml (the layers, the areas' public
    services, no Streamlit below the screens, no SQL in pages, read-only analytics)."""
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    proc = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " 0 broken" in proc.stdout


def test_no_module_imports_itself_round_a_circle():
    graph = _graph()
    assert len(graph) > 100  # the whole project was read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_pages_are_thin_and_modules_small():
    too_big = []
    for path in _project_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        rel = path.relative_to(ROOT)
        limit = PAGE_LINES if rel.parts[0] == "pages" else MODULE_LINES
        if lines > limit:
            too_big.append(f"{rel}: {lines} lines (at most about {limit})")
    assert too_big == []


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for path in _project_files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        name = _module_name(path)
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if not _imports(inner, name, path.name == "__init__.py"):
                    continue
                assert isinstance(inner, (ast.Import, ast.ImportFrom))
                start = inner.lineno - 1  # the comment may stand above a run of imports
                while start > 0 and lines[start - 1].strip().startswith(("from ", "import ")):
                    start -= 1
                around = " ".join(lines[max(0, start - 2) : inner.end_lineno or inner.lineno]).lower()
                if not any(word in around for word in JUSTIFIED):
                    unexplained.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert unexplained == []


def test_tests_read_the_one_clock():
    """Tests take their days from tests/clock.py: the server's day is not the company's."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if path.name not in ("clock.py", "test_layout.py") and "date.today()" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
