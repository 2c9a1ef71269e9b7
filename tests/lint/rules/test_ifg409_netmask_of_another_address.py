"""IFG409 netmask-of-another-address (code:
src/ifguard/lint/rules/ifg409_netmask_of_another_address.py; docs: `ifguard explain IFG409`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG409"
HEAD = "auto eth0\niface eth0 inet static\n"


def test_fires_on_a_netmask_before_the_address() -> None:
    """ifupdown2's parser drops it (reproduced, tests/differential): 192.0.2.10/32."""
    text = HEAD + "    netmask 255.255.255.0\n    address 192.0.2.10\n"
    assert hits(CODE, text) == [(3, 5, 3, 26), (4, 5, 4, 23)]
    assert "before any `address`" in messages(CODE, text)[0]


def test_fires_on_an_address_whose_netmask_belongs_to_the_next_one() -> None:
    text = HEAD + "    address 192.0.2.10\n    address 192.0.2.11\n    netmask 255.255.255.0\n"
    assert hits(CODE, text) == [(3, 5, 3, 23)]
    assert "configured as a /32" in messages(CODE, text)[0]


def test_near_miss_stays_clean() -> None:
    """Each address with its netmask below it; prefixes; classic ifupdown's single pair."""
    text = (
        HEAD + "    address 192.0.2.10\n    netmask 255.255.255.0\n    address 198.51.100.10/24\n"
    )
    assert codes(text) == []
    assert CODE not in codes(HEAD + "    netmask 24\n    address 192.0.2.10\n", dialect="ifupdown")
