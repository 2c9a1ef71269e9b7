"""The import graph follows the layers drawn in docs/architecture.md: a module imports only its
own package and the packages below it, and no chain of imports comes back to where it started.

A new upward import (say ``ifguard.network`` importing ``ifguard.apply``) fails here, with the
file and line to look at.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# package -> the packages it may import (besides itself and the root ``ifguard`` package)
ALLOWED: dict[str, set[str]] = {
    "system": set(),
    "config": {"system"},
    "store": {"system"},
    "lint": {"system", "config"},
    "network": {"system", "config"},
    "apply": {"system", "config", "lint", "network", "store"},
    "status": {"system", "config", "lint", "network", "store"},
    "watch": {"system", "config", "lint", "network", "store", "status"},
    "install": {"system", "config"},
    "doctor": {"system", "config", "store", "status", "watch", "install"},
    "commands": {
        "system",
        "config",
        "lint",
        "network",
        "store",
        "apply",
        "status",
        "watch",
        "install",
        "doctor",
        "commands",
    },
    "cli": {"system", "commands"},
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "ifguard").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(path: Path) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ifguard":
                found.extend((f"ifguard.{a.name}", node.lineno) for a in node.names)
            elif node.module.startswith("ifguard."):
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((a.name, node.lineno) for a in node.names if a.name.startswith("ifguard"))
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def test_every_package_has_a_layer() -> None:
    layers = {layer for m in _modules() if (layer := _layer(m)) and layer != "__init__"}
    assert layers <= set(ALLOWED), f"add {sorted(layers - set(ALLOWED))} to ALLOWED and the docs"


@pytest.mark.slow
def test_no_upward_imports() -> None:
    bad = []
    for module, path in _modules().items():
        mine = _layer(module)
        if mine is None:
            continue
        for target, line in _imports(path):
            theirs = _layer(target)
            if theirs is None or theirs == "__version__" or theirs == mine:
                continue
            if theirs not in ALLOWED.get(mine, set()):
                bad.append(f"{path.relative_to(SRC.parent)}:{line}: {mine} imports {target}")
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


@pytest.mark.slow
def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        m: {t for name, _ in _imports(p) if (t := _resolve(name, modules)) and t != m}
        for m, p in modules.items()
    }
    # a package's __init__ is imported whenever one of its modules is: not an edge of its own
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            raise AssertionError("import cycle: " + " -> ".join(cycle))


def test_the_docs_draw_the_same_layers() -> None:
    import re

    doc = (SRC.parent / "docs" / "architecture.md").read_text()
    table = {
        m.group(1): set(re.findall(r"`(\w+)`", m.group(2)))
        for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", doc, re.M)
        if m.group(1) in ALLOWED
    }
    expected = {k: v - {k} for k, v in ALLOWED.items() if k != "__main__"}
    assert table == expected, "docs/architecture.md's layer table differs from ALLOWED"
