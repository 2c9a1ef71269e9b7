"""Drift between the incident configuration and runtime snapshots recorded in the lab,
changed the way a hand on the host (or a half-done reload) would change them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ifguard.network.drift import drift
from ifguard.network.readers.types import Link, OvsState, Runtime

from .conftest import incident_config, recorded


def kinds(rt: Runtime, text: str | None = None) -> set[tuple[str, str]]:
    return {(d.interface, d.kind) for d in drift(incident_config(text), rt)}


def with_ovs(rt: Runtime, **changes: object) -> Runtime:
    return replace(rt, ovs=replace(rt.ovs, **changes))  # type: ignore[arg-type]


def test_no_drift_on_the_healthy_lab() -> None:
    assert drift(incident_config(), recorded("lab-healthy")) == []


@pytest.mark.slow
def test_port_removed_from_the_bridge_behind_ifupdown2s_back() -> None:
    rt = recorded("lab-healthy")
    ports = dict(rt.ovs.ports)
    del ports["bond0"]
    rt = with_ovs(rt, bridges={"vmbr0": ("vlan1", "vlan1001", "vmbr0")}, ports=ports)
    found = drift(incident_config(), rt)
    assert {(d.interface, d.kind) for d in found} == {
        ("vmbr0", "port-missing"),
        ("bond0", "missing"),
    }
    assert any(
        d.expected == "bond0" and "not a port of OVS bridge vmbr0" in d.message for d in found
    )


def test_changed_tag_and_vlan_mode() -> None:
    rt = recorded("lab-healthy")
    ports = dict(rt.ovs.ports)
    ports["vlan1"] = replace(ports["vlan1"], tag=99)
    ports["bond0"] = replace(ports["bond0"], vlan_mode="trunk")
    found = {
        (d.interface, d.kind, d.expected, d.actual)
        for d in drift(incident_config(), with_ovs(rt, ports=ports))
    }
    assert found == {
        ("vlan1", "tag", "1", "99"),
        ("bond0", "vlan-mode", "native-untagged", "trunk"),
    }


def test_bond_member_moved_out_and_extra_port() -> None:
    rt = recorded("lab-healthy")
    ports = dict(rt.ovs.ports)
    ports["bond0"] = replace(ports["bond0"], interfaces=("enp1s0",))
    ports["eth9"] = replace(ports["vlan1"], name="eth9", tag=None)
    ports["tap100i0"] = replace(ports["vlan1"], name="tap100i0", tag=None)
    bridges = {"vmbr0": (*rt.ovs.bridges["vmbr0"], "eth9", "tap100i0")}
    found = kinds(with_ovs(rt, ports=ports, bridges=bridges))
    # a VM's tap is not drift, an unknown port is
    assert found == {("bond0", "bond-members"), ("vmbr0", "port-extra")}


def test_address_gateway_mtu_and_down() -> None:
    rt = recorded("lab-healthy")
    links = dict(rt.links)
    links["vlan1"] = replace(links["vlan1"], addresses=("192.0.2.99/24",), mtu=9000)
    links["vlan1001"] = replace(links["vlan1001"], up=False)
    rt = replace(rt, links=links, routes=tuple(r for r in rt.routes if r.dst != "default"))
    text = (
        incident_config()
        .documents[0]
        .text.replace("\tgateway 192.0.2.1\n", "\tgateway 192.0.2.1\n\tmtu 1500\n")
    )
    assert kinds(rt, text) == {
        ("vlan1", "address-missing"),
        ("vlan1", "address-extra"),
        ("vlan1", "gateway"),
        ("vlan1", "mtu"),
        ("vlan1001", "down"),
    }


def test_missing_nic_and_ovs_not_running() -> None:
    rt = recorded("lab-healthy")
    links = {n: lk for n, lk in rt.links.items() if n != "enx60a4b758ba5b"}
    rt = replace(rt, links=links, ovs=OvsState("not running"))
    found = kinds(rt)
    assert ("enx60a4b758ba5b", "missing") in found
    assert {k for _, k in found if k == "ovs-unavailable"}
    assert ("vmbr0", "ovs-unavailable") in found


LINUX = """auto lo
iface lo inet loopback
auto eno1
iface eno1 inet manual
auto bond0
iface bond0 inet manual
	bond-slaves eno1 eno2
	bond-mode 802.3ad
auto vmbr0
iface vmbr0 inet static
	address 10.0.0.2/24
	gateway 10.0.0.1
	bridge-ports bond0
	bridge-vlan-aware yes
"""


def test_linux_bridge_and_bond_membership_and_vlan_filtering() -> None:
    links = {
        "lo": Link("lo", 1, up=True, carrier=True),
        "eno1": Link("eno1", 2, master="bond0", up=True, carrier=True),
        "eno2": Link("eno2", 3, up=True, carrier=True),
        "eno3": Link("eno3", 4, master="bond0", up=True, carrier=True),
        "bond0": Link("bond0", 5, "bond", master="vmbr0", up=True, carrier=True),
        "vmbr0": Link(
            "vmbr0",
            6,
            "bridge",
            up=True,
            carrier=True,
            vlan_filtering=False,
            addresses=("10.0.0.2/24", "fe80::1/64"),
        ),
        "tap100i0": Link("tap100i0", 7, "tun", master="vmbr0", up=True),
    }
    from ifguard.network.readers.types import Route

    rt = Runtime(links, (Route(4, "default", "10.0.0.1", "vmbr0"),), {}, OvsState("not installed"))
    assert kinds(rt, LINUX) == {
        ("bond0", "member-missing"),
        ("bond0", "member-extra"),
        ("vmbr0", "vlan-filtering"),
    }
