"""What the cluster VM tests (test_vm_cluster.py) share: a membership sampler, the alerts the
receiver got, the boot analysis and the failure diagnostics of the three nodes."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from lab.vm.cluster import ClusterLab, members
from lab.vm.fleet import Fleet
from lab.vm.guest import GuestError
from tests.e2e.vm.report import figure

DIAG = (
    "corosync-quorumtool -s; corosync-cfgtool -s",
    "ifguard status; echo; ifguard history | tail -10",
    "systemctl --failed --no-legend --plain; systemd-analyze; systemd-analyze blame | head -12",
    "journalctl -b --no-pager -o short-precise -n 250",
)


def say(name: str, value: str) -> None:
    print(f"\nFIGURE {name}: {value}")
    figure(name, value)


def boot_analysis(lab: ClusterLab) -> None:
    """Each node's systemd-analyze (kernel + userspace) and its three slowest units."""
    for n, g in lab.each():
        total = g.run("systemd-analyze", timeout=60).out.strip().splitlines()
        blame = g.run("systemd-analyze blame --no-pager | head -3", timeout=60).out.split("\n")
        slow = "; ".join(" ".join(x.split()) for x in blame if x.strip())
        say(f"cluster boot: pve{n} systemd-analyze", f"{total[0] if total else '?'} | {slow}")


def dump(lab: ClusterLab, what: str) -> Path:
    """Every node's corosync, ifguard, failed units and journal, and its console's tail,
    into $IFGUARD_VM_DIAG (default /tmp/ifguard-vm-diag); the file's path."""
    out = Path(os.environ.get("IFGUARD_VM_DIAG", "/tmp/ifguard-vm-diag"))
    out.mkdir(parents=True, exist_ok=True)
    parts = []
    for n, g in lab.each():
        parts.append(f"######## pve{n}")
        for cmd in DIAG:
            try:
                r = g.run(cmd, timeout=60)
                parts.append(f"$ {cmd}\n{r.out}{r.err}")
            except GuestError as exc:
                parts.append(f"$ {cmd}\n(no answer: {exc})")
        parts.append("== serial console (last 4000 characters)\n" + g.console_text()[-4000:])
    path = out / f"cluster-{what}-{int(time.time())}.txt"
    path.write_text("\n\n".join(parts))
    return path


class Membership:
    """Node ``observer`` asks its corosync every ~0.5 s: is ``node`` a member?"""

    def __init__(self, lab: ClusterLab, observer: int = 2, node: int = 1) -> None:
        self.lab, self.observer, self.node = lab, observer, node
        self.samples: list[tuple[float, bool]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            r = self.lab.guests[self.observer].run("corosync-quorumtool -s", timeout=20)
            self.samples.append((time.monotonic(), self.node in members(r.out)))
            time.sleep(0.5)

    def start(self) -> None:
        self.thread.start()

    def settle(self, timeout: float) -> None:
        """Until the node has been a member for 10 s (or ``timeout``); then stop asking."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            recent = [ok for t, ok in self.samples if t > time.monotonic() - 10]
            if len(recent) >= 3 and all(recent):
                break
            time.sleep(0.5)
        self.stop.set()
        self.thread.join(30)

    def out_seconds(self) -> float:
        """The longest stretch the node was out of the membership (0: never seen out)."""
        longest, left = 0.0, None
        for t, member in self.samples:
            if not member and left is None:
                left = t
            elif member and left is not None:
                longest, left = max(longest, t - left), None
        if left is not None:
            longest = max(longest, self.samples[-1][0] - left)
        return longest

    def period(self) -> float:
        """The mean time between two samples (the resolution of ``out_seconds``)."""
        if len(self.samples) < 2:
            return 0.0
        return (self.samples[-1][0] - self.samples[0][0]) / (len(self.samples) - 1)


def cluster_alerts(lab: ClusterLab, n: int) -> list[dict[str, Any]]:
    return lab.net.alerts_received()[n:]


def title(a: dict[str, Any]) -> str:
    return str(a["body"].get("title", "")) if isinstance(a["body"], dict) else ""


def wait_titles(
    lab: ClusterLab, n: int, pattern: str, count: int, timeout: float
) -> list[dict[str, Any]]:
    end = time.monotonic() + timeout
    found: list[dict[str, Any]] = []
    while time.monotonic() < end:
        found = [a for a in cluster_alerts(lab, n) if re.search(pattern, title(a))]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return found


def wait_known_good(lab: ClusterLab, n: int, timeout: float) -> bool:
    """Until node ``n``'s watcher has recorded a known-good version (a guarded reload's way
    back)."""
    end = time.monotonic() + timeout
    g = lab.guests[n]
    while time.monotonic() < end:
        if g.run("grep -q '\"known_good\": [0-9]' /run/ifguard/summary.json").rc == 0:
            return True
        time.sleep(2)
    return False


NODE_LEFT = "IfguardClusterNodeLeft"


def pages(fleet: Fleet, n: int, status: str) -> list[dict[str, Any]]:
    """The on-call's notifications for pve1 leaving since the ``n``th, with ``status``."""
    return [
        p
        for p in fleet.notifications()[n:]
        if p["body"].get("groupLabels") == {"alertname": NODE_LEFT, "node": "pve1"}
        and p["body"].get("status") == status
    ]
