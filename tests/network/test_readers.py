"""The readers on inputs recorded in the lab: raw rtnetlink messages, the ovs-vsctl JSON
snapshot, ovs-appctl bond/show and lacp/show; Linux bonds from /proc/net/bonding files."""

from __future__ import annotations

from ifguard.network.readers import bonding, ovs, read_runtime
from ifguard.network.readers.netlink import RecordedSource
from ifguard.network.readers.types import Route
from ifguard.system.root import Root
from ifguard.system.runner import Completed
from tests.fakes import NOT_FOUND, BrokenNetlink, FakeRunner

from .conftest import FIXTURES, recorded


def test_netlink_links_addresses_routes_from_recorded_messages() -> None:
    rt = recorded("lab-healthy")
    assert {"lo", "enp1s0", "enx60a4b758ba5b", "vmbr0", "vlan1", "vlan1001"} <= set(rt.links)
    nic = rt.links["enp1s0"]
    assert nic.kind == "veth" and nic.up and nic.carrier and nic.mtu == 1500
    assert nic.mac and len(nic.mac) == 17 and nic.parent is None  # a veth peer is no parent
    assert "192.0.2.10/24" in rt.links["vlan1"].addresses
    assert rt.defaults() == (Route(4, "default", "192.0.2.1", "vlan1", 254),)
    # local-table and broadcast routes are left out
    assert all(r.table != 255 for r in rt.routes)


def test_netlink_sees_the_carrier_loss_of_a_member() -> None:
    down = recorded("lab-member-down").links["enp1s0"]
    assert down.up and not down.carrier and down.operstate != "UP"


def test_recorded_source_round_trips_bytes() -> None:
    src = RecordedSource.from_file(FIXTURES / "lab-healthy" / "netlink.json")
    names = [m.get_attr("IFLA_IFNAME") for m in src.links()]
    assert names[0] == "lo" and "vmbr0" in names


def test_ovs_snapshot_bridges_ports_options() -> None:
    rt = recorded("lab-healthy")
    assert rt.ovs.bridges == {"vmbr0": ("bond0", "vlan1", "vlan1001", "vmbr0")}
    bond = rt.ovs.ports["bond0"]
    assert bond.interfaces == ("enp1s0", "enx60a4b758ba5b")
    assert (bond.tag, bond.vlan_mode, bond.bond_mode, bond.lacp) == (
        1,
        "native-untagged",
        "balance-tcp",
        "active",
    )
    assert rt.ovs.ports["vlan1001"].tag == 1001
    assert rt.ovs.interfaces["vlan1"].type == "internal"
    assert rt.ovs.interfaces["enp1s0"].link_state == "up"


def test_ovs_bond_and_lacp_status() -> None:
    healthy = recorded("lab-healthy").ovs.bonds["bond0"]
    assert healthy.lacp == "negotiated" and healthy.mode == "balance-tcp"
    assert [(m.name, m.up, m.lacp) for m in healthy.members] == [
        ("enp1s0", True, "current attached"),
        ("enx60a4b758ba5b", True, "current attached"),
    ]
    degraded = recorded("lab-member-down").ovs.bonds["bond0"]
    assert [(m.name, m.up) for m in degraded.members] == [
        ("enp1s0", False),
        ("enx60a4b758ba5b", True),
    ]
    assert degraded.members[0].lacp == "expired attached"


def test_ovs_trunks_and_maps_parse() -> None:
    out = (
        '{"data":[["vmbr1",["set",[["uuid","p1"]]]]],"headings":["name","ports"]}\n'
        '{"data":[[["uuid","p1"],"trunk0",["uuid","i1"],["set",[]],["set",[10,20]],'
        '"trunk",["set",[]],["set",[]],["map",[["lacp-time","fast"]]]]],'
        '"headings":["_uuid","name","interfaces","tag","trunks","vlan_mode","bond_mode",'
        '"lacp","other_config"]}\n'
        '{"data":[[["uuid","i1"],"eth9","",["set",[]],"up",["set",[]]]],'
        '"headings":["_uuid","name","type","link_state","admin_state","error"]}\n'
    )
    bridges, ports, ifaces = ovs.parse_vsctl(out)
    assert bridges == {"vmbr1": ("trunk0",)}
    assert ports["trunk0"].trunks == (10, 20) and ports["trunk0"].tag is None
    assert ports["trunk0"].other_config == {"lacp-time": "fast"}
    assert ifaces["eth9"].link_state is None and ifaces["eth9"].admin_state == "up"


def test_ovs_absent_or_stopped_is_a_status_not_a_crash() -> None:
    assert ovs.read_ovs(FakeRunner(default=NOT_FOUND)).status == "not installed"
    stopped = FakeRunner(
        {
            "ovs-vsctl": Completed(
                1,
                "",
                "ovs-vsctl: unix:/var/run/openvswitch/"
                "db.sock: database connection failed (No such "
                "file or directory)\n",
            )
        },
        default=NOT_FOUND,
    )
    assert ovs.read_ovs(stopped).status == "not running"
    garbage = FakeRunner({"ovs-vsctl": Completed(0, "{not json", "")}, default=NOT_FOUND)
    assert ovs.read_ovs(garbage).status.startswith("error: unexpected ovs-vsctl output")


def test_ovs_reader_asks_appctl_only_when_there_is_a_bond() -> None:
    d = FIXTURES / "lab-healthy"
    runner = FakeRunner(
        {
            "ovs-vsctl": Completed(0, (d / "ovs-vsctl.json").read_text(), ""),
            "ovs-appctl": Completed(0, (d / "bond-show.txt").read_text(), ""),
        },
        default=NOT_FOUND,
    )
    state = ovs.read_ovs(runner)
    assert state.available and state.bonds["bond0"].lacp == "negotiated"
    assert [c[0] for c in runner.calls] == ["ovs-vsctl", "ovs-appctl", "ovs-appctl"]


def test_linux_bonds_from_proc() -> None:
    bonds, errors = bonding.read_bonds(Root(FIXTURES / "proc-bonding"))
    assert errors == [] and sorted(bonds) == ["bond0", "bond1", "bond2"]
    b0, b1, b2 = bonds["bond0"], bonds["bond1"], bonds["bond2"]
    assert b0.lacp == "negotiated" and [m.name for m in b0.members] == ["eno1", "eno2"]
    assert b0.members[0].lacp == "0c:c4:7a:aa:bb:cc"
    assert b1.lacp == "configured"  # 802.3ad but the partner MAC is all zero
    assert [(m.name, m.up) for m in b1.members] == [("enp3s0", True), ("enp4s0", False)]
    assert b2.lacp == "off" and b2.active == "eth1" and b2.mode.startswith("fault-tolerance")


def test_no_bonding_driver_means_no_linux_bonds(tmp_path: object) -> None:
    from pathlib import Path

    assert bonding.read_bonds(Root(Path(str(tmp_path)))) == ({}, [])


def test_read_runtime_reports_a_broken_netlink_source_in_words() -> None:
    proc = Root(FIXTURES / "proc-bonding")
    rt = read_runtime(FakeRunner(default=NOT_FOUND), proc, BrokenNetlink())
    assert rt.links == {} and rt.errors == ("netlink: netlink socket: permission denied",)
    assert rt.ovs.status == "not installed" and set(rt.bonds) == {"bond0", "bond1", "bond2"}
