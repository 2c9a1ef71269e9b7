"""IFG110 option-outside-stanza (code: src/ifguard/lint/rules/ifg110_option_outside_stanza.py; docs:
`ifguard explain IFG110`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits

CODE = "IFG110"


def test_fires_on_an_option_after_an_auto_line_ended_the_stanza() -> None:
    text = (
        "auto eth0\niface eth0 inet manual\n"
        "auto vmbr0\n    bridge-ports eth0\niface vmbr0 inet manual\n"
    )
    assert hits(CODE, text) == [(4, 5, 4, 22)]


def test_fires_on_an_option_before_the_first_stanza() -> None:
    assert hits(CODE, "mtu 9000\nauto eth0\niface eth0 inet dhcp\n") == [(1, 1, 1, 9)]


def test_near_miss_stays_clean() -> None:
    """The same option after its `iface` line, with an `auto` line for another interface
    before the stanza rather than inside it."""
    text = (
        "auto eth0\niface eth0 inet manual\n"
        "auto vmbr0\niface vmbr0 inet manual\n    bridge-ports eth0\n"
    )
    assert codes(text) == []
