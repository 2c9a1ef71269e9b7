"""The running-state reader (ip -j + ovs-vsctl) on recorded outputs, and plans against it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ifguard import plan
from ifguard.apply.effects import Completed
from ifguard.apply.running import restrict, running_state
from ifguard.model import build
from ifguard.source import load_text
from tests.apply.cli_helpers import CLEAN

LINKS = [
    {"ifname": "lo", "link_type": "loopback", "mtu": 65536, "flags": ["UP", "LOWER_UP"]},
    {"ifname": "enp1s0", "mtu": 1500, "master": "ovs-system", "linkinfo": {"info_kind": "veth"},
     "flags": ["UP", "LOWER_UP"]},
    {"ifname": "enx60a4b758ba5b", "mtu": 1500, "master": "ovs-system",
     "linkinfo": {"info_kind": "veth"}, "flags": ["UP", "LOWER_UP"]},
    {"ifname": "vlan1", "mtu": 1500, "linkinfo": {"info_kind": "tun"}},
    {"ifname": "vlan1001", "mtu": 1500, "linkinfo": {"info_kind": "tun"}},
    {"ifname": "vmbr0", "mtu": 1500, "linkinfo": {"info_kind": "tun"}},
    {"ifname": "tap100i0", "mtu": 1500, "linkinfo": {"info_kind": "tun"}},
]
ADDRS = [
    {"ifname": "vlan1", "addr_info": [
        {"family": "inet", "local": "192.0.2.10", "prefixlen": 24},
        {"family": "inet6", "local": "fe80::1", "prefixlen": 64}]},
    {"ifname": "vlan1001", "addr_info": [
        {"family": "inet", "local": "198.51.100.10", "prefixlen": 24}]},
]
ROUTES = [{"dst": "default", "gateway": "192.0.2.1", "dev": "vlan1"}]
BRIDGES = "vmbr0,u-br u-bond u-v1 u-v1001 u-tap\n"
PORTS = ("u-br,vmbr0,,i-br\nu-bond,bond0,1,i-a i-b\nu-v1,vlan1,1,i-v1\n"
         "u-v1001,vlan1001,1001,i-v1001\nu-tap,tap100i0,,i-tap\n")
IFACES = ("i-br,vmbr0,internal\ni-a,enp1s0,\ni-b,enx60a4b758ba5b,\ni-v1,vlan1,internal\n"
          "i-v1001,vlan1001,internal\ni-tap,tap100i0,\n")


class Recorded:
    def __init__(self, ovs: bool = True) -> None:
        self.ovs = ovs

    def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
        a = list(argv)
        if a[:4] == ["ip", "-j", "-d", "link"]:
            return Completed(0, json.dumps(LINKS), "")
        if a[:3] == ["ip", "-j", "addr"]:
            return Completed(0, json.dumps(ADDRS), "")
        if a[:4] == ["ip", "-j", "-4", "route"]:
            return Completed(0, json.dumps(ROUTES), "")
        if a[:4] == ["ip", "-j", "-6", "route"]:
            return Completed(0, "[]", "")
        if a[0] == "ovs-vsctl" and self.ovs:
            table = a[-1]
            return Completed(0, {"Bridge": BRIDGES, "Port": PORTS, "Interface": IFACES}[table],
                             "")
        return Completed(1, "", "not available")


def file_state(text: str) -> plan.NetState:
    return plan.state_from_config(build(load_text(text).documents))


def test_running_ovs_topology() -> None:
    s = running_state(Recorded())
    assert s is not None and s.source == "running"
    assert s.ports["vmbr0"].kind == "ovs-bridge"
    assert s.ports["vmbr0"].lower == ("bond0", "tap100i0")
    assert s.ports["bond0"].kind == "ovs-bond" and set(s.ports["bond0"].members) == {
        "enx60a4b758ba5b", "enp1s0"}
    assert s.ports["enp1s0"].master == "bond0"
    assert s.ports["vlan1"].kind == "ovs-intport" and s.ports["vlan1"].tag == "1"
    assert s.ports["vlan1"].addresses == ("192.0.2.10/24",)  # link-local left out
    assert s.ports["vlan1"].gateways == ("192.0.2.1",)


def test_plan_against_running_matches_the_file_it_came_from() -> None:
    running = running_state(Recorded())
    assert running is not None
    after = file_state(CLEAN.read_text())
    before = restrict(running, set(after.ports))
    assert "tap100i0" not in before.ports and "tap100i0" not in before.ports["vmbr0"].members
    p = plan.compare(before, after)
    assert p.changes == (), p.changes
    assert p.path_before.interfaces == ("vlan1", "vmbr0", "bond0", "enp1s0", "enx60a4b758ba5b")


def test_plan_against_running_sees_the_uplink_leave_the_bond() -> None:
    running = running_state(Recorded())
    assert running is not None
    text = CLEAN.read_text().replace("ovs_bonds enp1s0 enx60a4b758ba5b", "ovs_bonds enp1s0")
    after = file_state(text)
    p = plan.compare(restrict(running, set(after.ports)), after)
    assert p.touches_management
    assert ("bond0", "members") in {(c.name, c.what) for c in p.changes if c.on_path}


def test_without_ovs_or_ip() -> None:
    s = running_state(Recorded(ovs=False))
    assert s is not None and s.ports["vmbr0"].kind == "physical"

    class Nothing:
        def run(self, argv: Sequence[str], *, timeout: float | None = None) -> Completed:
            return Completed(127, "", "ip: command not found")

    assert running_state(Nothing()) is None
