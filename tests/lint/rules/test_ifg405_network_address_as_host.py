"""IFG405 network-address-as-host (code: src/ifguard/lint/rules/ifg405_network_address_as_host.py;
docs: `ifguard explain IFG405`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG405"


def iface(address: str, family: str = "inet") -> str:
    return f"auto eth0\niface eth0 {family} static\n    address {address}\n"


def test_fires_on_the_address_line() -> None:
    assert hits(CODE, iface("10.0.0.0/24")) == [(3, 5, 3, 24)]
    assert messages(CODE, iface("10.0.0.0/24")) == [
        "10.0.0.0/24 is the network address of 10.0.0.0/24, not a host address"
    ]


def test_near_miss_stays_clean() -> None:
    """A host address; the first address of a /31 (RFC 3021: both are hosts); IPv6, whose
    subnet-router anycast address is assignable."""
    assert codes(iface("10.0.0.1/24")) == []
    assert codes(iface("10.0.1.0/31")) == []
    assert codes(iface("2001:db8::/64", "inet6")) == []
