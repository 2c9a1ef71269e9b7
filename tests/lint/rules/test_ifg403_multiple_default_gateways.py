"""IFG403 multiple-default-gateways (code:
src/ifguard/lint/rules/ifg403_multiple_default_gateways.py; docs: `ifguard explain IFG403`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG403"
ETH0 = "auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n"
ETH1 = "iface eth1 inet static\n    address 198.51.100.10/24\n    gateway 198.51.100.1\n"


def test_fires_on_the_second_gateway() -> None:
    text = ETH0 + "auto eth1\n" + ETH1
    assert hits(CODE, text) == [(8, 5, 8, 25)]
    assert messages(CODE, text) == [
        "second IPv4 default gateway 198.51.100.1 on `eth1`; `eth0` already sets 192.0.2.1 (line 2)"
    ]


def test_near_miss_stays_clean() -> None:
    """A second gateway on an interface not brought up at boot, or in its own VRF."""
    assert codes(ETH0 + ETH1) == []
    assert codes(ETH0 + "auto eth1\n" + ETH1 + "    vrf mgmt\n") == []
