"""The network-namespace lab (lab/ifguard_lab.py) as a pytest fixture.

Each test gets a freshly built lab (about 1.5 s): the incident host running the clean
configuration, reachable from the admin namespace. Without root or the tools the e2e tests
are skipped - except under CI (``CI`` set), where a missing prerequisite is a failure:
.ci/run installs everything they need.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from lab.ifguard_lab import Lab, missing_tools  # noqa: E402
from tests.conftest import unavailable  # noqa: E402


def _unavailable() -> str | None:
    if os.geteuid() != 0:
        return "the lab needs root (network and mount namespaces)"
    missing = missing_tools()
    if missing:
        return f"the lab needs {' '.join(missing)} (bash scripts/dev-setup.sh installs them)"
    if shutil.which("ip") and not Path("/usr/share/openvswitch/vswitch.ovsschema").exists():
        return "the lab needs the Open vSwitch schema (openvswitch-common)"
    return None


@pytest.fixture
def lab() -> Iterator[Any]:
    reason = _unavailable()
    if reason:
        unavailable(f"e2e prerequisites missing: {reason}")
    # One lab at a time on a machine: its namespaces and directories have fixed names, so two
    # test runs (two checkouts, two developers) wait for each other instead of colliding.
    with open("/run/ifguard-lab.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lab = Lab(prefix="ifgt")
        lab.up()
        try:
            yield lab
        finally:
            lab.down()


def ifguard(lab: Any, *args: str) -> Any:
    """``ifguard ARGS`` inside the lab host (its namespaces, its /etc/network)."""
    return lab.host([sys.executable, "-m", "ifguard", *args])
