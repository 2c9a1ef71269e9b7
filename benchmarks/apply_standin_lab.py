"""A STAND-IN for the lab (lab/ifguard_lab.py, written by the lab engineer), with the API
announced for it: ``Lab().up()/down()``, ``host(argv)``, ``write_interfaces(text)``,
``ifreload()``, ``admin_reaches_host()``. It exists so that the apply e2e tests and
benchmarks/apply_rollback_time.py could be developed and measured before the real lab
landed; prefer the real lab. Use it with ``IFGUARD_LAB_PATH=benchmarks/apply_standin_lab.py``.

Topology (namespaces ifgp-h, ifgp-s, ifgp-a; nothing outside them is touched):

    ifgp-h (the host, private mount namespace: /etc/network, /run/openvswitch,
            /run/network, /var/tmp/network, /etc/openvswitch, /var/lib/ifguard bound to
            a directory under /tmp; its own ovsdb-server + ovs-vswitchd, userspace datapath)
        enp1s0, enx60a4b758ba5b --veth--> ifgp-s (switch br0 + router: 192.0.2.1/24 gateway,
        203.0.113.1/24) --veth--> ifgp-a (remote admin 203.0.113.50, default via .1)

The host runs the incident configuration with an active-backup OVS bond (no LACP partner
here) and ``datapath_type=netdev`` (the kernel has no openvswitch module). ifupdown2
3.0.0 then exits 1 on every reload ("ifname bond0 not present in cache": the userspace
bond is not a kernel device) although the network is configured.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / "examples" / "proxmox-ovs.interfaces").read_text().replace(
    "lacp=active bond_mode=balance-tcp", "bond_mode=active-backup").replace(
    "\tovs_ports bond0 vlan1 vlan1001\n",
    "\tovs_ports bond0 vlan1 vlan1001\n\tovs_options datapath_type=netdev\n")
DIRS = ("etc/network", "run/openvswitch", "run/network", "var/tmp/network", "etc/openvswitch",
        "var/lib/ifguard", "var/log/openvswitch")
OVS = "/run/openvswitch"


def _sh(argv: list[str], check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=check, capture_output=True, text=True, **kw)


class Lab:
    def __init__(self, base: Path = Path("/tmp/ifguard-standin-lab"), prefix: str = "ifgp"):
        self.base = base
        self.h, self.s, self.a = f"{prefix}-h", f"{prefix}-s", f"{prefix}-a"
        self.mgmt = "192.0.2.10"
        self.pid = ""

    def down(self) -> None:
        for ns in (self.h, self.s, self.a):
            _sh(["ip", "netns", "del", ns], check=False)
        for f in ("holder.pid", "root/run/openvswitch/ovsdb.pid",
                  "root/run/openvswitch/vswitchd.pid"):
            p = self.base / f
            if p.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(p.read_text()), signal.SIGKILL)

    def up(self) -> None:
        self.down()
        if self.base.exists():
            shutil.rmtree(self.base)
        root = self.base / "root"
        for d in DIRS:
            (root / d).mkdir(parents=True)
        shutil.copytree("/etc/network/ifupdown2", root / "etc/network/ifupdown2")
        for ns in (self.h, self.s, self.a):
            _sh(["ip", "netns", "add", ns])
            _sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        for nic, peer, a, b in (("enp1s0", "sw1", self.h, self.s),
                                ("enx60a4b758ba5b", "sw2", self.h, self.s),
                                ("up0", "eth0", self.s, self.a)):
            _sh(["ip", "link", "add", nic, "netns", a, "type", "veth", "peer", "name", peer,
                 "netns", b])
        s = ["ip", "-n", self.s]
        _sh([*s, "link", "add", "br0", "type", "bridge"])
        for i in ("sw1", "sw2"):
            _sh([*s, "link", "set", i, "master", "br0"])
            _sh([*s, "link", "set", i, "up"])
        for i in ("br0", "up0"):
            _sh([*s, "link", "set", i, "up"])
        _sh([*s, "addr", "add", "192.0.2.1/24", "dev", "br0"])
        _sh([*s, "addr", "add", "203.0.113.1/24", "dev", "up0"])
        _sh(["ip", "netns", "exec", self.s, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        a = ["ip", "-n", self.a]
        _sh([*a, "link", "set", "eth0", "up"])
        _sh([*a, "addr", "add", "203.0.113.50/24", "dev", "eth0"])
        _sh([*a, "route", "add", "default", "via", "203.0.113.1"])
        holder = subprocess.Popen(["ip", "netns", "exec", self.h, "unshare", "-m",
                                   "--propagation", "private", "sleep", "infinity"])
        time.sleep(0.3)
        self.pid = str(holder.pid)
        (self.base / "holder.pid").write_text(self.pid)
        for d in DIRS:
            Path("/" + d).mkdir(parents=True, exist_ok=True)
            _sh(["nsenter", "-t", self.pid, "-m", "mount", "--bind", str(root / d), "/" + d])
        self.host(["ovsdb-tool", "create", "/etc/openvswitch/conf.db",
                   "/usr/share/openvswitch/vswitch.ovsschema"], check=True)
        self.host(["ovsdb-server", "/etc/openvswitch/conf.db", f"--remote=punix:{OVS}/db.sock",
                   f"--pidfile={OVS}/ovsdb.pid", "--detach", f"--unixctl={OVS}/ovsdb.ctl",
                   "--log-file=/var/log/openvswitch/ovsdb.log"], check=True)
        self.host(["ovs-vsctl", "--no-wait", "init"], check=True)
        self.host(["ovs-vswitchd", f"--pidfile={OVS}/vswitchd.pid", "--detach",
                   f"--unixctl={OVS}/vswitchd.ctl",
                   "--log-file=/var/log/openvswitch/vswitchd.log"], check=True)
        self.write_interfaces(GOOD)
        self.ifreload()
        for _ in range(50):
            if self.admin_reaches_host():
                break
            time.sleep(0.2)

    def host(self, argv: list[str], check: bool = False,
             **kw: Any) -> subprocess.CompletedProcess[str]:
        return _sh(["nsenter", "-t", self.pid, "-m", "-n", *argv], check=check, **kw)

    def write_interfaces(self, text: str) -> None:
        (self.base / "root/etc/network/interfaces").write_text(text)

    def ifreload(self) -> subprocess.CompletedProcess[str]:
        return self.host(["ifreload", "-a"])

    def admin_reaches_host(self) -> bool:
        return _sh(["ip", "netns", "exec", self.a, "ping", "-c", "1", "-W", "1", self.mgmt],
                   check=False).returncode == 0
