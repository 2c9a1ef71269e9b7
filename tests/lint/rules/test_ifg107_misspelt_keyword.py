"""IFG107 misspelt-keyword (code: src/ifguard/lint/rules/ifg107_misspelt_keyword.py; docs: `ifguard
explain IFG107`)."""

from __future__ import annotations

from tests.lint.rules.helpers import codes, hits, messages

CODE = "IFG107"
ETH0 = "auto eth0\niface eth0 inet static\n    address 192.0.2.5/24\n"


def test_fires_on_a_misspelt_iface_inside_a_stanza() -> None:
    text = ETH0 + "ifcae eth1 inet static\n    address 198.51.100.5/24\n"
    assert hits(CODE, text) == [(4, 1, 4, 6)]
    assert "did you mean `iface`?" in messages(CODE, text)[0]


def test_fires_on_a_capitalised_keyword_at_the_top() -> None:
    text = "Auto eth0\niface eth0 inet dhcp\n"
    assert hits(CODE, text) == [(1, 1, 1, 5)]
    assert "did you mean `auto`?" in messages(CODE, text)[0]


def test_near_miss_stays_clean() -> None:
    """An option whose name begins like a keyword, and a one-word line, are not typos."""
    assert codes(ETH0 + "    iface-name eth0\n") == []
    assert CODE not in codes(ETH0 + "    autoo\n")
