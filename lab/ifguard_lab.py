#!/usr/bin/env python3
"""A network-namespace copy of the incident host, driven by Debian's real ifupdown2 and Open
vSwitch. Nothing outside the namespaces and the lab directory is touched.

    PREFIX-h  the Proxmox host. Private mount namespace in which /etc/network, /run/network,
              /var/tmp/network (ifupdown2 state), /run/openvswitch, /etc/openvswitch,
              /var/log/openvswitch, /var/log/ifupdown2 and /var/lib/ifguard are bound to
              directories under the lab dir, and /usr/bin/ovs-vsctl to a wrapper that gives
              every bridge it creates ``datapath_type=netdev`` (the kernel has no openvswitch
              module). Own ovsdb-server + ovs-vswitchd. NICs enp1s0 and enx60a4b758ba5b
              (veths), bond0 (OVS, LACP balance-tcp) in vmbr0 with int-ports vlan1
              (192.0.2.10/24, management, tag 1) and vlan1001 (198.51.100.10/24, tag 1001).
    PREFIX-s  the switch and gateway: its own Open vSwitch with bridge br0, bond ``po1`` of
              sw1+sw2 (LACP active, balance-tcp, vlan_mode=native-untagged tag=1), int-port
              gw1 (192.0.2.1/24, tag 1), gw1001 (198.51.100.1/24, tag 1001), and a routed
              uplink up0 (203.0.113.1/24) to the admin.
    PREFIX-a  the remote admin, eth0 203.0.113.50/24, default via 203.0.113.1.
    PREFIX-p  pve2, the host's cluster peer: eth0 198.51.100.20/24 on the switch's VLAN 1001
              (access port swp), answering ping and UDP 5405 (corosync's port). The host's
              private /etc/pve holds corosync.conf (pve1 = 198.51.100.10, pve2 = .20, link 0)
              and ceph.conf (public/cluster network 198.51.100.0/24, monitors .10 and .20).

Fidelity gaps (see docs/lab.md): the userspace datapath creates no kernel device for an OVS
bond, so a tap named ``bond0`` stands in for the one ifupdown2 looks up; OVS bridges and
int-ports are taps, not "openvswitch" kernel devices.

Command line: ``python3 lab/ifguard_lab.py up|down|status|exec host|switch|admin CMD...``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
INCIDENT = (REPO / "examples" / "proxmox-ovs.interfaces").read_text()
HOST_DIRS = (
    "etc/network",
    "run/network",
    "var/tmp/network",
    "run/openvswitch",
    "etc/openvswitch",
    "var/log/openvswitch",
    "var/log/ifupdown2",
    "var/lib/ifguard",
    "run/ifguard",  # the console summary (ifguard.status), the host's own
    "etc/pve",
    "etc/corosync",
    "etc/ceph",
    "etc/ifguard",
)
# mount points the lab creates on the machine (empty; removed again by `down` when empty and
# no other lab - any mount namespace - still has something mounted on them)
CLUSTER_DIRS = ("etc/pve", "etc/corosync", "etc/ceph", "etc/ifguard")
MOUNT_POINT_LOCK = Path("/run/ifguard-lab-mountpoints.lock")
SWITCH_DIRS = ("run/openvswitch", "etc/openvswitch", "var/log/openvswitch")
TOOLS = (
    "ip",
    "nsenter",
    "unshare",
    "mount",
    "ovsdb-server",
    "ovs-vswitchd",
    "ovsdb-tool",
    "ovs-vsctl",
    "ovs-appctl",
    "ifreload",
    "ping",
)
WRAPPER = """#!/bin/sh
# ifguard lab: the kernel has no openvswitch module, so every bridge gets the userspace
# datapath; ifupdown2 calls /usr/bin/ovs-vsctl by absolute path, hence this bind mount.
extra=""
prev=""
for a in "$@"; do
    if [ "$prev" = "add-br" ]; then extra="$extra -- set bridge $a datapath_type=netdev"; fi
    case "$a" in --*) ;; *) prev="$a" ;; esac
