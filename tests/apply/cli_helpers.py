"""Run the real `ifguard` apply-family commands under a temporary root with a fake reload."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests import conftest
from tests.conftest import REPO

CLEAN = REPO / "examples" / "proxmox-ovs.interfaces"
INCIDENT = REPO / "examples" / "incident.interfaces"
MAIN = "etc/network/interfaces"


def make_root(tmp: Path) -> Path:
    root = tmp / "root"
    (root / "etc/network").mkdir(parents=True)
    (root / MAIN).write_bytes(CLEAN.read_bytes())
    return root


def reload_cmd(root: Path) -> str:
    """A reload that only records that it ran (no network is touched)."""
    log = root / "reloads.log"
    code = f"open({str(log)!r}, 'a').write('reload\\n')"
    return f'{sys.executable} -c "{code}"'


def reloads(root: Path) -> int:
    log = root / "reloads.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def argv(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ifguard", *args, "--root", str(root)]


def apply_argv(root: Path, candidate: Path, *extra: str) -> list[str]:
    return argv(
        root,
        "apply",
        str(candidate),
        "--reload-cmd",
        reload_cmd(root),
        "--no-probes",
        "--spawner",
        "fork",
        *extra,
    )


def ifguard(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv(root, *args), capture_output=True, text=True, timeout=timeout)


def status(root: Path) -> dict[str, Any]:
    proc = ifguard(root, "status", "--format", "json")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def wait_closed(root: Path, limit: float = 30) -> dict[str, Any]:
    """`ifguard status` of ``root`` once no transaction is open."""
    return conftest.wait_closed(lambda: status(root), limit=limit)


def candidate(tmp: Path, old: str, new: str, name: str = "candidate") -> Path:
    text = CLEAN.read_text()
    assert old in text
    path = tmp / name
    path.write_text(text.replace(old, new))
    return path
