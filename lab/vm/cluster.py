"""The cluster lab: three booted Debian 12 guests running Debian's corosync, like a three-node
Proxmox cluster, on one switch in namespaces this harness owns.

One image (lab/vm/image.py) for the three: ``ifguard.node=N`` on the kernel command line
makes guest N ``pveN`` (lab/vm/cluster-node.sh writes its hostname, /etc/network/interfaces
from lab/vm/cluster-interfaces and corosync.conf before the network starts).

PREFIX-s  the switch: userspace Open vSwitch bridge br0 with one LACP bond per node
          (``poN`` of taps ``PREFIX{N}t0``/``t1``: the node's ens18/ens19, native VLAN 1,
          trunking the rest), gateway int-port gw1 192.0.2.1/24 on VLAN 1 and the routed
          uplink to the admin. Corosync runs on VLAN 50 (10.50.0.N), which only the
          nodes have. qemu runs here.
PREFIX-a  the admin 203.0.113.50 and the alert receiver (lab/vm/receiver.py, :8080).

Node N: management 192.0.2.1N (vlan1), corosync 10.50.0.N (vlan50), ``pveN``.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lab.ifguard_lab import SWITCH_DIRS, Node, admin_uplink, sh
from lab.vm.guest import Guest, GuestError
from lab.vm.image import Image
from lab.vm.net import ADMIN, start_receiver

HERE = Path(__file__).resolve().parent
NODES = (1, 2, 3)


def mgmt(n: int) -> str:
    return f"192.0.2.1{n}"


def ring0(n: int) -> str:
    return f"10.50.0.{n}"


class NodeWiring:
    """One node's taps on the cluster switch (lab/vm/guest.py's ``Wiring``)."""

    def __init__(self, net: ClusterNet, n: int) -> None:
        self._net, self.taps = net, (f"{net.prefix}{n}t0", f"{net.prefix}{n}t1")

    def netns_argv(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self._net.s.ns, *argv]


class ClusterNet:
    def __init__(self, prefix: str, base: Path) -> None:
        self.prefix, self.base = prefix, base
        self.s = Node(f"{prefix}-s", base / "switch", SWITCH_DIRS)
        self.a = Node(f"{prefix}-a", base / "admin")
        self.nodes = {n: NodeWiring(self, n) for n in NODES}
        self.alerts = base / "alerts.jsonl"
        self._receiver: subprocess.Popen[bytes] | None = None

    def switch(self, argv: list[str]) -> str:
        return self.s.run(argv, check=True).stdout

    def up(self) -> None:
        self.down()
        self.base.mkdir(parents=True, exist_ok=True)
        self.s.create()
        self.a.create()
        s, a = self.s.ns, self.a.ns
        for key in ("all", "default"):  # the namespace's kernel must not answer on a tap
            sh(["ip", "netns", "exec", s, "sysctl", "-qw", f"net.ipv4.conf.{key}.arp_ignore=1"])
            sh(["ip", "netns", "exec", s, "sysctl", "-qw", f"net.ipv4.conf.{key}.arp_announce=2"])
        sh(["ip", "netns", "exec", s, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        admin_uplink(s, a, ADMIN)
        self.s.start_ovs()
        vs = ["ovs-vsctl", "--"]
        self.switch([*vs, "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev"])
        for n, wiring in self.nodes.items():
            for tap in wiring.taps:
                sh(["ip", "-n", s, "tuntap", "add", tap, "mode", "tap"])
                sh(["ip", "-n", s, "link", "set", tap, "up"])
            bond = ["lacp=active", "bond_mode=balance-tcp", "vlan_mode=native-untagged", "tag=1"]
            self.switch([*vs, "add-bond", "br0", f"po{n}", *wiring.taps, *bond])
        gw = ["gw1", "tag=1", "--", "set", "interface", "gw1", "type=internal"]
        self.switch([*vs, "add-port", "br0", *gw])
        self.switch(["ip", "addr", "add", "192.0.2.1/24", "dev", "gw1"])
        self.switch(["ip", "link", "set", "gw1", "up"])
        self.switch(["ip", "link", "set", "br0", "up"])
        self._receiver = start_receiver(self.a, self.alerts)

    def down(self) -> None:
        if self._receiver is not None:
            self._receiver.kill()
            self._receiver.wait()
            self._receiver = None
        self.s.destroy()
        self.a.destroy()

    def admin_reaches(self, n: int, timeout: int = 1) -> bool:
        done = self.a.run(["ping", "-n", "-c", "1", "-W", str(timeout), mgmt(n)])
        return done.returncode == 0

    def alerts_received(self) -> list[dict[str, Any]]:
        """Every POST the receiver got: ``{"t": host unix time, "body": parsed JSON}``."""
        if not self.alerts.exists():
            return []
        return [json.loads(x) for x in self.alerts.read_text().splitlines() if x.strip()]


def qmp(guest: Guest, command: str, **arguments: object) -> dict[str, Any]:
    """One QMP command to ``guest``'s qemu (``set_link``: a cable pulled); its answer."""
    with contextlib.closing(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)) as q:
        q.settimeout(10)
        q.connect(str(guest.work / "qmp.sock"))
        f = q.makefile("rwb")
        f.readline()  # the greeting
        for req in ({"execute": "qmp_capabilities"}, {"execute": command, "arguments": arguments}):
            f.write(json.dumps(req).encode() + b"\n")
            f.flush()
            while True:  # events may come before the answer
                answer: dict[str, Any] = json.loads(f.readline())
                if "return" in answer or "error" in answer:
                    break
        return answer


