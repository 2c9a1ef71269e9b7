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
from tests.install.test_install import networking_unit

IFGUARD = str(Path(sys.executable).with_name("ifguard"))


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


@pytest.mark.slow
@pytest.mark.parametrize("textfile_dir", [False, True])
@pytest.mark.parametrize(
    "name", ["ifguard-watch.service", "ifguard-boot.service", "ifguard-status.service"]
)
def test_installed_unit_verifies(tmp_path: Path, name: str, textfile_dir: bool) -> None:
    if textfile_dir:
        Root(tmp_path).path(files.TEXTFILE_DIR).mkdir(parents=True)
    _installed(tmp_path)
    unit = Root(tmp_path).path(f"{files.UNIT_DIR}/{name}")
    text = unit.read_text()
    assert "--textfile-dir" not in text  # the watcher finds node_exporter's directory itself
    done = _verify(unit)
    problems = [line for line in done.stderr.splitlines() if name in line]
    assert done.returncode == 0 and problems == [], done.stderr


def _with_networking(root: Path) -> Path:
    """The real networking.service (Debian's ifupdown2) under ``root``, then ifguard
    installed: the drop-in is built from that unit. Returns the unit dir to verify with."""
    lib = Root(root).path("/lib/systemd/system")
    lib.mkdir(parents=True)
    (lib / "networking.service").write_text(networking_unit())
    _installed(root)
    assert Root(root).path(files.DROPIN).is_file()
    return lib


def _verify_networking(root: Path, lib: Path) -> subprocess.CompletedProcess[str]:
    unit_dirs = f"{Root(root).path(files.UNIT_DIR)}:{lib}"
    return _verify(lib / "networking.service", unit_path=Path(unit_dirs))


@pytest.mark.slow
def test_networking_dropin_verifies(tmp_path: Path) -> None:
    done = _verify_networking(tmp_path, _with_networking(tmp_path))
    # the drop-in is read: a bad key or a missing executable names it or its command
    problems = [
        line
        for line in done.stderr.splitlines()
        if "ifguard.conf" in line or IFGUARD in line or "start-networking" in line
    ]
    assert done.returncode == 0 and problems == [], done.stderr


@pytest.mark.slow
def test_dropin_verification_can_fail(tmp_path: Path) -> None:
    """The check above really reads the drop-in: a broken one is reported."""
    lib = _with_networking(tmp_path)
    dropin = Root(tmp_path).path(files.DROPIN)
    dropin.write_text(dropin.read_text().replace(IFGUARD, "/nonexistent/ifguard"))
    done = _verify_networking(tmp_path, lib)
    assert done.returncode != 0 and "/nonexistent/ifguard" in done.stderr, done.stderr


def test_the_boot_unit_starts_only_when_a_transaction_is_open() -> None:
    """ifguard-boot.service is on the boot's critical path (before networking): its
    condition is the very file an open transaction keeps, so other boots start no Python."""
    from ifguard.store.statedir import PENDING
    from ifguard.system.paths import STATE_DIR

    text = files.unit_text("ifguard-boot.service", "/usr/bin/ifguard")
    assert f"ConditionPathExists={STATE_DIR}/{PENDING}\n" in text
    assert "After=local-fs.target pvenetcommit.service\n" in text


def test_the_status_unit_restores_a_cut_before_it_publishes() -> None:
    text = files.unit_text("ifguard-status.service", "/usr/bin/ifguard")
    pre = text.index("ExecStartPre=-+/usr/bin/ifguard rollback --after-boot")
    assert pre < text.index("ExecStart=/usr/bin/ifguard status --update")
