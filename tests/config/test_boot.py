"""The boot model: what `ifup -a` (with allow classes and hotplug) brings up, and which link of
the management path would not come up at boot."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.boot import Graph, ovs_breaks
from ifguard.config.bootpath import BootPath, boot_path, roots
from ifguard.config.model import Config, build
from ifguard.config.parse import parse

LAB = (Path(__file__).resolve().parents[2] / "examples" / "proxmox-ovs.interfaces").read_text()


def config(text: str) -> Config:
    return build([parse(text)])


def path(text: str, nics: frozenset[str] | None = None, **kw: object) -> BootPath:
    return boot_path(config(text), nics, **kw)  # type: ignore[arg-type]


def without(text: str, line: str) -> str:
    """``text`` without its one line equal to ``line`` (stripped)."""
    lines = text.splitlines(keepends=True)
    found = [i for i, got in enumerate(lines) if got.strip() == line]
    assert len(found) == 1, line
    del lines[found[0]]
    return "".join(lines)


def cuts(bp: BootPath) -> list[tuple[str, str, int]]:
    return [(b.interface, b.kind, b.where.line.lineno) for b in bp.breaks]


def test_the_lab_host_comes_up_over_both_nics() -> None:
    bp = path(LAB)
    assert dict(bp.roots) == {"vlan1": "default route via 192.0.2.1"}
    assert bp.interfaces == ("vlan1", "vmbr0", "bond0", "enp1s0", "enx60a4b758ba5b")
    assert bp.nics == ("enp1s0", "enx60a4b758ba5b")
    assert bp.comes_up and not bp.degraded
    assert {"vlan1", "vlan1001", "vmbr0", "bond0", "enp1s0", "lo"} <= bp.started
    assert "vlan1" in bp.describe() and bp.summary() == "vlan1: default route via 192.0.2.1"


def test_int_port_without_ovs_bridge_is_not_added() -> None:
    assert path(without(LAB, "gateway 192.0.2.1")).roots == {}  # no path to judge
    text = LAB.replace(
        "ovs_type OVSIntPort\n\tovs_bridge vmbr0\n\tovs_options tag=1\n",
        "ovs_type OVSIntPort\n\tovs_options tag=1\n",
    )
    bp = path(text)
    assert cuts(bp) == [("vlan1", "ovs-incomplete", 21)]
    assert "no `ovs_bridge`" in bp.breaks[0].message
    assert "`vmbr0` lists it in `ovs_ports`" in bp.breaks[0].message
    assert "vlan1" in bp.started  # `auto vlan1`: ifup tries it, and adds nothing


def test_int_port_without_ovs_type_is_not_added() -> None:
    text = LAB.replace("\tgateway 192.0.2.1\n\tovs_type OVSIntPort\n", "\tgateway 192.0.2.1\n")
    bp = path(text)
    assert cuts(bp) == [("vlan1", "ovs-incomplete", 21)]
    assert bp.breaks[0].where.line.keyword == "ovs_bridge"
    assert "no `ovs_type`" in bp.breaks[0].message


def test_ovs_bond_without_ovs_bridge_cuts_the_uplink() -> None:
    text = LAB.replace("\tovs_type OVSBond\n\tovs_bridge vmbr0\n", "\tovs_type OVSBond\n")
    bp = path(text)
    assert cuts(bp) == [("bond0", "ovs-incomplete", 35)]


def test_management_interface_without_auto() -> None:
    bp = path(without(LAB, "auto vlan1"))
    assert cuts(bp) == [("vlan1", "not-started", 17)]
    assert bp.breaks[0].message == "nothing brings `vlan1` up at boot: no `auto vlan1`"


def test_ovs_bond_without_auto_is_never_added() -> None:
    bp = path(without(LAB, "auto bond0"))
    assert cuts(bp) == [("bond0", "not-started", 32)]
    assert "nothing starts an OVS port" in bp.breaks[0].message


LINUX = """\
auto lo
iface lo inet loopback

iface eno1 inet manual
iface eno2 inet manual

auto bond0
iface bond0 inet manual
    bond-slaves eno1 eno2
    bond-mode 802.3ad

auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
    bridge-ports bond0
