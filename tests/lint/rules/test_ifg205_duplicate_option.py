"""IFG205 duplicate-option (code: src/ifguard/lint/rules/ifg205_duplicate_option.py; docs: `ifguard
explain IFG205`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG205"
ETH0 = "auto eth0\niface eth0 inet static\n    address 192.0.2.5/24\n"


def test_fires_on_the_second_occurrence() -> None:
    text = ETH0 + "    mtu 1500\n    mtu 9000\n"
    assert hits(CODE, text) == [(5, 5, 5, 13)]
    assert messages(CODE, text) == ["`mtu` is given twice in `eth0` (first `1500`, then `9000`)"]


def test_near_miss_stays_clean() -> None:
    """Options that may repeat (addresses, hook commands) and the same single-valued option
    in two different stanzas are fine."""
    text = (
        ETH0
        + "    address 192.0.2.6/24\n    post-up true\n    post-up true\n    mtu 1500\n"
        + "auto eth1\niface eth1 inet manual\n    mtu 1500\n"
    )
    assert codes(text) == []
