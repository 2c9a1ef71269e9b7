"""What `ifguard install` adds for the console, run for real: the update-motd.d script prints
the published summary (and nothing before the first one), and agetty follows the issue.d
symlink to the published text - or shows nothing while it dangles (before the first check
of a boot: /run is empty)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.install import files as F
from ifguard.install import ops
from ifguard.status.publish import ISSUE, TEXT, Console
from ifguard.status.summary import Facts, Probe
from ifguard.system.root import Root
from tests.conftest import require_tool
from tests.fakes import FakeRunner
from tests.status.agetty import agetty_shows

IFGUARD = str(Path(sys.executable).with_name("ifguard"))
BROKEN = Facts(probes=(Probe("gateway 192.0.2.1 reachable", "fail", "no ARP or ICMP reply"),))


def installed(tmp_path: Path) -> Root:
    root = Root(tmp_path)
    rc = ops.install(ops.Options(root=root, ifguard=IFGUARD), lambda argv: 0, out=lambda s: None)
    assert rc == 0
    return root


def motd(root: Root) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root.path(F.MOTD_SCRIPT))], capture_output=True, text=True, timeout=10, check=False
    )


@pytest.mark.slow
def test_motd_script_prints_the_published_summary(tmp_path: Path) -> None:
    root = installed(tmp_path)
    before = motd(root)
    assert before.returncode == 0 and before.stdout == "" and before.stderr == ""
    Console(root, FakeRunner()).publish(BROKEN)
    after = motd(root)
    assert after.returncode == 0 and after.stderr == ""
    assert after.stdout == "\n" + root.path(TEXT).read_text()
    assert "FAIL gateway 192.0.2.1 reachable" in after.stdout
    # run-parts as pam_motd runs it (Debian: run-parts --lsbsysinit /etc/update-motd.d)
    run_parts = require_tool("run-parts", "debianutils")
    parts = subprocess.run(
        [run_parts, "--lsbsysinit", str(root.path("/etc/update-motd.d"))],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert parts.returncode == 0 and "NETWORK BROKEN" in parts.stdout


@pytest.mark.slow
def test_agetty_follows_the_issue_link_and_ignores_it_dangling(tmp_path: Path) -> None:
    root = Root(tmp_path / "root")
    Console(root, FakeRunner()).publish(BROKEN)
    issue_d = tmp_path / "issue.d"
    issue_d.mkdir()
    # as installed, but pointing into this test's tree instead of the host's /run/ifguard
    os.symlink(root.path(ISSUE), issue_d / "ifguard.issue")
    os.symlink(tmp_path / "missing" / "issue", issue_d / "other.issue")
    assert agetty_shows(issue_d).strip("\n") == root.path(TEXT).read_text().strip("\n")
    (issue_d / "ifguard.issue").unlink()
    assert agetty_shows(issue_d).strip() == ""  # only the dangling link is left: nothing, no error