done
exec {real} "$@" $extra
"""


# The host (pve1) and its peer (pve2) form a two-node Proxmox cluster whose corosync link 0
# and Ceph public network run over vlan1001 (tag 1001).
COROSYNC_CONF = """\
logging {
  debug: off
  to_syslog: yes
}

nodelist {
  node {
    name: pve1
    nodeid: 1
    quorum_votes: 1
    ring0_addr: 198.51.100.10
  }
  node {
    name: pve2
    nodeid: 2
    quorum_votes: 1
    ring0_addr: 198.51.100.20
  }
}

quorum {
  provider: corosync_votequorum
}

totem {
  cluster_name: ifguard-lab
  config_version: 2
  interface {
    linknumber: 0
  }
  ip_version: ipv4-6
  link_mode: passive
  secauth: on
  version: 2
}
"""
CEPH_CONF = """\
[global]
\t auth_client_required = cephx
\t auth_cluster_required = cephx
\t auth_service_required = cephx
\t cluster_network = 198.51.100.0/24
\t fsid = 5a4e1c9e-0000-4000-8000-1fab1e5eed00
\t mon_host = 198.51.100.10 198.51.100.20
\t public_network = 198.51.100.0/24

[mon.pve1]
\t public_addr = 198.51.100.10
"""
# The peer's corosync stand-in: answers every UDP datagram on port 5405 (knet's default).
# SO_NO_CHECK (11): no UDP checksum. The veth would leave it to an offload the userspace
# datapath never performs, and the host would drop every answer as corrupt.
UDP_ECHO = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 11, 1)
s.bind((sys.argv[1], 5405))
while True:
    data, addr = s.recvfrom(2048)
    s.sendto(data, addr)
"""


class LabError(RuntimeError):
    pass


