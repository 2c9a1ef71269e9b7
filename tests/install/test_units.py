"""The shipped systemd units pass `systemd-analyze verify`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ifguard import install

IFGUARD = str(Path(sys.executable).with_name("ifguard"))


def _analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze not installed and CI is set")
        pytest.skip("systemd-analyze not installed")
    return found


@pytest.mark.parametrize("name,template", [("ifguard-watch.service", install.WATCH_UNIT),
                                           ("ifguard-boot.service", install.BOOT_UNIT)])
def test_unit_verifies(tmp_path: Path, name: str, template: str) -> None:
    unit = tmp_path / name
    unit.write_text(template.format(ifguard=IFGUARD))
    done = subprocess.run([_analyze(), "verify", str(unit)], capture_output=True, text=True,
                          check=False)
    problems = [line for line in done.stderr.splitlines() if name in line]
    assert done.returncode == 0 and problems == [], done.stderr
