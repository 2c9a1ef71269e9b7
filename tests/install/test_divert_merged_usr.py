"""Merged /usr: ifupdown2 ships ``/sbin/ifreload`` and dpkg knows it by that path only, so a
diversion of ``/usr/sbin/ifreload`` alone does not stop an upgrade or a reinstall of
ifupdown2 from writing over the wrapper (found in the VM lab's path 5: after
``apt-get install --reinstall ifupdown2`` the gate was gone). Run for real: a package that
ships /sbin/ifreload is installed and reinstalled with dpkg into a merged-/usr root."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ifguard.install import files as F
from ifguard.install import ops
from ifguard.install.uninstall import uninstall
from ifguard.system.root import Root
from tests.conftest import require_tool
from tests.install.test_install import IFGUARD, host

REAL = b"#!/bin/sh\necho the real ifreload\n"


def _package(tmp: Path) -> Path:
    pkg = tmp / "pkg"
    (pkg / "DEBIAN").mkdir(parents=True)
    (pkg / "sbin").mkdir()
    (pkg / "DEBIAN/control").write_text(
        "Package: fake-ifupdown2\nVersion: 1\nArchitecture: all\n"
        "Maintainer: lab <lab@example.org>\nDescription: ships /sbin/ifreload\n"
    )
    (pkg / "sbin/ifreload").write_bytes(REAL)
    (pkg / "sbin/ifreload").chmod(0o755)
    deb = tmp / "fake-ifupdown2.deb"
    subprocess.run(
        ["dpkg-deb", "-b", "--root-owner-group", str(pkg), str(deb)],
        check=True,
        capture_output=True,
    )
    return deb


def _dpkg_install(root: Path, deb: Path) -> None:
    subprocess.run(
        ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-not-root", "-i", str(deb)],
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_a_reinstall_of_ifupdown2_keeps_the_wrapper(tmp_path: Path) -> None:
    require_tool("dpkg-divert", "dpkg")
    require_tool("dpkg-deb", "dpkg")
    root = host(tmp_path)
    (root / "usr/sbin").mkdir(parents=True)
    (root / "sbin").symlink_to("usr/sbin")  # merged /usr, as on bookworm
    for d in ("info", "updates", "triggers"):
        (root / "var/lib/dpkg" / d).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    (root / "var/lib/dpkg/diversions").touch()
    deb = _package(tmp_path)
    _dpkg_install(root, deb)
    assert (root / "usr/sbin/ifreload").read_bytes() == REAL

    opts = ops.Options(root=Root(root), ifguard=IFGUARD, divert_ifreload=True)
    assert ops.install(opts, ops.invoke, out=lambda _l: None) == 0
    wrapper = (root / "usr/sbin/ifreload").read_bytes()
    assert b"ifguard" in wrapper

    _dpkg_install(root, deb)  # the upgrade / `apt-get install --reinstall ifupdown2`
    assert (root / "usr/sbin/ifreload").read_bytes() == wrapper, "the upgrade replaced the gate"
    assert (root / F.IFRELOAD_ORIG.lstrip("/")).read_bytes() == REAL

    assert uninstall(Root(root), ops.invoke, manage_systemd=False) == 0
    assert (root / "usr/sbin/ifreload").read_bytes() == REAL
    assert not (root / F.IFRELOAD_ORIG.lstrip("/")).exists()
    assert (root / "var/lib/dpkg/diversions").read_text() == ""
