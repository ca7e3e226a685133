"""The package map holds: every capability package sits in a layer, only the few top-level
modules stay flat, and no module imports itself back through others (no cycles)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.conftest import ROOT

#: folders that install under another import name (pyproject package-dir)
FOLDERS = {"otio_plugins": "aiclear", "adapters": "aiclear.adapters", "gui": "aiclear.gui"}
TOP_LEVEL = {"errors", "model", "plugin"}


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _layered() -> set[str]:
    [layers] = [c for c in _contracts() if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.replace(":", "|").split("|")}


def test_every_package_sits_in_a_layer_and_only_a_few_modules_stay_flat() -> None:
    core = ROOT / "otio_plugins"
    flat = {p.stem for p in core.glob("*.py") if p.stem != "__init__"}
    packages = {p.name for p in core.iterdir() if (p / "__init__.py").is_file()}
    assert flat == TOP_LEVEL
    expected = {f"aiclear.{p}" for p in packages} | {"aiclear.adapters", "aiclear.errors", "aiclear.model"}
    assert _layered() == expected


def test_nothing_below_the_gui_imports_qt() -> None:
    [ban] = [c for c in _contracts() if c["type"] == "forbidden"]
    assert ban["source_modules"] == ["aiclear"]
    assert {"aiclear.gui", "PySide6", "shiboken6"} <= set(ban["forbidden_modules"])


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    parts = [FOLDERS[rel.parts[0]], *rel.with_suffix("").parts[1:]]
    name = ".".join(parts)
    return name.removesuffix(".__init__")


def _imports(path: Path, name: str) -> set[str]:
    """Every aiclear module ``path`` imports (at module level or inside functions)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                   for stmt in block.body for n in ast.walk(stmt)}  # type: ignore[attr-defined]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # ``if TYPE_CHECKING:`` imports name types for hints; nothing runs them
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m.startswith("aiclear")}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _graph() -> dict[str, set[str]]:
    files = {}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                files[_module_name(path)] = path
    return {name: _imports(path, name) & files.keys() - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    graph = _graph()
    # a package's __init__ is imported by each of its modules: only its own imports count
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_architecture_doc_names_only_packages_that_exist() -> None:
    """docs/architecture.md matches the tree: every ``aiclear.x`` it names is a package or
    module, and every capability package is named."""
    import re

    doc = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`(aiclear(?:\.\w+)+)`", doc))
    import importlib.util

    missing = {n for n in named if importlib.util.find_spec(n) is None}
    assert missing == set()
    packages = {f"aiclear.{p.name}" for p in (ROOT / "otio_plugins").iterdir()
                if (p / "__init__.py").is_file()}
    assert packages <= named
