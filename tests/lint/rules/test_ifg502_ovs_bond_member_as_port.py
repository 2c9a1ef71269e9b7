"""IFG502 ovs-bond-member-as-port (code: src/ifguard/lint/rules/ifg502_ovs_bond_member_as_port.py;
docs: `ifguard explain IFG502`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages


def setup(ports: str) -> str:
    return (
        f"auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n    ovs_ports {ports}\n"
        "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n    ovs_bridge vmbr0\n"
        "    ovs_bonds eno1 eno2\n"
    )


CODE = "IFG502"


def test_fires_on_the_ovs_ports_line() -> None:
    assert hits(CODE, setup("bond0 eno1")) == [(4, 5, 4, 25)]
    assert messages(CODE, setup("bond0 eno1")) == [
        "`eno1` is a member of OVS bond `bond0` and also a port of `vmbr0`"
    ]


def test_near_miss_stays_clean() -> None:
    """The bridge lists the bond, not its members."""
    assert codes(setup("bond0")) == []
