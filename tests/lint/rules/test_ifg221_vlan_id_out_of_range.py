"""IFG221 vlan-id-out-of-range (code: src/ifguard/lint/rules/ifg221_vlan_id_out_of_range.py; docs:
`ifguard explain IFG221`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG221"
BRIDGE = "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eth0\n    bridge-vlan-aware yes\n"


def test_fires_on_interface_names() -> None:
    text = (
        "auto eth0.4095\niface eth0.4095 inet manual\n"
        "auto vlan5000\niface vlan5000 inet manual\n    vlan-raw-device eth0\n"
    )
    # the span is the interface name on the iface line
    assert hits(CODE, text) == [(2, 7, 2, 16), (4, 7, 4, 15)]


def test_fires_on_bridge_vids() -> None:
    assert hits(CODE, BRIDGE + "    bridge-vids 2-4094 4095\n") == [(5, 5, 5, 28)]


def test_near_miss_stays_clean() -> None:
    """4094 is the last valid id."""
    text = "auto eth0.4094\niface eth0.4094 inet manual\n" + BRIDGE + "    bridge-vids 2-4094\n"
    assert codes(text) == []
