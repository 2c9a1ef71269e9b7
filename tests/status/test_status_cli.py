"""`ifguard status` as an admin runs it, under a Proxmox-like --root: the summary, the exit
status, JSON, --update publishing, and the watcher's summary preferred while it runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from ifguard.status.publish import ISSUE, SUMMARY, TEXT
from ifguard.status.summary import Facts, Probe, build
from ifguard.store.history import History
from tests.conftest import REPO, unavailable

CLEAN = (REPO / "examples" / "proxmox-ovs.interfaces").read_text()
JUNK = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast "
    "master ovs-system state UP group default qlen 1000\n"
)


def tree(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "root"
    (root / "etc/network/interfaces.d").mkdir(parents=True)
    (root / "etc/network/interfaces").write_text(text)
    return root


def status(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifguard", "status", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_broken_file_named_with_the_restore_command(tmp_path: Path) -> None:
    root = tree(tmp_path, CLEAN)
    history = History(root / "var/lib/ifguard/history.db")
    good = history.record_version(
        {"/etc/network/interfaces": CLEAN.encode()}, source="watch", errors=0, warnings=0
    )
    history.mark_known_good(good)
    (root / "etc/network/interfaces").write_text(CLEAN + JUNK)
    proc = status(root)
    assert proc.returncode == 1, proc.stderr
    line = len(CLEAN.splitlines()) + 1
    assert f"/etc/network/interfaces:{line}: IFG101" in proc.stdout
    assert "> 27: enx60a4b758ba5b:" in proc.stdout
    assert f"    ifguard restore {good}\n" in proc.stdout
    assert "(checked now," in proc.stdout and "no pending transaction" in proc.stdout
    data = json.loads(status(root, "--format", "json").stdout)
    assert data["level"] == "broken" and data["pending"] is False
    assert data["summary"]["facts"]["known_good"] == good
    first = data["summary"]["facts"]["config"][0]["first"]
    assert first["line"] == line and first["text"] == JUNK.rstrip("\n")


@pytest.mark.slow
def test_update_publishes_for_console_and_logins(tmp_path: Path) -> None:
    root = tree(tmp_path, CLEAN + JUNK)
    proc = status(root, "--update", "--no-wall")
    assert proc.returncode == 1, proc.stderr
    text = (root / TEXT.lstrip("/")).read_text()
    assert text.startswith("ifguard: NETWORK BROKEN since ") and "IFG101" in text
    assert (root / ISSUE.lstrip("/")).read_text().lstrip("\n") == text
    published = json.loads((root / SUMMARY.lstrip("/")).read_text())
    assert published["summary"]["facts"]["checked_by"] == "boot"


@pytest.mark.slow
def test_the_running_watchers_summary_is_shown(tmp_path: Path) -> None:
    root = tree(tmp_path, CLEAN)
    summary = build(Facts(probes=(Probe("gateway 192.0.2.1 reachable", "pass"),)), time.time())
    # a process whose command line is `ifguard watch`, standing for the watcher that
    # published (python running a script named `watch` under argv[0] `ifguard`); any other
    # process with a `watch` argument is not believed (issue 22)
    (tmp_path / "watch").write_text("import time; time.sleep(60)\n")
    watcher = subprocess.Popen(
        ["/usr/sbin/ifguard", "watch"], executable=sys.executable, cwd=tmp_path
    )
    try:
        record: dict[str, Any] = {
            "summary": summary.to_dict(),
            "published": time.time(),
            "pid": watcher.pid,
            "wall_at": None,
        }
        path = root / SUMMARY.lstrip("/")
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(record))
        proc = status(root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.startswith("ifguard: network OK since ")
        assert f"(published by ifguard watch, pid {watcher.pid}" in proc.stdout
        # --check checks now instead (under --root: the tree's files, which are clean; this
        # machine's network is not the tree's and is not probed)
        checked = status(root, "--check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "(checked now," in checked.stdout and "published by" not in checked.stdout
    finally:
        watcher.kill()
        watcher.wait()
    proc = status(root)  # the publisher is gone: its summary is not trusted
    assert "(checked now," in proc.stdout


@pytest.mark.slow
def test_not_root_sees_the_watchers_summary(tmp_path: Path) -> None:
    """Anyone may read the summary (it is shown before login anyway); the transaction state
    stays root's. Without a running watcher, a user who cannot read the state gets one line."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        unavailable("needs root and setpriv to run as nobody")
    base = Path(tempfile.mkdtemp(prefix="ifguard-status-"))
    try:
        base.chmod(0o755)
        root = tree(base, CLEAN)
        state = root / "var/lib/ifguard"
        state.mkdir(parents=True, mode=0o700)
        summary = build(Facts(probes=(Probe("carrier eth0", "fail", "no carrier"),)), time.time())
        (base / "watch").write_text("import time; time.sleep(60)\n")  # as `ifguard watch`
        watcher = subprocess.Popen(
            ["/usr/sbin/ifguard", "watch"], executable=sys.executable, cwd=base
        )
        try:
            path = root / SUMMARY.lstrip("/")
            path.parent.mkdir(parents=True)
            record = {"summary": summary.to_dict(), "published": 1.0, "pid": watcher.pid}
            path.write_text(json.dumps(record))
            argv = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
            argv += ["-m", "ifguard", "status", "--root", str(root)]
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
            assert proc.returncode == 1, proc.stderr
            assert "FAIL carrier eth0: no carrier" in proc.stdout
            assert "is not readable here; run as root" in proc.stdout
        finally:
            watcher.kill()
            watcher.wait()
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    finally:
        shutil.rmtree(base)


@pytest.mark.slow
def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    root = tree(tmp_path, CLEAN)
    for args in (("--settle", "-1"), ("--target", "a:b:c:d:")):
        proc = status(root, *args)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
