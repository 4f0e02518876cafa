"""The house's arrows, read from the code: every import of the project's modules, the ones inside
functions too, parsed with ``ast``. views -> ui -> monitoring <- data_loaders; no module cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("monitoring", "data_loaders", "ui", "views")

# who may not import whom (the importer's package -> packages it must never import)
FORBIDDEN = {
    "monitoring": {"ui", "views", "data_loaders", "streamlit"},
    "data_loaders": {"ui", "views", "streamlit"},
    "ui": {"views"},
}
# ui/ and views/ reach the loader through ui/load_job.py alone (a child process for a file; the first
# start's sample and the reading of a typed number in the server's process)
LOADER_DOOR = "ui.load_job"


def _modules() -> dict[str, Path]:
    out = {"dashboard": ROOT / "dashboard.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (a module, or a module's attribute)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {t for t in _imports(path) if t in modules and t != name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_module_cycle_even_through_imports_inside_functions():
    graph = _graph()
    # a package's __init__ gathering its modules is not a cycle with them
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_arrow_points_the_way_the_house_says():
    wrong = []
    for name, path in _modules().items():
        package = name.split(".")[0]
        for target in _imports(path):
            top = target.split(".")[0]
            if top in FORBIDDEN.get(package, set()):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_ui_and_views_reach_the_loader_only_through_the_upload_job():
    found = set()
    for name, path in _modules().items():
        if name.split(".")[0] in ("ui", "views", "dashboard") and name != LOADER_DOOR:
            for target in _imports(path):
                if target.split(".")[0] == "data_loaders":
                    found.add(f"{name} imports {target}")
    assert found == set()


def test_no_module_imports_another_modules_private_name():
    wrong = []
    modules = _modules()
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in modules and node.module != name:
                wrong += [f"{name}: from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")]
    assert wrong == []
