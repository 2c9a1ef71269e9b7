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


def test_fires_on_a_leading_zero_and_on_non_ascii_digits() -> None:
    """ifupdown2 rejects both (Python's ipaddress) and brings eth0 up with no address."""
    zero = HEAD + "    address 192.0.2.010/24\n"
    assert hits(CODE, zero) == [(3, 5, 3, 27)]
    assert "octet `010` has a leading zero" in messages(CODE, zero)[0]
    arabic = HEAD + "    address 192.0.2.\u0661\u0660/24\n"
    assert hits(CODE, arabic) == [(3, 5, 3, 26)]
    assert "U+0661 ARABIC-INDIC DIGIT ONE is not an ASCII digit" in messages(CODE, arabic)[0]
    assert codes(HEAD + "    address 192.0.2.100/24\n    address 192.0.20.1/24\n") == []
