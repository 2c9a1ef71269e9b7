"""IFG504 ovs-port-incomplete: half an `ovs_type`/`ovs_bridge` pair, or a listed port that is
not an OVS port; an error where it cuts the management path, a warning elsewhere."""

from __future__ import annotations

from pathlib import Path

from ifguard.config.diagnostic import Severity
from tests.lint.rules.helpers import codes, hits, lint, only

CODE = "IFG504"
LAB = (Path(__file__).resolve().parents[3] / "examples" / "proxmox-ovs.interfaces").read_text()
VLAN1 = "\tgateway 192.0.2.1\n\tovs_type OVSIntPort\n\tovs_bridge vmbr0\n"


def _severities(text: str) -> list[tuple[int, Severity]]:
    return [(d.line, d.severity) for d in only(CODE, lint(text))]


def test_fires_on_the_management_int_port_without_ovs_bridge() -> None:
    text = LAB.replace(VLAN1, "\tgateway 192.0.2.1\n\tovs_type OVSIntPort\n")
    assert hits(CODE, text) == [(21, 2, 21, 21)]
    (d,) = only(CODE, lint(text))
    assert d.severity is Severity.ERROR
    assert "`vlan1` has `ovs_type OVSIntPort` but no `ovs_bridge`" in d.message
    assert "it cuts the management path (vlan1: default route via 192.0.2.1)" in d.message


def test_fires_on_an_int_port_with_ovs_bridge_but_no_ovs_type() -> None:
    text = LAB.replace(VLAN1, "\tgateway 192.0.2.1\n\tovs_bridge vmbr0\n")
    assert _severities(text) == [(21, Severity.ERROR)]
    assert "no `ovs_type`" in only(CODE, lint(text))[0].message


def test_fires_on_an_ovs_bond_without_ovs_bridge() -> None:
    text = LAB.replace("\tovs_type OVSBond\n\tovs_bridge vmbr0\n", "\tovs_type OVSBond\n")
    assert _severities(text) == [(35, Severity.ERROR)]


def test_off_the_path_it_is_a_warning() -> None:
    text = LAB.replace(
        "\tovs_type OVSIntPort\n\tovs_bridge vmbr0\n\tovs_options tag=1001\n",
        "\tovs_type OVSIntPort\n\tovs_options tag=1001\n",
    )
    assert _severities(text) == [(28, Severity.WARNING)]


def test_a_listed_stanza_that_is_no_port() -> None:
    text = LAB.replace("ovs_ports bond0 vlan1 vlan1001", "ovs_ports bond0 vlan1 vlan1001 enp1s0")
    (d,) = only(CODE, lint(text))
    assert (d.line, d.severity) == (42, Severity.WARNING)  # bond0 still carries the path
    assert "`enp1s0` is listed in `ovs_ports`, but no stanza makes it an OVS port" in d.message


def test_near_miss_stays_clean() -> None:
    assert codes(LAB) == []
    bridge_only = "auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n"
    assert codes(bridge_only) == []
