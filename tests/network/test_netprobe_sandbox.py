"""The real probe code under the packaged unit's sandbox: ``RestrictAddressFamilies=AF_UNIX
AF_INET AF_INET6 AF_NETLINK`` makes ``socket(AF_PACKET)`` fail with EAFNOSUPPORT. The gateway
probe must fall back to ICMP, and a probe that cannot run at all says "cannot check" (error),
never "fail".

No systemd as PID 1 here, so ``tests/sandbox.py`` installs the same kind of seccomp filter
systemd does. Each case runs in a child process in a new network namespace of its own (only
``lo``, up): nothing reaches the machine's network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ifguard
from tests import sandbox
from tests.conftest import unavailable

REPO = Path(__file__).resolve().parents[2]
UNIT = "AF_UNIX,AF_INET,AF_INET6,AF_NETLINK"  # debian/ifguard-watch.service's list

PROBES = """
import errno, json, socket
from ifguard.network.netprobe import SystemNet
from ifguard.network.probe import _gateway, _target
out = {}
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()
    out["af_packet"] = "allowed"
except OSError as exc:
    out["af_packet"] = errno.errorcode.get(exc.errno or 0, str(exc.errno))
net = SystemNet()
out["arp"] = net.arp("lo", "127.0.0.1", 0.3)
out["gateway"] = list(_gateway(net, "lo", "127.0.0.1", 1.0))
out["tcp4"] = list(_target(net, "127.0.0.1:9", 1.0))
out["tcp6"] = list(_target(net, "[::1]:9", 1.0))
print(json.dumps(out))
"""


def run(families: str | None, *, path: str | None = None) -> dict[str, Any]:
    """PROBES in a new network namespace, under the sandbox (``families`` allowed) or not."""
    if os.geteuid() != 0:
        unavailable("a network namespace of its own needs root")
    if not sandbox.supported():
        unavailable("the seccomp sandbox knows x86_64 and aarch64 Linux only")
    tools = {tool: shutil.which(tool) for tool in ("unshare", "ip", "ping", "sh")}
    for tool, found in tools.items():
        if found is None:
            unavailable(f"{tool} is not installed")
    python = [sys.executable, "-c", PROBES]
    inner = python if families is None else [sys.executable, "-m", "tests.sandbox", families, "--"]
    if families is not None:
        inner += python
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(ifguard.__file__).parents[1]), str(REPO)])
    if path is not None:
        env["PATH"] = path
    up = f'{tools["ip"]} link set lo up && exec "$@"'  # absolute paths: PATH may be empty
    argv = [str(tools["unshare"]), "--net", "--", str(tools["sh"]), "-c", up, "-", *inner]
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_without_a_sandbox_arp_is_tried() -> None:
    """The control: the same code with AF_PACKET allowed sends ARP (``lo`` never answers)."""
    out = run(None)
    assert out["af_packet"] == "allowed"
    assert out["arp"] is False  # tried and silent, not "could not be tried"


@pytest.mark.slow
def test_under_the_units_sandbox_the_gateway_probe_falls_back_to_icmp() -> None:
    out = run(UNIT)
    assert out["af_packet"] == "EAFNOSUPPORT"  # the restriction is real
    assert out["arp"] is None  # could not be tried: not a failure, not an exception
    assert out["gateway"] == ["pass", "answers ICMP echo"]
    assert out["tcp4"][0] == "fail"  # a refused connection stays a failure


@pytest.mark.slow
def test_no_probe_method_can_run_is_cannot_check_never_fail(tmp_path: Path) -> None:
    out = run(UNIT, path=str(tmp_path))  # no ping on the PATH either
    assert out["arp"] is None
    assert out["gateway"][0] == "error"
    assert "could not send ARP or ICMP" in out["gateway"][1]


@pytest.mark.slow
def test_a_tcp_socket_the_sandbox_refuses_is_cannot_check() -> None:
    out = run("AF_UNIX,AF_INET,AF_NETLINK")  # no AF_INET6
    assert out["tcp6"][0] == "error"
    assert "could not try a TCP connection" in out["tcp6"][1]
    assert out["tcp4"][0] == "fail"
