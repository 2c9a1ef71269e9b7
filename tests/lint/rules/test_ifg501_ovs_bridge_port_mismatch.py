"""IFG501 ovs-bridge-port-mismatch (code: src/ifguard/lint/rules/ifg501_ovs_bridge_port_mismatch.py;
docs: `ifguard explain IFG501`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages


def setup(port_bridge: str, vmbr1_ports: str = "") -> str:
    return (
        "auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n    ovs_ports vlan10\n"
        "auto vlan10\niface vlan10 inet manual\n    ovs_type OVSIntPort\n"
        f"    ovs_bridge {port_bridge}\n"
        "auto vmbr1\niface vmbr1 inet manual\n    ovs_type OVSBridge\n" + vmbr1_ports
    )


CODE = "IFG501"


def test_fires_on_both_sides_of_the_mismatch() -> None:
    text = setup("vmbr1")
    assert hits(CODE, text) == [(4, 5, 4, 21), (8, 5, 8, 21)]
    assert messages(CODE, text) == [
        "`vmbr0` lists `vlan10` in `ovs_ports`, but `vlan10` says `ovs_bridge vmbr1`",
        "`vlan10` says `ovs_bridge vmbr1`, but `vmbr1`'s `ovs_ports` does not list it",
    ]


def test_fires_when_the_bridge_named_is_not_an_ovs_bridge() -> None:
    text = setup("vmbr0") + "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n"
    text += "    ovs_bonds eno1 eno2\n    ovs_bridge vlan10\n"
    assert hits(CODE, text) == [(16, 5, 16, 22)]
    assert messages(CODE, text) == [
        "`bond0` names `vlan10` as its OVS bridge, but that stanza is not an OVSBridge"
    ]


def test_near_miss_stays_clean() -> None:
    """Both directions agree."""
    assert codes(setup("vmbr0")) == []
