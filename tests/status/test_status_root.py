"""``ifguard status --root DIR`` checks the tree's files only: the machine running the command
is not the host of that tree, so its network is neither read nor probed (no ARP or ICMP from a
test or a rescue shell to whatever gateway the tree's file names)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = b"""auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
"""


def status_json(root: Path) -> subprocess.CompletedProcess[str]:
    argv = ["status", "--root", str(root), "--state-dir", str(root / "state"), "--format", "json"]
    return subprocess.run(
        [sys.executable, "-m", "ifguard", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_status_under_another_root_checks_files_only(tmp_path: Path) -> None:
    (tmp_path / "etc/network").mkdir(parents=True)
    (tmp_path / "etc/network/interfaces").write_bytes(CONFIG)
    done = status_json(tmp_path)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)["summary"]["facts"]
    assert facts["probes"] is None and facts["drift"] == [] and facts["bonds"] == []
    assert facts["config"][0]["errors"] == 0  # the files were checked


@pytest.mark.slow
def test_status_under_another_root_still_reports_a_broken_file(tmp_path: Path) -> None:
    (tmp_path / "etc/network").mkdir(parents=True)
    junk = b"27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master ovs-system\n"
    (tmp_path / "etc/network/interfaces").write_bytes(CONFIG + junk)
    done = status_json(tmp_path)
    assert done.returncode == 1, done.stderr
    first = json.loads(done.stdout)["summary"]["facts"]["config"][0]["first"]
    assert first["code"] == "IFG101" and first["line"] == 8
