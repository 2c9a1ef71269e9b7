"""IFG407 overlapping-subnets (code: src/ifguard/lint/rules/ifg407_overlapping_subnets.py; docs:
`ifguard explain IFG407`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG407"
ETH0 = "auto eth0\niface eth0 inet static\n    address 10.0.0.1/24\n"


def test_fires_on_the_inner_subnet() -> None:
    text = (
        "auto eth0\niface eth0 inet static\n    address 10.0.0.1/16\n"
        "auto eth1\niface eth1 inet static\n    address 10.0.5.1/24\n"
    )
    assert hits(CODE, text) == [(6, 5, 6, 24)]
    assert messages(CODE, text) == ["10.0.5.0/24 on `eth1` overlaps 10.0.0.0/16 on `eth0`"]


def test_near_miss_stays_clean() -> None:
    """Adjacent subnets; the same subnet on an interface not up at boot, in another VRF, or
    as a /32 on the loopback."""
    text = (
        ETH0
        + "auto eth1\niface eth1 inet static\n    address 10.0.1.1/24\n"
        + "iface eth2 inet static\n    address 10.0.0.2/24\n"
        + "auto eth3\niface eth3 inet static\n    address 10.0.0.3/24\n    vrf blue\n"
        + "auto lo\niface lo inet loopback\n    address 10.0.0.9/32\n"
    )
    assert codes(text) == []
