"""IFG406 netmask-conflicts-with-prefix (code:
src/ifguard/lint/rules/ifg406_netmask_conflicts_with_prefix.py; docs: `ifguard explain IFG406`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG406"
HEAD = "auto eth0\niface eth0 inet static\n"


def test_fires_on_the_netmask_line() -> None:
    text = HEAD + "    address 192.0.2.10/24\n    netmask 255.255.255.128\n"
    assert hits(CODE, text) == [(4, 5, 4, 28)]
    assert messages(CODE, text) == [
        "netmask `255.255.255.128` (/25) contradicts `192.0.2.10/24` on `eth0`"
    ]


def test_near_miss_stays_clean() -> None:
    """A netmask that agrees, and a netmask with an address written without prefix."""
    assert codes(HEAD + "    address 192.0.2.10/24\n    netmask 255.255.255.0\n") == []
    assert codes(HEAD + "    address 192.0.2.10\n    netmask 255.255.255.128\n") == []