def members(out: str) -> set[int]:
    """Node ids in ``corosync-quorumtool -s`` output's membership table."""
    _, _, table = out.partition("Membership information")
    return {int(m.group(1), 0) for m in re.finditer(r"^\s*(0x[0-9a-f]+|\d+)\s+\d+\s", table, re.M)}


class ClusterLab:
    """Three guests on ``ClusterNet``; files under ``base``."""

    def __init__(self, image: Image, base: Path, prefix: str = "ifgc", memory: int = 768) -> None:
        self.net = ClusterNet(prefix, base / "net")
        self.guests = {
            n: Guest(
                image,
                self.net.nodes[n],
                base / f"pve{n}",
                memory,
                ident=n,
                # three TCG guests booting at once on a loaded 2-core machine: udev's
                # coldplug took minutes, past systemd's 90 s wait for /dev/ttyS0. quiet:
                # the kernel's and systemd's boot chatter off the emulated UART (errors
                # and the node unit's trace still reach it)
                append=f"ifguard.node={n} systemd.default_device_timeout_sec=900 quiet",
                cpus=1,
            )
            for n in NODES
        }

    def start(self, together: bool = False, timeout: float = 1200) -> dict[int, float]:
        """Network up, the three guests booted until systemd is running; seconds from the
        first qemu start until each node ran. One after the other by default: three TCG
        guests booting together on a 2-core machine took 5 min (each qemu burning ~3.5 min
        of CPU), one alone ~1 min; ``together``: as after a power cut."""
        self.net.up()
        t0 = time.monotonic()
        ran: dict[int, float] = {}
        for n, g in self.guests.items():
            g.create_overlay()
            g.start()
            if not together:
                g.wait_running(timeout=timeout)
                ran[n] = time.monotonic() - t0
        for n, g in self.guests.items():
            if together:
                g.wait_running(timeout=timeout)
                ran[n] = time.monotonic() - t0
        return ran

    def stop(self) -> None:
        for g in self.guests.values():
            with contextlib.suppress(GuestError, OSError):
                g.stop()
        self.net.down()

    def view(self, n: int) -> tuple[bool, set[int]]:
        """(quorate, member ids) as node ``n``'s corosync says; (False, set()) if it cannot."""
        r = self.guests[n].run("corosync-quorumtool -s", timeout=20)
        return "Quorate:          Yes" in r.out, members(r.out)

    def wait_quorate(self, nodes: tuple[int, ...], want: set[int], timeout: float) -> float:
        """Seconds until every node in ``nodes`` is quorate with exactly ``want`` as members."""
        start = time.monotonic()
        pending = set(nodes)
        while time.monotonic() - start < timeout:
            for n in sorted(pending):
                quorate, ids = self.view(n)
                if quorate and ids == want:
                    pending.discard(n)
            if not pending:
                return time.monotonic() - start
            time.sleep(0.5)
        raise GuestError(f"nodes {sorted(pending)} not quorate with {sorted(want)} in {timeout} s")

    def clock_offset(self, n: int) -> float:
        """Guest clock minus host clock (s), from one driver round trip."""
        before = time.time()
        t = self.guests[n].run("true").t
        return t - (before + time.time()) / 2

    def each(self) -> Iterator[tuple[int, Guest]]:
        yield from self.guests.items()
