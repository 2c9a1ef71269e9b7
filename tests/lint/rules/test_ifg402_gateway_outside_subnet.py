"""IFG402 gateway-outside-subnet (code: src/ifguard/lint/rules/ifg402_gateway_outside_subnet.py;
docs: `ifguard explain IFG402`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG402"
HEAD = "auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n"


def test_fires_on_the_gateway_line() -> None:
    text = HEAD + "    gateway 198.51.100.1\n"
    assert hits(CODE, text) == [(4, 5, 4, 25)]
    assert messages(CODE, text) == ["gateway 198.51.100.1 is outside 192.0.2.0/24 on `eth0`"]


def test_fires_for_ipv6_against_the_ipv6_subnets_only() -> None:
    text = HEAD + "iface eth0 inet6 static\n    address 2001:db8::10/64\n    gateway 2001:db9::1\n"
    assert hits(CODE, text) == [(6, 5, 6, 24)]


def test_near_miss_stays_clean() -> None:
    """A gateway inside the subnet; a /32 (point-to-point, gateway on-link by design, as at
    hosting providers); an IPv6 link-local gateway (`fe80::1`: on every link)."""
    assert codes(HEAD + "    gateway 192.0.2.1\n") == []
    p2p = "auto eth1\niface eth1 inet static\n    address 203.0.113.10/32\n"
    assert CODE not in codes(p2p + "    gateway 198.51.100.1\n")
    v6 = "iface eth0 inet6 static\n    address 2a01:4f8::2/64\n    gateway fe80::1\n"
    assert codes(HEAD + "    gateway 192.0.2.1\n" + v6) == []
