"""IFG305 duplicate-auto (code: src/ifguard/lint/rules/ifg305_duplicate_auto.py; docs: `ifguard
explain IFG305`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, fixed, hits

CODE = "IFG305"
TEXT = (
    "auto lo eth0\niface lo inet loopback\n"
    "auto eth0 eth1\niface eth0 inet dhcp\n"
    "auto eth1\niface eth1 inet dhcp\n"
)


def test_fires_on_each_repeating_line() -> None:
    assert hits(CODE, TEXT) == [(3, 1, 3, 15), (5, 1, 5, 10)]


def test_near_miss_stays_clean() -> None:
    """Each name once, even spread over several lines."""
    text = "auto lo eth0\niface lo inet loopback\niface eth0 inet dhcp\nauto eth1\n" + (
        "iface eth1 inet dhcp\n"
    )
    assert codes(text) == []


def test_fix_drops_repeated_names_and_lines_and_relints_clean() -> None:
    after = fixed(CODE, TEXT)
    assert after == (
        "auto lo eth0\niface lo inet loopback\n"
        "auto eth1\niface eth0 inet dhcp\n"  # eth0 dropped, eth1 kept
        "iface eth1 inet dhcp\n"  # the line of only repeats is gone
    )
    assert codes(after) == []
