"""A ``--root`` tree with a state directory, a transaction record written the way an older
ifguard (or an attacker) would, and the real CLI run against it: shared by the issue 22 tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LO = b"auto lo\niface lo inet loopback\n"


def ifguard(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``ifguard ARGS[0] --root ROOT ARGS[1:]``, from ``/`` (no relative path leaks in)."""
    return subprocess.run(
        [sys.executable, "-m", "ifguard", args[0], "--root", str(root), *args[1:]],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd="/",
    )


def tree(tmp: Path, content: bytes = LO, name: str = "root") -> tuple[Path, Path]:
    """``tmp/name`` with ``/etc/network/interfaces`` holding ``content``, and its state dir."""
    root = tmp / name
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_bytes(content)
    state = root / "var/lib/ifguard"
    state.mkdir(parents=True, mode=0o700)
    return root, state


def applied_record(
    root: Path, state: Path, reload_cmd: list[list[str]], **changes: object
) -> dict[str, object]:
    """An APPLIED record past its deadline, as ifguard wrote them before 2026-12: with a
    ``reload_cmd`` (here one that leaves a mark if anything runs it). ``changes`` override."""
    blobs = state / "txn/t1"
    (blobs / "before").mkdir(parents=True)
    (blobs / "before/0").write_bytes(LO)
    txn: dict[str, object] = {
        "id": "t1",
        "created": 1.0,
        "timeout": 120.0,
        "deadline": 2.0,
        "state": "applied",
        "root": str(root),
        "targets": [
            {
                "path": str(root / "etc/network/interfaces"),
                "system_path": "/etc/network/interfaces",
                "before": str(blobs / "before/0"),
                "after": None,
            }
        ],
        "reload_cmd": reload_cmd,
        "candidate_hash": "x",
        "probes_enabled": False,
    }
    txn.update(changes)
    (state / "pending.json").write_text(json.dumps(txn))
    (state / "pending.json").chmod(0o600)
    return txn
