"""The shipped systemd units and the networking drop-in pass `systemd-analyze verify`, as
rendered and as `ifguard install` writes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ifguard.install import files, ops
from ifguard.system.root import Root
from tests.conftest import require_tool

IFGUARD = str(Path(sys.executable).with_name("ifguard"))

STUB_NETWORKING = """\
[Unit]
Description=stand-in for ifupdown2's networking.service
[Service]
Type=oneshot
ExecStart=/bin/true
ExecReload=/bin/true
RemainAfterExit=yes
"""


def _analyze() -> str:
    return require_tool("systemd-analyze", "systemd")


def _verify(unit: Path, *, unit_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if unit_path is not None:
        env["SYSTEMD_UNIT_PATH"] = f"{unit_path}:"  # trailing ':' keeps the default path too
    return subprocess.run(
        [_analyze(), "verify", str(unit)], capture_output=True, text=True, check=False, env=env
    )


def _installed(root: Path) -> None:
    ops.install(ops.Options(root=Root(root), ifguard=IFGUARD), lambda argv: 0, out=lambda s: None)


@pytest.mark.parametrize("textfile_dir", [False, True])
@pytest.mark.parametrize("name", ["ifguard-watch.service", "ifguard-boot.service"])
def test_installed_unit_verifies(tmp_path: Path, name: str, textfile_dir: bool) -> None:
    if textfile_dir:
        Root(tmp_path).path(files.TEXTFILE_DIR).mkdir(parents=True)
    _installed(tmp_path)
    unit = Root(tmp_path).path(f"{files.UNIT_DIR}/{name}")
    text = unit.read_text()
    assert ("--textfile-dir" in text) == (textfile_dir and name == "ifguard-watch.service")
    done = _verify(unit)
    problems = [line for line in done.stderr.splitlines() if name in line]
    assert done.returncode == 0 and problems == [], done.stderr


def test_networking_dropin_verifies(tmp_path: Path) -> None:
    _installed(tmp_path)
    unit_dir = Root(tmp_path).path(files.UNIT_DIR)
    (unit_dir / "networking.service").write_text(STUB_NETWORKING)
    done = _verify(unit_dir / "networking.service", unit_path=unit_dir)
    # the drop-in is read: a bad key or a missing executable names it or its command
    problems = [
        line
        for line in done.stderr.splitlines()
        if "ifguard.conf" in line or IFGUARD in line or "ifreload" in line
    ]
    assert done.returncode == 0 and problems == [], done.stderr


def test_dropin_verification_can_fail(tmp_path: Path) -> None:
    """The check above really reads the drop-in: a broken one is reported."""
    _installed(tmp_path)
    unit_dir = Root(tmp_path).path(files.UNIT_DIR)
    (unit_dir / "networking.service").write_text(STUB_NETWORKING)
    dropin = Root(tmp_path).path(files.DROPIN)
    dropin.write_text(dropin.read_text().replace(IFGUARD, "/nonexistent/ifguard"))
    done = _verify(unit_dir / "networking.service", unit_path=unit_dir)
    assert done.returncode != 0 and "/nonexistent/ifguard" in done.stderr, done.stderr
