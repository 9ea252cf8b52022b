"""The layout rules of CONTRIBUTING.md, held by tests so they stay true.

No import cycle (imports under TYPE_CHECKING count too), no module of the
integration over 400 lines, an API client without Home Assistant, and one place
that turns a failed poll into UpdateFailed (errors.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import INTEGRATION

ROOT = Path(__file__).parents[1]
EMULATOR = ROOT / "spotify_emulator"
MAX_LINES = 400


def _modules(package: Path) -> dict[str, Path]:
    """Return dotted name -> file of every module in `package`."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the modules of `known` that module `name` imports, anywhere in it."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".")
                parent = parent[: len(parent) - node.level + is_package]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module in known and module != name}


def _cycles(package: Path) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    modules = _modules(package)
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


@pytest.mark.parametrize("package", [INTEGRATION, EMULATOR], ids=lambda p: p.name)
def test_no_import_cycle(package: Path) -> None:
    """A module never reaches itself through imports, type-only ones included."""
    assert _cycles(package) == []


def test_the_cycle_finder_finds_a_type_only_cycle(tmp_path: Path) -> None:
    """The check above can fail: two modules importing each other, one type-only."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n"
    )
    (package / "b.py").write_text("from . import a\n")
    assert _cycles(package) == [["pkg.a", "pkg.b"]]


def test_no_module_over_400_lines() -> None:
    """The integration's modules stay small enough to read in one go."""
    long = {
        str(path.relative_to(INTEGRATION)): lines
        for path in INTEGRATION.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_api_client_has_no_home_assistant_import() -> None:
    """The client package runs on aiohttp alone, as a library would."""
    for path in (INTEGRATION / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            assert not any(name.startswith("homeassistant") for name in names), path


def test_only_errors_py_raises_update_failed() -> None:
    """A failed poll means what errors.py says, and nowhere else."""
    raising = sorted(
        path.name
        for path in INTEGRATION.rglob("*.py")
        if "UpdateFailed(" in path.read_text()
    )
    assert raising == ["errors.py"]
