"""Cluster links as management paths: which interface carries them, what a change does to
them, the peer probe over the right interface, the HA cap."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.cluster import Cluster, Node
from ifguard.config.model import build
from ifguard.config.source import load_text
from ifguard.network import cluster as cl
from ifguard.network.state import NetState, state_from_config
from tests.fakes import FakeNet

REPO = Path(__file__).resolve().parents[2]
LAB = (REPO / "examples/proxmox-ovs.interfaces").read_text()
CLUSTER = Cluster(
    nodes=(
        Node("pve1", "1", ((0, "198.51.100.10"),)),
        Node("pve2", "2", ((0, "198.51.100.20"),)),
    ),
    local="pve1",
    ceph_networks=(("public", "198.51.100.0/24"),),
    ceph_mons=("198.51.100.10", "198.51.100.20"),
)


def state(text: str) -> NetState:
    return state_from_config(build(load_text(text).documents))


def test_links_are_carried_by_the_vlan_holding_the_ring_address() -> None:
    found = cl.links(CLUSTER, state(LAB))
    assert [(x.label, x.interface, x.peer) for x in found] == [
        ("corosync link 0 to pve2", "vlan1001", "198.51.100.20"),
        ("ceph public network 198.51.100.0/24", "vlan1001", "198.51.100.20"),
    ]
    assert cl.carriers(CLUSTER, state(LAB)) == {
        "vlan1001": ["corosync link 0 to pve2", "ceph public network 198.51.100.0/24"]
    }


def test_moving_the_address_is_named() -> None:
    moved = LAB.replace("198.51.100.10/24", "198.51.100.11/24")
    assert cl.findings(CLUSTER, state(LAB), state(moved)) == [
        "corosync link 0 to pve2 goes over vlan1001: this change removes its address 198.51.100.10",
        "ceph public network 198.51.100.0/24 goes over vlan1001: this change removes its "
        "address 198.51.100.10",
    ]
    gone = LAB.replace("\taddress 198.51.100.10/24\n", "")
    assert cl.findings(CLUSTER, state(LAB), state(gone))[0] == (
        "corosync link 0 to pve2 goes over vlan1001: this change removes its address 198.51.100.10"
    )
    dropped = (
        LAB.replace("auto vlan1001\n", "")
        .replace(" vlan1001\n", "\n")
        .replace(
            "iface vlan1001 inet static\n\taddress 198.51.100.10/24\n\tovs_type OVSIntPort\n"
            "\tovs_bridge vmbr0\n\tovs_options tag=1001\n",
            "",
        )
    )
    assert cl.findings(CLUSTER, state(LAB), state(dropped))[0].endswith(
        "this change removes vlan1001"
    )
    retagged = LAB.replace("tag=1001", "tag=1002")
    assert "modifies vlan1001" in cl.findings(CLUSTER, state(LAB), state(retagged))[0]


def test_unrelated_change_is_not_a_finding() -> None:
    other = LAB.replace("192.0.2.1\n", "192.0.2.254\n")
    assert other != LAB
    assert cl.findings(CLUSTER, state(LAB), state(other)) == []
    assert cl.findings(Cluster(), state(LAB), state(other)) == []


def test_peer_probe_uses_arp_on_the_link_interface() -> None:
    net = FakeNet(False, False, answers={("arp", "vlan1001", "198.51.100.20"): True})
    checks = cl.probe_peers(CLUSTER, state(LAB), net, 1.0)
    assert [c.ok for c in checks] == [True, True]
    assert len(net.calls) == 1  # one ARP for the peer, not one per link
    assert checks[0].name == "cluster: corosync link 0 to pve2 (198.51.100.20)"
    assert "ARP via vlan1001: answers" in checks[0].detail
    silent = cl.probe_peers(CLUSTER, state(LAB), FakeNet(False, False), 1.0)
    assert [c.ok for c in silent] == [False, False]


def test_peer_probe_falls_back_to_ping_when_arp_cannot_be_tried() -> None:
    """A sandbox without AF_PACKET: ARP says None, the peer is asked by ping instead; when
    neither can run it is a warning ("could not be tried"), never a failure."""
    net = FakeNet(None, True)
    checks = cl.probe_peers(CLUSTER, state(LAB), net, 1.0)
    assert [c.ok for c in checks] == [True, True]
    assert net.calls == [("arp", "vlan1001", "198.51.100.20"), ("ping", "198.51.100.20")]
    assert "ping via vlan1001: answers" in checks[0].detail
    untried = cl.probe_peers(CLUSTER, state(LAB), FakeNet(None, None), 1.0)
    assert [c.status for c in untried] == ["warn", "warn"]
    assert "could not be tried" in untried[0].detail


def test_peer_without_interface_fails() -> None:
    gone = LAB.replace("\taddress 198.51.100.10/24\n", "")
    checks = cl.probe_peers(CLUSTER, state(gone), FakeNet(False, False), 1.0)
    assert checks[0].ok is False and checks[0].detail == "no interface carries it"


def test_ha_cap() -> None:
    assert cl.cap_timeout(CLUSTER, 120) == (120, None)
    ha = Cluster(nodes=CLUSTER.nodes, local="pve1", ha_resources=2)
    capped, why = cl.cap_timeout(ha, 120)
    assert capped == cl.HA_MAX_TIMEOUT_S and why and "capped to 30 s" in why
    assert cl.cap_timeout(ha, 20) == (20, None)


def test_plan_names_the_cluster_link_and_counts_it_as_management() -> None:
    from ifguard.network import plan

    moved = LAB.replace("198.51.100.10/24", "198.51.100.11/24")
    result = plan.compare(state(LAB), state(moved), cluster=CLUSTER)
    assert result.touches_management
    text = plan.render(result, against="current file")
    assert (
        " ! cluster: corosync link 0 to pve2 goes over vlan1001: this change removes its "
        "address 198.51.100.10" in text
    )
    assert not plan.compare(state(LAB), state(moved)).touches_management  # no cluster: calm


def test_peer_probe_fails_when_this_nodes_link_address_is_gone() -> None:
    moved = LAB.replace("198.51.100.10/24", "198.51.100.11/24")
    net = FakeNet(False, False, answers={("arp", "vlan1001", "198.51.100.20"): True})
    checks = cl.probe_peers(CLUSTER, state(moved), net, 1.0)
    assert checks[0].ok is False and "198.51.100.10 is gone" in checks[0].detail
