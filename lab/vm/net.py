"""The VM lab's network: namespaces this harness owns, nothing on the machine's own network.

PREFIX-s  switch and gateway: userspace Open vSwitch (the machine's kernel has no OVS
          module; lab/ifguard_lab.py's Node) with bridge br0, bond ``po1`` of the guest's
          two taps (LACP active, balance-tcp, vlan_mode=native-untagged tag=1: the guest's
          bond0 partner), int-port gw1 (192.0.2.1/24, tag 1: the guest's gateway) and a
          routed uplink up0 (203.0.113.1/24) to the admin. qemu runs in this namespace
          (its taps are created here). arp_ignore/arp_announce: the namespace's own
          kernel must not answer the guest's ARP on a tap, around the switch.
PREFIX-a  the remote admin, eth0 203.0.113.50/24 via 203.0.113.1, and the alert
          receiver (lab/vm/receiver.py) on 203.0.113.50:8080.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from lab.ifguard_lab import SWITCH_DIRS, Node, admin_uplink, ovs_switch, sh

HERE = Path(__file__).resolve().parent
GUEST_MGMT = "192.0.2.10"
GATEWAY = "192.0.2.1"
ADMIN = "203.0.113.50"
RECEIVER_PORT = 8080


class VmNet:
    """Switch (with the guest's taps), admin and alert receiver, under ``base``."""

    def __init__(self, prefix: str, base: Path) -> None:
        self.prefix, self.base = prefix, base
        self.s = Node(f"{prefix}-s", base / "switch", SWITCH_DIRS)
        self.a = Node(f"{prefix}-a", base / "admin")
        self.taps = (f"{prefix}t0", f"{prefix}t1")
        self.alerts = base / "alerts.jsonl"
        self._receiver: subprocess.Popen[bytes] | None = None

    def up(self) -> None:
        self.down()
        self.base.mkdir(parents=True, exist_ok=True)
        self.s.create()
        self.a.create()
        s, a = self.s.ns, self.a.ns
        for key in ("all", "default"):
            sh(["ip", "netns", "exec", s, "sysctl", "-qw", f"net.ipv4.conf.{key}.arp_ignore=1"])
            sh(["ip", "netns", "exec", s, "sysctl", "-qw", f"net.ipv4.conf.{key}.arp_announce=2"])
        sh(["ip", "netns", "exec", s, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        for tap in self.taps:
            sh(["ip", "-n", s, "tuntap", "add", tap, "mode", "tap"])
            sh(["ip", "-n", s, "link", "set", tap, "up"])
        admin_uplink(s, a, ADMIN)
        self.s.start_ovs()
        ovs_switch(self.s, self.taps, (("gw1", 1, f"{GATEWAY}/24"),))
        self._receiver = start_receiver(self.a, self.alerts)
        (self.base / "receiver.pid").write_text(str(self._receiver.pid))

    def down(self) -> None:
        if self._receiver is not None:
            self._receiver.kill()
            self._receiver.wait()
            self._receiver = None
        pidfile = self.base / "receiver.pid"
        with contextlib.suppress(OSError, ValueError, ProcessLookupError):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)  # started by an earlier `up`
        pidfile.unlink(missing_ok=True)
        self.s.destroy()
        self.a.destroy()

    def switch(self, argv: list[str]) -> str:
        return self.s.run(argv, check=True).stdout

    def netns_argv(self, argv: list[str]) -> list[str]:
        """``argv`` in the switch's network namespace only (qemu: its taps are there)."""
        return ["ip", "netns", "exec", self.s.ns, *argv]

    def admin_reaches_guest(self, timeout: int = 1) -> bool:
        done = self.a.run(["ping", "-n", "-c", "1", "-W", str(timeout), GUEST_MGMT])
        return done.returncode == 0

    def wait_admin_reaches(self, timeout: float) -> float | None:
        """Seconds until the admin's first reply from the guest, None if none in time."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.admin_reaches_guest():
                return time.monotonic() - start
            time.sleep(0.1)
        return None

    def alerts_received(self) -> list[dict[str, Any]]:
        """Every POST the receiver got: ``{"t": host unix time, "body": parsed JSON}``."""
        if not self.alerts.exists():
            return []
        return [json.loads(x) for x in self.alerts.read_text().splitlines() if x.strip()]

    def lacp(self) -> str:
        return self.switch(["ovs-appctl", "lacp/show", "po1"])


def start_receiver(admin: Node, alerts: Path) -> subprocess.Popen[bytes]:
    """The alert receiver (lab/vm/receiver.py) on the admin's address, ``alerts`` emptied:
    one JSON line per alert the guests' watchers send."""
    alerts.write_text("")
    argv = [sys.executable, str(HERE / "receiver.py"), ADMIN, str(RECEIVER_PORT), str(alerts)]
    return subprocess.Popen(
        admin.argv(argv),
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
