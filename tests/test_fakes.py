"""One fake per protocol: every ``Protocol`` with methods in src/ has its fake in
tests/fakes.py, and no other test module writes a second one (a class with all of a protocol's
methods, same parameter names). A fake that drifts from its protocol fails mypy --strict
(the check block at the end of tests/fakes.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO / "tests" / "fakes.py"

Methods = dict[str, tuple[str, ...]]  # method name -> parameter names (without self)


def _methods(cls: ast.ClassDef) -> Methods:
    out: Methods = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
            out[node.name] = tuple(names[1:])
    return out


def _protocols() -> dict[str, Methods]:
    found: dict[str, Methods] = {}
    for path in sorted((REPO / "src" / "ifguard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "Protocol" for b in node.bases
            ):
                methods = _methods(node)
                if methods:  # attribute-only protocols (views of a state) need no fake
                    module = ".".join(path.relative_to(REPO / "src").with_suffix("").parts)
                    found[f"{module}.{node.name}"] = methods
    return found


def _classes(path: Path) -> list[tuple[str, Methods]]:
    tree = ast.parse(path.read_text(), str(path))
    return [(n.name, _methods(n)) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]


def _implements(cls: Methods, protocol: Methods) -> bool:
    return all(cls.get(name) == params for name, params in protocol.items())


@pytest.mark.slow
def test_the_protocols_are_found() -> None:
    protocols = _protocols()
    assert {"ifguard.system.runner.Runner", "ifguard.system.clock.Clock"} <= set(protocols)
    assert protocols["ifguard.system.clock.Clock"] == {"now": (), "sleep": ("seconds",)}


@pytest.mark.slow
def test_every_protocol_with_a_fake_in_use_has_it_in_tests_fakes() -> None:
    """Protocols only the real code implements in tests (e.g. the history store, used for
    real on SQLite) need no fake; a protocol that some test fakes has its fake here."""
    fakes = _classes(FAKES)
    elsewhere = [
        (path, name, methods)
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path != FAKES
        for name, methods in _classes(path)
    ]
    second = [
        f"{path.relative_to(REPO)}: class {name} fakes {proto}; use the one in tests/fakes.py"
        for proto, wanted in _protocols().items()
        for path, name, methods in elsewhere
        if _implements(methods, wanted)
    ]
    assert not second, "\n".join(second)
    faked = {
        proto
        for proto, wanted in _protocols().items()
        if any(_implements(m, wanted) for _, m in fakes)
    }
    assert {
        "ifguard.system.runner.Runner",
        "ifguard.system.clock.Clock",
        "ifguard.install.ops.Invoker",
        "ifguard.network.netprobe.Net",
        "ifguard.network.readers.netlink.NetlinkSource",
        "ifguard.apply.guardian.Spawner",
        "ifguard.watch.queue.Sender",
        "ifguard.watch.alerts.Sink",
    } <= faked
