#!/usr/bin/env python3
"""Measure the code's layout (run by hand; figures for issue #24's closing note):

- the package import graph: layers (packages of src/ifguard) and edges (package -> package,
  and module -> module), as tests/test_layers.py reads imports;
- the request's path: one `ifguard apply CANDIDATE --no-wait` run in-process under a temporary
  root with a fake reload, traced: the src/ifguard files entered, the apply/ files entered, and
  the returns from one file into a caller in another file (distinct call sites, per package);
- lines in commands/;
- the places an apply option touches: the source lines (and files) naming ``probe_timeout``,
  the model of "add one more option" (parser, request, relays, record, defaults).

    PYTHONPATH=src python benchmarks/layout.py
"""

from __future__ import annotations

import ast
import contextlib
import io
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PKG = SRC / "ifguard"


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ifguard":
                found.update(f"ifguard.{a.name}" for a in node.names)
            elif node.module.startswith("ifguard."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ifguard"))
    return found


def resolve(name: str, mods: dict[str, Path]) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "ifguard"


def graph() -> None:
    mods = modules()
    edges = {
        (m, t) for m, p in mods.items() for n in imports(p) if (t := resolve(n, mods)) and t != m
    }
    pkg_edges = {(layer(a), layer(b)) for a, b in edges if layer(a) != layer(b)}
    layers = sorted({layer(m) for m in mods} - {"ifguard", "__main__"})
    print(f"layers: {len(layers)} ({', '.join(layers)})")
    print(f"package edges: {len(pkg_edges)}; module edges: {len(edges)}")
    for a in layers:
        print(f"  {a:9} -> {', '.join(sorted(b for x, b in pkg_edges if x == a)) or '-'}")
    into_apply = sorted({a for a, b in pkg_edges if b == "apply"})
    print(f"packages importing apply: {', '.join(into_apply)}")


def commands_lines() -> None:
    files = sorted((PKG / "commands").glob("*.py"))
    total = sum(len(f.read_text().splitlines()) for f in files)
    print(f"commands/: {total} lines in {len(files)} files")


def option_places(option: str = "probe_timeout") -> None:
    hits = subprocess.run(
        ["grep", "-rn", "--include=*.py", option, str(PKG)], capture_output=True, text=True
    ).stdout.splitlines()
    files = Counter(h.split(":")[0].replace(str(PKG) + "/", "") for h in hits)
    print(f"`{option}` named on {len(hits)} lines in {len(files)} files: {dict(files)}")


def trace_apply() -> None:
    from ifguard import cli

    example = REPO / "examples" / "proxmox-ovs.interfaces"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        (root / "etc/network").mkdir(parents=True)
        (root / "etc/network/interfaces").write_bytes(example.read_bytes())
        cand = Path(tmp) / "candidate"
        cand.write_text(example.read_text().replace("tag=1001", "tag=1002"))
        argv = ["apply", str(cand), "--root", str(root), "--reload-cmd", "true"]
        argv += ["--no-probes", "--spawner", "fork", "--no-wait", "--timeout", "60"]
        entered: set[str] = set()
        returns: set[tuple[str, str, int]] = set()

        def rel(frame: FrameType | None) -> str | None:
            if frame is None:
                return None
            name = frame.f_code.co_filename
            return name[len(str(PKG)) + 1 :] if name.startswith(str(PKG)) else None

        def prof(frame: FrameType, event: str, _arg: Any) -> None:
            me = rel(frame)
            if me is None:
                return
            if event == "call":
                entered.add(me)
            elif event == "return":
                caller = rel(frame.f_back)
                if caller is not None and caller != me and frame.f_back is not None:
                    returns.add((me, caller, frame.f_back.f_lineno))

        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            sys.setprofile(prof)
            try:
                code = cli.main(argv)
            finally:
                sys.setprofile(None)
        # the guardian was detached: roll it back so nothing stays behind
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            cli.main(["rollback", "--root", str(root)])
    in_apply = sorted(f for f in entered if f.startswith("apply/"))
    from_apply = [r for r in returns if r[0].startswith("apply/")]
    up = Counter(layer("ifguard." + c.replace("/", ".")) for _, c, _ in from_apply)
    print(f"apply run: exit {code}; files entered: {len(entered)}; apply/ files: {len(in_apply)}")
    print(f"  apply/ files: {', '.join(in_apply)}")
    print(
        f"  cross-file returns (call sites): {len(returns)}; from apply/ files: {len(from_apply)}"
    )
    print(f"  returns from apply/ by the caller's package: {dict(up)}")


if __name__ == "__main__":
    graph()
    commands_lines()
    option_places()
    option_places("reload_timeout")
    trace_apply()
