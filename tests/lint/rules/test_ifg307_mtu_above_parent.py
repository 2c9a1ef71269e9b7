"""IFG307 mtu-above-parent (code: src/ifguard/lint/rules/ifg307_mtu_above_parent.py; docs: `ifguard
explain IFG307`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG307"


def stack(bond_mtu: int, vlan_mtu: int, bridge_mtu: int) -> str:
    return (
        f"auto bond0\niface bond0 inet manual\n    bond-slaves eno1 eno2\n    mtu {bond_mtu}\n"
        f"auto bond0.10\niface bond0.10 inet manual\n    mtu {vlan_mtu}\n"
        f"auto vmbr0\niface vmbr0 inet manual\n    bridge-ports bond0\n    mtu {bridge_mtu}\n"
    )


def test_fires_on_a_vlan_and_a_bridge_above_their_lower_device() -> None:
    text = stack(1500, 9000, 9000)
    # the VLAN's stanza line; the bridge's port list
    assert hits(CODE, text) == [(6, 1, 6, 27), (10, 5, 10, 23)]
    assert messages(CODE, text) == [
        "`bond0.10` has mtu 9000 but its parent `bond0` has mtu 1500",
        "`vmbr0` has mtu 9000 but its member `bond0` has mtu 1500",
    ]


def test_near_miss_stays_clean() -> None:
    """Equal MTUs, and upper devices below the lower one, are fine."""
    assert codes(stack(9000, 9000, 9000)) == []
    assert codes(stack(9000, 1500, 1500)) == []
