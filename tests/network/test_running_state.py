"""The running state as ``plan`` sees it, converted from runtime snapshots recorded in the
lab (plus a VM tap added), and plans against it."""

from __future__ import annotations

from dataclasses import replace

from ifguard.config.model import build
from ifguard.config.source import load_text
from ifguard.network import plan
from ifguard.network.readers.types import Link, OvsPort, OvsState, Runtime
from ifguard.network.running import restrict, running_state
from ifguard.network.state import NetState, state_from_config
from tests.apply.cli_helpers import CLEAN
from tests.network.conftest import recorded


def lab_with_vm_tap() -> Runtime:
    rt = recorded("lab-healthy")
    links = {**rt.links, "tap100i0": Link("tap100i0", 99, "tun", up=True, carrier=True)}
    ports = {**rt.ovs.ports, "tap100i0": OvsPort("tap100i0", "vmbr0", ("tap100i0",))}
    bridges = {"vmbr0": (*rt.ovs.bridges["vmbr0"], "tap100i0")}
    return replace(rt, links=links, ovs=replace(rt.ovs, ports=ports, bridges=bridges))


def file_state(text: str) -> NetState:
    return state_from_config(build(load_text(text).documents))


def test_running_ovs_topology() -> None:
    s = running_state(lab_with_vm_tap())
    assert s is not None and s.source == "running"
    assert s.ports["vmbr0"].kind == "ovs-bridge"
    assert s.ports["vmbr0"].lower == ("bond0", "tap100i0")
    assert s.ports["bond0"].kind == "ovs-bond" and set(s.ports["bond0"].members) == {
        "enx60a4b758ba5b",
        "enp1s0",
    }
    assert s.ports["enp1s0"].master == "bond0"
    assert s.ports["vlan1"].kind == "ovs-intport" and s.ports["vlan1"].tag == "1"
    assert s.ports["vlan1"].addresses == ("192.0.2.10/24",)  # link-local left out
    assert s.ports["vlan1"].gateways == ("192.0.2.1",)


def test_plan_against_running_matches_the_file_it_came_from() -> None:
    running = running_state(lab_with_vm_tap())
    assert running is not None
    after = file_state(CLEAN.read_text())
    before = restrict(running, set(after.ports))
    assert "tap100i0" not in before.ports and "tap100i0" not in before.ports["vmbr0"].members
    p = plan.compare(before, after)
    assert p.changes == (), p.changes
    assert p.path_before.interfaces == ("vlan1", "vmbr0", "bond0", "enp1s0", "enx60a4b758ba5b")


def test_plan_against_running_sees_the_uplink_leave_the_bond() -> None:
    running = running_state(lab_with_vm_tap())
    assert running is not None
    text = CLEAN.read_text().replace("ovs_bonds enp1s0 enx60a4b758ba5b", "ovs_bonds enp1s0")
    after = file_state(text)
    p = plan.compare(restrict(running, set(after.ports)), after)
    assert p.touches_management
    assert ("bond0", "members") in {(c.name, c.what) for c in p.changes if c.on_path}


def test_without_ovs_or_netlink() -> None:
    rt = replace(recorded("lab-healthy"), ovs=OvsState("not running"))
    s = running_state(rt)
    assert s is not None and s.ports["vmbr0"].kind == "physical"
    assert running_state(Runtime({}, (), {}, OvsState("not installed"), ("netlink: no",))) is None
