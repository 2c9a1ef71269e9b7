"""IFG320 not-started-at-boot: an interface of the management path that nothing brings up
at boot; an error on its `iface` line, with `auto NAME` as a suggested (unsafe) fix."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, fixed, hits, lint, only

CODE = "IFG320"
LAB = (Path(__file__).resolve().parents[3] / "examples" / "proxmox-ovs.interfaces").read_text()
LINUX = """\
auto lo
iface lo inet loopback
iface eno1 inet manual
auto vmbr0
iface vmbr0 inet static
    address 192.0.2.10/24
    gateway 192.0.2.1
    bridge-ports eno1
iface vmbr1 inet manual
    bridge-ports none
"""


def test_fires_on_the_management_int_port_without_auto() -> None:
    text = LAB.replace("auto vlan1\n", "")
    assert hits(CODE, text) == [(17, 7, 17, 12)]
    (d,) = only(CODE, lint(text))
    assert d.severity is Severity.ERROR
    assert d.message.startswith("nothing brings `vlan1` up at boot: no `auto vlan1`; it cuts")
    assert "(vlan1: default route via 192.0.2.1)" in d.message


def test_fires_on_the_management_bridge_without_auto() -> None:
    assert hits(CODE, LINUX.replace("auto vmbr0\n", "")) == [(4, 7, 4, 12)]


def test_fires_on_an_ovs_bond_of_the_path_without_auto() -> None:
    (d,) = only(CODE, lint(LAB.replace("auto bond0\n", "")))
    assert d.line == 32 and "nothing starts an OVS port" in d.message


def test_fix_suggests_auto_but_is_not_applied_by_default() -> None:
    text = LINUX.replace("auto vmbr0\n", "")
    assert fixed(CODE, text, unsafe=True) == LINUX
    assert codes(LINUX) == []


def test_near_miss_stays_clean() -> None:
    assert codes(LAB) == []
    assert codes(LINUX) == []  # eno1 is started as vmbr0's port; vmbr1 is off the path
    hotplug = "auto lo\niface lo inet loopback\nallow-hotplug eno2\niface eno2 inet static\n"
    hotplug += "    address 192.0.2.10/24\n    gateway 192.0.2.1\n"
    assert codes(hotplug) == []  # a NIC with allow-hotplug is started when present
    fragment = "iface vmbr0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n"
    assert CODE not in codes(fragment)  # no auto/allow line at all: not judged


def test_classes_and_dependencies_count_as_started() -> None:
    assert CODE not in codes(LAB.replace("auto vlan1\n", "allow-vmbr0 vlan1\n"))
    text = LINUX.replace("auto vmbr0\n", "") + "auto vmbr0.5\niface vmbr0.5 inet manual\n"
    assert CODE not in codes(text)  # the VLAN starts its raw device
