"""Two labs with different ``--prefix`` coexist (docs/lab.md): taking one down leaves the
other working - its host still reads its private /etc/pve, /etc/corosync, /etc/ceph and
/etc/ifguard (bound on mount points the labs share on this machine) and the admin still
reaches it. The mount points go away with the last lab."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.ifguard_lab import CLUSTER_DIRS, Lab, mounted_anywhere
from tests.conftest import unavailable
from tests.e2e.conftest import _unavailable

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_labs() -> Iterator[tuple[Lab, Lab]]:
    reason = _unavailable()
    if reason:
        unavailable(f"e2e prerequisites missing: {reason}")
    with open("/run/ifguard-lab.lock", "a") as lock:  # one lab test at a time on a machine
        fcntl.flock(lock, fcntl.LOCK_EX)
        first, second = Lab(prefix="ifgc1"), Lab(prefix="ifgc2")
        try:
            first.up()
            second.up()
            yield first, second
        finally:
            first.down()
            second.down()


def private_files_readable(lab: Lab) -> bool:
    done = lab.host(
        ["cat", "/etc/pve/corosync.conf", "/etc/corosync/corosync.conf", "/etc/pve/ceph.conf"]
    )
    return done.returncode == 0 and "ring0_addr: 198.51.100.10" in done.stdout


def test_taking_one_lab_down_leaves_the_other_working(two_labs: tuple[Lab, Lab]) -> None:
    first, second = two_labs
    assert private_files_readable(first) and private_files_readable(second)
    (second.h.root / "etc/ifguard/ifguard.toml").write_text("# second lab\n")

    first.down()

    assert private_files_readable(second), "the second lab lost its private /etc mounts"
    shown = second.host(["cat", "/etc/ifguard/ifguard.toml"])
    assert shown.returncode == 0 and shown.stdout == "# second lab\n"
    assert second.admin_reaches_host(timeout=2)
    assert all(Path("/" + d).is_dir() for d in CLUSTER_DIRS)  # still its mount points

    second.down()
    # the last lab removes the empty mount points it made (unless something is mounted on
    # one somewhere: a lab outside this test, the machine's own /etc/pve)
    busy = mounted_anywhere({"/" + d for d in CLUSTER_DIRS})
    leftover = [
        d
        for d in CLUSTER_DIRS
        if Path("/" + d).is_dir() and not any(Path("/" + d).iterdir()) and "/" + d not in busy
    ]
    assert leftover == []