def sh(argv: list[str], check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, **kw)
    if check and proc.returncode != 0:
        raise LabError(f"{' '.join(argv)}: exit {proc.returncode}: {proc.stderr.strip()}")
    return proc


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@contextlib.contextmanager
def mount_point_lock() -> Iterator[None]:
    """Held while a lab creates its mount points and binds them, and while one removes them:
    a lab coming up never loses a mount point to another one going down."""
    with open(MOUNT_POINT_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def mounted_anywhere(paths: set[str]) -> set[str]:
    """Those of ``paths`` that are a mount point in some mount namespace on this machine
    (another lab's private one, or the machine's own). Removing such a directory from here
    would silently detach that mount everywhere (Linux >= 3.18)."""
    found: set[str] = set()
    seen: set[str] = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ns = os.readlink(proc / "ns" / "mnt")
            if ns in seen:
                continue
            text = (proc / "mountinfo").read_text()
        except OSError:
            continue  # gone, or a kernel thread
        seen.add(ns)
        found.update(f[4] for f in (line.split() for line in text.splitlines()) if f[4] in paths)
    return found


def _wait_exited(pid: int, timeout: float = 2.0) -> None:
    """Until ``pid`` has exited (gone, or a zombie nobody reaped yet)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.01)


class Node:
    """One network namespace; with ``dirs``, also a private mount namespace held open by a
    ``sleep`` process, in which those directories are bound to ``root/DIR``."""

    def __init__(self, ns: str, root: Path, dirs: tuple[str, ...] = ()) -> None:
        self.ns, self.root, self.dirs = ns, root, dirs
        self.pidfile = root.parent / f"{ns}.holder"

    @property
    def pid(self) -> str:
        return self.pidfile.read_text().strip() if self.pidfile.exists() else ""

    def create(self) -> None:
        sh(["ip", "netns", "add", self.ns])
        sh(["ip", "-n", self.ns, "link", "set", "lo", "up"])
        if not self.dirs:
            return
        for d in self.dirs:
            (self.root / d).mkdir(parents=True, exist_ok=True)
        holder = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                self.ns,
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sleep",
                "infinity",
            ],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
        # the holder's pid is the unshare'd sleep (unshare execs it): wait until its mount
        # namespace differs from ours
        mine = os.readlink("/proc/self/ns/mnt")
        for _ in range(100):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{holder.pid}/ns/mnt") != mine and Path(
                    f"/proc/{holder.pid}/cmdline"
                ).read_bytes().startswith(b"sleep"):
                    break
            time.sleep(0.02)
        self.pidfile.write_text(str(holder.pid))
        with mount_point_lock():
            for d in self.dirs:
                Path("/" + d).mkdir(parents=True, exist_ok=True)
                self.mount_bind(self.root / d, "/" + d)

    def mount_bind(self, source: Path, target: str) -> None:
        sh(["nsenter", "-t", self.pid, "-m", "mount", "--bind", str(source), target])

    def argv(self, argv: list[str]) -> list[str]:
        if self.dirs:
            # entering a mount namespace resets the working directory to its root: keep the
            # caller's, so `exec host .venv/bin/ifguard probe` finds a relative path
            return ["nsenter", "-t", self.pid, "-m", "-n", f"--wd={os.getcwd()}", *argv]
        return ["ip", "netns", "exec", self.ns, *argv]

    def run(
        self, argv: list[str], check: bool = False, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        return sh(self.argv(argv), check=check, **kw)

    def destroy(self) -> None:
        for name in ("ovsdb-server.pid", "ovs-vswitchd.pid"):
            p = self.root / "run/openvswitch" / name
            with contextlib.suppress(OSError, ValueError, ProcessLookupError):
                os.kill(int(p.read_text()), signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError, ProcessLookupError):
            os.kill(int(self.pid), signal.SIGKILL)
            _wait_exited(int(self.pid))  # its mount namespace goes with it
        with contextlib.suppress(OSError):
            self.pidfile.unlink()
        # anything still running inside the namespace (a guardian, ovs daemons) goes too
        pids = sh(["ip", "netns", "pids", self.ns], check=False).stdout.split()
        for pid in pids:
            with contextlib.suppress(OSError, ValueError, ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        sh(["ip", "netns", "del", self.ns], check=False)

    def start_ovs(self) -> None:
        run = "/run/openvswitch"
        self.run(
            [
                "ovsdb-tool",
                "create",
                "/etc/openvswitch/conf.db",
                "/usr/share/openvswitch/vswitch.ovsschema",
            ],
            check=True,
        )
        self.run(
            [
                "ovsdb-server",
                "/etc/openvswitch/conf.db",
                f"--remote=punix:{run}/db.sock",
                f"--pidfile={run}/ovsdb-server.pid",
                "--detach",
                "--log-file=/var/log/openvswitch/ovsdb-server.log",
            ],
            check=True,
        )
        self.run(["ovs-vsctl", "--no-wait", "init"], check=True)
        # default pid file names: ovs-appctl finds the daemons by them
        self.run(
            [
                "ovs-vswitchd",
                f"--pidfile={run}/ovs-vswitchd.pid",
                "--detach",
                "--log-file=/var/log/openvswitch/ovs-vswitchd.log",
            ],
            check=True,
        )


def veth(name: str, ns: str, peer: str, peer_ns: str) -> None:
    """A veth pair: ``name`` in namespace ``ns``, its peer ``peer`` in ``peer_ns``."""
    here, there = ["netns", ns], ["netns", peer_ns]
    sh(["ip", "link", "add", name, *here, "type", "veth", "peer", "name", peer, *there])


def admin_uplink(switch_ns: str, admin_ns: str, admin_ip: str) -> None:
    """The routed uplink from the switch (up0, 203.0.113.1/24) to the remote admin (eth0,
    ``admin_ip``/24, default route via up0)."""
    veth("up0", switch_ns, "eth0", admin_ns)
    sh(["ip", "-n", switch_ns, "addr", "add", "203.0.113.1/24", "dev", "up0"])
    sh(["ip", "-n", switch_ns, "link", "set", "up0", "up"])
    sh(["ip", "-n", admin_ns, "addr", "add", f"{admin_ip}/24", "dev", "eth0"])
    sh(["ip", "-n", admin_ns, "link", "set", "eth0", "up"])
    sh(["ip", "-n", admin_ns, "route", "add", "default", "via", "203.0.113.1"])


def ovs_switch(
    node: Node, members: Sequence[str], gateways: Sequence[tuple[str, int, str]]
) -> None:
    """In ``node``'s running Open vSwitch: bridge br0 (userspace datapath), bond po1 of
    ``members`` (LACP active, balance-tcp, vlan_mode=native-untagged tag=1: the partner of
    the lab host's or VM guest's bond0) and, for each (port, tag, address) of ``gateways``,
    an internal port on that VLAN holding that address."""
    vs = ["ovs-vsctl", "--"]
    netdev = ["--", "set", "bridge", "br0", "datapath_type=netdev"]
    node.run([*vs, "add-br", "br0", *netdev], check=True)
    bond = ["lacp=active", "bond_mode=balance-tcp", "vlan_mode=native-untagged", "tag=1"]
    node.run([*vs, "add-bond", "br0", "po1", *members, *bond], check=True)
    for port, tag, addr in gateways:
        internal = ["--", "set", "interface", port, "type=internal"]
        node.run([*vs, "add-port", "br0", port, f"tag={tag}", *internal], check=True)
        node.run(["ip", "addr", "add", addr, "dev", port], check=True)
        node.run(["ip", "link", "set", port, "up"], check=True)
    node.run(["ip", "link", "set", "br0", "up"], check=True)


class Lab:
    """The incident host, its switch/gateway and a remote admin (see the module docstring)."""

    mgmt = "192.0.2.10"
    gateway = "192.0.2.1"
    admin_ip = "203.0.113.50"
    nics = ("enp1s0", "enx60a4b758ba5b")
    peer_ip = "198.51.100.20"  # pve2's corosync link 0 (vlan1001's subnet)

    def __init__(self, prefix: str = "ifgl", base: Path | None = None) -> None:
        self.prefix = prefix
        self.base = base or Path(f"/tmp/ifguard-lab-{prefix}")
        self.h = Node(f"{prefix}-h", self.base / "host", HOST_DIRS)
        self.s = Node(f"{prefix}-s", self.base / "switch", SWITCH_DIRS)
        self.a = Node(f"{prefix}-a", self.base / "admin")
        self.p = Node(f"{prefix}-p", self.base / "peer")

    # --- life cycle ---------------------------------------------------------------------
    def up(self, config: str = INCIDENT, timeout: float = 30.0) -> None:
        """Build everything, bring the incident configuration up with ``ifreload -a`` and
        wait until the admin reaches the host (LACP negotiated). Raises LabError."""
        missing = missing_tools()
        if missing:
            raise LabError(f"missing tools: {' '.join(missing)} (run scripts/dev-setup.sh)")
        self.down()
        self.base.mkdir(parents=True)
        for node in (self.h, self.s, self.a, self.p):
            node.create()
        self._wire()
        self._host_files()
        self.h.start_ovs()
        self.s.start_ovs()
        self._switch()
        self._peer()
        self.write_interfaces(config)
        self.ifreload()
        if not self.wait_reachable(timeout):
            raise LabError(
                f"the admin does not reach {self.mgmt} after {timeout} s:\n"
                + self.host(["ovs-appctl", "lacp/show"]).stdout
            )

    def down(self) -> None:
        for node in (self.h, self.s, self.a, self.p):
            node.destroy()
        if self.base.exists():
            shutil.rmtree(self.base)
        # the empty mount points, unless something lives there or another lab (another
        # --prefix) still has its private directory bound on one
        with mount_point_lock():
            busy = mounted_anywhere({"/" + d for d in CLUSTER_DIRS})
            for d in CLUSTER_DIRS:
                if "/" + d not in busy:
                    with contextlib.suppress(OSError):
                        Path("/" + d).rmdir()

    def _wire(self) -> None:
        h, s, p = self.h.ns, self.s.ns, self.p.ns
        for nic, peer in zip(self.nics, ("sw1", "sw2"), strict=True):
            veth(nic, h, peer, s)
        # the stand-in for the kernel bond device ifupdown2 looks up (fidelity gap)
        sh(["ip", "-n", h, "tuntap", "add", "bond0", "mode", "tap"])
        for ns in (h, s):  # OVS members must not answer ARP for the namespace's addresses
            sh(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1"])
        sh(["ip", "netns", "exec", s, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        admin_uplink(s, self.a.ns, self.admin_ip)
        for dev in ("sw1", "sw2"):
            sh(["ip", "-n", s, "link", "set", dev, "up"])
        # the cluster peer, an access port of VLAN 1001 on the switch
        veth("swp", s, "eth0", p)
        sh(["ip", "-n", p, "addr", "add", f"{self.peer_ip}/24", "dev", "eth0"])
        sh(["ip", "-n", p, "link", "set", "eth0", "up"])
        sh(["ip", "-n", s, "link", "set", "swp", "up"])

    def _host_files(self) -> None:
        root = self.h.root
        shutil.copytree("/etc/network/ifupdown2", root / "etc/network/ifupdown2")
        (root / "etc/network/interfaces.d").mkdir(exist_ok=True)
        real = self.base / "ovs-vsctl.real"
        shutil.copy2("/usr/bin/ovs-vsctl", real)
        wrapper = self.base / "ovs-vsctl.wrapper"
        wrapper.write_text(WRAPPER.format(real=real))
        wrapper.chmod(0o755)
        self.h.mount_bind(wrapper, "/usr/bin/ovs-vsctl")
        (root / "etc/pve/corosync.conf").write_text(COROSYNC_CONF)
        (root / "etc/corosync/corosync.conf").write_text(COROSYNC_CONF)
        (root / "etc/pve/ceph.conf").write_text(CEPH_CONF)
        (root / "etc/pve/ha").mkdir()

    def _peer(self) -> None:
        self.switch(["ovs-vsctl", "add-port", "br0", "swp", "tag=1001"], check=True)
        subprocess.Popen(
            self.p.argv([sys.executable, "-c", UDP_ECHO, self.peer_ip]),
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def divert_ifreload(self, wrapper: str) -> None:
        """What ``ifguard install --divert-ifreload`` does, in the host's mount namespace only:
        /usr/sbin/ifreload becomes ``wrapper`` and the real one (ifupdown2, which picks its
        operation by how argv[0] ends) /usr/sbin/ifguard-orig-ifreload. /usr/sbin is replaced
        by a directory of links to the original one (bound aside first): ifreload is a link
        into ifupdown2's directory, so binding a file over it would hide ifupdown2 itself."""
        real = self.base / "usr-sbin.real"
        fake = self.base / "usr-sbin"
        real.mkdir()
        fake.mkdir()
        self.h.mount_bind(Path("/usr/sbin"), str(real))
        for entry in os.listdir("/usr/sbin"):
            if entry not in ("ifreload", "ifguard-orig-ifreload"):
                (fake / entry).symlink_to(real / entry)
        (fake / "ifguard-orig-ifreload").symlink_to(os.path.realpath("/usr/sbin/ifreload"))
        (fake / "ifreload").write_text(wrapper)
        (fake / "ifreload").chmod(0o755)
        self.h.mount_bind(fake, "/usr/sbin")

    def set_ha_resources(self, text: str) -> None:
        """/etc/pve/ha/resources.cfg in the host (empty text: no HA resources)."""
        (self.h.root / "etc/pve/ha/resources.cfg").write_text(text)

    def peer_reaches_host(self, timeout: int = 1) -> bool:
        """pve2 pings pve1's corosync address (198.51.100.10)."""
        return (
            self.p.run(["ping", "-n", "-c", "1", "-W", str(timeout), "198.51.100.10"]).returncode
            == 0
        )

    def _switch(self) -> None:
        ovs_switch(
            self.s,
            ("sw1", "sw2"),
            (("gw1", 1, "192.0.2.1/24"), ("gw1001", 1001, "198.51.100.1/24")),
        )

    # --- running things -------------------------------------------------------------------
    def host(
        self, argv: list[str], check: bool = False, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        return self.h.run(argv, check=check, **kw)

    def switch(
        self, argv: list[str], check: bool = False, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        return self.s.run(argv, check=check, **kw)

    def peer(
        self, argv: list[str], check: bool = False, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        return self.p.run(argv, check=check, **kw)

    def admin(
        self, argv: list[str], check: bool = False, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        return self.a.run(argv, check=check, **kw)

    @property
    def interfaces_path(self) -> Path:
        """The host's /etc/network/interfaces, as seen from outside the lab."""
        return self.h.root / "etc/network/interfaces"

    def write_interfaces(self, text: str) -> None:
        self.interfaces_path.write_text(text)

    def read_interfaces(self) -> str:
        return self.interfaces_path.read_text()

    def set_down_changed(self, value: bool) -> None:
        conf = self.h.root / "etc/network/ifupdown2/ifupdown2.conf"
        lines = [
            ("ifreload_down_changed=1" if value else "ifreload_down_changed=0")
            if ln.startswith("ifreload_down_changed=")
            else ln
            for ln in conf.read_text().splitlines()
        ]
        conf.write_text("\n".join(lines) + "\n")

    def ifreload(self, down_changed: bool | None = None) -> subprocess.CompletedProcess[str]:
        """``ifreload -a`` in the host, as Proxmox's Apply or a package postinst runs it."""
        if down_changed is not None:
            self.set_down_changed(down_changed)
        return self.host(["ifreload", "-a"])

    def admin_reaches_host(self, timeout: int = 1) -> bool:
        return self.admin(["ping", "-n", "-c", "1", "-W", str(timeout), self.mgmt]).returncode == 0

    def wait_reachable(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.admin_reaches_host():
                return True
            time.sleep(0.2)
        return False

    def status(self) -> str:
        if not self.h.pid:
            return f"lab {self.prefix}: down"
        return "\n".join(
            [
                f"lab {self.prefix}: up (host {self.h.ns}, switch {self.s.ns}, admin {self.a.ns})",
                f"admin reaches {self.mgmt}: {'yes' if self.admin_reaches_host() else 'NO'}",
                self.host(["ovs-vsctl", "show"]).stdout.rstrip(),
                self.host(["ovs-appctl", "bond/show", "bond0"]).stdout.rstrip(),
            ]
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ifguard_lab.py",
        description="Network-namespace copy of the incident host (real ifupdown2 + OVS).",
    )
    parser.add_argument("--prefix", default="ifgl", help="namespace name prefix (default ifgl)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="build the lab and bring the incident config up")
    sub.add_parser("down", help="tear everything down")
    sub.add_parser("status", help="reachability, OVS and bond state")
    ex = sub.add_parser("exec", help="run a command in host, switch or admin")
    ex.add_argument("node", choices=("host", "switch", "admin", "peer"))
    ex.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    lab = Lab(args.prefix)
    try:
        if args.command == "up":
            start = time.monotonic()
            lab.up()
            print(f"lab {args.prefix} up in {time.monotonic() - start:.1f} s")
        elif args.command == "down":
            lab.down()
        elif args.command == "status":
            print(lab.status())
        else:
            node = {"host": lab.host, "switch": lab.switch, "admin": lab.admin, "peer": lab.peer}[
                args.node
            ]
            proc = node(args.cmd)
            sys.stdout.write(proc.stdout)
            sys.stderr.write(proc.stderr)
            return proc.returncode
    except LabError as exc:
        print(f"ifguard_lab: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
