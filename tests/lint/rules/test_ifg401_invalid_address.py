"""IFG401 invalid-address (code: src/ifguard/lint/rules/ifg401_invalid_address.py; docs: `ifguard
explain IFG401`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG401"
HEAD = "auto eth0\niface eth0 inet static\n"


def test_fires_on_each_bad_line() -> None:
    text = HEAD + "    address 192.0.2.300/24\n    gateway 192.0.2\n    netmask 255.0.255.0\n"
    assert hits(CODE, text) == [(3, 5, 3, 27), (4, 5, 4, 20), (5, 5, 5, 24)]
    assert messages(CODE, text)[2] == (
        "`netmask 255.0.255.0` is not valid: '255.0.255.0' is not a valid netmask"
    )


def test_near_miss_stays_clean() -> None:
    """An address without prefix plus a netmask, and IPv6 with a link-local gateway."""
    text = (
        HEAD
        + "    address 192.0.2.10\n    netmask 255.255.255.0\n    gateway 192.0.2.1\n"
        + "iface eth0 inet6 static\n    address 2001:db8::10/64\n    gateway fe80::1\n"
    )
    assert codes(text) == []