"""


def test_linux_members_are_started_as_dependencies() -> None:
    bp = path(LINUX)
    assert bp.comes_up
    assert bp.interfaces == ("vmbr0", "bond0", "eno1", "eno2")
    assert {"eno1", "eno2", "bond0", "vmbr0"} <= bp.started


def test_every_bond_member_missing_on_the_host_cuts_the_path() -> None:
    bp = path(LINUX, frozenset({"lo", "enp1s0", "enp2s0"}))
    assert cuts(bp) == [("eno1", "missing-nic", 9), ("eno2", "missing-nic", 9)]


def test_one_bond_member_missing_only_degrades_it() -> None:
    bp = path(LINUX, frozenset({"lo", "eno2"}))
    assert bp.comes_up
    assert [(b.interface, b.kind) for b in bp.degraded] == [("eno1", "missing-nic")]


def test_without_an_inventory_nothing_is_missing() -> None:
    assert path(LINUX).comes_up


def test_a_vlan_needs_its_raw_device() -> None:
    text = LINUX + (
        "auto mgmt\niface mgmt inet static\n    address 198.51.100.2/24\n"
        "    gateway 198.51.100.1\n    vlan-raw-device eno9\n    vlan-id 10\n"
    )
    bp = path(text.replace("    gateway 192.0.2.1\n", ""), frozenset({"eno1", "eno2"}))
    assert cuts(bp) == [("eno9", "missing-nic", 20)]


def test_hotplug_starts_a_present_nic_not_a_missing_one_nor_a_bridge() -> None:
    text = "allow-hotplug eno1\niface eno1 inet static\n    address 192.0.2.2/24\n"
    text += "    gateway 192.0.2.1\n"
    assert path(text).comes_up
    assert path(text, frozenset({"eno1"})).comes_up
    assert cuts(path(text, frozenset({"eth0"}))) == [("eno1", "missing-nic", 2)]
    bridge = LINUX.replace("auto vmbr0", "allow-hotplug vmbr0")
    assert cuts(path(bridge)) == [("vmbr0", "not-started", 13)]


def test_allow_classes_count_as_started() -> None:
    text = LAB.replace("auto vlan1\n", "allow-vmbr0 vlan1\n")
    assert path(text).comes_up
    text = LAB.replace("auto vlan1\n", "allow-mgmt vlan1\n")
    assert path(text).comes_up


def test_a_started_interface_brings_up_what_it_requires() -> None:
    text = "auto wg0\niface wg0\n    use wireguard\n    requires eth0\n"
    text += "iface eth0\n    address 203.0.113.2/24\n    gateway 203.0.113.1\n"
    assert path(text).comes_up
    assert cuts(path(text.replace("    requires eth0\n", ""))) == [("eth0", "not-started", 4)]


def test_no_boot_lines_or_logical_interfaces_are_not_judged() -> None:
    text = "iface eth0 inet static\n    address 192.0.2.2/24\n    gateway 192.0.2.1\n"
    assert path(text).comes_up  # a fragment: it does not say what boot starts
    mapping = "auto wlan0\niface wlan0 inet manual\n    wpa-roam /etc/wpa.conf\n"
    mapping += "iface home inet static\n    address 192.0.2.2/24\n    gateway 192.0.2.1\n"
    assert path(mapping).comes_up


def test_default_routes_of_one_family_are_alternatives() -> None:
    text = LINUX + "iface wlan0 inet static\n    address 198.51.100.2/24\n"
    text += "    gateway 198.51.100.1\n"
    bp = path(text)
    assert bp.comes_up
    assert [(b.interface, b.kind) for b in bp.degraded] == [("wlan0", "not-started")]
    assert cuts(path(text.replace("auto vmbr0\n", ""))) == [
        ("vmbr0", "not-started", 12),
        ("wlan0", "not-started", 16),
    ]


def test_the_admin_address_must_come_up_itself() -> None:
    text = LINUX + "iface eno3 inet static\n    address 198.51.100.2/24\n"
    admin = ("198.51.100.77", "198.51.100.2")
    found = roots(config(text), admin)
    assert found["eno3"] == ("admin", "the admin's address 198.51.100.2")
    assert cuts(path(text, admin=admin)) == [("eno3", "not-started", 17)]
    on_link = roots(config(text), ("198.51.100.77", "203.0.113.9"))
    assert on_link["eno3"] == ("admin", "the admin 198.51.100.77 is on-link")


def test_templated_names_are_not_judged() -> None:
    text = "auto lo\niface {{ mgmt }} inet static\n    address 192.0.2.2/24\n"
    text += "    gateway 192.0.2.1\n"
    assert roots(config(text)) == {} and path(text).comes_up


def test_one_dhcp_interface_carries_the_default_route() -> None:
    text = "auto eth0\niface eth0 inet dhcp\niface wlan0 inet manual\n"
    assert roots(config(text)) == {"eth0": ("dhcp", "default route from DHCP")}
    assert roots(config(text + "iface wlan1 inet dhcp\n")) == {}  # which one? not judged


def test_ovs_breaks_names_every_incomplete_port_on_or_off_the_path() -> None:
    text = LAB + "\nauto vlan2\niface vlan2 inet manual\n\tovs_type OVSIntPort\n"
    found = ovs_breaks(Graph(config(text)))
    assert [(b.interface, b.where.line.lineno) for b in found] == [("vlan2", 46)]
    assert path(text).comes_up


def test_a_port_listed_without_a_stanza_is_not_added() -> None:
    text = LAB.replace("ovs_ports bond0 vlan1 vlan1001", "ovs_ports eno7 vlan1 vlan1001")
    text = text.replace("\tovs_type OVSBond\n\tovs_bridge vmbr0\n", "\tovs_type OVSBond\n")
    bp = path(text)
    assert cuts(bp) == [("eno7", "ovs-incomplete", 41)]
