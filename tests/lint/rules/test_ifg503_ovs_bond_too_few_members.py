"""IFG503 ovs-bond-too-few-members (code: src/ifguard/lint/rules/ifg503_ovs_bond_too_few_members.py;
docs: `ifguard explain IFG503`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages


def setup(members: str) -> str:
    return (
        "auto vmbr0\niface vmbr0 inet manual\n    ovs_type OVSBridge\n    ovs_ports bond0\n"
        "auto bond0\niface bond0 inet manual\n    ovs_type OVSBond\n    ovs_bridge vmbr0\n"
        f"    ovs_bonds {members}\n"
    )


CODE = "IFG503"


def test_fires_on_the_bond_stanza() -> None:
    assert hits(CODE, setup("eno1")) == [(6, 1, 6, 24)]
    assert messages(CODE, setup("eno1")) == [
        "OVS bond `bond0` has 1 member(s) in `ovs_bonds`; it needs at least two"
    ]


def test_near_miss_stays_clean() -> None:
    """Two members make a bond."""
    assert codes(setup("eno1 eno2")) == []
