"""The real probes in the lab's host under the packaged watcher's sandbox
(``RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK``: no AF_PACKET, so no ARP;
tests/sandbox.py installs the same seccomp filter systemd does). A healthy host stays healthy:
the gateway answers ICMP instead, and ``ifguard status --check`` says ok - never broken."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

import ifguard
from tests import sandbox
from tests.conftest import REPO, unavailable

pytestmark = pytest.mark.e2e

UNIT = "AF_UNIX,AF_INET,AF_INET6,AF_NETLINK"


def sandboxed(lab: Any, *args: str) -> Any:
    """``ifguard ARGS`` in the lab host, under the unit's address-family restriction."""
    if not sandbox.supported():
        unavailable("the seccomp sandbox knows x86_64 and aarch64 Linux only")
    python = [sys.executable, "-m", "tests.sandbox", UNIT, "--", sys.executable, "-m", "ifguard"]
    path = os.pathsep.join([str(Path(ifguard.__file__).parents[1]), str(REPO)])
    return lab.host([*python, *args], env={**os.environ, "PYTHONPATH": path}, cwd=REPO)


def test_a_healthy_lab_host_is_healthy_under_the_units_sandbox(lab: Any) -> None:
    done = sandboxed(lab, "probe", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    probes = {p["name"]: (p["status"], p["detail"]) for p in json.loads(done.stdout)["probes"]}
    assert probes["gateway 192.0.2.1 reachable"] == ("pass", "answers ICMP echo")  # not ARP
    assert probes["bond bond0 members"][0] == "pass"

    status = sandboxed(lab, "status", "--check", "--format", "json")
    assert status.returncode == 0, status.stdout + status.stderr
    assert json.loads(status.stdout)["level"] == "ok"


def test_a_silent_gateway_under_the_sandbox_is_still_a_failure(lab: Any) -> None:
    """The fallback hides nothing: with the gateway gone, ICMP (what could run) is silent."""
    lab.switch(["ip", "link", "set", "gw1", "arp", "off"], check=True)
    lab.switch(["sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1"], check=True)
    done = sandboxed(lab, "probe", "--format", "json", "--timeout", "1")
    assert done.returncode == 1, done.stdout + done.stderr
    probes = {p["name"]: (p["status"], p["detail"]) for p in json.loads(done.stdout)["probes"]}
    assert probes["gateway 192.0.2.1 reachable"] == (
        "fail",
        "no ICMP reply (ARP could not be tried)",
    )
