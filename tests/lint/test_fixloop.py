"""`lint --fix` until nothing changes: overlapping fixes over several passes, one backup
holding the bytes from before the run (lint/fixloop.py, in-process)."""

from __future__ import annotations

from pathlib import Path

from ifguard.lint.engine import HostResult, lint_host
from ifguard.lint.fixloop import fix_until_stable
from ifguard.lint.settings import Settings
from ifguard.system.fsutil import backup_path
from ifguard.system.root import Root

JUNK = "27: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP\n"


def test_fixes_until_stable_and_backs_up_once(tmp_path: Path) -> None:
    path = tmp_path / "interfaces"
    before = ("auto lo\r\niface lo inet loopback\r\n" + JUNK.replace("\n", "\r\n")).encode()
    path.write_bytes(before)
    runs: list[HostResult] = []

    def again() -> HostResult:
        runs.append(lint_host(Root(tmp_path), Settings(), paths=[path]))
        return runs[-1]

    said: list[str] = []
    final = fix_until_stable(again(), again, said.append)
    assert final is runs[-1] and len(runs) >= 2
    assert not [d for d in final.diagnostics if d.fix is not None]
    fixed = path.read_bytes()
    assert b"\r" not in fixed and b"27: eth0" not in fixed
    assert backup_path(path).read_bytes() == before  # the bytes from before the first write
    assert said and all(line.startswith("fixed ") and str(path) in line for line in said)


def test_nothing_to_fix_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "interfaces"
    path.write_bytes(b"auto lo\niface lo inet loopback\n")
    result = lint_host(Root(tmp_path), Settings(), paths=[path])
    said: list[str] = []
    assert fix_until_stable(result, lambda: result, said.append) is result
    assert said == [] and not backup_path(path).exists()
