"""IFG309 auto-without-stanza (code: src/ifguard/lint/rules/ifg309_auto_without_stanza.py; docs:
`ifguard explain IFG309`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG309"


def test_fires_on_the_auto_line() -> None:
    text = "auto lo eth0 eth1\niface lo inet loopback\niface eth0 inet dhcp\n"
    assert hits(CODE, text) == [(1, 1, 1, 18)]
    assert messages(CODE, text) == ["`auto eth1`: no `iface eth1` stanza"]


def test_near_miss_stays_clean() -> None:
    """Every auto name has a stanza; `auto` with a glob pattern is not a name."""
    assert codes("auto lo eth0\niface lo inet loopback\niface eth0 inet dhcp\n") == []
    assert CODE not in codes("auto lo eth*\niface lo inet loopback\n")
